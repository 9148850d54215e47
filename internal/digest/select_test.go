package digest

import (
	"context"
	"errors"
	"slices"
	"strings"
	"testing"
)

func TestBadArguments(t *testing.T) {
	dir := copySite(t)
	s := loadSite(t, dir)
	sel := func(lines ...string) Query { return Query{Select: lines, SelectName: "picks.txt"} }
	for _, tc := range []struct {
		name  string
		query Query
		want  string
	}{
		{"no period", Query{}, "give the period, e.g. -from 2024-01-01 -to 2024-01-31"},
		{"from after to", Query{From: day("2024-02-01"), To: day("2024-01-01")}, "the period starts (2024-02-01) after it ends (2024-01-01)"},
		{"half a period", Query{From: day("2024-01-01"), Select: []string{"content/qinghai/relief.md"}, SelectName: "picks.txt"}, "give both ends of the period"},
		{"unknown region", Query{From: day("2024-01-01"), To: day("2024-01-31"), Region: "青海"}, `region "青海" is not the region of any bureau in site.yaml; did you mean "青海省"?`},
		{"unknown category", Query{From: day("2024-01-01"), To: day("2024-01-31"), Category: "社会求助"}, `category "社会求助" is not listed in site.yaml; did you mean "社会救助"?`},
		{"bad grouping", Query{From: day("2024-01-01"), To: day("2024-01-31"), Group: "bureau"}, `group by region or category, not "bureau"`},
		{"selection and filters", Query{Select: []string{"content/qinghai/relief.md"}, SelectName: "picks.txt", Region: "青海省"}, "leave out -region and -category"},
		{"no such bulletin", sel("content/qinghai/none.md"), "picks.txt:1: content/qinghai/none.md is not a published bulletin"},
		{"a draft", sel("", "# 草稿不能入选", "qinghai/draft.md"), "picks.txt:3: content/qinghai/draft.md is not a published bulletin (drafts and future bulletins cannot go into a digest)"},
		{"listed twice", sel("content/qinghai/relief.md", "/news/bulletins/relief/"), "picks.txt:2: content/qinghai/relief.md is listed twice (first on line 1)"},
		{"another site", sel("https://example.org/news/bulletins/relief/"), `picks.txt:1: "https://example.org/news/bulletins/relief/" is not an address on this site`},
		{"not a bulletin URL", sel("/news/regions/qinghai/"), `picks.txt:1: "/news/regions/qinghai/" is neither the source path nor the URL of a published bulletin`},
		{"outside the period", Query{From: day("2024-01-01"), To: day("2024-01-31"), Select: []string{"content/gansu/february.md"}, SelectName: "picks.txt"},
			"picks.txt:1: content/gansu/february.md is dated 2024-02-03, outside the period 2024-01-01 to 2024-01-31"},
	} {
		_, err := Run(context.Background(), s, options(dir, tc.query, "2025-06-01"))
		var argErr *ArgError
		if !errors.As(err, &argErr) || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want an ArgError containing %q", tc.name, err, tc.want)
		}
	}
	if names := recordNames(t, dir); len(names) > 0 {
		t.Errorf("bad arguments left records %v", names)
	}
}

func TestSelection(t *testing.T) {
	s := loadSite(t, copySite(t))
	for _, tc := range []struct {
		name  string
		query Query
		want  []string // slugs, in print order
	}{
		// By day, then as site.yaml lists the bureaus: the province's
		// bulletin of the 12th comes before the city's, which is earlier
		// in the day. Drafts are left out.
		{"period", january(), []string{"relief", "xining-canteen", "gansu-dibao", "supervision", "meeting"}},
		{"region takes the regions within it", Query{From: day("2024-01-01"), To: day("2024-01-31"), Region: "青海省"},
			[]string{"relief", "xining-canteen", "supervision", "meeting"}},
		{"region of a city", Query{From: day("2024-01-01"), To: day("2024-01-31"), Region: "青海省西宁市"}, []string{"xining-canteen"}},
		{"category", Query{From: day("2024-01-01"), To: day("2024-02-29"), Category: "养老服务"}, []string{"xining-canteen", "gansu-safety"}},
		{"both ends inclusive", Query{From: day("2024-01-25"), To: day("2024-02-03")}, []string{"meeting", "gansu-safety"}},
		{"grouped by region, in site.yaml's order", Query{From: day("2024-01-01"), To: day("2024-01-31"), Group: "region"},
			[]string{"relief", "supervision", "meeting", "xining-canteen", "gansu-dibao"}},
		{"grouped by category", Query{From: day("2024-01-01"), To: day("2024-01-31"), Group: "category"},
			[]string{"supervision", "meeting", "relief", "gansu-dibao", "xining-canteen"}},
		{"selection in the editor's order, every way of naming", Query{SelectName: "picks.txt", Select: []string{
			"\uFEFF# 本期选用",
			"https://minzheng.example.cn/news/bulletins/meeting/",
			"/news/bulletins/gansu-dibao/",
			"bulletins/xining-canteen",
			"qinghai/supervision.md",
			`D:\简报\site\content\qinghai\relief.md`,
			"",
		}}, []string{"meeting", "gansu-dibao", "xining-canteen", "supervision", "relief"}},
		{"selection grouped in the order first named", Query{SelectName: "picks.txt", Group: "region", Select: []string{
			"content/gansu/winter.md", "content/qinghai/relief.md", "content/gansu/february.md",
		}}, []string{"gansu-dibao", "gansu-safety", "relief"}},
	} {
		got, err := tc.query.pick(s)
		if err != nil {
			t.Errorf("%s: %v", tc.name, err)
			continue
		}
		var slugs []string
		for _, b := range got {
			slugs = append(slugs, b.Slug)
		}
		if !slices.Equal(slugs, tc.want) {
			t.Errorf("%s: got %v, want %v", tc.name, slugs, tc.want)
		}
	}
}
