package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"sync"
	"testing"
	"time"
)

// lockedBuffer is a bytes.Buffer that serve's goroutines may write while
// a test reads it.
type lockedBuffer struct {
	mu  sync.Mutex
	buf bytes.Buffer
}

func (b *lockedBuffer) Write(p []byte) (int, error) {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.Write(p)
}

func (b *lockedBuffer) String() string {
	b.mu.Lock()
	defer b.mu.Unlock()
	return b.buf.String()
}

// TestServeTrustProxy: X-Forwarded-For counts only from the proxies
// -trust-proxy names, and then only the address the proxy wrote; a client
// on this machine cannot escape the rate limit or forge the access log by
// rotating the header.
func TestServeTrustProxy(t *testing.T) {
	dir := copySample(t)
	for _, tc := range []struct {
		name    string
		args    []string
		forward func(i int) string
		refused int // at least, of 20 quick requests with a burst of 5
		logged  string
	}{
		{"no proxy trusted", nil, func(i int) string { return fmt.Sprintf("203.0.113.%d", i) }, 14, `"client":"127.0.0.1"`},
		{"a trusted proxy forwarding readers", []string{"-trust-proxy", "127.0.0.1,::1"}, func(i int) string { return fmt.Sprintf("203.0.113.%d", i) }, 0, `"client":"203.0.113.19"`},
		{"a reader forging entries before the proxy's", []string{"-trust-proxy", "127.0.0.0/8"}, func(i int) string { return fmt.Sprintf("198.51.100.%d, 203.0.113.7", i) }, 14, `"client":"203.0.113.7"`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx, cancel := context.WithCancel(context.Background())
			defer cancel()
			var log lockedBuffer
			args := append([]string{"-s", dir, "-q=false", "-watch=false", "-rate", "1", "-burst", "5"}, tc.args...)
			base := "http://" + startServeStderr(t, ctx, &log, args...)
			refused := 0
			for i := range 20 {
				req, _ := http.NewRequest("GET", base+"/robots.txt", nil)
				req.Header.Set("X-Forwarded-For", tc.forward(i))
				resp, err := http.DefaultClient.Do(req)
				if err != nil {
					t.Fatal(err)
				}
				resp.Body.Close()
				if resp.StatusCode == http.StatusTooManyRequests {
					refused++
				}
			}
			if refused < tc.refused || (tc.refused == 0 && refused > 0) {
				t.Errorf("%d of 20 quick requests refused, want %d or more (0 if 0)", refused, tc.refused)
			}
			if got := log.String(); !strings.Contains(got, tc.logged) || strings.Contains(got, `"client":"198.51.100.`) {
				t.Errorf("access log lacks %s or has a forged address:\n%s", tc.logged, got)
			}
		})
	}
}

