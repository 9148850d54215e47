package lint

import (
	"bytes"
	"cmp"
	"slices"
	"strings"
	"unicode/utf8"

	"bulletin/internal/diag"
)

// Names of the checks, as Hit.Rule gives them.
const (
	RuleWording     = "wording"     // a wording rule matched
	RulePunctuation = "punctuation" // half-width , ; : ? ! in Chinese text
	RuleParentheses = "parentheses" // half-width ( ) around Chinese text
	RuleSpace       = "space"       // a space between Chinese characters
	RuleBrackets    = "brackets"    // 《》“”（）【】 left open or closing nothing
	RuleIndent      = "indent"      // ideographic spaces typed as a paragraph's indent
	RuleQuotes      = "quotes"      // straight quotes around Chinese text
	RuleEmphasis    = "emphasis"    // a space beside ** between Chinese characters
)

// Hit is one finding, pointing at a file line.
type Hit struct {
	Path     string // as given to File
	Line     int    // 1-based line of the file, front matter included
	Column   int    // 1-based, in characters
	Severity diag.Severity
	Rule     string
	// Message says what is wrong, in English: a built-in check's words,
	// or a wording rule's message as its rules give it.
	Message string
	// Wrong is the text as it is, with a character of context for
	// typography; Right is what it should be, "" when there is no single
	// right form.
	Wrong, Right string
	// Fixable is true when check --fix may apply Right.
	Fixable bool

	note  *diag.Message // Message, to read in a person's language
	edits []edit
}

// edit replaces the bytes [start, end) of a file.
type edit struct {
	start, end int
	repl       string
}

// Text is the hit as check prints it after "path:line: ", in English.
func (h Hit) Text() string { return h.text().String() }

// text is the hit as check prints it, as a message: a built-in check's
// words are read in the reader's language, a wording rule's message as
// the rule gives it.
func (h Hit) text() *diag.Message {
	note := h.note
	if note == nil {
		note = &diag.Message{Format: "%s", Args: []any{h.Message}}
	}
	switch {
	case h.Right != "" && h.Message != "":
		return &diag.Message{Format: "%s → %s (%v)", Args: []any{h.Wrong, h.Right, note}}
	case h.Right != "":
		return &diag.Message{Format: "%s → %s", Args: []any{h.Wrong, h.Right}}
	case h.Rule == RuleWording && h.Message != "":
		return &diag.Message{Format: "%s (%v)", Args: []any{h.Wrong, note}}
	case h.Rule == RuleWording:
		return &diag.Message{Format: "%s", Args: []any{h.Wrong}}
	}
	return note
}

// Problem returns the hit as a site problem, to be listed with the others.
func (h Hit) Problem() diag.Problem {
	m := h.text()
	return diag.Problem{Path: h.Path, Line: h.Line, Severity: h.Severity, Msg: m.Error(), Text: m}
}

// Linter checks files against a set of wording rules and the typography
// rules. It is safe for concurrent use.
type Linter struct {
	rules *Rules
}

// New returns a linter with the given wording rules; nil means none, for
// typography alone.
func New(rules *Rules) *Linter {
	if rules == nil {
		rules = NewRules(nil)
	}
	return &Linter{rules: rules}
}

// File checks one bulletin source file; path is only copied into the hits.
// A file that is not UTF-8 text, or whose front matter is never closed,
// has no hits: site.Load reports those.
func (l *Linter) File(path string, src []byte) []Hit {
	if !utf8.Valid(src) || bytes.IndexByte(src, 0) >= 0 {
		return nil
	}
	c := &checker{rules: l.rules, path: path, src: src, text: string(src)}
	c.lines = splitLines(src)
	fm, ok := frontMatter(src, c.lines)
	if !ok {
		return nil
	}
	for i := 1; i < fm-1; i++ {
		c.frontMatterLine(i)
	}
	c.body(fm)
	slices.SortStableFunc(c.hits, compareHits)
	return c.hits
}

func compareHits(a, b Hit) int {
	return cmp.Or(
		cmp.Compare(a.Path, b.Path),
		cmp.Compare(a.Line, b.Line),
		cmp.Compare(a.Column, b.Column),
		cmp.Compare(a.Rule, b.Rule),
		cmp.Compare(a.Wrong, b.Wrong),
	)
}

