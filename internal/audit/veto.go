package audit

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"slices"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/i18n"
	"bulletin/internal/lint"
	"bulletin/internal/published"
	"bulletin/internal/site"
)

// The inspection's figures (国办秘函〔2019〕19号).
const (
	homeStaleDays  = 14 // the home page: two weeks
	staleColumns   = 5  // stale news, notice and other timed columns
	staleYearly    = 10 // stale columns judged only yearly ("should be updated")
	emptyColumnMax = 5  // empty columns (空白栏目)
)

func day(t time.Time) string { return t.Format(time.DateOnly) }

// calendarDays is how many days from a's day to b's in loc.
func calendarDays(a, b time.Time, loc *time.Location) int {
	ay, am, ad := a.In(loc).Date()
	by, bm, bd := b.In(loc).Date()
	return int(time.Date(by, bm, bd, 12, 0, 0, 0, time.UTC).Sub(time.Date(ay, am, ad, 12, 0, 0, 0, time.UTC)).Hours() / 24)
}

// homeUpdated: the newest published bulletin is at most two weeks old.
func homeUpdated(s *site.Site) *Check {
	c := &Check{ID: "home-updated", Veto: true, Title: message("Home page updated within two weeks")}
	if len(s.Bulletins) == 0 {
		c.Count = 1
		c.Summary = message("the site publishes no bulletin")
		return c
	}
	newest := s.Bulletins[0]
	// Days as the calendar counts them in the site's zone: published on
	// the 10th, stale on the 25th.
	loc := s.Config.Location
	age := calendarDays(newest.Date, s.Now, loc)
	c.Pass = age <= homeStaleDays
	c.Summary = message("the newest bulletin is of %s, %d days before %s", day(newest.Date.In(loc)), age, day(s.Now.In(loc)))
	if !c.Pass {
		c.Count = 1
		c.Findings = []Finding{{Path: newest.Source, Page: newest.URL, Msg: message("the newest bulletin: %s", newest.Title)}}
	}
	return c
}

// columnsUpdated: each category is a column with a cadence; five or more
// stale among the news, notice and explicitly timed ones, or ten or more
// among those judged yearly, fail. Bureaus quiet for longer than
// audit.bureau_update are listed for the editors as warnings.
func columnsUpdated(s *site.Site) *Check {
	c := &Check{ID: "columns-updated", Veto: true, Title: message("Columns updated in their cadence")}
	latest := map[string]time.Time{}
	for _, t := range s.Categories.Terms {
		if len(t.Bulletins) > 0 {
			latest[t.Name] = t.Bulletins[0].Date
		}
	}
	stale, yearly, judged := 0, 0, 0
	for _, cat := range s.Config.Categories {
		if cat.Update.None() {
			continue
		}
		judged++
		last, ok := latest[cat.Name]
		if !ok || !cat.Update.Stale(last, s.Now) {
			continue // an empty column is counted as empty, not as stale
		}
		if cat.Kind == site.ColumnOther {
			yearly++
		} else {
			stale++
		}
		c.Count++
		c.Findings = append(c.Findings, Finding{Path: "site.yaml", Line: cat.Line, Page: s.Categories.URL + cat.Slug + "/",
			Msg: message("%s: last updated %s; its cadence is every %v", cat.Name, day(last), every(cat.Update))})
	}
	c.Pass = stale < staleColumns && yearly < staleYearly
	c.Summary = message("%d of %d timed columns stale (fails at %d), %d of the yearly ones (fails at %d)", stale, judged, staleColumns, yearly, staleYearly)

	cadence := s.Config.Audit.BureauUpdate
	if cadence.None() {
		return c
	}
	last := map[string]time.Time{}
	for _, t := range s.Bureaus.Terms {
		if len(t.Bulletins) > 0 {
			last[t.Name] = t.Bulletins[0].Date
		}
	}
	for _, b := range s.Config.Bureaus {
		t, ok := last[b.Name]
		switch {
		case !ok:
			c.Findings = append(c.Findings, Finding{Path: "site.yaml", Line: b.Line, Warn: true, Msg: message("%s has published nothing (bureaus are expected to report every %v)", b.Name, every(cadence))})
		case cadence.Stale(t, s.Now):
			c.Findings = append(c.Findings, Finding{Path: "site.yaml", Line: b.Line, Warn: true, Msg: message("%s last published %s (bureaus are expected to report every %v)", b.Name, day(t), every(cadence))})
		}
	}
	return c
}

// emptyColumns: categories site.yaml plans that hold no bulletin, and
// listings and navigation entries that show none; five or more fail.
func emptyColumns(s *site.Site, pages map[string]*page) *Check {
	c := &Check{ID: "empty-columns", Veto: true, Title: message("No empty columns")}
	held := map[string]bool{}
	for _, t := range s.Categories.Terms {
		held[t.Name] = len(t.Bulletins) > 0
	}
	for _, cat := range s.Config.Categories {
		if !held[cat.Name] {
			c.Count++
			c.Findings = append(c.Findings, Finding{Path: "site.yaml", Line: cat.Line, Msg: message("category %s is planned in site.yaml but holds no bulletin: publish in it or remove it", cat.Name)})
		}
	}
	linked := linkedPages(pages, s.Config.Base)
	for _, u := range slices.Sorted(maps.Keys(pages)) {
		pg := pages[u]
		// A listing no page links to is no column a reader (or an
		// inspector's crawler) comes upon: /tags/ on a site without tags.
		if pg.empty && pg.items == 0 && (u == "/" || linked[u]) {
			c.Count++
			c.Findings = append(c.Findings, Finding{Page: u, Msg: message("the listing shows no bulletin")})
		}
	}
	c.Pass = c.Count < emptyColumnMax
	c.Summary = message("empty columns: %d (fails at %d)", c.Count, emptyColumnMax)
	return c
}

