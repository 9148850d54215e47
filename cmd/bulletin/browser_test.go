package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	cdpfetch "github.com/chromedp/cdproto/fetch"
	"github.com/chromedp/cdproto/network"
	"github.com/chromedp/cdproto/page"
	"github.com/chromedp/cdproto/runtime"
	"github.com/chromedp/chromedp"
	"github.com/chromedp/chromedp/kb"

	"bulletin/internal/sitetest"
)

// chromium starts headless Chromium for a test, or skips it with a clear
// message where Chromium is not installed. CI installs it.
func chromium(t *testing.T) context.Context {
	t.Helper()
	path := ""
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome"} {
		if p, err := exec.LookPath(name); err == nil {
			path = p
			break
		}
	}
	if path == "" {
		t.Skip("Chromium not installed (apt-get install -y chromium); browser tests need it")
	}
	sitetest.TakeTurn(t)
	opts := append(chromedp.DefaultExecAllocatorOptions[:],
		chromedp.ExecPath(path),
		chromedp.NoSandbox,
		chromedp.DisableGPU,
		chromedp.Flag("disable-background-networking", true),
		chromedp.Flag("disable-component-update", true),
		chromedp.Flag("disable-sync", true),
		chromedp.Flag("disable-quic", true),
		chromedp.UserDataDir(t.TempDir()),
	)
	actx, cancelAlloc := chromedp.NewExecAllocator(context.Background(), opts...)
	ctx, cancel := chromedp.NewContext(actx)
	t.Cleanup(func() { cancel(); cancelAlloc() })
	if err := chromedp.Do(ctx); err != nil {
		t.Fatalf("starting Chromium: %v", err)
	}
	return ctx
}

// scriptWatch records every dialog and every console message that carries
// the hostile fixtures' marker: either means content ran script.
type scriptWatch struct {
	mu    sync.Mutex
	where string
	ran   []string
}

func watchScripts(t *testing.T, ctx context.Context) *scriptWatch {
	w := &scriptWatch{}
	err := chromedp.Listen(ctx, func(ev any) {
		switch ev := ev.(type) {
		case *page.EventJavascriptDialogOpening:
			w.note("dialog " + ev.Message)
			// The listener must not send commands itself.
			go chromedp.Call(ctx, page.HandleJavaScriptDialog, page.HandleJavaScriptDialogParams{Accept: false})
		case *runtime.EventConsoleAPICalled:
			for _, arg := range ev.Args {
				if strings.Contains(string(arg.Value)+arg.Description, "BULLETIN-XSS") {
					w.note("console " + string(arg.Value))
				}
			}
		}
	})
	if err != nil {
		t.Fatal(err)
	}
	return w
}

func (w *scriptWatch) note(s string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.ran = append(w.ran, w.where+": "+s)
}

func (w *scriptWatch) at(where string) {
	w.mu.Lock()
	defer w.mu.Unlock()
	w.where = where
}

// TestBrowserNoContentScript loads every page built from the hostile
// fixtures in Chromium, the feeds' browser view, search with hostile
// queries and a digest issue, and fails if any script from content runs.
func TestBrowserNoContentScript(t *testing.T) {
	ctx := chromium(t)
	dir := t.TempDir()
	if err := os.CopyFS(dir, os.DirFS(filepath.Join("testdata", "hostile"))); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "digest", "-q", "-s", dir, "-from", "2024-01-01", "-to", "2024-12-31", "-date", "2025-01-01"); code != 0 {
		t.Fatalf("digest: %s", stderr)
	}
	public := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", public, "-now", "2026-01-01"); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	base := "http://" + startServe(t, sctx, dir)

	var paths []string
	filepath.WalkDir(public, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, "index.html") {
			rel, _ := filepath.Rel(public, filepath.Dir(p))
			paths = append(paths, "/"+strings.TrimPrefix(filepath.ToSlash(rel)+"/", "./"))
		}
		return nil
	})
	if len(paths) < 15 {
		t.Fatalf("only %d pages built", len(paths))
	}
	for _, q := range []string{
		`<script>alert('BULLETIN-XSS q')</script>`,
		`"><img src=x onerror=alert('BULLETIN-XSS img')>`,
		`标题:低保 */~\"`, strings.Repeat("低保", 3000),
	} {
		paths = append(paths, "/search?q="+url.QueryEscape(q), "/api/search?q="+url.QueryEscape(q))
	}
	paths = append(paths, "/feed.xml", "/atom.xml", "/bureaus/qinghai/feed.xml", "/no/such/page/")

	w := watchScripts(t, ctx)
	// The watch itself must see script that runs, or this test proves
	// nothing.
	canary := httptest.NewServer(http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		rw.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(rw, `<script>console.log("BULLETIN-XSS canary"); alert("BULLETIN-XSS canary")</script>`)
	}))
	defer canary.Close()
	w.at("canary")
	if err := chromedp.Do(ctx, chromedp.Navigate(canary.URL), chromedp.Sleep(200*time.Millisecond)); err != nil {
		t.Fatal(err)
	}
	if got := strings.Join(w.ran, "\n"); !strings.Contains(got, "console") || !strings.Contains(got, "dialog") {
		t.Fatalf("the watch missed the canary's script: %q", got)
	}
	w.ran = nil
	for _, p := range paths {
		w.at(p)
		tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(tctx, chromedp.Navigate(base+p), chromedp.Sleep(50*time.Millisecond))
		cancel()
		if err != nil {
			t.Errorf("%s: %v", p, err)
		}
	}
	if len(w.ran) > 0 {
		t.Errorf("script from content ran:\n%s", strings.Join(w.ran, "\n"))
	}
	t.Logf("%d pages loaded in Chromium", len(paths))
}

