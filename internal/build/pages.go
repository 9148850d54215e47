package build

import (
	"bytes"
	"context"
	"fmt"
	"path"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"

	"bulletin/internal/feed"
	"bulletin/internal/pager"
	"bulletin/internal/parallel"
	"bulletin/internal/site"
)

// pages renders every HTML page: bulletins, listings, taxonomy indexes,
// the home page and 404.html. Pages are listed first as jobs (cheap) and
// rendered afterwards in parallel, those that did not change since the
// last build left out.
func (w *writer) pages(ctx context.Context, s *site.Site, sections []Section, f *fingerprinter, epoch uint64, progress func(done, total int)) error {
	set := newPageSet(s, sections)
	jobs := set.jobs()

	w.pageFiles = make(map[string]bool, len(jobs))
	for _, j := range jobs {
		w.pageFiles[j.file] = true
	}
	var gone []string
	if w.inPlace {
		for p := range w.lastPages {
			if !w.pageFiles[p] {
				gone = append(gone, p)
			}
		}
		slices.Sort(gone)
		for _, p := range gone {
			if err := w.remove(p); err != nil {
				return err
			}
		}
	}

	// Fingerprinting every page is most of an incremental build's work
	// when few pages change: spread it over the cores.
	write := make([]bool, len(jobs))
	fps := make([]*fingerprinter, runtime.GOMAXPROCS(0))
	err := parallel.For(ctx, len(fps), len(jobs), func(k, j int) error {
		if fps[k] == nil {
			fps[k] = &fingerprinter{keys: f.keys}
		}
		write[j] = w.keep(jobs[j].file, fps[k].page(epoch, set.page(jobs[j]), jobs[j].file))
		return nil
	})
	if err != nil {
		return err
	}
	// The pages an editor is likely looking at go first, so that an
	// incremental build can have them reloaded before it renders the
	// deep pages of long listings.
	var first, rest []pageJob
	for j, job := range jobs {
		switch {
		case !write[j]:
		case job.list == nil || job.n == 1:
			first = append(first, job)
		default:
			rest = append(rest, job)
		}
	}
	jobs, write = nil, nil
	var done atomic.Int64
	total := len(first) + len(rest)
	tick := func() {
		if progress != nil {
			progress(int(done.Add(1)), total)
		}
	}
	render := func(buf *bytes.Buffer, job pageJob) error {
		p, err := withBody(ctx, s, set.page(job))
		if err != nil {
			return err
		}
		if err := w.execute(buf, p); err != nil {
			return err
		}
		return w.put(job.file, buf.Bytes())
	}
	if err := forEach(ctx, first, tick, render); err != nil {
		return err
	}
	if w.inPlace && w.early != nil {
		paths := gone
		for _, job := range first {
			paths = append(paths, job.file)
		}
		w.early(paths)
		// The editor's browser is reloading those pages now: leave it a
		// core while the deep pages render.
		return forEachOn(ctx, runtime.GOMAXPROCS(0)-1, rest, tick, render)
	}
	return forEach(ctx, rest, tick, render)
}

// pageSet makes the Pages of a build from small jobs, each when it is
// fingerprinted and again when it is rendered: made all at once, with
// their pagers, the pages of a large site were a fifth of what a build
// held.
type pageSet struct {
	s         *site.Site
	sections  []Section
	siteFeeds []FeedLink
	// lists are the pages other than bulletins', each with the
	// bulletins it pages through.
	lists []*listing
}

// listing is a page that is not a bulletin's: when paged, the first page
// of a listing, the template of all of them.
type listing struct {
	first *Page
	items []*site.Bulletin
	paged bool
	per   int
}

// pageJob is one page to write: page n of list, counted from 1, or,
// when list is nil, the page of the n-th bulletin of the site, counted
// from 0.
type pageJob struct {
	list *listing
	n    int
	// file is where the page goes (pageFile): one string, shared by the
	// build's record of its files and of its pages.
	file string
}

