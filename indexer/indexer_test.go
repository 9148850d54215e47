package indexer

import (
	"context"
	"os"
	"path/filepath"
	"testing"
	"time"

	"bulletin/internal/site"

	// Registers -update, unused here, so that go test ./... -update
	// does not stop at this package with an unknown flag.
	_ "bulletin/internal/golden"
)

// loadFixture loads the relevance fixture, testdata/site.
func loadFixture(t testing.TB) *site.Site {
	t.Helper()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s, err := site.Load(context.Background(), os.DirFS(filepath.Join("testdata", "site")), site.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// openFixture indexes s into a new folder and opens the index.
func openFixture(t testing.TB, s *site.Site) *Index {
	t.Helper()
	_, ix := publishedAndOpen(t, s)
	return ix
}

// publishedAndOpen publishes the index of s in a new folder, as build
// does, and opens it read-only, as a search server does; the index is
// closed when the test ends.
func publishedAndOpen(t testing.TB, s *site.Site) (dir string, ix *Index) {
	t.Helper()
	dir = filepath.Join(t.TempDir(), "search")
	if _, err := Update(context.Background(), dir, s, nil); err != nil {
		t.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ix.Close() })
	return dir, ix
}

func searchFor(t testing.TB, ix *Index, req Request) *Results {
	t.Helper()
	if req.Page == 0 {
		req.Page = 1
	}
	res, err := ix.Search(context.Background(), req, 10)
	if err != nil {
		t.Fatalf("Search(%+v): %v", req, err)
	}
	return res
}

func hitURLs(res *Results) []string {
	var urls []string
	for _, h := range res.Hits {
		urls = append(urls, h.URL)
	}
	return urls
}