// TestBrowserReader clicks what a reader clicks: the font-size control
// (remembered on the next page), the search box, and a result.
func TestBrowserReader(t *testing.T) {
	ctx := chromium(t)
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	base := "http://" + startServe(t, sctx, copySample(t))

	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	attr := func(sel, name string) string {
		t.Helper()
		r, err := chromedp.Run(ctx, chromedp.AttributeValue(chromedp.CSS(sel), name))
		must(err)
		return r.Value
	}
	must(chromedp.Do(ctx,
		chromedp.Navigate(base+"/"),
		chromedp.WaitVisible(chromedp.CSS(`[data-font-size="large"]`)),
		chromedp.Click(chromedp.CSS(`[data-font-size="large"]`)),
	))
	htmlClass := func() string {
		t.Helper()
		c, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.documentElement.className`))
		must(err)
		return c
	}
	if class := htmlClass(); !strings.Contains(class, "fs-large") {
		t.Errorf("after clicking 大, html class = %q", class)
	}
	must(chromedp.Do(ctx, chromedp.Navigate(base+"/bureaus/"), chromedp.WaitReady(chromedp.CSS("body"))))
	if class := htmlClass(); !strings.Contains(class, "fs-large") {
		t.Errorf("font size not remembered on the next page: class %q", class)
	}
	must(chromedp.Do(ctx,
		chromedp.SendKeys(chromedp.CSS(`form[role=search] input[name=q]`), "低保\n"),
		chromedp.WaitVisible(chromedp.CSS(`main .search-hits`)),
	))
	heading, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main h1`)))
	must(err)
	if !strings.Contains(heading, "低保") {
		t.Errorf("search results heading = %q", heading)
	}
	if href := attr(`main .search-hits a[href*="/bulletins/"]`, "href"); href == "" {
		t.Errorf("no result link")
	}
	// The dates below the box narrow the search, and stay filled in.
	must(chromedp.Do(ctx,
		chromedp.SetValue(chromedp.CSS(`#search_from`), "2024-01-01"),
		chromedp.SetValue(chromedp.CSS(`#search_to`), "2024-01-31"),
		chromedp.Click(chromedp.CSS(`main form.search-box button[type=submit]`)),
		chromedp.WaitVisible(chromedp.CSS(`main .search-filters`)),
	))
	loc, err := chromedp.Run(ctx, chromedp.Location())
	must(err)
	if !strings.Contains(loc, "from=2024-01-01") || !strings.Contains(loc, "to=2024-01-31") || !strings.Contains(loc, "q=%E4%BD%8E%E4%BF%9D") {
		t.Errorf("searching between two dates went to %s", loc)
	}
	if chip, err := chromedp.Run(ctx, chromedp.Text(chromedp.CSS(`main .search-filters`))); err != nil || !strings.Contains(chip, "发布日期") {
		t.Errorf("the date filter shows %q (%v)", chip, err)
	}
	if v := attr(`#search_to`, "value"); v != "2024-01-31" {
		t.Errorf("the 至 date reads %q after the search", v)
	}
	// On a phone at the largest size the button stays on one line.
	must(chromedp.Do(ctx,
		chromedp.EmulateViewport(360, 740),
		chromedp.Click(chromedp.CSS(`[data-font-size="xlarge"]`)),
	))
	ratio, err := chromedp.Run(ctx, chromedp.Evaluate[float64](`(() => {
		const b = document.querySelector('main form.search-box button');
		return b.getBoundingClientRect().height / parseFloat(getComputedStyle(b).lineHeight);
	})()`))
	must(err)
	if ratio > 1.9 {
		t.Errorf("at 特大 on a phone the search button is %.1f lines high", ratio)
	}
	// The field and its button share a line, inside the page.
	layout, err := chromedp.Run(ctx, chromedp.Evaluate[string](`(() => {
		const f = document.querySelector('main form.search-box input[type=search]').getBoundingClientRect();
		const b = document.querySelector('main form.search-box button').getBoundingClientRect();
		const sameLine = Math.abs(f.top - b.top) < 2;
		const inside = b.right <= document.documentElement.clientWidth + 0.5;
		return sameLine && inside ? "" : "field at " + f.left + "," + f.top + " to " + f.right + "; button at " + b.left + "," + b.top + " to " + b.right;
	})()`))
	must(err)
	if layout != "" {
		t.Errorf("at 特大 on a phone the search field and its button do not share a line inside the page: %s", layout)
	}
	// BULLETIN_SCREENSHOTS=DIR keeps the phone page at 特大 to look at.
	if dir := os.Getenv("BULLETIN_SCREENSHOTS"); dir != "" {
		png, err := chromedp.Run(ctx, chromedp.CaptureScreenshot())
		must(err)
		must(os.WriteFile(filepath.Join(dir, "search-phone-xlarge.png"), png, 0o644))
	}
	must(chromedp.Do(ctx, chromedp.EmulateViewport(1280, 900), chromedp.Click(chromedp.CSS(`[data-font-size=""]`))))
	must(chromedp.Do(ctx,
		chromedp.Click(chromedp.CSS(`main .search-hits a[href*="/bulletins/"]`)),
		chromedp.WaitVisible(chromedp.CSS(`article.prose`)),
	))
	// 订阅 on a listing leads to its entry on the subscribe page, with the
	// feed's address ready to copy.
	must(chromedp.Do(ctx,
		chromedp.Navigate(base+"/categories/"),
		chromedp.WaitVisible(chromedp.CSS(`.term-name a`)),
		chromedp.Click(chromedp.CSS(`.term-name a`)),
		chromedp.WaitVisible(chromedp.CSS(`a.subscribe`)),
		chromedp.Click(chromedp.CSS(`a.subscribe`)),
		chromedp.WaitVisible(chromedp.CSS(`.feed-list li:target`)),
	))
	target, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.feed-list li:target input').value`))
	must(err)
	if !strings.HasPrefix(target, "http") || !strings.Contains(target, "/categories/") || !strings.HasSuffix(target, "/feed.xml") {
		t.Errorf("the subscribe entry of a category offers %q, want its absolute RSS address", target)
	}
	// Opening a feed's address shows its entry there too, not the raw feed.
	must(chromedp.Do(ctx,
		chromedp.Navigate(base+"/bureaus/qinghai/feed.xml"),
		chromedp.WaitVisible(chromedp.CSS(`.feed-list li:target`)),
	))
	if id, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.querySelector('.feed-list li:target').id`)); err != nil || id != "feed-bureaus-qinghai" {
		t.Errorf("opening /bureaus/qinghai/feed.xml shows the entry %q (%v)", id, err)
	}
	// Keyboard: Tab from the top reaches the skip link first, visibly.
	must(chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.KeyEvent("\t")))
	focused, err := chromedp.Run(ctx, chromedp.Evaluate[string](`document.activeElement.className`))
	must(err)
	outline, err := chromedp.Run(ctx, chromedp.Evaluate[string](`getComputedStyle(document.activeElement).outlineStyle`))
	must(err)
	if !strings.Contains(focused, "skip") || outline == "none" {
		t.Errorf("first Tab focuses %q with outline %q; want the visible skip link", focused, outline)
	}
}

// TestBrowserLiveReload keeps two pages open in Chromium under serve while
// a bulletin is edited: the bulletin's page reloads with the edit, an
// unrelated page stays as it was (no reload), a broken file shows its
// problem over the page, and fixing it reloads the page clean.
func TestBrowserLiveReload(t *testing.T) {
	t.Run("one stream for all tabs", func(t *testing.T) { testBrowserLiveReload(t, false) })
	// As at a LAN address over http, which is no secure context.
	t.Run("a stream for each tab, without Web Locks", func(t *testing.T) { testBrowserLiveReload(t, true) })
}

func testBrowserLiveReload(t *testing.T, noLocks bool) {
	ctx := chromium(t)
	dir := copySample(t)
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	base := "http://" + startServe(t, sctx, dir)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	other, cancel := chromedp.NewContext(ctx) // a second tab
	defer cancel()
	if noLocks {
		for _, tab := range []context.Context{ctx, other} {
			_, err := chromedp.Call(tab, page.AddScriptToEvaluateOnNewDocument,
				page.AddScriptToEvaluateOnNewDocumentParams{Source: `delete Navigator.prototype.locks`})
			must(err)
		}
	}
	must(chromedp.Do(other, chromedp.Navigate(base+"/categories/"), chromedp.WaitReady(chromedp.CSS("body"))))
	must(chromedp.Do(ctx, chromedp.Navigate(base+"/bulletins/qinghai-dibao-standard-2025/"), chromedp.WaitReady(chromedp.CSS("body"))))
	// A mark that a reload would wipe out.
	for _, tab := range []context.Context{ctx, other} {
		_, err := chromedp.Run(tab, chromedp.Evaluate[bool](`window.kept = true`))
		must(err)
		if locks, err := chromedp.Run(tab, chromedp.Evaluate[bool](`!!navigator.locks`)); err != nil || locks == noLocks {
			t.Fatalf("navigator.locks present: %v (%v); want %v", locks, err, !noLocks)
		}
	}
	// Wait until both pages listen for rebuilds.
	time.Sleep(300 * time.Millisecond)

	src := filepath.Join(dir, "content", "qinghai", "2025", "relief-standard.md")
	orig, err := os.ReadFile(src)
	must(err)
	waitFor := func(tab context.Context, expr, what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := chromedp.Run(tab, chromedp.Evaluate[bool](expr))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10 s (%v)", what, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	start := time.Now()
	must(os.WriteFile(src, []byte(strings.Replace(string(orig), "title: 青海省提高", "title: 青海省再次提高", 1)), 0o644))
	waitFor(ctx, `document.querySelector('h1').textContent.includes('青海省再次提高')`, "the edited bulletin's page showing the new title")
	t.Logf("edit visible in the open page after %s", time.Since(start).Round(time.Millisecond))
	kept, err := chromedp.Run(other, chromedp.Evaluate[bool](`window.kept === true`))
	must(err)
	if !kept {
		t.Errorf("a page the edit did not change was reloaded")
	}

	must(os.WriteFile(src, []byte(strings.Replace(string(orig), "\ndate: ", "\ndate: 2024-13-01\nx: ", 1)), 0o644))
	waitFor(ctx, `(document.getElementById('bulletin-build-error') || {}).textContent?.includes('relief-standard.md:') === true`, "the problem shown over the page")

	must(os.WriteFile(src, orig, 0o644))
	waitFor(ctx, `!document.getElementById('bulletin-build-error') && document.querySelector('h1').textContent.includes('青海省提高')`, "the page reloaded clean after the fix")
}

// TestBrowserLiveManyTabs keeps eight pages of one serve open in
// Chromium, more than the six connections a browser opens to one server:
// every page loads, one event stream serves them all, and every page gets
// a rebuild's reload and a broken file's problems. When the tab holding
// the stream closes, another takes it over and the next reload still
// reaches the rest.
func TestBrowserLiveManyTabs(t *testing.T) {
	ctx := chromium(t)
	dir := copySample(t)
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	base := "http://" + startServe(t, sctx, dir)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	type tab struct {
		ctx    context.Context
		mu     sync.Mutex
		open   map[network.RequestID]bool // event streams the tab holds open
		closed bool
	}
	const n = 8
	tabs := make([]*tab, n)
	for i := range tabs {
		tctx, cancel := chromedp.NewContext(ctx)
		defer cancel()
		tb := &tab{ctx: tctx, open: map[network.RequestID]bool{}}
		tabs[i] = tb
		must(chromedp.Listen(tctx, func(ev any) {
			tb.mu.Lock()
			defer tb.mu.Unlock()
			switch ev := ev.(type) {
			case *network.EventRequestWillBeSent:
				if ev.Type == network.ResourceTypeEventSource {
					tb.open[ev.RequestID] = true
				}
			case *page.EventFrameNavigated:
				// Chromium reports no end of the streams of the page
				// that a new one replaces.
				if ev.Frame.ParentID == "" {
					clear(tb.open)
				}
			case *network.EventLoadingFinished:
				delete(tb.open, ev.RequestID)
			case *network.EventLoadingFailed:
				delete(tb.open, ev.RequestID)
			}
		}))
		lctx, lcancel := context.WithTimeout(tctx, 15*time.Second)
		err := chromedp.Do(lctx, chromedp.Navigate(fmt.Sprintf("%s/bulletins/qinghai-dibao-standard-2025/?tab=%d", base, i+1)),
			chromedp.WaitReady(chromedp.CSS("h1")))
		lcancel()
		if err != nil {
			t.Fatalf("tab %d of %d did not load within 15 s: %v", i+1, n, err)
		}
	}
	// leaders are the open tabs that hold an event stream: one, once the
	// tabs have settled.
	leaders := func() (holding []*tab) {
		for _, tb := range tabs {
			tb.mu.Lock()
			if !tb.closed && len(tb.open) > 0 {
				holding = append(holding, tb)
			}
			tb.mu.Unlock()
		}
		return holding
	}
	oneLeader := func(when string) *tab {
		t.Helper()
		deadline := time.Now().Add(5 * time.Second)
		for {
			l := leaders()
			if len(l) == 1 {
				return l[0]
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: %d tabs hold an event stream, want 1", when, len(l))
			}
			time.Sleep(50 * time.Millisecond)
		}
	}
	oneLeader("eight tabs open")

	waitAll := func(expr, what string) {
		t.Helper()
		deadline := time.Now().Add(15 * time.Second)
		for i, tb := range tabs {
			if tb.closed {
				continue
			}
			for {
				ok, err := chromedp.Run(tb.ctx, chromedp.Evaluate[bool](expr))
				if err == nil && ok {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("tab %d: %s: not within 15 s (%v)", i+1, what, err)
				}
				time.Sleep(50 * time.Millisecond)
			}
		}
	}
	src := filepath.Join(dir, "content", "qinghai", "2025", "relief-standard.md")
	orig, err := os.ReadFile(src)
	must(err)
	edit := func(title string) {
		t.Helper()
		must(os.WriteFile(src, []byte(strings.Replace(string(orig), "title: 青海省提高", "title: "+title, 1)), 0o644))
		waitAll(`document.querySelector('h1').textContent.includes('`+title+`')`, "the page showing the title "+title)
	}
	edit("青海省再次提高")
	must(os.WriteFile(src, []byte(strings.Replace(string(orig), "\ndate: ", "\ndate: 2024-13-01\nx: ", 1)), 0o644))
	waitAll(`(document.getElementById('bulletin-build-error') || {}).textContent?.includes('relief-standard.md:') === true`, "the problem shown over the page")
	edit("青海省第三次提高")

	// Close the tab holding the stream; another takes it over.
	leader := oneLeader("after three rebuilds")
	must(chromedp.Cancel(leader.ctx))
	leader.mu.Lock()
	leader.closed = true
	leader.mu.Unlock()
	edit("青海省第四次提高")
	oneLeader("after the tab holding the stream closed")
}

// TestBrowserServeStartsWithErrors starts serve on a site with a broken
// bulletin: a page opened in Chromium shows the problem over it from the
// start, and fixing the file takes the overlay away and reloads the page.
func TestBrowserServeStartsWithErrors(t *testing.T) {
	ctx := chromium(t)
	dir := copySample(t)
	bad := filepath.Join(dir, "content", "bad.md")
	broken := "---\ntitle: 错误的通报\ndate: 2024-13-01\nbureau: 青海省民政厅\nslug: bad-date\n---\n正文\n"
	if err := os.WriteFile(bad, []byte(broken), 0o644); err != nil {
		t.Fatal(err)
	}
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	base := "http://" + startServe(t, sctx, dir)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	waitFor := func(expr, what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for {
			ok, err := chromedp.Run(ctx, chromedp.Evaluate[bool](expr))
			if err == nil && ok {
				return
			}
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10 s (%v)", what, err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	must(chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitReady(chromedp.CSS("body"))))
	waitFor(`(document.getElementById('bulletin-build-error') || {}).textContent?.includes('content/bad.md:3:') === true`, "the problem shown over the page")
	_, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`window.kept = true`))
	must(err)
	must(os.WriteFile(bad, []byte(strings.Replace(broken, "2024-13-01", "2024-12-01", 1)), 0o644))
	waitFor(`!document.getElementById('bulletin-build-error') && window.kept === undefined && document.body.textContent.includes('错误的通报')`,
		"the page reloaded clean, with the fixed bulletin, after the fix")
}

// TestBrowserLiveLateListener opens a page that starts listening late:
// another tab holds the event stream, and the page's live-reload script
// is held back until after a rebuild has been announced (as under load,
// when the reader sees the page before its script runs). The page must
// still act on what it missed: the broken file's problems shown over it,
// or its own edit reloaded.
func TestBrowserLiveLateListener(t *testing.T) {
	for _, tc := range []struct {
		name, edit, want string
	}{
		{"problems", "\ndate: 2024-13-01\nx: ",
			`(document.getElementById('bulletin-build-error') || {}).textContent?.includes('relief-standard.md:') === true`},
		{"reload", "title: 青海省再次提高",
			`document.querySelector('h1').textContent.includes('青海省再次提高')`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := chromium(t)
			dir := copySample(t)
			sctx, stop := context.WithCancel(context.Background())
			defer stop()
			base := "http://" + startServe(t, sctx, dir)
			must := func(err error) {
				t.Helper()
				if err != nil {
					t.Fatal(err)
				}
			}
			// The tab that holds the stream, and the late one.
			must(chromedp.Do(ctx, chromedp.Navigate(base+"/categories/"), chromedp.WaitReady(chromedp.CSS("body"))))
			late, cancel := chromedp.NewContext(ctx)
			defer cancel()
			paused := make(chan cdpfetch.RequestID, 1)
			must(chromedp.Listen(late, func(ev any) {
				if ev, ok := ev.(*cdpfetch.EventRequestPaused); ok {
					paused <- ev.RequestID
				}
			}))
			_, err := chromedp.Call(late, cdpfetch.Enable, cdpfetch.EnableParams{Patterns: []*cdpfetch.RequestPattern{{URLPattern: "*/__bulletin/reload.js*"}}})
			must(err)
			// Not chromedp.Navigate: it would wait for the load the held
			// script delays.
			_, err = chromedp.Call(late, page.Navigate, page.NavigateParams{URL: base + "/bulletins/qinghai-dibao-standard-2025/"})
			must(err)
			var script cdpfetch.RequestID
			select {
			case script = <-paused:
			case <-time.After(15 * time.Second):
				t.Fatal("the page did not ask for its live-reload script within 15 s")
			}
			seq := lastEvent(t, base)

			src := filepath.Join(dir, "content", "qinghai", "2025", "relief-standard.md")
			orig, err := os.ReadFile(src)
			must(err)
			old := "\ndate: "
			if tc.name == "reload" {
				old = "title: 青海省提高"
			}
			must(os.WriteFile(src, []byte(strings.Replace(string(orig), old, tc.edit, 1)), 0o644))
			// The rebuild is announced (to the other tab) before the late
			// page listens.
			deadline := time.Now().Add(10 * time.Second)
			for lastEvent(t, base) == seq {
				if time.Now().After(deadline) {
					t.Fatal("serve announced no rebuild within 10 s of the edit")
				}
				time.Sleep(20 * time.Millisecond)
			}
			time.Sleep(200 * time.Millisecond)
			_, err = chromedp.Call(late, cdpfetch.ContinueRequest, cdpfetch.ContinueRequestParams{RequestID: script})
			must(err)
			deadline = time.Now().Add(10 * time.Second)
			for {
				ok, err := chromedp.Run(late, chromedp.Evaluate[bool](tc.want))
				if err == nil && ok {
					break
				}
				if time.Now().After(deadline) {
					t.Fatalf("the late page did not act on the rebuild it missed within 10 s (%v)", err)
				}
				time.Sleep(20 * time.Millisecond)
			}
		})
	}
}

// lastEvent is the number of serve's latest live-reload event, as a page
// served now carries it.
func lastEvent(t *testing.T, base string) string {
	t.Helper()
	_, after, ok := strings.Cut(fetch(t, base+"/"), `data-last="`)
	if !ok {
		t.Fatalf("no live-reload script in the home page served by serve")
	}
	n, _, _ := strings.Cut(after, `"`)
	return n
}

