package digest

import (
	"bytes"
	"encoding/base64"
	"fmt"
	"io/fs"
	"net/url"
	"path"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"bulletin/internal/site"
)

// links decides where the URLs of a bulletin's body point in one copy of
// an issue.
type links struct {
	base site.Base
	// web: the copy in the site archive, where site paths work as they are
	// (under base_url's path). Otherwise the standalone file: pages of the
	// site become absolute URLs, and images are embedded from sources.
	web     bool
	sources fs.FS
}

// site returns the link for a site path (/bulletins/a/x.pdf).
func (l links) site(p string) string {
	if l.web {
		return l.base.Rel(p)
	}
	return l.base.Abs(p)
}

// rewriteBody adapts a bulletin's HTML to its place in the issue: ids get
// the item's prefix (every body numbers its footnotes fn:1, and headings
// may repeat across items); relative links, made for the bulletin's own
// page, are resolved from it; and headings move down by shift levels to
// sit under the item's title, keeping their own level as a class (h2) for
// the stylesheet.
//
// In the standalone file an image that cannot be embedded is left out,
// with a note in its place, and its src is returned: opening or printing
// the file must fetch nothing from the network, which would tell a
// stranger's server, or the site's, that the office is reading it.
func (l links) rewriteBody(body string, b *site.Bulletin, prefix string, shift int) (string, []string) {
	z := html.NewTokenizer(strings.NewReader(body))
	var out bytes.Buffer
	var omitted []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break // io.EOF: the body is our own well-formed HTML
		}
		raw := z.Raw()
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken && tt != html.EndTagToken {
			out.Write(raw)
			continue
		}
		raw = bytes.Clone(raw)
		tok := z.Token()
		changed := false
		if i := slices.IndexFunc(tok.Attr, isSrc); tok.Data == "img" && !l.web && i >= 0 {
			// Embedded, or left out.
			data := l.url(tok.Attr[i].Val, b, prefix, true)
			if !strings.HasPrefix(data, "data:") {
				omitted = append(omitted, tok.Attr[i].Val)
				out.WriteString(imageNote(&tok))
				continue
			}
			tok.Attr[i].Val, changed = data, true
		}
		if level := headingLevel(tok.Data); level > 0 && shift > 0 {
			tok.Data = fmt.Sprintf("h%d", min(6, level+shift))
			if tt == html.StartTagToken {
				tok.Attr = append(tok.Attr, html.Attribute{Key: "class", Val: fmt.Sprintf("h%d", level)})
			}
			changed = true
		}
		for i, a := range tok.Attr {
			v := a.Val
			switch a.Key {
			case "id":
				v = prefix + v
			case "href", "src":
				v = l.url(v, b, prefix, tok.Data == "img" && a.Key == "src")
			}
			if v != a.Val {
				tok.Attr[i].Val, changed = v, true
			}
		}
		if changed {
			out.WriteString(tok.String())
		} else {
			out.Write(raw)
		}
	}
	return out.String(), omitted
}

func isSrc(a html.Attribute) bool { return a.Key == "src" }

// imageNote stands in for an image left out: （图略：alt text）, the way
// printed documents mark a figure they leave out.
func imageNote(tok *html.Token) string {
	alt := ""
	for _, a := range tok.Attr {
		if a.Key == "alt" {
			alt = strings.TrimSpace(a.Val)
		}
	}
	note := "（图略）"
	if alt != "" {
		note = "（图略：" + alt + "）"
	}
	return `<span class="image-omitted">` + html.EscapeString(note) + `</span>`
}

// sourceLine returns the line of the bulletin's source file that holds
// s, 0 when it cannot tell.
func (l links) sourceLine(b *site.Bulletin, s string) int {
	if l.sources == nil || s == "" {
		return 0
	}
	src, err := fs.ReadFile(l.sources, b.Source)
	if err != nil {
		return 0
	}
	text := strings.ReplaceAll(strings.ReplaceAll(string(src), "\r\n", "\n"), "\r", "\n")
	for _, want := range []string{s, unescapePath(s)} {
		if i := strings.Index(text, want); i >= 0 {
			return strings.Count(text[:i], "\n") + 1
		}
	}
	return 0
}

// unescapePath undoes the percent-encoding Markdown rendering adds to a
// URL with Chinese or spaces in it.
func unescapePath(s string) string {
	if u, err := url.PathUnescape(s); err == nil {
		return u
	}
	return s
}

// headingLevel is n for hn, 0 for any other tag.
func headingLevel(tag string) int {
	if len(tag) == 2 && tag[0] == 'h' && tag[1] >= '1' && tag[1] <= '6' {
		return int(tag[1] - '0')
	}
	return 0
}

func (l links) url(v string, b *site.Bulletin, prefix string, image bool) string {
	if strings.HasPrefix(v, "#") {
		return "#" + prefix + v[1:]
	}
	u, err := url.Parse(v)
	if err != nil || u.Scheme != "" || u.Host != "" {
		return v // the site allows only http(s), mailto and tel here
	}
	page, _ := url.Parse(b.URL)
	target := page.ResolveReference(u)
	if image && !l.web {
		if data, ok := l.embed(target.Path, b); ok {
			return data
		}
	}
	s := l.site(target.Path)
	if target.RawQuery != "" {
		s += "?" + target.RawQuery
	}
	if target.Fragment != "" {
		s += "#" + target.Fragment
	}
	return s
}

// imageTypes are the image formats embedded in the standalone HTML; a
// fixed list, so that the output does not depend on the system's MIME
// tables.
var imageTypes = map[string]string{
	".png": "image/png", ".jpg": "image/jpeg", ".jpeg": "image/jpeg",
	".gif": "image/gif", ".webp": "image/webp", ".svg": "image/svg+xml",
}

// embed returns the attachment published at the site path p as a data:
// URL, so that the printed file needs nothing from the network.
func (l links) embed(p string, b *site.Bulletin) (string, bool) {
	if l.sources == nil || path.Dir(p)+"/" != b.URL {
		return "", false
	}
	for _, a := range b.Attachments {
		if a.Name != path.Base(p) {
			continue
		}
		typ, ok := imageTypes[strings.ToLower(path.Ext(a.Name))]
		if !ok {
			return "", false
		}
		data, err := fs.ReadFile(l.sources, a.Source)
		if err != nil {
			return "", false // the file stays a link to the site
		}
		return "data:" + typ + ";base64," + base64.StdEncoding.EncodeToString(data), true
	}
	return "", false
}
