package linkcheck

import (
	"context"
	"net/http"
	"net/url"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"bulletin/internal/diag"
)

// Status classes a link's result.
type Status string

const (
	OK         Status = "ok"         // answered 2xx, without redirects
	Redirected Status = "redirected" // answered 2xx after redirects within the site
	Moved      Status = "moved"      // redirected to another site
	Broken     Status = "broken"     // answered 400 or more
	Timeout    Status = "timeout"    // no answer in time
	Error      Status = "error"      // no answer: unknown host, refused, TLS, redirects
	Skipped    Status = "skipped"    // not an http or https URL: not fetched
)

// Bad reports whether the link needs an editor: moved, broken, timed
// out or failed.
func (s Status) Bad() bool {
	switch s {
	case Moved, Broken, Timeout, Error:
		return true
	}
	return false
}

// Hop is one redirect followed.
type Hop struct {
	Code int    `json:"code"` // 301, 302, 303, 307 or 308
	To   string `json:"to"`   // the absolute URL the Location header named
}

// Result is what became of one link.
type Result struct {
	URL    string // as given
	Status Status
	Code   int    // the HTTP status of the last answer; 0 when none came
	Final  string // where the redirects ended; "" when there were none
	Hops   []Hop  // the redirects followed, in order
	// Reason says why, for a person; nil for OK.
	Reason  *diag.Message
	Checked time.Time // when the link was checked, by the Now clock, in UTC to the second
	Cached  bool      // taken from the cache file, not asked for now

	why, detail string // Reason as the cache keeps it
}

// Options tune a Checker; a zero field takes the default given.
type Options struct {
	Workers  int           // requests at once in all; 8
	PerHost  int           // requests at once to one host; 1, at most 2
	Interval time.Duration // least time between starts of requests to one host; 1s, negative for none
	Timeout  time.Duration // one request, body included; 10s
	// MaxRedirects is how many redirects a link may take; 10, negative
	// for none.
	MaxRedirects int
	MaxBody      int64 // bytes of a GET's body read; 64 KiB

	Cache   string        // the cache file, such as .bulletin/linkcheck.json; "" for none
	GoodFor time.Duration // how long an OK or Redirected result is used; 7 days
	BadFor  time.Duration // how long a bad result is used; 1 day

	// Site is the checking site's URL, named in the User-Agent so that a
	// webmaster who sees the requests knows whom to ask.
	Site string
	// Client makes the requests; nil for one of the Checker's own (with
	// the proxy from the environment). Its redirects are turned off: the
	// Checker follows them. Tests give one whose transport dials local
	// servers.
	Client *http.Client
	// Now is the clock of Checked and of the cache's expiry; nil for
	// time.Now.
	Now func() time.Time
	// AllowPrivate checks links to private, loopback and link-local
	// addresses too. Off by default: bulletins are untrusted and the
	// checker runs inside an office's network, where such a link could
	// reach a router or an intranet service. With Client set, the
	// caller's transport decides, and no address is refused.
	AllowPrivate bool
	// Progress, when set, is called with each distinct link's result as
	// it is known, one call at a time.
	Progress func(Result)
}

// Checker checks links. Its politeness bookkeeping outlives a Check, so
// one Checker should serve a whole run.
type Checker struct {
	guarded bool // private addresses are refused (see AllowPrivate)
	opt     Options
	client  *http.Client
	agent   string
	slots   chan struct{} // the Workers
	run     sync.Mutex    // one Check at a time

	mu    sync.Mutex
	hosts map[string]*host
}

// host is the politeness state of one host:port.
type host struct {
	slots  chan struct{} // PerHost
	mu     sync.Mutex
	next   time.Time // the earliest start of the next request
	noHead atomic.Bool
}

const (
	defaultWorkers  = 8
	defaultInterval = time.Second
	defaultTimeout  = 10 * time.Second
	defaultRedirs   = 10
	defaultBody     = 64 << 10
	defaultGoodFor  = 7 * 24 * time.Hour
	defaultBadFor   = 24 * time.Hour
)

