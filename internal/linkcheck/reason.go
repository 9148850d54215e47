package linkcheck

import "bulletin/internal/diag"

// reasonFor is the message that says why a link has status s. The cache
// keeps why, detail, code and the hops rather than the message, so that
// a cached result reads as a fresh one; ok is false for a why that s
// cannot have (a hand-edited cache).
func reasonFor(s Status, why, detail string, code int, final string) (m *diag.Message, ok bool) {
	switch s {
	case OK:
		if why == "" {
			return nil, true
		}
	case Redirected:
		if why == "" {
			return &diag.Message{Format: "redirects to %s", Args: []any{final}}, true
		}
	case Moved:
		if why == "" {
			return &diag.Message{Format: "now leads to another site: %s", Args: []any{final}}, true
		}
	case Broken:
		if why == "" {
			return &diag.Message{Format: "the server answers HTTP %d", Args: []any{code}}, true
		}
	case Timeout:
		if why == "" {
			return &diag.Message{Format: "no answer within %s", Args: []any{detail}}, true
		}
	case Skipped:
		switch why {
		case whyRelative:
			return &diag.Message{Format: "not an absolute web address; not checked"}, true
		case whyScheme:
			return &diag.Message{Format: "a %s: link, not a web page; not checked", Args: []any{detail}}, true
		case whyPrivate:
			return &diag.Message{Format: "%s is a private or local address, inside the network the check runs in; not checked", Args: []any{detail}}, true
		}
	case Error:
		switch why {
		case whyDNS:
			return &diag.Message{Format: "host %q not found (DNS)", Args: []any{detail}}, true
		case whyRefused:
			return &diag.Message{Format: "the server refused the connection"}, true
		case whyUnreachable:
			return &diag.Message{Format: "the server cannot be reached"}, true
		case whyReset:
			return &diag.Message{Format: "the connection broke off before an answer"}, true
		case whyTLSExpired:
			return &diag.Message{Format: "the site's certificate has expired or is not valid yet"}, true
		case whyTLSHost:
			return &diag.Message{Format: "the site's certificate is not for host %q", Args: []any{detail}}, true
		case whyTLSAuth:
			return &diag.Message{Format: "the site's certificate is not signed by a known authority"}, true
		case whyTLS:
			return &diag.Message{Format: "the secure connection (TLS) failed: %s", Args: []any{detail}}, true
		case whyRequest:
			return &diag.Message{Format: "the request failed: %s", Args: []any{detail}}, true
		case whyRedirects:
			return &diag.Message{Format: "more than %s redirects", Args: []any{detail}}, true
		case whyLoop:
			return &diag.Message{Format: "the redirects go round in a loop"}, true
		case whyLocation:
			return &diag.Message{Format: "a redirect (HTTP %d) names no usable address", Args: []any{code}}, true
		case whyToScheme:
			return &diag.Message{Format: "redirects to a %s: address, not a web page", Args: []any{detail}}, true
		case whyInvalid:
			return &diag.Message{Format: "not a valid web address"}, true
		}
	}
	return nil, false
}

// reason is reasonFor's message, for a result made here.
func reason(s Status, why, detail string, code int, final string) *diag.Message {
	m, _ := reasonFor(s, why, detail, code, final)
	return m
}
