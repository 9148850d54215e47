package indexer

import (
	"context"
	"encoding/json"
	"fmt"
	"html/template"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/site"
	"bulletin/internal/sitetest"
)

func newTestServer(t *testing.T, cfg ServerConfig) *Server {
	t.Helper()
	s := loadFixture(t)
	cfg.BasePath = "/news/"
	cfg.Location = s.Config.Location
	if cfg.PageSize == 0 {
		cfg.PageSize = 3
	}
	return NewServer(openFixture(t, s), cfg)
}

func get(t *testing.T, h http.Handler, method, target string) *httptest.ResponseRecorder {
	t.Helper()
	w := httptest.NewRecorder()
	h.ServeHTTP(w, httptest.NewRequest(method, target, nil))
	return w
}

// onlyMarks reports whether html has no markup but <mark>.
func onlyMarks(html string) bool {
	html = strings.NewReplacer("<mark>", "", "</mark>", "").Replace(html)
	return !strings.ContainsAny(html, "<>")
}

func TestAPI(t *testing.T) {
	srv := newTestServer(t, ServerConfig{})
	api := srv.API()
	q := url.QueryEscape
	tests := []struct {
		name   string
		query  string
		status int
		check  func(t *testing.T, r apiResponse)
	}{
		{"word", "q=" + q("低保"), 200, func(t *testing.T, r apiResponse) {
			if r.Total < 4 || len(r.Hits) != 3 || r.Pages != (r.Total+2)/3 || r.Query != "低保" || r.Sort != SortRelevance {
				t.Errorf("got %+v", r)
			}
			for _, h := range r.Hits {
				if !strings.HasPrefix(h.URL, "/news/bulletins/") || !strings.Contains(h.Snippet, "<mark>低保</mark>") || !onlyMarks(h.Snippet) ||
					h.Title == "" || h.Bureau == "" || h.Region == "" || len(h.Date) != 10 {
					t.Errorf("hit %+v", h)
				}
			}
			if len(r.Facets.Bureau) == 0 || len(r.Facets.Region) == 0 || len(r.Facets.Category) == 0 || len(r.Facets.Year) == 0 {
				t.Errorf("facets %+v", r.Facets)
			}
			n := 0
			for _, f := range r.Facets.Year {
				n += f.Count
			}
			if n != r.Total {
				t.Errorf("years count %d bulletins, want %d", n, r.Total)
			}
		}},
		{"page 2", "q=" + q("低保") + "&page=2", 200, func(t *testing.T, r apiResponse) {
			if r.Page != 2 || len(r.Hits) == 0 {
				t.Errorf("got page %d with %d hits", r.Page, len(r.Hits))
			}
		}},
		{"page past the end", "q=" + q("低保") + "&page=50", 200, func(t *testing.T, r apiResponse) {
			if r.Total == 0 || len(r.Hits) != 0 {
				t.Errorf("got %d of %d hits", len(r.Hits), r.Total)
			}
		}},
		{"bureau", "q=" + q("低保") + "&bureau=" + q("西宁市民政局"), 200, func(t *testing.T, r apiResponse) {
			if r.Total != 1 || r.Hits[0].Bureau != "西宁市民政局" {
				t.Errorf("got %+v", r.Hits)
			}
		}},
		{"region", "q=" + q("老年助餐") + "&region=" + q("青海省海东市"), 200, func(t *testing.T, r apiResponse) {
			if r.Total != 1 || r.Hits[0].URL != "/news/bulletins/meal-ledu/" {
				t.Errorf("got %+v", r.Hits)
			}
		}},
		{"province takes its cities", "q=" + q("老年助餐") + "&region=" + q("青海省"), 200, func(t *testing.T, r apiResponse) {
			if r.Total != 2 {
				t.Errorf("got %+v", r.Hits)
			}
		}},
		{"category", "q=" + q("西宁") + "&category=" + q("养老服务"), 200, func(t *testing.T, r apiResponse) {
			if r.Total != 3 {
				t.Errorf("got %d: %+v", r.Total, r.Hits)
			}
			for _, h := range r.Hits {
				if h.Category != "养老服务" {
					t.Errorf("hit in %s", h.Category)
				}
			}
		}},
		{"tag", "tag=" + q("老年助餐"), 200, func(t *testing.T, r apiResponse) {
			if r.Total != 2 || r.Sort != SortDate {
				t.Errorf("got %d sorted by %s", r.Total, r.Sort)
			}
		}},
		{"dates", "q=" + q("民政") + "&from=2024-07-01&to=2024-12-31", 200, func(t *testing.T, r apiResponse) {
			if r.Total == 0 {
				t.Errorf("nothing found")
			}
			for _, y := range r.Facets.Year {
				if y.Name != "2024" {
					t.Errorf("found in %s", y.Name)
				}
			}
		}},
		{"one day", "from=2024-07-01&to=2024-07-01", 200, func(t *testing.T, r apiResponse) {
			if r.Total != 1 || r.Hits[0].Date != "2024-07-01" {
				t.Errorf("got %+v", r.Hits)
			}
		}},
		{"sort by date", "q=" + q("民政") + "&sort=date", 200, func(t *testing.T, r apiResponse) {
			if r.Sort != SortDate || !slices.IsSortedFunc(r.Hits, func(a, b apiHit) int { return strings.Compare(b.Date, a.Date) }) {
				t.Errorf("not newest first: %+v", r.Hits)
			}
		}},
		{"nothing found", "q=" + q("量子计算"), 200, func(t *testing.T, r apiResponse) {
			if r.Total != 0 || r.Hits == nil || r.Facets.Bureau == nil {
				t.Errorf("got %+v, want empty lists", r)
			}
		}},
		{"empty", "", 200, func(t *testing.T, r apiResponse) {
			if r.Total != 0 || r.Query != "" {
				t.Errorf("got %+v", r)
			}
		}},
		{"partial", "q=" + q("西宁市的老年助餐服务覆盖了哪些社区"), 200, func(t *testing.T, r apiResponse) {
			if !r.Partial || r.Total == 0 {
				t.Errorf("got %+v", r)
			}
		}},

		// Hostile input: never a 5xx, never echoed unescaped.
		{"script", "q=" + q("<script>alert(1)</script>"), 200, func(t *testing.T, r apiResponse) {
			if r.Query != "<script>alert(1)</script>" {
				t.Errorf("query echoed as %q", r.Query)
			}
		}},
		{"6000 characters", "q=" + strings.Repeat("%E4%BD%8E", 6000), 200, func(t *testing.T, r apiResponse) {
			if !r.Truncated || len([]rune(r.Query)) != MaxQueryRunes {
				t.Errorf("truncated %v, query of %d", r.Truncated, len([]rune(r.Query)))
			}
		}},
		{"colon", "q=" + q("标题:低保"), 200, func(t *testing.T, r apiResponse) {
			if r.Total == 0 {
				t.Errorf("nothing found")
			}
		}},
		{"query syntax", "q=" + q(`*~\"`), 200, func(t *testing.T, r apiResponse) {
			if r.Total != 0 {
				t.Errorf("found %d", r.Total)
			}
		}},
		{"brackets", "q=" + q(`(低保) [特困] {x} +y -z !a ^2 /re/`), 200, nil},
		{"bad UTF-8", "q=%FF%FE%00&bureau=%FF", 200, nil},
		{"repeated parameters", "q=低保&q=特困&page=1&page=2", 200, func(t *testing.T, r apiResponse) {
			if r.Query != "低保" || r.Page != 1 {
				t.Errorf("got %q page %d, want the first of each", r.Query, r.Page)
			}
		}},

		{"bad date", "from=2024-13-01", 400, nil},
		{"bad page", "q=x&page=0", 400, nil},
		{"page too far", "q=x&page=101", 400, nil},
		{"bad sort", "sort=popular", 400, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			w := get(t, api, "GET", "/news/api/search?"+tt.query)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d: %s", w.Code, tt.status, w.Body)
			}
			if ct := w.Header().Get("Content-Type"); ct != "application/json; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			if tt.status != 200 {
				var e apiError
				if err := json.Unmarshal(w.Body.Bytes(), &e); err != nil || e.Error == "" {
					t.Errorf("error body %s: %v", w.Body, err)
				}
				return
			}
			var r apiResponse
			if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
				t.Fatalf("%v: %s", err, w.Body)
			}
			if strings.Contains(w.Body.String(), "<script") {
				t.Errorf("body has markup: %s", w.Body)
			}
			if tt.check != nil {
				tt.check(t, r)
			}
		})
	}
}

