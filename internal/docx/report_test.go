package docx

import (
	"bytes"
	"context"
	"encoding/xml"
	"strings"
	"testing"
)

// readSpec reads the .docx d describes.
func readSpec(t *testing.T, d docSpec) *Report {
	t.Helper()
	data := d.bytes(t)
	rep, err := Read(context.Background(), bytes.NewReader(data), int64(len(data)), Limits{})
	if err != nil {
		t.Fatal(err)
	}
	checkBody(t, rep)
	return rep
}

func TestFormatNumber(t *testing.T) {
	tests := []struct {
		n      int
		format string
		want   string
	}{
		{1, "chineseCounting", "一"}, {10, "chineseCounting", "十"}, {11, "chineseCounting", "十一"},
		{20, "chineseCounting", "二十"}, {21, "chineseCounting", "二十一"}, {100, "chineseCounting", "一百"},
		{105, "chineseCounting", "一百零五"}, {110, "chineseCounting", "一百一十"}, {1010, "chineseCounting", "一千零一十"},
		{12, "chineseCountingThousand", "十二"}, {12, "chineseLegalSimplified", "拾贰"}, {10, "ideographDigital", "一〇"},
		{1, "ideographTraditional", "甲"}, {10, "ideographTraditional", "癸"}, {11, "ideographTraditional", "11"},
		{2, "ideographZodiac", "丑"}, {4, "upperRoman", "IV"}, {9, "lowerRoman", "ix"},
		{1, "upperLetter", "A"}, {27, "upperLetter", "AA"}, {28, "lowerLetter", "bb"},
		{3, "decimalEnclosedCircle", "③"}, {3, "decimalEnclosedCircleChinese", "③"}, {21, "decimalEnclosedCircle", "21"},
		{2, "decimalEnclosedParen", "⑵"}, {2, "decimalEnclosedFullstop", "⒉"}, {12, "decimalFullWidth", "１２"},
		{7, "decimalZero", "07"}, {7, "ordinal", "7"}, {7, "", "7"},
	}
	for _, tt := range tests {
		if got := formatNumber(tt.n, tt.format); got != tt.want {
			t.Errorf("formatNumber(%d, %s) = %q, want %q", tt.n, tt.format, got, tt.want)
		}
	}
}

func TestNumbering(t *testing.T) {
	src := xmlHeader + `<w:numbering ` + docNS + `>` +
		`<w:abstractNum w:abstractNumId="5">` +
		`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/></w:lvl>` +
		`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:lvlText w:val="（%2）"/></w:lvl>` +
		`<w:lvl w:ilvl="2"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1.%3"/><w:isLgl/></w:lvl>` +
		`<w:lvl w:ilvl="3"><w:numFmt w:val="bullet"/><w:lvlText w:val=""/></w:lvl>` +
		`</w:abstractNum>` +
		`<w:num w:numId="1"><w:abstractNumId w:val="5"/></w:num>` +
		`<w:num w:numId="2"><w:abstractNumId w:val="5"/><w:lvlOverride w:ilvl="0"><w:startOverride w:val="7"/></w:lvlOverride></w:num>` +
		`</w:numbering>`
	tokens := maxTokens
	x := newXMLReader(context.Background(), strings.NewReader(src), "word/numbering.xml", 256, &tokens)
	n, err := parseNumbering(x)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, step := range []struct {
		num  string
		ilvl int
	}{{"1", 0}, {"1", 1}, {"1", 1}, {"1", 2}, {"1", 0}, {"1", 1}, {"1", 3}, {"9", 0}, {"2", 0}, {"2", 0}} {
		text, bullet := n.next(step.num, step.ilvl, &styles{})
		if bullet {
			text = "•"
		}
		got = append(got, text)
	}
	want := []string{"一、", "（一）", "（二）", "1.1 ", "二、", "（一）", "•", "", "七、", "八、"}
	if strings.Join(got, "|") != strings.Join(want, "|") {
		t.Errorf("numbers %q, want %q", got, want)
	}
}

