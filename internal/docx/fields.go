package docx

import (
	"regexp"
	"strings"
	"unicode/utf8"

	"bulletin/internal/diag"
)

// The 报送单: the form a bureau sends with a report, as a table (报送单位
// | 西宁市民政局 | 签发人 | 王某某) or as lines (报送单位：西宁市民政局　签发人：王某某).

// label is a name a 报送单 gives a field. Strong names are never used
// for anything else; weak ones (单位, 日期) are taken as fields only where
// a 报送单 stands, near the top or the end of the document, or beside a
// strong one.
type label struct {
	key    string // bureau, signer, author, contact, request, date; title; "" for a field not kept
	name   string
	strong bool
}

var labels = []label{
	{"bureau", "报送单位", true}, {"bureau", "供稿单位", true}, {"bureau", "报送部门", true}, {"bureau", "单位", false},
	{"signer", "签发人", true}, {"signer", "签发领导", true}, {"signer", "签发", false},
	{"author", "执笔人", true}, {"author", "撰稿人", true}, {"author", "撰稿", true}, {"author", "执笔", false},
	{"contact", "联系电话", true}, {"contact", "电话", false},
	{"request", "约稿编号", true}, {"request", "约稿事项", true}, {"request", "约稿", true},
	{"date", "报送日期", true}, {"date", "报送时间", true}, {"date", "日期", false},
	{"title", "信息标题", true}, {"title", "标题", false},
	{"", "联系人", false}, {"", "审核人", false}, {"", "审核", false}, {"", "核稿人", false}, {"", "核稿", false},
	{"", "报送人", false}, {"", "手机", false}, {"", "邮箱", false}, {"", "备注", false},
}

var (
	labelByName = map[string]label{}
	// A label and its colon, the label's characters perhaps spaced out
	// (签 发 人：), as forms align them.
	labelRE *regexp.Regexp
)

func init() {
	var alts []string
	for _, l := range labels {
		labelByName[l.name] = l
		var chars []string
		for _, r := range l.name {
			chars = append(chars, regexp.QuoteMeta(string(r)))
		}
		alts = append(alts, strings.Join(chars, `[\s\x{3000}]*`))
	}
	// Longest first, so that 报送单位 is not read as 报送 + 单位.
	sortByLenDesc(alts)
	labelRE = regexp.MustCompile(`(` + strings.Join(alts, "|") + `)[\s\x{3000}]*[:：]`)
}

// fieldSet gathers fields, the first value of each kept.
type fieldSet struct {
	values map[string]string // by label name
	notes  []*diag.Message
}

func (f *fieldSet) set(name, value string) {
	if f.values == nil {
		f.values = map[string]string{}
	}
	l := labelByName[name]
	value = fieldValue(value)
	if l.key == "" || l.key == "title" {
		if value != "" && l.key == "" {
			f.notes = append(f.notes, message("the 报送单 field %s (%s) was not kept", name, value))
		}
	}
	if _, ok := f.values[name]; !ok || f.values[name] == "" {
		f.values[name] = value
	}
}

// get returns the first value given under any name of key, names in the
// order of labels (报送单位 before 单位, 约稿编号 before 约稿).
func (f *fieldSet) get(key string) string {
	for _, l := range labels {
		if l.key == key && f.values[l.name] != "" {
			return f.values[l.name]
		}
	}
	return ""
}

// fieldValue cleans a value; the marks of an empty field (无, /, —) are
// no value.
func fieldValue(v string) string {
	v = collapse(v)
	switch v {
	case "无", "否", "/", "／", "-", "—", "——", "－", "\\", "空", "暂无":
		return ""
	}
	if r := []rune(v); len(r) > 200 {
		v = string(r[:200])
	}
	return v
}

