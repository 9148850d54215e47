package linkcheck

import (
	"context"
	"crypto/tls"
	"crypto/x509"
	"errors"
	"io"
	"net"
	"net/http"
	"net/http/cookiejar"
	"net/url"
	"strconv"
	"strings"
	"syscall"

	"golang.org/x/net/publicsuffix"
)

// check follows one link to its end. ok is false when ctx ended first:
// the link was not checked.
func (c *Checker) check(ctx context.Context, start *url.URL) (r Result, ok bool) {
	// A jar per link: cookies set on the way are sent on along the chain
	// and forgotten after it.
	jar, _ := cookiejar.New(&cookiejar.Options{PublicSuffixList: publicsuffix.List})
	cur := start
	seen := map[string]bool{cur.String(): true}
	loop := false
	end := func(s Status, why, detail string, code int) (Result, bool) {
		res := Result{Status: s, Code: code, Hops: r.Hops, Checked: c.now(), why: why, detail: detail}
		if len(res.Hops) > 0 {
			res.Final = res.Hops[len(res.Hops)-1].To
		}
		res.Reason = reason(s, why, detail, code, res.Final)
		return res, true
	}
	for {
		a, err := c.fetch(ctx, cur, jar)
		if ctx.Err() != nil {
			return Result{}, false
		}
		if err != nil {
			s, why, detail := c.classify(err)
			return end(s, why, detail, 0)
		}
		if !redirect(a.code) {
			switch {
			case len(r.Hops) > 0 && !sameSite(start.Hostname(), cur.Hostname()):
				return end(Moved, "", "", a.code)
			case a.code >= 400:
				return end(Broken, "", "", a.code)
			case len(r.Hops) > 0:
				return end(Redirected, "", "", a.code)
			}
			return end(OK, "", "", a.code)
		}
		loc, err := cur.Parse(a.location)
		if a.location == "" || err != nil || loc.Hostname() == "" && (loc.Scheme == "http" || loc.Scheme == "https") {
			return end(Error, whyLocation, "", a.code)
		}
		if loc.Scheme != "http" && loc.Scheme != "https" {
			return end(Error, whyToScheme, loc.Scheme, a.code)
		}
		loc.Fragment, loc.RawFragment = "", ""
		r.Hops = append(r.Hops, Hop{Code: a.code, To: loc.String()})
		if seen[loc.String()] {
			loop = true
		}
		seen[loc.String()] = true
		if len(r.Hops) > c.opt.MaxRedirects {
			if loop {
				return end(Error, whyLoop, "", a.code)
			}
			return end(Error, whyRedirects, strconv.Itoa(c.opt.MaxRedirects), a.code)
		}
		cur = loc
	}
}

func redirect(code int) bool {
	switch code {
	case http.StatusMovedPermanently, http.StatusFound, http.StatusSeeOther,
		http.StatusTemporaryRedirect, http.StatusPermanentRedirect:
		return true
	}
	return false
}

// answer is what a server said to one request.
type answer struct {
	code     int
	location string
}

// fetch asks for u with HEAD, and with GET where HEAD is refused or the
// host is known to refuse it.
func (c *Checker) fetch(ctx context.Context, u *url.URL, jar http.CookieJar) (answer, error) {
	h := c.host(u)
	if !h.noHead.Load() {
		a, err := c.do(ctx, h, http.MethodHead, u, jar)
		if err != nil {
			if ctx.Err() != nil {
				return a, err
			}
			// Only a connection broken off may be HEAD's fault.
			if _, why, _ := c.classify(err); why != whyReset && why != whyRequest {
				return a, err
			}
		} else {
			switch a.code {
			case http.StatusMethodNotAllowed, http.StatusNotImplemented:
				h.noHead.Store(true)
			case http.StatusBadRequest, http.StatusForbidden, http.StatusNotFound:
			default:
				return a, nil
			}
		}
	}
	return c.do(ctx, h, http.MethodGet, u, jar)
}

