package build

import (
	"context"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bulletin/internal/site"
	"bulletin/theme"
)

// TestSections: a section that a publisher writes is linked like a
// listing, and a change to it (a new entry) reaches every page in an
// incremental build as in a whole one.
func TestSections(t *testing.T) {
	ctx := context.Background()
	s, sources := loadFixture(t, "testdata/site")
	entry := func(n int) SectionEntry {
		return SectionEntry{Title: "2024年第" + string(rune('0'+n)) + "期", URL: "/digests/2024-00" + string(rune('0'+n)) + "/",
			Date: time.Date(2024, time.Month(n), 28, 0, 0, 0, 0, time.UTC)}
	}
	sections := []Section{{Title: "工作简报", URL: "/digests/", Count: 1, Entries: []SectionEntry{entry(1)},
		Feeds: []FeedLink{SectionFeed("工作简报 RSS", "application/rss+xml", "/digests/feed.xml")}}}
	cfg := Config{Theme: theme.FS, Sources: sources, Sections: func(_ *site.Site) ([]Section, error) { return sections, nil }}
	cfg.Out = filepath.Join(t.TempDir(), "live")
	bd := NewBuilder(cfg)
	if _, err := bd.Build(ctx, s); err != nil {
		t.Fatal(err)
	}
	files := readTree(t, cfg.Out)
	for _, tc := range []struct{ file, want string }{
		{"bulletins/relief/index.html", `<li><a href="/digests/">工作简报</a></li>`},
		{"index.html", `<li><a href="/digests/2024-001/">2024年第1期</a></li>`},
		{"sitemap.xml", "<loc>https://news.example.org/digests/2024-001/</loc>"},
		{"subscribe/index.html", `<li id="feed-digests">`},
	} {
		if !strings.Contains(string(files[tc.file]), tc.want) {
			t.Errorf("%s lacks %s", tc.file, tc.want)
		}
	}

	// A new issue: every page's navigation is the same, but the home page,
	// the sitemap and the subscribe page change.
	sections[0].Count, sections[0].Entries = 2, []SectionEntry{entry(2), entry(1)}
	st, err := bd.Build(ctx, s)
	if err != nil {
		t.Fatal(err)
	}
	whole := cfg
	whole.Out = filepath.Join(t.TempDir(), "whole")
	if _, err := Build(ctx, s, whole); err != nil {
		t.Fatal(err)
	}
	if diff := compareTrees(readTree(t, cfg.Out), readTree(t, whole.Out)); diff != "" {
		t.Fatalf("incremental build (%d pages rendered) differs from a whole one:\n%s", st.Pages, diff)
	}
	if !strings.Contains(string(readTree(t, cfg.Out)["index.html"]), `<a href="/digests/2024-002/">`) {
		t.Errorf("the home page does not show the new entry")
	}
}
