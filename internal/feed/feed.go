// Package feed writes a site's news feeds: RSS 2.0 (feed.xml), Atom 1.0
// (atom.xml) and JSON Feed 1.1 (feed.json), once for the whole site and
// once for every bureau, region, category and tag listing, beside that
// listing's page. Month archives have none: a reader who wants a month
// wants the site. RSS writes the feed of something other than bulletins
// (the digest archive's issues) with the same promises.
//
// What the package promises:
//
//   - Items are newest first, at most feeds.limit of them site-wide and
//     feeds.listing_limit per listing.
//   - Item ids never change once a bulletin is published: each is a tag
//     URI (RFC 4151) made of base_url's host, the bulletin's date and its
//     site-relative URL, tag:news.example.org,2024-01-12:/bulletins/relief/.
//     Nothing else goes in, so a rebuild, a new bulletin, another theme or
//     a bulletin moving between listings leaves every id as it was. Only
//     what changes the bulletin's URL anyway (its slug) or its date
//     changes the id.
//   - A feed's own updated time is its newest item's, never the build's,
//     so rebuilding an unchanged site writes the same bytes.
//   - Items carry the full body (feeds.content: full, the default) with
//     every link and image made absolute, or only the summary
//     (feeds.content: summary).
//   - Characters XML forbids never reach a feed.
//   - RSS and Atom name an XSLT stylesheet, /assets/feed.xsl, so that a
//     browser shows a page explaining how to subscribe, while feed readers
//     ignore it.
package feed

import (
	"bytes"
	"context"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"runtime"
	"strings"
	"time"

	"github.com/gorilla/feeds"

	"bulletin/internal/diag"
	"bulletin/internal/parallel"
	"bulletin/internal/site"
)

// The three formats, by file name.
const (
	RSSFile  = "feed.xml"
	AtomFile = "atom.xml"
	JSONFile = "feed.json"
)

// MIME types of the three formats.
const (
	RSSType  = "application/rss+xml"
	AtomType = "application/atom+xml"
	JSONType = "application/feed+json"
)

// Defaults for a config that gives no limits (site.Load always fills them).
const (
	defaultLimit        = 50
	defaultListingLimit = 20
)

// Link is a feed a page advertises.
type Link struct {
	Title string // e.g. 青海省民政厅 RSS
	Type  string // MIME type
	URL   string // site-relative, e.g. /bureaus/qinghai/feed.xml
}

// Links lists the feeds a page showing term advertises: term's own when it
// has feeds, then the site's. term may be nil.
func Links(s *site.Site, term *site.Term) []Link {
	out := make([]Link, 0, 6)
	if term != nil && hasFeeds(s, term) {
		out = appendLinks(out, term.Name, term.URL)
	}
	return appendLinks(out, s.Config.Title, "/")
}

func appendLinks(out []Link, name, dir string) []Link {
	return append(out,
		Link{Title: name + " RSS", Type: RSSType, URL: dir + RSSFile},
		Link{Title: name + " Atom", Type: AtomType, URL: dir + AtomFile},
		Link{Title: name + " JSON Feed", Type: JSONType, URL: dir + JSONFile},
	)
}

// listings are the taxonomies whose terms have feeds.
func listings(s *site.Site) []*site.Taxonomy {
	return []*site.Taxonomy{s.Bureaus, s.Regions, s.Categories, s.Tags}
}

func hasFeeds(s *site.Site, term *site.Term) bool {
	for _, tax := range listings(s) {
		if tax != nil && tax.Kind == term.Kind {
			return true
		}
	}
	return false
}

// Channel is one feed, written in all three formats.
type Channel struct {
	Dir         string // site-relative folder, e.g. /tags/dibao/
	Title       string
	Description string
	Items       []*site.Bulletin // newest first
	// Query, for a feed made per request (a search's), follows its
	// files' names in its self links, and Page is the page it is the
	// feed of; a listing's feed is Dir's files, of Dir's page.
	Query, Page string
}

// self is the absolute address of c's file.
func (r *renderer) self(c Channel, file string) string {
	u := r.abs(c.Dir + file)
	if c.Query != "" {
		u += "?" + c.Query
	}
	return u
}