func TestFieldLine(t *testing.T) {
	tests := []struct {
		in     string
		want   string // name=value;…
		strong bool
	}{
		{"报送单位：西宁市民政局　签发人：王某某", "报送单位=西宁市民政局;签发人=王某某", true},
		{"签 发 人: 王某某  执笔人:李某", "签发人=王某某;执笔人=李某", true},
		{"报送单位：西宁市民政局签发人：王某某", "报送单位=西宁市民政局;签发人=王某某", true},
		{"单位：西宁市民政局　日期：2024年3月15日", "单位=西宁市民政局;日期=2024年3月15日", false},
		{"约稿编号：2024-003", "约稿编号=2024-003", true},
		{"联系电话：0971-1234567，欢迎来电咨询。", "", false},
		{"今年以来，报送单位：西宁", "", false},
		{"报送单位", "", false},
	}
	for _, tt := range tests {
		fields, strong := fieldLine(tt.in)
		var parts []string
		for _, kv := range fields {
			parts = append(parts, kv[0]+"="+kv[1])
		}
		if got := strings.Join(parts, ";"); got != tt.want || strong != tt.strong {
			t.Errorf("fieldLine(%q) = %q, %v; want %q, %v", tt.in, got, strong, tt.want, tt.strong)
		}
	}
}

func TestAttribution(t *testing.T) {
	tests := []struct{ in, attribution, rest string }{
		{"（据西宁市民政局）", "（据西宁市民政局）", ""},
		{"(据西宁市民政局)", "(据西宁市民政局)", ""},
		{"（西宁市民政局供稿）", "（西宁市民政局供稿）", ""},
		{"（供稿：西宁市民政局）", "（供稿：西宁市民政局）", ""},
		{"（来源: 西宁市民政局）", "（来源: 西宁市民政局）", ""},
		{"群众满意度达98%。（海东市民政局供稿）", "（海东市民政局供稿）", "群众满意度达98%。"},
		{"群众满意度达98%。 (据海东市民政局)", "(据海东市民政局)", "群众满意度达98%。"},
		{"资金（据统计）已发放", "", ""},
		{"发放资金（据统计）", "", ""},
		{"（一）加强领导", "", ""},
	}
	for _, tt := range tests {
		para := &para{segs: []seg{{kind: segText, text: []byte(tt.in)}}, text: tt.in}
		a, rest := splitAttribution(para)
		restText := ""
		if rest != nil {
			restText = rest.text
		}
		if a != tt.attribution || restText != tt.rest {
			t.Errorf("splitAttribution(%q) = %q, %q; want %q, %q", tt.in, a, restText, tt.attribution, tt.rest)
		}
	}
}

func TestNormalize(t *testing.T) {
	br := seg{kind: segBreak}
	text := func(s string, bold bool) seg { return seg{kind: segText, text: []byte(s), bold: bold} }
	tests := []struct {
		segs []seg
		want string // text, bold in **
	}{
		{[]seg{text("　　加强组织", false), br, text("  领导", false)}, "加强组织领导"},
		{[]seg{text("Hello", false), br, text("world", false)}, "Hello world"},
		{[]seg{text("共1.2", false), br, text("万人", false)}, "共1.2万人"},
		{[]seg{text("一是", true), text(" ", false), text("加强。", true), text("其他", false)}, "**一是 加强。**其他"},
		{[]seg{text("", true), text("　", true), br, br}, ""},
		{[]seg{text("a", false), text("", true), text("b", false)}, "ab"},
	}
	for _, tt := range tests {
		var b strings.Builder
		for _, s := range normalize(tt.segs) {
			if s.bold {
				b.WriteString("**" + string(s.text) + "**")
			} else {
				b.WriteString(string(s.text))
			}
		}
		if got := b.String(); got != tt.want {
			t.Errorf("normalize gave %q, want %q", got, tt.want)
		}
	}
}