// do makes one request, under the politeness rules.
func (c *Checker) do(ctx context.Context, h *host, method string, u *url.URL, jar http.CookieJar) (answer, error) {
	release, err := c.gate(ctx, h)
	if err != nil {
		return answer{}, err
	}
	defer release()
	rctx, cancel := context.WithTimeout(ctx, c.opt.Timeout)
	defer cancel()
	if c.guarded {
		// Each hop: a public page may redirect to a private one. Under
		// the politeness rules and the timeout, as the lookup is a
		// request too.
		if err := c.guard(rctx, u); err != nil {
			return answer{}, err
		}
	}
	req, err := http.NewRequestWithContext(rctx, method, u.String(), nil)
	if err != nil {
		return answer{}, err
	}
	req.Header.Set("User-Agent", c.agent)
	req.Header.Set("Accept", "text/html,application/xhtml+xml,*/*;q=0.8")
	for _, ck := range jar.Cookies(u) {
		req.AddCookie(ck)
	}
	resp, err := c.client.Do(req)
	if err != nil {
		return answer{}, err
	}
	defer resp.Body.Close()
	if cs := resp.Cookies(); len(cs) > 0 {
		jar.SetCookies(u, cs)
	}
	a := answer{code: resp.StatusCode, location: resp.Header.Get("Location")}
	if method == http.MethodGet && !redirect(a.code) {
		// Enough to see the server sends the page; an attachment of
		// 100 MB is not downloaded. A body that stops is no answer's
		// fault: the status is in.
		io.CopyN(io.Discard, resp.Body, c.opt.MaxBody)
	}
	return a, nil
}

// Why a link failed, kept in the cache beside the status; reasonFor
// turns them into the message.
const (
	whyDNS         = "dns"
	whyRefused     = "refused"
	whyUnreachable = "unreachable"
	whyReset       = "reset"
	whyTLSExpired  = "tls-expired"
	whyTLSHost     = "tls-host"
	whyTLSAuth     = "tls-authority"
	whyTLS         = "tls"
	whyRequest     = "request"
	whyRedirects   = "redirects"
	whyLoop        = "loop"
	whyLocation    = "location"
	whyToScheme    = "redirect-scheme"
	whyInvalid     = "invalid"  // not cached: no request made
	whyRelative    = "relative" // not cached
	whyPrivate     = "private"  // not cached: never asked for
	whyScheme      = "scheme"   // not cached
)

// classify sorts a failed request into Timeout or Error with the reason.
func (c *Checker) classify(err error) (s Status, why, detail string) {
	var (
		dns     *net.DNSError
		invalid x509.CertificateInvalidError
		hostErr x509.HostnameError
		unknown x509.UnknownAuthorityError
		verify  *tls.CertificateVerificationError
		record  tls.RecordHeaderError
		alert   tls.AlertError
		netErr  net.Error
		opErr   *net.OpError
	)
	var priv *privateError
	switch {
	case errors.As(err, &priv):
		return Skipped, whyPrivate, priv.host
	case errors.Is(err, context.DeadlineExceeded),
		errors.As(err, &netErr) && netErr.Timeout():
		return Timeout, "", c.opt.Timeout.String()
	case errors.As(err, &dns):
		return Error, whyDNS, dns.Name
	case errors.Is(err, syscall.ECONNREFUSED):
		return Error, whyRefused, ""
	case errors.As(err, &invalid) && (invalid.Reason == x509.Expired):
		return Error, whyTLSExpired, ""
	case errors.As(err, &hostErr):
		return Error, whyTLSHost, hostErr.Host
	case errors.As(err, &unknown):
		return Error, whyTLSAuth, ""
	case errors.As(err, &verify), errors.As(err, &invalid):
		return Error, whyTLS, cause(err)
	case errors.As(err, &record), errors.As(err, &alert):
		return Error, whyTLS, cause(err)
	case errors.Is(err, io.EOF), errors.Is(err, io.ErrUnexpectedEOF), errors.Is(err, syscall.ECONNRESET):
		return Error, whyReset, ""
	case errors.As(err, &opErr) && opErr.Op == "dial":
		return Error, whyUnreachable, ""
	}
	return Error, whyRequest, cause(err)
}

// cause is err's text without the method and URL that url.Error puts
// before it: the result already names the link.
func cause(err error) string {
	var ue *url.Error
	if errors.As(err, &ue) {
		err = ue.Err
	}
	return err.Error()
}

// sameSite reports whether two host names belong to one registrable
// domain (eTLD+1): www.mca.gov.cn and mca.gov.cn do, mca.gov.cn and
// www.gov.cn do not. IP addresses and names without one (localhost, a
// public suffix itself) must be equal.
func sameSite(a, b string) bool {
	a = strings.TrimSuffix(strings.ToLower(a), ".")
	b = strings.TrimSuffix(strings.ToLower(b), ".")
	if a == b {
		return true
	}
	if net.ParseIP(a) != nil || net.ParseIP(b) != nil {
		return false
	}
	da, erra := publicsuffix.EffectiveTLDPlusOne(a)
	db, errb := publicsuffix.EffectiveTLDPlusOne(b)
	return erra == nil && errb == nil && da == db
}
