package site

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
	"time"
)

// buildTaxonomies files every published bulletin (given newest first) under
// its bureau, region, category, tags and month.
func (l *loader) buildTaxonomies(s *Site, published []*draft) {
	c := l.cfg
	s.Bureaus = &Taxonomy{Kind: "bureaus", Title: "来源单位", URL: "/bureaus/"}
	s.Regions = &Taxonomy{Kind: "regions", Title: "地区", URL: "/regions/"}
	s.Categories = &Taxonomy{Kind: "categories", Title: "栏目分类", URL: "/categories/"}
	s.Tags = &Taxonomy{Kind: "tags", Title: "标签", URL: "/tags/"}
	s.Months = &Taxonomy{Kind: "archive", Title: "按月归档", URL: "/archive/"}

	bureaus := newTermSet(s.Bureaus)
	regions := newTermSet(s.Regions)
	categories := newTermSet(s.Categories)
	tags := newTermSet(s.Tags)
	months := newTermSet(s.Months)
	// Listed bureaus, regions and categories come first in site.yaml's
	// order, which editors choose (province before cities, and so on).
	for _, b := range c.Bureaus {
		bureaus.declare(b.Name, b.Slug)
	}
	for _, r := range c.Regions {
		regions.declare(r.Name, r.Slug)
	}
	for _, cat := range c.Categories {
		categories.declare(cat.Name, cat.Slug)
	}

	// Tags are declared in name order so that which of two clashing tags
	// gets the suffix does not depend on the order of bulletins.
	seen := map[string]bool{}
	var tagNames []string
	for _, d := range published {
		for _, t := range d.fm.Tags {
			if !seen[t] {
				seen[t] = true
				tagNames = append(tagNames, t)
			}
		}
	}
	slices.Sort(tagNames)
	for _, t := range tagNames {
		tags.declare(t, l.slugs.term(t))
	}

	// The registry by name: scanning its lists for each bulletin was a
	// fifth of the time spent here on a site of 235 bureaus.
	registry := make(map[string]Bureau, len(c.Bureaus))
	for _, b := range c.Bureaus {
		if _, dup := registry[b.Name]; !dup {
			registry[b.Name] = b
		}
	}
	regionSlugs := make(map[string]string, len(c.Regions))
	for _, r := range c.Regions {
		regionSlugs[r.Name] = r.Slug
	}
	categorySlugs := make(map[string]string, len(c.Categories))
	for _, cat := range c.Categories {
		categorySlugs[cat.Name] = cat.Slug
	}
	type month struct {
		y int
		m time.Month
	}
	monthTerms := map[month][2]string{}

	for _, d := range published {
		b, fm := d.b, d.fm
		bureauSlug, region := "", fm.Region
		if reg, ok := registry[fm.Bureau]; ok {
			bureauSlug, region = reg.Slug, reg.Region
		} else {
			bureauSlug = l.slugs.term(fm.Bureau)
		}
		b.Bureau = bureaus.add(fm.Bureau, bureauSlug, b)
		if region != "" {
			slug := regionSlugs[region]
			if slug == "" {
				slug = l.slugs.region(region)
			}
			b.Region = regions.add(region, slug, b)
		}
		if fm.Category != "" {
			slug, ok := categorySlugs[fm.Category]
			if !ok {
				slug = l.slugs.term(fm.Category)
			}
			b.Category = categories.add(fm.Category, slug, b)
		}
		for _, t := range fm.Tags {
			b.Tags = append(b.Tags, tags.add(t, l.slugs.term(t), b))
		}
		y, m, _ := b.Date.Date()
		name, ok := monthTerms[month{y, m}]
		if !ok {
			name = [2]string{fmt.Sprintf("%d年%d月", y, m), fmt.Sprintf("%04d/%02d", y, m)}
			monthTerms[month{y, m}] = name
		}
		b.Month = months.add(name[0], name[1], b)
	}

	bureaus.finish()
	regions.finish()
	categories.finish()
	// Tags: the most used first, as readers scan a tag cloud; ties by
	// slug, which is pinyin order for Chinese tags.
	tags.finish()
	slices.SortStableFunc(s.Tags.Terms, func(a, b *Term) int {
		return cmp.Or(cmp.Compare(len(b.Bulletins), len(a.Bulletins)), cmp.Compare(a.Slug, b.Slug))
	})
	// Months: newest first.
	months.finish()
	slices.SortFunc(s.Months.Terms, func(a, b *Term) int { return cmp.Compare(b.Slug, a.Slug) })
}

// termSet collects the terms of one taxonomy.
type termSet struct {
	tax    *Taxonomy
	byName map[string]*Term
	bySlug map[string]*Term
}

func newTermSet(t *Taxonomy) *termSet {
	return &termSet{tax: t, byName: map[string]*Term{}, bySlug: map[string]*Term{}}
}

// declare adds a term that exists even before a bulletin names it, so
// that the order of site.yaml is kept.
func (ts *termSet) declare(name, slug string) *Term {
	if t, ok := ts.byName[name]; ok {
		return t
	}
	// Two names can give the same pinyin (市场 and 试唱); the later one
	// is told apart by a hash of its name, which never changes. A name
	// may already be that suffixed slug (tags dibao, dibao-6029 and 低保),
	// so the result is checked again, and numbered if it must be.
	if _, clash := ts.bySlug[slug]; clash {
		base := slug + "-" + shortHash(name)[:4]
		slug = base
		for n := 2; ts.bySlug[slug] != nil; n++ {
			slug = base + "-" + strconv.Itoa(n)
		}
	}
	t := &Term{Kind: ts.tax.Kind, Name: name, Slug: slug, URL: ts.tax.URL + slug + "/"}
	ts.byName[name], ts.bySlug[slug] = t, t
	ts.tax.Terms = append(ts.tax.Terms, t)
	return t
}

func (ts *termSet) add(name, slug string, b *Bulletin) *Term {
	t := ts.declare(name, slug)
	t.Bulletins = append(t.Bulletins, b)
	return t
}

// finish drops declared terms that no published bulletin uses: an empty
// column is one of the things site inspections fail a site for.
func (ts *termSet) finish() {
	ts.tax.Terms = slices.DeleteFunc(ts.tax.Terms, func(t *Term) bool { return len(t.Bulletins) == 0 })
}
