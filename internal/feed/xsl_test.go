package feed

import (
	"bytes"
	"context"
	"net/http"
	"net/http/httptest"
	"os/exec"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"golang.org/x/net/html"

	"bulletin/internal/sitetest"
	"bulletin/theme"
)

// TestXSLShowsTextAsWritten opens the RSS and Atom feeds in headless
// Chromium, which applies the theme's feed.xsl, and checks that a summary
// with < & > and quotes reads as written (it read "&lt;" and "&amp;"),
// and that markup in it stays text.
func TestXSLShowsTextAsWritten(t *testing.T) {
	chromium := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			chromium = p
			break
		}
	}
	if chromium == "" {
		t.Skip("Chromium not installed (apt-get install -y chromium); the feed's browser view needs it")
	}
	t.Parallel()
	sitetest.TakeTurn(t)
	const summary = `比较 a < b && c > d，"双引号" '单引号' <b>不是粗体</b> &amp; 原样 &#60;`
	fsys := sitetest.ReadDir(t, fixture)
	fsys["content/qinghai/marks.md"] = &fstest.MapFile{Data: []byte("---\ntitle: 符号\ndate: 2024-12-30\nbureau: 青海省民政厅\nsummary: '" +
		strings.ReplaceAll(summary, "'", "''") + "'\n---\n\n正文。\n")}
	s := load(t, fsys)
	feeds := render(t, s)
	xsl, err := theme.FS.ReadFile("assets/feed.xsl")
	if err != nil {
		t.Fatal(err)
	}
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		if strings.HasSuffix(r.URL.Path, "/assets/feed.xsl") {
			w.Header().Set("Content-Type", "text/xsl; charset=utf-8")
			w.Write(xsl)
			return
		}
		data, ok := feeds[r.URL.Path]
		if !ok {
			http.NotFound(w, r)
			return
		}
		w.Header().Set("Content-Type", "application/xml; charset=utf-8")
		w.Write(data)
	}))
	defer srv.Close()

	for _, p := range []string{"/feed.xml", "/atom.xml"} {
		t.Run(p, func(t *testing.T) {
			ctx, cancel := context.WithTimeout(context.Background(), time.Minute)
			defer cancel()
			out, err := exec.CommandContext(ctx, chromium, "--headless", "--no-sandbox", "--disable-gpu",
				"--user-data-dir="+t.TempDir(), "--dump-dom", srv.URL+p).Output()
			if err != nil {
				t.Fatalf("chromium --dump-dom %s: %v", p, err)
			}
			doc, err := html.Parse(bytes.NewReader(out))
			if err != nil {
				t.Fatal(err)
			}
			items := find(doc, "li", "item")
			if len(items) == 0 {
				t.Skip("this Chromium did not apply the feed's stylesheet")
			}
			for _, it := range items {
				if !strings.Contains(textOf(it), "符号") {
					continue
				}
				sum := find(it, "p", "summary")
				if len(sum) != 1 {
					t.Fatalf("the item has %d summaries, want 1", len(sum))
				}
				if got := textOf(sum[0]); got != summary {
					t.Errorf("the summary reads\n%s\nwant\n%s", got, summary)
				}
				if b := find(sum[0], "b", ""); len(b) != 0 {
					t.Errorf("the summary's <b> became markup")
				}
				return
			}
			t.Fatalf("no item 符号 in the page:\n%s", out)
		})
	}
}

// find returns the elements below n named tag with class class ("" for
// any).
func find(n *html.Node, tag, class string) []*html.Node {
	var out []*html.Node
	for c := range n.Descendants() {
		if c.Type != html.ElementNode || c.Data != tag {
			continue
		}
		for _, a := range c.Attr {
			if class == "" || a.Key == "class" && strings.Contains(" "+a.Val+" ", " "+class+" ") {
				out = append(out, c)
				break
			}
		}
		if class == "" && len(c.Attr) == 0 {
			out = append(out, c)
		}
	}
	return out
}

// textOf is the text below n.
func textOf(n *html.Node) string {
	var b strings.Builder
	for c := range n.Descendants() {
		if c.Type == html.TextNode {
			b.WriteString(c.Data)
		}
	}
	return b.String()
}
