package importer

import (
	"regexp"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// The parts of a printed briefing that are not items, as the conventions
// for 简报 lay them out.
var (
	// Page numbers at the foot of a page: — 3 —, -3-, 第3页, 3/12, 3.
	pageNumberRE = regexp.MustCompile(`^(?:[-—–－―~]+\s*\d{1,3}\s*[-—–－―~]+|第\s*\d{1,3}\s*页(?:\s*[,，/]?\s*共\s*\d{1,3}\s*页)?|\d{1,3}\s*/\s*\d{1,3}|\d{1,3})$`)
	// Issue line: 第3期, 2024年第3期（总第128期）, 增刊.
	issueRE = regexp.MustCompile(`^(?:\d{4}\s*年\s*)?(?:第\s*[\d一二三四五六七八九十百零〇]+\s*期|增刊)|^[（(]?\s*总第\s*[\d一二三四五六七八九十百零〇]+\s*期`)
	// A sign-off date in digits or Chinese numerals.
	dateRE   = regexp.MustCompile(`(\d{4})\s*年\s*(\d{1,2})\s*月\s*(\d{1,2})\s*日`)
	cnDateRE = regexp.MustCompile(`([〇零一二三四五六七八九]{4})\s*年\s*([一二三四五六七八九十]{1,3})\s*月\s*([一二三四五六七八九十]{1,3})\s*日`)
	// Markings at the top of page 1.
	markingRE = regexp.MustCompile(`内部资料|注意保存|内部刊物|内部参阅|^秘密|^机密`)
	// The publication's name ends in one of these.
	pubNameRE = regexp.MustCompile(`(?:简报|专报|快报|通讯|动态|信息|要情|摘报|参阅|情况|周报|月报)$`)
	// The compiling office on a line of its own.
	publisherRE = regexp.MustCompile(`^(?:编印|主办|编辑|编发|编印单位)\s*[:：]|(?:办公室|编辑部)\s*(?:编印?)?$`)
	contentsRE  = regexp.MustCompile(`^目\s*录$`)
	// An editor's note before the items.
	editorNoteRE = regexp.MustCompile(`^[【\[〔]?\s*(?:编者按|编者的话|按语|编者)\s*[】\]〕]?\s*[:：]?`)
	// The closing block and the signature lines.
	backMatterRE = regexp.MustCompile(`^(?:报|送|发|抄送|抄报|主送|分送|报送)\s*[:：]|^本期(?:增发|送)|共印\s*\d*\s*份|^[（(]?\s*印数|^(?:责任编辑|编辑|审核|审稿|签发|校对|核稿|联系人|联系电话)\s*[:：]`)
	// Rules drawn with characters.
	ruleRE = regexp.MustCompile(`^[━─—＿_=＝\-*·.。…~～]{3,}$`)
	// Leaders and the page number of a contents entry.
	leadersRE = regexp.MustCompile(`\s*(?:[.…·．。\-—_]{2,}|\s{2,})\s*\d{0,3}\s*$`)
	// Section headings: 【工作动态】, 一、工作动态, ★工作动态.
	sectionRE = regexp.MustCompile(`^(?:【\s*(.{2,16}?)\s*】|[一二三四五六七八九十]{1,3}\s*[、.．]\s*(.{2,12})|[★☆◆◇■□●○]\s*(.{2,12}))$`)
	// Numbered sub-headings inside an item, which are never titles.
	numberedRE = regexp.MustCompile(`^(?:[一二三四五六七八九十]{1,3}\s*[、.．]|[（(]\s*[一二三四五六七八九十\d]{1,3}\s*[）)]|\d{1,2}\s*[.、．)]|[一二三四五六七八九十]{1,3}是)`)
	// The attribution closing an item: （据青海省民政厅） or （青海省民政厅供稿）.
	attributionJuRE     = regexp.MustCompile(`[（(]\s*(?:据|来源\s*[:：])\s*([^（）()]{2,40}?)\s*[）)]\s*$`)
	attributionGongaoRE = regexp.MustCompile(`[（(]\s*([^（）()]{2,40}?)\s*(供稿|报送|提供)\s*[）)]\s*$`)
)

// maxTitleRunes is the longest line taken for a title; a title in a
// briefing is one or two printed lines.
const maxTitleRunes = 40

// sentenceEnd reports whether s ends where a paragraph may end.
func sentenceEnd(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(strings.TrimRight(s, " \t"))
	return strings.ContainsRune("。！？；：…”’」』）》】.!?;:\")", r)
}

// unclosed reports whether s leaves a bracket or quotation open.
func unclosed(s string) bool {
	depth := 0
	for _, r := range s {
		switch r {
		case '（', '(', '《', '“', '【', '〔':
			depth++
		case '）', ')', '》', '”', '】', '〕':
			depth--
		}
	}
	return depth > 0
}

// continuation reports whether s starts with what cannot start a paragraph
// or title: closing punctuation, or a lowercase Latin letter.
func continuation(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return strings.ContainsRune("，。、；：）》”’】！？,.;:)!?", r) || unicode.IsLower(r)
}

// titleLike reports whether s could be a title: short, not a sentence.
func titleLike(s string) bool {
	n := utf8.RuneCountInString(s)
	last, _ := utf8.DecodeLastRuneInString(s)
	// A title may end with a closing quotation mark or bracket, never
	// with the punctuation of a sentence.
	if n < 4 || n > maxTitleRunes || strings.ContainsRune("。！？；：，、.!?;:,", last) || strings.ContainsAny(s, "。；;") {
		return false
	}
	han := 0
	for _, r := range s {
		if unicode.Is(unicode.Han, r) {
			han++
		}
	}
	return han >= 3
}

// bodyLike reports whether s reads as running text rather than a heading.
func bodyLike(s string) bool {
	return sentenceEnd(s) || utf8.RuneCountInString(s) > maxTitleRunes
}

// clauses reports whether s has the commas of a sentence, which a title or
// heading rarely has.
func clauses(s string) bool {
	return strings.ContainsAny(s, "，,；;")
}

// section returns the name in a section heading, "" when s is none.
func section(s string) string {
	if utf8.RuneCountInString(s) > 20 {
		return ""
	}
	m := sectionRE.FindStringSubmatch(s)
	if m == nil {
		return ""
	}
	for _, g := range m[1:] {
		if g != "" {
			return strings.TrimSpace(g)
		}
	}
	return ""
}

// masthead reports the lines of a briefing's first page above the items.
func masthead(s string) bool {
	n := utf8.RuneCountInString(s)
	switch {
	case markingRE.MatchString(s) && n <= 20:
	case issueRE.MatchString(s) && n <= 30:
	case (dateRE.MatchString(s) || cnDateRE.MatchString(s)) && n <= 50:
	case publisherRE.MatchString(s) && n <= 40:
	default:
		return false
	}
	return true
}

// parseDate reads the first date in s, in digits or Chinese numerals.
func parseDate(s string, loc *time.Location) (time.Time, bool) {
	var y, m, d int
	if g := dateRE.FindStringSubmatch(s); g != nil {
		y, _ = strconv.Atoi(g[1])
		m, _ = strconv.Atoi(g[2])
		d, _ = strconv.Atoi(g[3])
	} else if g := cnDateRE.FindStringSubmatch(s); g != nil {
		for _, r := range g[1] {
			y = y*10 + max(cnDigit(r), 0)
		}
		m, d = cnNumber(g[2]), cnNumber(g[3])
	} else {
		return time.Time{}, false
	}
	t := time.Date(y, time.Month(m), d, 0, 0, 0, 0, loc)
	if y < 1949 || t.Year() != y || int(t.Month()) != m || t.Day() != d {
		return time.Time{}, false
	}
	return t, true
}

// cnDigit reads one Chinese digit, -1 for anything else.
func cnDigit(r rune) int {
	if r == '零' {
		return 0
	}
	for i, d := range []rune("〇一二三四五六七八九") {
		if r == d {
			return i
		}
	}
	return -1
}

// cnNumber reads 一 to 三十一.
func cnNumber(s string) int {
	r := []rune(s)
	switch {
	case len(r) == 1 && r[0] == '十':
		return 10
	case len(r) == 1:
		return max(cnDigit(r[0]), 0)
	case len(r) == 2 && r[0] == '十':
		return 10 + max(cnDigit(r[1]), 0)
	case len(r) == 2 && r[1] == '十':
		return max(cnDigit(r[0]), 0) * 10
	case len(r) == 3 && r[1] == '十':
		return max(cnDigit(r[0]), 0)*10 + max(cnDigit(r[2]), 0)
	}
	return 0
}

// attribution splits the closing attribution off s: the named source, the
// form it was given in (据 or 供稿), and the text before it.
func attribution(s string) (name string, gongao bool, rest string, ok bool) {
	s = strings.TrimRight(s, " \t")
	if m := attributionJuRE.FindStringSubmatchIndex(s); m != nil {
		return strings.TrimSpace(s[m[2]:m[3]]), false, strings.TrimSpace(s[:m[0]]), true
	}
	if m := attributionGongaoRE.FindStringSubmatchIndex(s); m != nil {
		return strings.TrimSpace(s[m[2]:m[3]]), true, strings.TrimSpace(s[:m[0]]), true
	}
	return "", false, s, false
}

// normalizeTitle makes titles from contents and from the text comparable.
func normalizeTitle(s string) string {
	var b strings.Builder
	for _, r := range s {
		switch {
		case unicode.IsSpace(r):
		case r == '"' || r == '“' || r == '”':
			b.WriteRune('"')
		default:
			b.WriteRune(r)
		}
	}
	return b.String()
}
