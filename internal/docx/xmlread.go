package docx

import (
	"context"
	"encoding/xml"
	"errors"
	"io"
	"strings"
	"unicode/utf8"

	"bulletin/internal/diag"
)

// Namespaces, transitional and strict (ISO/IEC 29500 strict, which Word
// and WPS can save too).
const (
	nsW       = "http://schemas.openxmlformats.org/wordprocessingml/2006/main"
	nsWStrict = "http://purl.oclc.org/ooxml/wordprocessingml/main"
	nsR       = "http://schemas.openxmlformats.org/officeDocument/2006/relationships"
	nsRStrict = "http://purl.oclc.org/ooxml/officeDocument/relationships"
	nsMC      = "http://schemas.openxmlformats.org/markup-compatibility/2006"
	nsMath    = "http://schemas.openxmlformats.org/officeDocument/2006/math"
	nsMStrict = "http://purl.oclc.org/ooxml/officeDocument/math"
)

func isW(n xml.Name) bool  { return n.Space == nsW || n.Space == nsWStrict }
func isMC(n xml.Name) bool { return n.Space == nsMC }

// maxTokens bounds the XML tokens (elements, ends, text, comments) of all
// the parts of a file together. Decoding costs about half a microsecond a
// token, whatever the token: a few megabytes of <w:p/> zipped to a few
// hundred kilobytes would keep the reader busy for minutes without this.
// A report of 2 MB of text, the most a body may have, is about a million
// tokens when Word has cut its runs up badly.
const maxTokens = 4_000_000

// maxXMLPart bounds one XML part: encoding/xml holds a token whole, and
// a comment or a text of a hundred megabytes is one token. A report of
// 2 MB of text is some 30 MB of XML at most.
const maxXMLPart = 32 << 20

// xmlReader reads the tokens of one XML part with a bound on nesting,
// no document type declarations, and ctx checked as it goes.
type xmlReader struct {
	ctx      context.Context
	d        *xml.Decoder
	part     string
	depth    int
	maxDepth int
	tokens   *int // what the file's parts may still have, shared
}

// newXMLReader reads the part named part from r; tokens is the budget of
// tokens of the file, counted down.
func newXMLReader(ctx context.Context, r io.Reader, part string, maxDepth int, tokens *int) *xmlReader {
	d := xml.NewDecoder(r)
	d.Strict = true
	// Only the five predefined entities and character references are
	// known (d.Entity stays nil): a custom entity is an error, never
	// expanded.
	d.CharsetReader = func(charset string, _ io.Reader) (io.Reader, error) {
		return nil, diag.Errorf("the encoding %s is not supported", charset)
	}
	return &xmlReader{ctx: ctx, d: d, part: part, maxDepth: maxDepth, tokens: tokens}
}

// next returns the next token; io.EOF at the end of the part. CharData
// is only valid until the following call.
func (x *xmlReader) next() (xml.Token, error) {
	*x.tokens--
	if *x.tokens&1023 == 0 {
		if err := x.ctx.Err(); err != nil {
			return nil, err
		}
	}
	if *x.tokens < 0 {
		return nil, formatErr("the document has more than %d million pieces of XML (at %s); a report has far fewer", maxTokens/1_000_000, x.part)
	}
	tok, err := x.d.Token()
	if err != nil {
		return nil, x.fail(err)
	}
	switch tok.(type) {
	case xml.StartElement:
		x.depth++
		if x.depth > x.maxDepth {
			return nil, formatErr("%s nests elements more than %d deep; no Word document does", x.part, x.maxDepth)
		}
	case xml.EndElement:
		x.depth--
	case xml.Directive:
		// <!DOCTYPE …>, the only directive there can be: its entities
		// are not expanded, but no part of a .docx has any business with
		// one.
		return nil, formatErr("%s has a document type declaration (<!DOCTYPE>), which Word never writes", x.part)
	}
	return tok, nil
}

