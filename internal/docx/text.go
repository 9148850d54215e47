package docx

import (
	"bytes"
	"strings"
	"unicode"
	"unicode/utf8"
)

// isWide reports a character of East Asian text: Han, kana, Hangul, and
// the fullwidth letters and punctuation (。，、（）“” and the like). Two
// lines of such text join without a space.
func isWide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—':
		return true // ambiguous width, fullwidth in Chinese text
	case r == 0x3000:
		return false // the ideographic space is a space
	}
	return unicode.In(r, unicode.Han, unicode.Hiragana, unicode.Katakana, unicode.Hangul, unicode.Bopomofo) ||
		r >= 0x2e80 && r <= 0x303f || r >= 0x3200 && r <= 0x33ff || r >= 0xfe10 && r <= 0xfe1f ||
		r >= 0xfe30 && r <= 0xfe6f || r >= 0xff01 && r <= 0xff60 || r >= 0xffe0 && r <= 0xffe6
}

func lastRune(s string) rune {
	r, _ := utf8.DecodeLastRuneInString(s)
	return r
}

func firstRune(s string) rune {
	r, _ := utf8.DecodeRuneInString(s)
	return r
}

// isSpace counts the ideographic space and the no-break space as spaces,
// as unicode.IsSpace does.
func isSpace(r rune) bool { return unicode.IsSpace(r) }

// joiner returns what goes between two lines that a line break split:
// nothing between East Asian text, a space between words.
func joiner(before, after rune) string {
	if isWide(before) || isWide(after) {
		return ""
	}
	return " "
}

// normalize makes the segments of a paragraph what the report shows:
// lines joined (see joiner), the indentation and trailing spaces of each
// line dropped, empty text dropped, and neighbouring text of the same
// boldness merged.
func normalize(segs []seg) []seg {
	var out []seg
	start := 0
	for i := 0; i <= len(segs); i++ {
		if i < len(segs) && segs[i].kind != segBreak {
			continue
		}
		line := trimLine(segs[start:i])
		start = i + 1
		if len(line) == 0 {
			continue
		}
		if len(out) > 0 {
			prev, next := out[len(out)-1], line[0]
			if prev.kind == segText && next.kind == segText {
				pr, _ := utf8.DecodeLastRune(prev.text)
				nr, _ := utf8.DecodeRune(next.text)
				if j := joiner(pr, nr); j != "" {
					out = append(out, seg{kind: segText, text: []byte(j), bold: prev.bold && next.bold})
				}
			}
		}
		out = append(out, line...)
	}
	// Merge text of the same boldness; a space between two bold pieces
	// counts as bold, so **加强** **领导** is one piece.
	merged := make([]seg, 0, len(out))
	for i, s := range out {
		if s.kind == segText && !s.bold && len(bytes.TrimFunc(s.text, isSpace)) == 0 &&
			i > 0 && i+1 < len(out) && out[i-1].kind == segText && out[i-1].bold && out[i+1].kind == segText && out[i+1].bold {
			s.bold = true
		}
		if n := len(merged); n > 0 && s.kind == segText && merged[n-1].kind == segText && merged[n-1].bold == s.bold {
			merged[n-1].text = append(merged[n-1].text, s.text...)
			continue
		}
		if s.kind == segText {
			s.text = bytes.Clone(s.text)
		}
		merged = append(merged, s)
	}
	return merged
}

// trimLine drops the spaces at both ends of a line, and its empty text.
func trimLine(line []seg) []seg {
	var out []seg
	for _, s := range line {
		if s.kind == segText && len(s.text) == 0 {
			continue
		}
		out = append(out, s)
	}
	for len(out) > 0 && out[0].kind == segText {
		out[0].text = bytes.TrimLeftFunc(out[0].text, isSpace)
		if len(out[0].text) > 0 {
			break
		}
		out = out[1:]
	}
	for len(out) > 0 && out[len(out)-1].kind == segText {
		n := len(out) - 1
		out[n].text = bytes.TrimRightFunc(out[n].text, isSpace)
		if len(out[n].text) > 0 {
			break
		}
		out = out[:n]
	}
	return out
}

// plain is the text of segments, images left out.
func plain(segs []seg) string {
	var b strings.Builder
	for _, s := range segs {
		if s.kind == segText {
			b.Write(s.text)
		}
	}
	return b.String()
}

// collapse joins the words of s with single spaces, dropping the spaces
// between East Asian characters: a title or a field as one clean line.
func collapse(s string) string {
	return joinLines(strings.FieldsFunc(s, isSpace))
}

// joinLines joins the lines of a title split over paragraphs, or the
// words of a line, each pair as joiner says.
func joinLines(lines []string) string {
	var b strings.Builder
	for i, l := range lines {
		if i > 0 {
			b.WriteString(joiner(lastRune(lines[i-1]), firstRune(l)))
		}
		b.WriteString(l)
	}
	return b.String()
}
