package digest

import (
	"cmp"
	"net/url"
	"path"
	"slices"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/site"
)

// Query says which bulletins go into an issue, and in what order.
type Query struct {
	// From and To are days in the site's zone, both inclusive. With Select
	// they may be zero: the period is then the selection's own.
	From, To time.Time
	// Region keeps the bulletins of a region and of the regions whose
	// names continue it (青海省 takes 青海省西宁市 too). Category keeps
	// one category. "" for all.
	Region, Category string
	// Select lists the bulletins exactly, in the editor's order, one a
	// line: a source path (content/qinghai/2024/a.md, or relative to
	// content/) or a URL (/bulletins/a/, or absolute under base_url).
	// Blank lines and lines starting with # are skipped. SelectName names
	// the list in messages.
	Select     []string
	SelectName string
	// Group gathers the items under numbered headings: "region",
	// "category" or "" for none.
	Group string
}

// ArgError is a mistake in what was asked for — a period, a region, a line
// of a selection — rather than a failure to compile or write. Msg says
// what is wrong, to be read in the person's language: a message
// (*diag.Message), or the problems of a selection's lines (diag.Problems).
type ArgError struct{ Msg error }

func (e *ArgError) Error() string { return e.Msg.Error() }

func argErrorf(format string, args ...any) error {
	return &ArgError{Msg: diag.Errorf(format, args...)}
}

// check validates q against the site's registry.
func (q *Query) check(c *site.Config) error {
	if len(q.Select) > 0 {
		if q.Region != "" || q.Category != "" {
			return argErrorf("a selection lists the bulletins exactly; leave out -region and -category")
		}
	} else if q.From.IsZero() || q.To.IsZero() {
		return argErrorf("give the period, e.g. -from 2024-01-01 -to 2024-01-31, or a selection with -select FILE")
	}
	if !q.From.IsZero() && !q.To.IsZero() && q.From.After(q.To) {
		return argErrorf("the period starts (%s) after it ends (%s)", q.From.Format(time.DateOnly), q.To.Format(time.DateOnly))
	}
	if q.From.IsZero() != q.To.IsZero() {
		return argErrorf("give both ends of the period, -from and -to")
	}
	if q.Region != "" {
		names := make([]string, len(c.Regions))
		for i, r := range c.Regions {
			names[i] = r.Name
		}
		if !slices.Contains(names, q.Region) {
			return argErrorf("region %q is not the region of any bureau in site.yaml%s", q.Region, diag.Choices(q.Region, names, "the regions are"))
		}
	}
	if q.Category != "" && !c.HasCategory(q.Category) {
		names := make([]string, len(c.Categories))
		for i, cat := range c.Categories {
			names[i] = cat.Name
		}
		return argErrorf("category %q is not listed in site.yaml%s", q.Category, diag.Choices(q.Category, names, "site.yaml lists"))
	}
	switch q.Group {
	case "", "region", "category":
	default:
		return argErrorf("group by region or category, not %q", q.Group)
	}
	return nil
}

// pick returns the bulletins of s that q selects, in print order. The
// result is empty, without an error, when the period has none.
func (q *Query) pick(s *site.Site) ([]*site.Bulletin, error) {
	if err := q.check(s.Config); err != nil {
		return nil, err
	}
	loc := s.Config.Location
	var out []*site.Bulletin
	if len(q.Select) > 0 {
		var err error
		if out, err = q.resolve(s); err != nil {
			return nil, err
		}
	} else {
		for _, b := range s.Bulletins {
			if q.inPeriod(b, loc) && inRegion(b, q.Region) && (q.Category == "" || b.Category != nil && b.Category.Name == q.Category) {
				out = append(out, b)
			}
		}
		rank := map[string]int{}
		for i, b := range s.Config.Bureaus {
			rank[b.Name] = i
		}
		// By day, then as site.yaml lists the bureaus (the province before
		// its cities), then by time and path, so the order never varies.
		slices.SortFunc(out, func(a, b *site.Bulletin) int {
			return cmp.Or(dayOf(a.Date, loc).Compare(dayOf(b.Date, loc)),
				cmp.Compare(rank[a.Bureau.Name], rank[b.Bureau.Name]),
				a.Date.Compare(b.Date), cmp.Compare(a.Source, b.Source))
		})
	}
	if q.Group != "" {
		q.groupItems(out, s.Config)
	}
	return out, nil
}

