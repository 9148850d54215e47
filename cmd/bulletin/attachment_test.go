package main

import (
	"context"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/chromedp/cdproto/browser"
	"github.com/chromedp/chromedp"
)

// hostileSlug is the bulletin of the sample site that the attachment
// tests plant hostile files beside.
const hostileSlug = "qinghai-dibao-standard-2025"

// plantHostile writes into a built site what a build refuses to publish
// but a bureau's account in the wrong hands would want beside its
// bulletin: an HTML report with inline and external script, a script, and
// an SVG with both; and it makes the bulletin's page itself load the
// script, as a flaw in the theme or the Markdown filter might. Each script
// logs a BULLETIN-XSS marker, which scriptWatch sees.
func plantHostile(t *testing.T, public string) {
	t.Helper()
	dir := filepath.Join(public, "bulletins", hostileSlug)
	files := map[string]string{
		"report.html": `<!DOCTYPE html><title>report</title><script>console.log("BULLETIN-XSS report.html inline")</script><script src="pwn.js"></script>`,
		"pwn.js":      `console.log("BULLETIN-XSS pwn.js");`,
		"chart.svg": `<svg xmlns="http://www.w3.org/2000/svg" width="40" height="40"><rect width="40" height="40" fill="red"/>` +
			`<script>console.log("BULLETIN-XSS chart.svg inline")</script><script href="pwn.js"/></svg>`,
	}
	for name, data := range files {
		if err := os.WriteFile(filepath.Join(dir, name), []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	page := filepath.Join(dir, "index.html")
	data, err := os.ReadFile(page)
	if err != nil {
		t.Fatal(err)
	}
	planted := strings.Replace(string(data), "</head>", `<script src="/bulletins/`+hostileSlug+`/pwn.js"></script></head>`, 1)
	if planted == string(data) {
		t.Fatalf("%s has no </head>", page)
	}
	if err := os.WriteFile(page, []byte(planted), 0o644); err != nil {
		t.Fatal(err)
	}
}

// attachmentCase is one planted file: how it must be served, and whether
// Chromium must download it rather than open it.
type attachmentCase struct {
	path     string
	download bool // Content-Disposition: attachment, and a download in Chromium
	sandbox  bool // the sandbox policy instead of the page's
}

var attachmentCases = []attachmentCase{
	{"/bulletins/" + hostileSlug + "/report.html", true, true},
	{"/bulletins/" + hostileSlug + "/pwn.js", true, true},
	{"/bulletins/" + hostileSlug + "/chart.svg", false, true},
	{"/bulletins/" + hostileSlug + "/", false, false}, // the page loading pwn.js
}

// checkAttachmentHeaders checks over HTTP how base serves each planted
// file: a sandbox policy and, for all but images, a download; the page
// keeps the site's policy, whose scripts come from /assets/ only.
func checkAttachmentHeaders(t *testing.T, base string) {
	t.Helper()
	host := strings.TrimPrefix(base, "http://")
	for _, tc := range attachmentCases {
		resp, err := http.Get(base + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusOK {
			t.Errorf("GET %s: status %d, want 200", tc.path, resp.StatusCode)
		}
		disposition := resp.Header.Get("Content-Disposition")
		if got := strings.HasPrefix(disposition, "attachment"); got != tc.download {
			t.Errorf("GET %s: Content-Disposition %q, want a download: %v", tc.path, disposition, tc.download)
		}
		csp := resp.Header.Values("Content-Security-Policy")
		if len(csp) != 1 {
			t.Errorf("GET %s: Content-Security-Policy %q, want one", tc.path, csp)
			continue
		}
		if got := strings.HasPrefix(csp[0], "sandbox;") && strings.Contains(csp[0], "default-src 'none'"); got != tc.sandbox {
			t.Errorf("GET %s: Content-Security-Policy %q: sandboxed %v, want %v", tc.path, csp[0], got, tc.sandbox)
		}
		if !tc.sandbox && !strings.Contains(csp[0], "script-src "+host+"/assets/") {
			t.Errorf("GET %s: Content-Security-Policy %q, want scripts from %s/assets/ only", tc.path, csp[0], host)
		}
	}
}

// checkNoAttachmentScript opens each planted file in Chromium from base
// and fails if any of their script runs, if a non-image is not a download,
// or if the page's own script (the theme's site.js) no longer runs.
func checkNoAttachmentScript(t *testing.T, ctx context.Context, base string) {
	t.Helper()
	w := watchScripts(t, ctx)
	downloads := watchDownloads(t, ctx)
	for _, tc := range attachmentCases {
		w.at(base + tc.path)
		tctx, cancel := context.WithTimeout(ctx, 20*time.Second)
		err := chromedp.Do(tctx, chromedp.Navigate(base+tc.path))
		cancel()
		// A navigation that turns into a download is aborted.
		if err != nil && !(tc.download && strings.Contains(err.Error(), "ERR_ABORTED")) {
			t.Errorf("%s: %v", tc.path, err)
		}
		time.Sleep(300 * time.Millisecond) // for scripts and the download's event
		if got := downloads.began(base + tc.path); got != tc.download {
			t.Errorf("%s: downloaded %v, want %v", tc.path, got, tc.download)
		}
		if tc.download {
			continue
		}
		href, err := chromedp.Run(ctx, chromedp.Evaluate[string](`location.href`))
		if err != nil || href != base+tc.path {
			t.Errorf("%s: the browser shows %q (%v)", tc.path, href, err)
		}
	}
	// The page still runs the theme's script: site.js shows the controls
	// that need it.
	shown, err := chromedp.Run(ctx, chromedp.Evaluate[bool](`!document.querySelector('.font-size.needs-js').hidden`))
	if err != nil || !shown {
		t.Errorf("site.js did not run on the bulletin's page (%v)", err)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	if len(w.ran) > 0 {
		t.Errorf("script from attachments ran:\n%s", strings.Join(w.ran, "\n"))
	}
}

// downloadWatch records the URLs whose navigation became a download.
type downloadWatch struct {
	mu   sync.Mutex
	urls map[string]bool
}

func watchDownloads(t *testing.T, ctx context.Context) *downloadWatch {
	t.Helper()
	d := &downloadWatch{urls: map[string]bool{}}
	chromedp.ListenBrowser(ctx, func(ev any) {
		if ev, ok := ev.(*browser.EventDownloadWillBegin); ok {
			d.mu.Lock()
			d.urls[ev.URL] = true
			d.mu.Unlock()
		}
	})
	events := true
	_, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: t.TempDir(), EventsEnabled: &events})
	if err != nil {
		t.Fatal(err)
	}
	return d
}

func (d *downloadWatch) began(url string) bool {
	d.mu.Lock()
	defer d.mu.Unlock()
	return d.urls[url]
}

// checkControl serves public as a plain file server would, and requires
// the planted files to run script there: otherwise the checks above could
// not fail.
func checkControl(t *testing.T, ctx context.Context, public string) {
	t.Helper()
	plain := httptest.NewServer(http.FileServer(http.Dir(public)))
	defer plain.Close()
	w := watchScripts(t, ctx)
	for _, tc := range attachmentCases {
		w.at(tc.path)
		if err := chromedp.Do(ctx, chromedp.Navigate(plain.URL+tc.path), chromedp.Sleep(200*time.Millisecond)); err != nil {
			t.Fatalf("%s served plainly: %v", tc.path, err)
		}
	}
	w.mu.Lock()
	ran := strings.Join(w.ran, "\n")
	w.mu.Unlock()
	for _, want := range []string{"report.html inline", "chart.svg inline", "/report.html: console \"BULLETIN-XSS pwn.js\"", "/" + hostileSlug + "/: console \"BULLETIN-XSS pwn.js\""} {
		if !strings.Contains(ran, want) {
			t.Fatalf("served plainly, the planted files did not run script %q; the test cannot see script run:\n%s", want, ran)
		}
	}
	t.Logf("served plainly, the planted files ran:\n%s", ran)
}

// TestBrowserNoAttachmentScriptServe plants hostile files into the site
// bulletin serve serves (with live reload, as by default) and opens them
// in Chromium: none of their script may run, and the non-images must be
// downloads.
func TestBrowserNoAttachmentScriptServe(t *testing.T) {
	ctx := chromium(t)
	// serve builds into a folder under TMPDIR; planting needs to find it.
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	base := "http://" + startServe(t, sctx, copySample(t))
	publics, _ := filepath.Glob(filepath.Join(tmp, "bulletin-serve-*", "site"))
	if len(publics) != 1 {
		t.Fatalf("serve's output folder: found %q", publics)
	}
	plantHostile(t, publics[0])

	checkControl(t, ctx, publics[0])
	checkAttachmentHeaders(t, base)
	checkNoAttachmentScript(t, ctx, base)
}

// TestBrowserNoAttachmentScriptNginx is TestBrowserNoAttachmentScriptServe
// for the production setup: a built site served by nginx with
// deploy/nginx.conf.
func TestBrowserNoAttachmentScriptNginx(t *testing.T) {
	ctx := chromium(t)
	dir := copySample(t)
	public := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", public); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	plantHostile(t, public)
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	base := startNginx(t, public, startServe(t, sctx, dir))

	checkControl(t, ctx, public)
	checkAttachmentHeaders(t, base)
	checkNoAttachmentScript(t, ctx, base)
}

// TestBrowserDownloadName clicks an attachment whose name is Chinese, as a
// reader would, and checks that Chromium saves it under that name, not the
// ASCII one it is published under.
func TestBrowserDownloadName(t *testing.T) {
	ctx := chromium(t)
	dir := copySample(t)
	bulletin := filepath.Join(dir, "content", "qinghai", "2025", "relief-standard.md")
	src, err := os.ReadFile(bulletin)
	if err != nil {
		t.Fatal(err)
	}
	linked := strings.Replace(string(src), "(relief-standard.pdf)", "(低保标准调整表.pdf)", 1)
	if linked == string(src) {
		t.Fatal("the sample bulletin no longer links relief-standard.pdf")
	}
	os.WriteFile(bulletin, []byte(linked), 0o644)
	copyFile(t, filepath.Join(dir, "content", "qinghai", "2025", "relief-standard.pdf"), filepath.Join(dir, "content", "qinghai", "2025", "低保标准调整表.pdf"))
	sctx, stop := context.WithCancel(context.Background())
	defer stop()
	base := "http://" + startServe(t, sctx, dir)

	names := make(chan string, 1)
	chromedp.ListenBrowser(ctx, func(ev any) {
		if ev, ok := ev.(*browser.EventDownloadWillBegin); ok {
			select {
			case names <- ev.SuggestedFilename:
			default:
			}
		}
	})
	events := true
	if _, err := chromedp.CallBrowser(ctx, browser.SetDownloadBehavior, browser.SetDownloadBehaviorParams{
		Behavior: browser.SetDownloadBehaviorBehaviorAllowAndName, DownloadPath: t.TempDir(), EventsEnabled: &events}); err != nil {
		t.Fatal(err)
	}
	if err := chromedp.Do(ctx,
		chromedp.Navigate(base+"/bulletins/"+hostileSlug+"/"),
		chromedp.Click(chromedp.CSS(`article a[href$=".pdf"]`)),
	); err != nil {
		t.Fatal(err)
	}
	select {
	case name := <-names:
		if name != "低保标准调整表.pdf" {
			t.Errorf("the attachment downloads as %q, want 低保标准调整表.pdf", name)
		}
	case <-time.After(10 * time.Second):
		t.Fatal("clicking the attachment started no download")
	}
}
