package indexer

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"net/url"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"
)

// TestUncheckedPagesMatchChecked: when a search leaves texts to check
// (here every candidate's, past a sample of two), each of its pages is
// the page that checking every text at once gives, in both orders; its
// counts are estimates until the last candidate is checked and then
// exactly those of the checked search; a sample of every candidate
// estimates exactly; a phrase whose pairs are common but which no text
// holds finds nothing; and synonyms widen it as they widen the checked
// search.
func TestUncheckedPagesMatchChecked(t *testing.T) {
	ix, sn, queries := openCopies(t)
	ctx := context.Background()
	queries = append(queries, "婚姻登记", "结婚登记", "最低生活保障 民政", "困难群众")

	type outcome struct {
		pages  [][]string
		total  int
		facets Facets
		approx bool // before the first page
	}
	const pageSize = 3
	run := func(req Request, lazy bool) (outcome, *resultSet) {
		t.Helper()
		sn.checks.exact, sn.checks.sample = 0, 0
		if lazy {
			sn.checks.sample = 2
		}
		defer func() { sn.checks.exact, sn.checks.sample = 0, 0 }()
		set, _, _, err := sn.answer(ctx, req, func(r Request, loose bool) (*resultSet, error) { return sn.find(ctx, r, loose) })
		if err != nil {
			t.Fatal(err)
		}
		var o outcome
		var n int
		var f Facets
		n, f, o.approx = set.counts()
		// Every bulletin has a year: the years' estimates add up to the
		// total's, but for rounding.
		sum := 0
		for _, y := range f.Year {
			sum += y.Count
		}
		if sum < n-len(f.Year) || sum > n+len(f.Year) {
			t.Errorf("%q: the years' counts add up to %d, the total is %d", req.Query, sum, n)
		}
		for p := 1; ; p++ {
			req.Page = p
			res, err := sn.page(ctx, set, req, pageSize)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Hits) == 0 {
				o.total, o.facets = res.Total, res.Facets
				if res.Approximate {
					t.Errorf("%q: every page read, the counts are still estimates", req.Query)
				}
				return o, set
			}
			var urls []string
			for _, h := range res.Hits {
				urls = append(urls, h.URL)
			}
			o.pages = append(o.pages, urls)
		}
	}
	lazySeen := 0
	lazyTotal := map[string]int{} // of the queries that left texts to check
	for _, q := range queries {
		for _, sort := range []string{"", SortDate} {
			req := Request{Query: q, Sort: sort, Page: 1}
			want, _ := run(req, false)
			got, set := run(req, true)
			if want.approx {
				t.Errorf("%q: checked at once, yet estimated", q)
			}
			if set.later != nil {
				lazySeen++
				lazyTotal[q] = want.total
				if !got.approx {
					t.Errorf("%q: texts left to check, yet the counts are exact", q)
				}
			}
			if !slices.EqualFunc(got.pages, want.pages, slices.Equal) {
				t.Errorf("%q sort=%q: pages %v, checked at once %v", q, sort, got.pages, want.pages)
			}
			if got.total != want.total || !facetsEqual(got.facets, want.facets) {
				t.Errorf("%q sort=%q: after the last page %d hits, facets %+v; checked at once %d, %+v", q, sort, got.total, got.facets, want.total, want.facets)
			}
		}
	}
	if lazySeen < len(queries) {
		t.Errorf("only %d of %d searches left texts to check: the test does not test them", lazySeen, 2*len(queries))
	}

	// Searches sharing a set (the cache's) page it at once: each gets
	// the pages of one order (run with -race, as .ci/run does).
	sn.checks.exact, sn.checks.sample = 0, 2
	shared, err := sn.find(ctx, Request{Query: queries[0]}, false)
	if err != nil {
		t.Fatal(err)
	}
	want, _ := run(Request{Query: queries[0], Page: 1}, false)
	sn.checks.exact, sn.checks.sample = 0, 2
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			n := (g + 1) * pageSize
			top, err := shared.top(ctx, n)
			if err != nil {
				t.Error(err)
				return
			}
			var urls []string
			for _, h := range top {
				urls = append(urls, sn.entries[h.rank].URL)
			}
			if flat := slices.Concat(want.pages...); !slices.Equal(urls, flat[:min(n, len(flat))]) {
				t.Errorf("paged at once, the first %d hits are %v, want %v", n, urls, flat[:min(n, len(flat))])
			}
		})
	}
	wg.Wait()

	// The API says which counts are estimates.
	sn.checks.exact, sn.checks.sample = 0, 2
	srv := NewServer(ix, ServerConfig{BasePath: "/"})
	estimated := 0
	for _, q := range queries {
		// Those with more hits than a page's turn of checks, not
		// widened by synonyms (which check every text to merge).
		r := decodeAPI(t, get(t, srv.API(), "GET", "/api/search?q="+url.QueryEscape(q)))
		if lazyTotal[q] > 2*firstChecks && r.Synonyms == nil {
			if !r.Approximate {
				t.Errorf("%q over the API: total %d, exact; want an estimate", q, r.Total)
			}
			estimated++
		}
	}
	if estimated == 0 {
		t.Error("no query finds enough to estimate: the test does not test the API")
	}
	sn.checks.exact, sn.checks.sample = 0, 0
	if r := decodeAPI(t, get(t, srv.API(), "GET", "/api/search?q="+url.QueryEscape(queries[5]))); r.Approximate {
		t.Errorf("%q over the API, every text checked: approximate", queries[5])
	}

	// A sample of every candidate estimates exactly.
	for _, q := range queries[:8] {
		req := Request{Query: q}
		want, err := sn.find(ctx, req, false)
		if err != nil {
			t.Fatal(err)
		}
		sn.checks.exact, sn.checks.sample = 0, 1<<20
		set, err := sn.find(ctx, req, false)
		sn.checks.exact, sn.checks.sample = 0, 0
		if err != nil {
			t.Fatal(err)
		}
		n, f, _ := set.counts()
		if n != len(want.hits) || !facetsEqual(f, want.facets) {
			t.Errorf("%q: a whole sample estimates %d hits, %+v; there are %d, %+v", q, n, f, len(want.hits), want.facets)
		}
	}

	// Common pairs, no text holding them together.
	var none string
	// Pairs of the texts' commonest pairs of characters, joined.
	df := map[string]int{}
	for _, e := range sn.entries[:20] {
		e.withText(func(text, _ string) {
			seen := map[string]bool{}
			r := []rune(text)
			for i := 0; i+2 <= len(r); i++ {
				if p := string(r[i : i+2]); isHanString(p) && !seen[p] {
					seen[p] = true
					df[p]++
				}
			}
		})
	}
	var common []string
	for p, n := range df {
		if n >= 5 {
			common = append(common, p)
		}
	}
	slices.Sort(common)
	var joined []string
	for _, a := range common {
		for _, b := range common {
			joined = append(joined, a+b)
		}
	}
	for _, q := range joined {
		req := Request{Query: q}
		words := parseQuery(q)
		var check []pattern
		for _, w := range words {
			check = append(check, w.pattern.withAnchor(&sn.freq))
		}
		cands, err := sn.candidateSets(ctx, words, len(words), check, req, true)
		if err != nil {
			t.Fatal(err)
		}
		if len(pendingOf(cands)) >= 2 && len(cands) == len(pendingOf(cands)) {
			if hits, _ := sn.checkAll(ctx, cands, check); len(hits) == 0 {
				none = q
				break
			}
		}
	}
	if none == "" {
		t.Fatal("no phrase of common pairs that nothing holds: the fixture changed")
	}
	sn.checks.exact, sn.checks.sample = 0, 2
	set, err := sn.find(ctx, Request{Query: none}, false)
	sn.checks.exact, sn.checks.sample = 0, 0
	if err != nil {
		t.Fatal(err)
	}
	if n, _, approx := set.counts(); n != 0 || approx {
		t.Errorf("%q, which no text holds: %d hits (estimate %v), want none, exactly", none, n, approx)
	}
}