// TestServeOverlayPaths: the problems an open page shows name files as
// the site knows them, content/bad.md:3, never by the folders of the
// machine serve runs on, which any reader of a page may see.
func TestServeOverlayPaths(t *testing.T) {
	dir := copySample(t) // an absolute path
	if !filepath.IsAbs(dir) {
		t.Fatalf("the site's folder %s is not absolute", dir)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var stderr lockedBuffer
	base := "http://" + startServeStderr(t, ctx, &stderr, "-s", dir)
	events := listen(t, ctx, base+"/__bulletin/events")
	os.WriteFile(filepath.Join(dir, "content", "bad.md"), []byte("---\ntitle: 错误\ndate: 2024-13-01\nbureau: 青海省民政厅\n---\n正文\n"), 0o644)
	timeout := time.After(15 * time.Second)
	for {
		select {
		case ev := <-events:
			if ev.name != "problems" {
				continue
			}
			if !strings.HasPrefix(ev.data, "content/bad.md:3: ") || strings.Contains(ev.data, dir) {
				t.Errorf("problems shown over pages:\n%s\nwant them from content/bad.md:3:, without %s", ev.data, dir)
			}
			// The terminal keeps the paths the user can open.
			if want := filepath.Join(dir, "content", "bad.md") + ":3: "; !strings.Contains(stderr.String(), want) {
				t.Errorf("serve's standard error lacks %s:\n%s", want, stderr.String())
			}
			return
		case <-timeout:
			t.Fatal("no problems event within 15 s")
		}
	}
}

// TestServeStartsWithErrors: serve on a site that has errors starts all
// the same, with what builds (every bulletin but the broken ones, or an
// empty site when site.yaml itself is broken), and open pages show the
// problems from the start; fixing the file rebuilds and reloads them.
func TestServeStartsWithErrors(t *testing.T) {
	t.Run("a bulletin with a bad date", func(t *testing.T) {
		dir := copySample(t)
		bad := filepath.Join(dir, "content", "bad.md")
		broken := "---\ntitle: 错误的通报\ndate: 2024-13-01\nbureau: 青海省民政厅\nslug: bad-date\n---\n正文\n"
		if err := os.WriteFile(bad, []byte(broken), 0o644); err != nil {
			t.Fatal(err)
		}
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var stderr lockedBuffer
		base := "http://" + startServeStderr(t, ctx, &stderr, "-s", dir)
		if want := filepath.Join(dir, "content", "bad.md") + ":3: "; !strings.Contains(stderr.String(), want) {
			t.Errorf("serve's standard error lacks %s:\n%s", want, stderr.String())
		}
		if body := fetch(t, base+"/bulletins/qinghai-dibao-standard-2025/"); !strings.Contains(body, "青海省提高") || !strings.Contains(body, "/__bulletin/reload.js") {
			t.Errorf("a good bulletin's page is not served with the reload script")
		}
		resp, err := http.Get(base + "/bulletins/bad-date/")
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		if resp.StatusCode != http.StatusNotFound {
			t.Errorf("the broken bulletin's page: %d, want 404", resp.StatusCode)
		}
		events := listen(t, ctx, base+"/__bulletin/events")
		expect(t, events, "problems", `content/bad.md:3: date "2024-13-01" is not a valid date`)

		os.WriteFile(bad, []byte(strings.Replace(broken, "2024-13-01", "2024-12-01", 1)), 0o644)
		expect(t, events, "reload", "/bulletins/bad-date/")
		if body := fetch(t, base+"/bulletins/bad-date/"); !strings.Contains(body, "错误的通报") {
			t.Errorf("the fixed bulletin's page is not served")
		}
	})
	t.Run("a broken site.yaml", func(t *testing.T) {
		dir := copySample(t)
		cfg := filepath.Join(dir, "site.yaml")
		orig, err := os.ReadFile(cfg)
		if err != nil {
			t.Fatal(err)
		}
		os.WriteFile(cfg, []byte(strings.Replace(string(orig), "paginate: 10", "paginate: 0", 1)), 0o644)
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		var stderr lockedBuffer
		defer func() {
			if t.Failed() {
				t.Logf("serve's standard error:\n%s", stderr.String())
			}
		}()
		base := "http://" + startServeStderr(t, ctx, &stderr, "-s", dir, "-q=false", "-access-log=false")
		if body := fetch(t, base+"/"); !strings.Contains(body, "/__bulletin/reload.js") {
			t.Errorf("the home page is not served with the reload script:\n%s", body)
		}
		events := listen(t, ctx, base+"/__bulletin/events")
		expect(t, events, "problems", "site.yaml:")

		os.WriteFile(cfg, orig, 0o644)
		expect(t, events, "reload", "/")
		if body := fetch(t, base+"/bulletins/qinghai-dibao-standard-2025/"); !strings.Contains(body, "青海省提高") {
			t.Errorf("the bulletins are not served once site.yaml is fixed")
		}
	})
}

// TestFeedOpensItsSubscribeEntry opens every feed the subscribe page lists
// as a browser would, under serve: each sends the browser to an entry of
// that page, the one listing it.
func TestFeedOpensItsSubscribeEntry(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	// Some 150 requests at once: above the rate one reader is allowed.
	base := "http://" + startServeArgs(t, ctx, "-s", copySampleWithDigests(t), "-rate", "1000", "-burst", "1000")
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	page := fetch(t, base+"/subscribe/")
	feeds := regexp.MustCompile(`href="([^"]*/(?:feed\.xml|atom\.xml|feed\.json))"`).FindAllStringSubmatch(page, -1)
	if len(feeds) < 20 {
		t.Fatalf("the subscribe page lists %d feeds", len(feeds))
	}
	for _, m := range feeds {
		u, err := url.Parse(m[1])
		if err != nil {
			t.Fatal(err)
		}
		req, _ := http.NewRequest("GET", base+u.Path, nil)
		req.Header.Set("Accept", "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8")
		resp, err := client.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		loc, err := req.URL.Parse(resp.Header.Get("Location"))
		if resp.StatusCode != http.StatusSeeOther || err != nil || loc.Path != "/subscribe/" {
			t.Errorf("%s: %d to %q", u.Path, resp.StatusCode, resp.Header.Get("Location"))
			continue
		}
		entry := regexp.MustCompile(`(?s)<li id="` + regexp.QuoteMeta(loc.Fragment) + `">.*?</li>`).FindString(page)
		if !strings.Contains(entry, `href="`+u.Path+`"`) {
			t.Errorf("%s: sent to #%s, which does not list it", u.Path, loc.Fragment)
		}
	}
}
