package indexer

import (
	"context"
	"encoding/json"
	"fmt"
	"net/url"
	"slices"
	"strings"
	"testing"

	"bulletin/internal/site"
)

func TestResultCache(t *testing.T) {
	set := func(n int) *resultSet { return &resultSet{hits: make([]found, n)} }
	q := func(query string) asked { return asked{req: Request{Query: query}} }
	c := newResultCache(10)
	c.put(q("a"), set(4)) // costs 5
	c.put(q("b"), set(3)) // costs 4
	if c.get(q("a")) == nil || c.get(q("b")) == nil {
		t.Fatal("sets not kept")
	}
	c.get(q("a"))         // a is now the most recent
	c.put(q("c"), set(1)) // costs 2: b, the least recent, goes
	for key, want := range map[string]bool{"a": true, "b": false, "c": true} {
		if got := c.get(q(key)) != nil; got != want {
			t.Errorf("after eviction, %s kept = %v, want %v", key, got, want)
		}
	}
	c.put(q("big"), set(10)) // more than the whole cache: not kept, nothing lost
	if c.get(q("big")) != nil || c.get(q("a")) == nil {
		t.Errorf("an oversized set was kept or pushed others out")
	}
	if c.hits != 7 {
		t.Errorf("hits = %d, want 7", c.hits)
	}
}

func TestServerCachesPages(t *testing.T) {
	srv := newTestServer(t, ServerConfig{})
	var pages []string
	for page := 1; page <= 2; page++ {
		w := get(t, srv.API(), "GET", fmt.Sprintf("/news/api/search?q=%s&page=%d", url.QueryEscape("低保"), page))
		pages = append(pages, w.Body.String())
	}
	if srv.ix.cur.Load().cache.get(asked{req: Request{Query: "低保"}}) == nil {
		t.Errorf("the search's results were not kept")
	}
	if pages[0] == pages[1] {
		t.Errorf("pages 1 and 2 are the same")
	}
	// The same page again, from the cache, is the same page.
	w := get(t, srv.API(), "GET", "/news/api/search?q="+url.QueryEscape("低保")+"&page=2")
	if strip(w.Body.String()) != strip(pages[1]) {
		t.Errorf("cached page differs:\n%s\nwant\n%s", w.Body, pages[1])
	}
}

// strip removes the time taken, the only part of an answer that varies.
func strip(body string) string {
	var r apiResponse
	json.Unmarshal([]byte(body), &r)
	r.Took = 0
	out, _ := json.Marshal(r)
	return string(out)
}

// TestRefreshWarms moves a server to a generation another process
// published: the searches its readers asked last are answered by the new
// generation's cache before anyone asks them again, with the new
// generation's results.
func TestRefreshWarms(t *testing.T) {
	ctx := context.Background()
	s := loadFixture(t)
	dir, ix := publishedAndOpen(t, s)
	srv := NewServer(ix, ServerConfig{BasePath: "/news/", Location: s.Config.Location})
	total := func() int {
		var r apiResponse
		w := get(t, srv.API(), "GET", "/news/api/search?q="+url.QueryEscape("低保"))
		if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil {
			t.Fatalf("%v: %s", err, w.Body)
		}
		return r.Total
	}
	before := total()
	// A bulletin without the word gets it.
	at := slices.IndexFunc(s.Bulletins, func(b *site.Bulletin) bool {
		return !strings.Contains(b.Title+b.Summary+b.Text, "低保")
	})
	if before == 0 || at < 0 {
		t.Fatalf("the fixture does not suit: %d hits, bulletin without the word at %d", before, at)
	}
	if _, err := Update(ctx, dir, edit(s, addText("低保审核确认"), at), nil); err != nil {
		t.Fatal(err)
	}
	if moved, err := ix.Refresh(ctx); err != nil || !moved {
		t.Fatalf("Refresh = %v, %v; want a move", moved, err)
	}
	sn, err := ix.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer sn.release()
	set := sn.cache.get(asked{req: Request{Query: "低保"}})
	if set == nil {
		t.Fatal("the new generation did not keep the search asked last")
	}
	if sn.cache.get(asked{req: Request{Query: "殡葬"}}) != nil {
		t.Error("the new generation kept a search nobody asked")
	}
	fresh, err := sn.find(ctx, Request{Query: "低保", Page: 1}, false)
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(urlsOf(sn, set.hits), s.Bulletins[at].URL) || len(set.hits) != len(fresh.hits) {
		t.Errorf("warmed with %d hits, want the new generation's %d, the edited bulletin among them", len(set.hits), len(fresh.hits))
	}
	if got := total(); got != before+1 {
		t.Errorf("after the move, %d hits, want %d", got, before+1)
	}
}

func urlsOf(sn *snapshot, hits []found) []string {
	var out []string
	for _, h := range hits {
		out = append(out, sn.entries[h.rank].URL)
	}
	return out
}
