package markdown

import (
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// emphasisParser replaces goldmark's emphasis parser for '*' and '_'.
//
// CommonMark decides whether a delimiter run can open or close emphasis from
// the characters on either side (the "flanking" rules). Those rules assume
// words are separated by spaces, so `**一是加强领导。**会议指出` stays literal:
// the closing run is preceded by punctuation (。) and followed by a letter
// (会). We follow the CommonMark CJK-friendly amendments
// (github.com/tats-u/markdown-cjk-friendly, specification.md): only
// non-CJK punctuation keeps its CommonMark weight, and a CJK character on
// the far side counts like whitespace. Text without CJK characters is
// parsed exactly as CommonMark says. One departure from the amendments:
// “ ” ‘ ’ … — count as CJK punctuation (see isCJKPunct), so
// 推进5G**“双千兆”**网络 works too.
type emphasisParser struct{}

func (emphasisParser) Trigger() []byte {
	return []byte{'*', '_'}
}

func (emphasisParser) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	before := block.PrecendingCharacter()
	line, segment := block.PeekLine()
	if before >= 0xfe00 && before <= 0xfe0e {
		// A variation selector (but not the emoji one, U+FE0F) only picks
		// a glyph: "。\ufe01" is still CJK punctuation. Judge the character
		// it follows.
		if prev := block.Source()[:segment.Start]; len(prev) > 0 {
			_, n := utf8.DecodeLastRune(prev)
			if base, _ := utf8.DecodeLastRune(prev[:len(prev)-n]); base != utf8.RuneError {
				before = base
			}
		}
	}
	d := scanEmphasis(line, before)
	if d == nil {
		return nil
	}
	d.Segment = segment.WithStop(segment.Start + d.OriginalLength)
	block.Advance(d.OriginalLength)
	pc.PushDelimiter(d)
	return d
}

// emphasisDelimiters pairs '*' with '*' and '_' with '_', like goldmark's own.
type emphasisDelimiters struct{}

func (emphasisDelimiters) IsDelimiter(b byte) bool { return b == '*' || b == '_' }

func (emphasisDelimiters) CanOpenCloser(opener, closer *parser.Delimiter) bool {
	return opener.Char == closer.Char
}

func (emphasisDelimiters) OnMatch(consumes int) ast.Node { return ast.NewEmphasis(consumes) }

// charClass is what the flanking rules need to know about a neighbour.
type charClass int

const (
	classOther    charClass = iota // letters, digits, anything else
	classSpace                     // Unicode whitespace, line start and end
	classPunct                     // punctuation that is not CJK
	classCJK                       // CJK letters (Han, kana, Hangul...)
	classCJKPunct                  // CJK punctuation: 。，、“”（）《》...
)

func classify(r rune) charClass {
	switch {
	case util.IsSpaceRune(r):
		return classSpace
	case isCJKPunct(r):
		return classCJKPunct
	case util.IsPunctRune(r):
		return classPunct
	case isCJK(r):
		return classCJK
	}
	return classOther
}

// scanEmphasis reads the delimiter run at the start of line; before is the
// character preceding it ('\n' at the start of a block).
func scanEmphasis(line []byte, before rune) *parser.Delimiter {
	if len(line) == 0 || (line[0] != '*' && line[0] != '_') {
		return nil
	}
	c := line[0]
	n := 1
	for n < len(line) && line[n] == c {
		n++
	}
	after := ' ' // end of line counts as whitespace
	if n < len(line) {
		after, _ = utf8.DecodeRune(line[n:])
	}
	b, a := classify(before), classify(after)
	bPunct := b == classPunct || b == classCJKPunct
	aPunct := a == classPunct || a == classCJKPunct

	// Left-flanking: not followed by whitespace, and either not followed by
	// non-CJK punctuation, or preceded by whitespace, punctuation or CJK.
	left := a != classSpace &&
		(a != classPunct || b == classSpace || bPunct || b == classCJK)
	// Right-flanking mirrors it.
	right := b != classSpace &&
		(b != classPunct || a == classSpace || aPunct || a == classCJK)

	canOpen, canClose := left, right
	if c == '_' {
		// '_' keeps CommonMark's stricter intraword rule so snake_case_names
		// stay literal.
		canOpen = left && (!right || bPunct)
		canClose = right && (!left || aPunct)
	}
	return parser.NewDelimiter(canOpen, canClose, n, c, emphasisDelimiters{})
}