// groupItems orders the bulletins group by group, keeping their order
// within each: groups follow site.yaml, or, for a selection, the order in
// which the editor first named them.
func (q *Query) groupItems(bs []*site.Bulletin, c *site.Config) {
	rank := map[string]int{}
	if len(q.Select) > 0 {
		for _, b := range bs {
			if g := groupOf(b, q.Group); rank[g] == 0 {
				rank[g] = len(rank) + 1
			}
		}
	} else if q.Group == "region" {
		for i, r := range c.Regions {
			rank[r.Name] = i + 1
		}
	} else {
		for i, cat := range c.Categories {
			rank[cat.Name] = i + 1
		}
	}
	key := func(b *site.Bulletin) int {
		if r, ok := rank[groupOf(b, q.Group)]; ok {
			return r
		}
		return len(rank) + 1 // 其他 last
	}
	slices.SortStableFunc(bs, func(a, b *site.Bulletin) int { return cmp.Compare(key(a), key(b)) })
}

func (q *Query) inPeriod(b *site.Bulletin, loc *time.Location) bool {
	d := dayOf(b.Date, loc)
	return !d.Before(q.From) && !d.After(q.To)
}

// inRegion: region names of the registry run from the province down
// (青海省, 青海省西宁市), so a region takes those that continue its name.
func inRegion(b *site.Bulletin, region string) bool {
	return region == "" || strings.HasPrefix(b.Region.Name, region)
}

// dayOf is the calendar day of t in loc, at midnight.
func dayOf(t time.Time, loc *time.Location) time.Time {
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// resolve finds the bulletins a selection names and reports every line it
// cannot use at once, as name:line: message.
func (q *Query) resolve(s *site.Site) ([]*site.Bulletin, error) {
	bySource := map[string]*site.Bulletin{}
	byURL := map[string]*site.Bulletin{}
	for _, b := range s.Bulletins {
		bySource[b.Source] = b
		byURL[b.URL] = b
	}
	base := s.Config.Base
	basePath := base.Path()
	find := func(line string) (*site.Bulletin, *diag.Message) {
		switch {
		case strings.HasPrefix(line, "http://") || strings.HasPrefix(line, "https://"):
			u, err := url.Parse(line)
			if err != nil || !base.Owns(u) {
				return nil, &diag.Message{Format: "%q is not an address on this site (%s)", Args: []any{line, base}}
			}
			line = u.Path
		case strings.HasSuffix(line, ".md"):
			// A path as the editor's file manager shows it may have
			// anything before content/.
			p := path.Clean(strings.ReplaceAll(line, `\`, "/"))
			if i := strings.LastIndex(p, "/"+site.ContentDir+"/"); i >= 0 {
				p = p[i+1:]
			}
			if !strings.HasPrefix(p, site.ContentDir+"/") {
				p = site.ContentDir + "/" + p
			}
			if b := bySource[p]; b != nil {
				return b, nil
			}
			return nil, &diag.Message{Format: "%s is not a published bulletin (drafts and future bulletins cannot go into a digest)", Args: []any{p}}
		}
		p := "/" + strings.Trim(line, "/") + "/"
		if b := byURL[p]; b != nil {
			return b, nil
		}
		if b := byURL["/"+strings.TrimPrefix(p, basePath)]; b != nil && strings.HasPrefix(p, basePath) {
			return b, nil
		}
		return nil, &diag.Message{Format: "%q is neither the source path nor the URL of a published bulletin", Args: []any{line}}
	}
	var out []*site.Bulletin
	var problems diag.Problems
	first := map[*site.Bulletin]int{}
	loc := s.Config.Location
	for i, line := range q.Select {
		line = strings.TrimSpace(strings.TrimPrefix(line, "\uFEFF"))
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		b, msg := find(line)
		switch {
		case b == nil:
		case first[b] > 0:
			msg = &diag.Message{Format: "%s is listed twice (first on line %d)", Args: []any{b.Source, first[b]}}
		case !q.From.IsZero() && !q.inPeriod(b, loc):
			msg = &diag.Message{Format: "%s is dated %s, outside the period %s to %s", Args: []any{b.Source,
				b.Date.In(loc).Format(time.DateOnly), q.From.Format(time.DateOnly), q.To.Format(time.DateOnly)}}
		}
		if msg != nil {
			// Read as name:line: message, the line of the selection.
			problems = append(problems, diag.Problem{Path: q.SelectName, Line: i + 1, Msg: msg.Error(), Text: msg})
			continue
		}
		first[b] = i + 1
		out = append(out, b)
	}
	if len(problems) > 0 {
		return nil, &ArgError{Msg: problems}
	}
	return out, nil
}