// page is the absolute address of the page c is the feed of.
func (r *renderer) page(c Channel) string {
	if c.Page != "" {
		return r.abs(c.Page)
	}
	return r.abs(c.Dir)
}

// Files are the site-relative paths of c's three files.
func (c Channel) Files() [3]string {
	return [3]string{c.Dir + RSSFile, c.Dir + AtomFile, c.Dir + JSONFile}
}

// Channels lists every feed of s: the site's, then each listing's.
func Channels(s *site.Site) []Channel {
	limit, listingLimit := s.Config.Feeds.Limit, s.Config.Feeds.ListingLimit
	if limit <= 0 {
		limit = defaultLimit
	}
	if listingLimit <= 0 {
		listingLimit = defaultListingLimit
	}
	title := s.Config.Title
	chans := []Channel{{Dir: "/", Title: title, Description: title + "：最新发布的信息",
		Items: s.Bulletins[:min(limit, len(s.Bulletins))]}}
	for _, tax := range listings(s) {
		if tax == nil {
			continue
		}
		for _, t := range tax.Terms {
			chans = append(chans, Channel{Dir: t.URL, Title: t.Name + " - " + title,
				Description: fmt.Sprintf("%s：%s“%s”最新发布的信息", title, tax.Title, t.Name),
				Items:       t.Bulletins[:min(listingLimit, len(t.Bulletins))]})
		}
	}
	return chans
}

// Write renders the feeds chans of s (all of them: Channels(s), or those
// that changed) and hands each file to write with its site-relative path
// (/feed.xml, /bureaus/qinghai/atom.xml, ...). write is called from several
// goroutines at once.
func Write(ctx context.Context, s *site.Site, chans []Channel, write func(path string, data []byte) error) error {
	r, err := newRenderer(s.Config)
	if err != nil {
		return err
	}

	// Channels go a batch at a time: with full content an entry holds
	// its bulletin's body, which a lean site renders again for it, and a
	// large site's feeds name tens of thousands of bulletins.
	for start := 0; start < len(chans); start += channelBatch {
		if err := r.write(ctx, s, chans[start:min(start+channelBatch, len(chans))], write); err != nil {
			return err
		}
	}
	return nil
}

// channelBatch is how many feeds Write renders at once: a few hundred
// entries in memory at most.
const channelBatch = 64

func (r *renderer) write(ctx context.Context, s *site.Site, chans []Channel, write func(path string, data []byte) error) error {
	// A bulletin is in several feeds (the site's, its bureau's, region's,
	// category's, tags'): prepare each once, rewriting its links, then let
	// every feed of the batch share the result, read-only.
	var unique []*site.Bulletin
	index := map[*site.Bulletin]int{}
	for _, c := range chans {
		for _, b := range c.Items {
			if _, ok := index[b]; !ok {
				index[b] = len(unique)
				unique = append(unique, b)
			}
		}
	}
	workers := runtime.GOMAXPROCS(0)
	entries := make([]entry, len(unique))
	err := parallel.For(ctx, workers, len(unique), func(_, i int) error {
		var body string
		if r.full {
			c, err := s.Content(ctx, unique[i])
			if err != nil {
				return err
			}
			body = c.Body
		}
		entries[i] = r.entry(unique[i], body)
		return nil
	})
	if err != nil {
		return err
	}

	// A buffer per worker, reused for every file it renders.
	bufs := make([]*bytes.Buffer, workers)
	return parallel.For(ctx, workers, len(chans), func(w, i int) error {
		if bufs[w] == nil {
			bufs[w] = new(bytes.Buffer)
		}
		buf := bufs[w]
		c := chans[i]
		es := make([]*entry, len(c.Items))
		for j, b := range c.Items {
			es[j] = &entries[index[b]]
		}
		for _, f := range []struct {
			name   string
			render func(*bytes.Buffer, Channel, []*entry) error
		}{{RSSFile, r.rss}, {AtomFile, r.atom}, {JSONFile, r.json}} {
			buf.Reset()
			if err := f.render(buf, c, es); err != nil {
				return diag.Errorf("feed %s%s: %w", c.Dir, f.name, err)
			}
			if err := write(c.Dir+f.name, buf.Bytes()); err != nil {
				return err
			}
		}
		return nil
	})
}

