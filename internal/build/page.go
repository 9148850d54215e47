package build

import (
	"html/template"
	"strings"
	"time"

	"bulletin/internal/pager"
	"bulletin/internal/site"
	"bulletin/internal/wordbreak"
)

// Page is what every template receives. One type for all kinds keeps the
// theme's contract in one place; fields that do not apply are zero.
type Page struct {
	Site *site.Site

	// Kind selects the template: home, bulletin, list, terms, subscribe or
	// notfound.
	Kind string
	// Title is this page's own title, without the site's name.
	Title string
	// Column is the column (栏目) the page belongs to, for the ColumnName
	// meta tag and the breadcrumb, e.g. 来源单位.
	Column string
	// URL is the page's site-relative URL, e.g. /bureaus/qinghai/page/2/.
	URL string
	// Description and Keywords feed the meta tags of the same names.
	Description string
	Keywords    string
	// Title, Column and Description come from the site's data (a
	// bulletin, a taxonomy, a term). Where the data has no words for
	// them, on the home, subscribe, 404 and search pages and in list and
	// terms pages' descriptions, they are empty, and the kind's template
	// words them by defining the templates "title", "column" and
	// "description" (see base.html), so that all the text a reader reads
	// is the theme's.

	// Bulletin is the bulletin shown by a bulletin page, with its
	// neighbours in time: Prev is the older one, Next the newer one.
	Bulletin   *site.Bulletin
	Prev, Next *site.Bulletin

	// Taxonomy and Term say which listing a list or terms page shows.
	Taxonomy *site.Taxonomy
	Term     *site.Term

	// Items are the bulletins on this page of a listing.
	Items []*site.Bulletin
	Pager *pager.Pager

	// Feeds are this page's feed links for autodiscovery and the 订阅 link.
	Feeds []FeedLink

	// Sections are the parts of the site that publishers write, such as
	// the digest archive, for the navigation and the home page; the same
	// on every page of a build.
	Sections []Section

	// Data carries what a page added by a Publisher shows, for its own
	// template.
	Data any
}

// Section is a part of the site that a Publisher writes, such as the
// digest archive at /digests/ (see Config.Sections). The site's own pages
// link it as they link the listings: in the navigation, on the home page,
// in the sitemap and, with its feeds, on the subscribe page.
type Section struct {
	Title string // 民政工作简报
	URL   string // its page, /digests/
	Count int    // its entries, such as issues
	// Entries are the pages of its entries, newest first, for the home
	// page and the sitemap.
	Entries []SectionEntry
	// Feeds are its own feeds (see SectionFeed).
	Feeds []FeedLink
}

// SectionEntry is one page of a Section, such as an issue of the digest.
type SectionEntry struct {
	Title string // 2025年第1期（总第1期）
	URL   string // /digests/2025-001/
	Date  time.Time
}

// FeedLink is one feed that a page advertises.
type FeedLink struct {
	Title string // e.g. 青海省民政厅 RSS
	Type  string // MIME type
	URL   string // site-relative
	// Page is the feed's entry on the subscribe page
	// (/subscribe/#feed-bureaus-qinghai), where a reader learns how to
	// subscribe; "" for a feed not listed there.
	Page string
}

// Subscriptions is what the subscribe page (/subscribe/) shows: every
// feed of the site, grouped by listing. Browsers are dropping the XSLT
// that made a feed readable on its own, so the 订阅 links of pages lead
// here rather than to the raw feed.
type Subscriptions struct {
	Groups []SubscriptionGroup
}

// SubscriptionGroup is the feeds of one taxonomy, or the site's own.
type SubscriptionGroup struct {
	Title    string // 来源单位; "" for the site's own feeds
	Channels []Subscription
}

// Subscription is one listing's feeds in their three formats.
type Subscription struct {
	ID    string // the anchor on the subscribe page, e.g. feed-bureaus-qinghai
	Name  string // 青海省民政厅
	URL   string // the listing's page
	Count int    // bulletins in the listing
	Feeds []FeedLink
}

// templateFuncs are the helpers templates may call. They close over the
// site's settings, so a theme never needs to know where the site is mounted.
func templateFuncs(cfg *site.Config) template.FuncMap {
	base := cfg.Base
	loc := cfg.Location
	if loc == nil {
		loc = time.UTC
	}
	words := wordbreak.New(cfg.Names()...)
	return template.FuncMap{
		// headline is a title escaped with <wbr> between its words, so
		// that under word-break: keep-all it breaks only between them.
		"headline": words.HTML,
		// url turns a site-relative URL (/bulletins/a/) into the path to
		// use in a link, under base_url's path.
		"url": base.Rel,
		// abs makes a site-relative URL absolute under base_url.
		"abs": base.Abs,
		// host is base_url's host name, for the SiteDomain meta tag.
		"host": base.Host,
		// date formats a time as 2024年1月5日 in the site's zone.
		"date": func(t time.Time) string { return t.In(loc).Format("2006年1月2日") },
		// dateShort is 2024-01-05, for dense listings.
		"dateShort": func(t time.Time) string { return t.In(loc).Format(time.DateOnly) },
		// datetime is 2024-01-05 09:30, as government pages show 发布时间;
		// a bulletin dated without a time shows only its date rather than
		// a made-up 00:00.
		"datetime": func(t time.Time) string {
			t = t.In(loc)
			if t.Hour() == 0 && t.Minute() == 0 && t.Second() == 0 {
				return t.Format(time.DateOnly)
			}
			return t.Format("2006-01-02 15:04")
		},
		// iso is RFC 3339, for <time datetime> and meta tags.
		"iso": func(t time.Time) string { return t.In(loc).Format(time.RFC3339) },
		// html marks the bulletin body, sanitised when it was rendered.
		"html": func(s string) template.HTML { return template.HTML(s) },
		// join joins the names of terms: 养老, 助餐.
		"join": func(terms []*site.Term, sep string) string {
			names := make([]string, len(terms))
			for i, t := range terms {
				names[i] = t.Name
			}
			return strings.Join(names, sep)
		},
		"add": func(a, b int) int { return a + b },
		// first is the first n terms, for index boxes: ranging over all
		// of them to stop at n costs a call per term on every page.
		"first": func(n int, terms []*site.Term) []*site.Term { return terms[:min(n, len(terms))] },
	}
}
