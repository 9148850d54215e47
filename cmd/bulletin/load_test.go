package main

import (
	"context"
	"fmt"
	"io"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"bulletin/internal/sitetest"
)

// TestLoad runs bulletin serve on a generated site and sends it a mix of
// page, feed and search requests from many concurrent clients, on loopback
// only, for a bounded time. Each client is a reader behind the documented
// nginx (its own X-Forwarded-For, which serve trusts from loopback with
// -trust-proxy as documented, under serve's default per-client rate limit) who pauses between requests, half a second on average. It
// reports requests per second, latency percentiles per kind and errors,
// and fails on any error or when search's p99 is over budget. It measures
// once the machine is quiet (other packages' tests done), waiting up to
// three minutes.
// BULLETIN_LOAD_BULLETINS, BULLETIN_LOAD_CLIENTS, BULLETIN_LOAD_SECONDS and
// BULLETIN_LOAD_THINK_MS change its size (default 10,000, 200, 30 and
// 500); a think time of 1 ms measures what the server does at saturation.
func TestLoad(t *testing.T) {
	if testing.Short() {
		t.Skip("a 30-second load test; skipped with -short")
	}
	sitetest.TakeTurn(t)
	n := envInt("BULLETIN_LOAD_BULLETINS", 10000)
	clients := envInt("BULLETIN_LOAD_CLIENTS", 200)
	seconds := envInt("BULLETIN_LOAD_SECONDS", 30)
	think := time.Duration(envInt("BULLETIN_LOAD_THINK_MS", 500)) * time.Millisecond

	dir := t.TempDir()
	writeSite(t, dir, n)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	start := time.Now()
	base := "http://" + startServeArgs(t, ctx, "-s", dir, "-now", "2026-01-01", "-trust-proxy", "127.0.0.1")
	t.Logf("%d bulletins built, indexed and served in %s", n, time.Since(start).Round(time.Millisecond))

	// What to ask for: bulletin pages and listings from the sitemap,
	// feeds, and searches of words, phrases and filters.
	var pages []string
	resp, err := http.Get(base + "/sitemap.xml")
	if err != nil {
		t.Fatal(err)
	}
	sitemap, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	for _, part := range strings.Split(string(sitemap), "<loc>")[1:] {
		loc, _, _ := strings.Cut(part, "</loc>")
		u, err := url.Parse(loc)
		if err == nil {
			pages = append(pages, u.Path)
		}
	}
	if len(pages) < n {
		t.Fatalf("sitemap lists %d URLs", len(pages))
	}
	// Another package's tests beside it would take the processors the
	// server's latency is measured on.
	sitetest.WaitQuiet(t, 3*time.Minute)

	feeds := []string{"/feed.xml", "/atom.xml", "/feed.json", "/bureaus/qinghai/feed.xml", "/categories/shehuijiuzhu/atom.xml", "/tags/dibao/feed.json"}
	words := []string{"低保", "养老", "社区减负", "慈善信托", "困境儿童", "救助资金", "民生底线", "婚", "2024年", "基层民政服务能力"}
	searches := func(r *rand.Rand) string {
		q := url.Values{"q": {words[r.IntN(len(words))]}}
		switch r.IntN(4) {
		case 0:
			q.Set("q", words[r.IntN(len(words))]+" "+words[r.IntN(len(words))])
		case 1:
			q.Set("region", "青海省")
		case 2:
			q.Set("sort", "date")
		}
		if r.IntN(2) == 0 {
			return "/api/search?" + q.Encode()
		}
		return "/search?" + q.Encode()
	}

	type sample struct {
		kind string
		took time.Duration
	}
	var (
		mu      sync.Mutex
		samples []sample
		errs    []string
	)
	deadline := time.Now().Add(time.Duration(seconds) * time.Second)
	client := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{MaxIdleConnsPerHost: clients}}
	var wg sync.WaitGroup
	for c := range clients {
		wg.Go(func() {
			r := rand.New(rand.NewPCG(uint64(c), 9))
			// An address from the benchmarking range, only ever a header.
			forwarded := fmt.Sprintf("198.18.%d.%d", c/250, c%250+1)
			var mine []sample
			for time.Now().Before(deadline) {
				time.Sleep(time.Duration(r.ExpFloat64() * float64(think)))
				kind, path := "page", pages[r.IntN(len(pages))]
				switch x := r.IntN(10); {
				case x < 2:
					kind, path = "feed", feeds[r.IntN(len(feeds))]
				case x < 4:
					kind, path = "search", searches(r)
				}
				req, _ := http.NewRequest("GET", base+path, nil)
				req.Header.Set("Accept-Encoding", "gzip")
				req.Header.Set("X-Forwarded-For", forwarded)
				t0 := time.Now()
				resp, err := client.Do(req)
				if err == nil {
					_, err = io.Copy(io.Discard, resp.Body)
					resp.Body.Close()
					if err == nil && resp.StatusCode != http.StatusOK {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
				}
				took := time.Since(t0)
				if err != nil {
					mu.Lock()
					errs = append(errs, path+": "+err.Error())
					mu.Unlock()
					continue
				}
				mine = append(mine, sample{kind, took})
			}
			mu.Lock()
			samples = append(samples, mine...)
			mu.Unlock()
		})
	}
	wg.Wait()
	// Connections the transport dialled but never used look new to the
	// server, and Shutdown waits 5 s for those; a reader's browser closes
	// them, and so does this.
	client.CloseIdleConnections()

	byKind := map[string][]time.Duration{}
	for _, s := range samples {
		byKind[s.kind] = append(byKind[s.kind], s.took)
		byKind["all"] = append(byKind["all"], s.took)
	}
	pct := func(d []time.Duration, p float64) time.Duration {
		if len(d) == 0 {
			return 0
		}
		return d[min(len(d)-1, int(float64(len(d))*p))]
	}
	t.Logf("%d clients (think time %s) for %ds: %d requests, %.0f requests/s, %d errors",
		clients, think, seconds, len(samples), float64(len(samples))/float64(seconds), len(errs))
	for _, kind := range []string{"all", "page", "feed", "search"} {
		d := byKind[kind]
		slices.Sort(d)
		t.Logf("  %-6s %6d requests  p50 %-8s p99 %-8s max %s", kind, len(d),
			pct(d, 0.5).Round(100*time.Microsecond), pct(d, 0.99).Round(100*time.Microsecond), pct(d, 1).Round(time.Millisecond))
	}
	if len(errs) > 0 {
		t.Errorf("%d errors, the first: %s", len(errs), errs[0])
	}
	if p99 := pct(byKind["search"], 0.99); p99 > 100*time.Millisecond {
		t.Errorf("search p99 %s, over the 100 ms budget", p99)
	}
}

