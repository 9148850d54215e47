package markdown

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	east "github.com/yuin/goldmark/extension/ast"
	"github.com/yuin/goldmark/util"
)

// textWriter collects the plain text of a document, one line per block.
type textWriter struct {
	src   []byte
	out   strings.Builder
	line  []byte
	broke bool // a line break is pending inside the current block
}

// plainText returns the text of the blocks under n, one line per block.
func plainText(n ast.Node, src []byte) string {
	t := &textWriter{src: src}
	t.block(n)
	return t.out.String()
}

// inlineText returns the text of the inline children of n on one line.
func inlineText(n ast.Node, src []byte) string {
	t := &textWriter{src: src}
	t.inlines(n)
	return string(bytes.TrimFunc(t.line, unicode.IsSpace))
}

func (t *textWriter) block(n ast.Node) {
	switch n.Kind() {
	case ast.KindHTMLBlock, ast.KindThematicBreak:
		return
	case ast.KindCodeBlock, ast.KindFencedCodeBlock:
		lines := n.Lines()
		for i := 0; i < lines.Len(); i++ {
			seg := lines.At(i)
			t.line = append(t.line, seg.Value(t.src)...)
			t.endLine()
		}
		return
	case east.KindTableHeader, east.KindTableRow:
		// A row is one line; its cells are separated by a space.
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if c != n.FirstChild() {
				t.line = append(t.line, ' ')
			}
			t.inlines(c)
			t.broke = false
		}
		t.endLine()
		return
	}
	if c := n.FirstChild(); c != nil && c.Type() == ast.TypeInline {
		t.inlines(n)
		t.endLine()
		return
	}
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t.block(c)
	}
}

func (t *textWriter) inlines(n ast.Node) {
	for c := n.FirstChild(); c != nil; c = c.NextSibling() {
		t.inline(c)
	}
}

func (t *textWriter) inline(n ast.Node) {
	switch n := n.(type) {
	case *ast.Text:
		v := n.Segment.Value(t.src)
		if n.IsRaw() {
			t.write(v)
		} else {
			t.write(unescape(v))
		}
		if n.SoftLineBreak() || n.HardLineBreak() {
			t.broke = true
		}
	case *ast.String:
		if n.IsRaw() || n.IsCode() {
			t.write(n.Value)
		} else {
			t.write(unescape(n.Value))
		}
	case *ast.CodeSpan:
		for c := n.FirstChild(); c != nil; c = c.NextSibling() {
			if s, ok := c.(*ast.Text); ok {
				t.write(bytes.ReplaceAll(s.Segment.Value(t.src), []byte("\n"), []byte(" ")))
			} else if s, ok := c.(*ast.String); ok {
				t.write(s.Value)
			}
		}
	case *ast.AutoLink:
		t.write(n.Label(t.src))
	case *ast.Image, *ast.RawHTML, *east.FootnoteLink, *east.FootnoteBacklink, *east.TaskCheckBox:
		// Not prose: alt text duplicates the surrounding words, the rest
		// is markup.
	default:
		t.inlines(n)
	}
}

// write appends v, first settling a pending line break: it vanishes
// between CJK characters (as extension.CJK renders it) and is a space
// otherwise.
func (t *textWriter) write(v []byte) {
	if len(v) == 0 {
		return
	}
	if t.broke {
		t.broke = false
		last, _ := utf8.DecodeLastRune(t.line)
		first, _ := utf8.DecodeRune(v)
		if len(t.line) > 0 && !(isCJK(last) && isCJK(first)) &&
			!unicode.IsSpace(last) && !unicode.IsSpace(first) {
			t.line = append(t.line, ' ')
		}
	}
	t.line = append(t.line, v...)
}

func (t *textWriter) endLine() {
	line := bytes.TrimFunc(t.line, unicode.IsSpace)
	if len(line) > 0 {
		if t.out.Len() > 0 {
			t.out.WriteByte('\n')
		}
		t.out.Write(line)
	}
	t.line = t.line[:0]
	t.broke = false
}

// unescape does to Markdown text what goldmark's HTML writer does before
// escaping it: backslash escapes, the CJK escaped space, and entity and
// numeric character references.
func unescape(v []byte) []byte {
	if bytes.IndexByte(v, '\\') < 0 && bytes.IndexByte(v, '&') < 0 {
		return v
	}
	out := make([]byte, 0, len(v))
	for i := 0; i < len(v); {
		c := v[i]
		if c == '\\' && i+1 < len(v) {
			if util.IsPunct(v[i+1]) {
				out = append(out, v[i+1])
				i += 2
				continue
			}
			if v[i+1] == ' ' { // extension.CJK: an escaped space renders as nothing
				i += 2
				continue
			}
		}
		if c == '&' {
			// References are short; the longest entity name is 31 bytes.
			end := bytes.IndexByte(v[i:min(len(v), i+40)], ';')
			if end > 1 {
				ref := v[i : i+end+1]
				if r := util.ResolveEntityNames(util.ResolveNumericReferences(ref)); !bytes.Equal(r, ref) {
					out = append(out, r...)
					i += end + 1
					continue
				}
			}
		}
		out = append(out, c)
		i++
	}
	return out
}