// fieldLine reads a line made of fields only: 报送单位：西宁市民政局　签发人：王某某.
// It returns the fields by label name and whether one is strong; nil
// when the line is anything else.
func fieldLine(s string) (fields [][2]string, strong bool) {
	s = strings.TrimFunc(s, isSpace)
	locs := labelRE.FindAllStringSubmatchIndex(s, -1)
	if len(locs) == 0 || locs[0][0] != 0 {
		return nil, false
	}
	for i, loc := range locs {
		end := len(s)
		if i+1 < len(locs) {
			end = locs[i+1][0]
		}
		name := strings.Map(func(r rune) rune {
			if isSpace(r) {
				return -1
			}
			return r
		}, s[loc[2]:loc[3]])
		value := strings.TrimFunc(s[loc[1]:end], isSpace)
		if utf8.RuneCountInString(value) > 60 || strings.ContainsAny(value, "。！？；") {
			return nil, false // a sentence, not a field
		}
		fields = append(fields, [2]string{name, value})
		strong = strong || labelByName[name].strong
	}
	return fields, strong
}

// cellLabel returns the label name a table cell holds alone (报送单位,
// 签 发 人, 联系电话：), "" when it holds anything else.
func cellLabel(s string) string {
	name := strings.Map(func(r rune) rune {
		if isSpace(r) {
			return -1
		}
		return r
	}, s)
	name = strings.TrimRight(name, ":：")
	if _, ok := labelByName[name]; ok {
		return name
	}
	return ""
}

// reportTable reads a table as a 报送单: fields are label cells followed
// by their value in the same row, or cells of label：value. A table is a
// 报送单 when it has two fields with a value and one of them strong, or
// fields in two rows: a table of data has labels in its head row and
// values below them.
func reportTable(t *table) (f fieldSet, ok bool) {
	pairs, strong, rowsWith := 0, false, 0
	var unused []string
	for _, r := range t.rows {
		var texts []string
		for _, c := range r.cells {
			if !c.merged {
				texts = append(texts, cellPlain(c))
			}
		}
		rowPairs := 0
		var rest []string
		for i := 0; i < len(texts); i++ {
			if name := cellLabel(texts[i]); name != "" {
				value := ""
				if i+1 < len(texts) && cellLabel(texts[i+1]) == "" {
					value = texts[i+1]
					i++
				}
				f.set(name, value)
				if fieldValue(value) != "" {
					rowPairs++
					strong = strong || labelByName[name].strong
				}
				continue
			}
			if fields, st := fieldLine(texts[i]); fields != nil {
				for _, kv := range fields {
					f.set(kv[0], kv[1])
					if fieldValue(kv[1]) != "" {
						rowPairs++
					}
				}
				strong = strong || st
				continue
			}
			if texts[i] != "" {
				rest = append(rest, texts[i])
			}
		}
		pairs += rowPairs
		if rowPairs > 0 {
			rowsWith++
		}
		if line := strings.Join(rest, " "); line != "" && !strings.Contains(line, "报送单") && !strings.Contains(line, "呈报单") {
			unused = append(unused, line)
		}
	}
	if !(pairs >= 2 && strong || rowsWith >= 2) {
		return fieldSet{}, false
	}
	for _, u := range unused {
		f.notes = append(f.notes, message("the 报送单 line “%s” was not kept", clip(u, 40)))
	}
	return f, true
}

// cellPlain is the text of a cell on one line.
func cellPlain(c *cell) string {
	var parts []string
	for _, b := range c.blocks {
		switch b := b.(type) {
		case *para:
			parts = append(parts, b.text)
		case *table:
			for _, r := range b.rows {
				for _, c := range r.cells {
					if s := cellPlain(c); s != "" {
						parts = append(parts, s)
					}
				}
			}
		}
	}
	return strings.Join(parts, " ")
}

func sortByLenDesc(s []string) {
	for i := 1; i < len(s); i++ {
		for j := i; j > 0 && len(s[j]) > len(s[j-1]); j-- {
			s[j], s[j-1] = s[j-1], s[j]
		}
	}
}
