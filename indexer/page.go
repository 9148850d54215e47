package indexer

import (
	"fmt"
	"strconv"
	"strings"
	"time"

	"bulletin/internal/pager"
)

// PageData is what the search page's template receives (as build.Page's
// Data). Every link in it is complete, base path included, so the
// template uses them as they are.
type PageData struct {
	// Title is the page's title: 搜索, or “q”的搜索结果.
	Title string
	// SearchURL is the form's action.
	SearchURL string
	Request   Request
	// Results is nil when there was nothing to search for, the request
	// was bad, or the search ran out of time.
	Results *Results
	// Error explains a bad parameter, for the reader.
	Error string
	// Notices tell the reader what the search did not do as asked: a query
	// cut short, a search out of time.
	Notices []string

	// Filters are the filters in force, each with a link without it.
	Filters []Filter
	// Facets are the counts of the results by bureau, region, category
	// and year, each name a link that adds (or, when active, removes) it
	// as a filter.
	Facets []FacetGroup
	// Sorts are the two orders, with links; one is Current.
	Sorts []Link
	// Pager is the position in the pages of results, the listings' pager
	// so that themes show both with one partial. Unlike the other links
	// here, its URLs are site-relative (/search?q=…&page=2), as the
	// listings' are: the theme puts them under the base path.
	Pager *pager.Pager
	// Suggestions, when nothing was found, are searches with fewer
	// filters or words.
	Suggestions []Link
}

// Filter is a filter in force.
type Filter struct {
	Label     string // 来源单位
	Value     string // 青海省民政厅
	RemoveURL string
}

// FacetGroup is one facet of the results.
type FacetGroup struct {
	Label  string // 来源单位
	Values []FacetLink
}

// FacetLink is one name of a facet.
type FacetLink struct {
	Name   string
	Count  int
	URL    string
	Active bool // the results are filtered by it; URL removes the filter
}

// Link is a labelled link.
type Link struct {
	Text    string
	URL     string
	Current bool
}

// facetFields describe the filters, in the order the page lists them.
var facetFields = []struct {
	label string
	get   func(*Request) *string
	names func(*Facets) []FacetValue
}{
	{"来源单位", func(r *Request) *string { return &r.Bureau }, func(f *Facets) []FacetValue { return f.Bureau }},
	{"地区", func(r *Request) *string { return &r.Region }, func(f *Facets) []FacetValue { return f.Region }},
	{"栏目", func(r *Request) *string { return &r.Category }, func(f *Facets) []FacetValue { return f.Category }},
	{"标签", func(r *Request) *string { return &r.Tag }, nil},
}

func (s *Server) searchURL(r Request) string {
	u := s.link("/search")
	if v := r.Encode(); v != "" {
		u += "?" + v
	}
	return u
}

// with returns the URL of r changed by change, on its first page.
func (s *Server) with(r Request, change func(*Request)) string {
	change(&r)
	r.Page = 1
	return s.searchURL(r)
}

