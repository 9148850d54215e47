package indexer

import (
	"fmt"
	"strings"
	"testing"
)

// tokens renders tokenize's output as term@position, with the kind of
// single characters marked: ^ first of a run, $ last, ! lone.
func tokens(text string) string {
	var out []string
	tokenize([]byte(text), func(term []byte, start, end, pos int, kind tokenKind) {
		mark := map[tokenKind]string{kindFirst: "^", kindLast: "$", kindLone: "!"}[kind]
		if text[start:end] != string(term) && kind != kindWord {
			mark += "?" // Han terms are the text itself
		}
		out = append(out, fmt.Sprintf("%s%s@%d", term, mark, pos))
	})
	return strings.Join(out, " ")
}

func TestTokenize(t *testing.T) {
	tests := []struct{ in, want string }{
		{"", ""},
		{"低保", "低^@1 低保@1 保$@2"},
		{"海东市", "海^@1 海东@1 东市@2 市$@3"},
		{"年", "年!@1"},
		// 年 follows the number: the start of its run, where the index
		// holds it alone.
		{"2024年全省", "2024@1 年^@2 年全@2 全省@3 省$@4"},
		{"2024年1月", "2024@1 年!@2 1@3 月!@4"},
		{"第3季度", "第!@1 3@2 季^@3 季度@3 度$@4"},
		// Punctuation and spaces separate, and take no position.
		{"低保，特困。", "低^@1 低保@1 保$@2 特^@3 特困@3 困$@4"},
		{"标题:低保", "标^@1 标题@1 题$@2 低^@3 低保@3 保$@4"},
		// Folding: full width, case.
		{"ＡＰＰ", "app@1"},
		{"App上线", "app@1 上^@2 上线@2 线$@3"},
		{"２０２４年", "2024@1 年!@2"},
		{"COVID-19", "covid@1 19@2"},
		// A decimal point stays in a number; other dots separate.
		{"3.5亿元", "3.5@1 亿^@2 亿元@2 元$@3"},
		{"v2.", "v2@1"},
		{"a.b", "a@1 b@2"},
		// Other scripts are words; symbols and emoji are nothing.
		{"Ελλάδα", "ελλάδα@1"},
		{"★☆♥😀", ""},
		{"\x00\xff低", "低!@1"},
		// Extension B characters are Han too.
		{"𠀀𠀁", "𠀀^@1 𠀀𠀁@1 𠀁$@2"},
		// Long runs of letters are split rather than made one huge term.
		{strings.Repeat("a", 45), strings.Repeat("a", 40) + "@1 aaaaa@2"},
	}
	for _, tt := range tests {
		if got := tokens(tt.in); got != tt.want {
			t.Errorf("tokenize(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestAnalyzerPositions(t *testing.T) {
	// The analyzer bleve uses gives the same tokens as tokenize.
	toks := analyzer{}.Analyze([]byte("2024年全省低保"))
	var got []string
	for _, tok := range toks {
		got = append(got, fmt.Sprintf("%s@%d", tok.Term, tok.Position))
	}
	want := "2024@1 年@2 年全@2 全省@3 省低@4 低保@5 保@6"
	if strings.Join(got, " ") != want {
		t.Errorf("Analyze = %q, want %q", strings.Join(got, " "), want)
	}
}

func TestFold(t *testing.T) {
	tests := []struct{ in, want string }{
		{"低保", "低保"},
		{"ＡＢＣ１２３", "abc123"},
		{"APP上线", "app上线"},
		// Punctuation is left as it is: it only separates.
		{"（低保）", "（低保）"},
		{"Ａ，Ｂ", "a，b"},
	}
	for _, tt := range tests {
		if got := foldText(tt.in); got != tt.want {
			t.Errorf("foldText(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}
