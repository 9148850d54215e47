package notice

import (
	"context"
	"html/template"
	"io/fs"

	"bulletin/internal/build"
	"bulletin/internal/diag"
	"bulletin/internal/site"
)

// ArchivePublisher is the build step that publishes the notices recorded
// in sources, the site folder, at /notices/: a page per notice, the list
// and a feed, when site.yaml says reporting.publish_notice: true. theme
// holds the notice's templates; warn, when set, hears of adopted
// bulletins a notice names that the site no longer publishes.
func ArchivePublisher(sources, theme fs.FS, warn func(p diag.Problem)) build.Publisher {
	return func(ctx context.Context, s *site.Site, out build.Output) error {
		if !s.Config.Reporting.PublishNotice {
			return nil // circulated internally, the default
		}
		// The notices' pages are the notice's own, with the footer of the
		// site's theme.
		footer, err := out.Partial("footer", &build.Page{Kind: "notices", URL: ArchiveURL})
		if err != nil {
			return err
		}
		return Publish(ctx, s, ArchiveConfig{
			Sources: sources,
			Theme:   theme,
			Write:   out.Write,
			Index: func(a *Archive) error {
				return out.Render(&build.Page{
					Kind:   "notices",
					Title:  a.Title,
					Column: a.Title,
					URL:    a.URL,
					Feeds:  append([]build.FeedLink{archiveFeedLink(a)}, build.FeedLinks(s, nil)...),
					Data:   a,
				})
			},
			Footer: footer,
			Meta: func(title, url string) (template.HTML, error) {
				return out.Partial("meta", &build.Page{Kind: "notices", Title: title, Description: title, Column: s.Config.Reporting.NoticeTitle, URL: url})
			},
			Warn: warn,
		})
	}
}

// ArchiveSections names the archive ArchivePublisher publishes, if any,
// so that the site's pages link it: the navigation, the home page, the
// sitemap and the subscribe page.
func ArchiveSections(sources fs.FS) func(s *site.Site) ([]build.Section, error) {
	return func(s *site.Site) ([]build.Section, error) {
		if !s.Config.Reporting.PublishNotice {
			return nil, nil
		}
		a, err := Listing(s, sources)
		if err != nil || a == nil {
			return nil, err
		}
		sec := build.Section{Title: a.Title, URL: a.URL, Count: a.Count, Feeds: []build.FeedLink{archiveFeedLink(a)}}
		for _, y := range a.Years {
			for _, n := range y.Notices {
				sec.Entries = append(sec.Entries, build.SectionEntry{Title: n.Heading, URL: n.URL, Date: n.SignedOff})
			}
		}
		return []build.Section{sec}, nil
	}
}

// archiveFeedLink links the archive's feed of notices.
func archiveFeedLink(a *Archive) build.FeedLink {
	return build.SectionFeed(a.Title+" RSS", "application/rss+xml", a.FeedURL)
}
