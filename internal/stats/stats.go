package stats

import (
	"maps"
	"slices"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/digest"
	"bulletin/internal/reporting"
	"bulletin/internal/site"
)

// Period is the span of publication times counted: from Start, inclusive,
// until End, exclusive. A zero bound leaves that side open.
type Period struct {
	Start, End time.Time
}

func (p Period) contains(t time.Time) bool {
	return (p.Start.IsZero() || !t.Before(p.Start)) && (p.End.IsZero() || t.Before(p.End))
}

// ParseBound reads a -from or -to value, a month (2024-01) or a day
// (2024-01-15), in loc, and returns the span it names: the whole month or
// the whole day. A period from a to b is then {a.Start, b.End}.
func ParseBound(s string, loc *time.Location) (Period, error) {
	if t, err := time.ParseInLocation(time.DateOnly, s, loc); err == nil {
		return Period{t, t.AddDate(0, 0, 1)}, nil
	}
	if t, err := time.ParseInLocation("2006-01", s, loc); err == nil {
		return Period{t, t.AddDate(0, 1, 0)}, nil
	}
	return Period{}, diag.Errorf("%q is not a month or a day; use YYYY-MM or YYYY-MM-DD", s)
}

// Report is the statistics of one period.
type Report struct {
	// From and To are the first and last day reported, midnight in the
	// site's zone: the period's bounds, or where an open bound is, the
	// months of the first and last bulletin counted. Zero when the period
	// is open on that side and holds no bulletin.
	From, To time.Time

	// Categories names the columns of Counts.ByCategory: site.yaml's
	// categories in its order.
	Categories []string

	// Rows are the figures of each bureau and month with bulletins in the
	// period: bureaus in site.yaml's order, months ascending.
	Rows []Row
	// Bureaus are each bureau's totals, in the order of Rows; their Month
	// is zero.
	Bureaus []Row
	Total   Counts

	// Uncounted lists the record entries whose bulletin the site does not
	// publish (taken down, or turned back into a draft), in record order.
	Uncounted []Entry

	// Ranking, when set, is the bureaus' points and ranks for the same
	// period, which the text and JSON renderings include.
	Ranking *reporting.Standing
}

// Counts are the figures of one row.
type Counts struct {
	Published     int
	ByCategory    []int // parallel to Report.Categories
	Uncategorized int   // bulletins that name no category

	// Adopted counts adoptions: a bulletin once for every issue that
	// lists it. Regular and Supplement split it by the kind of issue.
	Adopted, Regular, Supplement int
}

// Row is one bureau's figures for one month.
type Row struct {
	Bureau, Region string
	Month          time.Time // the month's first day; zero in a bureau's totals
	Counts
}

// Entry is one line of a digest record: a bulletin an issue adopted.
type Entry struct {
	Record string // digests/issues/2024-003.yaml
	Source string // content/qinghai/2024/relief.md
}

