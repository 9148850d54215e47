package importer

import (
	"cmp"
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"bulletin/internal/diag"
	"bulletin/internal/lint"
	"bulletin/internal/site"
)

// Options are what Parse needs besides the text.
type Options struct {
	// Config is the site's registry: bureaus and categories. Nil accepts
	// any bureau and no category.
	Config *site.Config
	// Date is the items' publication date; zero means the date the
	// masthead gives.
	Date time.Time
	// Category is for items under no section heading that names a category.
	Category string
	// Bureau is for items without an attribution; "" leaves them out.
	Bureau string
}

// Result is what Parse made of a text.
type Result struct {
	Items []*Item // the items that can be written, in the order of the text
	Left  int     // items found but left out; Notes say why
	Notes []Note  // what it could not decide or had to guess, by line
}

// Note is a report about a line of the source.
type Note struct {
	Line int
	// Severity is Error when an item was left out, Warning for a guess
	// that an editor should check.
	Severity diag.Severity
	Msg      string        // in English
	Text     *diag.Message // Msg as a message, to read in the reader's language
}

// Problem is the note as a problem of the file at path.
func (n Note) Problem(path string) diag.Problem {
	return diag.Problem{Path: path, Line: n.Line, Severity: n.Severity, Msg: n.Msg, Text: n.Text}
}

func (n Note) String() string {
	prefix := ""
	if n.Severity == diag.Warning {
		prefix = "warning: "
	}
	return fmt.Sprintf("%d: %s%s", n.Line, prefix, n.Msg)
}

// Parse reads a compilation and returns its items. It never fails: what it
// cannot make sense of becomes a Note.
func Parse(src []byte, opt Options) *Result {
	if opt.Config == nil {
		opt.Config = &site.Config{}
	}
	if opt.Config.Location == nil {
		opt.Config.Location = time.UTC
	}
	p := &parser{opt: opt, contents: map[string]int{}, titles: map[string]bool{}}
	text := string(src)
	if !utf8.ValidString(text) {
		text = strings.ToValidUTF8(text, "\uFFFD")
		p.warnf(1, "the text is not valid UTF-8; unreadable bytes were replaced (save it as UTF-8)")
	}
	text = strings.Map(func(r rune) rune {
		// Control characters other than line breaks, tabs and form feeds
		// are debris of the extraction; a bulletin may not contain them.
		if r < ' ' && r != '\n' && r != '\r' && r != '\t' && r != '\f' || r == 0x7f {
			return -1
		}
		return r
	}, text)
	p.paras, p.wrapped = layout(text)
	p.run()
	p.checkContents()
	slices.SortStableFunc(p.notes, func(a, b Note) int { return cmp.Compare(a.Line, b.Line) })
	return &Result{Items: p.items, Left: p.left, Notes: p.notes}
}

type parser struct {
	opt     Options
	paras   []para
	wrapped bool
	notes   []Note
	items   []*Item
	left    int // items left out

	pubName string
	date    time.Time // from the masthead
	noDate  bool      // reported once
	// contents maps the normalised titles of the contents to their lines.
	contents map[string]int
	titles   map[string]bool // normalised titles of the items found

	section     string // the category of the current section, "" for none
	sectionSeen map[string]bool

	cur *draft
}

// draft is an item being read.
type draft struct {
	line     int
	title    string
	paras    []string
	category string
}

func (p *parser) errorf(line int, format string, args ...any) {
	p.note(diag.At("", line, diag.Error, format, args...))
}

func (p *parser) warnf(line int, format string, args ...any) {
	p.note(diag.At("", line, diag.Warning, format, args...))
}

func (p *parser) note(pr diag.Problem) {
	p.notes = append(p.notes, Note{Line: pr.Line, Severity: pr.Severity, Msg: pr.Msg, Text: pr.Text})
}

// skippable reports paragraphs that are never part of an item: the rules
// and closing block of a briefing, and the publication's name repeated in
// a running header.
func (p *parser) skippable(t string) bool {
	return backMatterRE.MatchString(t) || ruleRE.MatchString(t) || (p.pubName != "" && t == p.pubName)
}

// nextContent returns the index of the paragraph after i that is not
// skippable, or -1.
func (p *parser) nextContent(i int) int {
	for j := i + 1; j < len(p.paras); j++ {
		if !p.skippable(p.paras[j].text) {
			return j
		}
	}
	return -1
}

