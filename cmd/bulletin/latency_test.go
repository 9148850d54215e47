package main

import (
	"context"
	"fmt"
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
	dir := copySite(t, src)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := site.Load(ctx, os.DirFS(dir), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	base := "http://" + startServeArgs(t, ctx, "-s", dir, "-index", filepath.Join(t.TempDir(), "index"), "-rate", "1000", "-burst", "1000")
	t.Logf("serve started on %d bulletins in %s", len(s.Bulletins), time.Since(start).Round(time.Millisecond))
	events := listen(t, ctx, base+"/__bulletin/events")

	took := latencies{}
	for i := range 5 * len(editKinds()) {
		e := planEdit(t, dir, s, i, "live-preview", true)
		began := time.Now()
		e.apply(t, dir)
		expect(t, events, "reload", e.page)
		reloaded := time.Since(began)
		if body := fetch(t, base+e.page); !strings.Contains(body, e.marker) {
			t.Errorf("%s edit of %s: %s does not show it", e.kind, e.file, e.page)
		}
		visible := time.Since(began)
		took.add(e.kind, visible)
		t.Logf("%-6s %s: reload event %s, page fetched %s", e.kind, e.file, reloaded.Round(time.Millisecond), visible.Round(time.Millisecond))
		// Let the rebuild finish and the search index follow, then drop
		// the events it sent after the page's.
		time.Sleep(time.Second)
		for len(events) > 0 {
			<-events
		}
	}
	took.report(t)
}

// editKinds are the edits a latency run rotates between.
func editKinds() []string { return []string{"body", "title", "add", "remove"} }

// latencyEdit is one edit of a latency run: the file it writes or
// removes, the page that shows it, and the text that page then holds.
type latencyEdit struct {
	kind, file, text, page, marker string
}

// planEdit makes the i-th edit of a run on s, which is loaded from dir. A
// new bulletin is named after name and i; ownPage says whether the page
// showing it is its own or, for a browser that must have the page open
// before, the home page. A removal removes the bulletin the edit before
// added.
func planEdit(t *testing.T, dir string, s *site.Site, i int, name string, ownPage bool) latencyEdit {
	t.Helper()
	b := s.Bulletins[(i*7919)%len(s.Bulletins)]
	e := latencyEdit{kind: editKinds()[i%len(editKinds())], file: b.Source, page: b.URL, marker: fmt.Sprintf("实时预览测试%d", i)}
	orig, err := os.ReadFile(filepath.Join(dir, e.file))
	if err != nil {
		t.Fatal(err)
	}
	e.text = string(orig)
	switch e.kind {
	case "body":
		e.text += "\n" + e.marker + "。\n"
	case "title":
		e.text = strings.Replace(e.text, "\ntitle: ", "\ntitle: "+e.marker, 1)
	case "add":
		e.file, e.text = fmt.Sprintf("content/%s-%d.md", name, i), newestCopy(e.text, e.marker)
		e.page = "/"
		if ownPage {
			e.page = fmt.Sprintf("/bulletins/%s-%d/", name, i)
		}
	case "remove":
		e.file, e.page = fmt.Sprintf("content/%s-%d.md", name, i-1), fmt.Sprintf("/bulletins/%s-%d/", name, i-1)
		e.marker = "页面未找到" // the 404 page
	}
	return e
}

func (e latencyEdit) apply(t *testing.T, dir string) {
	t.Helper()
	var err error
	if e.kind == "remove" {
		err = os.Remove(filepath.Join(dir, e.file))
	} else {
		err = os.WriteFile(filepath.Join(dir, e.file), []byte(e.text), 0o644)
	}
	if err != nil {
		t.Fatal(err)
	}
}

// latencies collects a run's times by kind of edit.
type latencies map[string][]time.Duration

func (l latencies) add(kind string, d time.Duration) { l[kind] = append(l[kind], d) }

func (l latencies) report(t *testing.T) {
	var all []time.Duration
	for _, kind := range editKinds() {
		t.Logf("%-6s median %s, max %s", kind, median(l[kind]).Round(time.Millisecond), slices.Max(l[kind]).Round(time.Millisecond))
		all = append(all, l[kind]...)
	}
	t.Logf("all    median %s, max %s over %d edits", median(all).Round(time.Millisecond), slices.Max(all).Round(time.Millisecond), len(all))
}

// copySite copies the site folder src, so that a run's edits leave it as
// it was.
func copySite(t *testing.T, src string) string {
	t.Helper()
	dir := filepath.Join(t.TempDir(), "site")
	if out, err := exec.Command("cp", "-r", src, dir).CombinedOutput(); err != nil {
		t.Fatalf("copying the site: %v: %s", err, out)
	}
	return dir
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
	dir := copySite(t, src)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	s, err := site.Load(ctx, os.DirFS(dir), site.Options{})
	if err != nil {
		t.Fatal(err)
	}
	base := "http://" + startServeArgs(t, ctx, "-s", dir, "-index", filepath.Join(t.TempDir(), "index"), "-rate", "1000", "-burst", "1000")

	took := latencies{}
	for i := range 3 * len(editKinds()) {
		e := planEdit(t, dir, s, i, "browser-preview", false)
		if _, err := chromedp.Run(browser, chromedp.Navigate(base+e.page)); err != nil {
			t.Fatal(err)
		}
		if _, err := chromedp.Run(browser, chromedp.Evaluate[bool](`window.notReloaded = true`)); err != nil {
			t.Fatal(err)
		}
		time.Sleep(200 * time.Millisecond) // the page's event stream connects
		began := time.Now()
		e.apply(t, dir)
		// When the reloaded page shows the edit, ask it when it first painted.
		check := fmt.Sprintf(`!window.notReloaded && document.body.textContent.includes(%q)`, e.marker)
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := chromedp.Run(browser, chromedp.Evaluate[bool](check))
			if err == nil && ok {
				break
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s edit of %s: %s never showed it", e.kind, e.file, e.page)
			}
			time.Sleep(5 * time.Millisecond)
		}
		painted, err := chromedp.Run(browser, chromedp.Evaluate[float64](
			`performance.timeOrigin + ((performance.getEntriesByName('first-contentful-paint')[0] || performance.getEntriesByType('navigation')[0]).startTime || performance.getEntriesByType('navigation')[0].domContentLoadedEventEnd)`))
		if err != nil {
			t.Fatal(err)
		}
		visible := time.UnixMilli(int64(painted)).Sub(began)
		took.add(e.kind, visible)
		t.Logf("%-6s %s: first paint of %s after %s", e.kind, e.file, e.page, visible.Round(time.Millisecond))
		time.Sleep(time.Second)
	}
	took.report(t)
}
