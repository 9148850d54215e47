package linkcheck

import (
	"context"
	"errors"
	"fmt"
	"net/http"
	"slices"
	"sort"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

func TestCheck(t *testing.T) {
	w := govWorld(t)
	client := w.client()
	for _, tc := range []struct {
		url    string
		status Status
		code   int
		hops   []Hop
		reason string   // English; "" for none
		log    []string // the requests the servers saw
	}{
		{url: "http://gov.test/ok", status: OK, code: 200, log: []string{"HEAD gov.test/ok"}},
		{url: "http://gov.test/missing", status: Broken, code: 404, reason: "the server answers HTTP 404",
			log: []string{"HEAD gov.test/missing", "GET gov.test/missing"}}, // HEAD's 404 may be HEAD's fault
		{url: "http://gov.test/error", status: Broken, code: 500, reason: "the server answers HTTP 500",
			log: []string{"HEAD gov.test/error"}},
		{url: "http://gov.test/slow", status: Timeout, reason: "no answer within 300ms",
			log: []string{"HEAD gov.test/slow"}}, // a timeout is not asked again with GET
		{url: "http://gov.test/chain/1", status: Redirected, code: 200,
			hops:   []Hop{{301, "http://gov.test/chain/2"}, {302, "http://www.gov.test/chain/3"}},
			reason: "redirects to http://www.gov.test/chain/3",
			log:    []string{"HEAD gov.test/chain/1", "HEAD gov.test/chain/2", "HEAD www.gov.test/chain/3"}},
		{url: "http://example.com/secure", status: Redirected, code: 200, // http → https is no move
			hops:   []Hop{{301, "https://example.com/secure"}},
			reason: "redirects to https://example.com/secure",
			log:    []string{"HEAD example.com/secure", "HEAD example.com/secure"}},
		{url: "http://gov.test/many/0", status: Error, code: 302,
			hops:   []Hop{{302, "http://gov.test/many/1"}, {302, "http://gov.test/many/2"}, {302, "http://gov.test/many/3"}, {302, "http://gov.test/many/4"}},
			reason: "more than 3 redirects",
			log:    []string{"HEAD gov.test/many/0", "HEAD gov.test/many/1", "HEAD gov.test/many/2", "HEAD gov.test/many/3"}},
		{url: "http://gov.test/loop", status: Error, code: 302,
			hops:   slices.Repeat([]Hop{{302, "http://gov.test/loop"}}, 4),
			reason: "the redirects go round in a loop",
			log:    slices.Repeat([]string{"HEAD gov.test/loop"}, 4)},
		{url: "http://gov.test/away", status: Moved, code: 200,
			hops:   []Hop{{301, "http://other.test/casino"}},
			reason: "now leads to another site: http://other.test/casino",
			log:    []string{"HEAD gov.test/away", "HEAD other.test/casino"}},
		{url: "http://gov.test/nohead", status: OK, code: 200,
			log: []string{"HEAD gov.test/nohead", "GET gov.test/nohead"}},
		{url: "http://gov.test/head403", status: OK, code: 200,
			log: []string{"HEAD gov.test/head403", "GET gov.test/head403"}},
		{url: "http://gov.test/noloc", status: Error, code: 302, reason: "a redirect (HTTP 302) names no usable address",
			log: []string{"HEAD gov.test/noloc"}},
		{url: "http://gov.test/tomail", status: Error, code: 302, reason: "redirects to a mailto: address, not a web page",
			log: []string{"HEAD gov.test/tomail"}},
		{url: "http://gov.test/cookie", status: Redirected, code: 200,
			hops:   []Hop{{302, "http://gov.test/cookie"}},
			reason: "redirects to http://gov.test/cookie",
			log:    []string{"HEAD gov.test/cookie", "HEAD gov.test/cookie"}},
		{url: "http://gov.test/agent", status: OK, code: 200, log: []string{"HEAD gov.test/agent"}},
		{url: "http://nowhere.test/", status: Error, reason: `host "nowhere.test" not found (DNS)`},
		{url: "http://refused.test/", status: Error, reason: "the server refused the connection"},
		{url: "https://badcert.test/", status: Error, reason: `the site's certificate is not for host "badcert.test"`},
		{url: "mailto:office@gov.test", status: Skipped, reason: "a mailto: link, not a web page; not checked"},
		{url: "ftp://gov.test/file.doc", status: Skipped, reason: "a ftp: link, not a web page; not checked"},
		{url: "/relative/page.html", status: Skipped, reason: "not an absolute web address; not checked"},
		{url: "http:///nohost", status: Error, reason: "not a valid web address"},
	} {
		t.Run(tc.url, func(t *testing.T) {
			c := New(Options{Client: client, Interval: -1, Timeout: 300 * time.Millisecond, MaxRedirects: 3,
				Site: "https://mca.test/", Now: (&clock{t: day0}).Now})
			rs, err := c.Check(context.Background(), []string{tc.url})
			if err != nil {
				t.Fatal(err)
			}
			r := rs[0]
			got := ""
			if r.Reason != nil {
				got = r.Reason.Error()
			}
			if r.URL != tc.url || r.Status != tc.status || r.Code != tc.code || got != tc.reason || r.Cached {
				t.Errorf("got %s %s %d %q cached %v, want %s %d %q", r.URL, r.Status, r.Code, got, r.Cached, tc.status, tc.code, tc.reason)
			}
			if !slices.Equal(r.Hops, tc.hops) {
				t.Errorf("hops %v, want %v", r.Hops, tc.hops)
			}
			if len(tc.hops) > 0 && r.Final != tc.hops[len(tc.hops)-1].To || len(tc.hops) == 0 && r.Final != "" {
				t.Errorf("final %q, hops %v", r.Final, tc.hops)
			}
			if !r.Checked.Equal(day0) {
				t.Errorf("checked %v, want the clock's %v", r.Checked, day0)
			}
			if log := w.requests(); !slices.Equal(log, tc.log) {
				t.Errorf("requests %q, want %q", log, tc.log)
			}
		})
	}
}

// TestCheckOrderAndDuplicates checks that results come in the order of
// the links, and that a link given twice, or with a fragment, is asked
// for once.
func TestCheckOrderAndDuplicates(t *testing.T) {
	w := govWorld(t)
	c := New(Options{Client: w.client(), Interval: -1})
	urls := []string{"http://gov.test/missing", "http://gov.test/ok#top", "mailto:a@gov.test", "http://gov.test/ok", "http://gov.test/missing"}
	rs, err := c.Check(context.Background(), urls)
	if err != nil {
		t.Fatal(err)
	}
	want := []Status{Broken, OK, Skipped, OK, Broken}
	for i, r := range rs {
		if r.URL != urls[i] || r.Status != want[i] {
			t.Errorf("result %d: %s %s, want %s %s", i, r.URL, r.Status, urls[i], want[i])
		}
	}
	log := w.requests()
	sort.Strings(log)
	if want := []string{"GET gov.test/missing", "HEAD gov.test/missing", "HEAD gov.test/ok"}; !slices.Equal(log, want) {
		t.Errorf("requests %q, want %q", log, want)
	}
}

// TestConcurrency counts the requests under way in the servers' handlers:
// never more than PerHost to one host, nor more than Workers in all, and
// as many as that when there is work for them. With hub, the links of
// the other hosts all redirect to h0: the limit holds for the hops too.
func TestConcurrency(t *testing.T) {
	for _, tc := range []struct {
		workers, perHost, hosts, links int
		hub                            bool
		wantHost, wantAll              int
	}{
		{workers: 8, perHost: 1, hosts: 1, links: 8, wantHost: 1, wantAll: 1},
		{workers: 8, perHost: 2, hosts: 1, links: 8, wantHost: 2, wantAll: 2},
		{workers: 3, perHost: 2, hosts: 4, links: 4, wantHost: 2, wantAll: 3},
		{workers: 8, perHost: 1, hosts: 4, links: 3, wantHost: 1, wantAll: 4},
		{workers: 8, perHost: 1, hosts: 5, links: 3, hub: true, wantHost: 1, wantAll: 1},
		{workers: 8, perHost: 2, hosts: 5, links: 3, hub: true, wantHost: 2, wantAll: 2},
	} {
		t.Run(fmt.Sprintf("workers %d per host %d hosts %d hub %v", tc.workers, tc.perHost, tc.hosts, tc.hub), func(t *testing.T) {
			w := newWorld(t)
			var all atomic.Int32
			var maxAll atomic.Int32
			maxHost := make([]atomic.Int32, tc.hosts)
			var urls []string
			for h := range tc.hosts {
				var busy atomic.Int32
				w.serve(fmt.Sprintf("h%d.test:80", h), http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
					if tc.hub && h > 0 {
						http.Redirect(rw, r, fmt.Sprintf("http://h0.test/%d%s", h, r.URL.Path), http.StatusFound)
						return
					}
					n, a := busy.Add(1), all.Add(1)
					raise(&maxHost[h], n)
					raise(&maxAll, a)
					time.Sleep(40 * time.Millisecond)
					busy.Add(-1)
					all.Add(-1)
				}))
				for i := range tc.links {
					if !tc.hub || h > 0 {
						urls = append(urls, fmt.Sprintf("http://h%d.test/%d", h, i))
					}
				}
			}
			c := New(Options{Client: w.client(), Workers: tc.workers, PerHost: tc.perHost, Interval: -1})
			rs, err := c.Check(context.Background(), urls)
			if err != nil {
				t.Fatal(err)
			}
			want := OK
			if tc.hub {
				want = Moved // h1.test to h0.test
			}
			for _, r := range rs {
				if r.Status != want {
					t.Errorf("%s: %s %v", r.URL, r.Status, r.Reason)
				}
			}
			// The hosts share the workers, so not every host need reach
			// PerHost; none may pass it.
			most := 0
			for h := range maxHost {
				got := int(maxHost[h].Load())
				if got > tc.perHost {
					t.Errorf("host %d had %d requests at once, more than %d", h, got, tc.perHost)
				}
				most = max(most, got)
			}
			if most != tc.wantHost {
				t.Errorf("the busiest host had %d requests at once, want %d", most, tc.wantHost)
			}
			if got := maxAll.Load(); int(got) != tc.wantAll {
				t.Errorf("%d requests at once in all, want %d", got, tc.wantAll)
			}
		})
	}
}