func TestAPIMethods(t *testing.T) {
	api := newTestServer(t, ServerConfig{}).API()
	if w := get(t, api, "POST", "/news/api/search?q=x"); w.Code != 405 || w.Header().Get("Allow") != "GET, HEAD" {
		t.Errorf("POST: %d, Allow %q", w.Code, w.Header().Get("Allow"))
	}
	if w := get(t, api, "HEAD", "/news/api/search?q=%E4%BD%8E%E4%BF%9D"); w.Code != 200 || w.Body.Len() != 0 {
		t.Errorf("HEAD: %d with %d bytes", w.Code, w.Body.Len())
	}
}

func TestSearchOutOfTime(t *testing.T) {
	// A search that runs out of time, and one that cannot start because
	// all slots are taken, are told as such, not as errors.
	slow := newTestServer(t, ServerConfig{Timeout: time.Nanosecond})
	busy := newTestServer(t, ServerConfig{Timeout: 20 * time.Millisecond, MaxConcurrent: 1})
	busy.sem <- struct{}{}
	for name, srv := range map[string]*Server{"timeout": slow, "busy": busy} {
		w := get(t, srv.API(), "GET", "/news/api/search?q=%E4%BD%8E%E4%BF%9D")
		var r apiResponse
		if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || w.Code != 200 || !r.TimedOut || r.Total != 0 {
			t.Errorf("%s: %d %s", name, w.Code, w.Body)
		}
		var page *PageData
		w = get(t, srv.Page(capture(&page)), "GET", "/news/search?q=%E4%BD%8E%E4%BF%9D")
		if w.Code != 200 || page == nil || !page.TimedOut || page.Timeout < 1 || page.Results != nil {
			t.Errorf("%s: page %d, %+v", name, w.Code, page)
		}
	}
}

