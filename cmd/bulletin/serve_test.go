package main

import (
	"bytes"
	"context"
	"fmt"
	"net/http"
	"strings"
	"sync"
	"testing"
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