func newPageSet(s *site.Site, sections []Section) *pageSet {
	set := &pageSet{s: s, sections: sections, siteFeeds: FeedLinks(s, nil)}
	add := func(p *Page, items []*site.Bulletin, paged bool) {
		p.Sections = sections
		set.lists = append(set.lists, &listing{first: p, items: items, paged: paged, per: s.Config.Paginate})
	}
	// The pages that are not a bulletin or a listing have no title,
	// column or description in the site's data: their templates word them.
	add(&Page{Site: s, Kind: "home", URL: "/", Feeds: set.siteFeeds}, s.Bulletins, true)
	for _, tax := range s.Taxonomies() {
		add(&Page{Site: s, Kind: "terms", Title: tax.Title, Column: tax.Title, URL: tax.URL,
			Taxonomy: tax, Feeds: set.siteFeeds}, nil, false)
		for _, t := range tax.Terms {
			add(&Page{Site: s, Kind: "list", Title: t.Name, Column: tax.Title, URL: t.URL,
				Taxonomy: tax, Term: t, Feeds: FeedLinks(s, t)}, t.Bulletins, true)
		}
	}
	add(&Page{Site: s, Kind: "subscribe", URL: SubscribeURL, Feeds: set.siteFeeds, Data: subscriptions(s, sections)}, nil, false)
	add(&Page{Site: s, Kind: "notfound", URL: "/404.html", Feeds: set.siteFeeds}, nil, false)
	return set
}

// jobs lists every page: the bulletins', then the listings' in order.
func (set *pageSet) jobs() []pageJob {
	var jobs []pageJob
	for i, b := range set.s.Bulletins {
		jobs = append(jobs, pageJob{n: i, file: urlFile(b.URL)})
	}
	for _, l := range set.lists {
		if !l.paged {
			jobs = append(jobs, pageJob{list: l, n: 1, file: pageFile(l.first)})
			continue
		}
		for n := 1; n <= l.pages(); n++ {
			jobs = append(jobs, pageJob{list: l, n: n, file: urlFile(l.url(n))})
		}
	}
	return jobs
}

// page makes the Page of job.
func (set *pageSet) page(job pageJob) *Page {
	if job.list == nil {
		return set.bulletin(job.n)
	}
	if !job.list.paged {
		return job.list.first
	}
	return job.list.page(job.n)
}

// bulletin is the page of the i-th bulletin of the site.
func (set *pageSet) bulletin(i int) *Page {
	s := set.s
	b := s.Bulletins[i]
	p := &Page{Site: s, Kind: "bulletin", Title: b.Title, URL: b.URL, Bulletin: b,
		Description: b.Summary, Keywords: keywords(b), Feeds: set.siteFeeds, Sections: set.sections}
	if b.Category != nil {
		p.Column = b.Category.Name
	} else {
		p.Column = b.Bureau.Name
	}
	if i+1 < len(s.Bulletins) {
		p.Prev = s.Bulletins[i+1]
	}
	if i > 0 {
		p.Next = s.Bulletins[i-1]
	}
	return p
}

// pages is how many pages the listing has: one at least.
func (l *listing) pages() int {
	return max(1, (len(l.items)+l.per-1)/l.per)
}

// url is the URL of page n of the listing: the first at the listing's URL,
// the rest at URL/page/N/.
func (l *listing) url(n int) string {
	if n == 1 {
		return l.first.URL
	}
	return fmt.Sprintf("%spage/%d/", l.first.URL, n)
}

// page is page n of the listing, counted from 1.
func (l *listing) page(n int) *Page {
	p := *l.first
	p.URL = l.url(n)
	p.Items = l.items[min((n-1)*l.per, len(l.items)):min(n*l.per, len(l.items))]
	p.Pager = pager.New(n, l.pages(), l.url)
	return &p
}

// withBody returns the page of a bulletin with the bulletin's body, which a
// lean site does not hold, rendered for it: a copy, dropped once the page
// is written, so that the site's memory never holds every body.
func withBody(ctx context.Context, s *site.Site, p *Page) (*Page, error) {
	if p.Bulletin == nil || !s.Lean() {
		return p, nil
	}
	c, err := s.Content(ctx, p.Bulletin)
	if err != nil {
		return nil, err
	}
	b := *p.Bulletin
	b.Body, b.Text = c.Body, c.Text
	q := *p
	q.Bulletin = &b
	return &q, nil
}

// pageFile is where a page is written: URL/index.html, or the URL itself
// when it names a file (/404.html).
func pageFile(p *Page) string {
	return urlFile(p.URL)
}