func raise(m *atomic.Int32, n int32) {
	for {
		old := m.Load()
		if n <= old || m.CompareAndSwap(old, n) {
			return
		}
	}
}

// TestInterval checks the least time between the starts of two requests
// to one host, even with two at once allowed.
func TestInterval(t *testing.T) {
	const interval = 80 * time.Millisecond
	w := newWorld(t)
	var mu sync.Mutex
	var starts []time.Time
	w.serve("gov.test:80", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		mu.Lock()
		starts = append(starts, time.Now())
		mu.Unlock()
	}))
	c := New(Options{Client: w.client(), PerHost: 2, Interval: interval})
	if _, err := c.Check(context.Background(), []string{"http://gov.test/1", "http://gov.test/2", "http://gov.test/3", "http://gov.test/4"}); err != nil {
		t.Fatal(err)
	}
	if len(starts) != 4 {
		t.Fatalf("%d requests, want 4", len(starts))
	}
	slices.SortFunc(starts, time.Time.Compare)
	for i := 1; i < len(starts); i++ {
		// The handler sees a request a little after it was sent; allow
		// for the difference between two requests' travel.
		if gap := starts[i].Sub(starts[i-1]); gap < interval*3/4 {
			t.Errorf("request %d came %v after the one before, want at least %v", i+1, gap, interval)
		}
	}
}