func (s *Server) pageData(o outcome) *PageData {
	r := o.req
	p := &PageData{Title: "搜索", SearchURL: s.link("/search"), Request: r, Results: o.res}
	if r.Query == "" && !r.Filtered() {
		p.Results = nil // nothing asked: the page says what to do
	}
	if r.Query != "" {
		p.Title = "“" + r.Query + "”的搜索结果"
	}
	switch {
	case o.badInput != nil:
		p.Error = "搜索条件有误：" + o.badInput.Error()
		p.Results = nil
	case o.err != nil:
		p.Error = "搜索暂时出错，请稍后再试。"
	case o.timedOut:
		p.Notices = append(p.Notices, fmt.Sprintf("搜索超过%d秒未完成，已停止。请减少或换用更具体的词语后再试。", max(1, int(s.cfg.Timeout.Seconds()+0.5))))
	}
	if r.Cut {
		p.Notices = append(p.Notices, fmt.Sprintf("搜索词过长，只使用了前%d个字。", MaxQueryRunes))
	}

	for _, f := range facetFields {
		if v := *f.get(&r); v != "" {
			p.Filters = append(p.Filters, Filter{f.label, v, s.with(r, func(r *Request) { *f.get(r) = "" })})
		}
	}
	if !r.From.IsZero() || !r.To.IsZero() {
		p.Filters = append(p.Filters, Filter{"发布日期", dateRangeLabel(r.From, r.To), s.with(r, func(r *Request) { r.From, r.To = time.Time{}, time.Time{} })})
	}

	res := p.Results
	if res == nil {
		return p
	}
	for _, f := range facetFields {
		if f.names == nil {
			continue
		}
		g := FacetGroup{Label: f.label}
		for _, v := range f.names(&res.Facets) {
			active := *f.get(&r) == v.Name
			g.Values = append(g.Values, FacetLink{v.Name, v.Count, s.with(r, func(r *Request) {
				if active {
					*f.get(r) = ""
				} else {
					*f.get(r) = v.Name
				}
			}), active})
		}
		if len(g.Values) > 0 {
			p.Facets = append(p.Facets, g)
		}
	}
	if years := yearLinks(s, r, res.Facets.Year); len(years.Values) > 0 {
		p.Facets = append(p.Facets, years)
	}

	if r.Query != "" && res.Total > 0 {
		byDate := r.sortByDate()
		p.Sorts = []Link{
			{"按相关度", s.with(r, func(r *Request) { r.Sort = "" }), !byDate},
			{"按时间", s.with(r, func(r *Request) { r.Sort = SortDate }), byDate},
		}
	}
	p.Pager = s.pager(r, res.Pages)

	if res.Total == 0 || res.Partial {
		if r.Filtered() {
			p.Suggestions = append(p.Suggestions, Link{Text: "取消全部筛选条件", URL: s.with(r, func(r *Request) {
				r.Bureau, r.Region, r.Category, r.Tag, r.From, r.To = "", "", "", "", time.Time{}, time.Time{}
			})})
		}
		if len(res.Words) > 1 {
			for i, w := range res.Words {
				rest := strings.Join(append(res.Words[:i:i], res.Words[i+1:]...), " ")
				p.Suggestions = append(p.Suggestions, Link{Text: "去掉“" + w + "”，搜索“" + rest + "”", URL: s.with(r, func(r *Request) { r.Query = rest })})
			}
		}
	}
	return p
}

// yearLinks is the facet of years; a year filters by its date range.
func yearLinks(s *Server, r Request, years []FacetValue) FacetGroup {
	g := FacetGroup{Label: "年份"}
	for _, v := range years {
		from, to, ok := yearRange(v.Name, s.cfg.Location)
		if !ok {
			continue
		}
		active := r.From.Equal(from) && r.To.Equal(to)
		g.Values = append(g.Values, FacetLink{v.Name + "年", v.Count, s.with(r, func(r *Request) {
			if active {
				r.From, r.To = time.Time{}, time.Time{}
			} else {
				r.From, r.To = from, to
			}
		}), active})
	}
	return g
}

func dateRangeLabel(from, to time.Time) string {
	const day = "2006年1月2日"
	switch {
	case from.IsZero():
		return to.Format(day) + "及以前"
	case to.IsZero():
		return from.Format(day) + "及以后"
	case from.Month() == time.January && from.Day() == 1 && to.Month() == time.December && to.Day() == 31 && from.Year() == to.Year():
		return from.Format("2006年")
	}
	return from.Format(day) + "至" + to.Format(day)
}

// pager is the position in the pages of results; nil for a single page.
func (s *Server) pager(r Request, total int) *pager.Pager {
	if total <= 1 {
		return nil
	}
	return pager.New(r.Page, total, func(n int) string {
		r2 := r
		r2.Page = n
		return "/" + strings.TrimPrefix(s.searchURL(r2), s.cfg.BasePath)
	})
}

// yearRange is the date range of a year of the year facet.
func yearRange(year string, loc *time.Location) (from, to time.Time, ok bool) {
	y, err := strconv.Atoi(year)
	if err != nil {
		return time.Time{}, time.Time{}, false
	}
	return time.Date(y, 1, 1, 0, 0, 0, 0, loc), time.Date(y, 12, 31, 0, 0, 0, 0, loc), true
}
