package digest

import (
	"context"
	"html/template"
	"io/fs"

	"bulletin/internal/build"
	"bulletin/internal/diag"
	"bulletin/internal/site"
)

// ArchivePublisher is the build step that publishes the issues recorded
// in sources, the site folder, at /digests/: a page per issue, the list
// and a feed. theme holds the digest's templates; warn, when set, hears
// of issues shown without some of their items.
func ArchivePublisher(sources, theme fs.FS, warn func(p diag.Problem)) build.Publisher {
	return func(ctx context.Context, s *site.Site, out build.Output) error {
		if !s.Config.Digest.Publish {
			return nil // kept for internal circulation (digest.publish: false)
		}
		// The issues' pages are the digest's own, with the footer of
		// the site's theme.
		footer, err := out.Partial("footer", &build.Page{Kind: "digests", URL: ArchiveURL})
		if err != nil {
			return err
		}
		return Publish(ctx, s, ArchiveConfig{
			Sources: sources,
			Theme:   theme,
			Write:   out.Write,
			Index: func(a *Archive) error {
				return out.Render(&build.Page{
					Kind:   "digests",
					Title:  a.Title,
					Column: a.Title,
					URL:    a.URL,
					Feeds:  append([]build.FeedLink{archiveFeedLink(a)}, build.FeedLinks(s, nil)...),
					Data:   a,
				})
			},
			Footer: footer,
			Meta: func(title, url string) (template.HTML, error) {
				return out.Partial("meta", &build.Page{Kind: "digests", Title: title, Description: title, Column: s.Config.Digest.Title, URL: url})
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
		if !s.Config.Digest.Publish {
			return nil, nil
		}
		a, err := Listing(s, sources)
		if err != nil || a == nil {
			return nil, err
		}
		sec := build.Section{Title: a.Title, URL: a.URL, Count: a.Count, Feeds: []build.FeedLink{archiveFeedLink(a)}}
		for _, y := range a.Years {
			for _, is := range y.Issues {
				sec.Entries = append(sec.Entries, build.SectionEntry{Title: is.Label, URL: is.URL, Date: is.SignedOff})
			}
		}
		return []build.Section{sec}, nil
	}
}

// archiveFeedLink links the archive's feed of issues.
func archiveFeedLink(a *Archive) build.FeedLink {
	return build.SectionFeed(a.Title+" RSS", "application/rss+xml", a.FeedURL)
}
