package indexer

import (
	"slices"
	"strings"
	"testing"
)

// The relevance set: what a reader types, and the bulletin that must come
// first (testdata/site), searched as typed (exact=1), and as the reader
// searches, with the same hits first. These are the searches government sites are known
// to fail: 搜不到 (cannot find), 搜不全 (incomplete), 搜不准 (imprecise).
var relevance = []struct {
	name  string
	query string
	first string // URL of the bulletin that must rank first; "" when nothing may be found
	// also lists bulletins that must be found too (搜不全); none lists
	// bulletins that must not be (搜不准).
	also, none []string
	partial    bool // found only by the fallback (no bulletin has every word)
}{
	{name: "abbreviation", query: "低保", first: "/bulletins/dibao-review/",
		also: []string{"/bulletins/stats-2024/", "/bulletins/winter-relief/", "/bulletins/app-online/"},
		none: []string{"/bulletins/dibao-standard/"}}, // says 最低生活保障 only
	{name: "full term", query: "最低生活保障", first: "/bulletins/dibao-standard/",
		none: []string{"/bulletins/dibao-review/"}},
	{name: "place name", query: "海东市", first: "/bulletins/place-names/",
		also: []string{"/bulletins/meal-ledu/", "/bulletins/children-care/"}},
	{name: "place name without 市", query: "海东", first: "/bulletins/place-names/",
		also: []string{"/bulletins/meal-ledu/", "/bulletins/children-care/"}},
	{name: "district inside a sentence", query: "乐都区", first: "/bulletins/meal-ledu/",
		also: []string{"/bulletins/place-names/"}},
	{name: "养老 is not 老年助餐", query: "养老", first: "/bulletins/home-care/",
		also: []string{"/bulletins/care-home-safety/", "/bulletins/charity/"}},
	{name: "老年助餐 is not 养老", query: "老年助餐", first: "/bulletins/meal-city/",
		also: []string{"/bulletins/meal-ledu/"},
		none: []string{"/bulletins/care-home-safety/", "/bulletins/home-care/"}},
	{name: "digits with Chinese", query: "2024年", first: "/bulletins/stats-2024/",
		also: []string{"/bulletins/dibao-standard/"},
		none: []string{"/bulletins/stats-2023/", "/bulletins/child-allowance/"}},
	{name: "digits with Chinese and a word", query: "2024年 统计公报", first: "/bulletins/stats-2024/",
		none: []string{"/bulletins/stats-2023/"}},
	{name: "year alone", query: "2023", first: "/bulletins/stats-2023/"},
	{name: "number with unit", query: "3800万元", first: "/bulletins/charity/"},
	{name: "two words", query: "婚姻登记 跨省通办", first: "/bulletins/marriage-cross-province/",
		none: []string{"/bulletins/app-online/", "/bulletins/stats-2024/"}},
	{name: "quoted phrase", query: "“跨省通办”", first: "/bulletins/marriage-cross-province/"},
	{name: "phrase with a particle", query: "困难群众的基本生活", first: "/bulletins/winter-relief/",
		none: []string{"/bulletins/temporary-relief/"}}, // 困难群众基本生活, without 的
	{name: "single character", query: "婚", first: "/bulletins/marriage-cross-province/",
		// 办婚 ends a run: found only if every position of 婚 is.
		also: []string{"/bulletins/wedding-customs/", "/bulletins/stats-2024/", "/bulletins/app-online/"}},
	{name: "single character, rare", query: "孤", first: "/bulletins/child-allowance/"},
	{name: "Latin, any case", query: "app", first: "/bulletins/app-online/"},
	{name: "full-width Latin", query: "ＡＰＰ", first: "/bulletins/app-online/"},
	{name: "full-width digits", query: "２０２４年", first: "/bulletins/stats-2024/"},
	{name: "punctuation inside a word", query: "标题:低保", first: "/bulletins/dibao-review/", partial: true},
	{name: "full sentence", query: "西宁市的老年助餐服务覆盖了哪些社区", first: "/bulletins/meal-city/", partial: true},
	{name: "question", query: "孤儿基本生活保障标准是多少", first: "/bulletins/child-allowance/", partial: true},

	{name: "traditional characters", query: "臨時救助", first: "/bulletins/temporary-relief/"},
	{name: "traditional, two words", query: "婚姻登記 跨省通辦", first: "/bulletins/marriage-cross-province/"},
	{name: "traditional by phrase", query: "養老服務", first: "/bulletins/home-care/"},
	{name: "simplified finds traditional text", query: "高龄老人", first: "/bulletins/seniors-traditional/"},
	{name: "traditional finds traditional text", query: "蘭州市民政局 高齡津貼", first: "/bulletins/seniors-traditional/"},

	{name: "absent subject", query: "量子计算"},
	{name: "absent phrase of common characters", query: "民政量子"},
	{name: "random string", query: "xq7zv9k"},
	{name: "random characters", query: "鑫龘靐"},
	{name: "digits not in any bulletin", query: "98765"},
	{name: "part of a number", query: "202"},
}

