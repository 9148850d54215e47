package serve

import (
	"bytes"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	// Registers -update, unused here, so that go test ./... -update
	// does not stop at this package with an unknown flag.
	_ "bulletin/internal/golden"
)

// bulletinSite has a bulletin's page and files published beside it, as
// they would be if a build let hostile ones through.
var bulletinSite = fstest.MapFS{
	"index.html":                       {Data: []byte("<!DOCTYPE html><title>首页</title>")},
	"404.html":                         {Data: []byte("<!DOCTYPE html><title>页面未找到</title>")},
	"assets/site.js":                   {Data: []byte("// site")},
	"bulletins/a/index.html":           {Data: []byte("<!DOCTYPE html><title>通报</title>")},
	"bulletins/a/report.html":          {Data: []byte(`<script src="pwn.js"></script>`)},
	"bulletins/a/pwn.js":               {Data: []byte("document.title='pwned'")},
	"bulletins/a/chart.svg":            {Data: []byte(`<svg xmlns="http://www.w3.org/2000/svg"><script href="pwn.js"/></svg>`)},
	"bulletins/a/photo.JPG":            {Data: []byte("\xff\xd8\xff\xe0jpeg")},
	"bulletins/a/standard.pdf":         {Data: []byte("%PDF-1.4")},
	"bulletins/a/sub/index.html":       {Data: []byte("<!DOCTYPE html><title>not a page</title>")},
	"bulletins/a/data.csv":             {Data: []byte("a,b\n")},
	"categories/relief/index.html":     {Data: []byte("<!DOCTYPE html><title>社会救助</title>")},
	"categories/relief/attachment.txt": {Data: []byte("not in a bulletin's folder")},
}

// TestAttachmentHeaders: what is published beside a bulletin is served so
// that nothing in it can run: a sandbox policy on every one, and all but
// images as downloads. Pages keep the site's policy.
func TestAttachmentHeaders(t *testing.T) {
	for _, base := range []string{"/", "/news/"} {
		h := Protect(Handler(bulletinSite, base), ProtectOptions{Rate: 1000, Burst: 1000, BasePath: base})
		for _, tc := range []struct {
			path        string
			status      int
			disposition string
			sandboxed   bool
		}{
			{"", 200, "", false},
			{"bulletins/a/", 200, "", false},
			{"bulletins/a/index.html", 200, "", false},
			{"bulletins/a/report.html", 200, "attachment", true},
			{"bulletins/a/pwn.js", 200, "attachment", true},
			{"bulletins/a/standard.pdf", 200, "attachment", true},
			{"bulletins/a/data.csv", 200, "attachment", true},
			{"bulletins/a/sub/index.html", 200, "attachment", true},
			{"bulletins/a/chart.svg", 200, "", true},
			{"bulletins/a/photo.JPG", 200, "", true},
			{"bulletins/a/missing.pdf", 404, "", false},
			{"assets/site.js", 200, "", false},
			{"categories/relief/", 200, "", false},
			{"categories/relief/attachment.txt", 200, "", false},
		} {
			rec := get(t, h, base+tc.path, nil)
			hdr := rec.Header()
			if rec.Code != tc.status {
				t.Errorf("GET %s%s: status %d, want %d", base, tc.path, rec.Code, tc.status)
			}
			if got := hdr.Get("Content-Disposition"); got != tc.disposition {
				t.Errorf("GET %s%s: Content-Disposition %q, want %q", base, tc.path, got, tc.disposition)
			}
			csp := hdr.Values("Content-Security-Policy")
			if len(csp) != 1 {
				t.Errorf("GET %s%s: %d Content-Security-Policy headers %q, want 1", base, tc.path, len(csp), csp)
				continue
			}
			if got := strings.HasPrefix(csp[0], "sandbox;"); got != tc.sandboxed {
				t.Errorf("GET %s%s: Content-Security-Policy %q: sandboxed %v, want %v", base, tc.path, csp[0], got, tc.sandboxed)
			}
			if tc.sandboxed && !strings.Contains(csp[0], "default-src 'none'") {
				t.Errorf("GET %s%s: Content-Security-Policy %q lets the file load things", base, tc.path, csp[0])
			}
			if hdr.Get("X-Content-Type-Options") != "nosniff" {
				t.Errorf("GET %s%s: X-Content-Type-Options %q, want nosniff", base, tc.path, hdr.Get("X-Content-Type-Options"))
			}
		}
	}
}

