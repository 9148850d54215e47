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
// the home page and 404.html. Pages are described first (cheap) and
// rendered afterwards in parallel, those that did not change since the
// last build left out.
func (w *writer) pages(ctx context.Context, s *site.Site, sections []Section, f *fingerprinter, epoch uint64, progress func(done, total int)) error {
	var jobs []*Page
	siteFeeds := FeedLinks(s, nil)
	for i, b := range s.Bulletins {
		p := &Page{Site: s, Kind: "bulletin", Title: b.Title, URL: b.URL, Bulletin: b,
			Description: b.Summary, Keywords: keywords(b), Feeds: siteFeeds}
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
		jobs = append(jobs, p)
	}
	// The pages that are not a bulletin or a listing have no title,
	// column or description in the site's data: their templates word them.
	home := &Page{Site: s, Kind: "home", URL: "/", Feeds: siteFeeds}
	jobs = append(jobs, paginate(home, s.Bulletins, s.Config.Paginate)...)
	for _, tax := range s.Taxonomies() {
		jobs = append(jobs, &Page{Site: s, Kind: "terms", Title: tax.Title, Column: tax.Title, URL: tax.URL,
			Taxonomy: tax, Feeds: siteFeeds})
		for _, t := range tax.Terms {
			list := &Page{Site: s, Kind: "list", Title: t.Name, Column: tax.Title, URL: t.URL,
				Taxonomy: tax, Term: t, Feeds: FeedLinks(s, t)}
			jobs = append(jobs, paginate(list, t.Bulletins, s.Config.Paginate)...)
		}
	}
	jobs = append(jobs, &Page{Site: s, Kind: "subscribe", URL: SubscribeURL, Feeds: siteFeeds, Data: subscriptions(s, sections)})
	jobs = append(jobs, &Page{Site: s, Kind: "notfound", URL: "/404.html", Feeds: siteFeeds})
	// Every page links the sections; the epoch covers them.
	for _, p := range jobs {
		p.Sections = sections
	}

	w.pageFiles = make(map[string]bool, len(jobs))
	for _, p := range jobs {
		w.pageFiles[pageFile(p)] = true
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
		file := pageFile(jobs[j])
		write[j] = w.keep(file, fps[k].page(epoch, jobs[j], file))
		return nil
	})
	if err != nil {
		return err
	}
	// The pages an editor is likely looking at go first, so that an
	// incremental build can have them reloaded before it renders the
	// deep pages of long listings.
	var first, rest []*Page
	for j, p := range jobs {
		switch {
		case !write[j]:
		case p.Pager == nil || p.Pager.Number == 1:
			first = append(first, p)
		default:
			rest = append(rest, p)
		}
	}
	var done atomic.Int64
	total := len(first) + len(rest)
	tick := func() {
		if progress != nil {
			progress(int(done.Add(1)), total)
		}
	}
	render := func(buf *bytes.Buffer, p *Page) error {
		p, err := withBody(ctx, s, p)
		if err != nil {
			return err
		}
		if err := w.execute(buf, p); err != nil {
			return err
		}
		return w.put(pageFile(p), buf.Bytes())
	}
	if err := forEach(ctx, first, tick, render); err != nil {
		return err
	}
	if w.inPlace && w.early != nil {
		paths := gone
		for _, p := range first {
			paths = append(paths, pageFile(p))
		}
		w.early(paths)
		// The editor's browser is reloading those pages now: leave it a
		// core while the deep pages render.
		return forEachOn(ctx, runtime.GOMAXPROCS(0)-1, rest, tick, render)
	}
	return forEach(ctx, rest, tick, render)
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
	if strings.HasSuffix(p.URL, "/") {
		return p.URL + "index.html"
	}
	return p.URL
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
	total := max(1, (len(items)+per-1)/per)
	url := func(n int) string {
		if n == 1 {
			return first.URL
		}
		return fmt.Sprintf("%spage/%d/", first.URL, n)
	}
	pages := make([]*Page, total)
	for n := 1; n <= total; n++ {
		p := *first
		p.URL = url(n)
		p.Items = items[min((n-1)*per, len(items)):min(n*per, len(items))]
		p.Pager = pager.New(n, total, url)
		pages[n-1] = &p
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
