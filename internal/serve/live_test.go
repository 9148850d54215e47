package serve

import (
	"bufio"
	"bytes"
	"context"
	"io"
	"net/http"
	"net/http/httptest"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
)

// TestLiveStream: an event stream outlives the server's write timeout,
// carries the pages that changed, and ends when the Live is closed, so
// that stopping the server does not wait for open pages.
func TestLiveStream(t *testing.T) {
	live := NewLive("/news/")
	srv := httptest.NewUnstartedServer(live.Handler(http.NotFoundHandler()))
	srv.Config.WriteTimeout = 100 * time.Millisecond
	srv.Start()
	defer srv.Close()

	resp, err := http.Get(srv.URL + "/news/__bulletin/events")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	lines := make(chan string)
	go func() {
		r := bufio.NewReader(resp.Body)
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				close(lines)
				return
			}
			lines <- strings.TrimSuffix(line, "\n")
		}
	}()
	next := func() (string, bool) {
		select {
		case l, ok := <-lines:
			return l, ok
		case <-time.After(5 * time.Second):
			t.Fatal("no line within 5 s")
			return "", false
		}
	}
	if l, _ := next(); l != ": connected" {
		t.Fatalf("first line %q", l)
	}
	next() // the blank line after it

	time.Sleep(300 * time.Millisecond) // past the write timeout
	live.Changed([]string{"/bulletins/a/index.html", "/404.html"})
	var got []string
	for {
		l, ok := next()
		if !ok {
			t.Fatalf("the stream ended after %q", got)
		}
		if l == "" {
			break
		}
		got = append(got, l)
	}
	if want := "id: 1,event: reload,data: /news/bulletins/a/,data: /news/404.html"; strings.Join(got, ",") != want {
		t.Errorf("event %q, want %q", strings.Join(got, ","), want)
	}

	live.Close()
	for {
		if _, ok := next(); !ok {
			break
		}
	}
	if _, err := io.ReadAll(resp.Body); err != nil && !strings.Contains(err.Error(), "closed") {
		t.Logf("after close: %v", err)
	}
}

// TestLiveCatchUp: a stream opened with the number of the last event its
// pages saw (by the tab taking over from one that closed, or by the
// browser reconnecting) starts with the events sent since; when those are
// no longer kept, or the number is from before serve restarted, with a
// reload of every page. Pages carry the number they were served at.
func TestLiveCatchUp(t *testing.T) {
	live := NewLive("/")
	h := live.Handler(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/html; charset=utf-8")
		io.WriteString(w, "<html><head></head><body></body></html>")
	}))
	srv := httptest.NewServer(h)
	defer srv.Close()
	defer live.Close()
	if body := serveRecorded(h, newRequest("/")).Body.String(); !strings.Contains(body, ` data-last="0" `) {
		t.Errorf("page before any event: %s", body)
	}
	live.Changed([]string{"/a/index.html"})                  // 1
	live.Failed("content/b.md:3: bad date")                  // 2
	live.Changed([]string{"/b/index.html", "/c/index.html"}) // 3
	if body := serveRecorded(h, newRequest("/")).Body.String(); !strings.Contains(body, ` data-last="3" `) {
		t.Errorf("page after three events: %s", body)
	}
	// first reads a stream's opening, up to and with its first event.
	first := func(query string, header map[string]string) string {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		defer cancel()
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/__bulletin/events"+query, nil)
		for k, v := range header {
			req.Header.Set(k, v)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		lines := make(chan string, 64)
		go func() {
			defer close(lines)
			r := bufio.NewReader(resp.Body)
			for {
				line, err := r.ReadString('\n')
				if err != nil {
					return
				}
				lines <- strings.TrimSuffix(line, "\n")
			}
		}()
		var got []string
		for {
			select {
			case l := <-lines:
				got = append(got, l)
				if l == "" && len(got) > 2 {
					return strings.Join(got, ",")
				}
			case <-time.After(500 * time.Millisecond):
				return strings.Join(got, ",") // nothing more to catch up on
			}
		}
	}
	for _, tc := range []struct {
		name, query string
		header      map[string]string
		want        string
	}{
		{"a new page", "", nil, ": connected,"},
		{"pages up to date", "?last=3", nil, ": connected,"},
		{"pages that missed one", "?last=2", nil, ": connected,,id: 3,event: reload,data: /b/,data: /c/,"},
		{"pages that missed three", "?last=0", nil, ": connected,,id: 1,event: reload,data: /a/,"},
		{"the browser reconnecting", "?last=0", map[string]string{"Last-Event-ID": "2"}, ": connected,,id: 3,event: reload,data: /b/,data: /c/,"},
		{"pages of an earlier serve", "?last=9", nil, ": connected,,id: 3,event: reload,data: *,"},
	} {
		if got := first(tc.query, tc.header); got != tc.want {
			t.Errorf("%s: stream opens %q, want %q", tc.name, got, tc.want)
		}
	}
	for range keepEvents {
		live.Reloaded()
	}
	if got, want := first("?last=2", nil), ": connected,,id: 67,event: reload,data: *,"; got != want {
		t.Errorf("pages that missed more than is kept: stream opens %q, want %q", got, want)
	}
}