// capture is a RenderFunc that keeps the page's data and writes its query
// the way the theme would, escaped.
func capture(p **PageData) RenderFunc {
	tmpl := template.Must(template.New("").Parse(`<title>{{.Request.Query}}</title>`))
	return func(w io.Writer, data *PageData) error {
		*p = data
		return tmpl.Execute(w, data)
	}
}

func TestPage(t *testing.T) {
	srv := newTestServer(t, ServerConfig{})
	q := url.QueryEscape
	tests := []struct {
		name   string
		query  string
		status int
		check  func(t *testing.T, p *PageData, body string)
	}{
		{"prompt", "", 200, func(t *testing.T, p *PageData, body string) {
			if p.Request.Query != "" || p.Results != nil || p.SearchURL != "/news/search" || p.QueryLimit != MaxQueryRunes {
				t.Errorf("got %+v", p)
			}
		}},
		{"results", "q=" + q("低保"), 200, func(t *testing.T, p *PageData, body string) {
			if p.Request.Query != "低保" || p.Results == nil || p.Results.Total < 4 {
				t.Fatalf("got %+v", p)
			}
			for _, h := range p.Results.Hits {
				if !strings.HasPrefix(h.URL, "/news/bulletins/") || !onlyMarks(string(h.Snippet)) || !onlyMarks(string(h.TitleHTML)) {
					t.Errorf("hit %+v", h)
				}
			}
			if len(p.Facets) != 4 || p.Facets[0].Field != FieldBureau || p.Facets[3].Field != FieldYear {
				t.Errorf("facets %+v", p.Facets)
			}
			for _, g := range p.Facets {
				for _, v := range g.Values {
					if !strings.HasPrefix(v.URL, "/news/search?q=%E4%BD%8E%E4%BF%9D&") || v.Active {
						t.Errorf("facet link %+v", v)
					}
				}
			}
			if p.Pager == nil || p.Pager.Number != 1 || p.Pager.NextURL != "/search?q=%E4%BD%8E%E4%BF%9D&page=2" || p.Pager.PrevURL != "" {
				t.Errorf("pager %+v", p.Pager)
			}
			if len(p.Sorts) != 2 || !p.Sorts[0].Current || p.Sorts[0].Order != SortRelevance ||
				p.Sorts[1].Order != SortDate || p.Sorts[1].URL != "/news/search?q=%E4%BD%8E%E4%BF%9D&sort=date" {
				t.Errorf("sorts %+v", p.Sorts)
			}
		}},
		{"filtered", "q=" + q("低保") + "&bureau=" + q("西宁市民政局") + "&from=2024-01-01&to=2024-12-31", 200, func(t *testing.T, p *PageData, body string) {
			want := []Filter{
				{Field: FieldBureau, Value: "西宁市民政局", RemoveURL: "/news/search?q=%E4%BD%8E%E4%BF%9D&from=2024-01-01&to=2024-12-31"},
				{Field: FieldDate, From: p.Request.From, To: p.Request.To, RemoveURL: "/news/search?q=%E4%BD%8E%E4%BF%9D&bureau=%E8%A5%BF%E5%AE%81%E5%B8%82%E6%B0%91%E6%94%BF%E5%B1%80"},
			}
			if !slices.Equal(p.Filters, want) || p.Request.From.Format(time.DateOnly) != "2024-01-01" || p.Request.To.Format(time.DateOnly) != "2024-12-31" {
				t.Errorf("filters %+v, want %+v", p.Filters, want)
			}
			// The active facets link to their removal.
			for _, g := range p.Facets {
				for _, v := range g.Values {
					if (v.Name == "西宁市民政局" || v.Name == "2024") != v.Active {
						t.Errorf("facet %+v", v)
					}
				}
			}
		}},
		{"page 2", "q=" + q("低保") + "&page=2", 200, func(t *testing.T, p *PageData, body string) {
			if p.Pager.Number != 2 || p.Pager.PrevURL != "/search?q=%E4%BD%8E%E4%BF%9D" {
				t.Errorf("pager %+v", p.Pager)
			}
		}},
		{"nothing, with filters", "q=" + q("殡葬") + "&region=" + q("甘肃省"), 200, func(t *testing.T, p *PageData, body string) {
			if p.Results.Total != 0 || len(p.Suggestions) != 1 || p.Suggestions[0] != (Suggestion{URL: "/news/search?q=%E6%AE%A1%E8%91%AC"}) {
				t.Errorf("suggestions %+v", p.Suggestions)
			}
		}},
		{"nothing, with words", "q=" + q("低保 量子 计算机"), 200, func(t *testing.T, p *PageData, body string) {
			if len(p.Suggestions) != 3 || p.Suggestions[1].Word != "量子" || p.Suggestions[1].Query != "低保 计算机" {
				t.Errorf("suggestions %+v", p.Suggestions)
			}
		}},
		{"hostile", "q=" + q("<script>alert(1)</script>"), 200, func(t *testing.T, p *PageData, body string) {
			if strings.Contains(body, "<script>") || !strings.Contains(body, "&lt;script&gt;") {
				t.Errorf("body %s", body)
			}
		}},
		{"cut", "q=" + strings.Repeat("x", 6000), 200, func(t *testing.T, p *PageData, body string) {
			if !p.Request.Cut || p.QueryLimit != 100 {
				t.Errorf("cut %v, limit %d", p.Request.Cut, p.QueryLimit)
			}
		}},
		{"bad input", "q=" + q("低保") + "&from=yesterday&page=0", 400, func(t *testing.T, p *PageData, body string) {
			if p.Results != nil || !strings.Contains(p.BadRequest, "from") || !strings.Contains(p.BadRequest, "page") {
				t.Errorf("bad request %q", p.BadRequest)
			}
		}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var p *PageData
			w := get(t, srv.Page(capture(&p)), "GET", "/news/search?"+tt.query)
			if w.Code != tt.status {
				t.Fatalf("status %d, want %d", w.Code, tt.status)
			}
			if ct := w.Header().Get("Content-Type"); ct != "text/html; charset=utf-8" {
				t.Errorf("Content-Type %q", ct)
			}
			tt.check(t, p, w.Body.String())
		})
	}
}