func (p *parser) run() {
	inBody := false // reading an item
	inMast := true  // above the first item
	inContents := false
	for i := 0; i < len(p.paras); i++ {
		pa := p.paras[i]
		t := pa.text
		if p.skippable(t) {
			if inBody && backMatterRE.MatchString(t) {
				p.finish(nil)
				inBody = false
			}
			continue
		}
		if !inBody {
			switch {
			case inMast && masthead(t):
				if p.date.IsZero() {
					if d, ok := parseDate(t, p.opt.Config.Location); ok {
						p.date = d
					}
				}
				continue
			case inMast && p.pubName == "" && pubNameRE.MatchString(t) && utf8.RuneCountInString(t) <= 16:
				p.pubName = t
				continue
			case contentsRE.MatchString(t):
				inContents = true
				continue
			case section(t) != "":
				if !inContents { // the contents repeat the headings
					p.setSection(section(t), pa.line)
				}
				continue
			}
			if inContents {
				entry := strings.TrimSpace(leadersRE.ReplaceAllString(t, ""))
				if entry != t && entry != "" || titleLike(t) && !p.bodyFollows(i) {
					p.contents[normalizeTitle(entry)] = pa.line
					continue
				}
				inContents = false
			}
			if _, _, rest, ok := attribution(t); ok && rest == "" {
				p.warnf(pa.line, "attribution %s follows no item; skipped", t)
				continue
			}
			if editorNoteRE.MatchString(t) {
				continue // 按语: the editor's note on the issue, not an item
			}
			if !titleLike(t) {
				p.warnf(pa.line, "text outside any item skipped: %s", excerpt(t))
				continue
			}
			title, last, ok := p.title(i)
			if !ok {
				p.warnf(pa.line, "line skipped: %s is short like a title, but no text follows it", excerpt(t))
				continue
			}
			i = last
			p.start(title, pa.line)
			inBody, inMast = true, false
			continue
		}

		if p.newTitle(t, i) {
			p.finish(nil)
			p.start(t, pa.line)
			continue
		}
		text, last := p.merge(i)
		i = last
		if name := section(text); name != "" && (strings.HasPrefix(text, "【") || p.isCategory(name)) {
			p.finish(nil)
			p.setSection(name, pa.line)
			inBody = false
			continue
		}
		if name, gongao, rest, ok := attribution(text); ok {
			if rest != "" {
				p.cur.paras = append(p.cur.paras, rest)
			}
			p.finish(&closing{name: name, gongao: gongao, line: p.paras[i].line})
			inBody = false
			continue
		}
		p.cur.paras = append(p.cur.paras, text)
	}
	if inBody {
		p.finish(nil)
	}
}

// title reads the title starting at paragraph i: one line, or two when a
// long title was printed on two lines. It returns the index of its last
// line, and false when no text follows, so it is no title.
func (p *parser) title(i int) (string, int, bool) {
	t := p.paras[i].text
	j := p.nextContent(i)
	if j < 0 {
		return "", i, false
	}
	next := p.paras[j].text
	if p.bodyAt(j) {
		return t, i, true
	}
	if k := p.nextContent(j); k >= 0 && p.paras[j].gap == gapNone && titleLike(next) && section(next) == "" &&
		!numberedRE.MatchString(next) && utf8.RuneCountInString(t+next) <= 2*maxTitleRunes && p.bodyAt(k) {
		title := joinText(t, next)
		if _, listed := p.contents[normalizeTitle(title)]; !listed {
			p.warnf(p.paras[i].line, "lines %d and %d taken as one title: %s", p.paras[i].line, p.paras[j].line, title)
		}
		return title, j, true
	}
	return "", i, false
}

// bodyAt reports whether running text starts at paragraph j, perhaps cut
// short by a page break or a stray blank line.
func (p *parser) bodyAt(j int) bool {
	return bodyLike(p.bodyText(j))
}

// bodyText returns the paragraph starting at j as merge would join it,
// without reporting anything.
func (p *parser) bodyText(j int) string {
	text := p.paras[j].text
	for !sentenceEnd(text) && j+1 < len(p.paras) {
		if join, _ := p.joinable(text, p.paras[j+1]); !join {
			break
		}
		j++
		text = joinText(text, p.paras[j].text)
	}
	return text
}

// bodyFollows reports whether running text follows paragraph i.
func (p *parser) bodyFollows(i int) bool {
	j := p.nextContent(i)
	return j >= 0 && bodyLike(p.paras[j].text)
}

// merge returns the paragraph starting at i, with the pieces a page break
// or a stray line break split off joined back, and the index of the last
// piece used.
func (p *parser) merge(i int) (string, int) {
	text := p.paras[i].text
	for !sentenceEnd(text) && i+1 < len(p.paras) {
		q := p.paras[i+1]
		join, sure := p.joinable(text, q)
		if !join {
			break
		}
		if !sure {
			p.warnf(q.line, "joined to the line before across a blank line; check that the paragraph was split: …%s", excerpt(lastRunes(text, 8)+q.text))
		}
		text = joinText(text, q.text)
		i++
	}
	return text, i
}

