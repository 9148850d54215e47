package indexer

import (
	"strings"
	"testing"
)

func TestHighlight(t *testing.T) {
	tests := []struct {
		text  string
		words []string
		width int
		want  string
	}{
		{"城乡低保对象", []string{"低保"}, 0, "城乡<mark>低保</mark>对象"},
		{"低保低保", []string{"低保"}, 0, "<mark>低保低保</mark>"},
		{"无关内容", []string{"低保"}, 0, "无关内容"},
		// Text is escaped; only <mark> is markup.
		{`<b>低保</b> & "x"`, []string{"低保"}, 0, "&lt;b&gt;<mark>低保</mark>&lt;/b&gt; &amp; &#34;x&#34;"},
		{"<script>alert(1)</script>", []string{"script"}, 0, "&lt;<mark>script</mark>&gt;alert(1)&lt;/<mark>script</mark>&gt;"},
		// Folded matches mark the original characters.
		{"“青海民政”ＡＰＰ上线", []string{"app"}, 0, "“青海民政”<mark>ＡＰＰ</mark>上线"},
		{"截至2024年底", []string{"2024年"}, 0, "截至<mark>2024年</mark>底"},
		// Two words, overlapping marks merge.
		{"最低生活保障标准", []string{"生活保障", "保障标准"}, 0, "最低<mark>生活保障标准</mark>"},
		// Snippets: cut with … at character boundaries, starting at a
		// sentence near the first match.
		{"第一句话很长很长很长。第二句说低保标准提高了。第三句" + strings.Repeat("无关", 30), []string{"低保"}, 20,
			"…第二句说<mark>低保</mark>标准提高了。第三句无关无关无…"},
		{strings.Repeat("前文", 30) + "低保" + strings.Repeat("后文", 30), []string{"低保"}, 10,
			"…前文<mark>低保</mark>后文后文后文…"},
		// Paragraphs run on without a space between Chinese ones.
		{"第一段。\n第二段低保。\nEnd\nof text", []string{"低保"}, 0, "第一段。第二段<mark>低保</mark>。End of text"},
		// No match: the opening of the text.
		{strings.Repeat("文", 30), []string{"低保"}, 10, strings.Repeat("文", 10) + "…"},
	}
	for _, tt := range tests {
		var ps []pattern
		for _, w := range tt.words {
			ps = append(ps, newPattern(foldText(w)))
		}
		got := string(highlight(tt.text, foldText(tt.text), ps, tt.width))
		if got != tt.want {
			t.Errorf("highlight(%q, %q, %d) =\n%s\nwant\n%s", tt.text, tt.words, tt.width, got, tt.want)
		}
	}
}

func TestSnippetNeverCutsAMatch(t *testing.T) {
	text := strings.Repeat("文", 8) + "困难群众的基本生活" + strings.Repeat("文", 30)
	got := string(snippet(text, find(text, []pattern{newPattern("困难群众的基本生活")}), 12))
	if !strings.Contains(got, "<mark>困难群众的基本生活</mark>") {
		t.Errorf("snippet = %q, want the whole match marked", got)
	}
}
