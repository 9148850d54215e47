package indexer

import (
	"errors"
	"net/url"
	"strconv"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"bulletin/internal/diag"

	"github.com/blevesearch/bleve/v2/search/query"
)

// Sort orders.
const (
	SortRelevance = "relevance"
	SortDate      = "date"
)

// MaxPage is the last page of results shown: deep pages cost more than
// they are worth, and a reader who needs them should narrow the search.
const MaxPage = 100

// maxFilterRunes bounds a filter value; no name is that long.
const maxFilterRunes = 100

// Request is a search as a reader asks for it, from the query parameters
// q, bureau, region, category, tag, from, to, sort and page.
type Request struct {
	Query    string
	Bureau   string
	Region   string
	Category string
	Tag      string
	// From and To are the first and last day of bulletins to find, in
	// the site's time zone; zero when open.
	From, To time.Time
	Sort     string // SortRelevance or SortDate; "" is relevance, or date when Query is empty
	Page     int    // from 1
	// Cut is set when Query was longer than MaxQueryRunes and was cut.
	Cut bool
	// Exact (exact=1) searches the words as typed only: no word the
	// reader probably meant is searched instead.
	Exact bool
}

// ParseRequest reads a request from query parameters. Dates are days
// (YYYY-MM-DD) in loc. The error, for a bad date, sort or page, is meant
// for the reader.
func ParseRequest(v url.Values, loc *time.Location) (Request, error) {
	r := Request{
		Bureau:   cleanParam(v.Get("bureau"), maxFilterRunes),
		Region:   cleanParam(v.Get("region"), maxFilterRunes),
		Category: cleanParam(v.Get("category"), maxFilterRunes),
		Tag:      cleanParam(v.Get("tag"), maxFilterRunes),
		Page:     1,
		Exact:    v.Get("exact") == "1",
	}
	q := cleanParam(v.Get("q"), -1)
	r.Query = cleanParam(q, MaxQueryRunes)
	r.Cut = r.Query != q
	var errs []error
	var err error
	if r.From, err = parseDay(v.Get("from"), loc); err != nil {
		errs = append(errs, &ParamError{Param: "from", Value: cleanParam(v.Get("from"), 20), Kind: "date", msg: &diag.Message{Format: "from: %v", Args: []any{err}}})
	}
	if r.To, err = parseDay(v.Get("to"), loc); err != nil {
		errs = append(errs, &ParamError{Param: "to", Value: cleanParam(v.Get("to"), 20), Kind: "date", msg: &diag.Message{Format: "to: %v", Args: []any{err}}})
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.To.Before(r.From) {
		errs = append(errs, &ParamError{Param: "to", Kind: "order", msg: &diag.Message{Format: "to is before from"}})
	}
	switch s := v.Get("sort"); s {
	case "", SortRelevance, SortDate:
		r.Sort = s
	default:
		errs = append(errs, &ParamError{Param: "sort", Value: cleanParam(s, 20), Kind: "choice",
			msg: &diag.Message{Format: "sort %q: use relevance or date", Args: []any{cleanParam(s, 20)}}})
	}
	if p := v.Get("page"); p != "" {
		n, err := strconv.Atoi(p)
		if err != nil || n < 1 || n > MaxPage {
			errs = append(errs, &ParamError{Param: "page", Value: cleanParam(p, 20), Kind: "range",
				msg: &diag.Message{Format: "page %q: use a number from 1 to %d", Args: []any{cleanParam(p, 20), MaxPage}}})
		} else {
			r.Page = n
		}
	}
	return r, errors.Join(errs...)
}

// ParamError is one wrong parameter of a request: the API reports its
// Error, in the words of the API; the search page says it in the theme's
// words from Param, Value and Kind.
type ParamError struct {
	Param string // from, to, sort or page
	Value string // as given, cleaned and cut
	// Kind is what is wrong: "date" (not a day), "order" (to before
	// from), "choice" (not one of the values) or "range" (not a page).
	Kind string
	msg  *diag.Message
}

// Error reads the problem in English, the API's words.
func (e *ParamError) Error() string { return e.msg.Error() }

// paramErrors lists the ParamErrors that ParseRequest joined into err.
func paramErrors(err error) []*ParamError {
	joined, ok := err.(interface{ Unwrap() []error })
	if !ok {
		return nil
	}
	var out []*ParamError
	for _, e := range joined.Unwrap() {
		if pe, ok := e.(*ParamError); ok {
			out = append(out, pe)
		}
	}
	return out
}

// cleanParam makes a parameter safe to search for and show: valid UTF-8,
// control characters as spaces, trimmed, and cut at max runes (when max
// is not negative).
func cleanParam(s string, max int) string {
	s = strings.ToValidUTF8(s, "")
	s = strings.Map(func(r rune) rune {
		if unicode.IsControl(r) || r == utf8.RuneError {
			return ' '
		}
		return r
	}, s)
	s = strings.TrimSpace(s)
	if max >= 0 && utf8.RuneCountInString(s) > max {
		s = strings.TrimSpace(string([]rune(s)[:max]))
	}
	return s
}

func parseDay(s string, loc *time.Location) (time.Time, error) {
	if s == "" {
		return time.Time{}, nil
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		return time.Time{}, diag.Errorf("%q is not a date; use YYYY-MM-DD", cleanParam(s, 20))
	}
	// Any day of the years 0000 to 9999 that the layout reads: bulletins
	// may be dated in any of them, and a date filter must find each (the
	// year facet links to it).
	return t, nil
}

func (r Request) sortByDate() bool {
	return r.Sort == SortDate || r.Sort == "" && r.Query == ""
}

// Filtered reports whether the request narrows the search by anything but
// words.
func (r Request) Filtered() bool {
	return r.Bureau != "" || r.Region != "" || r.Category != "" || r.Tag != "" || !r.From.IsZero() || !r.To.IsZero()
}

// filters are the queries for the request's filters.
func (r Request) filters() []query.Query {
	var qs []query.Query
	for _, f := range r.termFilters() {
		if f.prefix {
			q := query.NewPrefixQuery(f.value)
			q.SetField(f.field)
			qs = append(qs, q)
		} else {
			q := query.NewTermQuery(f.value)
			q.SetField(f.field)
			qs = append(qs, q)
		}
	}
	return qs
}

// termFilters are the request's filters as terms of the index.
func (r Request) termFilters() []termFilter {
	var fs []termFilter
	for _, f := range []struct{ field, value string }{
		{fieldBureau, r.Bureau}, {fieldCategory, r.Category}, {fieldTag, r.Tag},
	} {
		if f.value != "" {
			fs = append(fs, termFilter{field: f.field, value: f.value})
		}
	}
	if r.Region != "" {
		// Region names are paths (青海省西宁市): a province takes its
		// cities, as in bulletin digest -region.
		fs = append(fs, termFilter{field: fieldRegion, value: r.Region, prefix: true})
	}
	return fs
}

// inDates reports whether t lies in the request's days. Dates are
// compared here rather than in the index, which keeps them as nanoseconds
// since 1970: those reach only from 1677 to 2262, and the site takes any
// year.
func (r Request) inDates(t time.Time) bool {
	return (r.From.IsZero() || !t.Before(r.From)) && (r.To.IsZero() || t.Before(r.To.AddDate(0, 0, 1)))
}

// Encode encodes the request as query parameters, leaving out defaults,
// in a fixed order (q first), so that equal requests make equal links.
func (r Request) Encode() string {
	var b strings.Builder
	add := func(k, v string) {
		if v == "" {
			return
		}
		if b.Len() > 0 {
			b.WriteByte('&')
		}
		b.WriteString(k)
		b.WriteByte('=')
		b.WriteString(url.QueryEscape(v))
	}
	add("q", r.Query)
	add("bureau", r.Bureau)
	add("region", r.Region)
	add("category", r.Category)
	add("tag", r.Tag)
	if !r.From.IsZero() {
		add("from", r.From.Format(time.DateOnly))
	}
	if !r.To.IsZero() {
		add("to", r.To.Format(time.DateOnly))
	}
	add("sort", r.Sort)
	if r.Exact {
		add("exact", "1")
	}
	if r.Page > 1 {
		add("page", strconv.Itoa(r.Page))
	}
	return b.String()
}