// joinable decides whether q continues text, which does not end a
// sentence, and whether that is certain.
func (p *parser) joinable(text string, q para) (join, sure bool) {
	switch {
	case p.skippable(q.text):
		return false, true
	case q.gap == gapPage, unclosed(text), continuation(q.text):
		return true, true
	case p.listed(q.text) || strings.HasPrefix(q.text, "【"):
		return false, true
	case p.wrapped && q.indent:
		// Wrapped text indents each paragraph: this is a new one.
		return false, true
	case titleLike(text) && !clauses(text) && utf8.RuneCountInString(q.text) > maxTitleRunes:
		// A heading followed by its text.
		return false, true
	case q.gap == gapNone && !p.wrapped:
		// A line break inside a sentence, with no blank line to doubt.
		return true, true
	}
	return true, false
}

// listed reports whether the contents list t as a title.
func (p *parser) listed(t string) bool {
	_, ok := p.contents[normalizeTitle(t)]
	return ok
}

// newTitle reports whether text, met inside an item, is the title of the
// next one: the item before then has no attribution.
func (p *parser) newTitle(text string, i int) bool {
	if len(p.cur.paras) == 0 || !titleLike(text) || clauses(text) || numberedRE.MatchString(text) {
		return false
	}
	if len(p.contents) > 0 {
		return p.listed(text)
	}
	// A title is followed by a paragraph of some length, where a heading
	// that lost its punctuation may be followed by anything.
	j := p.nextContent(i)
	if j < 0 || utf8.RuneCountInString(p.bodyText(j)) <= maxTitleRunes {
		return false
	}
	p.warnf(p.paras[i].line, "%s taken as the title of a new item (it could be a heading inside the item before)", excerpt(text))
	return true
}

func (p *parser) isCategory(name string) bool {
	return p.opt.Config.HasCategory(name)
}

func (p *parser) setSection(name string, line int) {
	if p.isCategory(name) {
		p.section = name
		return
	}
	p.section = ""
	if p.sectionSeen == nil {
		p.sectionSeen = map[string]bool{}
	}
	if !p.sectionSeen[name] {
		p.sectionSeen[name] = true
		if p.opt.Category != "" {
			p.warnf(line, "section %s is not a category in site.yaml; its items get category %s", name, p.opt.Category)
		} else {
			p.warnf(line, "section %s is not a category in site.yaml; its items get no category", name)
		}
	}
}

func (p *parser) start(title string, line int) {
	p.cur = &draft{line: line, title: title, category: p.section}
	p.titles[normalizeTitle(title)] = true
}

// closing is the attribution that closed an item.
type closing struct {
	name   string
	gongao bool // （…供稿） rather than （据…）
	line   int
}

// finish turns the current draft into an item, or into notes saying why it
// cannot be one.
func (p *parser) finish(c *closing) {
	d := p.cur
	p.cur = nil
	if d == nil {
		return
	}
	n := len(p.items)
	defer func() {
		if len(p.items) == n {
			p.left++
		}
	}()
	label := &diag.Message{Format: "item %s", Args: []any{excerpt(d.title)}}
	if len(d.paras) == 0 {
		p.errorf(d.line, "%s has no text; not imported", label)
		return
	}
	var bureau site.Bureau
	switch {
	case c != nil:
		b, msg, ok := p.bureau(c.name)
		if !ok {
			p.errorf(c.line, "%s: %s; not imported", label, msg)
			return
		}
		if msg != nil {
			p.warnf(c.line, "%s: %s", label, msg)
		}
		bureau = b
	case p.opt.Bureau != "":
		b, msg, ok := p.bureau(p.opt.Bureau)
		if !ok {
			p.errorf(d.line, "%s: -bureau: %s; not imported", label, msg)
			return
		}
		bureau = b
		p.warnf(d.line, "%s has no attribution （据…）; bureau %s from -bureau", label, b.Name)
		c = &closing{name: b.Name}
	default:
		p.errorf(d.line, "%s has no attribution （据…） or （…供稿）, so its bureau is unknown; not imported (-bureau names one for such items)", label)
		return
	}
	date := p.opt.Date
	if date.IsZero() {
		date = p.date
	}
	if date.IsZero() {
		if !p.noDate {
			p.noDate = true
			p.errorf(1, "the text gives no date (no masthead date such as 2024年3月15日); pass -date: no item imported")
		}
		return
	}
	category := d.category
	if category == "" {
		category = p.opt.Category
	}
	closeLine := "（据" + bureau.Name + "）"
	if c.gongao {
		closeLine = "（" + bureau.Name + "供稿）"
	}
	paras := make([]string, len(d.paras))
	for i, s := range d.paras {
		paras[i] = cleanParagraph(s)
	}
	p.items = append(p.items, &Item{
		Line: d.line, Title: cleanTitle(d.title), Date: date, Bureau: bureau,
		Category: category, Paragraphs: paras, Closing: closeLine,
	})
}

