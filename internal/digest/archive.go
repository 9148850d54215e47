package digest

import (
	"cmp"
	"context"
	"html"
	"html/template"
	"io/fs"
	"slices"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/feed"
	"bulletin/internal/site"
)

// Archive is the list of issues published with the site at /digests/,
// for the theme's digests page.
type Archive struct {
	Title   string // the publication's name, 民政工作简报
	URL     string // /digests/
	FeedURL string // /digests/feed.xml
	Count   int
	Years   []ArchiveYear // newest first
}

// ArchiveYear gathers the issues of one year.
type ArchiveYear struct {
	Year   int
	Issues []ArchiveIssue // newest first
}

// ArchiveIssue is one issue in the archive.
type ArchiveIssue struct {
	Label      string // 2024年第3期（总第128期）
	URL        string // /digests/2024-003/
	SignedOff  time.Time
	Supplement bool
	Items      []ArchiveItem
	Missing    int // items whose bulletins are no longer published
}

// ArchiveItem is one item of an issue in the archive.
type ArchiveItem struct {
	Title string
	URL   string // the bulletin's page; "" when it is no longer published
}

// ArchiveConfig is what Publish reads and how it writes.
type ArchiveConfig struct {
	// Sources is the site folder, holding digests/issues/.
	Sources fs.FS
	// Theme holds digest/issue.html and digest/print.css.
	Theme fs.FS
	// Write stores a file at a site-relative path (/digests/feed.xml).
	Write func(p string, data []byte) error
	// Index renders the archive's page, /digests/, with the site's theme.
	Index func(a *Archive) error
	// Footer is the site's footer (主办, ICP, 网站标识码), rendered by the
	// site's theme, for the issues' pages, which must carry it like every
	// page of the site. The printed copy never has it.
	Footer template.HTML
	// Meta, when set, renders the site theme's meta tags (SiteName,
	// SiteIDCode, ColumnName…, which monitoring tools read on every page)
	// for the page of the issue titled title at the site path url.
	Meta func(title, url string) (template.HTML, error)
	// Warn, when set, hears of issues shown without some of their items.
	Warn func(p diag.Problem)
}

// ArchiveURL is where the archive is published.
const ArchiveURL = "/digests/"

// Publish writes the archive of the issues recorded in the site folder:
// each issue's print page at /digests/<name>/, the list at /digests/ and an
// RSS feed of issues at /digests/feed.xml. A site without records gets
// none of them, rather than an empty column. An issue whose bulletin is no
// longer published is shown without that item's text, with a warning: an
// old issue never stops a build. A record that cannot be read does.
func Publish(ctx context.Context, s *site.Site, cfg ArchiveConfig) error {
	records, err := archiveRecords(s, cfg.Sources)
	if err != nil || len(records) == 0 {
		return err
	}
	p, err := newPrinter(cfg.Theme)
	if err != nil {
		return err
	}
	l := links{base: s.Config.Base, web: true}
	web := &webLinks{Home: l.site("/"), Archive: l.site(ArchiveURL), SiteTitle: s.Config.Title, Footer: cfg.Footer}
	var issues []ArchiveIssue
	for _, r := range records {
		if err := ctx.Err(); err != nil {
			return err
		}
		is, err := compile(ctx, s, r)
		if err != nil {
			return err
		}
		ai := archiveIssue(r)
		for _, it := range is.Items {
			item := ArchiveItem{Title: it.Title}
			if !it.Missing() {
				item.URL = it.Bulletin.URL
			}
			ai.Items = append(ai.Items, item)
			if it.Missing() {
				ai.Missing++
				if cfg.Warn != nil {
					cfg.Warn(diag.At(r.Path, 0, diag.Warning, "%s is no longer published; the archive shows %s without its text", it.Source, r.Name()))
				}
			}
		}
		w, err := withMeta(web, cfg.Meta, is.Config.Digest.Title+" "+is.Label(), ai.URL)
		if err != nil {
			return err
		}
		page, _, err := p.html(is, nil, w) // the site's copy leaves out no image
		if err != nil {
			return err
		}
		if err := cfg.Write(ai.URL+"index.html", page); err != nil {
			return err
		}
		issues = append(issues, ai)
	}
	a := newArchive(s, issues)
	rss, err := archiveFeed(s.Config, a, issues)
	if err != nil {
		return err
	}
	if err := cfg.Write(a.FeedURL, rss); err != nil {
		return err
	}
	return cfg.Index(a)
}

