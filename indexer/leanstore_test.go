package indexer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"

	"bulletin/internal/site"
)

// TestLeanSiteStoresTexts: an index made from a lean site (bulletins
// without their bodies, as bulletin build loads them) finds and shows the
// same as one made from a whole site, words only in the text included: the
// document store holds the texts the lean site rendered again, which
// phrases of more than two characters are checked against and snippets
// are cut from.
func TestLeanSiteStoresTexts(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	fsys := os.DirFS(filepath.Join("testdata", "site"))
	whole := loadFixture(t)
	lean, err := site.Load(context.Background(), fsys, site.Options{Now: now, Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	if lean.Bulletins[0].Text != "" {
		t.Fatal("the lean load kept texts: the test tests nothing")
	}
	wholeIx, leanIx := openFixture(t, whole), openFixture(t, lean)
	var queries []string
	for _, b := range whole.Bulletins {
		r := []rune(b.Text)
		if len(r) > 40 {
			queries = append(queries, string(r[len(r)/2:len(r)/2+5]))
		}
	}
	if len(queries) < 5 {
		t.Fatalf("only %d queries", len(queries))
	}
	for _, q := range queries {
		want, got := searchFor(t, wholeIx, Request{Query: q}), searchFor(t, leanIx, Request{Query: q})
		if want.Total == 0 {
			t.Fatalf("%q finds nothing in the whole site's index", q)
		}
		if got.Total != want.Total || !slices.Equal(hitURLs(got), hitURLs(want)) {
			t.Errorf("%q: lean index finds %d %v, whole %d %v", q, got.Total, hitURLs(got), want.Total, hitURLs(want))
			continue
		}
		for i := range got.Hits {
			if got.Hits[i].Snippet != want.Hits[i].Snippet {
				t.Errorf("%q: snippet of %s\n lean: %s\nwhole: %s", q, got.Hits[i].URL, got.Hits[i].Snippet, want.Hits[i].Snippet)
			}
		}
	}
}

// TestStoreKeepsBodies: the store holds each bulletin's body, the HTML its
// page shows, and when it last changed, for topic feeds: from a whole site
// and from a lean one (which renders each body again as it is indexed),
// and after an update of one bulletin, whose record is in a pack of its
// own.
func TestStoreKeepsBodies(t *testing.T) {
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	whole := loadFixture(t)
	lean, err := site.Load(context.Background(), os.DirFS(filepath.Join("testdata", "site")), site.Options{Now: now, Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	updated := 0
	for _, b := range whole.Bulletins {
		if !b.Updated.IsZero() {
			updated++
		}
	}
	if updated == 0 {
		t.Fatal("no bulletin of the fixture was updated: the test tests less than it says")
	}
	// The file changed (its hash), and so did its page.
	changed := edit(whole, func(b *site.Bulletin) { b.Body += "<p>更正说明</p>"; b.Hash += "+" }, 2)
	for _, c := range []struct {
		name  string
		sites []*site.Site // indexed in turn
		want  *site.Site   // whose bodies the store holds at the end
	}{
		{"whole", []*site.Site{whole}, whole},
		{"lean", []*site.Site{lean}, whole},
		{"updated", []*site.Site{whole, changed}, changed},
	} {
		t.Run(c.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "search")
			for _, s := range c.sites {
				if _, err := Update(context.Background(), dir, s, nil); err != nil {
					t.Fatal(err)
				}
			}
			ix, err := Open(dir)
			if err != nil {
				t.Fatal(err)
			}
			defer ix.Close()
			byURL := map[string]*site.Bulletin{}
			for _, b := range c.want.Bulletins {
				byURL[b.URL] = b
			}
			for _, e := range ix.cur.Load().entries {
				b := byURL[e.URL]
				var body string
				if err := e.withBody(func(s string) { body = s }); err != nil {
					t.Fatal(err)
				}
				if body != b.Body || body == "" {
					t.Errorf("%s: the store's body is %q, the page's %q", e.URL, body, b.Body)
				}
				if !e.Updated.Equal(b.Updated) {
					t.Errorf("%s: updated %v, the bulletin %v", e.URL, e.Updated, b.Updated)
				}
			}
		})
	}
}
