package lint

// FixText applies the typography fixes to plain text, such as a paragraph
// of an imported document: half-width punctuation and parentheses in
// Chinese text, and spaces between Chinese characters. The text is not
// Markdown: every character is text.
func FixText(s string) string { return fixPlain(s, true) }

// FixTitle is FixText for a title, whose spaces stay: a headline separates
// its two clauses with one.
func FixTitle(s string) string { return fixPlain(s, false) }

func fixPlain(s string, spaces bool) string {
	for range maxFixPasses {
		c := &checker{src: []byte(s), text: s}
		c.lines = splitLines(c.src)
		for i, l := range c.lines {
			c.toks = plainTokens(c.toks[:0], s[l.start:l.end], l.start)
			c.punctuation(c.toks, i+1)
			c.parentheses(c.toks, i+1)
			if spaces {
				c.spaces(c.toks, i+1)
			}
		}
		var accepted []edit
		taken := make(byteSet, len(s))
		for _, h := range c.hits {
			if taken.take(h.edits) {
				accepted = append(accepted, h.edits...)
			}
		}
		if len(accepted) == 0 {
			break
		}
		s = string(apply(c.src, accepted))
	}
	return s
}
