package serve

import (
	"compress/gzip"
	"context"
	"io"
	"log/slog"
	"math"
	"net"
	"net/http"
	"net/netip"
	"path"
	"regexp"
	"strings"
	"sync"
	"time"

	"bulletin/internal/diag"
)

// ProtectOptions configures Protect.
type ProtectOptions struct {
	// Log receives one structured line per request; nil logs nothing.
	Log *slog.Logger
	// Rate and Burst bound each client's requests: Rate a second on
	// average, Burst at once. Zero Rate means 20 a second with a burst of 80,
	// generous for a reader and tight for a scraper.
	Rate  float64
	Burst int
	// TrustProxy lists the addresses of the proxies in front of the
	// server, such as nginx on the same machine. Only a request from one
	// of them has its client taken from X-Forwarded-For (see clientAddr);
	// with none, the client is the address the request comes from.
	TrustProxy []netip.Prefix
	// BasePath is where the site is mounted ("/" or "/news/"): pages may
	// run scripts from its assets/ folder only.
	BasePath string
	// DevScript is the URL path of the one script a development server
	// injects (the live-reload client); the Content-Security-Policy
	// allows it too.
	DevScript string
}

// Protect wraps h with what a server on the public internet needs: an
// access log, security headers, a per-client rate limit, refusal of paths
// that try to climb out of the site, and gzip for text.
func Protect(h http.Handler, opt ProtectOptions) http.Handler {
	if opt.Rate == 0 {
		opt.Rate, opt.Burst = 20, 80
	}
	limiter := newLimiter(opt.Rate, opt.Burst)
	// The fastest level, as nginx's gzip_comp_level 1: pages are made
	// and sent on every request, and under TestLoad's readers the
	// default level took a third of the server's CPU time.
	gzips := &sync.Pool{New: func() any {
		w, _ := gzip.NewWriterLevel(io.Discard, gzip.BestSpeed)
		return w
	}}
	assets := path.Join("/", opt.BasePath, "assets") + "/"
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		start := time.Now()
		rec := &recorder{ResponseWriter: w, status: http.StatusOK}
		client := clientAddr(r, opt.TrustProxy)
		r = r.WithContext(context.WithValue(r.Context(), clientKey{}, client))
		defer func() {
			if opt.Log != nil {
				opt.Log.LogAttrs(r.Context(), slog.LevelInfo, "request",
					slog.String("client", client), slog.String("method", r.Method),
					slog.String("path", r.URL.RequestURI()), slog.Int("status", rec.status),
					slog.Int64("bytes", rec.bytes), slog.Duration("took", time.Since(start)),
					slog.String("agent", r.UserAgent()))
			}
		}()
		hdr := rec.Header()
		// Attachments replace this with a sandbox (see Handler).
		hdr.Set("Content-Security-Policy", pagePolicy(r.Host, assets, opt.DevScript))
		hdr.Set("X-Content-Type-Options", "nosniff")
		hdr.Set("Referrer-Policy", "strict-origin-when-cross-origin")
		hdr.Set("X-Frame-Options", "SAMEORIGIN")
		if !limiter.allow(client, start) {
			hdr.Set("Retry-After", "1")
			http.Error(rec, "请求过于频繁，请稍后再试。Too many requests.", http.StatusTooManyRequests)
			return
		}
		if climbs(r) {
			http.Error(rec, "bad request path", http.StatusBadRequest)
			return
		}
		if acceptsGzip(r) {
			// A client revalidating a compressed copy sends its ETag;
			// the handler knows only the plain one.
			gz := &gzipWriter{recorder: rec, pool: gzips}
			if inm := r.Header.Get("If-None-Match"); strings.Contains(inm, gzipTagSuffix) {
				r.Header.Set("If-None-Match", strings.ReplaceAll(inm, gzipTagSuffix, `"`))
				gz.revalidating = true
			}
			defer gz.close()
			h.ServeHTTP(gz, r)
			return
		}
		h.ServeHTTP(rec, r)
	})
}

// pagePolicy is the Content-Security-Policy of the site's pages. Scripts
// may come from the theme's assets folder (and devScript) only: 'self'
// would also allow files that bureaus publish beside their bulletins.
// A CSP source with a path needs a host, so it is the one the reader asked
// for, written without a scheme so that it matches the page's own. A Host
// that is not a plain name or IPv4 address, with an optional port, might
// carry other sources or directives into the policy, and CSP has no form
// for IPv6 addresses: such pages get no script at all, which every page
// works without.
func pagePolicy(host, assets, devScript string) string {
	scripts := "'none'"
	if plainHost.MatchString(host) {
		host = strings.ToLower(host)
		scripts = host + assets
		if devScript != "" {
			scripts += " " + host + devScript
		}
	}
	return "default-src 'self'; script-src " + scripts + "; style-src 'self' 'unsafe-inline'; img-src 'self' https: http: data:; " +
		"object-src 'none'; base-uri 'none'; frame-ancestors 'self'; form-action 'self'"
}

