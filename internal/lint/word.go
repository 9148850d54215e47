package lint

import (
	"strings"

	"bulletin/internal/diag"
)

// The checks in this file find what Word and typing habits leave in a
// bulletin's body. Each fix replaces characters inside the line, as every
// fix does.

// indent finds ideographic spaces (U+3000) typed at the start of a line as
// a paragraph's indent, the way a Word document indents: the site's pages
// indent paragraphs themselves, so the page would show two indents. start
// is the byte where the line's text begins after any ASCII indentation.
func (c *checker) indent(toks []tok, line, start int) {
	k := 0
	for k < len(toks) && int(toks[k].off) < start {
		k++ // the ASCII indentation
	}
	if k == len(toks) || toks[k].r != '\u3000' || int(toks[k].off) != start {
		return
	}
	j := k + 1
	for j < len(toks) && toks[j].r == '\u3000' && adjacent(toks[j-1], toks[j]) {
		j++
	}
	if j == len(toks) {
		return // a line of spaces only; not an indent of text
	}
	end := int(toks[j-1].off + toks[j-1].size)
	next := toks[j]
	c.add(line, start, diag.Warning, RuleIndent, &diag.Message{Format: "full-width spaces as a paragraph indent: the page indents paragraphs itself"},
		c.text[start:next.off+next.size], c.text[end:next.off+next.size], true, edit{start, end, ""})
}

// quotes finds straight double quotes around Chinese text ("温暖过冬")
// and makes them “”, and straight single quotes inside those ‘’. Quotes are
// paired from the start of the line, so a line with an odd number of them
// (12" for inches, or a quotation that goes on to the next line) is left
// alone, as is a pair around text without a Chinese character, which is
// a writer's choice in Latin text.
func (c *checker) quotes(toks []tok, line int) {
	var at []int
	for i, t := range toks {
		if t.r == '"' {
			at = append(at, i)
		}
	}
	if len(at) == 0 || len(at)%2 != 0 {
		return
	}
	for k := 0; k < len(at); k += 2 {
		open, close := at[k], at[k+1]
		inner := toks[open+1 : close]
		if !hasHan(inner) || hasBarrier(inner) {
			continue
		}
		edits := []edit{
			{int(toks[open].off), int(toks[open].off) + 1, "“"},
			{int(toks[close].off), int(toks[close].off) + 1, "”"},
		}
		var singles []int
		for i, t := range inner {
			if t.r == '\'' {
				singles = append(singles, i)
			}
		}
		if len(singles)%2 != 0 {
			singles = nil
		}
		for s := 0; s < len(singles); s += 2 {
			a, b := singles[s], singles[s+1]
			if !hasHan(inner[a+1 : b]) {
				continue
			}
			edits = append(edits,
				edit{int(inner[a].off), int(inner[a].off) + 1, "‘"},
				edit{int(inner[b].off), int(inner[b].off) + 1, "’"})
		}
		// What the reader sees is the source with the edits made, markup
		// between the quotes ([通知](…)) included.
		first, last := toks[open], toks[close]
		from, to := int(first.off), int(last.off+last.size)
		c.add(line, from, diag.Warning, RuleQuotes, &diag.Message{Format: "straight quotes around Chinese text"},
			c.text[from:to], string(apply([]byte(c.text[from:to]), shifted(edits, -from))), true, edits...)
	}
}

func hasHan(toks []tok) bool {
	for _, t := range toks {
		if isHan(t.r) {
			return true
		}
	}
	return false
}

func hasBarrier(toks []tok) bool {
	for _, t := range toks {
		if t.r == barrier {
			return true
		}
	}
	return false
}

// emphasisSpaces finds spaces between an emphasis mark and Chinese text
// (**一是全面排查。** 组织, 开展 **入户走访**): other Markdown tools need
// them to close bold after a Chinese full stop, and Word users type them,
// but bulletin's renderer needs none (internal/markdown, emphasis.go) and
// the page shows the space. Spaces with marks on both sides (**一是** **二是**)
// stay: taking them out would join two marks into one.
func (c *checker) emphasisSpaces(toks []tok, line int) {
	for i := 1; i < len(toks); i++ {
		if !isSpace(toks[i].r) {
			continue
		}
		j := i + 1
		for j < len(toks) && isSpace(toks[j].r) && adjacent(toks[j-1], toks[j]) {
			j++
		}
		if j == len(toks) {
			return
		}
		prev, next := toks[i-1], toks[j]
		before := c.text[prev.off+prev.size : toks[i].off]
		after := c.text[toks[j-1].off+toks[j-1].size : next.off]
		if isChinese(prev.r) && isChinese(next.r) && (isHan(prev.r) || isHan(next.r)) &&
			(before == "") != (after == "") && onlyEmphasis(before+after) {
			start, end := int(toks[i].off), int(toks[j-1].off+toks[j-1].size)
			c.add(line, start, diag.Warning, RuleEmphasis, &diag.Message{Format: "space beside bold or italic between Chinese characters"},
				c.text[prev.off:next.off+next.size], c.text[prev.off:start]+c.text[end:next.off+next.size], true, edit{start, end, ""})
		}
		i = j - 1
	}
}

func onlyEmphasis(s string) bool {
	return s != "" && strings.Trim(s, "*_") == ""
}

// shifted returns edits moved by d bytes, for applying them to a piece of
// the file.
func shifted(edits []edit, d int) []edit {
	out := make([]edit, len(edits))
	for i, e := range edits {
		out[i] = edit{e.start + d, e.end + d, e.repl}
	}
	return out
}