// TestSlowHostDoesNotStall checks that a host that never answers holds
// its own links only: with two workers, the links to three quick hosts
// are all done before the slow host's first timeout.
func TestSlowHostDoesNotStall(t *testing.T) {
	const timeout = 400 * time.Millisecond
	w := newWorld(t)
	w.serve("slow.test:80", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	var urls []string
	for i := range 4 {
		urls = append(urls, fmt.Sprintf("http://slow.test/%d", i))
	}
	for _, h := range []string{"a.test", "b.test", "c.test"} {
		w.serve(h+":80", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {}))
		for i := range 5 {
			urls = append(urls, fmt.Sprintf("http://%s/%d", h, i))
		}
	}
	var mu sync.Mutex
	var quickDone, slowFirst time.Duration
	start := time.Now()
	c := New(Options{Client: w.client(), Workers: 2, Interval: 10 * time.Millisecond, Timeout: timeout,
		Progress: func(r Result) {
			mu.Lock()
			defer mu.Unlock()
			at := time.Since(start)
			if r.Status == Timeout && slowFirst == 0 {
				slowFirst = at
			}
			if r.Status == OK {
				quickDone = max(quickDone, at)
			}
		}})
	rs, err := c.Check(context.Background(), urls)
	if err != nil {
		t.Fatal(err)
	}
	for _, r := range rs {
		want := OK
		if r.URL[7:11] == "slow" {
			want = Timeout
		}
		if r.Status != want {
			t.Errorf("%s: %s, want %s", r.URL, r.Status, want)
		}
	}
	t.Logf("quick hosts done after %v, the slow host's first timeout after %v, all after %v", quickDone, slowFirst, time.Since(start))
	if quickDone == 0 || slowFirst == 0 || quickDone >= slowFirst {
		t.Errorf("the quick hosts were done after %v, the slow host's first timeout came after %v", quickDone, slowFirst)
	}
	// The slow host's links wait on one another (one at a time), each
	// for its timeout: not on the quick hosts.
	if total := time.Since(start); total > 4*timeout+time.Second {
		t.Errorf("the check took %v", total)
	}
}