// urlFile is the file of the page at url (see pageFile).
func urlFile(url string) string {
	if strings.HasSuffix(url, "/") {
		return url + "index.html"
	}
	return url
}

// feeds writes the feeds that changed since the last build.
func (w *writer) feeds(ctx context.Context, s *site.Site, f *fingerprinter, epoch uint64) error {
	var changed []feed.Channel
	for _, c := range feed.Channels(s) {
		fp := f.channel(epoch, c)
		write := false
		for _, name := range c.Files() {
			write = w.keep(name, fp) || write
		}
		if write {
			changed = append(changed, c)
		}
	}
	return feed.Write(ctx, s, changed, w.put)
}

// FeedLinks lists the feeds a page advertises, for autodiscovery and the
// 订阅 link: the listing's own when term has feeds (a month has none), then
// the site's. term may be nil. Pages made outside this file, by
// publishers or per request, call it too, so that every page links the
// site's feeds.
func FeedLinks(s *site.Site, term *site.Term) []FeedLink {
	links := feed.Links(s, term)
	out := make([]FeedLink, len(links))
	for i, l := range links {
		out[i] = FeedLink{Title: l.Title, Type: l.Type, URL: l.URL, Page: SubscribeURL + "#" + feedAnchor(path.Dir(l.URL))}
	}
	return out
}

// SubscribeURL is the page that lists every feed of the site.
const SubscribeURL = "/subscribe/"

// SectionFeed is a feed of a Section (typ is its media type, such as
// application/rss+xml), with its entry on the subscribe page, for the
// Section's Feeds and its page's.
func SectionFeed(title, typ, url string) FeedLink {
	return FeedLink{Title: title, Type: typ, URL: url, Page: SubscribeURL + "#" + feedAnchor(path.Dir(url))}
}

// feedAnchor is the id of a listing's entry on the subscribe page, made
// from the folder of its feeds: /bureaus/qinghai -> feed-bureaus-qinghai.
func feedAnchor(dir string) string {
	dir = strings.Trim(dir, "/")
	if dir == "" {
		return "feed-site"
	}
	return "feed-" + strings.ReplaceAll(dir, "/", "-")
}

// subscriptions lists the feeds of s for the subscribe page: the site's
// and its sections', then each listing's that has feeds.
func subscriptions(s *site.Site, sections []Section) *Subscriptions {
	siteFeeds := FeedLinks(s, nil)
	subs := &Subscriptions{Groups: []SubscriptionGroup{{Channels: []Subscription{{
		ID: feedAnchor("/"), Name: s.Config.Title, URL: "/", Count: len(s.Bulletins), Feeds: siteFeeds}}}}}
	for _, sec := range sections {
		if len(sec.Feeds) > 0 {
			subs.Groups[0].Channels = append(subs.Groups[0].Channels, Subscription{ID: feedAnchor(sec.URL), Name: sec.Title,
				URL: sec.URL, Count: sec.Count, Feeds: sec.Feeds})
		}
	}
	for _, tax := range s.Taxonomies() {
		var g SubscriptionGroup
		for _, t := range tax.Terms {
			links := FeedLinks(s, t)
			if len(links) == len(siteFeeds) {
				break // the listings of this taxonomy have no feeds of their own
			}
			g.Channels = append(g.Channels, Subscription{ID: feedAnchor(t.URL), Name: t.Name, URL: t.URL,
				Count: len(t.Bulletins), Feeds: links[:len(links)-len(siteFeeds)]})
		}
		if len(g.Channels) > 0 {
			g.Title = tax.Title
			subs.Groups = append(subs.Groups, g)
		}
	}
	return subs
}

// paginate splits a listing into pages: the first at the listing's URL,
// the rest at URL/page/N/.
func paginate(first *Page, items []*site.Bulletin, per int) []*Page {
	l := &listing{first: first, items: items, paged: true, per: per}
	pages := make([]*Page, l.pages())
	for n := range pages {
		pages[n] = l.page(n + 1)
	}
	return pages
}

func keywords(b *site.Bulletin) string {
	names := make([]string, 0, len(b.Tags)+1)
	if b.Category != nil {
		names = append(names, b.Category.Name)
	}
	for _, t := range b.Tags {
		names = append(names, t.Name)
	}
	return strings.Join(names, ",")
}
