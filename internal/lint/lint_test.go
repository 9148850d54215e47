package lint

import (
	"fmt"
	"strings"
	"testing"
)

// hitLines formats hits compactly for comparison: line:column rule text.
func hitLines(hits []Hit) []string {
	var out []string
	for _, h := range hits {
		fix := ""
		if h.Fixable {
			fix = " [fix]"
		}
		out = append(out, fmt.Sprintf("%d:%d %s %s%s", h.Line, h.Column, h.Rule, h.Text(), fix))
	}
	return out
}

const front = "---\ntitle: 标题\ndate: 2024-01-02\nbureau: 青海省民政厅\n---\n\n"

func TestFile(t *testing.T) {
	tests := []struct {
		name string
		body string // after front, whose body starts on line 7
		want []string
	}{
		{"clean", "近日，青海省民政厅召开会议。\n\n（据青海省民政厅）\n", nil},
		{"comma between Han", "事故发生后,青海省民政厅立即行动。\n",
			[]string{"7:6 punctuation 后,青 → 后，青 (half-width comma in Chinese text) [fix]"}},
		{"comma and space", "发生后, 青海\n",
			[]string{"7:4 punctuation 后, 青 → 后，青 (half-width comma in Chinese text) [fix]"}},
		{"semicolon colon question exclamation", "一是加强;二是完善:三是什么?好!\n", []string{
			"7:5 punctuation 强;二 → 强；二 (half-width semicolon in Chinese text) [fix]",
			"7:10 punctuation 善:三 → 善：三 (half-width colon in Chinese text) [fix]",
			"7:15 punctuation 么?好 → 么？好 (half-width question mark in Chinese text) [fix]",
			"7:17 punctuation 好! → 好！ (half-width exclamation mark in Chinese text) [fix]",
		}},
		{"numbers and times are not Chinese text", "共1,000人，上午9:30开始，比例1:2。\n", nil},
		{"comma after a number before Chinese", "共100,其中\n",
			[]string{"7:5 punctuation 0,其 → 0，其 (half-width comma in Chinese text) [fix]"}},
		{"comma after Latin is left", "APP,方便群众\n", nil},
		{"colon before digits", "电话:0971-1234567\n",
			[]string{"7:3 punctuation 话:0 → 话：0 (half-width colon in Chinese text) [fix]"}},
		{"comma and space before digits", "据悉, 2024年\n",
			[]string{"7:3 punctuation 悉, 2 → 悉，2 (half-width comma in Chinese text) [fix]"}},
		{"space before the mark", "平台 ,组织\n",
			[]string{"7:3 punctuation 台 ,组 → 台，组 (half-width comma in Chinese text) [fix]"}},
		{"through emphasis", "**一是加快进度**,要求各地\n",
			[]string{"7:11 punctuation 度,要 → 度，要 (half-width comma in Chinese text) [fix]"}},
		{"code span", "运行`青海,省`命令\n", nil},
		{"code block", "```\n青海,省\n```\n\n    青海,省\n", nil},
		{"link destination", "详见[通知](a,b.md)和[附件](青海,省.pdf)\n", nil},
		{"link text", "详见[青海,省](a.md)\n",
			[]string{"7:6 punctuation 海,省 → 海，省 (half-width comma in Chinese text) [fix]"}},
		{"after a link", "详见[通知](a.md),另见\n",
			[]string{"7:13 punctuation 知,另 → 知，另 (half-width comma in Chinese text) [fix]"}},
		{"url", "网址https://example.cn/a?b=1,青海\n", nil},
		{"image is not an exclamation", "如图![示意图](a.png)\n", nil},
		{"html", "<div>青海,省</div>\n", nil},
		{"reference definition", "[青海,省]: https://example.cn/\n", nil},
		{"parentheses", "各县(市、区)民政部门\n",
			[]string{"7:3 parentheses (市、区) → （市、区） (half-width parentheses around Chinese text) [fix]"}},
		{"attribution in ascii parentheses", "(据青海省民政厅)\n",
			[]string{"7:1 parentheses (据青海省民政厅) → （据青海省民政厅） (half-width parentheses around Chinese text) [fix]"}},
		{"parentheses around Latin", "新冠肺炎(COVID-19)疫情，列表(1)\n", nil},
		{"link parentheses", "见[通知](通知.md)\n", nil},
		{"space between Han", "青海 省民政厅\n",
			[]string{"7:3 space 海 省 → 海省 (space between Chinese characters) [fix]"}},
		{"ideographic space", "会议强调\u3000要\n",
			[]string{"7:5 space 调\u3000要 → 调要 (space between Chinese characters) [fix]"}},
		{"space after full-width comma", "发生后， 青海\n",
			[]string{"7:5 space ， 青 → ，青 (space between Chinese characters) [fix]"}},
		{"indent typed with ideographic spaces", "\u3000\u3000近日，全省启动。\n",
			[]string{"7:1 indent 　　近 → 近 (full-width spaces as a paragraph indent: the page indents paragraphs itself) [fix]"}},
		{"indent on a paragraph's second line", "全省启动。\n\u3000下一行。\n",
			[]string{"8:1 indent 　下 → 下 (full-width spaces as a paragraph indent: the page indents paragraphs itself) [fix]"}},
		{"ideographic spaces alone", "\u3000\u3000\n", nil},
		{"ASCII indentation then ideographic", "  \u3000近日。\n",
			[]string{"7:3 indent 　近 → 近 (full-width spaces as a paragraph indent: the page indents paragraphs itself) [fix]"}},
		{"a list item's text", "- \u3000近日。\n", nil},
		{"indent before bold", "\u3000\u3000**一是**加快。\n",
			[]string{"7:1 indent 　　**一 → **一 (full-width spaces as a paragraph indent: the page indents paragraphs itself) [fix]"}},
		{"quotes around a link", "见\"[通知](https://www.mca.gov.cn/)\"。\n",
			[]string{"7:2 quotes \"[通知](https://www.mca.gov.cn/)\" → “[通知](https://www.mca.gov.cn/)” (straight quotes around Chinese text) [fix]"}},
		{"ideographic space inside a line", "近日，\u3000全省启动。\n",
			[]string{"7:4 space ，　全 → ，全 (space between Chinese characters) [fix]"}},
		{"spaces next to Latin and digits", "2024年 1月 APP 上线\n", nil},
		{"slogan halves in quotes", "开展“文明祭扫 平安清明”活动\n", nil},
		{"heading keeps spaces", "## 青海 保障\n", nil},
		{"space after closing emphasis", "**一是加快。** 要求\n",
			[]string{"7:10 emphasis 。** 要 → 。**要 (space beside bold or italic between Chinese characters) [fix]"}},
		{"space before opening emphasis", "开展 **入户走访**\n",
			[]string{"7:3 emphasis 展 **入 → 展**入 (space beside bold or italic between Chinese characters) [fix]"}},
		{"space between two emphases", "**一是** **二是**\n", nil},
		{"space beside emphasis next to Latin", "**APP** 上线\n", nil},
		{"space beside emphasis without a mark", "青海 保障\n",
			[]string{"7:3 space 海 保 → 海保 (space between Chinese characters) [fix]"}},
		{"straight quotes around Chinese", "开展\"温暖过冬\"行动\n",
			[]string{"7:3 quotes \"温暖过冬\" → “温暖过冬” (straight quotes around Chinese text) [fix]"}},
		{"nested straight quotes", "他说\"要做到'应保尽保'\"。\n",
			[]string{"7:3 quotes \"要做到'应保尽保'\" → “要做到‘应保尽保’” (straight quotes around Chinese text) [fix]"}},
		{"two pairs on a line", "\"一户一档\"和\"一人一策\"\n",
			[]string{"7:1 quotes \"一户一档\" → “一户一档” (straight quotes around Chinese text) [fix]", "7:8 quotes \"一人一策\" → “一人一策” (straight quotes around Chinese text) [fix]"}},
		{"straight quotes around Latin", "登录\"APP\"办理\n", nil},
		{"an odd number of quotes", "屏幕为12\"，\"温暖\n", nil},
		{"quotes in code", "输入`\"低保\"`查询\n", nil},
		{"quotes in a link destination", "[通知](a.pdf \"关于通知\")\n", nil},
		{"apostrophes in Latin inside quotes", "\"青海's 工作\"\n",
			[]string{"7:1 quotes \"青海's 工作\" → “青海's 工作” (straight quotes around Chinese text) [fix]"}},
		{"table row", "| 西宁 市 | 100 |\n", nil},
		{"unclosed book title", "学习《条例精神。\n\n下一段。\n",
			[]string{"7:3 brackets 《 is not closed in this paragraph"}},
		{"closing nothing", "学习条例》精神。\n",
			[]string{"7:5 brackets 》 closes nothing in this paragraph"}},
		{"balanced over lines", "学习“两个\n确立”精神。\n", nil},
		{"mixed parentheses", "（据青海省民政厅)\n",
			[]string{"7:1 brackets （ is not closed in this paragraph"}},
		{"quotation over paragraphs", "他说：“第一段。\n\n“第二段。”\n", nil},
		{"quotation left open", "他说：“第一段。\n\n第二段。\n",
			[]string{"7:4 brackets “ is not closed in this paragraph"}},
		{"list numbers", "1）第一项\n一）第二项\n", nil},
		{"wording", "中华人民共合国成立以来\n",
			[]string{"7:1 wording 中华人民共合国 → 中华人民共和国 (国名) [fix]"}},
		{"wording exception", "全省人民正部署春耕，居民正局部改造。\n", nil},
		{"wording in bold", "**省、直辖市、自治区**民政厅\n",
			[]string{"7:3 wording 省、直辖市、自治区 → 省、自治区、直辖市 (固定表述顺序) [fix]"}},
		{"wording not in code", "`中华人民共合国`\n", nil},
		{"wording second column", "1. 关于中华人民共合国\n",
			[]string{"7:6 wording 中华人民共合国 → 中华人民共和国 (国名) [fix]"}},
	}
	l := New(NewRules(Builtin()))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hitLines(l.File("a.md", []byte(front+tt.body)))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("body %q\ngot:\n%s\nwant:\n%s", tt.body, strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestFrontMatter(t *testing.T) {
	tests := []struct {
		name, src string
		want      []string
	}{
		{"title punctuation", "---\ntitle: 发生后,青海省(西宁)行动\ndate: 2024-01-02\n---\n正文\n", []string{
			"2:11 punctuation 后,青 → 后，青 (half-width comma in Chinese text) [fix]",
			"2:15 parentheses (西宁) → （西宁） (half-width parentheses around Chinese text) [fix]",
		}},
		{"title keeps its separating space", "---\ntitle: 青海下拨资金 保障过冬\n---\n正文\n", nil},
		{"summary space", "---\nsummary: 青海 省\n---\n正文\n",
			[]string{"2:12 space 海 省 → 海省 (space between Chinese characters) [fix]"}},
		{"tags commas are YAML", "---\ntags: [冬春救助,低保]\n---\n正文\n", nil},
		{"wording in any value", "---\ntitle: 国务苑办公厅通知\nbureau: 青海省民正厅\n---\n正文\n", []string{
			"2:8 wording 国务苑 → 国务院 (国家机关名称) [fix]",
			"3:12 wording 民正厅 → 民政厅 (机关名称) [fix]",
		}},
		{"unclosed front matter", "---\ntitle: 国务苑\n", nil},
		{"no front matter", "国务苑\n", []string{"1:1 wording 国务苑 → 国务院 (国家机关名称) [fix]"}},
		{"crlf and bom", "\uFEFF---\r\ntitle: x\r\n---\r\n青海 省\r\n", []string{"4:3 space 海 省 → 海省 (space between Chinese characters) [fix]"}},
		{"lone cr", "---\rtitle: x\r---\r\r青海 省\r", []string{"5:3 space 海 省 → 海省 (space between Chinese characters) [fix]"}},
		{"not utf-8", "---\ntitle: x\n---\n\xff青海 省\n", nil},
	}
	l := New(NewRules(Builtin()))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got := hitLines(l.File("a.md", []byte(tt.src)))
			if strings.Join(got, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("got:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestFix(t *testing.T) {
	tests := []struct {
		name, src, want string
		applied         int
	}{
		{"punctuation", front + "发生后,青海省民政厅立即行动;各地(市、州)迅速响应。\n",
			front + "发生后，青海省民政厅立即行动；各地（市、州）迅速响应。\n", 3},
		{"spaces", front + "青海 省民政厅， 西宁市\n", front + "青海省民政厅，西宁市\n", 2},
		{"wording after parentheses", front + "各省(直辖市、自治区)\n", front + "各省（自治区、直辖市）\n", 2},
		{"line endings and bom kept", "\uFEFF---\r\ntitle: 发生后,青海\r\n---\r\n\r\n青海 省\r\n",
			"\uFEFF---\r\ntitle: 发生后，青海\r\n---\r\n\r\n青海省\r\n", 2},
		{"no final newline", front + "青海 省", front + "青海省", 1},
		{"brackets are not fixed", front + "《条例\n", front + "《条例\n", 0},
		{"code is not fixed", front + "`青海,省`\n", front + "`青海,省`\n", 0},
		{"tags untouched", "---\ntags: [冬春救助,低保]\n---\n正文\n", "---\ntags: [冬春救助,低保]\n---\n正文\n", 0},
		{"Word habits", front + "\u3000\u3000**一是加快进度。** 要求\"应保尽保、'应救尽救'\"。\n",
			front + "**一是加快进度。**要求“应保尽保、‘应救尽救’”。\n", 3},
		{"title quotes are YAML", "---\ntitle: \"温暖过冬\"\n---\n正文\n", "---\ntitle: \"温暖过冬\"\n---\n正文\n", 0},
	}
	l := New(NewRules(Builtin()))
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, applied := l.Fix([]byte(tt.src))
			if string(got) != tt.want {
				t.Errorf("Fix:\ngot  %q\nwant %q", got, tt.want)
			}
			if len(applied) != tt.applied {
				t.Errorf("applied %d fixes, want %d: %v", len(applied), tt.applied, hitLines(applied))
			}
			again, more := l.Fix(got)
			if string(again) != string(got) || len(more) != 0 {
				t.Errorf("a second Fix changed %q to %q", got, again)
			}
		})
	}
}

func TestSiteRuleFix(t *testing.T) {
	tests := []struct {
		name string
		rule Rule
		want bool
	}{
		{"plain", Rule{Wrong: "青海省民正厅", Right: "青海省民政厅"}, true},
		{"no right form", Rule{Wrong: "某某"}, false},
		{"fix: false", Rule{Wrong: "甲", Right: "乙", NoFix: true}, false},
		{"markdown in the right form", Rule{Wrong: "甲", Right: "*乙*"}, false},
		{"yaml in the right form", Rule{Wrong: "甲", Right: "乙: 丙"}, false},
	}
	for _, tt := range tests {
		if got := tt.rule.fixable(); got != tt.want {
			t.Errorf("%s: fixable = %v, want %v", tt.name, got, tt.want)
		}
	}
}

func TestMatchLongestAndExcept(t *testing.T) {
	rules := NewRules([]Rule{
		{Wrong: "民正", Right: "民政", Except: []string{"人民正"}},
		{Wrong: "民正厅", Right: "民政厅"},
		{Wrong: "abab", Right: "x", Except: []string{"ababab"}},
	})
	l := New(rules)
	tests := []struct{ body, want string }{
		{"青海省民正厅", "7:4 wording 民正厅 → 民政厅"},
		{"全省人民正在行动", ""},
		{"市民正", "7:2 wording 民正 → 民政"},
		{"xababx", "7:2 wording abab → x"},
		{"ababab", ""},
	}
	for _, tt := range tests {
		got := strings.Join(hitLines(l.File("a.md", []byte(front+tt.body+"\n"))), "\n")
		got = strings.ReplaceAll(got, " [fix]", "")
		if got != tt.want {
			t.Errorf("%q: got %q, want %q", tt.body, got, tt.want)
		}
	}
}

func TestFixText(t *testing.T) {
	tests := []struct{ in, text, title string }{
		{"发生后,青海 省(西宁)行动!", "发生后，青海省（西宁）行动！", "发生后，青海 省（西宁）行动！"},
		{"**星号**,是文字", "**星号**,是文字", "**星号**,是文字"},
		{"共1,000人, 9:30开始", "共1,000人，9:30开始", "共1,000人，9:30开始"},
		{"青海下拨资金 保障过冬", "青海下拨资金保障过冬", "青海下拨资金 保障过冬"},
	}
	for _, tt := range tests {
		if got := FixText(tt.in); got != tt.text {
			t.Errorf("FixText(%q) = %q, want %q", tt.in, got, tt.text)
		}
		if got := FixTitle(tt.in); got != tt.title {
			t.Errorf("FixTitle(%q) = %q, want %q", tt.in, got, tt.title)
		}
	}
}
