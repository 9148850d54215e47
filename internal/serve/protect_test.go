package serve

import (
	"bytes"
	"compress/gzip"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"strings"
	"testing"
	"testing/fstest"
)

var testSite = fstest.MapFS{
	"index.html":       {Data: []byte("<!DOCTYPE html><title>首页</title>" + strings.Repeat("<p>民政信息</p>", 200))},
	"404.html":         {Data: []byte("<!DOCTYPE html><title>页面未找到</title>")},
	"assets/style.css": {Data: []byte("body{color:#222}")},
	"a/b.png":          {Data: []byte("\x89PNG\r\n\x1a\nimage")},
	"feed.xml":         {Data: []byte(`<?xml version="1.0"?><rss version="2.0"></rss>`)},
}

func get(t *testing.T, h http.Handler, target string, header map[string]string) *httptest.ResponseRecorder {
	t.Helper()
	req := newRequest(target)
	for k, v := range header {
		req.Header.Set(k, v)
	}
	return serveRecorded(h, req)
}

// newRequest is a GET of target from a reader's address.
func newRequest(target string) *http.Request {
	req := httptest.NewRequest("GET", target, nil)
	req.RemoteAddr = "192.0.2.1:1234"
	return req
}

func serveRecorded(h http.Handler, req *http.Request) *httptest.ResponseRecorder {
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	return rec
}

func TestProtectHeadersAndPaths(t *testing.T) {
	h := Protect(Handler(testSite, "/"), ProtectOptions{Rate: 1000, Burst: 1000})
	for _, tc := range []struct {
		target string
		status int
	}{
		{"/", 200},
		{"/assets/style.css", 200},
		{"/nope/", 404},
		{"/a/", 404}, // no directory listing
		{"/a/../index.html", 400},
		{"/%2e%2e/%2e%2e/etc/passwd", 400},
		{"/a%2f..%2f..%2fetc/passwd", 400},
		{"/a/..%5c..%5cetc", 400},
		{"/index.html%00.png", 400},
	} {
		rec := get(t, h, tc.target, nil)
		if rec.Code != tc.status {
			t.Errorf("GET %s: %d, want %d", tc.target, rec.Code, tc.status)
		}
		for _, hdr := range []string{"Content-Security-Policy", "X-Content-Type-Options", "Referrer-Policy"} {
			if rec.Header().Get(hdr) == "" {
				t.Errorf("GET %s: no %s", tc.target, hdr)
			}
		}
		if csp := rec.Header().Get("Content-Security-Policy"); strings.Contains(csp, "script-src 'self' 'unsafe-inline'") {
			t.Errorf("CSP allows inline script: %s", csp)
		}
	}
	if cc := get(t, h, "/assets/style.css", nil).Header().Get("Cache-Control"); cc != "public, max-age=3600" {
		t.Errorf("asset Cache-Control = %q", cc)
	}
	if cc := get(t, h, "/", nil).Header().Get("Cache-Control"); cc != "no-cache" {
		t.Errorf("page Cache-Control = %q", cc)
	}
}

func TestProtectGzip(t *testing.T) {
	h := Protect(Handler(testSite, "/"), ProtectOptions{Rate: 1000, Burst: 1000})
	plain := get(t, h, "/", nil)
	zipped := get(t, h, "/", map[string]string{"Accept-Encoding": "gzip, br"})
	if zipped.Header().Get("Content-Encoding") != "gzip" || !strings.Contains(zipped.Header().Get("Vary"), "Accept-Encoding") {
		t.Fatalf("no gzip: %v", zipped.Header())
	}
	zr, err := gzip.NewReader(zipped.Body)
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(zr)
	if !bytes.Equal(body, plain.Body.Bytes()) {
		t.Errorf("gzip body differs from the plain one")
	}
	if zipped.Body.Len() >= plain.Body.Len() {
		t.Errorf("compressed %d bytes, plain %d", zipped.Body.Len(), plain.Body.Len())
	}
	ptag, ztag := plain.Header().Get("ETag"), zipped.Header().Get("ETag")
	if ptag == "" || ztag == ptag || !strings.HasSuffix(ztag, `-gz"`) {
		t.Errorf("ETags: plain %s, gzip %s", ptag, ztag)
	}
	// Revalidation of either copy answers 304 with that copy's tag.
	for _, tc := range []struct{ tag, enc string }{{ptag, ""}, {ztag, "gzip"}} {
		rec := get(t, h, "/", map[string]string{"If-None-Match": tc.tag, "Accept-Encoding": tc.enc})
		if rec.Code != http.StatusNotModified || rec.Header().Get("ETag") != tc.tag || rec.Body.Len() != 0 {
			t.Errorf("If-None-Match %s (%q): %d, ETag %s", tc.tag, tc.enc, rec.Code, rec.Header().Get("ETag"))
		}
	}
	if png := get(t, h, "/a/b.png", map[string]string{"Accept-Encoding": "gzip"}); png.Header().Get("Content-Encoding") != "" {
		t.Errorf("an image was compressed")
	}
	if nf := get(t, h, "/missing", map[string]string{"Accept-Encoding": "gzip"}); nf.Code != 404 || nf.Header().Get("Content-Encoding") != "gzip" {
		t.Errorf("404 page: %d %v", nf.Code, nf.Header())
	}
}

func TestProtectRateLimit(t *testing.T) {
	h := Protect(Handler(testSite, "/"), ProtectOptions{Rate: 1, Burst: 5, TrustProxy: true})
	greedy := 0
	for range 20 {
		if get(t, h, "/", nil).Code == http.StatusTooManyRequests {
			greedy++
		}
	}
	if greedy != 15 {
		t.Errorf("%d of 20 quick requests refused, want 15 (burst 5)", greedy)
	}
	// Another reader is not affected by the greedy one.
	req := httptest.NewRequest("GET", "/", nil)
	req.RemoteAddr = "198.51.100.7:999"
	rec := httptest.NewRecorder()
	h.ServeHTTP(rec, req)
	if rec.Code != 200 {
		t.Errorf("another client got %d", rec.Code)
	}
	// Behind a proxy on loopback, the forwarded address is the client.
	for i := range 10 {
		req := httptest.NewRequest("GET", "/", nil)
		req.RemoteAddr = "127.0.0.1:5555"
		req.Header.Set("X-Forwarded-For", "203.0.113."+string(rune('1'+i)))
		rec := httptest.NewRecorder()
		h.ServeHTTP(rec, req)
		if rec.Code != 200 {
			t.Errorf("proxied client %d got %d", i, rec.Code)
		}
	}
}

func TestProtectAccessLog(t *testing.T) {
	var buf bytes.Buffer
	log := slog.New(slog.NewJSONHandler(&buf, nil))
	h := Protect(Handler(testSite, "/"), ProtectOptions{Log: log})
	get(t, h, "/nope?q=1", map[string]string{"User-Agent": "test-agent"})
	line := buf.String()
	for _, want := range []string{`"msg":"request"`, `"client":"192.0.2.1"`, `"method":"GET"`, `"path":"/nope?q=1"`, `"status":404`, `"agent":"test-agent"`, `"took":`} {
		if !strings.Contains(line, want) {
			t.Errorf("access log lacks %s: %s", want, line)
		}
	}
}