// plainHost matches a host name or IPv4 address with an optional port;
// deploy/nginx.conf checks $http_host with the same expression.
var plainHost = regexp.MustCompile(`^(?i)[a-z0-9-]+(\.[a-z0-9-]+)*(:[0-9]{1,5})?$`)

// climbs reports a path with a .. segment, raw or percent-encoded, or an
// encoded slash or backslash: no link of the site has one, and they are
// how traversal attempts look.
func climbs(r *http.Request) bool {
	raw := strings.ToLower(r.URL.EscapedPath())
	if strings.Contains(raw, "%2f") || strings.Contains(raw, "%5c") || strings.Contains(raw, "%00") {
		return true
	}
	for _, seg := range strings.Split(r.URL.Path, "/") {
		if seg == ".." || strings.Contains(seg, "\\") {
			return true
		}
	}
	return false
}

type clientKey struct{}

// ClientAddr is the address of r's client as Protect determined it (see
// clientAddr), or the address r comes from outside Protect.
func ClientAddr(r *http.Request) string {
	if c, ok := r.Context().Value(clientKey{}).(string); ok {
		return c
	}
	return clientAddr(r, nil)
}

// clientAddr is the address of the client of r, for the rate limit and
// the access log. A request from a trusted proxy names its client in
// X-Forwarded-For, where each proxy appends the address it received the
// request from: the client is the right-most address that is not itself a
// trusted proxy. Everything left of it was written by the client, who may
// write anything there, so it is never taken. A trusted proxy that sends
// no usable X-Forwarded-For is taken for the client.
func clientAddr(r *http.Request, trusted []netip.Prefix) string {
	host, _, err := net.SplitHostPort(r.RemoteAddr)
	if err != nil {
		host = r.RemoteAddr
	}
	addr, err := netip.ParseAddr(host)
	if err != nil || !isTrusted(addr, trusted) {
		return host
	}
	hops := strings.Split(strings.Join(r.Header.Values("X-Forwarded-For"), ","), ",")
	for i := len(hops) - 1; i >= 0; i-- {
		hop, ok := parseHop(hops[i])
		if !ok {
			break // a proxy that appended it would have written an address
		}
		addr = hop
		if !isTrusted(addr, trusted) {
			break
		}
	}
	return addr.String()
}

func isTrusted(addr netip.Addr, trusted []netip.Prefix) bool {
	addr = addr.Unmap().WithZone("")
	for _, p := range trusted {
		if p.Contains(addr) {
			return true
		}
	}
	return false
}

// parseHop reads an X-Forwarded-For entry: an address, which some proxies
// write with a port.
func parseHop(s string) (netip.Addr, bool) {
	s = strings.TrimSpace(s)
	if a, err := netip.ParseAddr(s); err == nil {
		return a.Unmap().WithZone(""), true
	}
	if ap, err := netip.ParseAddrPort(s); err == nil {
		return ap.Addr().Unmap().WithZone(""), true
	}
	return netip.Addr{}, false
}

// ParseProxies reads a list of proxy addresses for TrustProxy: IP
// addresses and CIDR prefixes, separated by commas ("127.0.0.1,::1" or
// "10.0.0.0/8").
func ParseProxies(list string) ([]netip.Prefix, error) {
	var ps []netip.Prefix
	for _, item := range strings.Split(list, ",") {
		item = strings.TrimSpace(item)
		if item == "" {
			continue
		}
		if p, err := netip.ParsePrefix(item); err == nil {
			ps = append(ps, p.Masked())
			continue
		}
		a, err := netip.ParseAddr(item)
		if err != nil || a.Zone() != "" {
			return nil, diag.Errorf("%q is neither an IP address nor a CIDR prefix (such as 127.0.0.1, ::1 or 10.0.0.0/8)", item)
		}
		a = a.Unmap()
		ps = append(ps, netip.PrefixFrom(a, a.BitLen()))
	}
	return ps, nil
}

// limiter is a token bucket per client. Buckets idle long enough to be
// full again are dropped, so memory stays bounded by active clients.
type limiter struct {
	mu      sync.Mutex
	rate    float64
	burst   float64
	buckets map[string]*bucket
	swept   time.Time
}

type bucket struct {
	tokens float64
	last   time.Time
}

