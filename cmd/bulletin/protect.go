package main

import (
	"flag"
	"log/slog"
	"net/netip"

	"bulletin/internal/serve"
)

// protectFlags are the flags of the servers facing readers (serve and
// search-server): rate limits, the proxies trusted, the access log.
type protectFlags struct {
	rate      *float64
	burst     *int
	trusted   []netip.Prefix
	accessLog *bool
}

func (f *protectFlags) register(e *env, fs *flag.FlagSet, name string) {
	f.rate = fs.Float64("rate", 20, "requests a `second` one client may make on average (behind a proxy, see -trust-proxy)")
	fs.Func("trust-proxy", "the `addresses` of the proxies in front of this server, such as 127.0.0.1,::1 for nginx on this machine\n"+
		"(IP addresses or CIDR prefixes, comma-separated): a request from one of them is from the client that\n"+
		"X-Forwarded-For names, the right-most address there that is not one of them. Off by default:\n"+
		"without it, every client could claim any address", func(list string) error {
		ps, err := serve.ParseProxies(list)
		f.trusted = append(f.trusted, ps...)
		return e.setFailed(err)
	})
	f.burst = fs.Int("burst", 80, "requests one client may make at once")
	f.accessLog = fs.Bool("access-log", true, "log every request to standard error as JSON")
}

// check refuses a rate or burst that would refuse every request.
func (f *protectFlags) check(e *env, name string) error {
	// A negative rate or burst would refuse every request (0 would be
	// read as the default): a mistake, not a setting.
	if *f.rate <= 0 || *f.burst < 1 {
		return e.cmdUsagef(name, "-rate must be above 0 and -burst at least 1, not %v and %d", *f.rate, *f.burst)
	}
	return nil
}

// options are the options of serve.Protect for a site at basePath.
func (f *protectFlags) options(e *env, basePath string, quiet bool) serve.ProtectOptions {
	opt := serve.ProtectOptions{Rate: *f.rate, Burst: *f.burst, TrustProxy: f.trusted, BasePath: basePath}
	if *f.accessLog && !quiet {
		opt.Log = slog.New(slog.NewJSONHandler(e.stderr, nil))
	}
	return opt
}