// Listing is the archive that Publish writes, for the links to it from
// the site's other pages: its title and URLs and its issues, newest
// first, without their items (Items is nil). It is nil when there is no
// issue to publish.
func Listing(s *site.Site, sources fs.FS) (*Archive, error) {
	records, err := archiveRecords(s, sources)
	if err != nil || len(records) == 0 {
		return nil, err
	}
	issues := make([]ArchiveIssue, len(records))
	for i, r := range records {
		issues[i] = archiveIssue(r)
	}
	return newArchive(s, issues), nil
}

// archiveRecords are the records of the issues the archive publishes,
// those that list bulletins, newest first: by sign-off day, then regular
// issues before the supplements of that day, then by number.
func archiveRecords(s *site.Site, sources fs.FS) ([]*Record, error) {
	records, err := ReadRecords(sources, s.Config.Location)
	if err != nil {
		return nil, err
	}
	records = slices.DeleteFunc(records, func(r *Record) bool { return len(r.Bulletins) == 0 })
	slices.SortFunc(records, func(a, b *Record) int {
		return cmp.Or(b.SignedOff.Compare(a.SignedOff), compareBool(a.Supplement, b.Supplement), cmp.Compare(b.Name(), a.Name()))
	})
	return records, nil
}

// archiveIssue is r in the archive, without its items.
func archiveIssue(r *Record) ArchiveIssue {
	return ArchiveIssue{Label: r.Label(), URL: ArchiveURL + r.Name() + "/", SignedOff: r.SignedOff, Supplement: r.Supplement}
}

// newArchive gathers issues, newest first, by year.
func newArchive(s *site.Site, issues []ArchiveIssue) *Archive {
	a := &Archive{Title: cmp.Or(s.Config.Digest.Title, "工作简报"), URL: ArchiveURL, FeedURL: ArchiveURL + feed.RSSFile, Count: len(issues)}
	for _, ai := range issues {
		if y := ai.SignedOff.Year(); len(a.Years) == 0 || a.Years[len(a.Years)-1].Year != y {
			a.Years = append(a.Years, ArchiveYear{Year: y})
		}
		a.Years[len(a.Years)-1].Issues = append(a.Years[len(a.Years)-1].Issues, ai)
	}
	return a
}

// archiveFeed is the RSS 2.0 feed of the newest issues, written like the
// site's feeds. Ids are tag URIs of the sign-off day and the issue's URL,
// which never change once issued; dates are the sign-off days, never the
// build's.
func archiveFeed(c *site.Config, a *Archive, issues []ArchiveIssue) ([]byte, error) {
	limit := c.Feeds.Limit
	if limit <= 0 {
		limit = 50
	}
	var items []feed.Item
	for _, ai := range issues[:min(len(issues), limit)] {
		var content strings.Builder
		titles := make([]string, len(ai.Items))
		content.WriteString("<p>本期目录：</p>\n<ul>\n")
		for i, it := range ai.Items {
			titles[i] = it.Title
			if it.URL == "" {
				content.WriteString("<li>" + html.EscapeString(it.Title) + "</li>\n")
				continue
			}
			// The feed makes the site path absolute.
			content.WriteString(`<li><a href="` + html.EscapeString(it.URL) + `">` + html.EscapeString(it.Title) + "</a></li>\n")
		}
		content.WriteString("</ul>\n")
		items = append(items, feed.Item{
			Title:   a.Title + " " + ai.Label,
			URL:     ai.URL,
			Date:    ai.SignedOff,
			Summary: "本期目录：" + strings.Join(titles, "；"),
			Content: content.String(),
		})
	}
	return feed.RSS(c, a.URL, a.Title, c.Title+" · "+a.Title, items)
}

// withMeta is web with the meta tags of the page at url, when meta is set.
func withMeta(web *webLinks, meta func(title, url string) (template.HTML, error), title, url string) (*webLinks, error) {
	if meta == nil {
		return web, nil
	}
	w := *web
	var err error
	w.Meta, err = meta(title, url)
	return &w, err
}