// bureau finds the registry entry an attribution names. An office of a
// bureau (青海省民政厅社会救助处) is taken as the bureau, and so is a short
// form that names one bureau only (西宁市民政局 for 西宁市民政局); msg says
// so, or why none matches; it is nil when the name is a bureau's.
func (p *parser) bureau(name string) (b site.Bureau, msg *diag.Message, ok bool) {
	name = strings.Join(strings.Fields(name), "")
	for _, suffix := range []string{"报送", "供稿", "提供", "信息", "消息"} {
		name = strings.TrimSuffix(name, suffix)
	}
	cfg := p.opt.Config
	if b, ok := cfg.Bureau(name); ok {
		return b, nil, true
	}
	if len(cfg.Bureaus) == 0 {
		return site.Bureau{Name: name}, nil, true
	}
	var prefix site.Bureau
	var suffixes []string
	for _, b := range cfg.Bureaus {
		if strings.HasPrefix(name, b.Name) && len(b.Name) > len(prefix.Name) {
			prefix = b
		}
		if strings.HasSuffix(b.Name, name) {
			suffixes = append(suffixes, b.Name)
		}
	}
	switch {
	case prefix.Name != "":
		return prefix, &diag.Message{Format: "attribution %s taken as bureau %s", Args: []any{name, prefix.Name}}, true
	case len(suffixes) == 1:
		b, _ := cfg.Bureau(suffixes[0])
		return b, &diag.Message{Format: "attribution %s taken as bureau %s", Args: []any{name, b.Name}}, true
	case len(suffixes) > 1:
		return site.Bureau{}, &diag.Message{Format: "attribution %s could be any of %s", Args: []any{name, diag.List(suffixes)}}, false
	}
	names := make([]string, len(cfg.Bureaus))
	for i, b := range cfg.Bureaus {
		names[i] = b.Name
	}
	return site.Bureau{}, &diag.Message{Format: "attribution names %s, which is not a bureau in site.yaml%s", Args: []any{name, diag.Suggest(name, names)}}, false
}

// checkContents reports titles the contents list but the text lacks.
func (p *parser) checkContents() {
	for title, line := range p.contents {
		if !p.titles[title] {
			p.warnf(line, "the contents list %s, but no item has that title", excerpt(title))
		}
	}
}

var (
	hanDigitSpaceRE = regexp.MustCompile(`(\p{Han})[ \t\x{3000}]+(\d)|(\d)[ \t\x{3000}]+(\p{Han})`)
	spacesRE        = regexp.MustCompile(`[ \t\x{3000}]{2,}`)
)

// cleanParagraph undoes what PDF extraction does to Chinese text: spaces
// between characters and around numbers (困 难 群 众, 2024 年), straight
// quotation marks, half-width punctuation.
func cleanParagraph(s string) string {
	return lint.FixText(curlyQuotes(tightenNumbers(s)))
}

func cleanTitle(s string) string {
	return lint.FixTitle(curlyQuotes(tightenNumbers(s)))
}

// tightenNumbers collapses runs of spaces and drops those between Chinese
// characters and digits, which Chinese text never has (2024 年 3 月).
func tightenNumbers(s string) string {
	s = spacesRE.ReplaceAllString(s, " ")
	for range 2 { // matches overlap at the digit: 年 3 月 needs two rounds
		s = hanDigitSpaceRE.ReplaceAllString(s, "$1$2$3$4")
	}
	return s
}

// curlyQuotes turns pairs of " in Chinese text into “”, when they pair up.
func curlyQuotes(s string) string {
	n := strings.Count(s, `"`)
	if n == 0 || n%2 != 0 {
		return s
	}
	var b strings.Builder
	open := true
	for _, r := range s {
		if r == '"' {
			if open {
				b.WriteRune('“')
			} else {
				b.WriteRune('”')
			}
			open = !open
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// excerpt shortens s for a note.
func excerpt(s string) string {
	r := []rune(s)
	if len(r) > 24 {
		return "「" + string(r[:24]) + "…」"
	}
	return "「" + s + "」"
}

func lastRunes(s string, n int) string {
	r := []rune(s)
	return string(r[max(len(r)-n, 0):])
}