// TestConcurrentSearches runs searches at once, through the cache and
// past it; run with -race.
func TestConcurrentSearches(t *testing.T) {
	srv := newTestServer(t, ServerConfig{MaxConcurrent: 2})
	queries := []string{"低保", "海东", "婚", "2024年", "养老 西宁", "困难群众的基本生活", "量子计算", "西宁市的老年助餐服务覆盖了哪些社区"}
	var wg sync.WaitGroup
	for g := range 8 {
		wg.Go(func() {
			for i := range 20 {
				q := url.QueryEscape(queries[(g+i)%len(queries)])
				target := fmt.Sprintf("/news/api/search?q=%s&page=%d", q, 1+i%2)
				h := srv.API()
				if i%3 == 0 {
					target = "/news/search?q=" + q
					var p *PageData
					h = srv.Page(capture(&p))
				}
				if w := get(t, h, "GET", target); w.Code != 200 {
					t.Errorf("%s: %d", target, w.Code)
				}
			}
		})
	}
	wg.Wait()
}

// TestYearFacetsFollow follows every year facet link of a search that
// finds bulletins from 2263 back to the year 0: each must be a valid
// search (it was 400 before 1900) that finds the year's bulletins and no
// others.
func TestYearFacetsFollow(t *testing.T) {
	fsys := sitetest.ReadDir(t, filepath.Join("testdata", "site"))
	old := map[string]string{"1899": "1899-06-01", "99": "0099-03-01", "0": "0000-05-05", "1677": "1677-12-31", "2263": "2263-01-01"}
	for year, date := range old {
		fsys["content/qinghai/old-"+year+".md"] = &fstest.MapFile{Data: []byte("---\ntitle: " + year +
			"年的最低生活保障\ndate: " + date + "\nbureau: 青海省民政厅\nslug: old-" + year + "\n---\n\n低保旧档案。\n")}
	}
	s, err := site.Load(context.Background(), fsys, site.Options{Now: time.Date(2300, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	srv := NewServer(openFixture(t, s), ServerConfig{BasePath: "/news/", Location: s.Config.Location, PageSize: 100})

	var p *PageData
	if w := get(t, srv.Page(capture(&p)), "GET", "/news/search?q="+url.QueryEscape("低保")); w.Code != 200 {
		t.Fatalf("search: status %d", w.Code)
	}
	var years []FacetLink
	for _, g := range p.Facets {
		if g.Field == FieldYear {
			years = g.Values
		}
	}
	seen := map[string]bool{}
	for _, y := range years {
		year := y.Name
		seen[year] = true
		var yp *PageData
		w := get(t, srv.Page(capture(&yp)), "GET", y.URL)
		if w.Code != 200 {
			t.Errorf("year %s: %s gives %d: %s", year, y.URL, w.Code, yp.BadRequest)
			continue
		}
		if yp.Results == nil || yp.Results.Total != y.Count {
			t.Errorf("year %s: %s finds %v, want the facet's %d", year, y.URL, yp.Results, y.Count)
			continue
		}
		for _, h := range yp.Results.Hits {
			if got := strconv.Itoa(h.Date.Year()); got != year {
				t.Errorf("year %s: %s finds %s of %s", year, y.URL, h.URL, got)
			}
		}
	}
	for year := range old {
		if !seen[year] {
			t.Errorf("no facet for the year %s in %+v", year, years)
		}
	}
}

// TestSuggestAPI: completions of what the reader types, from the
// generation's dictionary of the site's terms, in full-width or upper case
// alike; nothing for what no term begins with, or for a prefix longer
// than any term.
func TestSuggestAPI(t *testing.T) {
	srv := newTestServer(t, ServerConfig{})
	api := srv.SuggestAPI()
	for _, tc := range []struct {
		q    string
		want []apiSuggestion // the first ones
	}{
		{"青海", []apiSuggestion{{"青海省", "place"}, {"青海省民政厅", "bureau"}}},
		{"西宁", []apiSuggestion{{"西宁市民政局", "bureau"}}},
		{"社会", []apiSuggestion{{"社会救助", "category"}}},
		{"养老", []apiSuggestion{{"养老服务", "category"}}},
		{"统计", []apiSuggestion{{"统计公报", "tag"}}},
		{"兰州市加", []apiSuggestion{{"兰州市加大临时救助力度", "title"}}},
		{"“青海民政”ａｐ", []apiSuggestion{{"“青海民政”APP上线 十项服务掌上办", "title"}}},
		{"不在任何词里", nil},
		{"", nil},
		{strings.Repeat("青", 40), nil},
	} {
		w := get(t, api, "GET", "/news/api/suggest?q="+url.QueryEscape(tc.q))
		var got apiSuggestions
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &got) != nil || got.Query != tc.q {
			t.Fatalf("%q: %d %s", tc.q, w.Code, w.Body)
		}
		if len(got.Suggestions) > suggestions {
			t.Errorf("%q: %d suggestions", tc.q, len(got.Suggestions))
		}
		if tc.want == nil {
			if len(got.Suggestions) != 0 {
				t.Errorf("%q: %v, want none", tc.q, got.Suggestions)
			}
			continue
		}
		if len(got.Suggestions) < len(tc.want) || !slices.Equal(got.Suggestions[:len(tc.want)], tc.want) {
			t.Errorf("%q: %v, want first %v", tc.q, got.Suggestions, tc.want)
		}
	}
	if w := get(t, api, "POST", "/news/api/suggest?q=a"); w.Code != http.StatusMethodNotAllowed {
		t.Errorf("POST: %d", w.Code)
	}
}

// TestSlipCorrection: a query that finds nothing with every word typed is
// searched as the reader probably meant it (a same-pinyin character, or
// one character off, among the site's terms), with a link to the words as
// typed; exact=1 searches them as typed; a query that finds enough is
// never mended.
func TestSlipCorrection(t *testing.T) {
	srv := newTestServer(t, ServerConfig{})
	api := srv.API()
	search := func(query string) apiResponse {
		t.Helper()
		w := get(t, api, "GET", "/news/api/search?"+query)
		var r apiResponse
		if w.Code != 200 || json.Unmarshal(w.Body.Bytes(), &r) != nil {
			t.Fatalf("%s: %d %s", query, w.Code, w.Body)
		}
		return r
	}
	q := url.QueryEscape
	for _, tc := range []struct{ typed, meant string }{
		{"最低生活保樟", "最低生活保障"}, // 樟 for 障: zhang
		{"临时求助", "临时救助"},     // 求 for 救: one character off
		{"养老服物", "养老服务"},     // 物 for 务: wu
		{"西宁市 养老服物", "西宁市 养老服务"},
	} {
		typed := search("q=" + q(tc.typed))
		meant := search("q=" + q(tc.meant))
		if meant.Total == 0 || meant.Partial {
			t.Fatalf("%s: the fixture has no bulletin with it", tc.meant)
		}
		if c := typed.Correction; c == nil || c.Query != tc.meant || !c.Applied {
			t.Errorf("%s: correction %+v, want %q applied", tc.typed, c, tc.meant)
			continue
		}
		if typed.Total != meant.Total || typed.Query != tc.typed || typed.Partial {
			t.Errorf("%s: total %d (partial %v, query %q), want the %d of %s", tc.typed, typed.Total, typed.Partial, typed.Query, meant.Total, tc.meant)
		}
		if asTyped := search("exact=1&q=" + q(tc.typed)); asTyped.Correction != nil || (asTyped.Total > 0 && !asTyped.Partial) {
			t.Errorf("%s with exact=1: correction %+v, total %d", tc.typed, asTyped.Correction, asTyped.Total)
		}
	}
	for _, query := range []string{"低保", "最低生活保障", "养老服务", "2024年"} {
		if r := search("q=" + q(query)); r.Correction != nil {
			t.Errorf("%s: mended to %+v", query, r.Correction)
		}
	}
	// The page links back to the words as typed.
	var data *PageData
	srv.Page(capture(&data)).ServeHTTP(httptest.NewRecorder(), httptest.NewRequest("GET", "/news/search?q="+q("临时求助"), nil))
	if c := data.Results.Correction; c == nil || c.URL != "/news/search?q="+q("临时求助")+"&exact=1" {
		t.Errorf("page correction %+v", c)
	}
}