func newLimiter(rate float64, burst int) *limiter {
	return &limiter{rate: rate, burst: float64(max(burst, 1)), buckets: map[string]*bucket{}}
}

func (l *limiter) allow(client string, now time.Time) bool {
	l.mu.Lock()
	defer l.mu.Unlock()
	if now.Sub(l.swept) > time.Minute {
		full := time.Duration(l.burst / l.rate * float64(time.Second))
		for k, b := range l.buckets {
			if now.Sub(b.last) > full {
				delete(l.buckets, k)
			}
		}
		l.swept = now
	}
	b := l.buckets[client]
	if b == nil {
		b = &bucket{tokens: l.burst, last: now}
		l.buckets[client] = b
	}
	b.tokens = math.Min(l.burst, b.tokens+now.Sub(b.last).Seconds()*l.rate)
	b.last = now
	if b.tokens < 1 {
		return false
	}
	b.tokens--
	return true
}

// recorder notes the status and size of a response for the access log.
type recorder struct {
	http.ResponseWriter
	status int
	bytes  int64
	wrote  bool
}

func (r *recorder) WriteHeader(code int) {
	if !r.wrote {
		r.status, r.wrote = code, true
	}
	r.ResponseWriter.WriteHeader(code)
}

func (r *recorder) Write(p []byte) (int, error) {
	r.wrote = true
	n, err := r.ResponseWriter.Write(p)
	r.bytes += int64(n)
	return n, err
}

// Flush lets server-sent events through the wrappers.
func (r *recorder) Flush() {
	if f, ok := r.ResponseWriter.(http.Flusher); ok {
		f.Flush()
	}
}

func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		name, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if strings.TrimSpace(name) == "gzip" && !strings.Contains(strings.ReplaceAll(params, " ", ""), "q=0") {
			return true
		}
	}
	return false
}

// compressible lists the types worth compressing: text, not images or PDFs.
func compressible(contentType string) bool {
	t, _, _ := strings.Cut(contentType, ";")
	t = strings.TrimSpace(t)
	if t == "text/event-stream" {
		return false // each event must reach the page as it happens
	}
	return strings.HasPrefix(t, "text/") || strings.HasSuffix(t, "+xml") || strings.HasSuffix(t, "/xml") ||
		strings.HasSuffix(t, "json") || t == "image/svg+xml"
}

// gzipTagSuffix marks the ETag of a compressed response: it is another
// representation of the file, so its tag must differ from the plain one's.
const gzipTagSuffix = `-gz"`

// gzipWriter compresses the body when its type is text and it is not a
// range; the choice is made when the header is written.
type gzipWriter struct {
	*recorder
	pool    *sync.Pool
	gz      *gzip.Writer
	decided bool
	// revalidating is set when the client asked about a compressed copy;
	// a 304 carries no Content-Type to decide by, so this decides.
	revalidating bool
}

func (g *gzipWriter) WriteHeader(code int) {
	if !g.decided {
		g.decided = true
		h := g.Header()
		h.Add("Vary", "Accept-Encoding")
		text := compressible(h.Get("Content-Type")) && h.Get("Content-Encoding") == "" && h.Get("Content-Range") == ""
		if (text && (code == http.StatusOK || code == http.StatusNotFound)) || (code == http.StatusNotModified && g.revalidating) {
			if tag := h.Get("ETag"); strings.HasSuffix(tag, `"`) {
				h.Set("ETag", strings.TrimSuffix(tag, `"`)+gzipTagSuffix)
			}
		}
		if text && (code == http.StatusOK || code == http.StatusNotFound) {
			h.Del("Content-Length")
			h.Set("Content-Encoding", "gzip")
			g.gz = g.pool.Get().(*gzip.Writer)
			g.gz.Reset(g.recorder)
		}
	}
	g.recorder.WriteHeader(code)
}

func (g *gzipWriter) Write(p []byte) (int, error) {
	if !g.decided {
		if g.Header().Get("Content-Type") == "" {
			g.Header().Set("Content-Type", http.DetectContentType(p))
		}
		g.WriteHeader(http.StatusOK)
	}
	if g.gz != nil {
		return g.gz.Write(p)
	}
	return g.recorder.Write(p)
}

func (g *gzipWriter) Flush() {
	if g.gz != nil {
		g.gz.Flush()
	}
	g.recorder.Flush()
}

func (g *gzipWriter) close() {
	if g.gz != nil {
		g.gz.Close()
		g.pool.Put(g.gz)
		g.gz = nil
	}
}

// Unwrap gives http.ResponseController the underlying writer.
func (r *recorder) Unwrap() http.ResponseWriter { return r.ResponseWriter }
