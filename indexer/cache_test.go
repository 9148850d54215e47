package indexer

import (
	"encoding/json"
	"fmt"
	"net/url"
	"testing"
)

func TestResultCache(t *testing.T) {
	set := func(n int) *resultSet { return &resultSet{hits: make([]found, n)} }
	c := newResultCache(10)
	c.put("a", set(4)) // costs 5
	c.put("b", set(3)) // costs 4
	if c.get("a") == nil || c.get("b") == nil {
		t.Fatal("sets not kept")
	}
	c.get("a")         // a is now the most recent
	c.put("c", set(1)) // costs 2: b, the least recent, goes
	for key, want := range map[string]bool{"a": true, "b": false, "c": true} {
		if got := c.get(key) != nil; got != want {
			t.Errorf("after eviction, %s kept = %v, want %v", key, got, want)
		}
	}
	c.put("big", set(10)) // more than the whole cache: not kept, nothing lost
	if c.get("big") != nil || c.get("a") == nil {
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
	if srv.ix.cur.Load().cache.get((Request{Query: "低保", Page: 1}).Encode()) == nil {
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