func TestRelevance(t *testing.T) {
	s := loadFixture(t)
	ix := openFixture(t, s)
	texts := map[string]string{}
	for _, b := range s.Bulletins {
		texts[b.URL] = foldText(strings.Join([]string{b.Title, b.Summary, b.Text, newDocument(b).Meta}, "\n"))
	}
	for _, c := range relevance {
		t.Run(c.name, func(t *testing.T) {
			res := searchFor(t, ix, Request{Query: c.query, Exact: true})
			got := hitURLs(res)
			// As the reader searches (synonyms, slips): the same first
			// hit, the words' own hits first and in their order.
			read := searchFor(t, ix, Request{Query: c.query})
			if read.Correction != nil {
				t.Errorf("%q mended to %q", c.query, read.Correction.Query)
			}
			if readURLs := hitURLs(read); len(readURLs) < len(got) || !slices.Equal(readURLs[:len(got)], got) {
				t.Errorf("%q as read ranked %v, want the words' own %v first", c.query, readURLs, got)
			}
			if c.first == "" {
				if res.Total != 0 || read.Total != 0 {
					t.Fatalf("%q found %d (%v), as read %d, want nothing", c.query, res.Total, got, read.Total)
				}
				return
			}
			if len(got) == 0 || got[0] != c.first {
				t.Fatalf("%q ranked %v, want %s first", c.query, got, c.first)
			}
			for _, u := range c.also {
				if !slices.Contains(got, u) {
					t.Errorf("%q found %v, want %s too", c.query, got, u)
				}
			}
			for _, u := range c.none {
				if slices.Contains(got, u) {
					t.Errorf("%q found %s, which does not contain it", c.query, u)
				}
			}
			if res.Partial != c.partial {
				t.Errorf("%q: Partial = %v, want %v", c.query, res.Partial, c.partial)
			}
			// Exact results hold every word as written (no false
			// positives).
			if !res.Partial {
				for _, u := range got {
					for _, w := range parseQuery(c.query) {
						if _, e := w.pattern.index(texts[u], 0); e < 0 {
							t.Errorf("%q found %s, which lacks %q", c.query, u, w.text)
						}
					}
				}
			}
		})
	}
}

// understood is the relevance set of what readers type other than the
// text: an abbreviation or its full form (synonyms), a wrong character of
// the same pinyin or one character off (slips). The words' own matches
// come first, then the others'.
var understood = []struct {
	name, query string
	first       string   // the bulletin that must rank first
	also        []string // found too
	synonym     string   // an alternative the page names
	mended      string   // the query searched instead
}{
	{name: "abbreviation finds the full form after its own", query: "低保", first: "/bulletins/dibao-review/",
		also: []string{"/bulletins/dibao-standard/"}, synonym: "最低生活保障"},
	{name: "full form finds the abbreviation after its own", query: "最低生活保障", first: "/bulletins/dibao-standard/",
		also: []string{"/bulletins/dibao-review/"}, synonym: "低保"},
	{name: "a term inside a word", query: "低保标准", first: "/bulletins/dibao-standard/", synonym: "最低生活保障"},
	{name: "slip of the same pinyin", query: "最低生活保樟", first: "/bulletins/dibao-standard/", mended: "最低生活保障"},
	{name: "slip one character off", query: "临时求助", first: "/bulletins/temporary-relief/", mended: "临时救助"},
	{name: "slip beside a right word", query: "兰州市 临时求助", first: "/bulletins/temporary-relief/", mended: "兰州市 临时救助"},
}

func TestRelevanceUnderstood(t *testing.T) {
	s := loadFixture(t)
	ix := openFixture(t, s)
	for _, c := range understood {
		t.Run(c.name, func(t *testing.T) {
			res := searchFor(t, ix, Request{Query: c.query})
			got := hitURLs(res)
			if len(got) == 0 || got[0] != c.first {
				t.Fatalf("%q ranked %v, want %s first", c.query, got, c.first)
			}
			for _, u := range c.also {
				if !slices.Contains(got, u) {
					t.Errorf("%q found %v, want %s too", c.query, got, u)
				}
			}
			switch {
			case c.synonym != "":
				if res.Synonyms == nil || !slices.Contains(res.Synonyms.Alts, c.synonym) {
					t.Errorf("%q: synonyms %+v, want %q named", c.query, res.Synonyms, c.synonym)
				}
				// The words' own first, exactly as typed.
				own := hitURLs(searchFor(t, ix, Request{Query: c.query, Exact: true}))
				if !res.Synonyms.Only && !slices.Equal(got[:len(own)], own) {
					t.Errorf("%q ranked %v, want its own %v first", c.query, got, own)
				}
			case c.mended != "":
				if res.Correction == nil || res.Correction.Query != c.mended || !res.Correction.Applied {
					t.Errorf("%q: correction %+v, want %q searched", c.query, res.Correction, c.mended)
				}
			}
		})
	}
}

// TestTraditionalHighlights: marks land on the characters of the text as
// written, whichever form the reader typed.
func TestTraditionalHighlights(t *testing.T) {
	ix := openFixture(t, loadFixture(t))
	for _, tc := range []struct{ query, title, snippet string }{
		{"高龄老人", "<mark>高齡老人</mark>", ""},
		{"高齡津貼", "", "<mark>高齡津貼</mark>"},
		{"发放到个人", "", "<mark>發放到個人</mark>"},
		{"臨時救助", "<mark>临时救助</mark>", "<mark>临时救助</mark>"},
	} {
		res := searchFor(t, ix, Request{Query: tc.query, Exact: true})
		if len(res.Hits) == 0 {
			t.Errorf("%q: nothing found", tc.query)
			continue
		}
		h := res.Hits[0]
		if !strings.Contains(string(h.TitleHTML), tc.title) || !strings.Contains(string(h.Snippet), tc.snippet) {
			t.Errorf("%q: title %s, snippet %s; want %q and %q", tc.query, h.TitleHTML, h.Snippet, tc.title, tc.snippet)
		}
	}
}
