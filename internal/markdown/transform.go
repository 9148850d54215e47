package markdown

import (
	"sort"
	"unicode/utf8"

	"bulletin/internal/diag"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// transformer is the AST transformer run after parsing: it gives headings
// their ids, applies the link policy, notes raw HTML and drops soft line
// breaks between CJK characters. Its per-call state travels in the
// parser.Context under key.
type transformer struct {
	key   parser.ContextKey
	meter parser.ContextKey
}

// renderState is the state of one Render call.
type renderState struct {
	opt        Options
	src        []byte
	lineStarts []int // byte offset where each line of src begins; made on the first problem
	problems   []Problem
}

func (t *transformer) Transform(doc *ast.Document, reader text.Reader, pc parser.Context) {
	st, ok := pc.Get(t.key).(*renderState)
	if !ok {
		return
	}
	src := reader.Source()
	var links []ast.Node
	_ = ast.Walk(doc, func(n ast.Node, entering bool) (ast.WalkStatus, error) {
		if !entering {
			return ast.WalkContinue, nil
		}
		switch n.Kind() {
		case ast.KindHeading:
			// Ids come from the heading's text, not its source line, so
			// markup and link targets stay out of them.
			n.SetAttributeString("id", pc.IDs().Generate([]byte(inlineText(n, src)), ast.KindHeading))
		case ast.KindHTMLBlock, ast.KindRawHTML:
			st.problem(st.line(n), true, &diag.Message{Format: "raw HTML is not allowed and was left out"})
		case ast.KindLink, ast.KindImage, ast.KindAutoLink:
			links = append(links, n)
		case ast.KindText:
			joinCJKLines(n.(*ast.Text), src)
		}
		return ast.WalkContinue, nil
	})
	// Links are rewritten after the walk: unwrapping one moves its children.
	// A reference link copies its definition's destination, so a long one
	// used a hundred thousand times is a hundred thousand long links to
	// check, resolve and write: each is charged to the meter.
	m := meterOf(pc, t.meter)
	for _, n := range links {
		m.charge(linkWork+len(destOf(n)), n.Pos())
		t.link(st, n, src)
	}
}

// joinCJKLines clears the soft line break of a text that ends a line
// between two CJK characters, so neither the HTML (where browsers would
// show the newline as a space) nor Text gets a gap inside a Chinese
// sentence. This is extension.CJK's "simple" East Asian line breaks done
// on the tree: goldmark's renderer counts only Han, kana and U+3000-303F as
// East Asian, so "，" or "（" at a line end kept the space, and it drops the
// break before a link or emphasis even between Latin words
// (github.com/yuin/goldmark/issues/582).
func joinCJKLines(n *ast.Text, src []byte) {
	if !n.SoftLineBreak() {
		return
	}
	before, ok := lastRune(n, src)
	if !ok || !isCJK(before) {
		return
	}
	for x := ast.Node(n); x != nil && x.Type() == ast.TypeInline; x = x.Parent() {
		if next := x.NextSibling(); next != nil {
			if after, ok := firstRune(next, src); ok && isCJK(after) {
				n.SetSoftLineBreak(false)
			}
			return
		}
	}
}

// firstRune returns the first character n renders as text, looking into
// emphasis and links; ok is false for anything else (images, raw HTML).
func firstRune(n ast.Node, src []byte) (r rune, ok bool) {
	for ; n != nil; n = n.NextSibling() {
		switch n := n.(type) {
		case *ast.Text:
			if v := n.Segment.Value(src); len(v) > 0 {
				r, _ = utf8.DecodeRune(v)
				return r, true
			}
			continue
		case *ast.String:
			if len(n.Value) > 0 {
				r, _ = utf8.DecodeRune(n.Value)
				return r, true
			}
			continue
		case *ast.Emphasis, *ast.Link, *ast.CodeSpan, *east.Strikethrough:
			return firstRune(n.FirstChild(), src)
		}
		return 0, false
	}
	return 0, false
}

// lastRune returns the last character of a line-ending text, or of what
// precedes it when the text itself is empty (a line ending in "**").
func lastRune(n ast.Node, src []byte) (r rune, ok bool) {
	for ; n != nil; n = n.PreviousSibling() {
		switch n := n.(type) {
		case *ast.Text:
			if v := n.Segment.Value(src); len(v) > 0 {
				r, _ = utf8.DecodeLastRune(v)
				return r, true
			}
			continue
		case *ast.String:
			if len(n.Value) > 0 {
				r, _ = utf8.DecodeLastRune(n.Value)
				return r, true
			}
			continue
		case *ast.Emphasis, *ast.Link, *ast.CodeSpan, *east.Strikethrough:
			return lastRune(n.LastChild(), src)
		}
		return 0, false
	}
	return 0, false
}

// linkWork is what checking, resolving and writing a link costs next to
// a byte scanned, beyond its destination.
const linkWork = 256

// destOf returns the destination of a link or image as parsed.
func destOf(n ast.Node) []byte {
	switch n := n.(type) {
	case *ast.Link:
		return n.Destination
	case *ast.Image:
		return n.Destination
	}
	return nil
}

func (t *transformer) link(st *renderState, n ast.Node, src []byte) {
	var dest []byte
	image := false
	switch n := n.(type) {
	case *ast.Link:
		dest = unescapeDest(n.Destination)
	case *ast.Image:
		dest = unescapeDest(n.Destination)
		image = true
	case *ast.AutoLink:
		dest = autoLinkDest(n, src)
	}
	typed := dest // quoted in messages as the editor wrote it
	dest = dropControls(dest)
	switch classifyDest(dest) {
	case destBlocked:
		if image {
			st.problem(st.line(n), false, &diag.Message{Format: "image %q is not allowed; use http(s) or a relative path", Args: []any{clip(typed)}})
		} else {
			st.problem(st.line(n), false, &diag.Message{Format: "link to %q is not allowed; use http(s), mailto or tel", Args: []any{clip(typed)}})
		}
		unwrap(n, src)
		return
	case destRelative:
		if st.opt.ResolveLink != nil && len(dest) > 0 {
			if _, auto := n.(*ast.AutoLink); !auto {
				got, err := st.opt.ResolveLink(string(dest), image)
				if err != nil {
					st.problem(st.line(n), false, &diag.Message{Format: "%v", Args: []any{err}})
					unwrap(n, src)
					return
				}
				dest = []byte(got.URL)
				if l, ok := n.(*ast.Link); ok && got.Download != "" {
					l.SetAttributeString("download", []byte(got.Download))
				}
			}
		}
	}
	// From here on Destination holds the final URL, unescaped: linkRenderer
	// only URL-escapes and HTML-escapes it.
	switch n := n.(type) {
	case *ast.Link:
		n.Destination = dest
	case *ast.Image:
		n.Destination = dest
	}
}

func (st *renderState) problem(line int, warning bool, msg *diag.Message) {
	st.problems = append(st.problems, Problem{Line: line, Msg: msg, Warning: warning})
}

// line returns the 1-based source line of n: its own position when the
// parser recorded one, else its first text, else its block's first line.
func (st *renderState) line(n ast.Node) int {
	off := -1
	if p := n.Pos(); p >= 0 {
		off = p
	}
	if off < 0 {
		_ = ast.Walk(n, func(c ast.Node, entering bool) (ast.WalkStatus, error) {
			if t, ok := c.(*ast.Text); ok && entering {
				off = t.Segment.Start
				return ast.WalkStop, nil
			}
			return ast.WalkContinue, nil
		})
	}
	for b := n; off < 0 && b != nil; b = b.Parent() {
		if b.Type() == ast.TypeBlock && b.Lines().Len() > 0 {
			off = b.Lines().At(0).Start
		}
	}
	return st.offsetLine(off)
}

// offsetLine returns the 1-based line of the byte at off in the source;
// 1 for a negative off.
func (st *renderState) offsetLine(off int) int {
	if off < 0 {
		return 1
	}
	if st.lineStarts == nil {
		st.lineStarts = lineStarts(st.src)
	}
	// The index of the first line starting after off is off's 1-based line.
	return sort.SearchInts(st.lineStarts, off+1)
}
