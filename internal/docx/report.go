package docx

import (
	"context"
	"regexp"
	"strings"
	"unicode/utf8"
)

var (
	// Headings as official documents number them (GB/T 9704): 一、 for the
	// first level, （一） for the second.
	level1RE = regexp.MustCompile(`^[一二三四五六七八九十]{1,3}[、.．]`)
	level2RE = regexp.MustCompile(`^[（(][一二三四五六七八九十]{1,3}[）)]`)
	// The attribution closing a report: （据西宁市民政局）, （西宁市民政局供稿）,
	// （供稿：西宁市民政局）.
	attributionRE = regexp.MustCompile(`^[（(][\s\x{3000}]*(?:据[^（）()]{2,60}|(?:来源|稿件来源|信息来源|供稿|供稿单位|报送单位)[\s\x{3000}]*[:：][^（）()]{2,60}|[^（）()]{2,60}?(?:供稿|报送|提供|撰稿))[\s\x{3000}]*[）)]$`)
)

// sentenceEnd holds what ends a sentence, and so cannot end a title or
// a heading's middle.
const sentenceEnd = "。！？；!?;"

// titleLike reports whether a paragraph could be a title, or a line of
// one: short, and no sentence.
func titleLike(p *para) bool {
	n := utf8.RuneCountInString(p.text)
	if n < 2 || n > 80 || strings.ContainsRune("。；：，、;:,", lastRune(p.text)) {
		return false
	}
	return !strings.ContainsAny(strings.TrimRight(p.text, sentenceEnd), "。；;") &&
		!level1RE.MatchString(p.text) && !level2RE.MatchString(p.text) && !attributionRE.MatchString(p.text)
}

// bodyLike reports a paragraph that starts the report's text: a
// sentence, a long line, a numbered heading.
func bodyLike(p *para) bool {
	if level1RE.MatchString(p.text) || level2RE.MatchString(p.text) {
		return true
	}
	if p.fmt.centered {
		return false
	}
	return utf8.RuneCountInString(p.text) > 40 || strings.ContainsAny(p.text, "。；;")
}

func (pk *pkg) report(ctx context.Context, doc *document) (*Report, error) {
	rep := &Report{}
	blocks := doc.blocks
	used := make([]bool, len(blocks))

	// The 报送单: tables anywhere, lines with a strong label anywhere,
	// lines of weak labels only near either end.
	var fields fieldSet
	for i, b := range blocks {
		switch b := b.(type) {
		case *table:
			if f, ok := reportTable(b); ok {
				fields.merge(f)
				used[i] = true
			}
		case *para:
			if f, strong := fieldLine(b.text); f != nil && (strong || i < 4 || i >= len(blocks)-4) {
				for _, kv := range f {
					fields.set(kv[0], kv[1])
				}
				used[i] = true
			}
		}
	}

	title := pk.title(blocks, used)
	if title == "" {
		title = fields.get("title")
		if title == "" {
			pk.notes.add(message("no title was found; give the report one"))
		}
	}
	rep.Title = title

	// The attribution: the last paragraph, or the end of it.
	for i := len(blocks) - 1; i >= 0; i-- {
		if used[i] {
			continue
		}
		if p, ok := blocks[i].(*para); ok {
			if a, rest := splitAttribution(p); a != "" {
				rep.Attribution = a
				if rest == nil {
					used[i] = true
				} else {
					blocks[i] = rest
				}
			}
		}
		break
	}

	// Fields the document lacks may be in its page headers and footers.
	for _, hb := range doc.headers {
		for _, b := range hb {
			switch b := b.(type) {
			case *table:
				if f, ok := reportTable(b); ok {
					f.notes = nil
					fields.merge(f)
				}
			case *para:
				if f, _ := fieldLine(b.text); f != nil {
					for _, kv := range f {
						fields.setQuiet(kv[0], kv[1])
					}
				}
			}
		}
	}
	rep.Fields = Fields{
		Bureau:  fields.get("bureau"),
		Signer:  fields.get("signer"),
		Author:  fields.get("author"),
		Contact: fields.get("contact"),
		Request: fields.get("request"),
		Date:    fields.get("date"),
	}
	for _, n := range fields.notes {
		pk.notes.add(n)
	}

	e := &emitter{ctx: ctx, pkg: pk, byRel: map[string]string{}, minOutline: 9}
	for i, b := range blocks {
		if p, ok := b.(*para); ok && !used[i] && p.fmt.outline > 0 {
			e.minOutline = min(e.minOutline, p.fmt.outline)
		}
	}
	var out []string
	for i, b := range blocks {
		if used[i] {
			continue
		}
		out = append(out, e.block(b)...)
		if e.err != nil {
			return nil, e.err
		}
		if e.size > maxBody {
			return nil, errTooLong()
		}
	}
	if len(out) > 0 {
		rep.Body = strings.Join(out, "\n\n") + "\n"
	}
	if len(rep.Body) > maxBody {
		return nil, errTooLong()
	}
	if rep.Body == "" && rep.Title == "" && len(e.images) == 0 {
		return nil, formatErr("the document has no text")
	}
	rep.Images = e.images
	rep.Notes = pk.notes.list
	return rep, nil
}

func (f *fieldSet) merge(g fieldSet) {
	for _, l := range labels {
		if v, ok := g.values[l.name]; ok {
			f.setValue(l.name, v)
		}
	}
	f.notes = append(f.notes, g.notes...)
}

func (f *fieldSet) setQuiet(name, value string) { f.setValue(name, fieldValue(value)) }

func (f *fieldSet) setValue(name, value string) {
	if f.values == nil {
		f.values = map[string]string{}
	}
	if f.values[name] == "" {
		f.values[name] = value
	}
}