func envInt(name string, def int) int {
	if v, err := strconv.Atoi(os.Getenv(name)); err == nil && v > 0 {
		return v
	}
	return def
}

// startServeArgs is startServe with any flags. serve stops when ctx is
// cancelled, and must then exit cleanly, which the test's cleanup checks.
func startServeArgs(t *testing.T, ctx context.Context, args ...string) string {
	t.Helper()
	return startServeStderr(t, ctx, io.Discard, args...)
}

// startServeStderr is startServeArgs writing serve's standard error, its
// access log when -q=false, to stderr.
func startServeStderr(t *testing.T, ctx context.Context, stderr io.Writer, args ...string) string {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	go func() {
		done <- Main(ctx, append([]string{"serve", "-q", "-addr", "127.0.0.1:0"}, args...), pw, stderr)
		pw.Close()
	}()
	t.Cleanup(func() {
		stopped := time.Now()
		select {
		case code := <-done:
			if code != 0 && ctx.Err() != nil {
				t.Errorf("serve exited %d after it was stopped", code)
			}
			t.Logf("serve stopped in %s", time.Since(stopped).Round(time.Millisecond))
		case <-time.After(30 * time.Second):
			// serve gives requests in flight 10 s, then removes its
			// built copy of the site, which on a busy disk takes a while.
			t.Error("serve did not stop within 30 s")
		}
	})
	var out strings.Builder
	buf := make([]byte, 1024)
	for !strings.Contains(out.String(), "serving at http://") {
		n, err := pr.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			t.Fatalf("serve stopped: %s", out.String())
		}
	}
	go io.Copy(io.Discard, pr)
	_, after, _ := strings.Cut(out.String(), "serving at http://")
	addr, _, _ := strings.Cut(after, "/")
	return addr
}
