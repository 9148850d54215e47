package indexer

import (
	"strconv"
	"strings"
	"time"

	"bulletin/internal/pager"
)

// PageData is what the search page's template receives (as build.Page's
// Data). Every link in it is complete, base path included, so the
// template uses them as they are. It holds what the search found and
// did, never words for the reader: those are the theme's.
type PageData struct {
	// SearchURL is the form's action.
	SearchURL string
	Request   Request
	// Results is nil when there was nothing to search for, the request
	// was bad, or the search ran out of time.
	Results *Results
	// BadRequest says which parameter is wrong and how, when one is:
	// ParseRequest's error, in the words of the API. BadParams are the
	// same problems one by one, for the page to say in its own words.
	BadRequest string
	BadParams  []*ParamError
	// Failed is set when the search failed for a reason of the server's.
	Failed bool
	// TimedOut is set when the search ran out of its Timeout seconds.
	TimedOut bool
	Timeout  int
	// QueryLimit is how many characters of a query are searched for;
	// Request.Cut says that the query was cut to it.
	QueryLimit int

	// Filters are the filters in force, each with a link without it.
	Filters []Filter
	// Facets are the counts of the results by bureau, region, category
	// and year, each name a link that adds (or, when active, removes) it
	// as a filter.
	Facets []FacetGroup
	// Sorts are the two orders, with links; one is Current.
	Sorts []Sort
	// Pager is the position in the pages of results, the listings' pager
	// so that themes show both with one partial. Unlike the other links
	// here, its URLs are site-relative (/search?q=…&page=2), as the
	// listings' are: the theme puts them under the base path.
	Pager *pager.Pager
	// Suggestions, when nothing was found, are searches with fewer
	// filters or words.
	Suggestions []Suggestion
	// FeedParams are the parameters of the search's own feeds
	// (/search/feed.xml?FeedParams), "" when it searched for nothing;
	// FeedURL is its RSS feed under the base path, for 订阅此搜索.
	FeedParams, FeedURL string
}

// Fields of filters and facets, named as their query parameters are;
// FieldDate stands for from and to.
const (
	FieldBureau   = "bureau"
	FieldRegion   = "region"
	FieldCategory = "category"
	FieldTag      = "tag"
	FieldDate     = "date"
	FieldYear     = "year"
)

// Filter is a filter in force.
type Filter struct {
	Field string // FieldBureau, FieldRegion, FieldCategory, FieldTag or FieldDate
	Value string // 青海省民政厅; "" for FieldDate
	// From and To are FieldDate's days, as in Request: zero when open.
	From, To  time.Time
	RemoveURL string
}

// FacetGroup is one facet of the results.
type FacetGroup struct {
	Field  string // FieldBureau, FieldRegion, FieldCategory or FieldYear
	Values []FacetLink
}

// FacetLink is one name of a facet: a bureau, a region, a category or a
// year (2024).
type FacetLink struct {
	Name   string
	Count  int
	URL    string
	Active bool // the results are filtered by it; URL removes the filter
}

// Sort is one order of the results, with its link.
type Sort struct {
	Order   string // SortRelevance or SortDate
	URL     string
	Current bool
}

// Suggestion is a search that may find more: without any filter, or
// without one of the words.
type Suggestion struct {
	// Word is the word left out and Query the words kept; both "" for the
	// search without filters.
	Word, Query string
	URL         string
}

// facetFields describe the filters, in the order the page lists them.
var facetFields = []struct {
	field string
	get   func(*Request) *string
	names func(*Facets) []FacetValue
}{
	{FieldBureau, func(r *Request) *string { return &r.Bureau }, func(f *Facets) []FacetValue { return f.Bureau }},
	{FieldRegion, func(r *Request) *string { return &r.Region }, func(f *Facets) []FacetValue { return f.Region }},
	{FieldCategory, func(r *Request) *string { return &r.Category }, func(f *Facets) []FacetValue { return f.Category }},
	{FieldTag, func(r *Request) *string { return &r.Tag }, nil},
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
	p := &PageData{SearchURL: s.link("/search"), Request: r, Results: o.res,
		Timeout: max(1, int(s.cfg.Timeout.Seconds()+0.5)), QueryLimit: MaxQueryRunes}
	if r.Query == "" && !r.Filtered() {
		p.Results = nil // nothing asked: the page says what to do
	} else if o.badInput == nil {
		feedReq := r
		feedReq.Sort, feedReq.Page = "", 1
		p.FeedParams = feedReq.Encode()
		p.FeedURL = s.link("/search/" + FeedFiles[0] + "?" + p.FeedParams)
	}
	switch {
	case o.badInput != nil:
		p.BadRequest = o.badInput.Error()
		p.BadParams = paramErrors(o.badInput)
		p.Results = nil
	case o.err != nil:
		p.Failed = true
	case o.timedOut:
		p.TimedOut = true
	}

	for _, f := range facetFields {
		if v := *f.get(&r); v != "" {
			p.Filters = append(p.Filters, Filter{Field: f.field, Value: v, RemoveURL: s.with(r, func(r *Request) { *f.get(r) = "" })})
		}
	}
	if !r.From.IsZero() || !r.To.IsZero() {
		p.Filters = append(p.Filters, Filter{Field: FieldDate, From: r.From, To: r.To,
			RemoveURL: s.with(r, func(r *Request) { r.From, r.To = time.Time{}, time.Time{} })})
	}

	res := p.Results
	if res == nil {
		return p
	}
	for _, f := range facetFields {
		if f.names == nil {
			continue
		}
		g := FacetGroup{Field: f.field}
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
		p.Sorts = []Sort{
			{SortRelevance, s.with(r, func(r *Request) { r.Sort = "" }), !byDate},
			{SortDate, s.with(r, func(r *Request) { r.Sort = SortDate }), byDate},
		}
	}
	p.Pager = s.pager(r, res.Pages)

	if res.Total == 0 || res.Partial {
		if r.Filtered() {
			p.Suggestions = append(p.Suggestions, Suggestion{URL: s.with(r, func(r *Request) {
				r.Bureau, r.Region, r.Category, r.Tag, r.From, r.To = "", "", "", "", time.Time{}, time.Time{}
			})})
		}
		if len(res.Words) > 1 {
			for i, w := range res.Words {
				rest := strings.Join(append(res.Words[:i:i], res.Words[i+1:]...), " ")
				p.Suggestions = append(p.Suggestions, Suggestion{Word: w, Query: rest, URL: s.with(r, func(r *Request) { r.Query = rest })})
			}
		}
	}
	return p
}

// yearLinks is the facet of years; a year filters by its date range.
func yearLinks(s *Server, r Request, years []FacetValue) FacetGroup {
	g := FacetGroup{Field: FieldYear}
	for _, v := range years {
		from, to, ok := yearRange(v.Name, s.cfg.Location)
		if !ok {
			continue
		}
		active := r.From.Equal(from) && r.To.Equal(to)
		g.Values = append(g.Values, FacetLink{v.Name, v.Count, s.with(r, func(r *Request) {
			if active {
				r.From, r.To = time.Time{}, time.Time{}
			} else {
				r.From, r.To = from, to
			}
		}), active})
	}
	return g
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
