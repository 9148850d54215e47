package lint

import (
	"bytes"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// srcLine is one line of a file: the byte range of its text, without the
// line terminator.
type srcLine struct {
	start, end int
}

// splitLines splits src at \n, \r\n and a lone \r, as site.Load counts
// lines. A UTF-8 byte order mark is not part of the first line.
func splitLines(src []byte) []srcLine {
	lines := make([]srcLine, 0, len(src)/64+1)
	start := 0
	if bytes.HasPrefix(src, []byte("\uFEFF")) {
		start = 3
	}
	if bytes.IndexByte(src, '\r') < 0 {
		// The usual case, done with the fast byte search.
		for {
			i := bytes.IndexByte(src[start:], '\n')
			if i < 0 {
				break
			}
			lines = append(lines, srcLine{start, start + i})
			start += i + 1
		}
	} else {
		for i := start; i < len(src); i++ {
			switch src[i] {
			case '\n':
				lines = append(lines, srcLine{start, i})
				start = i + 1
			case '\r':
				lines = append(lines, srcLine{start, i})
				if i+1 < len(src) && src[i+1] == '\n' {
					i++
				}
				start = i + 1
			}
		}
	}
	if start < len(src) || len(lines) == 0 {
		lines = append(lines, srcLine{start, len(src)})
	}
	return lines
}

// frontMatter returns the number of lines the front matter takes (both
// delimiters included), 0 when the file has none, and false when it is
// opened but never closed: then nothing in the file is known to be body.
func frontMatter(src []byte, lines []srcLine) (int, bool) {
	if delimiter(src, lines[0]) != "---" {
		return 0, true
	}
	for i := 1; i < len(lines); i++ {
		if d := delimiter(src, lines[i]); d == "---" || d == "..." {
			return i + 1, true
		}
	}
	return 0, false
}

func delimiter(src []byte, l srcLine) string {
	return strings.TrimRight(string(src[l.start:l.end]), " \t")
}

// tok is one character of a line as the checks see it. Emphasis marks,
// brackets of links and link destinations are left out altogether, so the
// characters on either side of them are neighbours; code spans, URLs, HTML
// and escapes become one barrier token, which is no one's neighbour and is
// never checked.
type tok struct {
	r    rune // barrier for an opaque span
	off  int32
	size int32
}

const barrier rune = -1

// plainTokens turns text without Markdown (a front matter value) into
// tokens.
func plainTokens(toks []tok, s string, base int) []tok {
	for i, r := range s {
		toks = append(toks, tok{r, int32(base + i), int32(utf8.RuneLen(r))})
	}
	return toks
}

// inline turns lines of Markdown inline text into tokens. It reads each
// line a bounded number of times: where a mark needs its partner (a code
// span's closing backticks, the ")" of a link destination, the "]" of a
// footnote mark, the ">" of a tag), what one search learns is kept for the
// rest of the line, so a line of unclosed openers costs no more than a
// line of text. Searching afresh from each opener made a line of 100,000
// "[a](" take 37 s.
//
// Its buffers are reused from line to line; the zero value is ready.
type inline struct {
	s string
	// From these offsets on the line has no "]" and no ">": a search
	// that found none is not repeated.
	noBracket, noAngle int
	// The link destinations, found in one pass from the first "](" of the
	// line to its end; dest is the next one to look at.
	dests      []span
	destsFound bool
	dest       int
	// The runs of backticks of the line by length, in order, and for
	// each length the next one to look at.
	ticks      map[int][]int
	tick       map[int]int
	ticksFound bool
}

// span is the byte range of a link destination, "(" to ")" inclusive;
// end is -1 when the "(" is never closed.
type span struct{ start, end int }

// tokens turns one line of Markdown inline text into tokens.
func (in *inline) tokens(toks []tok, s string, base int) []tok {
	in.reset(s)
	// A line has at most one token per byte: room for all of them at once
	// spares a line of hundreds of thousands the copies of growing.
	toks = slices.Grow(toks, len(s))
	opaque := func(i, j int) {
		toks = append(toks, tok{barrier, int32(base + i), int32(j - i)})
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (isASCIIPunct(s[i+1]) || s[i+1] == ' '):
			opaque(i, i+2)
			i += 2
			continue
		case c == '`':
			n := runOf(s, i, '`')
			if j := in.closingBackticks(i+n, n); j >= 0 {
				opaque(i, j+n)
				i = j + n
			} else {
				opaque(i, i+n)
				i += n
			}
			continue
		case c == '*' || c == '_' || c == '~':
			i += runOf(s, i, c)
			continue
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			i += 2
			continue
		case c == '[':
			if strings.HasPrefix(s[i:], "[^") {
				if j := in.closingBracket(i); j > 0 {
					i = j + 1
					continue
				}
			}
			i++
			continue
		case c == ']':
			i++
			if i < len(s) && s[i] == '(' {
				if j := in.linkDestEnd(i); j > 0 {
					i = j
				}
			} else if i < len(s) && s[i] == '[' {
				if j := in.closingBracket(i); j > 0 {
					i = j + 1
				}
			}
			continue
		case c == '<':
			if j := in.angleEnd(i); j > 0 {
				opaque(i, j)
				i = j
				continue
			}
		case c == 'h' || c == 'H' || c == 'w' || c == 'W':
			// A URL runs to its end and the scan goes on from there, or
			// it stops at trailing punctuation, which starts no URL: its
			// bytes are read once.
			if j := urlEnd(s, i); j > 0 {
				opaque(i, j)
				i = j
				continue
			}
		}
		if c >= 0xe0 && c < 0xf0 && i+2 < len(s) {
			// A three-byte sequence, which is every Chinese character;
			// File has checked that the text is valid UTF-8.
			r := rune(c&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
			toks = append(toks, tok{r, int32(base + i), 3})
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		toks = append(toks, tok{r, int32(base + i), int32(size)})
		i += size
	}
	return toks
}

func (in *inline) reset(s string) {
	in.s = s
	in.noBracket, in.noAngle = len(s)+1, len(s)+1
	in.dests, in.destsFound, in.dest = in.dests[:0], false, 0
	if in.ticksFound {
		clear(in.ticks)
		clear(in.tick)
		in.ticksFound = false
	}
}

// closingBracket returns the index of the first "]" after s[i], or -1.
// A search that finds one moves the scan past it; one that finds none is
// remembered, since the scan only moves on.
func (in *inline) closingBracket(i int) int {
	if i >= in.noBracket {
		return -1
	}
	j := strings.IndexByte(in.s[i:], ']')
	if j < 0 {
		in.noBracket = i
		return -1
	}
	return i + j
}

// angleEnd returns the index after an autolink or HTML tag starting at
// s[i] == '<', or -1 when the < is text.
func (in *inline) angleEnd(i int) int {
	if i >= in.noAngle {
		return -1
	}
	j := angleEnd(in.s, i)
	if j < 0 && isTagStart(in.s, i) {
		in.noAngle = i
	}
	return j
}

// linkDestEnd returns the index after the ")" that closes the link
// destination opening at s[i] == '(', or -1. It counts nested parentheses
// and skips escaped characters.
//
// The first call matches every "(" from there to the end of the line in
// one pass with a stack; the scan asks in order, so a cursor finds each
// answer. Starting anywhere after a "]" reads the escapes the same way,
// and the ")" where the count from an opener drops to zero is the one the
// stack pairs with it.
func (in *inline) linkDestEnd(i int) int {
	if !in.destsFound {
		in.destsFound = true
		var open []int // indices into dests
		for j := i; j < len(in.s); j++ {
			switch in.s[j] {
			case '\\':
				j++
			case '(':
				open = append(open, len(in.dests))
				in.dests = append(in.dests, span{j, -1})
			case ')':
				if n := len(open); n > 0 {
					in.dests[open[n-1]].end = j
					open = open[:n-1]
				}
			}
		}
	}
	for in.dest < len(in.dests) && in.dests[in.dest].start < i {
		in.dest++
	}
	if in.dest == len(in.dests) || in.dests[in.dest].start != i || in.dests[in.dest].end < 0 {
		return -1
	}
	return in.dests[in.dest].end + 1
}

// closingBackticks finds a run of exactly n backticks at or after i, which
// is never inside a run. The first call lists the runs of the line by
// length; each length's cursor then only moves on.
func (in *inline) closingBackticks(i, n int) int {
	if !in.ticksFound {
		in.ticksFound = true
		if in.ticks == nil {
			in.ticks, in.tick = map[int][]int{}, map[int]int{}
		}
		for j := 0; j < len(in.s); {
			k := strings.IndexByte(in.s[j:], '`')
			if k < 0 {
				break
			}
			j += k
			m := runOf(in.s, j, '`')
			in.ticks[m] = append(in.ticks[m], j)
			j += m
		}
	}
	runs, k := in.ticks[n], in.tick[n]
	for k < len(runs) && runs[k] < i {
		k++
	}
	in.tick[n] = k
	if k == len(runs) {
		return -1
	}
	return runs[k]
}

func isASCIIPunct(c byte) bool {
	return c < 0x80 && c > ' ' && !('0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z') && c != 0x7f
}

func isASCIIAlnum(c byte) bool {
	return '0' <= c && c <= '9' || 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z'
}

func runOf(s string, i int, c byte) int {
	n := 0
	for i+n < len(s) && s[i+n] == c {
		n++
	}
	return n
}

// angleEnd returns the index after an autolink or HTML tag starting at
// s[i] == '<', or -1 when the < is text.
func angleEnd(s string, i int) int {
	if !isTagStart(s, i) {
		return -1
	}
	if j := strings.IndexByte(s[i:], '>'); j > 0 {
		return i + j + 1
	}
	return -1
}

// isTagStart reports whether the < at s[i] may open an autolink or a tag.
func isTagStart(s string, i int) bool {
	if i+1 >= len(s) {
		return false
	}
	c := s[i+1]
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '/' || c == '!' || c == '?'
}

// urlEnd returns the end of a bare URL starting at s[i] (http://, https://
// or www., which goldmark's linkify turns into links), or -1. The URL runs
// to a space or a Chinese punctuation mark; trailing ASCII punctuation is
// left out, as linkify does.
func urlEnd(s string, i int) int {
	if i > 0 && isASCIIAlnum(s[i-1]) {
		return -1
	}
	rest := s[i:]
	if !hasPrefixFold(rest, "http://") && !hasPrefixFold(rest, "https://") && !hasPrefixFold(rest, "www.") {
		return -1
	}
	j := i
	for j < len(s) {
		c := s[j]
		if c < utf8.RuneSelf {
			if c == ' ' || c == '\t' || c == '<' || c == '>' || c == '"' {
				break
			}
			j++
			continue
		}
		r, size := utf8.DecodeRuneInString(s[j:])
		if !unicode.IsLetter(r) && !unicode.IsDigit(r) {
			break
		}
		j += size
	}
	for j > i && strings.IndexByte(".,;:!?'*_~)", s[j-1]) >= 0 {
		j--
	}
	return j
}

func hasPrefixFold(s, prefix string) bool {
	return len(s) >= len(prefix) && strings.EqualFold(s[:len(prefix)], prefix)
}

// isHan reports whether r is a Chinese character.
func isHan(r rune) bool {
	return r >= 0x2e80 && unicode.Is(unicode.Han, r)
}

// isCJKPunct reports whether r is punctuation of Chinese text: the CJK
// symbols and punctuation block, the fullwidth forms' punctuation, and the
// quotation marks, ellipsis, dashes and middle dot that Chinese text shares
// with Western text.
func isCJKPunct(r rune) bool {
	switch {
	case r >= 0x3001 && r <= 0x303f:
		return true
	case r >= 0xff01 && r <= 0xff0f, r >= 0xff1a && r <= 0xff20, r >= 0xff3b && r <= 0xff40, r >= 0xff5b && r <= 0xff65:
		return true
	}
	switch r {
	case '“', '”', '‘', '’', '…', '—', '·', '《', '》':
		return true
	}
	return false
}

// isChinese reports whether r belongs to Chinese text: a character or its
// punctuation.
func isChinese(r rune) bool {
	return isHan(r) || isCJKPunct(r)
}