// TestScriptSources: a page may run scripts from the theme's assets (and
// the live-reload script when serve injects it), never from a bulletin's
// folder, which 'self' would allow. A CSP host-source needs a host, so it
// is the request's, when it is a plain host name or IPv4 address.
func TestScriptSources(t *testing.T) {
	for _, tc := range []struct {
		base, dev, host string
		want            string
	}{
		{"/", "", "minzheng.example.cn", "script-src minzheng.example.cn/assets/;"},
		{"/", "", "127.0.0.1:8080", "script-src 127.0.0.1:8080/assets/;"},
		{"/", "", "LocalHost:8080", "script-src localhost:8080/assets/;"},
		{"/news/", "", "minzheng.example.cn", "script-src minzheng.example.cn/news/assets/;"},
		{"/news/", "/news/__bulletin/reload.js", "127.0.0.1:8080", "script-src 127.0.0.1:8080/news/assets/ 127.0.0.1:8080/news/__bulletin/reload.js;"},
		// Anything else could carry other directives or sources into
		// the policy; no script at all is the safe answer, and every
		// page works without script.
		{"/", "", "", "script-src 'none';"},
		{"/", "", "a.cn;script-src:*", "script-src 'none';"},
		{"/", "", "a.cn/x", "script-src 'none';"},
		{"/", "", "*.a.cn", "script-src 'none';"},
		{"/", "", "a.cn:99999999", "script-src 'none';"},
		{"/", "", "a..cn", "script-src 'none';"},
		{"/", "", "[::1]:8080", "script-src 'none';"}, // CSP host-sources have no IPv6 form
	} {
		h := Protect(Handler(bulletinSite, tc.base), ProtectOptions{Rate: 1000, Burst: 1000, BasePath: tc.base, DevScript: tc.dev})
		req := newRequest(tc.base)
		req.Host = tc.host
		rec := serveRecorded(h, req)
		csp := rec.Header().Get("Content-Security-Policy")
		if !strings.Contains(csp, tc.want) {
			t.Errorf("base %s, dev script %q, Host %q: policy %q, want %q in it", tc.base, tc.dev, tc.host, csp, tc.want)
		}
		if strings.Contains(csp, "script-src 'self'") {
			t.Errorf("Host %q: policy %q lets every file of the site run as script", tc.host, csp)
		}
		if rec.Code != http.StatusOK {
			t.Errorf("Host %q: status %d", tc.host, rec.Code)
		}
	}
}

// TestSlowDownload: a large file outlasts the server's write timeout as
// long as the reader keeps above the floor rate, and a reader that stops
// is cut off once it falls behind it, not at the end of a long deadline.
func TestSlowDownload(t *testing.T) {
	const size = 48 << 20
	site := fstest.MapFS{"bulletins/a/big.pdf": {Data: bytes.Repeat([]byte("x"), size), ModTime: time.Unix(1e9, 0)}}
	// The server's timeout and the floor scaled down: 200 ms, and 24 MB/s
	// or, under /low/, 8 MB/s.
	grace := 200 * time.Millisecond
	mux := http.NewServeMux()
	mux.Handle("/", &static{site: site, grace: grace, minRate: 24 << 20})
	mux.Handle("/low/", http.StripPrefix("/low", &static{site: site, grace: grace, minRate: 8 << 20}))
	finished := make(chan time.Time, 2)
	srv := httptest.NewUnstartedServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		mux.ServeHTTP(w, r)
		finished <- time.Now()
	}))
	srv.Config.WriteTimeout = grace
	srv.Start()
	defer srv.Close()

	// Slow but above the floor: 48 MB at 40 MB/s, about 1.2 s.
	resp, err := http.Get(srv.URL + "/bulletins/a/big.pdf")
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	var got int64
	buf := make([]byte, 256<<10)
	for {
		n, err := resp.Body.Read(buf)
		got += int64(n)
		if err != nil {
			break
		}
		if ahead := time.Duration(float64(got)/(40<<20)*float64(time.Second)) - time.Since(start); ahead > 0 {
			time.Sleep(ahead)
		}
	}
	resp.Body.Close()
	<-finished
	if got != size {
		t.Errorf("a reader at 40 MB/s, above the floor of 24 MB/s, got %d of %d bytes in %s", got, size, time.Since(start).Round(time.Millisecond))
	}

	// A reader that stops after the first bytes, with a floor of 8 MB/s:
	// a deadline of the whole file's time at the floor would hold it
	// for 6 s.
	resp, err = http.Get(srv.URL + "/low/bulletins/a/big.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	start = time.Now()
	resp.Body.Read(buf[:1])
	select {
	case end := <-finished:
		// What the connection's buffers take in counts as sent.
		if took := end.Sub(start); took > 3*time.Second {
			t.Errorf("a stalled reader was cut off after %s, want about the time the buffers' bytes take at the floor", took.Round(time.Millisecond))
		} else {
			t.Logf("a stalled reader was cut off after %s", took.Round(time.Millisecond))
		}
	case <-time.After(10 * time.Second):
		t.Errorf("a stalled reader held the download for 10 s")
	}
}