// maxFixPasses bounds Fix. One fix can make another possible
// (省(直辖市、自治区) needs its parentheses fixed before the wording rule
// sees it): real text needs two passes, contrived text one per link of
// its chain (国家国家民政部), which this caps.
const maxFixPasses = 32

// Fix applies the fixable hits of src and returns the new content and the
// hits it applied. Edits stay inside lines, so line numbers, line endings
// and a byte order mark are kept; hits whose edits overlap an earlier one
// wait for the next pass.
func (l *Linter) Fix(src []byte) ([]byte, []Hit) {
	var applied []Hit
	for range maxFixPasses {
		hits := l.File("", src)
		// Room for every hit at once: a file of hostile text can have
		// hundreds of thousands, and growing by appending copied them over
		// and over.
		accepted := make([]edit, 0, len(hits))
		applied = slices.Grow(applied, len(hits))
		taken := make(byteSet, len(src))
		n := len(applied)
		for _, h := range hits {
			if !h.Fixable || !taken.take(h.edits) {
				continue
			}
			accepted = append(accepted, h.edits...)
			applied = append(applied, h)
		}
		if len(applied) == n {
			break
		}
		src = apply(src, accepted)
	}
	return src, applied
}

// byteSet marks the bytes of a file that accepted edits replace. Asking
// it whether an edit overlaps them reads the edit's own bytes, where
// comparing with every edit accepted so far made a fix of a line of
// 100,000 hits quadratic. Each byte is in at most a few hits' edits.
type byteSet []bool

// take marks the bytes of edits and reports true, unless one of them is
// marked already.
func (s byteSet) take(edits []edit) bool {
	for _, e := range edits {
		if slices.Contains(s[e.start:e.end], true) {
			return false
		}
	}
	for _, e := range edits {
		for i := e.start; i < e.end; i++ {
			s[i] = true
		}
	}
	return true
}

func apply(src []byte, edits []edit) []byte {
	slices.SortFunc(edits, func(a, b edit) int { return cmp.Compare(a.start, b.start) })
	out := make([]byte, 0, len(src)+len(edits)*2)
	at := 0
	for _, e := range edits {
		out = append(out, src[at:e.start]...)
		out = append(out, e.repl...)
		at = e.end
	}
	return append(out, src[at:]...)
}

// checker holds the state of checking one file.
type checker struct {
	rules *Rules
	path  string
	src   []byte
	text  string // src as a string, converted once
	lines []srcLine
	hits  []Hit
	toks  []tok // reused from line to line
	md    inline
	// Reused by parentheses: the partner of each token and the number of
	// Chinese characters before it.
	partner, hanUpTo, stack []int32

	// Brackets open in the current paragraph, by kind.
	open [len(bracketPairs)][]opening
	// A “ left open at the end of a paragraph is fine when the next one
	// opens with “ (a quotation over several paragraphs); it waits here.
	pendingQuote *opening
	paraStarted  bool

	// The column of the last hit, to count the next one's from.
	colLine, colOff, col int
}

// opening is an opening bracket waiting for its partner.
type opening struct {
	r    rune
	off  int
	line int
}

// add records a hit; note says what is wrong.
func (c *checker) add(line, off int, sev diag.Severity, rule string, note *diag.Message, wrong, right string, fixable bool, edits ...edit) {
	// Count the column from the previous hit when it is earlier on the
	// same line: a pasted paragraph can have a hundred hits.
	from, col := c.lines[line-1].start, 1
	if c.colLine == line && c.colOff <= off {
		from, col = c.colOff, c.col
	}
	col += utf8.RuneCount(c.src[from:off])
	c.colLine, c.colOff, c.col = line, off, col
	if len(c.hits) == cap(c.hits) {
		// Double, where append would grow a long slice by a quarter and
		// copy a file of hostile text's hundreds of thousands of hits
		// many times over.
		c.hits = slices.Grow(c.hits, len(c.hits)+1)
	}
	msg := note.Format // the English text itself when there are no arguments
	if len(note.Args) > 0 {
		msg = note.String()
	}
	c.hits = append(c.hits, Hit{
		Path: c.path, Line: line, Column: col,
		Severity: sev, Rule: rule, Message: msg, Wrong: wrong, Right: right,
		Fixable: fixable, note: note, edits: edits,
	})
}

