package markdown

import (
	"strings"
	"testing"
	"unicode/utf8"
)

func TestSummary(t *testing.T) {
	long := strings.Repeat("全面推进社会救助体系建设", 25) // 300 runes, no sentence end
	tests := []struct {
		name string
		text string
		max  int
		want string
	}{
		{"empty", "", 120, ""},
		{"only space", " \n\t　", 120, ""},
		{"fits whole", "会议强调要兜牢底线。", 120, "会议强调要兜牢底线。"},
		{"fits whole without end", "会议强调要兜牢底线", 120, "会议强调要兜牢底线"},
		{
			"longest run of sentences",
			"第一句话。第二句话！第三句话？第四句话；第五句话。",
			12,
			"第一句话。第二句话！",
		},
		{
			"semicolon ends a sentence",
			"一是加强领导；二是压实责任；三是强化督导。",
			14,
			"一是加强领导；二是压实责任；",
		},
		{
			"closing quote after 。 belongs to the sentence",
			"他说：“要兜牢底线。”随后会议结束。",
			11,
			"他说：“要兜牢底线。”",
		},
		{
			"closing bracket after ！",
			"（务必落实！）其他内容还有很多很多。",
			8,
			"（务必落实！）",
		},
		{
			"closer that does not fit takes its sentence out",
			"第一句。第二句话说。”后面还有很长的内容",
			10,
			"第一句。",
		},
		{
			"first sentence longer than max",
			long + "。",
			120,
			string([]rune(long)[:120]) + "…",
		},
		{
			"newlines between Chinese vanish",
			"第一段第一句。\n\n　　第二段第一句。第二段第二句很长很长很长。",
			16,
			"第一段第一句。第二段第一句。",
		},
		{
			"newline next to Latin becomes a space",
			"全市共有\nGDP 增长\n\n数据。其余",
			15,
			"全市共有 GDP 增长 数据。",
		},
		{
			"a block that ends no sentence stays apart",
			"一、加强组织领导\n今年以来，全市扎实推进。\n附件1：2026年低保标准调整表\n附件2：申请表",
			60,
			"一、加强组织领导 今年以来，全市扎实推进。附件1：2026年低保标准调整表 附件2：申请表",
		},
		{
			"Latin sentences",
			"The ministry issued a notice. It takes effect in May! Details follow.",
			55,
			"The ministry issued a notice. It takes effect in May!",
		},
		{
			"Latin full stop inside a number is not an end",
			"Growth was 3.5 percent in 2024 and more text follows",
			20,
			"Growth was 3.5 perce…",
		},
		{
			"Latin cut trims the trailing space",
			"aaaa bbbb cccc dddd",
			10,
			"aaaa bbbb…",
		},
		{
			"mixed Chinese and Latin",
			"全年救助1.2万人次。Welfare rose 5%. 其余内容。",
			28,
			"全年救助1.2万人次。Welfare rose 5%.",
		},
		{"zero max", "会议强调。", 0, ""},
	}
	for _, tt := range tests {
		got := Summary(tt.text, tt.max)
		if got != tt.want {
			t.Errorf("%s: Summary(%q, %d)\ngot  %q\nwant %q", tt.name, tt.text, tt.max, got, tt.want)
		}
		if !utf8.ValidString(got) {
			t.Errorf("%s: Summary returned invalid UTF-8 %q", tt.name, got)
		}
	}
}

func TestSummaryLength(t *testing.T) {
	long := strings.Repeat("全面推进社会救助体系建设", 25) + "。"
	got := Summary(long, 120)
	if n := utf8.RuneCountInString(got); n != 121 || !strings.HasSuffix(got, "…") {
		t.Errorf("Summary of a 300-rune sentence = %d runes (%q), want 120 runes + \"…\"", n, got)
	}
}

func TestReadingMinutes(t *testing.T) {
	tests := []struct {
		name string
		text string
		want int
	}{
		{"empty", "", 1},
		{"short", "会议强调。", 1},
		{"400 Han", strings.Repeat("民", 400), 1},
		{"401 Han", strings.Repeat("民", 401), 2},
		{"1200 Han", strings.Repeat("民", 1200), 3},
		{"200 words", strings.Repeat("word ", 200), 1},
		{"201 words", strings.Repeat("word ", 201), 2},
		{"mixed", strings.Repeat("民", 400) + strings.Repeat(" word", 200), 2},
		{"numbers count as words", strings.Repeat("2024 ", 400), 2},
	}
	for _, tt := range tests {
		if got := ReadingMinutes(tt.text); got != tt.want {
			t.Errorf("%s: ReadingMinutes = %d, want %d", tt.name, got, tt.want)
		}
	}
}

func TestCountHan(t *testing.T) {
	tests := []struct {
		text string
		want int
	}{
		{"", 0},
		{"民政部", 3},
		{"2024年GDP增长5%。", 3},
		{"“低保”（二）、，。", 3},
		{"ひらがなカタカナ한국어", 0},
		{"𠮟〇々", 3}, // supplementary plane ideograph, ideographic zero and iteration mark are Han
	}
	for _, tt := range tests {
		if got := CountHan(tt.text); got != tt.want {
			t.Errorf("CountHan(%q) = %d, want %d", tt.text, got, tt.want)
		}
	}
}