func (x *xmlReader) fail(err error) error {
	if err == io.EOF {
		return io.EOF
	}
	var fe *FormatError
	if errors.As(err, &fe) || errors.Is(err, context.Canceled) || errors.Is(err, context.DeadlineExceeded) {
		return err
	}
	if errors.Is(err, errEntryTooBig) {
		return formatErr("%s unpacks to more than %s; a report's is far smaller", x.part, byteSize(maxXMLPart))
	}
	var se *xml.SyntaxError
	if errors.As(err, &se) {
		return formatErr("%s is not well-formed XML (line %d: %s)", x.part, se.Line, printable(se.Msg))
	}
	return formatErr("%s cannot be read (%v)", x.part, printable(strings.TrimPrefix(err.Error(), "xml: ")))
}

// printable makes a message that quotes the input one line of valid
// UTF-8, of a readable length.
func printable(s string) string {
	s = strings.Map(func(r rune) rune {
		if r == utf8.RuneError || invisible(r) {
			return '?'
		}
		return r
	}, strings.ToValidUTF8(s, "?"))
	return clip(s, 120)
}

// skip reads past the end of the element whose start was the last token.
func (x *xmlReader) skip() error {
	return x.leave(x.depth - 1)
}

// leave reads up to the end of the element that holds what is read at
// depth+1: past whatever is open below depth.
func (x *xmlReader) leave(depth int) error {
	for x.depth > depth {
		if _, err := x.next(); err != nil {
			return eofIsError(err, x.part)
		}
	}
	return nil
}

// children reads the child elements of the element whose start was the
// last token, up to its end, and calls fn with the start of each. fn may
// read the child to its end (skip, text, children, a reader of its own);
// what it leaves unread is skipped when it returns, so that nothing of a
// child is ever taken for one of its siblings. An error from fn ends the
// reading and is returned as it is. At the top of a part, with no
// element open, the children are the part's root elements and its end
// is no error.
func (x *xmlReader) children(fn func(se xml.StartElement) error) error {
	return x.elements(false, fn)
}

// walk is children, but for what fn leaves unread: walk goes into it, and
// fn gets the elements inside in turn. fn sees every element of the
// element, or of the part, that no call of fn read.
func (x *xmlReader) walk(fn func(se xml.StartElement) error) error {
	return x.elements(true, fn)
}

func (x *xmlReader) elements(into bool, fn func(se xml.StartElement) error) error {
	depth := x.depth
	for {
		tok, err := x.next()
		if err != nil {
			if err == io.EOF && depth == 0 {
				return nil
			}
			return eofIsError(err, x.part)
		}
		if x.depth < depth {
			return nil
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		if err := fn(se); err != nil {
			return err
		}
		if !into && x.depth > depth {
			if err := x.leave(depth); err != nil {
				return err
			}
		}
	}
}

// text returns the character data of the element whose start was the
// last token, up to its end; elements inside are skipped.
func (x *xmlReader) text() (string, error) {
	var b strings.Builder
	depth := x.depth
	for {
		tok, err := x.next()
		if err != nil {
			return "", eofIsError(err, x.part)
		}
		if x.depth < depth {
			return b.String(), nil
		}
		if cd, ok := tok.(xml.CharData); ok && x.depth == depth {
			b.Write(cd)
		}
	}
}

// eofIsError turns an end of the part inside an element into the
// syntax error it is (the decoder reports it itself; this is a guard).
func eofIsError(err error, part string) error {
	if err == io.EOF {
		return formatErr("%s is not well-formed XML (it ends inside an element)", part)
	}
	return err
}

// attr returns the value of the attribute with the local name, in any
// namespace but the relationships one, "" when absent.
func attr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && a.Name.Space != nsR && a.Name.Space != nsRStrict {
			return a.Value
		}
	}
	return ""
}

// hasAttr reports whether the attribute is there, in any namespace.
func hasAttr(se xml.StartElement, local string) bool {
	for _, a := range se.Attr {
		if a.Name.Local == local {
			return true
		}
	}
	return false
}

// relAttr returns r:local, the id of a relationship.
func relAttr(se xml.StartElement, local string) string {
	for _, a := range se.Attr {
		if a.Name.Local == local && (a.Name.Space == nsR || a.Name.Space == nsRStrict) {
			return a.Value
		}
	}
	return ""
}

// onOff reads a toggle such as <w:b/> or <w:b w:val="0"/>.
func onOff(se xml.StartElement) bool {
	switch attr(se, "val") {
	case "0", "false", "off", "none":
		return false
	}
	return true
}
