package notice

import (
	"cmp"
	"context"
	"html"
	"html/template"
	"io/fs"
	"slices"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/feed"
	"bulletin/internal/site"
)

// Archive is the list of notices published with the site at /notices/,
// for the theme's notices page.
type Archive struct {
	Title   string // the notice's name, 信息工作通报
	URL     string // /notices/
	FeedURL string // /notices/feed.xml
	Count   int
	Years   []ArchiveYear // newest first
}

// ArchiveYear gathers the notices signed off in one year.
type ArchiveYear struct {
	Year    int
	Notices []ArchiveNotice // newest first
}

// ArchiveNotice is one notice in the archive.
type ArchiveNotice struct {
	Label     string // 2024年第1期
	Heading   string // 关于2024年第一季度信息报送情况的通报
	URL       string // /notices/2024-01/
	SignedOff time.Time
	From, To  time.Time // the period announced
}

// ArchiveConfig is what Publish reads and how it writes.
type ArchiveConfig struct {
	// Sources is the site folder, holding reports/notices/.
	Sources fs.FS
	// Theme holds notice/notice.html, notice/notice.css and digest/print.css.
	Theme fs.FS
	// Write stores a file at a site-relative path (/notices/feed.xml).
	Write func(p string, data []byte) error
	// Index renders the archive's page, /notices/, with the site's theme.
	Index func(a *Archive) error
	// Footer is the site's footer, rendered by the site's theme, for the
	// notices' pages, which must carry it like every page of the site.
	// The printed copy never has it.
	Footer template.HTML
	// Meta, when set, renders the site theme's meta tags (SiteName,
	// SiteIDCode, ColumnName…, which monitoring tools read on every page)
	// for the page of the issue titled title at the site path url.
	Meta func(title, url string) (template.HTML, error)
	// Warn, when set, hears of adopted bulletins that a notice names and
	// the site no longer publishes.
	Warn func(p diag.Problem)
}

// ArchiveURL is where the archive is published.
const ArchiveURL = "/notices/"

// Publish writes the archive of the notices recorded in the site folder:
// each notice's page at /notices/<name>/, rendered from its record as the
// print copy is, with the titles of adopted bulletins linked to their
// pages; the list at /notices/; and an RSS feed at /notices/feed.xml. A
// site without records gets none of them. Records of older notices,
// without a ranking, are not published. A record that cannot be read
// stops the build.
func Publish(ctx context.Context, s *site.Site, cfg ArchiveConfig) error {
	records, err := archiveRecords(s, cfg.Sources)
	if err != nil || len(records) == 0 {
		return err
	}
	p, err := newPrinter(cfg.Theme)
	if err != nil {
		return err
	}
	base := s.Config.Base
	web := &webLinks{Home: base.Rel("/"), Archive: base.Rel(ArchiveURL), SiteTitle: s.Config.Title, Footer: cfg.Footer}
	bySource := make(map[string]*site.Bulletin, len(s.Bulletins))
	for _, b := range s.Bulletins {
		bySource[b.Source] = b
	}
	var notices []ArchiveNotice
	var items []feed.Item
	for _, r := range records {
		if err := ctx.Err(); err != nil {
			return err
		}
		n := compile(s.Config, r)
		if h := n.Higher; h != nil {
			// One warning a bulletin a notice, however many of its
			// adoptions and instructions the notice names.
			warned := map[string]bool{}
			for _, list := range [][]Entry{h.Adoptions, h.Instructions} {
				for i, e := range list {
					if e.Source == "" {
						continue
					}
					if b := bySource[e.Source]; b != nil {
						list[i].URL = base.Rel(b.URL)
					} else if cfg.Warn != nil && !warned[e.Source] {
						warned[e.Source] = true
						cfg.Warn(diag.At(r.Path, 0, diag.Warning, "%s is no longer published; the site's copy of %s names it without a link", e.Source, r.Name()))
					}
				}
			}
		}
		an := archiveNotice(r)
		w, err := withMeta(web, cfg.Meta, n.Title+" "+r.Label(), an.URL)
		if err != nil {
			return err
		}
		page, err := p.html(n, w)
		if err != nil {
			return err
		}
		if err := cfg.Write(an.URL+"index.html", page); err != nil {
			return err
		}
		notices = append(notices, an)
		items = append(items, feed.Item{
			Title:   n.Title + " " + n.Label() + " " + n.Heading,
			URL:     an.URL,
			Date:    r.SignedOff,
			Summary: n.Opening,
			Content: "<p>" + html.EscapeString(n.Opening) + "</p>\n",
		})
	}
	a := newArchive(s, notices)
	limit := s.Config.Feeds.Limit
	if limit <= 0 {
		limit = 50
	}
	rss, err := feed.RSS(s.Config, a.URL, a.Title, s.Config.Title+" · "+a.Title, items[:min(len(items), limit)])
	if err != nil {
		return err
	}
	if err := cfg.Write(a.FeedURL, rss); err != nil {
		return err
	}
	return cfg.Index(a)
}

// Listing is the archive that Publish writes, for the links to it from
// the site's other pages. It is nil when there is no notice to publish.
func Listing(s *site.Site, sources fs.FS) (*Archive, error) {
	records, err := archiveRecords(s, sources)
	if err != nil || len(records) == 0 {
		return nil, err
	}
	notices := make([]ArchiveNotice, len(records))
	for i, r := range records {
		notices[i] = archiveNotice(r)
	}
	return newArchive(s, notices), nil
}

// archiveRecords are the records of the notices the archive publishes,
// those with a ranking, newest first: by sign-off day, then by number.
func archiveRecords(s *site.Site, sources fs.FS) ([]*Record, error) {
	records, err := ReadRecords(sources, s.Config.Location)
	if err != nil {
		return nil, err
	}
	records = slices.DeleteFunc(records, func(r *Record) bool { return !r.Published() })
	slices.SortFunc(records, func(a, b *Record) int {
		return cmp.Or(b.SignedOff.Compare(a.SignedOff), cmp.Compare(b.Name(), a.Name()))
	})
	return records, nil
}

// archiveNotice is r in the archive.
func archiveNotice(r *Record) ArchiveNotice {
	return ArchiveNotice{Label: r.Label(), Heading: heading(r.Standing.From, r.Standing.To), URL: ArchiveURL + r.Name() + "/",
		SignedOff: r.SignedOff, From: r.Standing.From, To: r.Standing.To}
}

// newArchive gathers notices, newest first, by year.
func newArchive(s *site.Site, notices []ArchiveNotice) *Archive {
	a := &Archive{Title: title(s.Config), URL: ArchiveURL, FeedURL: ArchiveURL + feed.RSSFile, Count: len(notices)}
	for _, an := range notices {
		if y := an.SignedOff.Year(); len(a.Years) == 0 || a.Years[len(a.Years)-1].Year != y {
			a.Years = append(a.Years, ArchiveYear{Year: y})
		}
		a.Years[len(a.Years)-1].Notices = append(a.Years[len(a.Years)-1].Notices, an)
	}
	return a
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