// wordingErrors: the wording rules of error severity, in the published
// bulletins (check reports drafts too; the inspection sees the site).
func wordingErrors(ctx context.Context, s *site.Site, sources fs.FS) (*Check, error) {
	c := &Check{ID: "wording", Veto: true, Title: message("No serious wording errors")}
	rules, _, err := lint.ReadRules(sources)
	if err != nil {
		return nil, err
	}
	live := map[string]bool{}
	for _, b := range s.Bulletins {
		live[b.Source] = true
	}
	hits, err := lint.New(rules).Site(ctx, sources)
	if err != nil {
		return nil, err
	}
	for _, h := range hits {
		if h.Rule != lint.RuleWording || h.Severity != diag.Error || !live[h.Path] {
			continue
		}
		p := h.Problem()
		c.Count++
		c.Findings = append(c.Findings, Finding{Path: h.Path, Line: h.Line, Msg: p.Text})
	}
	c.Pass = c.Count == 0
	c.Summary = message("serious wording errors in published bulletins: %d", c.Count)
	return c, nil
}

// backdating: a bulletin dated earlier than when it was first published
// (伪造发稿日期), by the record build keeps under published/.
func backdating(s *site.Site, sources fs.FS) (*Check, error) {
	c := &Check{ID: "backdating", Veto: true, Title: message("No publication date changed to an earlier day")}
	rec, err := published.Read(sources, s.Config.Location)
	var problems diag.Problems
	if err != nil && !errors.As(err, &problems) {
		return nil, err
	}
	for _, p := range problems {
		c.Findings = append(c.Findings, Finding{Path: p.Path, Line: p.Line, Msg: p.Text, Warn: true})
	}
	if rec == nil || len(rec.Entries) == 0 {
		c.Pass = true
		c.Summary = message("no record of first publications yet (published/ is written by bulletin build)")
		return c, nil
	}
	live := map[string]bool{}
	for _, b := range s.Bulletins {
		live[b.Slug] = true
	}
	for _, slug := range slices.Sorted(maps.Keys(rec.Entries)) {
		if e := rec.Entries[slug]; !live[slug] {
			// A bulletin renamed (or its slug changed) starts a new
			// record, where a date moved earlier goes unseen.
			c.Findings = append(c.Findings, Finding{Path: e.Path, Line: e.Line, Warn: true,
				Msg: message("%s, first published on %s, is no longer on the site: if it was renamed, its date cannot be compared", slug, day(e.First.In(s.Config.Location)))})
		}
	}
	for _, bd := range rec.Backdated(s.Bulletins) {
		b, e := bd.Bulletin, bd.Entry
		c.Count++
		c.Findings = append(c.Findings, Finding{Path: b.Source, Line: published.DateLine(sources, b.Source), Page: b.URL,
			Msg: message("dated %s, but first published on %s dated %s (%s:%d)", day(b.Date), day(e.First), day(e.Date), e.Path, e.Line)})
	}
	c.Pass = c.Count == 0
	c.Summary = message("%d of %d recorded bulletins dated earlier than when they were first published", c.Count, len(rec.Entries))
	return c, nil
}

// undated: every bulletin a page lists shows its date.
func undated(pages map[string]*page, bulletins int) *Check {
	c := &Check{ID: "undated", Veto: true, Title: message("Every listed item has a publication date")}
	listed := 0
	for _, u := range slices.Sorted(maps.Keys(pages)) {
		pg := pages[u]
		listed += pg.items
		if pg.undated > 0 {
			c.Count += pg.undated
			c.Findings = append(c.Findings, Finding{Page: u, Msg: message("%d of %d listed items show no date", pg.undated, pg.items)})
		}
	}
	c.Pass = c.Count == 0
	c.Summary = message("%d of %d listed items without a date", c.Count, listed)
	if listed == 0 && bulletins > 0 {
		// A theme whose listings do not mark their items cannot be
		// checked: an inspector would still look.
		c.Pass = false
		c.Summary = message("no listed item found to check: the theme's items partial must mark each item with class=\"item\" and its date with <time datetime>")
	}
	return c
}

// every is a cadence as a person reads it: 2 weeks, 6 months.
func every(c site.Cadence) *diag.Message {
	switch c.Unit {
	case 'd':
		return message(i18n.Plural(c.N, "%d day", "%d days"), c.N)
	case 'w':
		return message(i18n.Plural(c.N, "%d week", "%d weeks"), c.N)
	case 'm':
		return message(i18n.Plural(c.N, "%d month", "%d months"), c.N)
	}
	return message(i18n.Plural(c.N, "%d year", "%d years"), c.N)
}