// frontMatterLine checks line i (0-based) of the front matter. Wording
// rules apply to every value; typography only to the title and summary,
// the front matter values readers see as text. A title keeps its spaces:
// 标题 副标题 is how Chinese headlines separate two clauses.
func (c *checker) frontMatterLine(i int) {
	l := c.lines[i]
	s := c.text[l.start:l.end]
	num := i + 1
	c.toks = plainTokens(c.toks[:0], s, l.start)
	c.wording(c.toks, num)
	key, _, found := strings.Cut(s, ":")
	if !found || (key != "title" && key != "summary") {
		return
	}
	valueStart := l.start + len(key) + 1
	c.toks = plainTokens(c.toks[:0], c.text[valueStart:l.end], valueStart)
	c.punctuation(c.toks, num)
	c.parentheses(c.toks, num)
	if key == "summary" {
		c.spaces(c.toks, num)
	}
	c.brackets(c.toks, num)
	c.endParagraph()
	c.flushQuote()
}

// body checks the lines from index first on, following the block structure
// of Markdown far enough to skip code, HTML and link reference definitions.
func (c *checker) body(first int) {
	var (
		fence     byte // the character of an open code fence, 0 when none
		fenceLen  int
		inHTML    bool
		inList    bool
		prevBlank = true
	)
	for i := first; i < len(c.lines); i++ {
		l := c.lines[i]
		s := c.text[l.start:l.end]
		num := i + 1
		indent := indentWidth(s)
		trimmed := strings.TrimLeft(s, " \t")
		if fence != 0 {
			if indent < 4 && runOf(trimmed, 0, fence) >= fenceLen && strings.TrimSpace(strings.TrimLeft(trimmed, string(fence))) == "" {
				fence = 0
			}
			continue
		}
		if trimmed == "" {
			c.endParagraph()
			prevBlank, inHTML = true, false
			continue
		}
		wasBlank := prevBlank
		prevBlank = false
		if inHTML {
			continue
		}
		switch {
		case indent >= 4 && wasBlank && !inList:
			// Indented code, which can only start after a blank line.
			c.endParagraph()
			prevBlank = true
			continue
		case indent >= 4:
			// Continuation of a paragraph or list item.
		case strings.HasPrefix(trimmed, "```") || strings.HasPrefix(trimmed, "~~~"):
			c.endParagraph()
			fence, fenceLen = trimmed[0], runOf(trimmed, 0, trimmed[0])
			continue
		case angleEnd(trimmed, 0) > 0 || strings.HasPrefix(trimmed, "<!--"):
			c.endParagraph()
			inHTML = true
			continue
		case isRefDefinition(trimmed):
			continue
		}
		heading := indent < 4 && isHeading(trimmed)
		table := indent < 4 && strings.HasPrefix(trimmed, "|")
		item := indent < 4 && isListItem(trimmed)
		if item {
			inList = true
		} else if wasBlank && indent == 0 {
			inList = false
		}
		if heading || table || item || wasBlank {
			c.endParagraph()
		}

		c.toks = c.md.tokens(c.toks[:0], s, l.start)
		c.wording(c.toks, num)
		c.punctuation(c.toks, num)
		c.parentheses(c.toks, num)
		if !heading && !table {
			c.spaces(c.toks, num)
			if !item {
				c.indent(c.toks, num, l.start+len(s)-len(trimmed))
			}
		}
		c.quotes(c.toks, num)
		c.emphasisSpaces(c.toks, num)
		c.brackets(c.toks, num)
		if heading || table {
			c.endParagraph()
		}
	}
	c.endParagraph()
	c.flushQuote()
}

func indentWidth(s string) int {
	w := 0
	for _, c := range []byte(s) {
		switch c {
		case ' ':
			w++
		case '\t':
			w += 4 - w%4
		default:
			return w
		}
	}
	return w
}

func isHeading(s string) bool {
	n := runOf(s, 0, '#')
	return n >= 1 && n <= 6 && (n == len(s) || s[n] == ' ' || s[n] == '\t')
}

func isListItem(s string) bool {
	if len(s) >= 2 && strings.IndexByte("-+*", s[0]) >= 0 && (s[1] == ' ' || s[1] == '\t') {
		return true
	}
	n := 0
	for n < len(s) && n < 10 && '0' <= s[n] && s[n] <= '9' {
		n++
	}
	return n > 0 && n+1 < len(s) && (s[n] == '.' || s[n] == ')') && (s[n+1] == ' ' || s[n+1] == '\t')
}

