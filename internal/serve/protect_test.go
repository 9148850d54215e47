package serve

import (
	"bytes"
	"compress/gzip"
	"fmt"
	"io"
	"log/slog"
	"net/http"
	"net/http/httptest"
	"net/netip"
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
	loopback, err := ParseProxies("127.0.0.1,::1")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		name    string
		trusted []netip.Prefix
		remote  string
		forward func(i int) string // X-Forwarded-For of the i-th request
		refused int                // of 20 quick requests, with a burst of 5
	}{
		{"a reader", nil, "192.0.2.1:1234", nil, 15},
		// Without -trust-proxy, the header is the client's word: a
		// local client rotating it is still one client.
		{"rotating X-Forwarded-For, no proxy trusted", nil, "127.0.0.1:5555", func(i int) string { return fmt.Sprintf("203.0.113.%d", i) }, 15},
		{"rotating X-Forwarded-For from an untrusted address", loopback, "192.0.2.9:5555", func(i int) string { return fmt.Sprintf("203.0.113.%d", i) }, 15},
		// Behind a trusted proxy, each forwarded address is a client.
		{"readers behind a trusted proxy", loopback, "127.0.0.1:5555", func(i int) string { return fmt.Sprintf("203.0.113.%d", i) }, 0},
		{"readers behind a trusted proxy on ::1", loopback, "[::1]:5555", func(i int) string { return fmt.Sprintf("2001:db8::%d", i+1) }, 0},
		// ...and what a reader writes left of the proxy's entry is not.
		{"a reader forging entries before the proxy's", loopback, "127.0.0.1:5555", func(i int) string { return fmt.Sprintf("198.51.100.%d, 203.0.113.7", i) }, 15},
	} {
		h := Protect(Handler(testSite, "/"), ProtectOptions{Rate: 1, Burst: 5, TrustProxy: tc.trusted})
		refused := 0
		for i := range 20 {
			req := newRequest("/")
			req.RemoteAddr = tc.remote
			if tc.forward != nil {
				req.Header.Set("X-Forwarded-For", tc.forward(i))
			}
			if serveRecorded(h, req).Code == http.StatusTooManyRequests {
				refused++
			}
		}
		if refused != tc.refused {
			t.Errorf("%s: %d of 20 quick requests refused, want %d", tc.name, refused, tc.refused)
		}
		// Another reader is not affected by the greedy one.
		req := newRequest("/")
		req.RemoteAddr = "198.51.100.200:999"
		if code := serveRecorded(h, req).Code; code != 200 {
			t.Errorf("%s: another client got %d", tc.name, code)
		}
	}
}

func TestClientAddr(t *testing.T) {
	trusted, err := ParseProxies("127.0.0.1, ::1,10.0.0.0/8")
	if err != nil {
		t.Fatal(err)
	}
	for _, tc := range []struct {
		remote  string
		forward []string // X-Forwarded-For lines
		want    string
	}{
		{"192.0.2.1:1234", nil, "192.0.2.1"},
		{"192.0.2.1:1234", []string{"203.0.113.1"}, "192.0.2.1"},
		{"127.0.0.1:1234", nil, "127.0.0.1"},
		{"127.0.0.1:1234", []string{"203.0.113.1"}, "203.0.113.1"},
		{"127.0.0.1:1234", []string{" 203.0.113.1 "}, "203.0.113.1"},
		{"[::1]:1234", []string{"2001:db8::1"}, "2001:db8::1"},
		{"127.0.0.1:1234", []string{"::ffff:203.0.113.1"}, "203.0.113.1"},
		{"127.0.0.1:1234", []string{"203.0.113.1:4711"}, "203.0.113.1"},
		// The right-most entry that is no trusted proxy: a CDN's or load
		// balancer's address in 10/8 is skipped, the reader's left of it
		// taken, and what the reader wrote further left ignored.
		{"127.0.0.1:1234", []string{"198.51.100.1, 203.0.113.1, 10.1.2.3"}, "203.0.113.1"},
		{"127.0.0.1:1234", []string{"198.51.100.1, 203.0.113.1", "10.1.2.3"}, "203.0.113.1"},
		{"127.0.0.1:1234", []string{"10.9.9.9, 10.1.2.3"}, "10.9.9.9"},
		// What no proxy would write ends the walk at the last trusted hop.
		{"127.0.0.1:1234", []string{"unknown"}, "127.0.0.1"},
		{"127.0.0.1:1234", []string{"203.0.113.1, bogus, 10.1.2.3"}, "10.1.2.3"},
		{"127.0.0.2:1234", []string{"203.0.113.1"}, "127.0.0.2"},
	} {
		req := newRequest("/")
		req.RemoteAddr = tc.remote
		for _, f := range tc.forward {
			req.Header.Add("X-Forwarded-For", f)
		}
		if got := clientAddr(req, trusted); got != tc.want {
			t.Errorf("from %s with X-Forwarded-For %q: client %s, want %s", tc.remote, tc.forward, got, tc.want)
		}
	}
}

func TestParseProxies(t *testing.T) {
	for _, tc := range []struct {
		list, want, err string
	}{
		{"127.0.0.1", "[127.0.0.1/32]", ""},
		{"127.0.0.1,::1", "[127.0.0.1/32 ::1/128]", ""},
		{" 10.0.0.0/8 , 192.168.1.7/16,", "[10.0.0.0/8 192.168.0.0/16]", ""},
		{"::ffff:127.0.0.1", "[127.0.0.1/32]", ""},
		{"localhost", "", `"localhost" is neither an IP address nor a CIDR prefix`},
		{"127.0.0.1,10.0.0.0/33", "", `"10.0.0.0/33" is neither`},
	} {
		got, err := ParseProxies(tc.list)
		if tc.err != "" {
			if err == nil || !strings.Contains(err.Error(), tc.err) {
				t.Errorf("ParseProxies(%q): error %v, want %q", tc.list, err, tc.err)
			}
			continue
		}
		if err != nil || fmt.Sprint(got) != tc.want {
			t.Errorf("ParseProxies(%q) = %v, %v; want %s", tc.list, got, err, tc.want)
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