// title finds the title, and marks its paragraphs and what stands above
// it as used.
func (pk *pkg) title(blocks []block, used []bool) string {
	// The top: what comes before the report's text starts.
	top := len(blocks)
	for i, b := range blocks {
		if used[i] {
			continue
		}
		if _, ok := b.(*table); ok {
			top = i
			break
		}
		if p := b.(*para); bodyLike(p) && p.fmt.role == "" {
			top = i
			break
		}
	}
	paraAt := func(i int) *para {
		if used[i] {
			return nil
		}
		p, _ := blocks[i].(*para)
		return p
	}
	bodySize := pk.bodySize(blocks)

	first, role := -1, ""
	// A paragraph styled Title, anywhere; else the first styled heading 1
	// of the top.
	for i := range blocks {
		if p := paraAt(i); p != nil && p.fmt.role == "title" {
			first, role = i, "title"
			break
		}
	}
	if first < 0 {
		for i := 0; i < top; i++ {
			if p := paraAt(i); p != nil && p.fmt.role == "heading1" && titleLike(p) {
				first, role = i, "heading1"
				break
			}
		}
	}
	// Else the largest centred line of the top, if larger than the text
	// or in the title font; else the first centred line of the top.
	if first < 0 {
		best := 0
		for i := 0; i < top; i++ {
			p := paraAt(i)
			if p == nil || !p.fmt.centered || !titleLike(p) {
				continue
			}
			score := p.size() * 2
			if p.mostly(fontTitle) {
				score++
			}
			if (p.size() > bodySize || p.mostly(fontTitle)) && score > best {
				first, best = i, score
			}
		}
	}
	if first < 0 {
		for i := 0; i < top; i++ {
			if p := paraAt(i); p != nil && p.fmt.centered && titleLike(p) {
				first = i
				break
			}
		}
	}
	if first < 0 {
		for i := 0; i < top; i++ {
			if p := paraAt(i); p != nil && titleLike(p) {
				first = i
				pk.notes.add(message("the title was taken from the first line, which is not centred"))
				break
			}
		}
	}
	if first < 0 {
		return ""
	}

	// A title of two or three lines: the paragraphs right after it that
	// look the same.
	head := paraAt(first)
	lines := []string{collapse(head.text)}
	used[first] = true
	for j := first + 1; j < len(blocks) && len(lines) < 3; j++ {
		p := paraAt(j)
		if p == nil || p.gapBefore || !titleLike(p) || p.fmt.role != head.fmt.role ||
			p.fmt.centered != head.fmt.centered || p.size() != head.size() ||
			utf8.RuneCountInString(strings.Join(lines, ""))+utf8.RuneCountInString(p.text) > 120 {
			break
		}
		if role == "" && !p.fmt.centered {
			break
		}
		lines = append(lines, collapse(p.text))
		used[j] = true
	}
	for j := first; j < first+len(lines); j++ {
		for _, s := range blocks[j].(*para).segs {
			if s.kind == segImage {
				pk.notes.add(message("a picture in the title's line was dropped"))
			}
		}
	}
	// Lines above the title (a masthead, a mark such as 内部资料) are no
	// part of the report's text.
	for i := 0; i < first && i < top; i++ {
		if used[i] {
			continue
		}
		if p, ok := blocks[i].(*para); ok {
			used[i] = true
			if p.text == "" {
				pk.notes.add(message("a picture above the title was dropped"))
				continue
			}
			pk.notes.add(message("the line “%s” above the title was dropped", clip(p.text, 40)))
		}
	}
	return joinLines(lines)
}

// bodySize is the font size of most of the document's text.
func (pk *pkg) bodySize(blocks []block) int {
	count := map[int]int{}
	for _, b := range blocks {
		if p, ok := b.(*para); ok {
			for _, s := range p.sizes {
				count[s.size] += s.n
			}
		}
	}
	best, n := 0, 0
	for size, c := range count {
		if c > n || c == n && size < best {
			best, n = size, c
		}
	}
	return best
}

// splitAttribution takes the attribution off the end of a paragraph. It
// returns the attribution and what remains of the paragraph, nil when
// nothing does; "" when the paragraph does not end with one.
func splitAttribution(p *para) (string, *para) {
	if len(p.segs) == 0 || p.segs[len(p.segs)-1].kind != segText {
		return "", nil
	}
	text := p.text
	at := strings.LastIndexAny(text, "（(")
	if at < 0 || !attributionRE.MatchString(text[at:]) {
		return "", nil
	}
	cand := text[at:]
	if before := strings.TrimRightFunc(text[:at], isSpace); before != "" && !strings.ContainsRune("。！？!?…”」』）)", lastRune(before)) {
		return "", nil // a bracket in the middle of a sentence
	}
	// Cut len(cand) bytes off the end of the segments.
	cut := len(cand)
	segs := append([]seg(nil), p.segs...)
	for cut > 0 && len(segs) > 0 {
		s := &segs[len(segs)-1]
		if s.kind != segText {
			return "", nil
		}
		if len(s.text) <= cut {
			cut -= len(s.text)
			segs = segs[:len(segs)-1]
			continue
		}
		s.text = s.text[:len(s.text)-cut]
		cut = 0
	}
	attribution := strings.TrimFunc(cand, isSpace)
	if segs = normalize(segs); len(segs) == 0 {
		return attribution, nil
	}
	rest := *p
	rest.segs = segs
	rest.text = plain(segs)
	return attribution, &rest
}

// clip cuts s to n characters, with an ellipsis.
func clip(s string, n int) string {
	if r := []rune(s); len(r) > n {
		return string(r[:n]) + "…"
	}
	return s
}
