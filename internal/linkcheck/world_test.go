package linkcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"fmt"
	"io"
	"log"
	"net"
	"net/http"
	"net/http/httptest"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"
)

// world is the network of a test: host names such as gov.test mapped to
// local test servers. A name it does not map is not found, as by DNS, so
// no test can reach the internet.
type world struct {
	t     *testing.T
	mu    sync.Mutex
	addrs map[string]string // "gov.test:80" → "127.0.0.1:port"
	roots *x509.CertPool
	log   []string // "HEAD gov.test/ok", in the order the servers saw them
}

func newWorld(t *testing.T) *world {
	return &world{t: t, addrs: map[string]string{}, roots: x509.NewCertPool()}
}

// serve answers for hostport (such as gov.test:80) with h, logging each
// request.
func (w *world) serve(hostport string, h http.Handler) {
	srv := httptest.NewServer(w.logged(h))
	w.t.Cleanup(srv.Close)
	w.mu.Lock()
	w.addrs[hostport] = srv.Listener.Addr().String()
	w.mu.Unlock()
}

// serveTLS answers over TLS with httptest's certificate, which is for
// example.com and which the world's client trusts.
func (w *world) serveTLS(hostport string, h http.Handler) {
	srv := httptest.NewUnstartedServer(w.logged(h))
	// The refused handshakes are the tests' point, not news.
	srv.Config.ErrorLog = log.New(io.Discard, "", 0)
	srv.StartTLS()
	w.t.Cleanup(srv.Close)
	w.mu.Lock()
	w.addrs[hostport] = srv.Listener.Addr().String()
	w.roots.AddCert(srv.Certificate())
	w.mu.Unlock()
}

// refuse maps hostport to a port nothing listens on.
func (w *world) refuse(hostport string) {
	l, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		w.t.Fatal(err)
	}
	addr := l.Addr().String()
	l.Close()
	w.mu.Lock()
	w.addrs[hostport] = addr
	w.mu.Unlock()
}

func (w *world) logged(h http.Handler) http.Handler {
	return http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		w.mu.Lock()
		w.log = append(w.log, r.Method+" "+r.Host+r.URL.Path)
		w.mu.Unlock()
		h.ServeHTTP(rw, r)
	})
}

// requests returns the log and empties it.
func (w *world) requests() []string {
	w.mu.Lock()
	defer w.mu.Unlock()
	out := w.log
	w.log = nil
	return out
}

func (w *world) client() *http.Client {
	tr := &http.Transport{
		DialContext: func(ctx context.Context, network, addr string) (net.Conn, error) {
			w.mu.Lock()
			to, ok := w.addrs[addr]
			w.mu.Unlock()
			if !ok {
				host, _, _ := net.SplitHostPort(addr)
				return nil, &net.DNSError{Err: "no such host", Name: host, IsNotFound: true}
			}
			var d net.Dialer
			return d.DialContext(ctx, network, to)
		},
		TLSClientConfig: &tls.Config{RootCAs: w.roots},
	}
	w.t.Cleanup(tr.CloseIdleConnections)
	return &http.Client{Transport: tr}
}

// clock is a Now the test sets.
type clock struct {
	mu sync.Mutex
	t  time.Time
}

func (c *clock) Now() time.Time {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.t
}

func (c *clock) set(t time.Time) {
	c.mu.Lock()
	c.t = t
	c.mu.Unlock()
}

var day0 = time.Date(2025, 3, 10, 8, 0, 0, 0, time.UTC)

// govSite is the handler of gov.test and www.gov.test: a page for each
// case of the checks.
func govSite() http.Handler {
	mux := http.NewServeMux()
	ok := func(w http.ResponseWriter, r *http.Request) { fmt.Fprintln(w, "<p>政务公开</p>") }
	to := func(code int, where string) http.HandlerFunc {
		return func(w http.ResponseWriter, r *http.Request) { http.Redirect(w, r, where, code) }
	}
	mux.HandleFunc("/ok", ok)
	mux.HandleFunc("/missing", http.NotFound)
	mux.HandleFunc("/error", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "oops", http.StatusInternalServerError)
	})
	mux.HandleFunc("/slow", func(w http.ResponseWriter, r *http.Request) {
		select {
		case <-r.Context().Done():
		case <-time.After(5 * time.Second):
		}
	})
	mux.HandleFunc("/chain/1", to(http.StatusMovedPermanently, "/chain/2"))
	mux.HandleFunc("/chain/2", to(http.StatusFound, "http://www.gov.test/chain/3#top"))
	mux.HandleFunc("/chain/3", ok)
	mux.HandleFunc("/many/{n}", func(w http.ResponseWriter, r *http.Request) {
		n, _ := strconv.Atoi(r.PathValue("n"))
		http.Redirect(w, r, "/many/"+strconv.Itoa(n+1), http.StatusFound)
	})
	mux.HandleFunc("/loop", to(http.StatusFound, "/loop"))
	mux.HandleFunc("/away", to(http.StatusMovedPermanently, "http://other.test/casino"))
	mux.HandleFunc("/nohead", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			http.Error(w, "", http.StatusMethodNotAllowed)
			return
		}
		ok(w, r)
	})
	mux.HandleFunc("/head403", func(w http.ResponseWriter, r *http.Request) {
		if r.Method == http.MethodHead {
			http.Error(w, "", http.StatusForbidden)
			return
		}
		ok(w, r)
	})
	mux.HandleFunc("/noloc", func(w http.ResponseWriter, r *http.Request) { w.WriteHeader(http.StatusFound) })
	mux.HandleFunc("/tomail", to(http.StatusFound, "mailto:office@gov.test"))
	mux.HandleFunc("/cookie", func(w http.ResponseWriter, r *http.Request) {
		// A firewall's first-visit check: a cookie, then the page.
		if _, err := r.Cookie("waf"); err != nil {
			http.SetCookie(w, &http.Cookie{Name: "waf", Value: "1", Path: "/"})
			http.Redirect(w, r, "/cookie", http.StatusFound)
			return
		}
		ok(w, r)
	})
	mux.HandleFunc("/agent", func(w http.ResponseWriter, r *http.Request) {
		if !strings.HasPrefix(r.UserAgent(), "bulletin-linkcheck/1 (+https://mca.test/)") {
			http.Error(w, "who are you", http.StatusTeapot)
		}
	})
	return mux
}

// govWorld is gov.test, www.gov.test, other.test, example.com over HTTP
// and HTTPS, badcert.test (HTTPS with example.com's certificate) and
// refused.test (nothing listening).
func govWorld(t *testing.T) *world {
	w := newWorld(t)
	site := govSite()
	w.serve("gov.test:80", site)
	w.serve("www.gov.test:80", site)
	w.serve("other.test:80", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		fmt.Fprintln(rw, "<p>welcome</p>")
	}))
	w.serve("example.com:80", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {
		http.Redirect(rw, r, "https://example.com"+r.URL.Path, http.StatusMovedPermanently)
	}))
	w.serveTLS("example.com:443", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {}))
	w.serveTLS("badcert.test:443", http.HandlerFunc(func(rw http.ResponseWriter, r *http.Request) {}))
	w.refuse("refused.test:80")
	return w
}
