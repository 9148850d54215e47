package importer

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// para is a paragraph as the layout of the text shows it, before the
// parser decides what it is.
type para struct {
	text   string
	line   int  // source line of its first line
	indent bool // its first line is indented
	gap    gap  // what separates it from the paragraph before
}

// gap is what lies between two paragraphs of the source.
type gap int

const (
	gapNone  gap = iota // nothing: the next line
	gapBlank            // blank lines
	gapPage             // a page break: a form feed or a page number line
)

// srcLine is one line of the source, trimmed.
type srcLine struct {
	text      string
	num       int
	indent    bool
	pageBreak bool // a form feed or a page number, not text
}

// layout splits the text into paragraphs. Text extracted from a PDF comes
// in one of two shapes: a line per paragraph (what copying from a viewer or
// a converter gives), or lines wrapped at the page's width (what pdftotext
// gives). In the second, a line that fills the width continues on the next
// one unless that is indented; wrapped reports which shape it found. (A
// paragraph whose last line happens to fill the width runs into the next
// one when the text does not indent paragraphs; nothing tells them apart.)
func layout(src string) (paras []para, wrapped bool) {
	lines := splitSource(src)
	width := wrapWidth(lines)
	var cur *para
	var curFull bool // the last line of cur filled the width
	next := gapNone
	flush := func() {
		if cur != nil {
			paras = append(paras, *cur)
			cur = nil
		}
	}
	for _, l := range lines {
		switch {
		case l.pageBreak:
			flush()
			next = gapPage
			continue
		case l.text == "":
			flush()
			next = max(next, gapBlank)
			continue
		}
		if cur != nil && width > 0 && curFull && !l.indent {
			cur.text = joinText(cur.text, l.text)
		} else {
			flush()
			cur = &para{text: l.text, line: l.num, indent: l.indent, gap: next}
			next = gapNone
		}
		// Digits, Latin letters and the rule that no line starts with a
		// punctuation mark make a full line a little shorter or longer
		// than the width; a line that ends a sentence must come closer to
		// count as full.
		w := displayWidth(l.text)
		curFull = width > 0 && (w >= width-1 || w >= width-4 && !sentenceEnd(l.text))
	}
	flush()
	return paras, width > 0
}

// splitSource splits src into trimmed lines. A form feed (a page break as
// pdftotext writes it) and a page number line both become a page break.
func splitSource(src string) []srcLine {
	src = strings.TrimPrefix(src, "\uFEFF")
	src = strings.NewReplacer("\r\n", "\n", "\r", "\n", "\u00a0", " ").Replace(src)
	var out []srcLine
	for i, line := range strings.Split(src, "\n") {
		num := i + 1
		parts := strings.Split(line, "\f")
		for k, part := range parts {
			if k > 0 {
				out = append(out, srcLine{num: num, pageBreak: true})
			}
			text := strings.TrimFunc(part, unicode.IsSpace)
			if k > 0 && text == "" {
				continue
			}
			lead := part[:len(part)-len(strings.TrimLeftFunc(part, unicode.IsSpace))]
			out = append(out, srcLine{
				text:      text,
				num:       num,
				indent:    displayWidth(lead) >= 2 && text != "",
				pageBreak: text != "" && pageNumberRE.MatchString(text),
			})
		}
	}
	return out
}

// wrapWidth returns the width at which the text's lines were wrapped, or 0
// when they were not: wrapped text has most of its lines within a
// character or two of one width.
func wrapWidth(lines []srcLine) int {
	var widths []int
	for _, l := range lines {
		if w := displayWidth(l.text); !l.pageBreak && w >= 20 && !leadersRE.MatchString(l.text) {
			widths = append(widths, w)
		}
	}
	best, bestCount := 0, 0
	for _, w := range widths {
		n := 0
		for _, v := range widths {
			if v <= w && v >= w-3 {
				n++
			}
		}
		if n > bestCount || n == bestCount && w > best {
			best, bestCount = w, n
		}
	}
	if bestCount < 4 || bestCount*2 < len(widths) || best > 120 {
		return 0
	}
	return best
}

// displayWidth counts columns as a printed page has them: two for a
// Chinese character or full-width mark, one for a Latin letter or digit.
func displayWidth(s string) int {
	w := 0
	for _, r := range s {
		if wide(r) {
			w += 2
		} else {
			w++
		}
	}
	return w
}

func wide(r rune) bool {
	switch {
	case r < 0x1100:
		return false
	case r == '“' || r == '”' || r == '‘' || r == '’' || r == '…' || r == '—':
		return true
	}
	return unicode.Is(unicode.Han, r) || r >= 0x2e80 && r <= 0xa4cf || r >= 0xac00 && r <= 0xd7a3 ||
		r >= 0xf900 && r <= 0xfaff || r >= 0xfe30 && r <= 0xfe4f || r >= 0xff00 && r <= 0xff60 || r >= 0xffe0 && r <= 0xffe6
}

// joinText joins two pieces of one paragraph: directly in Chinese text, with
// a space between Latin words.
func joinText(a, b string) string {
	last, _ := utf8.DecodeLastRuneInString(a)
	first, _ := utf8.DecodeRuneInString(b)
	if isLatin(last) && isLatin(first) {
		return a + " " + b
	}
	return a + b
}

func isLatin(r rune) bool {
	return r < utf8.RuneSelf && unicode.IsLetter(r)
}