// isRefDefinition reports a link reference definition, [id]: destination;
// footnote definitions ([^1]: text) are prose and are checked.
func isRefDefinition(s string) bool {
	if !strings.HasPrefix(s, "[") || strings.HasPrefix(s, "[^") {
		return false
	}
	end := strings.Index(s, "]:")
	return end > 1
}

// wording matches the wording rules in each run of text between Markdown
// marks: a wrong form split by emphasis is not found, and a code span or
// link destination is never changed.
func (c *checker) wording(toks []tok, line int) {
	r := c.rules
	for i := 0; i < len(toks); {
		if toks[i].r == barrier {
			i++
			continue
		}
		j := i + 1
		for j < len(toks) && toks[j].r != barrier && adjacent(toks[j-1], toks[j]) {
			j++
		}
		segStart := int(toks[i].off)
		seg := c.text[segStart : toks[j-1].off+toks[j-1].size]
		for k := i; k < j; k++ {
			t := toks[k]
			if !r.mayStart(t.r) {
				continue
			}
			rule := r.matchAt(seg, int(t.off)-segStart, t.r)
			if rule == nil {
				continue
			}
			c.add(line, int(t.off), rule.Severity, RuleWording, &diag.Message{Format: "%s", Args: []any{rule.Message}}, rule.Wrong, rule.Right,
				rule.fixable(), edit{int(t.off), int(t.off) + len(rule.Wrong), rule.Right})
			end := int(t.off) + len(rule.Wrong)
			for k+1 < j && int(toks[k+1].off) < end {
				k++
			}
		}
		i = j
	}
}

var fullWidth = map[rune]struct {
	r    rune
	note *diag.Message
}{
	',': {'，', &diag.Message{Format: "half-width comma in Chinese text"}},
	';': {'；', &diag.Message{Format: "half-width semicolon in Chinese text"}},
	':': {'：', &diag.Message{Format: "half-width colon in Chinese text"}},
	'?': {'？', &diag.Message{Format: "half-width question mark in Chinese text"}},
	'!': {'！', &diag.Message{Format: "half-width exclamation mark in Chinese text"}},
}

// punctuation finds , ; : ? ! typed half-width in Chinese text: after a
// Chinese character and before another or at the end of the line, or
// before digits (电话:0971…). A comma or semicolon after a digit counts too
// when Chinese follows (共100,其中), which leaves 1,000 and 9:30 alone. The
// spaces a half-width mark drags along (发生后, 青海; 平台 ,组织) go with it.
func (c *checker) punctuation(toks []tok, line int) {
	marks := 0 // where the run of ? and ! that toks[i] may belong to starts
	for i, t := range toks {
		if t.r != '?' && t.r != '!' {
			marks = i + 1
		}
		if t.r != ',' && t.r != ';' && t.r != ':' && t.r != '?' && t.r != '!' {
			continue
		}
		fw := fullWidth[t.r]
		// Spaces on either side, as long as no Markdown mark hides among
		// them.
		p := i
		for p > 0 && toks[p-1].r == ' ' && adjacent(toks[p-1], toks[p]) {
			p--
		}
		n := i + 1
		for n < len(toks) && toks[n].r == ' ' && adjacent(toks[n-1], toks[n]) {
			n++
		}
		var prev, next rune
		if i > 0 {
			prev = toks[i-1].r
		}
		if i+1 < len(toks) {
			next = toks[i+1].r
		}
		lead := p < i && p > 0 && isChinese(toks[p-1].r) && adjacent(toks[p-1], toks[p])
		trail := n > i+1 && n < len(toks) && isChinese(toks[n].r) && adjacent(toks[n-1], toks[n])
		from, to := i, i+1 // the tokens the fix replaces
		switch {
		case (isChinese(prev) || lead) && (isChinese(next) || trail):
			if lead {
				from = p
			}
			if trail {
				to = n
			}
		case isChinese(prev) && i+1 == len(toks):
		case (t.r == '?' || t.r == '!') && marks > 0 && isChinese(toks[marks-1].r) && (next == '?' || next == '!' || next == 0 || isChinese(next)):
			// A run such as 什么?! is Chinese text as a whole.
		case isHan(prev) && (isDigit(next) || n > i+1 && n < len(toks) && isDigit(toks[n].r) && adjacent(toks[n-1], toks[n])):
			if !isDigit(next) {
				to = n
			}
		case (t.r == ',' || t.r == ';') && isDigit(prev) && isHan(next):
		default:
			continue
		}
		start, end := int(toks[from].off), int(toks[to-1].off+toks[to-1].size)
		var wrong, right strings.Builder
		if from > 0 {
			wrong.WriteRune(toks[from-1].r)
			right.WriteRune(toks[from-1].r)
		}
		wrong.WriteString(c.text[start:end])
		right.WriteRune(fw.r)
		if to < len(toks) && toks[to].r != barrier {
			wrong.WriteRune(toks[to].r)
			right.WriteRune(toks[to].r)
		}
		c.add(line, start, diag.Warning, RulePunctuation, fw.note,
			wrong.String(), right.String(), true, edit{start, end, string(fw.r)})
	}
}

