package docx

import (
	"bytes"
	"strings"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
)

// plainGoldmark is goldmark as it comes, with GFM: CommonMark's rules for
// emphasis, without the project's CJK amendments. Bold the body writes
// must be bold there too.
var plainGoldmark = goldmark.New(goldmark.WithExtensions(extension.GFM))

func renderPlain(t *testing.T, md string) string {
	t.Helper()
	var buf bytes.Buffer
	if err := plainGoldmark.Convert([]byte(md), &buf); err != nil {
		t.Fatal(err)
	}
	return buf.String()
}

func segsOf(parts ...string) []seg {
	// "*x" is bold text x, anything else plain text.
	var segs []seg
	for _, p := range parts {
		if rest, ok := strings.CutPrefix(p, "*"); ok {
			segs = append(segs, seg{kind: segText, text: []byte(rest), bold: true})
		} else {
			segs = append(segs, seg{kind: segText, text: []byte(p)})
		}
	}
	return segs
}

func TestBold(t *testing.T) {
	tests := []struct {
		segs   []string
		want   string
		strong []string // the text of each <strong>, in order
	}{
		{[]string{"*一是加强组织领导。", "其他"}, "**一是加强组织领导**。其他", []string{"一是加强组织领导"}},
		{[]string{"*一是加强组织领导。"}, "**一是加强组织领导。**", []string{"一是加强组织领导。"}},
		{[]string{"推进5G", "*“双千兆”", "网络"}, "推进5G“**双千兆**”网络", []string{"双千兆"}},
		{[]string{"*（一）整合窗口。", "在全市"}, "**（一）整合窗口**。在全市", []string{"（一）整合窗口"}},
		{[]string{"会议指出，", "*“四个坚持”", "是根本。"}, "会议指出，“**四个坚持**”是根本。", []string{"四个坚持"}},
		{[]string{"会议指出，", "*“四个坚持”", "。"}, "会议指出，**“四个坚持”**。", []string{"“四个坚持”"}},
		{[]string{"推进", "*“双千兆”", "。"}, "推进“**双千兆**”。", []string{"双千兆"}},
		{[]string{"*（一）整合窗口", "在全市"}, "**（一）整合窗口**在全市", []string{"（一）整合窗口"}},
		{[]string{"a", "* b ", "c"}, "a **b** c", []string{"b"}},
		{[]string{"the ", "*word", "s"}, "the **word**s", []string{"word"}},
		{[]string{"*。"}, "。", nil},
		{[]string{"正文", "*　", "正文"}, "正文　正文", nil},
		{[]string{"***x**"}, `**\*\*x\*\***`, []string{"**x**"}},
		{[]string{"*1. 第一条", "内容"}, "**1. 第一条**内容", []string{"1. 第一条"}},
		{[]string{"*<b>重要</b>", "说明"}, `**\<b\>重要\</b**\>说明`, []string{"<b>重要</b"}},
		{[]string{"见", "*http://mzj.xining.gov.cn/a_b", "。"}, "见**http://mzj.xining.gov.cn/a_b**。", []string{"http://mzj.xining.gov.cn/a_b"}},
	}
	e := &emitter{}
	for _, tt := range tests {
		got := e.inline(segsOf(tt.segs...))
		if got != tt.want {
			t.Errorf("%q: wrote %s, want %s", tt.segs, got, tt.want)
			continue
		}
		for name, html := range map[string]string{"goldmark": renderPlain(t, got), "bulletin": func() string { h, _ := renderBody(t, got); return h }()} {
			var strong []string
			for _, part := range strings.Split(html, "<strong>")[1:] {
				text, _, _ := strings.Cut(part, "</strong>")
				strong = append(strong, unhtml(stripTags(text)))
			}
			if strings.Join(strong, "|") != strings.Join(tt.strong, "|") {
				t.Errorf("%s renders %s as %s: bold %q, want %q", name, got, strings.TrimSpace(html), strong, tt.strong)
			}
		}
	}
}

func stripTags(s string) string {
	var b strings.Builder
	in := false
	for _, r := range s {
		switch {
		case r == '<':
			in = true
		case r == '>' && in:
			in = false
		case !in:
			b.WriteRune(r)
		}
	}
	return b.String()
}

func unhtml(s string) string {
	return strings.NewReplacer("&lt;", "<", "&gt;", ">", "&amp;", "&", "&quot;", `"`).Replace(s)
}

func TestEscapeText(t *testing.T) {
	tests := []struct{ in, want string }{
		{"近日，全省启动。", "近日，全省启动。"},
		{"<script>alert(1)</script>", `\<script\>alert(1)\</script\>`},
		{"[x](javascript:alert(1))", `\[x\](javascript:alert(1))`},
		{"**加粗**和_斜体_、`代码`、~~删除~~、a|b、&amp;、#1", `\*\*加粗\*\*和\_斜体\_、` + "\\`代码\\`" + `、\~\~删除\~\~、a\|b、\&amp;、\#1`},
		{"详见https://example.cn/a_b，或www.example.cn。", "详见https://example.cn/a_b，或www.example.cn。"},
		{"见http://x.cn/?a=1&lt;b", `见http://x.cn/?a=1\&lt;b`},
		{"见http://x.cn/<script>", `见http://x.cn/\<script\>`},
		{`反斜杠\`, `反斜杠\\`},
	}
	for _, tt := range tests {
		if got := escapeText(tt.in); got != tt.want {
			t.Errorf("escapeText(%q) = %q, want %q", tt.in, got, tt.want)
		}
		// Whatever the text, it renders as itself.
		html, problems := renderBody(t, tt.in)
		_ = html
		got, _ := renderBody(t, escapeText(tt.in))
		if len(problems) == 0 && strings.Contains(got, "<script") {
			t.Errorf("%q renders raw HTML: %s", tt.in, got)
		}
	}
}

func TestEscapeLineStart(t *testing.T) {
	tests := []struct{ in, want string }{
		{"1. 城市低保", `1\. 城市低保`},
		{"12) 第十二项", `12\) 第十二项`},
		{"1.2万人", "1.2万人"},
		{"- 列表", `\- 列表`},
		{"+ 加", `\+ 加`},
		{"---", `\---`},
		{"===", `\===`},
		{"2024年", "2024年"},
	}
	for _, tt := range tests {
		if got := escapeLineStart(tt.in); got != tt.want {
			t.Errorf("escapeLineStart(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

// TestLiteral renders text that looks like Markdown or HTML through a
// whole report: it must come out as the same text, no markup.
func TestLiteral(t *testing.T) {
	for _, text := range []string{
		"<script>alert(1)</script>",
		"[x](javascript:alert(1))",
		"![x](data:text/html;base64,PHNjcmlwdD4=)",
		"<img src=x onerror=alert(1)>",
		"# 标题",
		"> 引用",
		"- 列表",
		"1. 列表",
		"```",
		"| a | b |",
		"[^1]",
		"&lt;b&gt;",
		"\\*",
		"<http://x.cn>",
		"*强调* _强调_ **加粗**",
	} {
		body := escapeLineStart(escapeText(text))
		html, problems := renderBody(t, body)
		if len(problems) > 0 {
			t.Errorf("%q: problems %v", text, problems)
		}
		got := unhtml(stripTags(strings.TrimSpace(html)))
		if got != text {
			t.Errorf("%q renders as %q (%s)", text, got, html)
		}
	}
}
