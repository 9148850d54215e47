package build

import (
	"bytes"
	"context"
	"fmt"
	"strings"
	"sync/atomic"

	"bulletin/internal/feed"
	"bulletin/internal/site"
)

// pages renders every HTML page: bulletins, listings, taxonomy indexes,
// the home page and 404.html. Pages are described first (cheap) and
// rendered afterwards in parallel.
func (w *writer) pages(ctx context.Context, s *site.Site, progress func(done, total int)) error {
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
	home := &Page{Site: s, Kind: "home", Column: "首页", URL: "/",
		Description: s.Config.Title + "：各地民政部门工作动态", Feeds: siteFeeds}
	jobs = append(jobs, paginate(home, s.Bulletins, s.Config.Paginate)...)
	for _, tax := range s.Taxonomies() {
		jobs = append(jobs, &Page{Site: s, Kind: "terms", Title: tax.Title, Column: tax.Title, URL: tax.URL,
			Taxonomy: tax, Description: s.Config.Title + tax.Title + "索引", Feeds: siteFeeds})
		for _, t := range tax.Terms {
			list := &Page{Site: s, Kind: "list", Title: t.Name, Column: tax.Title, URL: t.URL,
				Taxonomy: tax, Term: t, Description: fmt.Sprintf("%s：%s（共%d条）", tax.Title, t.Name, len(t.Bulletins)),
				Feeds: FeedLinks(s, t)}
			jobs = append(jobs, paginate(list, t.Bulletins, s.Config.Paginate)...)
		}
	}
	notFound := &Page{Site: s, Kind: "notfound", Title: "页面未找到", Column: "页面未找到", URL: "/404.html",
		Feeds: siteFeeds}

	var done atomic.Int64
	tick := func() {
		if progress != nil {
			progress(int(done.Add(1)), len(jobs))
		}
	}
	err := forEach(ctx, jobs, tick, func(buf *bytes.Buffer, p *Page) error {
		return w.render(buf, p, "")
	})
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	return w.render(&buf, notFound, "404.html")
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
		out[i] = FeedLink{Title: l.Title, Type: l.Type, URL: l.URL}
	}
	return out
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
		p.Pager = &Pager{Number: n, Total: total, Pages: pageBar(n, total, url)}
		if n > 1 {
			p.Pager.PrevURL = url(n - 1)
		}
		if n < total {
			p.Pager.NextURL = url(n + 1)
		}
		pages[n-1] = &p
	}
	return pages
}

// pageBar lists the page numbers to show: the first, the last and two on
// each side of the current one, with gaps between.
func pageBar(cur, total int, url func(int) string) []PageLink {
	if total <= 1 {
		return nil
	}
	var out []PageLink
	last := 0
	for n := 1; n <= total; n++ {
		if n != 1 && n != total && (n < cur-2 || n > cur+2) {
			continue
		}
		if last != 0 && n > last+1 {
			out = append(out, PageLink{})
		}
		out = append(out, PageLink{Number: n, URL: url(n), Current: n == cur})
		last = n
	}
	return out
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
