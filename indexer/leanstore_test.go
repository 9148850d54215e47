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