// openCopies indexes the fixture and copies of each of its bulletins
// whose titles and summaries say nothing, so that their texts decide,
// every third copy's text broken up, so that many of its candidates hold
// a phrase's pairs but not the phrase; and returns the index, its
// snapshot and phrases of four characters from the texts, most of them
// in many bulletins' texts and not in their titles.
func openCopies(t *testing.T) (*Index, *snapshot, []string) {
	t.Helper()
	s := loadFixture(t)
	for i := range 8 {
		for j, b := range s.Bulletins[:len(s.Bulletins):len(s.Bulletins)] {
			c := *b
			c.URL = fmt.Sprintf("%scopy-%d/", b.URL, i)
			c.Title, c.Summary = fmt.Sprintf("工作动态第%d期", i*100+j), ""
			if i%3 == 2 {
				c.Text = breakEvery(b.Text, 3)
			}
			s.Bulletins = append(s.Bulletins, &c)
		}
	}
	_, ix := publishedAndOpen(t, s)
	sn, err := ix.acquire()
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(sn.release)
	var queries []string
	for _, e := range sn.entries {
		if err := e.withText(func(text, _ string) {
			r := []rune(text)
			for at := 20; at+4 <= len(r) && len(queries) < 24; at += 97 {
				if p := string(r[at : at+4]); isHanString(p) && !slices.Contains(queries, p) {
					queries = append(queries, p)
				}
			}
		}); err != nil {
			t.Fatal(err)
		}
	}
	return ix, sn, queries
}

