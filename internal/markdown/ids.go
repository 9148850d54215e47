package markdown

import (
	"strconv"
	"unicode"
	"unicode/utf8"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
)

// headingIDs is the parser.IDs of one Render call. goldmark's own drops
// every non-ASCII byte, so a Chinese heading would get the id "heading".
// Ours keeps letters and digits of any script.
type headingIDs struct {
	used map[string]bool
	last map[string]int // last suffix given to each base, so repeats stay linear
}

var _ parser.IDs = (*headingIDs)(nil)

func newHeadingIDs() *headingIDs {
	return &headingIDs{used: map[string]bool{}, last: map[string]int{}}
}

// Generate returns a fresh id for the heading text value: letters and digits
// kept (Latin lowercased), runs of anything else turned into one "-",
// "section" when nothing is left, and "-1", "-2"... appended on repeats.
func (s *headingIDs) Generate(value []byte, kind ast.NodeKind) []byte {
	base := slug(value)
	id := base
	for i := s.last[base] + 1; s.used[id]; i++ {
		id = base + "-" + strconv.Itoa(i)
		s.last[base] = i
	}
	s.used[id] = true
	return []byte(id)
}

// Put records an id chosen elsewhere so generated ones avoid it.
func (s *headingIDs) Put(value []byte) {
	s.used[string(value)] = true
}

func slug(value []byte) string {
	out := make([]byte, 0, len(value))
	dash := false
	for len(value) > 0 {
		r, size := utf8.DecodeRune(value)
		value = value[size:]
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) && !unicode.IsMark(r) {
			dash = len(out) > 0
			continue
		}
		if dash {
			out = append(out, '-')
			dash = false
		}
		if unicode.Is(unicode.Latin, r) {
			r = unicode.ToLower(r)
		}
		out = utf8.AppendRune(out, r)
	}
	if len(out) == 0 {
		return "section"
	}
	return string(out)
}