// TestBrowserSuggest types into the header's search box under serve: the
// box offers the completions /api/suggest gives, as an ARIA combobox that
// the keyboard drives (down, up, Escape to close, Enter to search the
// chosen one).
func TestBrowserSuggest(t *testing.T) {
	ctx := chromium(t)
	dir := copySample(t)
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	base := "http://" + startServe(t, sctx, dir)
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	var api struct {
		Suggestions []struct{ Text, Kind string }
	}
	must(json.Unmarshal([]byte(fetch(t, base+"/api/suggest?q="+url.QueryEscape("青海"))), &api))
	if len(api.Suggestions) < 2 {
		t.Fatalf("/api/suggest?q=青海 gives %v; the test needs two or more", api.Suggestions)
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		must(err)
		return v
	}
	waitFor := func(expr, what string) {
		t.Helper()
		deadline := time.Now().Add(10 * time.Second)
		for eval(`String(`+expr+`)`) != "true" {
			if time.Now().After(deadline) {
				t.Fatalf("%s: not within 10 s", what)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	key := func(k string) { t.Helper(); must(chromedp.Do(ctx, chromedp.KeyEvent(k))) }
	box := `document.getElementById('site_search')`
	must(chromedp.Do(ctx, chromedp.Navigate(base+"/"), chromedp.WaitReady(chromedp.CSS("#site_search"))))
	if got := eval(box + `.getAttribute('role') + ' ' + ` + box + `.getAttribute('aria-expanded')`); got != "combobox false" {
		t.Fatalf("the search box before typing: role and aria-expanded %q", got)
	}
	must(chromedp.Do(ctx, chromedp.SendKeys(chromedp.CSS("#site_search"), "青海")))
	waitFor(box+`.getAttribute('aria-expanded') === 'true'`, "the list of completions opening")
	list := `document.getElementById(` + box + `.getAttribute('aria-controls'))`
	var want []string
	for _, s := range api.Suggestions {
		want = append(want, s.Text)
	}
	got := eval(list + `.getAttribute('role') + '|' + Array.from(` + list + `.children).map(li => li.getAttribute('role') + ':' + li.firstChild.textContent).join('|')`)
	if wantDOM := "listbox|option:" + strings.Join(want, "|option:"); got != wantDOM {
		t.Errorf("the list shows %q, want %q", got, wantDOM)
	}
	if vis := eval(`String(` + list + `.getBoundingClientRect().height > 0)`); vis != "true" {
		t.Errorf("the list is not visible")
	}
	active := func() string {
		return eval(`(function () { var id = ` + box + `.getAttribute('aria-activedescendant'); var li = id && document.getElementById(id);
			return li ? li.getAttribute('aria-selected') + ':' + li.firstChild.textContent : 'none'; })()`)
	}
	key(kb.ArrowDown)
	if a := active(); a != "true:"+want[0] {
		t.Errorf("after ↓: active option %q, want the first, %q", a, want[0])
	}
	key(kb.ArrowDown)
	if a := active(); a != "true:"+want[1] {
		t.Errorf("after ↓↓: active option %q, want the second, %q", a, want[1])
	}
	key(kb.ArrowUp)
	if a := active(); a != "true:"+want[0] {
		t.Errorf("after ↓↓↑: active option %q, want the first", a)
	}
	key(kb.Escape)
	if got := eval(box + `.getAttribute('aria-expanded') + ' ' + ` + list + `.hidden + ' ' + ` + box + `.value`); got != "false true 青海" {
		t.Errorf("after Escape: expanded, hidden, value %q, want the list closed and the words kept", got)
	}
	key(kb.ArrowDown)
	if a := active(); a != "true:"+want[0] {
		t.Errorf("↓ after Escape: active option %q, want the first", a)
	}
	key(kb.Enter)
	waitFor(`location.pathname === '/search'`, "Enter searching the chosen completion")
	if loc := eval(`decodeURIComponent(location.search)`); loc != "?q="+want[0] {
		t.Errorf("Enter on %q searched %q", want[0], loc)
	}
}

// TestBrowserSearchUnderstands searches as a reader types under serve: a
// slip is searched as meant, with a link that searches the words as
// typed; a word with synonyms shows their matches after its own, with a
// link to its own only; traditional characters find the simplified text,
// the box keeping what was typed; and the page offers the search's feed.
func TestBrowserSearchUnderstands(t *testing.T) {
	ctx := chromium(t)
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	base := "http://" + startServe(t, sctx, copySample(t))
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	eval := func(expr string) string {
		t.Helper()
		v, err := chromedp.Run(ctx, chromedp.Evaluate[string](expr))
		must(err)
		return v
	}
	// search types q into the page's own search box and presses Enter.
	search := func(q string) {
		t.Helper()
		must(chromedp.Do(ctx,
			chromedp.Navigate(base+"/search"),
			chromedp.WaitVisible(chromedp.CSS(`main form.search-box input[name=q]`)),
			chromedp.SendKeys(chromedp.CSS(`main form.search-box input[name=q]`), q+"\n"),
			chromedp.WaitVisible(chromedp.CSS(`main .search-status`)),
		))
	}
	// follow clicks the link of a message and waits for the next page.
	follow := func(sel string) {
		t.Helper()
		before := eval(`location.href`)
		must(chromedp.Do(ctx, chromedp.Click(chromedp.CSS(sel))))
		deadline := time.Now().Add(10 * time.Second)
		for eval(`location.href`) == before || eval(`document.readyState`) != "complete" {
			if time.Now().After(deadline) {
				t.Fatalf("clicking %s led nowhere within 10 s", sel)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	text := func(sel string) string {
		return eval(`(document.querySelector(` + strconv.Quote(sel) + `) || {}).textContent || ""`)
	}
	hits := func() int {
		n, err := strconv.Atoi(eval(`String(document.querySelectorAll('main .search-hits > li').length)`))
		must(err)
		return n
	}

	// A same-sound slip: searched as meant, and the words as typed on a click.
	search("最低生活保樟")
	if got := text(`.search-correction`); !strings.Contains(got, "以下是“最低生活保障”的搜索结果") {
		t.Errorf("a slip: the page says %q", got)
	}
	if hits() == 0 || !strings.Contains(eval(`Array.from(document.querySelectorAll('main .search-hits mark')).map(m => m.textContent).join('|')`), "最低生活保障") {
		t.Errorf("a slip: %d results, marks %q", hits(), eval(`Array.from(document.querySelectorAll('main mark')).map(m => m.textContent).join('|')`))
	}
	follow(`.search-correction a`)
	if loc := eval(`decodeURIComponent(location.search)`); !strings.Contains(loc, "q=最低生活保樟") || !strings.Contains(loc, "exact=1") {
		t.Errorf("仍然搜索 went to %s", loc)
	}
	// No bulletin has them: at most the bulletins with some of their parts.
	if got, status := text(`.search-correction`), text(`main .search-status p`); got != "" || !strings.HasPrefix(status, "没有") {
		t.Errorf("the words as typed: %q, %q; want no mending, and nothing with every word", got, status)
	}

	// Synonyms: their matches after the word's own, the word's own on a click.
	search("低保")
	widened := hits()
	if got := text(`.search-synonyms`); !strings.Contains(got, "同时显示了“最低生活保障”的结果") {
		t.Errorf("低保: the page says %q", got)
	}
	total := text(`main .search-status p`)
	follow(`.search-synonyms a`)
	if got := text(`.search-synonyms`); got != "" {
		t.Errorf("只搜索“低保” still says %q", got)
	}
	if own := text(`main .search-status p`); own == total || hits() == 0 || hits() > widened {
		t.Errorf("只搜索“低保”: %q (%d on the page), widened %q (%d)", own, hits(), total, widened)
	}

	// Traditional characters.
	search("臨時救助")
	if v := eval(`document.querySelector('main form.search-box input[name=q]').value`); v != "臨時救助" {
		t.Errorf("the box reads %q after searching 臨時救助", v)
	}
	if hits() == 0 || !strings.Contains(eval(`Array.from(document.querySelectorAll('main .search-hits mark')).map(m => m.textContent).join('|')`), "临时救助") {
		t.Errorf("臨時救助: %d results, the text's 临时救助 not marked", hits())
	}
	// Its feed, offered on the page and in its head (there at the site's
	// address).
	feed := eval(`(a => a ? a.pathname + a.search : "")(document.querySelector('a[href*="/search/feed.xml"]'))`)
	head := eval(`(l => l ? new URL(l.href).pathname + new URL(l.href).search : "")(document.querySelector('link[rel=alternate][href*="/search/feed.xml"]'))`)
	if feed != "/search/feed.xml?q=%E8%87%A8%E6%99%82%E6%95%91%E5%8A%A9" || head != feed {
		t.Errorf("订阅此搜索 links to %q, the head to %q", feed, head)
	}
}