// TestFeedsToBrowsers: a browser that opens a feed is sent to the feed's
// entry on the subscribe page; a feed reader gets the feed as it is.
func TestFeedsToBrowsers(t *testing.T) {
	site := fstest.MapFS{
		"feed.xml":                    {Data: []byte("<rss/>")},
		"bureaus/qinghai/atom.xml":    {Data: []byte("<feed/>")},
		"tags/dibao/feed.json":        {Data: []byte("{}")},
		"subscribe/index.html":        {Data: []byte("<!DOCTYPE html>")},
		"bureaus/qinghai/index.html":  {Data: []byte("<!DOCTYPE html>")},
		"bureaus/qinghai/sitemap.xml": {Data: []byte("<urlset/>")},
	}
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, tc := range []struct {
		base, path, accept string
		status             int
		location, ctype    string
	}{
		{"/", "/feed.xml", browser, 303, "subscribe/#feed-site", ""},
		{"/", "/bureaus/qinghai/atom.xml", browser, 303, "../../subscribe/#feed-bureaus-qinghai", ""},
		{"/", "/tags/dibao/feed.json", browser, 303, "../../subscribe/#feed-tags-dibao", ""},
		{"/news/", "/news/bureaus/qinghai/atom.xml", browser, 303, "../../subscribe/#feed-bureaus-qinghai", ""},
		{"/", "/feed.xml", "application/rss+xml, text/html;q=0.5", 200, "", "application/rss+xml; charset=utf-8"},
		{"/", "/bureaus/qinghai/atom.xml", "*/*", 200, "", "application/atom+xml; charset=utf-8"},
		{"/", "/tags/dibao/feed.json", "application/feed+json", 200, "", "application/feed+json; charset=utf-8"},
		{"/", "/bureaus/qinghai/sitemap.xml", browser, 200, "", "application/xml; charset=utf-8"},
	} {
		req := httptest.NewRequest("GET", tc.path, nil)
		req.Header.Set("Accept", tc.accept)
		rec := httptest.NewRecorder()
		Handler(site, tc.base).ServeHTTP(rec, req)
		if rec.Code != tc.status || rec.Header().Get("Location") != tc.location ||
			tc.ctype != "" && rec.Header().Get("Content-Type") != tc.ctype {
			t.Errorf("GET %s%s (Accept %s): %d, Location %q, Content-Type %q; want %d, %q, %q", tc.base, tc.path, tc.accept,
				rec.Code, rec.Header().Get("Location"), rec.Header().Get("Content-Type"), tc.status, tc.location, tc.ctype)
		}
		if strings.HasSuffix(tc.path, ".xml") && !strings.HasSuffix(tc.path, "sitemap.xml") || strings.HasSuffix(tc.path, ".json") {
			if !strings.Contains(rec.Header().Get("Vary"), "Accept") {
				t.Errorf("GET %s: Vary %q, want Accept", tc.path, rec.Header().Get("Vary"))
			}
		}
	}
}
