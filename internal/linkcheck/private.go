package linkcheck

import (
	"context"
	"net"
	"net/http"
	"net/netip"
	"net/url"
	"syscall"
	"time"
)

// privateError is a link to an address inside the network the check
// runs in. Bulletins are untrusted, and the checker runs on an office's
// machine: a link to http://192.168.1.1/reboot must not be asked for.
type privateError struct{ host string }

func (e *privateError) Error() string { return e.host + " is a private or local address" }

// private reports whether ip is not a public unicast address: loopback,
// private (RFC 1918, fc00::/7), shared (100.64.0.0/10), link-local,
// multicast, unspecified, reserved, or an IPv6 address that carries one
// of those (NAT64 64:ff9b::/96, 6to4 2002::/16).
func private(ip netip.Addr) bool {
	ip = ip.Unmap()
	if ip.Is6() {
		b := ip.As16()
		switch {
		case nat64.Contains(ip):
			return private(netip.AddrFrom4([4]byte(b[12:16])))
		case sixToFour.Contains(ip):
			return private(netip.AddrFrom4([4]byte(b[2:6])))
		}
	}
	if !ip.IsGlobalUnicast() || ip.IsPrivate() {
		return true
	}
	for _, p := range reserved {
		if p.Contains(ip) {
			return true
		}
	}
	return false
}

var (
	nat64     = netip.MustParsePrefix("64:ff9b::/96")
	sixToFour = netip.MustParsePrefix("2002::/16")
	// Ranges IsGlobalUnicast lets through that no public site is on.
	reserved = []netip.Prefix{
		netip.MustParsePrefix("0.0.0.0/8"), netip.MustParsePrefix("100.64.0.0/10"), netip.MustParsePrefix("198.18.0.0/15"),
		netip.MustParsePrefix("240.0.0.0/4"), netip.MustParsePrefix("::/96"),
	}
)

// guard refuses u when its host is, or resolves to, a private address.
// Through a proxy the proxy resolves names, and only an address written
// in the link can be judged.
func (c *Checker) guard(ctx context.Context, u *url.URL) error {
	host := u.Hostname()
	if ip, err := netip.ParseAddr(host); err == nil {
		if private(ip) {
			return &privateError{host}
		}
		return nil
	}
	if p, err := http.ProxyFromEnvironment(&http.Request{URL: u}); err == nil && p != nil {
		return nil
	}
	addrs, err := net.DefaultResolver.LookupNetIP(ctx, "ip", host)
	if err != nil {
		return nil // the request says the host is not found
	}
	for _, a := range addrs {
		if private(a) {
			return &privateError{host}
		}
	}
	return nil
}

// guardedDialer dials no private address, so that a name that resolved
// to a public address for guard and to a private one a moment later
// (DNS rebinding) is still refused. Only for a transport without a
// proxy, which may itself be on a private address.
func guardedDialer() func(ctx context.Context, network, addr string) (net.Conn, error) {
	d := &net.Dialer{Timeout: 30 * time.Second, KeepAlive: 30 * time.Second,
		Control: func(_, address string, _ syscall.RawConn) error {
			if ap, err := netip.ParseAddrPort(address); err == nil && private(ap.Addr()) {
				return &privateError{ap.Addr().String()}
			}
			return nil
		}}
	return d.DialContext
}
