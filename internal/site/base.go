package site

import (
	"net/url"
	"strings"
	"time"

	"bulletin/internal/diag"
)

// Base is base_url, the address the site is published at, parsed once
// when site.yaml loads so that every page, feed and digest makes its
// links the same way. The zero Base is a site at / with no address:
// its links stay site-relative.
type Base struct {
	origin   string // https://news.example.gov.cn:8443
	hostport string // news.example.gov.cn:8443
	host     string // news.example.gov.cn
	path     string // /news/: always ends in "/", escaped as in a URL
	decoded  string // path unescaped, as the paths of requests are
}

// ParseBase checks base_url: an absolute http(s) address without query,
// fragment or credentials. A path without its final "/" gets one, so
// that /news means the folder /news/.
func ParseBase(s string) (Base, error) {
	u, err := url.Parse(s)
	if err != nil || (u.Scheme != "http" && u.Scheme != "https") || u.Host == "" || u.Hostname() == "" ||
		u.User != nil || u.RawQuery != "" || u.ForceQuery || u.Fragment != "" {
		return Base{}, diag.Errorf("base_url %q must be an absolute http(s) address such as https://news.example.gov.cn/", s)
	}
	b := Base{origin: u.Scheme + "://" + u.Host, hostport: u.Host, host: u.Hostname(), path: u.EscapedPath(), decoded: u.Path}
	if !strings.HasSuffix(b.path, "/") {
		b.path += "/"
	}
	if !strings.HasSuffix(b.decoded, "/") {
		b.decoded += "/"
	}
	return b, nil
}

// String is base_url as links use it, ending in "/".
func (b Base) String() string { return b.origin + b.path }

// Scheme is base_url's scheme, http or https; https for the zero Base.
func (b Base) Scheme() string {
	if scheme, _, ok := strings.Cut(b.origin, "://"); ok {
		return scheme
	}
	return "https"
}

// IsZero reports whether b is no address at all.
func (b Base) IsZero() bool { return b.origin == "" }

// Path is the folder base_url puts the site at, such as / or /news/,
// unescaped as the paths of requests are: for serving and matching.
func (b Base) Path() string {
	if b.decoded == "" {
		return "/"
	}
	return b.decoded
}

// Host is base_url's host name without a port: the tag URIs' authority
// and the SiteDomain meta tag.
func (b Base) Host() string { return b.host }

// Rel is the link path of the site path p (/bulletins/a/) under base_url's
// path (/news/bulletins/a/). Anything not starting with "/" is returned
// as it is.
func (b Base) Rel(p string) string {
	if !strings.HasPrefix(p, "/") || b.path == "" {
		return p
	}
	return b.path + p[1:]
}

// Abs is the absolute URL of the site path p under base_url. Anything not
// starting with "/" is returned as it is.
func (b Base) Abs(p string) string {
	if !strings.HasPrefix(p, "/") {
		return p
	}
	return b.origin + b.Rel(p)
}

// Owns reports whether u names base_url's host and port, whatever its
// scheme: a page copied from the http address is still on the site.
func (b Base) Owns(u *url.URL) bool {
	return b.hostport != "" && strings.EqualFold(u.Host, b.hostport)
}

// TagURI is the tag URI (RFC 4151) of the thing at site path p first
// published on day, as Atom ids and RSS guids: tag:host,2024-01-12:/p.
// The day is read in day's location, which should be the site's; the
// path is the site path, not the link, so that moving the site under
// another base path keeps every id.
func (b Base) TagURI(day time.Time, p string) string {
	return "tag:" + b.host + "," + day.Format(time.DateOnly) + ":" + p
}