// renderer holds what every feed of a site shares.
type renderer struct {
	base site.Base
	loc  *time.Location
	lang string
	full bool   // full content rather than summaries
	xsl  string // the stylesheet's path under base_url's path
}

func newRenderer(cfg *site.Config) (*renderer, error) {
	if cfg.Base.IsZero() {
		return nil, diag.Errorf("feeds need an absolute base_url")
	}
	r := &renderer{base: cfg.Base, loc: cfg.Location, lang: cfg.Language, full: cfg.Feeds.Content != "summary"}
	if r.loc == nil {
		r.loc = time.UTC
	}
	// The stylesheet is named by path, not by absolute URL: browsers apply
	// XSLT only from the feed's own origin, which is not base_url's when
	// the site is previewed with bulletin serve.
	r.xsl = r.base.Rel("/assets/feed.xsl")
	return r, nil
}

// abs makes a site-relative URL (/bulletins/a/) absolute under base_url.
func (r *renderer) abs(u string) string { return r.base.Abs(u) }

// entry is one bulletin prepared for every feed it appears in. Strings are
// already stripped of characters XML forbids.
type entry struct {
	item    feeds.Item
	summary string   // plain text, for JSON Feed
	terms   []string // the category, then the tags
}

// entry prepares b for the feeds; body is its rendered body, for feeds of
// full content.
func (r *renderer) entry(b *site.Bulletin, body string) entry {
	link := r.abs(b.URL)
	summary := xmlText(b.Summary)
	e := entry{
		item: feeds.Item{
			Title:  xmlText(b.Title),
			Link:   &feeds.Link{Href: link},
			Author: &feeds.Author{Name: xmlText(b.Bureau.Name)},
			// RSS and Atom read the description as HTML.
			Description: escapeHTML(summary),
			Id:          r.id(b),
			// A tag URI is not a link a reader could follow.
			IsPermaLink: "false",
			Created:     b.Date.In(r.loc),
			Updated:     b.Updated.In(r.loc),
		},
		summary: summary,
	}
	if e.item.Updated.IsZero() {
		e.item.Updated = e.item.Created
	}
	if r.full {
		e.item.Content = xmlText(absolutize(body, link, r.base.String()))
	}
	if b.Category != nil {
		e.terms = append(e.terms, xmlText(b.Category.Name))
	}
	for _, t := range b.Tags {
		e.terms = append(e.terms, xmlText(t.Name))
	}
	return e
}

// Item is an entry of a feed made from something other than the site's
// bulletins: the digest archive's issues, or a search's results.
type Item struct {
	Title   string
	URL     string    // site-relative, e.g. /digests/2024-003/
	Date    time.Time // when it was published; its day is part of the id
	Updated time.Time // when it last changed; Date when zero
	Summary string    // plain text
	// Content is HTML, with links site-relative or absolute. Unlike a
	// bulletin's body it is written even with feeds.content: summary,
	// since it is what the item is (an issue's table of contents).
	Content string
	Author  string   // the bureau, when there is one
	Terms   []string // the category, then the tags
}

// RSS renders the RSS 2.0 feed of items (newest first) published at
// dir+RSSFile, the way the bulletins' feeds are written: with the
// stylesheet, a self link, tag URIs for ids and nothing XML forbids.
func RSS(cfg *site.Config, dir, title, description string, items []Item) ([]byte, error) {
	return Render(cfg, RSSFile, Channel{Dir: dir, Title: title, Description: description}, items)
}

