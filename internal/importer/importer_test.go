package importer

import (
	"context"
	"fmt"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/site"
)

func TestAttribution(t *testing.T) {
	tests := []struct {
		in, name, rest string
		gongao, ok     bool
	}{
		{"工作取得成效。（据青海省民政厅）", "青海省民政厅", "工作取得成效。", false, true},
		{"(据 西宁市民政局 )", "西宁市民政局", "", false, true},
		{"工作取得成效。(据青海省民政厅) ", "青海省民政厅", "工作取得成效。", false, true},
		{"（海东市民政局供稿）", "海东市民政局", "", true, true},
		{"(兰州市民政局 报送)", "兰州市民政局", "", true, true},
		{"（来源：甘肃省民政厅）", "甘肃省民政厅", "", false, true},
		{"各县（市、区）已全部完成。", "", "各县（市、区）已全部完成。", false, false},
		{"（据）", "", "（据）", false, false},
		{"据青海省民政厅消息，近日……", "", "据青海省民政厅消息，近日……", false, false},
	}
	for _, tt := range tests {
		name, gongao, rest, ok := attribution(tt.in)
		if name != tt.name || gongao != tt.gongao || rest != tt.rest || ok != tt.ok {
			t.Errorf("attribution(%q) = %q, %v, %q, %v; want %q, %v, %q, %v", tt.in, name, gongao, rest, ok, tt.name, tt.gongao, tt.rest, tt.ok)
		}
	}
}