// New makes a Checker with opt, zero fields set to their defaults.
func New(opt Options) *Checker {
	if opt.Workers <= 0 {
		opt.Workers = defaultWorkers
	}
	// More than two at once to one host is no longer polite: small
	// government servers and their firewalls take it for an attack.
	opt.PerHost = min(max(opt.PerHost, 1), 2)
	switch {
	case opt.Interval == 0:
		opt.Interval = defaultInterval
	case opt.Interval < 0:
		opt.Interval = 0
	}
	if opt.Timeout <= 0 {
		opt.Timeout = defaultTimeout
	}
	switch {
	case opt.MaxRedirects == 0:
		opt.MaxRedirects = defaultRedirs
	case opt.MaxRedirects < 0:
		opt.MaxRedirects = 0
	}
	if opt.MaxBody <= 0 {
		opt.MaxBody = defaultBody
	}
	if opt.GoodFor <= 0 {
		opt.GoodFor = defaultGoodFor
	}
	if opt.BadFor <= 0 {
		opt.BadFor = defaultBadFor
	}
	if opt.Now == nil {
		opt.Now = time.Now
	}
	var client http.Client
	guarded := false
	if opt.Client != nil {
		client = *opt.Client
	} else {
		guarded = !opt.AllowPrivate
		client = http.Client{Transport: defaultTransport(guarded)}
	}
	// Each hop is a request of its own, under the politeness rules and
	// reported: the client must hand back the 3xx.
	client.CheckRedirect = func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }
	agent := "bulletin-linkcheck/1"
	if opt.Site != "" {
		agent += " (+" + opt.Site + ")"
	}
	return &Checker{
		guarded: guarded,
		opt:     opt,
		client:  &client,
		agent:   agent,
		slots:   make(chan struct{}, opt.Workers),
		hosts:   map[string]*host{},
	}
}

func defaultTransport(guarded bool) http.RoundTripper {
	t, ok := http.DefaultTransport.(*http.Transport)
	if !ok {
		t = &http.Transport{Proxy: http.ProxyFromEnvironment}
	} else {
		t = t.Clone()
	}
	t.MaxIdleConnsPerHost = 2
	if guarded && !proxyConfigured() {
		t.DialContext = guardedDialer()
	}
	return t
}

// proxyConfigured reports whether the environment names a proxy for web
// requests.
func proxyConfigured() bool {
	for _, scheme := range []string{"http", "https"} {
		if p, err := http.ProxyFromEnvironment(&http.Request{URL: &url.URL{Scheme: scheme, Host: "example.com"}}); err != nil || p != nil {
			return true
		}
	}
	return false
}

// now is the clock, as Checked records it.
func (c *Checker) now() time.Time { return c.opt.Now().UTC().Truncate(time.Second) }

// job is one distinct link to ask for.
type job struct {
	key string // the URL without its fragment
	u   *url.URL
	res *Result
}