// Render renders items (newest first) as c in the format of file (RSSFile,
// AtomFile or JSONFile), the way the bulletins' feeds are written: ids
// are tag URIs of each item's date and URL, so an item keeps its id in
// every feed it appears in, the site's included. c's Items are ignored.
func Render(cfg *site.Config, file string, c Channel, items []Item) ([]byte, error) {
	r, err := newRenderer(cfg)
	if err != nil {
		return nil, err
	}
	es := make([]*entry, len(items))
	for i, it := range items {
		link := r.abs(it.URL)
		summary := xmlText(it.Summary)
		date := it.Date.In(r.loc)
		updated := it.Updated.In(r.loc)
		if it.Updated.IsZero() {
			updated = date
		}
		es[i] = &entry{item: feeds.Item{
			Title:       xmlText(it.Title),
			Link:        &feeds.Link{Href: link},
			Description: escapeHTML(summary),
			Id:          r.base.TagURI(date, it.URL),
			IsPermaLink: "false",
			Created:     date,
			Updated:     updated,
			Content:     xmlText(absolutize(it.Content, link, r.base.String())),
		}, summary: summary}
		if it.Author != "" {
			es[i].item.Author = &feeds.Author{Name: xmlText(it.Author)}
		}
		for _, t := range it.Terms {
			es[i].terms = append(es[i].terms, xmlText(t))
		}
	}
	var buf bytes.Buffer
	render := map[string]func(*bytes.Buffer, Channel, []*entry) error{RSSFile: r.rss, AtomFile: r.atom, JSONFile: r.json}[file]
	if render == nil {
		return nil, diag.Errorf("no feed format for %q", file)
	}
	if err := render(&buf, c, es); err != nil {
		return nil, diag.Errorf("feed %s%s: %w", c.Dir, file, err)
	}
	return buf.Bytes(), nil
}

// escapeHTML escapes text for HTML where only text can appear: quotes
// stay as they are, which readers and the golden files both prefer.
func escapeHTML(s string) string {
	if !strings.ContainsAny(s, "&<>") {
		return s
	}
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;").Replace(s)
}

// id is the bulletin's tag URI; see the package documentation for why it
// holds exactly these parts.
func (r *renderer) id(b *site.Bulletin) string {
	return r.base.TagURI(b.Date.In(r.loc), b.URL)
}

// feed is the gorilla/feeds model of c, from which each format starts.
func (r *renderer) feed(c Channel, es []*entry) *feeds.Feed {
	f := &feeds.Feed{
		Title:       xmlText(c.Title),
		Link:        &feeds.Link{Href: r.page(c), Rel: "alternate", Type: "text/html"},
		Description: xmlText(c.Description),
		Items:       make([]*feeds.Item, len(es)),
	}
	for i, e := range es {
		f.Items[i] = &e.item
		// The newest change, not the newest bulletin: an older bulletin
		// may have been updated since.
		if e.item.Updated.After(f.Updated) {
			f.Updated = e.item.Updated
		}
	}
	return f
}

// xmlHead starts an XML feed: the declaration, then the stylesheet for
// browsers, which gorilla/feeds cannot emit.
func (r *renderer) xmlHead(buf *bytes.Buffer) {
	buf.WriteString(xml.Header)
	buf.WriteString(`<?xml-stylesheet type="text/xsl" href="`)
	xml.EscapeText(buf, []byte(r.xsl))
	buf.WriteString("\"?>\n")
}

func encodeXML(buf *bytes.Buffer, v any) error {
	enc := xml.NewEncoder(buf)
	enc.Indent("", "  ")
	if err := enc.Encode(v); err != nil {
		return err
	}
	buf.WriteByte('\n')
	return nil
}

// RSS 2.0. gorilla/feeds gives one category per item and no self link, so
// its channel and items are wrapped to add them.
type rssDoc struct {
	XMLName   xml.Name   `xml:"rss"`
	Version   string     `xml:"version,attr"`
	ContentNS string     `xml:"xmlns:content,attr"`
	AtomNS    string     `xml:"xmlns:atom,attr"`
	Channel   rssChannel `xml:"channel"`
}

type rssChannel struct {
	*feeds.RssFeed
	Self  rssSelf   `xml:"atom:link"`
	Items []rssItem `xml:"item"`
}

// rssSelf is the feed's own address, which RSS lacks; the stylesheet
// shows it as the address to subscribe to.
type rssSelf struct {
	Href string `xml:"href,attr"`
	Rel  string `xml:"rel,attr"`
	Type string `xml:"type,attr"`
}