// Compute counts the published bulletins of s in p, and their adoptions by
// the issues of records.
func Compute(s *site.Site, records []*digest.Record, p Period) *Report {
	loc := s.Config.Location
	r := &Report{Categories: categoryNames(s)}
	column := map[string]int{}
	for i, name := range r.Categories {
		column[name] = i
	}

	bySource := map[string]*site.Bulletin{}
	for _, b := range s.Bulletins {
		bySource[b.Source] = b
	}
	type adoptions struct{ regular, supplement int }
	adopted := map[*site.Bulletin]adoptions{}
	for _, rec := range records {
		seen := map[string]bool{} // once per issue, even if listed twice
		for _, src := range rec.Bulletins {
			if seen[src] {
				continue
			}
			seen[src] = true
			b := bySource[src]
			if b == nil {
				r.Uncounted = append(r.Uncounted, Entry{Record: rec.Path, Source: src})
				continue
			}
			a := adopted[b]
			if rec.Supplement {
				a.supplement++
			} else {
				a.regular++
			}
			adopted[b] = a
		}
	}

	// Each bureau's bulletins in the period, by month; the first and last
	// month seen bound an open period.
	type cell = map[int]*Counts
	cells := map[*site.Term]cell{}
	first, last := 0, 0
	for _, b := range s.Bulletins {
		if !p.contains(b.Date) {
			continue
		}
		m := monthIndex(b.Date.In(loc))
		if first == 0 || m < first {
			first = m
		}
		last = max(last, m)
		byMonth := cells[b.Bureau]
		if byMonth == nil {
			byMonth = cell{}
			cells[b.Bureau] = byMonth
		}
		c := byMonth[m]
		if c == nil {
			c = r.newCounts()
			byMonth[m] = c
		}
		c.Published++
		if b.Category == nil {
			c.Uncategorized++
		} else {
			c.ByCategory[column[b.Category.Name]]++
		}
		a := adopted[b]
		c.Regular += a.regular
		c.Supplement += a.supplement
		c.Adopted += a.regular + a.supplement
	}

	if !p.Start.IsZero() {
		r.From = p.Start.In(loc)
	} else if first != 0 {
		r.From = monthStart(first, loc)
	}
	if !p.End.IsZero() {
		r.To = p.End.In(loc).AddDate(0, 0, -1)
	} else if last != 0 {
		r.To = monthStart(last+1, loc).AddDate(0, 0, -1)
	}
	// Nothing published in an open-ended period: it is the one month
	// given, or this month, rather than a period with no end.
	switch {
	case r.From.IsZero() && r.To.IsZero():
		r.From = monthStart(monthIndex(s.Now.In(loc)), loc)
		r.To = r.From.AddDate(0, 1, -1)
	case r.To.IsZero():
		r.To = monthStart(monthIndex(r.From)+1, loc).AddDate(0, 0, -1)
	case r.From.IsZero():
		r.From = monthStart(monthIndex(r.To), loc)
	}

	r.Total = *r.newCounts()
	for _, t := range s.Bureaus.Terms { // site.yaml's order
		byMonth := cells[t]
		if byMonth == nil {
			continue
		}
		total := Row{Bureau: t.Name, Region: region(s, t), Counts: *r.newCounts()}
		// Only the months the bureau published in: over a year or more,
		// rows of zeros would bury the figures.
		for _, m := range slices.Sorted(maps.Keys(byMonth)) {
			row := Row{Bureau: total.Bureau, Region: total.Region, Month: monthStart(m, loc), Counts: *byMonth[m]}
			r.Rows = append(r.Rows, row)
			total.add(row.Counts)
		}
		r.Bureaus = append(r.Bureaus, total)
		r.Total.add(total.Counts)
	}
	return r
}

func (r *Report) newCounts() *Counts {
	return &Counts{ByCategory: make([]int, len(r.Categories))}
}

func (c *Counts) add(o Counts) {
	c.Published += o.Published
	for i, n := range o.ByCategory {
		c.ByCategory[i] += n
	}
	c.Uncategorized += o.Uncategorized
	c.Adopted += o.Adopted
	c.Regular += o.Regular
	c.Supplement += o.Supplement
}

// categoryNames lists site.yaml's categories, then any other a bulletin
// names, which only a site that lists none can have.
func categoryNames(s *site.Site) []string {
	var names []string
	for _, c := range s.Config.Categories {
		names = append(names, c.Name)
	}
	for _, t := range s.Categories.Terms {
		if !slices.Contains(names, t.Name) {
			names = append(names, t.Name)
		}
	}
	return names
}

// region is the bureau's region in the registry, else the one its
// bulletins give.
func region(s *site.Site, t *site.Term) string {
	if b, ok := s.Config.Bureau(t.Name); ok {
		return b.Region
	}
	for _, b := range t.Bulletins {
		if b.Region != nil {
			return b.Region.Name
		}
	}
	return ""
}

// monthIndex numbers months consecutively from year 0, so that a period's
// months are a range of integers; it is never 0 for a real date.
func monthIndex(t time.Time) int {
	return t.Year()*12 + int(t.Month()) - 1
}

func monthStart(m int, loc *time.Location) time.Time {
	return time.Date(m/12, time.Month(m%12+1), 1, 0, 0, 0, 0, loc)
}