// Check checks urls and returns their results in the same order.
func (c *Checker) Check(ctx context.Context, urls []string) ([]Result, error) {
	c.run.Lock()
	defer c.run.Unlock()

	cache := loadCache(c.opt.Cache)
	now := c.now()
	var progress sync.Mutex
	report := func(r Result) {
		if c.opt.Progress != nil {
			progress.Lock()
			c.opt.Progress(r)
			progress.Unlock()
		}
	}

	distinct := map[string]*Result{}
	keys := make([]string, len(urls))
	byHost := map[string][]*job{}
	var hostOrder []string
	for i, raw := range urls {
		key, _, _ := strings.Cut(raw, "#")
		keys[i] = key
		if distinct[key] != nil {
			continue
		}
		r := &Result{URL: raw}
		distinct[key] = r
		u, skip := parse(key)
		if skip != nil {
			*r = *skip
			r.URL, r.Checked = raw, now
			report(*r)
			continue
		}
		if e, ok := cache[key]; ok && c.fresh(e, now) {
			*r = e.result(raw)
			report(*r)
			continue
		}
		h := strings.ToLower(u.Host)
		if byHost[h] == nil {
			hostOrder = append(hostOrder, h)
		}
		byHost[h] = append(byHost[h], &job{key: key, u: u, res: r})
	}

	// Each host's links are taken by PerHost goroutines of their own, so
	// that a slow host waits on its own links and not on the others'.
	var wg sync.WaitGroup
	var done sync.Mutex
	for _, h := range hostOrder {
		jobs := byHost[h]
		var next atomic.Int64
		for range min(c.opt.PerHost, len(jobs)) {
			wg.Go(func() {
				for ctx.Err() == nil {
					i := int(next.Add(1)) - 1
					if i >= len(jobs) {
						return
					}
					j := jobs[i]
					r, ok := c.check(ctx, j.u)
					if !ok {
						return
					}
					r.URL = j.res.URL
					done.Lock()
					*j.res = r
					if r.Status != Skipped { // a private address, never asked for
						cache[j.key] = entryOf(r)
					}
					done.Unlock()
					report(r)
				}
			})
		}
	}
	wg.Wait()

	out := make([]Result, len(urls))
	for i, raw := range urls {
		out[i] = *distinct[keys[i]]
		out[i].URL = raw
	}
	werr := c.saveCache(cache, c.now())
	if err := ctx.Err(); err != nil {
		return out, err
	}
	return out, werr
}

// parse reads a link's URL; a link that is not to be fetched comes back
// as its result.
func parse(raw string) (*url.URL, *Result) {
	u, err := url.Parse(raw)
	if err != nil {
		scheme, _, ok := strings.Cut(raw, ":")
		scheme = strings.ToLower(scheme)
		if ok && (scheme == "http" || scheme == "https") {
			return nil, &Result{Status: Error, Reason: reason(Error, whyInvalid, "", 0, "")}
		}
		return nil, &Result{Status: Skipped, Reason: reason(Skipped, whyRelative, "", 0, "")}
	}
	switch {
	case u.Scheme == "":
		return nil, &Result{Status: Skipped, Reason: reason(Skipped, whyRelative, "", 0, "")}
	case u.Scheme != "http" && u.Scheme != "https":
		return nil, &Result{Status: Skipped, Reason: reason(Skipped, whyScheme, u.Scheme, 0, "")}
	case u.Hostname() == "":
		return nil, &Result{Status: Error, Reason: reason(Error, whyInvalid, "", 0, "")}
	}
	return u, nil
}

// gate waits until a request to u's host may start, under the Workers,
// PerHost and Interval limits, and returns how to end it.
func (c *Checker) gate(ctx context.Context, h *host) (release func(), err error) {
	select {
	case h.slots <- struct{}{}:
	case <-ctx.Done():
		return nil, ctx.Err()
	}
	select {
	case c.slots <- struct{}{}:
	case <-ctx.Done():
		<-h.slots
		return nil, ctx.Err()
	}
	release = func() { <-c.slots; <-h.slots }
	// The start is booked once both slots are held, so that the time
	// waited here is the only wait between booking and starting.
	h.mu.Lock()
	now := time.Now()
	start := now
	if h.next.After(now) {
		start = h.next
	}
	h.next = start.Add(c.opt.Interval)
	h.mu.Unlock()
	if wait := start.Sub(now); wait > 0 {
		t := time.NewTimer(wait)
		defer t.Stop()
		select {
		case <-t.C:
		case <-ctx.Done():
			release()
			return nil, ctx.Err()
		}
	}
	return release, nil
}

func (c *Checker) host(u *url.URL) *host {
	key := strings.ToLower(u.Host)
	c.mu.Lock()
	defer c.mu.Unlock()
	h := c.hosts[key]
	if h == nil {
		h = &host{slots: make(chan struct{}, c.opt.PerHost)}
		c.hosts[key] = h
	}
	return h
}
