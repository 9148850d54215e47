package digest

import (
	"slices"
	"testing"

	"bulletin/internal/site"
)

// TestAttribution: every item closes with exactly one attribution line,
// the body's own when it has one.
func TestAttribution(t *testing.T) {
	bureau := &site.Term{Name: "青海省民政厅"}
	for _, tc := range []struct {
		name        string
		b           site.Bulletin
		summary     bool
		paragraphs  []string
		body        string
		attribution string
		attributed  bool
	}{
		{
			name:        "own paragraph",
			b:           site.Bulletin{Text: "正文。\n（据青海省民政厅）", Body: "<p>正文。</p>\n<p>（据青海省民政厅）</p>\n", Attribution: "青海省民政厅"},
			paragraphs:  []string{"正文。"},
			body:        "<p>正文。</p>\n",
			attribution: "（据青海省民政厅）",
		},
		{
			name:        "end of the last paragraph",
			b:           site.Bulletin{Text: "第一段。\n确保落实。（青海省民政厅供稿）", Body: "<p>第一段。</p>\n<p>确保落实。（青海省民政厅供稿）</p>\n", Attribution: "青海省民政厅"},
			paragraphs:  []string{"第一段。", "确保落实。"},
			body:        "<p>第一段。</p>\n<p>确保落实。</p>\n",
			attribution: "（青海省民政厅供稿）",
		},
		{
			name:        "bold paragraph of its own",
			b:           site.Bulletin{Text: "正文。\n（据青海省民政厅）", Body: "<p>正文。</p>\n<p><strong>（据青海省民政厅）</strong></p>\n", Attribution: "青海省民政厅"},
			paragraphs:  []string{"正文。"},
			body:        "<p>正文。</p>\n",
			attribution: "（据青海省民政厅）",
		},
		{
			name:        "bold at the end of a paragraph stays in the body",
			b:           site.Bulletin{Text: "确保落实。（据青海省民政厅）", Body: "<p>确保落实。<strong>（据青海省民政厅）</strong></p>\n", Attribution: "青海省民政厅"},
			paragraphs:  []string{"确保落实。"},
			body:        "<p>确保落实。<strong>（据青海省民政厅）</strong></p>\n",
			attribution: "（据青海省民政厅）",
			attributed:  true,
		},
		{
			name:        "ASCII parentheses are kept as the bureau typed them",
			b:           site.Bulletin{Text: "正文。\n(据 青海省民政厅)", Body: "<p>正文。</p>\n<p>(据 青海省民政厅)</p>\n", Attribution: "青海省民政厅"},
			paragraphs:  []string{"正文。"},
			body:        "<p>正文。</p>\n",
			attribution: "(据 青海省民政厅)",
		},
		{
			name:        "none: the bureau's is added",
			b:           site.Bulletin{Text: "正文。", Body: "<p>正文。</p>\n"},
			paragraphs:  []string{"正文。"},
			body:        "<p>正文。</p>\n",
			attribution: "（据青海省民政厅）",
		},
		{
			name:        "summary, with the body's own line",
			b:           site.Bulletin{Text: "正文。\n（西宁市民政局供稿）", Body: "<p>正文。</p>\n<p>（西宁市民政局供稿）</p>\n", Attribution: "西宁市民政局", Summary: "摘要 <要点> & 说明。"},
			summary:     true,
			paragraphs:  []string{"摘要 <要点> & 说明。"},
			body:        "<p>摘要 &lt;要点&gt; &amp; 说明。</p>\n",
			attribution: "（西宁市民政局供稿）",
		},
	} {
		b := tc.b
		b.Bureau = bureau
		it := newItem(&b, site.Content{Body: b.Body, Text: b.Text}, tc.summary, "")
		if !slices.Equal(it.Paragraphs, tc.paragraphs) || it.Body != tc.body || it.Attribution != tc.attribution || it.BodyAttributed != tc.attributed {
			t.Errorf("%s:\n got paragraphs %q, body %q, attribution %q (in body: %v)\nwant paragraphs %q, body %q, attribution %q (in body: %v)",
				tc.name, it.Paragraphs, it.Body, it.Attribution, it.BodyAttributed, tc.paragraphs, tc.body, tc.attribution, tc.attributed)
		}
	}
}

func TestGroups(t *testing.T) {
	is := &Issue{Record: &Record{Group: "region"}, Items: []Item{{Group: "青海省"}, {Group: "青海省"}, {Group: "甘肃省"}}}
	var got []string
	for _, g := range is.Groups() {
		got = append(got, g.Heading, string(rune('0'+len(g.Items))))
	}
	if want := []string{"一、青海省", "2", "二、甘肃省", "1"}; !slices.Equal(got, want) {
		t.Errorf("groups %v, want %v", got, want)
	}
}

func TestEscapeMarkdown(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"全省*重点*工作", `全省\*重点\*工作`},
		{"# 不是标题", `\# 不是标题`},
		{"- 不是列表", `\- 不是列表`},
		{"2024. 不是列表", `2024\. 不是列表`},
		{"1月25日", "1月25日"},
		{"A&B <C>", `A\&B \<C\>`},
		{"中-外", "中-外"},
	} {
		if got := EscapeMarkdown(tc.in); got != tc.want {
			t.Errorf("EscapeMarkdown(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}