func isDigit(r rune) bool { return '0' <= r && r <= '9' }

// parentheses finds ( ) around text with Chinese characters in it, next to
// Chinese text or alone on the line: 县(市、区), (据青海省民政厅).
// Parentheses of Markdown links are not tokens, so they are never seen.
func (c *checker) parentheses(toks []tok, line int) {
	c.matchParentheses(toks)
	for i, t := range toks {
		j := int(c.partner[i])
		if t.r != '(' || j < 0 || c.hanUpTo[j] == c.hanUpTo[i+1] {
			continue // unclosed, or no Chinese character inside
		}
		// Next to Chinese text, at either end of the line, or next to
		// other parentheses: (市)(区).
		if !(i == 0 || isChinese(toks[i-1].r) || toks[i-1].r == ')' || toks[i-1].r == '(' ||
			j == len(toks)-1 || isChinese(toks[j+1].r) || toks[j+1].r == '(' || toks[j+1].r == ')') {
			continue
		}
		open, close := int(t.off), int(toks[j].off)
		inner := c.text[open+1 : close]
		c.add(line, open, diag.Warning, RuleParentheses, &diag.Message{Format: "half-width parentheses around Chinese text"},
			"("+shorten(inner)+")", "（"+shorten(inner)+"）", true,
			edit{open, open + 1, "（"}, edit{close, close + 1, "）"})
	}
}

// matchParentheses pairs the ( and ) of toks in one pass, as counting
// the depth from each ( would, and counts the Chinese characters before
// each token, so that parentheses need not read the line again for each (
// of a line of them.
func (c *checker) matchParentheses(toks []tok) {
	c.partner = slices.Grow(c.partner[:0], len(toks))[:len(toks)]
	c.hanUpTo = slices.Grow(c.hanUpTo[:0], len(toks)+1)[:len(toks)+1]
	open := c.stack[:0] // indices of the ( not closed yet
	han := int32(0)
	for i, t := range toks {
		c.hanUpTo[i] = han
		if isHan(t.r) {
			han++
		}
		c.partner[i] = -1
		switch t.r {
		case '(':
			open = append(open, int32(i))
		case ')':
			if n := len(open); n > 0 {
				c.partner[open[n-1]] = int32(i)
				open = open[:n-1]
			}
		}
	}
	c.hanUpTo[len(toks)] = han
	c.stack = open
}

// shorten keeps long bracketed text readable in a message. It reads at
// most the first 25 and the last 10 characters: nested parentheses make
// one hit per pair.
func shorten(s string) string {
	head, n := 0, 0
	for head < len(s) && n < 25 {
		_, size := utf8.DecodeRuneInString(s[head:])
		head += size
		n++
	}
	if n <= 24 {
		return s
	}
	// More than 24 characters: the first ten, an ellipsis, the last ten.
	first := 0
	for range 10 {
		_, size := utf8.DecodeRuneInString(s[first:])
		first += size
	}
	last := len(s)
	for range 10 {
		_, size := utf8.DecodeLastRuneInString(s[:last])
		last -= size
	}
	return s[:first] + "…" + s[last:]
}

func isSpace(r rune) bool { return r == ' ' || r == '\t' || r == '\u3000' }

