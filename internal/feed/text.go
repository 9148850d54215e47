package feed

import (
	"bytes"
	"net/url"
	"strings"
	"unicode/utf8"

	"golang.org/x/net/html"
)

// xmlText returns s without the characters XML 1.0 cannot carry: control
// characters other than tab and line breaks (pasted from word processors
// into bulletins), U+FFFE and U+FFFF, and bytes that are not UTF-8 (among
// them encoded lone surrogates). encoding/xml would turn them into U+FFFD
// in text and pass them through in CDATA, making the feed unreadable; a
// missing control character loses nothing a reader could see.
func xmlText(s string) string {
	for i := 0; i < len(s); {
		if c := s[i]; c >= 0x20 && c < utf8.RuneSelf {
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if !xmlChar(r, n) {
			return stripFrom(s, i)
		}
		i += n
	}
	return s
}

// stripFrom copies s, dropping what XML forbids from index i on; s[:i] is
// known to be clean.
func stripFrom(s string, i int) string {
	var b strings.Builder
	b.Grow(len(s))
	b.WriteString(s[:i])
	for i < len(s) {
		r, n := utf8.DecodeRuneInString(s[i:])
		if xmlChar(r, n) {
			b.WriteString(s[i : i+n])
		}
		i += n
	}
	return b.String()
}

// xmlChar reports whether the rune r, n bytes long in its string, is an
// XML 1.0 Char.
func xmlChar(r rune, n int) bool {
	switch {
	case r == utf8.RuneError && n == 1:
		return false
	case r < 0x20:
		return r == '\t' || r == '\n' || r == '\r'
	case r == 0xFFFE || r == 0xFFFF:
		return false
	}
	return true
}

// absolutize returns the HTML body of the bulletin at page (an absolute URL)
// with every href and src absolute, because a feed reader shows the body
// away from the site, where the page's relative links mean nothing:
//
//	canteen.png   -> page's folder + canteen.png
//	../other/     -> resolved against page
//	/x            -> base + x (site-relative, under base_url's path)
//	#frag         -> page + #frag
//
// Absolute URLs, mailto: and tel: are left alone. Only the rewritten tags
// are re-serialised; every other byte is copied as it was.
func absolutize(body, page, base string) string {
	if !strings.Contains(body, "href") && !strings.Contains(body, "src") {
		return body
	}
	pageURL, err := url.Parse(page)
	if err != nil {
		return body
	}
	var out bytes.Buffer
	out.Grow(len(body) + len(body)/8)
	z := html.NewTokenizer(strings.NewReader(body))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			// Reading a string only ends at its end.
			return out.String()
		}
		raw := z.Raw()
		mark := out.Len()
		out.Write(raw)
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken ||
			!bytes.Contains(raw, []byte("href")) && !bytes.Contains(raw, []byte("src")) {
			continue
		}
		tok := z.Token()
		changed := false
		for i, a := range tok.Attr {
			if a.Namespace != "" || a.Key != "href" && a.Key != "src" {
				continue
			}
			if v := resolve(a.Val, pageURL, page, base); v != a.Val {
				tok.Attr[i].Val = v
				changed = true
			}
		}
		if changed {
			out.Truncate(mark)
			out.WriteString(tok.String())
		}
	}
}

// resolve makes the link v on the page at pageURL (pageStr as a string)
// absolute; base is base_url, ending in "/".
func resolve(v string, pageURL *url.URL, pageStr, base string) string {
	switch {
	case v == "":
		return v
	case v[0] == '#':
		// Kept as written: re-encoding would percent-escape Chinese
		// heading ids for no gain.
		return pageStr + v
	case strings.HasPrefix(v, "//"):
		return pageURL.Scheme + ":" + v
	case v[0] == '/':
		return base + v[1:]
	}
	ref, err := url.Parse(v)
	if err != nil || ref.Scheme != "" {
		return v
	}
	return pageURL.ResolveReference(ref).String()
}
