package main

import (
	"context"
	"fmt"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/chromedp/chromedp"

	"bulletin/internal/site"
)

// TestLivePreviewLatency measures how long an edit takes to show in an
// open page under serve, on a site of your choosing (it copies the site
// first):
//
//	BULLETIN_LATENCY_SITE=/tmp/corpus-10000 go test ./cmd/bulletin -run LivePreviewLatency -v
//
// Each edit is timed from the file's write to the reload event an open page
// gets, and to the rebuilt page fetched after it. The edits rotate between
// a body change, a title change, a new bulletin dated newest (it moves
// every page of the home listing and of its bureau's, category's and tags'
// listings) and that bulletin's removal. scripts/bench.sh live runs it on a
// generated site.
func TestLivePreviewLatency(t *testing.T) {
	src := os.Getenv("BULLETIN_LATENCY_SITE")
	if src == "" {
		t.Skip("set BULLETIN_LATENCY_SITE to a site folder to measure live preview latency")
	}
	dir := filepath.Join(t.TempDir(), "site")
	if out, err := exec.Command("cp", "-r", src, dir).CombinedOutput(); err != nil {
		t.Fatalf("copying the site: %v: %s", err, out)
	}
	var files []string
	fs.WalkDir(os.DirFS(dir), "content", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	slices.Sort(files)
	if len(files) == 0 {
		t.Fatal("the site has no bulletins")
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := site.Load(ctx, os.DirFS(dir), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	urls := map[string]string{}
	for _, b := range s.Bulletins {
		urls[b.Source] = b.URL
	}
	start := time.Now()
	base := "http://" + startServeArgs(t, ctx, "-s", dir, "-index", filepath.Join(t.TempDir(), "index"), "-rate", "1000", "-burst", "1000")
	t.Logf("serve started on %d bulletins in %s", len(files), time.Since(start).Round(time.Millisecond))
	events := listen(t, ctx, base+"/__bulletin/events")

	const rounds = 5
	kinds := []string{"body", "title", "add", "remove"}
	took := map[string][]time.Duration{}
	var all []time.Duration
	for i := range rounds * len(kinds) {
		kind := kinds[i%len(kinds)]
		p := files[(i*7919)%len(files)]
		marker := fmt.Sprintf("实时预览测试%d", i)
		orig, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		text := string(orig)
		path := urls[p]
		switch kind {
		case "body":
			text += "\n" + marker + "。\n"
		case "title":
			text = strings.Replace(text, "\ntitle: ", "\ntitle: "+marker, 1)
		case "add":
			p = fmt.Sprintf("content/live-preview-%d.md", i)
			text = newestCopy(text, marker)
			path = fmt.Sprintf("/bulletins/live-preview-%d/", i)
		case "remove":
			p = fmt.Sprintf("content/live-preview-%d.md", i-1)
			path = fmt.Sprintf("/bulletins/live-preview-%d/", i-1)
			marker = "页面未找到" // the 404 page
		}
		began := time.Now()
		if kind == "remove" {
			err = os.Remove(filepath.Join(dir, p))
		} else {
			err = os.WriteFile(filepath.Join(dir, p), []byte(text), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		expect(t, events, "reload", path)
		reloaded := time.Since(began)
		if body := fetch(t, base+path); !strings.Contains(body, marker) {
			t.Errorf("%s edit of %s: %s does not show it", kind, p, path)
		}
		visible := time.Since(began)
		took[kind] = append(took[kind], visible)
		all = append(all, visible)
		t.Logf("%-6s %s: reload event %s, page fetched %s", kind, p, reloaded.Round(time.Millisecond), visible.Round(time.Millisecond))
		// Let the rebuild finish and the search index follow, then drop
		// the events it sent after the page's.
		time.Sleep(time.Second)
		for len(events) > 0 {
			<-events
		}
	}
	for _, kind := range kinds {
		t.Logf("%-6s median %s, max %s", kind, median(took[kind]).Round(time.Millisecond), slices.Max(took[kind]).Round(time.Millisecond))
	}
	t.Logf("all    median %s, max %s over %d edits", median(all).Round(time.Millisecond), slices.Max(all).Round(time.Millisecond), len(all))
}

// newestCopy turns a bulletin into a new one dated now, without the slug
// or date of the original.
func newestCopy(src, title string) string {
	var out []string
	for _, line := range strings.Split(src, "\n") {
		switch {
		case strings.HasPrefix(line, "slug:"), strings.HasPrefix(line, "updated:"):
			continue
		case strings.HasPrefix(line, "date:"):
			line = "date: " + time.Now().Add(-time.Hour).Format("2006-01-02 15:04")
		case strings.HasPrefix(line, "title:"):
			line = "title: " + title
		}
		out = append(out, line)
	}
	return strings.Join(out, "\n")
}

func median(ds []time.Duration) time.Duration {
	s := slices.Clone(ds)
	slices.Sort(s)
	return s[len(s)/2]
}

// TestBrowserLivePreviewLatency is TestLivePreviewLatency with the page
// open in Chromium: each edit is timed from the file's write to the first
// paint of the reloaded page (the edited bulletin's page, or the home page
// for a new bulletin).
//
//	BULLETIN_LATENCY_SITE=/tmp/corpus-10000 go test ./cmd/bulletin -run BrowserLivePreviewLatency -v
func TestBrowserLivePreviewLatency(t *testing.T) {
	src := os.Getenv("BULLETIN_LATENCY_SITE")
	if src == "" {
		t.Skip("set BULLETIN_LATENCY_SITE to a site folder to measure live preview latency")
	}
	browser := chromium(t)
	dir := filepath.Join(t.TempDir(), "site")
	if out, err := exec.Command("cp", "-r", src, dir).CombinedOutput(); err != nil {
		t.Fatalf("copying the site: %v: %s", err, out)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := site.Load(ctx, os.DirFS(dir), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + startServeArgs(t, ctx, "-s", dir, "-index", filepath.Join(t.TempDir(), "index"), "-rate", "1000", "-burst", "1000")

	kinds := []string{"body", "title", "add", "remove"}
	took := map[string][]time.Duration{}
	var all []time.Duration
	for i := range 3 * len(kinds) {
		kind := kinds[i%len(kinds)]
		b := s.Bulletins[(i*7919)%len(s.Bulletins)]
		p, page := b.Source, b.URL
		marker := fmt.Sprintf("浏览器预览测试%d", i)
		orig, err := os.ReadFile(filepath.Join(dir, p))
		if err != nil {
			t.Fatal(err)
		}
		text := string(orig)
		switch kind {
		case "body":
			text += "\n" + marker + "。\n"
		case "title":
			text = strings.Replace(text, "\ntitle: ", "\ntitle: "+marker, 1)
		case "add":
			p, page, text = fmt.Sprintf("content/browser-preview-%d.md", i), "/", newestCopy(text, marker)
		case "remove":
			p, page, marker = fmt.Sprintf("content/browser-preview-%d.md", i-1), fmt.Sprintf("/bulletins/browser-preview-%d/", i-1), "页面未找到"
		}
		if _, err := chromedp.Run(browser, chromedp.Navigate(base+page)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(browser, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // the page's event stream connects
		began := time.Now()
		if kind == "remove" {
			err = os.Remove(filepath.Join(dir, p))
		} else {
			err = os.WriteFile(filepath.Join(dir, p), []byte(text), 0o644)
		}
		if err != nil {
			t.Fatal(err)
		}
		// When the reloaded page shows the edit, ask it when it first painted.
		check := fmt.Sprintf(`!window.notReloaded && document.body.textContent.includes(%q)`, marker)
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := chromedp.Run(browser, chromedp.Evaluate[bool](check))
			if err == nil && ok {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s edit of %s: %s never showed it", kind, p, page)
			}
			time.Sleep(5 * time.Millisecond)
		}
		painted, err := chromedp.Run(browser, chromedp.Evaluate[float64](
			`performance.timeOrigin + ((performance.getEntriesByName('first-contentful-paint')[0] || performance.getEntriesByType('navigation')[0]).startTime || performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd)`))
		if err != nil {
			t.Fatal(err)
		}
		visible := time.UnixMilli(int64(painted)).Sub(began)
		took[kind] = append(took[kind], visible)
		all = append(all, visible)
		t.Logf("%-6s %s: first paint of %s after %s", kind, p, page, visible.Round(time.Millisecond))
		time.Sleep(time.Second)
	}
	for _, kind := range kinds {
		t.Logf("%-6s median %s, max %s", kind, median(took[kind]).Round(time.Millisecond), slices.Max(took[kind]).Round(time.Millisecond))
	}
	t.Logf("all    median %s, max %s over %d edits", median(all).Round(time.Millisecond), slices.Max(all).Round(time.Millisecond), len(all))
}
