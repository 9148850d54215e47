package indexer

import (
	"context"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
	"unicode"

	"bulletin/internal/site"
	"bulletin/internal/sitetest"

	"github.com/blevesearch/bleve/v2"
)

// TestUpdateLean: the index of a lean site, whose texts are rendered again
// a batch at a time, is the index of the same site holding its texts: the
// same digests (an Update with one after the other changes nothing) and
// the same hits; an edited body is indexed again.
func TestUpdateLean(t *testing.T) {
	ctx := context.Background()
	dir := sitetest.Dir(t, os.DirFS(filepath.Join("testdata", "site")))
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	load := func(lean bool) *site.Site {
		t.Helper()
		s, err := site.Load(ctx, os.DirFS(dir), site.Options{Now: now, Lean: lean})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	full, lean := load(false), load(true)
	leanDir, fullDir := filepath.Join(t.TempDir(), "lean"), filepath.Join(t.TempDir(), "full")
	if _, err := Update(ctx, leanDir, lean, nil); err != nil {
		t.Fatal(err)
	}
	if _, err := Update(ctx, fullDir, full, nil); err != nil {
		t.Fatal(err)
	}
	found := 0
	for _, b := range full.Bulletins {
		// A bigram of the text, which the index holds as a term.
		r := []rune(b.Text)
		i := len(r) / 2
		for i+1 < len(r) && !(unicode.Is(unicode.Han, r[i]) && unicode.Is(unicode.Han, r[i+1])) {
			i++
		}
		q := string(r[i:min(i+2, len(r))])
		got, want := textHits(t, leanDir, q), textHits(t, fullDir, q)
		if !slices.Equal(got, want) {
			t.Errorf("%q: the lean site's index finds %v, the full one's %v", q, got, want)
		}
		if slices.Contains(want, b.URL) {
			found++
		}
	}
	if found < len(full.Bulletins)/2 {
		t.Errorf("only %d of %d words from the texts found", found, len(full.Bulletins))
	}
	if st, err := Update(ctx, leanDir, full, nil); err != nil || st != (UpdateStats{Docs: len(full.Bulletins)}) {
		t.Errorf("updating the lean site's index with the full site: %+v, %v; want nothing changed", st, err)
	}

	b := lean.Bulletins[0]
	p := filepath.Join(dir, filepath.FromSlash(b.Source))
	src, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(p, append(src, "\n新增内容甲乙\n"...), 0o644); err != nil {
		t.Fatal(err)
	}
	st, err := Update(ctx, leanDir, load(true), nil)
	if err != nil || st.Changed != 1 {
		t.Fatalf("after an edit: %+v, %v; want 1 changed", st, err)
	}
	if got := textHits(t, leanDir, "甲乙"); !slices.Equal(got, []string{b.URL}) {
		t.Errorf("the edited text is found in %v, want %s", got, b.URL)
	}
}

// textHits lists the bulletins whose text field in the index in dir
// matches q, as bleve finds them (a search also reads the site's texts).
func textHits(t *testing.T, dir, q string) []string {
	t.Helper()
	idx, err := openBleve(currentDir(t, dir), true)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	mq := bleve.NewTermQuery(q)
	mq.SetField(fieldText)
	req := bleve.NewSearchRequestOptions(mq, 1000, 0, false)
	res, err := idx.Search(req)
	if err != nil {
		t.Fatal(err)
	}
	var ids []string
	for _, h := range res.Hits {
		ids = append(ids, h.ID)
	}
	slices.Sort(ids)
	return ids
}