// TestUncheckedPageOutOfTime: a page whose texts are checked as it is
// asked for, out of time doing so, is answered as a search out of time,
// not as a failure.
func TestUncheckedPageOutOfTime(t *testing.T) {
	ix, sn, queries := openCopies(t)
	sn.checks.exact, sn.checks.sample = 0, 2
	var logged []error
	srv := NewServer(ix, ServerConfig{BasePath: "/", ErrorLog: func(err error) { logged = append(logged, err) }})
	// Page 1 in time puts the set in the cache; page 9 out of time has
	// only texts to check.
	q := url.QueryEscape(queries[0])
	if w := get(t, srv.API(), "GET", "/api/search?q="+q); w.Code != http.StatusOK {
		t.Fatalf("page 1: status %d", w.Code)
	}
	if set := sn.cache.get(asked{req: Request{Query: queries[0], Page: 1}}); set == nil || set.later == nil {
		t.Fatalf("%q left no texts to check: the test does not test it", queries[0])
	}
	past, cancel := context.WithDeadline(context.Background(), time.Now().Add(-time.Second))
	defer cancel()
	w := httptest.NewRecorder()
	srv.API().ServeHTTP(w, httptest.NewRequest("GET", "/api/search?page=9&q="+q, nil).WithContext(past))
	if r := decodeAPI(t, w); w.Code == http.StatusInternalServerError || !r.TimedOut || len(logged) > 0 {
		t.Errorf("a page out of time: status %d, timed_out %v, logged %v; want a search out of time", w.Code, r.TimedOut, logged)
	}
}

func facetsEqual(a, b Facets) bool {
	return slices.Equal(a.Bureau, b.Bureau) && slices.Equal(a.Region, b.Region) &&
		slices.Equal(a.Category, b.Category) && slices.Equal(a.Year, b.Year)
}

// breakEvery puts a 、 after every n-th character of text.
func breakEvery(text string, n int) string {
	var b strings.Builder
	for i, r := range []rune(text) {
		b.WriteRune(r)
		if i%n == n-1 {
			b.WriteRune('、')
		}
	}
	return b.String()
}
