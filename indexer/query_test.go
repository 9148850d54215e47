package indexer

import (
	"context"
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

func TestParseQuery(t *testing.T) {
	tests := []struct {
		in string
		// words, each as terms | prefixes | pieces
		want []string
	}{
		{"", nil},
		{"   \u3000 ", nil},
		{`*~\" () <> :`, nil},
		{"低保", []string{"低保||低保"}},
		{"最低生活保障", []string{"最低 低生 生活 活保 保障||最低生活保障"}},
		{"婚", []string{"|婚|婚"}},
		{"2024年", []string{"2024 年||2024年"}},
		{"第3季度", []string{"第 3 季度||第3季度"}},
		{"低保 特困", []string{"低保||低保", "特困||特困"}},
		{"低保\u3000特困", []string{"低保||低保", "特困||特困"}},
		{"低保 低保", []string{"低保||低保"}},
		// An ASCII colon is text, not a field name.
		{"标题:低保", []string{"标题 低保||标题 低保"}},
		{"“跨省通办”", []string{"跨省 省通 通办||跨省通办"}},
		{"<script>alert(1)</script>", []string{"script alert 1||script alert 1 script"}},
		{"ＡＰＰ", []string{"app||app"}},
		{"年-月", []string{"|年 月|年 月"}},
	}
	for _, tt := range tests {
		var got []string
		for _, w := range parseQuery(tt.in) {
			got = append(got, strings.Join(w.terms, " ")+"|"+strings.Join(w.prefixes, " ")+"|"+strings.Join(w.pattern.pieces, " "))
		}
		if !slices.Equal(got, tt.want) {
			t.Errorf("parseQuery(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestParseQueryLimits(t *testing.T) {
	q := strings.Repeat("低保 ", 50)
	if n := len(parseQuery(q)); n != 1 {
		t.Errorf("a repeated word made %d words, want 1", n)
	}
	var words []string
	for i := range 30 {
		words = append(words, string(rune('一'+i))+string(rune('乙'+i)))
	}
	if n := len(parseQuery(strings.Join(words, " "))); n != maxWords {
		t.Errorf("30 words made %d, want the first %d", n, maxWords)
	}
}

func TestPatternIndex(t *testing.T) {
	tests := []struct {
		pattern, text string
		want          string // the match, "" for none
	}{
		{"低保", "城乡低保对象", "低保"},
		{"低保", "最低生活保障", ""},
		{"困难群众的基本生活", "保障困难群众的基本生活。", "困难群众的基本生活"},
		{"困难群众的基本生活", "保障困难群众基本生活。", ""},
		// Separators in the query match any separators in the text.
		{"标题:低保", "标题：低保", "标题：低保"},
		{"标题:低保", "标题低保", "标题低保"},
		{"标题:低保", "标题是低保", ""},
		// Numbers and Latin words match whole.
		{"2024年", "截至2024年底", "2024年"},
		{"2024年", "截至12024年底", ""},
		{"2024", "2024年", "2024"},
		{"2024", "20245", ""},
		{"app", "“青海民政”app上线", "app"},
		{"app", "happy", ""},
		{"covid-19", "covid 19", "covid 19"},
		{"covid-19", "covid19", ""},
		// Later matches are found when the first one fails.
		{"2024", "12024 2024", "2024"},
		{"民政", "", ""},
	}
	for _, tt := range tests {
		p := newPattern(foldText(tt.pattern))
		for _, anchor := range []int{0, len(p.pieces[0]) - 1} {
			p.anchor = anchor
			s, e := p.index(tt.text, 0)
			got := ""
			if s >= 0 {
				got = tt.text[s:e]
			}
			if got != tt.want {
				t.Errorf("pattern %q (anchor %d) in %q matched %q, want %q", tt.pattern, anchor, tt.text, got, tt.want)
			}
		}
	}
}

// FuzzQuery searches the relevance fixture with any input: no error, no
// panic, and every exact hit (exact=1) holds every word as written; as
// the reader searches (synonyms, slips), the same hits come first.
func FuzzQuery(f *testing.F) {
	for _, c := range relevance {
		f.Add(c.query)
	}
	for _, s := range []string{"", "标题:低保", "最低生活保樟", "臨時救助", "五保 两项补贴", "兰州市 临时求助", `*~\"`, "<script>alert(1)</script>", "(低保) AND 特困", "低保~2", "title:低保^5",
		"2024年1月", "\x00\xff\xfe", "ＡＢＣ", "a.b.c", "3.5.", strings.Repeat("婚", 200), "\u3000低保\u3000"} {
		f.Add(s)
	}
	s := loadFixture(f)
	ix := openFixture(f, s)
	texts := map[string]string{}
	for _, b := range s.Bulletins {
		texts[b.URL] = foldText(strings.Join([]string{b.Title, b.Summary, b.Text, newDocument(b).Meta}, "\n"))
	}
	f.Fuzz(func(t *testing.T, q string) {
		q = cleanParam(q, MaxQueryRunes)
		res, err := ix.Search(context.Background(), Request{Query: q, Page: 1, Exact: true}, 10)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		read, err := ix.Search(context.Background(), Request{Query: q, Page: 1}, 10)
		if err != nil {
			t.Fatalf("Search(%q): %v", q, err)
		}
		if c := read.Correction; c != nil && (read.Total == 0 || c.From != q) {
			t.Errorf("Search(%q) mended to %q, which finds %d", q, c.Query, read.Total)
		}
		// Completions of any prefix: bounded, and each begins with it.
		for _, e := range ix.Suggest(q, 8) {
			if !strings.HasPrefix(e.Key, foldText(strings.TrimSpace(q))) {
				t.Errorf("Suggest(%q) gave %q", q, e.Key)
			}
		}
		if read.Correction == nil && !res.Partial && res.Total > 0 {
			// Widened or not, the words' own hits first, as they were.
			if read.Total < res.Total {
				t.Errorf("Search(%q) as read found %d, fewer than the %d of its words", q, read.Total, res.Total)
			}
			for i := range res.Hits {
				if i >= len(read.Hits) || read.Hits[i].URL != res.Hits[i].URL {
					t.Fatalf("Search(%q) as read does not begin with the words' own hits", q)
				}
			}
		}
		words := parseQuery(q)
		if len(res.Hits) > 0 && len(words) == 0 {
			t.Fatalf("Search(%q) found %d without any word", q, res.Total)
		}
		for _, w := range words {
			// A word is found in its own text.
			if s, _ := w.pattern.index(foldText(w.text), 0); s < 0 {
				t.Errorf("word %q does not match itself (pattern %q)", w.text, w.pattern.pieces)
			}
			if res.Partial {
				continue
			}
			for _, h := range res.Hits {
				if s, _ := w.pattern.index(texts[h.URL], 0); s < 0 {
					t.Errorf("Search(%q) found %s, which lacks %q", q, h.URL, w.text)
				}
			}
		}
		for _, h := range res.Hits {
			if !utf8.ValidString(string(h.Snippet)) {
				t.Errorf("Search(%q): snippet of %s is not UTF-8", q, h.URL)
			}
		}
	})
}