// TestLiveCatchUpAnswer: a page listening on another tab's stream asks
// once for what it missed since it was served, and for the problems pages
// show now.
func TestLiveCatchUpAnswer(t *testing.T) {
	live := NewLive("/")
	h := live.Handler(http.NotFoundHandler())
	ask := func(last string) string {
		t.Helper()
		rec := serveRecorded(h, newRequest("/__bulletin/events?catchup&last="+last))
		if ct := rec.Header().Get("Content-Type"); !strings.HasPrefix(ct, "application/json") {
			t.Fatalf("catch-up answered %d %s: %s", rec.Code, ct, rec.Body)
		}
		return strings.TrimSpace(rec.Body.String())
	}
	if got, want := ask("0"), `{"seq":0,"events":[],"problems":""}`; got != want {
		t.Errorf("before any event: %s, want %s", got, want)
	}
	live.Changed([]string{"/a/index.html"}) // 1
	live.Failed("content/b.md:3: bad date") // 2
	for _, tc := range []struct{ last, want string }{
		{"2", `{"seq":2,"events":[],"problems":"content/b.md:3: bad date"}`},
		{"1", `{"seq":2,"events":[{"id":2,"name":"problems","data":"content/b.md:3: bad date"}],"problems":"content/b.md:3: bad date"}`},
		{"0", `{"seq":2,"events":[{"id":1,"name":"reload","data":"/a/"},{"id":2,"name":"problems","data":"content/b.md:3: bad date"}],"problems":"content/b.md:3: bad date"}`},
		{"9", `{"seq":2,"events":[{"id":2,"name":"reload","data":"*"}],"problems":"content/b.md:3: bad date"}`},
	} {
		if got := ask(tc.last); got != tc.want {
			t.Errorf("a page served at %s: %s, want %s", tc.last, got, tc.want)
		}
	}
	live.Changed([]string{"/b/index.html"}) // 3: fixed
	if got, want := ask("2"), `{"seq":3,"events":[{"id":3,"name":"reload","data":"/b/"}],"problems":""}`; got != want {
		t.Errorf("after the fix: %s, want %s", got, want)
	}
}