// TestCancel checks that ending the context ends the check promptly,
// with the links not finished left without a status.
func TestCancel(t *testing.T) {
	w := newWorld(t)
	w.serve("slow.test:80", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		<-r.Context().Done()
	}))
	w.serve("gov.test:80", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {}))
	cache := t.TempDir() + "/linkcheck.json"
	c := New(Options{Client: w.client(), Cache: cache, Now: (&clock{t: day0}).Now})
	ctx, cancel := context.WithTimeout(context.Background(), 200*time.Millisecond)
	defer cancel()
	start := time.Now()
	rs, err := c.Check(ctx, []string{"http://gov.test/a", "http://slow.test/1", "http://slow.test/2", "http://slow.test/3"})
	if took := time.Since(start); took > 2*time.Second {
		t.Errorf("the check went on %v after the context ended", took)
	}
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("error %v, want the context's", err)
	}
	want := []Status{OK, "", "", ""}
	for i, r := range rs {
		if r.Status != want[i] {
			t.Errorf("%s: %q, want %q", r.URL, r.Status, want[i])
		}
	}
	// What was done is kept.
	if entries := loadCache(cache); len(entries) != 1 || entries["http://gov.test/a"].Status != OK {
		t.Errorf("cache after the cancel: %v", entries)
	}
}

func TestSameSite(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want bool
	}{
		{"mca.gov.cn", "www.mca.gov.cn", true},
		{"www.mca.gov.cn", "mca.gov.cn", true},
		{"mca.gov.cn", "www.gov.cn", false},
		{"www.qinghai.gov.cn", "mzt.qinghai.gov.cn", true},
		{"gov.test", "www.gov.test", true},
		{"gov.test", "other.test", false},
		{"GOV.test.", "gov.test", true},
		{"example.com", "example.com.cn", false},
		{"127.0.0.1", "127.0.0.1", true},
		{"127.0.0.1", "127.0.0.2", false},
		{"localhost", "localhost", true},
		{"gov.cn", "www.gov.cn", false}, // a public suffix is no site
	} {
		if got := sameSite(tc.a, tc.b); got != tc.want {
			t.Errorf("sameSite(%q, %q) = %v, want %v", tc.a, tc.b, got, tc.want)
		}
	}
}

func TestStatusBad(t *testing.T) {
	for s, want := range map[Status]bool{OK: false, Redirected: false, Skipped: false, Moved: true, Broken: true, Timeout: true, Error: true} {
		if s.Bad() != want {
			t.Errorf("%s.Bad() = %v", s, !want)
		}
	}
}