func TestTitles(t *testing.T) {
	text := p(indent, r(bodyFont, "今年以来，我局扎实做好困难群众救助工作，取得明显成效，群众满意度不断提升。"))
	heading1 := `<w:style w:type="paragraph" w:styleId="1"><w:name w:val="heading 1"/><w:pPr><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:sz w:val="44"/></w:rPr></w:style>`
	tests := []struct {
		name, styles, body, title, note, body0 string
	}{
		{name: "heading 1 styled", styles: heading1,
			body:  p(`<w:pStyle w:val="1"/>`, r("", "关于救助工作的报告")) + text + p(`<w:pStyle w:val="1"/>`, r("", "一、主要做法")),
			title: "关于救助工作的报告", body0: "今年以来"},
		{name: "two centred lines", body: p(centered, r(titleFont, "西宁市多措并举")) + p(centered, r(titleFont, "做好冬春救助工作")) + text,
			title: "西宁市多措并举做好冬春救助工作"},
		{name: "latin lines", body: p(centered, r(titleFont, "Qinghai Civil Affairs")) + p(centered, r(titleFont, "Winter Relief 2024")) + text,
			title: "Qinghai Civil Affairs Winter Relief 2024"},
		{name: "an empty line between", body: p(centered, r(titleFont, "西宁市多措并举")) + p("") + p(centered, r(titleFont, "做好冬春救助工作")) + text,
			title: "西宁市多措并举", body0: "做好冬春救助工作"},
		{name: "a subtitle", body: p(centered, r(titleFont, "西宁市做好冬春救助工作")) + p(centered, r(kaiFont, "——城东区的做法")) + text,
			title: "西宁市做好冬春救助工作", body0: "——城东区的做法"},
		{name: "the largest", body: p(centered, r(bodyFont, "西宁民政信息")) + p(centered, r(titleFont, "西宁市做好冬春救助工作")) + text,
			title: "西宁市做好冬春救助工作", note: "the line “西宁民政信息” above the title was dropped", body0: "今年以来"},
		{name: "same size, centred", body: p(centered, r(bodyFont+bold, "西宁市做好冬春救助工作")) + text,
			title: "西宁市做好冬春救助工作"},
		{name: "not centred", body: p("", r(bodyFont, "西宁市做好冬春救助工作")) + text,
			title: "西宁市做好冬春救助工作", note: "the title was taken from the first line, which is not centred"},
		{name: "none", body: text, note: "no title was found; give the report one", body0: "今年以来"},
		{name: "from the 报送单", body: tbl(2, tr(cellText("报送单位"), cellText("西宁市民政局")), tr(cellText("信息标题"), cellText("西宁市做好冬春救助工作"))) + text,
			title: "西宁市做好冬春救助工作", body0: "今年以来"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := readSpec(t, docSpec{body: tt.body, styles: tt.styles})
			if rep.Title != tt.title {
				t.Errorf("title %q, want %q", rep.Title, tt.title)
			}
			if tt.note != "" && !strings.Contains(notesText(rep), tt.note) {
				t.Errorf("notes %q, want %q", rep.Notes, tt.note)
			}
			if tt.body0 != "" && !strings.HasPrefix(rep.Body, tt.body0) {
				t.Errorf("the body starts %q, want %q", clip(rep.Body, 20), tt.body0)
			}
		})
	}
}

func TestFields(t *testing.T) {
	text := p(indent, r(bodyFont, "今年以来，我局扎实做好困难群众救助工作，取得明显成效，群众满意度不断提升。"))
	title := p(centered, r(titleFont, "西宁市做好冬春救助工作"))
	tests := []struct {
		name, body string
		want       Fields
		note       string
		inBody     string // text that stays in the body
	}{
		{name: "table at the end", body: title + text + tbl(4,
			tr(cellText("报送单位"), cellText("西宁市民政局"), cellText("签发人"), cellText("王某某")),
			tr(cellText("联系人"), cellText("李某"), cellText("电话"), cellText("0971-1234567"))),
			want: Fields{Bureau: "西宁市民政局", Signer: "王某某", Contact: "0971-1234567"}, note: "the 报送单 field 联系人 (李某) was not kept"},
		{name: "cells of label：value", body: tbl(2, tr(cellText("报送单位：西宁市民政局"), cellText("签发人：王某某")), tr(cellText("约稿：无"), cellText("备注：紧急"))) + title + text,
			want: Fields{Bureau: "西宁市民政局", Signer: "王某某"}, note: "the 报送单 field 备注 (紧急) was not kept"},
		{name: "a table of data is no 报送单", body: title + text + tbl(4,
			tr(cellText("单位"), cellText("人数"), cellText("日期"), cellText("金额")),
			tr(cellText("城东区"), cellText("12"), cellText("3月"), cellText("5.6"))),
			inBody: "| 单位 | 人数 | 日期 | 金额 |"},
		{name: "weak labels in the middle", body: title + text + text + text + text + p("", r(bodyFont, "单位：万元")) + text + text + text + text,
			inBody: "单位：万元"},
		{name: "lines at the end", body: title + text + p("", r(bodyFont, "（据西宁市民政局）")) + p("", r(bodyFont, "执笔：李某　　审核：张某")),
			want: Fields{Author: "李某"}, note: "the 报送单 field 审核 (张某) was not kept"},
		{name: "a 约稿 with its number and its text", body: p("", r("", "约稿事项：救助政策落实情况　约稿编号：2024-003")) + title + text,
			want: Fields{Request: "2024-003"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := readSpec(t, docSpec{body: tt.body})
			if rep.Fields != tt.want {
				t.Errorf("fields %+v, want %+v", rep.Fields, tt.want)
			}
			if tt.note != "" && !strings.Contains(notesText(rep), tt.note) {
				t.Errorf("notes %q, want %q", rep.Notes, tt.note)
			}
			if tt.inBody != "" && !strings.Contains(rep.Body, tt.inBody) {
				t.Errorf("the body lacks %q:\n%s", tt.inBody, rep.Body)
			}
			if rep.Title != "西宁市做好冬春救助工作" {
				t.Errorf("title %q", rep.Title)
			}
		})
	}
}

