package indexer

import (
	"slices"
	"strings"
	"testing"
)

// The relevance set: what a reader types, and the bulletin that must come
// first (testdata/site). These are the searches government sites are known
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
			res := searchFor(t, ix, Request{Query: c.query})
			got := hitURLs(res)
			if c.first == "" {
				if res.Total != 0 {
					t.Fatalf("%q found %d (%v), want nothing", c.query, res.Total, got)
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
