package serve

import (
	"bufio"
	"io"
	"net/http"
	"net/http/httptest"
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
	if want := "event: reload,data: /news/bulletins/a/,data: /news/404.html"; strings.Join(got, ",") != want {
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