// TestEntitiesNotExpanded shows what the DOCTYPE refusal rests on:
// encoding/xml expands no entity a document declares.
func TestEntitiesNotExpanded(t *testing.T) {
	src := `<!DOCTYPE d [<!ENTITY a "aaaaaaaaaa"><!ENTITY b "&a;&a;&a;&a;&a;&a;&a;&a;&a;&a;">]><d>&b;</d>`
	d := xml.NewDecoder(strings.NewReader(src))
	var err error
	for err == nil {
		var tok xml.Token
		tok, err = d.Token()
		if cd, ok := tok.(xml.CharData); ok && len(cd) > 0 {
			t.Fatalf("the entity was expanded to %q", cd)
		}
	}
	if !strings.Contains(err.Error(), "invalid character entity &b;") {
		t.Errorf("got %v", err)
	}
}

// TestBody covers what the fixtures do not: tables of one cell, caption
// rows, bullets, hidden text, breaks around Latin words.
func TestBody(t *testing.T) {
	title := p(centered, r(titleFont, "西宁市做好冬春救助工作"))
	tests := []struct{ name, body, want string }{
		{"a frame of one cell", tbl(1, tr(tc(1, "", p("", r("", "编者按：本期刊发……"))))), "编者按：本期刊发……\n"},
		{"a caption row", tbl(2, tr(tc(2, "", p(centered, r(bold, "救助情况统计表")))), tr(tc(1, "", p("", r(bold, "区县"))), cellText("人数")), tr(cellText("城东区"), cellText("12"))),
			"救助情况统计表\n\n| 区县 | 人数 |\n| --- | --- |\n| 城东区 | 12 |\n"},
		{"hidden text", p("", r("", "看得见"), r(`<w:vanish/>`, "看不见")), "看得见\n"},
		{"a page break", p("", r("", "上一页"), rx("", `<w:br w:type="page"/>`), r("", "下一页")), "上一页下一页\n"},
		{"a heading in 黑体 without a number", p("", r(heiFont, "工作成效")), "## 工作成效\n"},
		{"a long 一、 paragraph", p("", r("", "一、基本情况。今年以来，全市共排查困难群众1.2万人，其中新纳入低保对象326户。")), "一、基本情况。今年以来，全市共排查困难群众1.2万人，其中新纳入低保对象326户。\n"},
		{"a heading with markup", p("", r(heiFont, "一、<b>#加强</b>")), "## 一、\\<b\\>\\#加强\\</b\\>\n"},
		{"symbols", p("", r("", "勾选"), rx("", `<w:sym w:font="Wingdings" w:char="F0FE"/>`), r("", "是")), "勾选是\n"},
		{"a ruby", p("", rx("", `<w:ruby><w:rubyPr/><w:rt><w:r><w:t>zhù</w:t></w:r></w:rt><w:rubyBase><w:r><w:t>助</w:t></w:r></w:rubyBase></w:ruby>`)), "助\n"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			rep := readSpec(t, docSpec{body: title + tt.body})
			if rep.Body != tt.want {
				t.Errorf("body %q, want %q", rep.Body, tt.want)
			}
		})
	}
}

// notesText is the report's notes in English, one a line.
func notesText(rep *Report) string {
	var lines []string
	for _, n := range rep.Notes {
		lines = append(lines, n.Error())
	}
	return strings.Join(lines, "\n")
}