// spaces finds spaces between two Chinese characters (青海 省, 发生后， 青海).
// Spaces next to Latin letters or digits are a writer's choice, so they
// stay; a space beside an emphasis mark is emphasisSpaces' to find. So does
// a space inside quotation marks or book-title marks stay: slogans separate
// their halves with one (“文明祭扫 平安清明”).
func (c *checker) spaces(toks []tok, line int) {
	quoted := len(c.open[0]) + len(c.open[1]) // 《 and “ still open from earlier lines
	for i := 0; i < len(toks); i++ {
		switch toks[i].r {
		case '“', '《':
			quoted++
		case '”', '》':
			quoted = max(quoted-1, 0)
		}
		if i == 0 || !isSpace(toks[i].r) {
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
		if quoted == 0 && adjacent(prev, toks[i]) && adjacent(toks[j-1], next) &&
			isChinese(prev.r) && isChinese(next.r) && (isHan(prev.r) || isHan(next.r)) {
			start, end := int(toks[i].off), int(next.off)
			c.add(line, start, diag.Warning, RuleSpace, &diag.Message{Format: "space between Chinese characters"},
				c.text[prev.off:next.off+next.size], string(prev.r)+string(next.r), true, edit{start, end, ""})
		}
		i = j - 1
	}
}

// adjacent reports whether b follows a in the source with nothing between.
func adjacent(a, b tok) bool { return a.off+a.size == b.off }

// bracketPairs are the paired marks whose balance is checked. ASCII ( ) and
// " are not: they have other uses (list numbers, smileys, inches).
var bracketPairs = [...][2]rune{{'《', '》'}, {'“', '”'}, {'（', '）'}, {'【', '】'}}

// brackets follows the paired marks of one line of the current paragraph.
func (c *checker) brackets(toks []tok, line int) {
	first := !c.paraStarted
	c.paraStarted = true
	if first {
		for _, t := range toks {
			if isSpace(t.r) {
				continue
			}
			if c.pendingQuote != nil && t.r != '“' {
				c.flushQuote()
			}
			break
		}
		c.pendingQuote = nil
	}
	enum := -2 // not looked for yet
	for i, t := range toks {
		switch t.r {
		case '《', '》', '“', '”', '（', '）', '【', '】':
		default:
			continue
		}
		for k, p := range bracketPairs {
			switch t.r {
			case p[0]:
				c.open[k] = append(c.open[k], opening{t.r, int(t.off), line})
			case p[1]:
				if n := len(c.open[k]); n > 0 {
					c.open[k] = c.open[k][:n-1]
					continue
				}
				if enum == -2 {
					enum = enumerator(toks)
				}
				if i != enum {
					c.add(line, int(t.off), diag.Warning, RuleBrackets,
						&diag.Message{Format: "%c closes nothing in this paragraph", Args: []any{p[1]}}, string(p[1]), "", false)
				}
			}
		}
	}
}

// enumerator returns the index of the ） of a list number such as 1） or
// 一） at the start of a line, or -1.
func enumerator(toks []tok) int {
	i := 0
	for i < len(toks) && (isSpace(toks[i].r) || toks[i].r == '-' || toks[i].r == '+') {
		i++
	}
	n := 0
	for i < len(toks) && n < 4 && strings.ContainsRune("0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ一二三四五六七八九十", toks[i].r) {
		i++
		n++
	}
	if n > 0 && i < len(toks) && toks[i].r == '）' {
		return i
	}
	return -1
}

// endParagraph reports the brackets the paragraph left open.
func (c *checker) endParagraph() {
	if !c.paraStarted {
		return
	}
	c.paraStarted = false
	for k, p := range bracketPairs {
		open := c.open[k]
		c.open[k] = open[:0]
		if len(open) == 0 {
			continue
		}
		if p[0] == '“' {
			o := open[0]
			c.pendingQuote = &o
			continue
		}
		o := open[0]
		c.add(o.line, o.off, diag.Warning, RuleBrackets,
			&diag.Message{Format: "%c is not closed in this paragraph", Args: []any{p[0]}}, string(p[0]), "", false)
	}
}

func (c *checker) flushQuote() {
	if o := c.pendingQuote; o != nil {
		c.pendingQuote = nil
		c.add(o.line, o.off, diag.Warning, RuleBrackets, &diag.Message{Format: "“ is not closed in this paragraph"}, "“", "", false)
	}
}
