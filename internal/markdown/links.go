package markdown

import (
	"bytes"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/util"
)

// destKind is what the link policy makes of a destination.
type destKind int

const (
	destRelative destKind = iota // a path to resolve: "../2024/a.md", "img/a.png"
	destLocal                    // "#fragment" or "/site/path": kept as is
	destAllowed                  // http, https, mailto, tel
	destBlocked                  // any other scheme
)

// classifyDest applies the link policy to a destination whose Markdown
// escapes and character references are already resolved.
func classifyDest(dest []byte) destKind {
	clean := cleanDest(dest)
	if len(clean) > 0 && (clean[0] == '#' || clean[0] == '/') {
		return destLocal
	}
	scheme, ok := schemeOf(clean)
	if !ok {
		return destRelative
	}
	switch scheme {
	case "http", "https", "mailto", "tel":
		return destAllowed
	}
	return destBlocked
}

// isExternal reports whether dest leaves the site over http(s).
func isExternal(dest []byte) bool {
	clean := cleanDest(dest)
	scheme, _ := schemeOf(clean)
	return scheme == "http" || scheme == "https" || bytes.HasPrefix(clean, []byte("//"))
}

// cleanDest is a destination as the link policy judges it: without
// control characters (dropControls) and without spaces around it. Spaces
// inside are kept, so "ht tp:" has the scheme "ht tp", which is refused,
// rather than "http", which a browser would never see in "ht%20tp:".
func cleanDest(dest []byte) []byte {
	return bytes.Trim(dropControls(dest), " ")
}

// dropControls removes ASCII control characters from a destination. A
// browser ignores tabs and newlines anywhere in a URL, so "java\tscript:"
// must be judged as "javascript:"; other controls are never meant in a
// link. The renderer writes the destination without them too, so what is
// judged is what the browser reads.
func dropControls(dest []byte) []byte {
	if bytes.IndexFunc(dest, isControl) < 0 {
		return dest
	}
	clean := make([]byte, 0, len(dest))
	for _, c := range dest {
		if !isControl(rune(c)) {
			clean = append(clean, c)
		}
	}
	return clean
}

func isControl(r rune) bool { return r < ' ' || r == 0x7f }

// schemeOf returns the lowercased scheme of a cleaned destination. Any ':'
// before the path, query or fragment makes a scheme, even one a browser
// would not accept: refusing it costs nothing.
func schemeOf(clean []byte) (string, bool) {
	i := bytes.IndexAny(clean, ":/?#")
	if i < 0 || clean[i] != ':' {
		return "", false
	}
	return string(bytes.ToLower(clean[:i])), true
}

// autoLinkDest is the destination of an autolink as goldmark's renderer
// builds it: the URL, with "mailto:" added to bare e-mail addresses.
func autoLinkDest(n *ast.AutoLink, src []byte) []byte {
	u := n.URL(src)
	if n.AutoLinkType == ast.AutoLinkEmail && !bytes.HasPrefix(bytes.ToLower(u), []byte("mailto:")) {
		u = append([]byte("mailto:"), u...)
	}
	return u
}

// unescapeDest resolves backslash escapes and character references in a
// link destination, as goldmark's renderer would before writing it.
func unescapeDest(dest []byte) []byte {
	return util.ResolveEntityNames(util.ResolveNumericReferences(util.UnescapePunctuations(dest)))
}

// unwrap replaces a link by its text, or an image by its alt text.
func unwrap(n ast.Node, src []byte) {
	parent := n.Parent()
	if parent == nil {
		return
	}
	if a, ok := n.(*ast.AutoLink); ok {
		s := ast.NewString(a.Label(src))
		s.SetRaw(true) // the label is shown as typed, like goldmark does
		parent.ReplaceChild(parent, n, s)
		return
	}
	for c := n.FirstChild(); c != nil; {
		next := c.NextSibling()
		parent.InsertBefore(parent, n, c)
		c = next
	}
	parent.RemoveChild(parent, n)
}

// clip shortens a destination quoted in a message, on a rune boundary.
func clip(dest []byte) string {
	const limit = 60
	if utf8.RuneCount(dest) <= limit {
		return string(dest)
	}
	n := 0
	for i := range string(dest) {
		if n == limit {
			return string(dest[:i]) + "…"
		}
		n++
	}
	return string(dest)
}

// linkRenderer renders links, images and autolinks in place of goldmark's
// HTML renderer: it writes the destination the transformer decided on
// (already unescaped, so it is not unescaped twice), re-checks the policy
// as a last line of defence, and marks external links noopener noreferrer.
type linkRenderer struct {
	writer html.Writer // for titles, which still hold Markdown escapes
}

func (r *linkRenderer) RegisterFuncs(reg renderer.NodeRendererFuncRegisterer) {
	reg.Register(ast.KindLink, r.renderLink)
	reg.Register(ast.KindImage, r.renderImage)
	reg.Register(ast.KindAutoLink, r.renderAutoLink)
}

func (r *linkRenderer) writeURL(w util.BufWriter, dest []byte) {
	dest = dropControls(dest)
	if classifyDest(dest) == destBlocked {
		return
	}
	_, _ = w.Write(util.EscapeHTML(util.URLEscape(dest, false)))
}

func (r *linkRenderer) writeTitle(w util.BufWriter, title []byte) {
	if title == nil {
		return
	}
	_, _ = w.WriteString(` title="`)
	r.writer.Write(w, title)
	_ = w.WriteByte('"')
}

func (r *linkRenderer) renderLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	n := node.(*ast.Link)
	if !entering {
		_, _ = w.WriteString("</a>")
		return ast.WalkContinue, nil
	}
	_, _ = w.WriteString(`<a href="`)
	r.writeURL(w, n.Destination)
	_ = w.WriteByte('"')
	r.writeTitle(w, n.Title)
	// Set by the transformer from the resolver alone: the parser reads no
	// attribute syntax, so an author cannot set one.
	if v, ok := n.AttributeString("download"); ok {
		if name, ok := v.([]byte); ok {
			_, _ = w.WriteString(` download="`)
			_, _ = w.Write(util.EscapeHTML(name))
			_ = w.WriteByte('"')
		}
	}
	if isExternal(n.Destination) {
		_, _ = w.WriteString(` rel="noopener noreferrer"`)
	}
	_ = w.WriteByte('>')
	return ast.WalkContinue, nil
}

func (r *linkRenderer) renderImage(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.Image)
	_, _ = w.WriteString(`<img src="`)
	r.writeURL(w, n.Destination)
	_, _ = w.WriteString(`" alt="`)
	_, _ = w.Write(util.EscapeHTML([]byte(inlineText(n, src))))
	_ = w.WriteByte('"')
	r.writeTitle(w, n.Title)
	_ = w.WriteByte('>')
	return ast.WalkSkipChildren, nil
}

func (r *linkRenderer) renderAutoLink(w util.BufWriter, src []byte, node ast.Node, entering bool) (ast.WalkStatus, error) {
	if !entering {
		return ast.WalkContinue, nil
	}
	n := node.(*ast.AutoLink)
	dest := autoLinkDest(n, src)
	_, _ = w.WriteString(`<a href="`)
	r.writeURL(w, dest)
	_ = w.WriteByte('"')
	if isExternal(dest) {
		_, _ = w.WriteString(` rel="noopener noreferrer"`)
	}
	_ = w.WriteByte('>')
	_, _ = w.Write(util.EscapeHTML(n.Label(src)))
	_, _ = w.WriteString("</a>")
	return ast.WalkContinue, nil
}