type rssItem struct {
	*feeds.RssItem
	Categories []string `xml:"category"`
}

func (r *renderer) rss(buf *bytes.Buffer, c Channel, es []*entry) error {
	ch := (&feeds.Rss{Feed: r.feed(c, es)}).RssFeed()
	ch.Language = r.lang
	doc := rssDoc{
		Version:   "2.0",
		ContentNS: "http://purl.org/rss/1.0/modules/content/",
		AtomNS:    "http://www.w3.org/2005/Atom",
		Channel: rssChannel{RssFeed: ch,
			Self:  rssSelf{Href: r.self(c, RSSFile), Rel: "self", Type: RSSType},
			Items: make([]rssItem, len(ch.Items))},
	}
	for i, it := range ch.Items {
		doc.Channel.Items[i] = rssItem{RssItem: it, Categories: es[i].terms}
	}
	r.xmlHead(buf)
	return encodeXML(buf, doc)
}

// Atom 1.0. gorilla/feeds writes a category as element text where Atom
// wants a term attribute, and gives a feed one link; both are replaced.
type atomFeed struct {
	*feeds.AtomFeed
	Lang    string           `xml:"xml:lang,attr,omitempty"`
	Links   []feeds.AtomLink `xml:"link"`
	Entries []atomEntry      `xml:"entry"`
}

type atomEntry struct {
	*feeds.AtomEntry
	Content    *atomContent
	Categories []atomCategory `xml:"category"`
}

// atomContent carries the body as CDATA, as RSS does: as escaped text
// every tag, quote and line break of it would become an entity.
type atomContent struct {
	XMLName xml.Name `xml:"content"`
	Type    string   `xml:"type,attr"`
	Body    string   `xml:",cdata"`
}

type atomCategory struct {
	Term string `xml:"term,attr"`
}

// zeroUpdated is the updated time of a feed without items, which only a
// site without bulletins has: Atom requires one, and it must not be the
// build's time. It is the zero time.Time.
const zeroUpdated = "0001-01-01T00:00:00Z"

func (r *renderer) atom(buf *bytes.Buffer, c Channel, es []*entry) error {
	f := (&feeds.Atom{Feed: r.feed(c, es)}).AtomFeed()
	if f.Updated == "" {
		f.Updated = zeroUpdated
	}
	doc := atomFeed{AtomFeed: f, Lang: r.lang,
		Links: []feeds.AtomLink{
			{Href: r.page(c), Rel: "alternate", Type: "text/html"},
			{Href: r.self(c, AtomFile), Rel: "self", Type: AtomType},
		},
		Entries: make([]atomEntry, len(f.Entries)),
	}
	for i, e := range f.Entries {
		e.Published = es[i].item.Created.Format(time.RFC3339)
		cats := make([]atomCategory, len(es[i].terms))
		for j, t := range es[i].terms {
			cats[j] = atomCategory{Term: t}
		}
		doc.Entries[i] = atomEntry{AtomEntry: e, Categories: cats}
		if e.Content != nil {
			doc.Entries[i].Content = &atomContent{Type: e.Content.Type, Body: e.Content.Content}
		}
	}
	r.xmlHead(buf)
	return encodeXML(buf, doc)
}

// json writes JSON Feed 1.1. It has no categories, so the category goes
// first among the tags.
func (r *renderer) json(buf *bytes.Buffer, c Channel, es []*entry) error {
	f := (&feeds.JSON{Feed: r.feed(c, es)}).JSONFeed()
	f.Language = r.lang
	f.FeedUrl = r.self(c, JSONFile)
	for i, it := range f.Items {
		e := es[i]
		it.Summary = e.summary
		if it.ContentHTML == "" {
			// JSON Feed requires a content; the summary is all there is.
			it.ContentText = e.summary
		}
		it.Tags = e.terms
	}
	enc := json.NewEncoder(buf)
	enc.SetIndent("", "  ")
	// Bodies are HTML; \u003c for every < only makes them unreadable.
	enc.SetEscapeHTML(false)
	return enc.Encode(f)
}
