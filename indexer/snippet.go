package indexer

import (
	"html"
	"html/template"
	"slices"
	"strings"
	"unicode/utf8"
)

// span is a match in a text, in runes.
type span struct{ start, end int }

// maxSpans bounds the matches found in one text: a snippet shows a few.
const maxSpans = 200

// find returns the matches of patterns in folded text, in runes, sorted
// and merged where they touch.
func find(folded string, patterns []pattern) []span {
	var bytes []span
	for _, p := range patterns {
		for from := 0; from < len(folded) && len(bytes) < maxSpans; {
			s, e := p.index(folded, from)
			if s < 0 {
				break
			}
			bytes = append(bytes, span{s, e})
			from = e
		}
	}
	if len(bytes) == 0 {
		return nil
	}
	slices.SortFunc(bytes, func(a, b span) int { return a.start - b.start })
	merged := bytes[:1]
	for _, b := range bytes[1:] {
		last := &merged[len(merged)-1]
		if b.start <= last.end {
			last.end = max(last.end, b.end)
			continue
		}
		merged = append(merged, b)
	}
	// Byte offsets to rune offsets, in one pass over the text: merged
	// spans are in order and do not overlap.
	runes, at := 0, 0
	toRunes := func(b int) int {
		runes += utf8.RuneCountInString(folded[at:b])
		at = b
		return runes
	}
	for i, b := range merged {
		merged[i] = span{toRunes(b.start), toRunes(b.end)}
	}
	return merged
}

// highlight returns text, escaped, with its matches marked; with width > 0
// it is a snippet of about width runes.
func highlight(text, folded string, patterns []pattern, width int) template.HTML {
	spans := find(folded, patterns)
	if width <= 0 {
		return render([]rune(text), spans, 0, utf8.RuneCountInString(text))
	}
	return snippet(text, spans, width)
}

// snippet returns about width runes of text around the densest group of
// spans, escaped, with the spans marked and … where the text is cut.
func snippet(text string, spans []span, width int) template.HTML {
	runes := []rune(text)
	if len(runes) <= width {
		return render(runes, spans, 0, len(runes))
	}
	start := 0
	if len(spans) > 0 {
		// The window that holds the most matches.
		best, bestCount := 0, 0
		for i, j := 0, 0; i < len(spans); i++ {
			for j < len(spans) && spans[j].end <= spans[i].start+width {
				j++
			}
			if j-i > bestCount {
				best, bestCount = i, j-i
			}
		}
		start = contextStart(runes, spans[best].start, width/5)
		start = min(start, len(runes)-width)
	}
	end := min(len(runes), start+width)
	// Never cut through a match.
	for _, s := range spans {
		if s.start < end && s.end > end {
			end = s.end
		}
	}
	return render(runes, spans, start, end)
}

// contextStart is where a snippet whose first match is at first begins:
// up to lead runes before it, at the start of a sentence or clause if one
// is near, and never inside a number or a Latin word.
func contextStart(runes []rune, first, lead int) int {
	from := max(0, first-lead)
	for _, stops := range []string{"。！？；\n", "，、：,;"} {
		for k := first - 1; k >= from; k-- {
			if strings.ContainsRune(stops, runes[k]) {
				return k + 1
			}
		}
	}
	start := from
	for start > 0 && isWordRune(fold(runes[start-1])) && isWordRune(fold(runes[start])) {
		start--
	}
	return start
}

// render writes runes[start:end] as HTML: escaped, spans in <mark>, line
// breaks as spaces, … where the text goes on.
func render(runes []rune, spans []span, start, end int) template.HTML {
	var b strings.Builder
	if start > 0 {
		b.WriteString("…")
	}
	write := func(from, to int) {
		for i := from; i < to; i++ {
			switch r := runes[i]; {
			case r == '\n':
				// Paragraphs run on: Chinese needs no space between
				// them, other text does.
				if i > 0 && runes[i-1] < 0x2E80 {
					b.WriteByte(' ')
				}
			case r == '<', r == '>', r == '&', r == '"', r == '\'':
				b.WriteString(html.EscapeString(string(r)))
			default:
				b.WriteRune(r)
			}
		}
	}
	at := start
	for _, s := range spans {
		if s.end <= start || s.start >= end {
			continue
		}
		from, to := max(s.start, start), min(s.end, end)
		write(at, from)
		b.WriteString("<mark>")
		write(from, to)
		b.WriteString("</mark>")
		at = to
	}
	write(at, end)
	if end < len(runes) {
		b.WriteString("…")
	}
	return template.HTML(b.String())
}