// TestLiveStreamsFiles: with live reload on, a file that is not a page
// reaches the client as the handler writes it, not once the whole of it
// is held in memory: eight downloads of a large attachment must not cost
// eight times its size.
func TestLiveStreamsFiles(t *testing.T) {
	const chunk, chunks = 32 << 10, 1024 // 32 MB
	firstRead := make(chan struct{})
	waited := make(chan bool, 1)
	next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "application/pdf")
		w.Header().Set("Content-Length", strconv.Itoa(chunk*chunks))
		buf := bytes.Repeat([]byte("x"), chunk)
		w.Write(buf)
		http.NewResponseController(w).Flush()
		// The client has the first bytes while the handler still runs.
		select {
		case <-firstRead:
			waited <- true
		case <-time.After(3 * time.Second):
			waited <- false
		}
		for range chunks - 1 {
			w.Write(buf)
		}
	})
	srv := httptest.NewServer(NewLive("/").Handler(next))
	defer srv.Close()

	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	resp, err := http.Get(srv.URL + "/bulletins/a/big.pdf")
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	if _, err := io.ReadFull(resp.Body, make([]byte, 1)); err != nil {
		t.Fatal(err)
	}
	close(firstRead)
	n, err := io.Copy(io.Discard, resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	runtime.ReadMemStats(&after)
	if !<-waited {
		t.Errorf("the client got no byte of a file before the handler finished writing it")
	}
	if n+1 != chunk*chunks {
		t.Errorf("got %d bytes, want %d", n+1, chunk*chunks)
	}
	if got := resp.Header.Get("Content-Length"); got != strconv.Itoa(chunk*chunks) {
		t.Errorf("Content-Length %q, want %d", got, chunk*chunks)
	}
	if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
		t.Errorf("serving a %d MB file allocated %d MB", chunk*chunks>>20, alloc>>20)
	}
}

// TestLiveInject: pages get the reload script before </head>, however
// the handler splits its writes; other responses pass unchanged.
func TestLiveInject(t *testing.T) {
	live := NewLive("/news/")
	tag := `<script src="/news/__bulletin/reload.js" data-events="/news/__bulletin/events" data-last="0" defer></script>`
	page := "<!DOCTYPE html><html><head><title>通报</title></head><body><p>正文</p></body></html>"
	withTag := strings.Replace(page, "</head>", tag+"</head>", 1)
	for _, tc := range []struct {
		name        string
		ctype       string
		disposition string
		body        string
		writes      []int // lengths of the handler's writes; the rest in one
		want        string
	}{
		{"one write", "text/html; charset=utf-8", "", page, nil, withTag},
		{"</head> split across writes", "text/html; charset=utf-8", "", page, []int{strings.Index(page, "</head>") + 3}, withTag},
		{"</head> at a write's start", "text/html; charset=utf-8", "", page, []int{strings.Index(page, "</head>")}, withTag},
		{"a byte a write", "text/html; charset=utf-8", "", page, bytes1(len(page)), withTag},
		{"</ of another tag at a write's end", "text/html; charset=utf-8", "", page, []int{strings.Index(page, "</title>") + 2}, withTag},
		{"no </head>", "text/html; charset=utf-8", "", "<p>片段</p></he", []int{3}, "<p>片段</p></he"},
		{"only the first </head>", "text/html; charset=utf-8", "", page + "</head>", nil, withTag + "</head>"},
		{"not HTML", "text/plain; charset=utf-8", "", page, []int{40}, page},
		{"an HTML download", "text/html; charset=utf-8", "attachment", page, nil, page},
	} {
		next := http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
			w.Header().Set("Content-Type", tc.ctype)
			w.Header().Set("Content-Length", strconv.Itoa(len(tc.body)))
			w.Header().Set("ETag", `"abc"`)
			if tc.disposition != "" {
				w.Header().Set("Content-Disposition", tc.disposition)
			}
			rest := tc.body
			for _, n := range tc.writes {
				w.Write([]byte(rest[:n]))
				rest = rest[n:]
			}
			w.Write([]byte(rest))
		})
		rec := serveRecorded(live.Handler(next), newRequest("/news/bulletins/a/"))
		if got := rec.Body.String(); got != tc.want {
			t.Errorf("%s: body\n%s\nwant\n%s", tc.name, got, tc.want)
		}
		// A page's length and tag are those of the file without the
		// script.
		page := strings.HasPrefix(tc.ctype, "text/html") && tc.disposition == ""
		if cl := rec.Header().Get("Content-Length"); (cl == "") != page {
			t.Errorf("%s: Content-Length %q; want it dropped: %v", tc.name, cl, page)
		}
		if etag := rec.Header().Get("ETag"); (etag == "") != page {
			t.Errorf("%s: ETag %q; want it dropped: %v", tc.name, etag, page)
		}
	}
}

func bytes1(n int) []int {
	ones := make([]int, n-1)
	for i := range ones {
		ones[i] = 1
	}
	return ones
}