func TestParseDate(t *testing.T) {
	tests := []struct{ in, want string }{
		{"青海省民政厅办公室          2024年3月15日", "2024-03-15"},
		{"2024 年 1 月 5 日", "2024-01-05"},
		{"二〇二四年九月十日", "2024-09-10"},
		{"二〇二四年十二月三十一日", "2024-12-31"},
		{"二〇二五年二月二十日", "2025-02-20"},
		{"2024年2月30日", ""},
		{"第3期", ""},
	}
	for _, tt := range tests {
		got := ""
		if d, ok := parseDate(tt.in, time.UTC); ok {
			got = d.Format(time.DateOnly)
		}
		if got != tt.want {
			t.Errorf("parseDate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestBureau(t *testing.T) {
	p := &parser{opt: Options{Config: testConfig(t)}}
	tests := []struct{ in, want, msg string }{
		{"青海省民政厅", "青海省民政厅", ""},
		{"青海省 民政厅", "青海省民政厅", ""},
		{"青海省民政厅报送", "青海省民政厅", ""},
		{"青海省民政厅社会救助处", "青海省民政厅", "attribution 青海省民政厅社会救助处 taken as bureau 青海省民政厅"},
		{"西湖区民政局", "杭州市西湖区民政局", "attribution 西湖区民政局 taken as bureau 杭州市西湖区民政局"},
		{"省民政厅", "", "attribution 省民政厅 could be any of 青海省民政厅, 甘肃省民政厅, 浙江省民政厅"},
		{"青海省民正厅", "", `attribution names 青海省民正厅, which is not a bureau in site.yaml; did you mean "青海省民政厅"?`},
		{"玉树州民政局", "", "attribution names 玉树州民政局, which is not a bureau in site.yaml"},
	}
	for _, tt := range tests {
		b, m, _ := p.bureau(tt.in)
		msg := ""
		if m != nil {
			msg = m.Error()
		}
		if b.Name != tt.want || msg != tt.msg {
			t.Errorf("bureau(%q) = %q, %q; want %q, %q", tt.in, b.Name, msg, tt.want, tt.msg)
		}
	}
}

func TestLayout(t *testing.T) {
	wrapped := strings.Repeat("  这是一个按页面宽度折行的段落，每行二十八个汉字左右，句子在行尾断\n开后继续写在下一行，直到段落结束为止，下一段另起一行并且缩进两个\n字符。\n", 3)
	tests := []struct {
		name, src string
		wrapped   bool
		want      []string // line:gap:text
	}{
		{"a line per paragraph", "第一段。\n\n第二段。\n第三段。\n", false,
			[]string{"1:0:第一段。", "3:1:第二段。", "4:0:第三段。"}},
		{"page number and form feed", "甲\n\n— 3 —\n\n乙\n\f丙\n第 4 页\n丁\n", false,
			[]string{"1:0:甲", "5:2:乙", "6:2:丙", "8:2:丁"}},
		{"wrapped", wrapped, true, []string{
			"1:0:这是一个按页面宽度折行的段落，每行二十八个汉字左右，句子在行尾断开后继续写在下一行，直到段落结束为止，下一段另起一行并且缩进两个字符。",
			"4:0:这是一个按页面宽度折行的段落，每行二十八个汉字左右，句子在行尾断开后继续写在下一行，直到段落结束为止，下一段另起一行并且缩进两个字符。",
			"7:0:这是一个按页面宽度折行的段落，每行二十八个汉字左右，句子在行尾断开后继续写在下一行，直到段落结束为止，下一段另起一行并且缩进两个字符。",
		}},
		{"crlf, bom, nbsp", "\uFEFF甲\u00a0乙\r\n\r\n丙\r", false, []string{"1:0:甲 乙", "3:1:丙"}},
		{"latin words across lines", strings.Repeat("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\n", 4) + "end\n", true,
			[]string{"1:0:" + strings.TrimSpace(strings.Repeat("aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa ", 4)) + " end"}},
	}
	for _, tt := range tests {
		paras, w := layout(tt.src)
		var got []string
		for _, p := range paras {
			got = append(got, fmt.Sprintf("%d:%d:%s", p.line, p.gap, p.text))
		}
		if w != tt.wrapped || strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
			t.Errorf("%s: wrapped %v, paragraphs:\n%s\nwant wrapped %v:\n%s", tt.name, w, strings.Join(got, "\n"), tt.wrapped, strings.Join(tt.want, "\n"))
		}
	}
}

func TestEscapeMarkdown(t *testing.T) {
	tests := []struct{ in, want string }{
		{"近日，全省启动。", "近日，全省启动。"},
		{"1. 城市低保标准提高", `1\. 城市低保标准提高`},
		{"12) 第十二项", `12\) 第十二项`},
		{"- 列表", `\- 列表`},
		{"# 标题", `\# 标题`},
		{"> 引用", `\> 引用`},
		{"---", `\---`},
		{"**加粗**和_斜体_、`代码`、[链接](x)、<b>、~~删除~~、a|b、&amp;", `\*\*加粗\*\*和\_斜体\_、\` + "`" + `代码\` + "`" + `、\[链接\](x)、\<b\>、\~\~删除\~\~、a\|b、\&amp;`},
		{"详见https://example.cn/a_b*c，或www.example.cn。", "详见https://example.cn/a_b*c，或www.example.cn。"},
		{`反斜杠\`, `反斜杠\\`},
	}
	for _, tt := range tests {
		if got := escapeMarkdown(tt.in); got != tt.want {
			t.Errorf("escapeMarkdown(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParse(t *testing.T) {
	const mast = "民政工作简报\n\n第3期\n\n青海省民政厅办公室    2024年3月15日\n\n"
	body := "全省低保标准提高，困难群众基本生活得到有效保障，各地按时足额发放救助金，群众满意度不断提升。"
	tests := []struct {
		name  string
		src   string
		opt   Options
		items []string // title|bureau|category|date|paragraph count|first paragraph
		notes []string
	}{
		{"one item", mast + "全省低保标准提高\n\n" + body + "（据青海省民政厅）\n", Options{},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-15|1|" + body}, nil},
		{"word split across blank lines", mast + "全省低保标准提高\n\n全省各地切实保障困难群\n\n众基本生活，确保温暖过冬。\n\n（据青海省民政厅）\n", Options{},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-15|1|全省各地切实保障困难群众基本生活，确保温暖过冬。"},
			[]string{"11: warning: joined to the line before across a blank line; check that the paragraph was split: …「地切实保障困难群众基本生活，确保温暖过冬。」"}},
		{"split at a page number", mast + "全省低保标准提高\n\n" + body + "全省各地切实保障困难群\n\n— 2 —\n\n众基本生活。(据青海省民政厅)\n", Options{},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-15|1|" + body + "全省各地切实保障困难群众基本生活。"}, nil},
		{"attribution split", mast + "全省低保标准提高\n\n" + body + "（据青海省民\n\n政厅）\n", Options{},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-15|1|" + body}, nil},
		{"section names a category", mast + "【社会救助】\n\n全省低保标准提高\n\n" + body + "（青海省民政厅供稿）\n", Options{Category: "工作动态"},
			[]string{"全省低保标准提高|青海省民政厅|社会救助|2024-03-15|1|" + body}, nil},
		{"-category for other sections", mast + "一、基层经验\n\n全省低保标准提高\n\n" + body + "（青海省民政厅供稿）\n", Options{Category: "工作动态"},
			[]string{"全省低保标准提高|青海省民政厅|工作动态|2024-03-15|1|" + body},
			[]string{"7: warning: section 基层经验 is not a category in site.yaml; its items get category 工作动态"}},
		{"-date wins", mast + "全省低保标准提高\n\n" + body + "（据青海省民政厅）\n", Options{Date: time.Date(2024, 3, 20, 9, 30, 0, 0, time.UTC)},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-20|1|" + body}, nil},
		{"no date", "全省低保标准提高\n\n" + body + "（据青海省民政厅）\n", Options{}, nil,
			[]string{"1: the text gives no date (no masthead date such as 2024年3月15日); pass -date: no item imported"}},
		{"no attribution, then a title", mast + "全省低保标准提高\n\n" + body + "\n\n西宁市养老服务中心投入使用\n\n" + body + "（据西宁市民政局）\n", Options{},
			[]string{"西宁市养老服务中心投入使用|西宁市民政局||2024-03-15|1|" + body}, []string{
				"7: item 「全省低保标准提高」 has no attribution （据…） or （…供稿）, so its bureau is unknown; not imported (-bureau names one for such items)",
				"11: warning: 「西宁市养老服务中心投入使用」 taken as the title of a new item (it could be a heading inside the item before)",
			}},
		{"-bureau for items without attribution", mast + "全省低保标准提高\n\n" + body + "\n", Options{Bureau: "青海省民政厅"},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-15|1|" + body},
			[]string{"7: warning: item 「全省低保标准提高」 has no attribution （据…）; bureau 青海省民政厅 from -bureau"}},
		{"titles and paragraphs without blank lines", mast + "全省低保标准提高\n" + body + "\n西宁市养老服务中心投入使用\n全省各地要加强统筹，切实保障困难群\n众基本生活，" + body + "（据西宁市民政局）\n", Options{},
			[]string{"西宁市养老服务中心投入使用|西宁市民政局||2024-03-15|1|全省各地要加强统筹，切实保障困难群众基本生活，" + body}, []string{
				"7: item 「全省低保标准提高」 has no attribution （据…） or （…供稿）, so its bureau is unknown; not imported (-bureau names one for such items)",
				"9: warning: 「西宁市养老服务中心投入使用」 taken as the title of a new item (it could be a heading inside the item before)",
			}},
		{"numbered heading stays in the item", mast + "全省低保标准提高\n\n" + body + "\n\n（一）加强组织领导\n\n" + body + "（据青海省民政厅）\n", Options{},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-15|3|" + body}, nil},
		{"two-line title", mast + "青海省下拨1.26亿元冬春救助资金\n保障困难群众温暖过冬\n\n" + body + "（据青海省民政厅）\n", Options{},
			[]string{"青海省下拨1.26亿元冬春救助资金保障困难群众温暖过冬|青海省民政厅||2024-03-15|1|" + body},
			[]string{"7: warning: lines 7 and 8 taken as one title: 青海省下拨1.26亿元冬春救助资金保障困难群众温暖过冬"}},
		{"closing block ends the item", mast + "全省低保标准提高\n\n" + body + "\n\n报：民政部办公厅\n送：省直有关部门\n", Options{Bureau: "青海省民政厅"},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-15|1|" + body},
			[]string{"7: warning: item 「全省低保标准提高」 has no attribution （据…）; bureau 青海省民政厅 from -bureau"}},
		{"contents decide titles", mast + "目  录\n全省低保标准提高……1\n\n全省低保标准提高\n\n" + body + "\n\n加强组织领导\n\n" + body + "（据青海省民政厅）\n", Options{},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-15|3|" + body}, nil},
		{"contents entry never found", mast + "目  录\n全省低保标准提高……1\n西宁市养老服务中心投入使用……2\n\n全省低保标准提高\n\n" + body + "（据青海省民政厅）\n", Options{},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-15|1|" + body},
			[]string{"9: warning: the contents list 「西宁市养老服务中心投入使用」, but no item has that title"}},
		{"text before the first title", mast + "【编者按】本期刊发各地做法，供参考。\n\n近年来各地积极探索，形成了一批可复制可推广的经验做法，现摘编如下，供各地学习借鉴。\n\n全省低保标准提高\n\n" + body + "（据青海省民政厅）\n", Options{},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-15|1|" + body},
			[]string{"9: warning: text outside any item skipped: 「近年来各地积极探索，形成了一批可复制可推广的经验…」"}},
		{"typography and quotes", mast + "全省低保标准提高\n\n按照\"应保尽保\"要求,全省 2024 年共保障困 难 群 众 30万人(含特困人员)。(据青海省民政厅)\n", Options{},
			[]string{"全省低保标准提高|青海省民政厅||2024-03-15|1|按照“应保尽保”要求，全省2024年共保障困难群众30万人（含特困人员）。"}, nil},
		{"unknown bureau", mast + "全省低保标准提高\n\n" + body + "（据青海省民正厅）\n", Options{}, nil,
			[]string{`9: item 「全省低保标准提高」: attribution names 青海省民正厅, which is not a bureau in site.yaml; did you mean "青海省民政厅"?; not imported`}},
	}
	cfg := testConfig(t)
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tt.opt.Config = cfg
			r := Parse([]byte(tt.src), tt.opt)
			var items, notes []string
			for _, it := range r.Items {
				items = append(items, fmt.Sprintf("%s|%s|%s|%s|%d|%s", it.Title, it.Bureau.Name, it.Category,
					it.Date.Format(time.DateOnly), len(it.Paragraphs), it.Paragraphs[0]))
			}
			for _, n := range r.Notes {
				notes = append(notes, n.String())
			}
			if strings.Join(items, "\n") != strings.Join(tt.items, "\n") {
				t.Errorf("items:\n%s\nwant:\n%s", strings.Join(items, "\n"), strings.Join(tt.items, "\n"))
			}
			if strings.Join(notes, "\n") != strings.Join(tt.notes, "\n") {
				t.Errorf("notes:\n%s\nwant:\n%s", strings.Join(notes, "\n"), strings.Join(tt.notes, "\n"))
			}
		})
	}
}

func TestItemFile(t *testing.T) {
	it := &Item{
		Title: "西宁市: “一门受理”窗口启用", Date: time.Date(2024, 3, 15, 0, 0, 0, 0, time.UTC),
		Bureau:     site.Bureau{Name: "西宁市民政局", Slug: "qinghai-xining"},
		Paragraphs: []string{"1. 第一项", "第二段。"}, Closing: "（据西宁市民政局）",
	}
	want := "---\ntitle: '西宁市: “一门受理”窗口启用'\ndate: 2024-03-15\nbureau: 西宁市民政局\n---\n\n1\\. 第一项\n\n第二段。\n\n（据西宁市民政局）\n"
	if got := string(it.Markdown()); got != want {
		t.Errorf("Markdown:\n%s\nwant:\n%s", got, want)
	}
	if got, want := it.Path(), "content/qinghai-xining/2024/"+it.Slug()+".md"; got != want {
		t.Errorf("Path = %q, want %q", got, want)
	}
	same := *it
	same.Date = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
	same.Paragraphs = nil
	if same.Slug() != it.Slug() {
		t.Errorf("the slug depends on more than bureau and title")
	}
	other := *it
	other.Title += "（续）"
	if other.Slug() == it.Slug() {
		t.Errorf("two titles share a slug")
	}
}

// TestItemsLoad checks that what the golden files hold are bulletins the
// site loads without a problem.
func TestItemsLoad(t *testing.T) {
	for _, name := range []string{"jianbao-2024-03.txt", "xinxi-wrapped.txt"} {
		src := readTestdata(t, name)
		r := Parse(src, Options{Config: testConfig(t), Category: "社会救助"})
		checkLoads(t, r)
	}
}

// checkLoads loads the items of r as a site and checks that each keeps its
// title and attribution.
func checkLoads(t *testing.T, r *Result) {
	t.Helper()
	fsys := fstest.MapFS{"site.yaml": {Data: readTestdata(t, "site.yaml")}}
	byPath := map[string]*Item{}
	for _, it := range r.Items {
		fsys[it.Path()] = &fstest.MapFile{Data: it.Markdown()}
		byPath[it.Path()] = it
	}
	s, err := site.Load(context.Background(), fsys, site.Options{Drafts: true, Future: true})
	if err != nil {
		t.Fatalf("the imported files do not load: %v", err)
	}
	for _, w := range s.Warnings {
		if w.Path != "content" {
			t.Errorf("warning: %v", w)
		}
	}
	for _, b := range s.Bulletins {
		it := byPath[b.Source]
		if b.Title != it.Title || b.Attribution != it.Bureau.Name {
			t.Errorf("%s: loaded as %q (%q), imported as %q (%q)", b.Source, b.Title, b.Attribution, it.Title, it.Bureau.Name)
		}
	}
	if len(s.Bulletins) != len(r.Items) {
		t.Errorf("%d bulletins loaded of %d items", len(s.Bulletins), len(r.Items))
	}
}