// TestLiveKeepsFileValidators: through the live-reload handler, files
// that are not pages keep their ETag, 304 Not Modified and ranges; pages
// are always sent whole, as a copy from before a rebuild lacks no script
// but may be stale.
func TestLiveKeepsFileValidators(t *testing.T) {
	h := NewLive("/").Handler(Handler(bulletinSite, "/"))
	pdf := "/bulletins/a/standard.pdf"
	first := get(t, h, pdf, nil)
	tag := first.Header().Get("ETag")
	if first.Code != 200 || tag == "" {
		t.Fatalf("GET %s: %d, ETag %q", pdf, first.Code, tag)
	}
	for _, tc := range []struct {
		target string
		header map[string]string
		status int
		body   string
	}{
		{pdf, map[string]string{"If-None-Match": tag}, http.StatusNotModified, ""},
		{pdf, map[string]string{"Range": "bytes=1-3"}, http.StatusPartialContent, "PDF"},
		{pdf, map[string]string{"Range": "bytes=1-3", "If-Range": tag}, http.StatusPartialContent, "PDF"},
		{"/bulletins/a/", map[string]string{"If-None-Match": "*"}, http.StatusOK, "<title>通报</title>"},
		{"/bulletins/a/", map[string]string{"Range": "bytes=0-3"}, http.StatusOK, "<title>通报</title>"},
	} {
		rec := get(t, h, tc.target, tc.header)
		if rec.Code != tc.status || !strings.Contains(rec.Body.String(), tc.body) {
			t.Errorf("GET %s %v: %d %q, want %d with %q", tc.target, tc.header, rec.Code, rec.Body.String(), tc.status, tc.body)
		}
	}
}

// TestLiveStreamCaps: event streams last as long as a page is open, so
// each client address may hold a few and all together a few dozen;
// extras are refused with a time to try again, and a closed stream makes
// room.
func TestLiveStreamCaps(t *testing.T) {
	live := NewLive("/")
	live.maxPerClient, live.maxStreams = 2, 3
	proxies, _ := ParseProxies("127.0.0.1")
	srv := httptest.NewServer(Protect(live.Handler(http.NotFoundHandler()), ProtectOptions{Rate: 1000, Burst: 1000, TrustProxy: proxies}))
	defer srv.Close()
	defer live.Close()

	open := func(client string) (*http.Response, context.CancelFunc) {
		t.Helper()
		ctx, cancel := context.WithCancel(context.Background())
		req, _ := http.NewRequestWithContext(ctx, "GET", srv.URL+"/__bulletin/events", nil)
		req.Header.Set("X-Forwarded-For", client)
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		return resp, cancel
	}
	a1, closeA1 := open("203.0.113.1")
	defer closeA1()
	_, closeA2 := open("203.0.113.1")
	defer closeA2()
	for _, tc := range []struct {
		client string
		status int
	}{
		{"203.0.113.1", http.StatusTooManyRequests}, // a third from one client
		{"203.0.113.2", http.StatusOK},              // the third in all
		{"203.0.113.3", http.StatusServiceUnavailable},
	} {
		resp, cancel := open(tc.client)
		defer cancel()
		if resp.StatusCode != tc.status {
			t.Errorf("stream of %s: status %d, want %d", tc.client, resp.StatusCode, tc.status)
		}
		if tc.status != http.StatusOK && resp.Header.Get("Retry-After") == "" {
			t.Errorf("stream of %s refused with %d without Retry-After", tc.client, resp.StatusCode)
		}
	}
	if a1.StatusCode != http.StatusOK {
		t.Fatalf("first stream: %d", a1.StatusCode)
	}
	closeA1()
	// The server notices the closed stream shortly.
	deadline := time.Now().Add(5 * time.Second)
	for {
		resp, cancel := open("203.0.113.1")
		defer cancel()
		if resp.StatusCode == http.StatusOK {
			break
		}
		if time.Now().After(deadline) {
			t.Fatalf("a closed stream made no room: %d", resp.StatusCode)
		}
		time.Sleep(20 * time.Millisecond)
	}
}
