package indexer

import (
	"context"
	"encoding/json"
	"fmt"
	"maps"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/site"
	"bulletin/internal/sitetest"

	index "github.com/blevesearch/bleve_index_api"
)

// loadFS loads the site in fsys.
func loadFS(t testing.TB, fsys fstest.MapFS) *site.Site {
	t.Helper()
	now := time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)
	s, err := site.Load(context.Background(), fsys, site.Options{Now: now})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

// withWord returns a copy of fsys in which the bulletin files at paths
// open with a paragraph saying word.
func withWord(fsys fstest.MapFS, word string, paths ...string) fstest.MapFS {
	out := maps.Clone(fsys)
	for _, p := range paths {
		data := strings.Replace(string(fsys[p].Data), "\n---\n\n", "\n---\n\n今年重点推进"+word+"工作。\n\n", 1)
		out[p] = &fstest.MapFile{Data: []byte(data)}
	}
	return out
}

// sources returns the source files of the site in fsys, in the site's
// order.
func sources(t *testing.T, fsys fstest.MapFS) []string {
	t.Helper()
	var paths []string
	for _, b := range loadFS(t, fsys).Bulletins {
		paths = append(paths, b.Source)
	}
	return paths
}

// searchAll returns all hits of req, on one page.
func searchAll(t *testing.T, ix *Index, req Request) *Results {
	t.Helper()
	req.Page = 1
	res, err := ix.Search(context.Background(), req, 1000)
	if err != nil {
		t.Fatalf("Search(%+v): %v", req, err)
	}
	return res
}

func sortedURLs(res *Results) []string {
	urls := hitURLs(res)
	slices.Sort(urls)
	return urls
}

// everything finds every bulletin, so that its facets count the whole site.
var everything = Request{From: time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)}

// siteFacets counts the bulletins of s as Facets do.
func siteFacets(s *site.Site) map[string]int {
	counts := map[string]int{}
	for _, b := range s.Bulletins {
		counts["bureau "+b.Bureau.Name]++
		counts["region "+b.Region.Name]++
		counts["year "+fmt.Sprint(b.Date.Year())]++
		if b.Category != nil {
			counts["category "+b.Category.Name]++
		}
	}
	return counts
}

func resultFacets(f Facets) map[string]int {
	counts := map[string]int{}
	for _, v := range []struct {
		name   string
		values []FacetValue
	}{{"bureau", f.Bureau}, {"region", f.Region}, {"year", f.Year}, {"category", f.Category}} {
		for _, fv := range v.values {
			counts[v.name+" "+fv.Name] = fv.Count
		}
	}
	return counts
}

func TestLiveUpdate(t *testing.T) {
	ctx := context.Background()
	base := sitetest.Site(20)
	paths := sources(t, base)
	// The first bulletin will change, the second go, and a new one come.
	base = withWord(base, "湿地候鸟", paths[1])
	s1 := loadFS(t, base)
	n := len(s1.Bulletins)

	dir := filepath.Join(t.TempDir(), "search")
	ix, st, err := OpenLive(ctx, dir, s1, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if want := (UpdateStats{Docs: n, Added: n, Rebuilt: true}); st != want {
		t.Errorf("OpenLive: %+v, want %+v", st, want)
	}
	if got := sortedURLs(searchAll(t, ix, Request{Query: "珊瑚礁"})); len(got) != 0 {
		t.Errorf("before the change, 珊瑚礁 found %v", got)
	}
	removedURL := s1.Bulletins[1].URL
	if got := sortedURLs(searchAll(t, ix, Request{Query: "湿地候鸟"})); !slices.Equal(got, []string{removedURL}) {
		t.Errorf("before the change, 湿地候鸟 found %v, want %v", got, removedURL)
	}

	next := withWord(base, "珊瑚礁", paths[0])
	delete(next, paths[1])
	added := strings.Replace(paths[2], ".md", "x.md", 1)
	next[added] = withWord(base, "珊瑚礁", paths[2])[paths[2]]
	s2 := loadFS(t, next)
	if maps.Equal(siteFacets(s1), siteFacets(s2)) {
		t.Fatal("the change leaves the facets as they were; fix the test")
	}
	st, err = ix.Update(ctx, s2)
	if err != nil {
		t.Fatal(err)
	}
	if want := (UpdateStats{Docs: n, Added: 1, Changed: 1, Removed: 1}); st != want {
		t.Errorf("Update: %+v, want %+v", st, want)
	}
	checkSnapshot(t, ix)

	var wantURLs []string
	for _, b := range s2.Bulletins {
		if b.Source == paths[0] || b.Source == added {
			wantURLs = append(wantURLs, b.URL)
		}
	}
	slices.Sort(wantURLs)
	tests := []struct {
		query string
		want  []string
	}{
		{"珊瑚礁", wantURLs}, // changed and added
		{"湿地候鸟", nil},     // removed
	}
	for _, tt := range tests {
		res := searchAll(t, ix, Request{Query: tt.query})
		if got := sortedURLs(res); !slices.Equal(got, tt.want) {
			t.Errorf("after Update, %s found %v, want %v", tt.query, got, tt.want)
		}
		for _, h := range res.Hits {
			if b := bulletinAt(s2, h.URL); b == nil || b.Title != h.Title {
				t.Errorf("after Update, %s found %s of the old site", tt.query, h.URL)
			}
		}
	}
	res := searchAll(t, ix, everything)
	if res.Total != len(s2.Bulletins) {
		t.Errorf("after Update, all bulletins: %d found, want %d", res.Total, len(s2.Bulletins))
	}
	if got, want := resultFacets(res.Facets), siteFacets(s2); !maps.Equal(got, want) {
		t.Errorf("after Update, facets of all bulletins:\n%v\nwant\n%v", got, want)
	}
	// The order by date is the new site's.
	var order []string
	for _, b := range s2.Bulletins {
		order = append(order, b.URL)
	}
	if got := hitURLs(searchAll(t, ix, Request{From: everything.From, Sort: SortDate})); !slices.Equal(got, order) {
		t.Errorf("after Update, by date:\n%v\nwant\n%v", got, order)
	}

	// An update without changes changes nothing but the site shown.
	s3 := loadFS(t, next)
	if st, err := ix.Update(ctx, s3); err != nil || st != (UpdateStats{Docs: n}) {
		t.Errorf("Update without changes = %+v, %v; want %+v", st, err, UpdateStats{Docs: n})
	}
	checkSnapshot(t, ix)
	if res := searchAll(t, ix, Request{Query: "珊瑚礁"}); len(res.Hits) == 0 || bulletinAt(s3, res.Hits[0].URL) == nil {
		t.Errorf("after an update without changes, hits are not from the new site")
	}

	// What the updates did is in the index on disk, closed cleanly.
	if err := ix.Close(); err != nil {
		t.Fatalf("Close: %v", err)
	}
	if _, err := ix.Search(ctx, Request{Query: "珊瑚礁", Page: 1}, 10); err == nil {
		t.Errorf("Search after Close succeeded")
	}
	if _, err := ix.Update(ctx, s3); err == nil {
		t.Errorf("Update after Close succeeded")
	}
	st, err = Update(ctx, dir, s3, nil)
	if err != nil {
		t.Fatal(err)
	}
	if want := (UpdateStats{Docs: n}); st != want {
		t.Errorf("Update after Close: %+v, want %+v", st, want)
	}
	if got := foundIn(t, dir, s3, "珊瑚礁"); !slices.Equal(got, wantURLs) {
		t.Errorf("reopened, 珊瑚礁 found %v, want %v", got, wantURLs)
	}
	ix, st, err = OpenLive(ctx, dir, s3, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	if want := (UpdateStats{Docs: n}); st != want {
		t.Errorf("OpenLive again: %+v, want %+v", st, want)
	}
	if got := sortedURLs(searchAll(t, ix, Request{Query: "珊瑚礁"})); !slices.Equal(got, wantURLs) {
		t.Errorf("opened live again, 珊瑚礁 found %v, want %v", got, wantURLs)
	}
}

// TestLiveUpdateFromSiteYAML changes what a bulletin's file does not say:
// its region, from site.yaml.
func TestLiveUpdateFromSiteYAML(t *testing.T) {
	ctx := context.Background()
	base := sitetest.Site(20)
	s1 := loadFS(t, base)
	ix, _, err := OpenLive(ctx, filepath.Join(t.TempDir(), "search"), s1, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()

	next := maps.Clone(base)
	cfg := strings.Replace(string(base["site.yaml"].Data), "region: 青海省,", "region: 青海省果洛州,", 1)
	next["site.yaml"] = &fstest.MapFile{Data: []byte(cfg)}
	s2 := loadFS(t, next)
	var want []string
	for _, b := range s2.Bulletins {
		if b.Region.Name == "青海省果洛州" {
			want = append(want, b.URL)
		}
	}
	if len(want) == 0 {
		t.Fatal("no bulletin moved to 青海省果洛州; fix the test")
	}
	slices.Sort(want)
	st, err := ix.Update(ctx, s2)
	if err != nil {
		t.Fatal(err)
	}
	if st.Changed != len(want) {
		t.Errorf("Update: %+v, want %d changed", st, len(want))
	}
	if got := sortedURLs(searchAll(t, ix, Request{Query: "果洛"})); !slices.Equal(got, want) {
		t.Errorf("果洛 found %v, want %v", got, want)
	}
}

func TestLiveUpdateOfReadOnly(t *testing.T) {
	s := loadFixture(t)
	ix := openFixture(t, s)
	if _, err := ix.Update(context.Background(), s); err == nil {
		t.Errorf("Update of an index from Open succeeded")
	}
	// The index is still usable.
	if res := searchFor(t, ix, Request{Query: "低保"}); res.Total == 0 {
		t.Errorf("after the refused Update, 低保 finds nothing")
	}
}

// TestLiveConcurrent searches while the index is updated back and forth
// between two sites: every search must see one of them whole.
func TestLiveConcurrent(t *testing.T) {
	ctx := context.Background()
	base := sitetest.Site(30)
	paths := sources(t, base)
	// In a, three bulletins have the word, and the last bulletin is there;
	// in b, one other has it, and the last is gone.
	a := withWord(base, "珊瑚礁", paths[0], paths[1], paths[2])
	b := withWord(base, "珊瑚礁", paths[3])
	delete(b, paths[len(paths)-1])
	sites := []*site.Site{loadFS(t, a), loadFS(t, b)}
	want := make([]struct {
		urls  []string
		total int
	}, len(sites))
	for i, s := range sites {
		for _, b := range s.Bulletins {
			if strings.Contains(b.Text, "珊瑚礁") {
				want[i].urls = append(want[i].urls, b.URL)
			}
		}
		slices.Sort(want[i].urls)
		want[i].total = len(s.Bulletins)
	}
	// which returns the site a result is of, or -1: the sites differ in
	// the bulletins with the word, and in their number.
	which := func(req Request, res *Results) int {
		for i := range sites {
			if req.Query != "" && slices.Equal(sortedURLs(res), want[i].urls) || req.Query == "" && res.Total == want[i].total {
				return i
			}
		}
		return -1
	}

	ix, _, err := OpenLive(ctx, filepath.Join(t.TempDir(), "search"), sites[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	srv := NewServer(ix, ServerConfig{PageSize: 3})
	api := srv.API()

	stop := make(chan struct{})
	var wg sync.WaitGroup
	var mu sync.Mutex
	var problems []string
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(problems) < 10 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	var searches [2]int
	for g := range 3 {
		wg.Go(func() {
			for n := 0; ; n++ {
				select {
				case <-stop:
					return
				default:
				}
				req := Request{Query: "珊瑚礁", Page: 1}
				if n%2 == 1 {
					req = everything
					req.Page = 1
				}
				res, err := ix.Search(ctx, req, 1000)
				if err != nil {
					report("goroutine %d: Search: %v", g, err)
					return
				}
				from := which(req, res)
				if from < 0 {
					report("%q found %v of %d, of neither site", req.Query, sortedURLs(res), res.Total)
					continue
				}
				mu.Lock()
				searches[from]++
				mu.Unlock()
				if req.Query != "" {
					if got := sortedURLs(res); !slices.Equal(got, want[from].urls) {
						report("%s found %v in site %d, want %v", req.Query, got, from, want[from].urls)
					}
				} else if res.Total != want[from].total {
					report("all bulletins: %d in site %d, want %d", res.Total, from, want[from].total)
				}
				if years := resultFacets(res.Facets); !maps.Equal(years, siteFacetsOf(res)) {
					report("%q: facets %v do not count the hits", req.Query, years)
				}
			}
		})
	}
	// Through the server too, with its result cache.
	wg.Go(func() {
		for {
			select {
			case <-stop:
				return
			default:
			}
			w := get(t, api, "GET", "/api/search?q="+url.QueryEscape("珊瑚礁"))
			var r apiResponse
			if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || w.Code != 200 {
				report("API: %d %s", w.Code, w.Body)
				return
			}
			if r.Total != len(want[0].urls) && r.Total != len(want[1].urls) {
				report("API: %d found, want %d or %d", r.Total, len(want[0].urls), len(want[1].urls))
			}
		}
	})

	for i := range 20 {
		s := sites[(i+1)%2]
		st, err := ix.Update(ctx, s)
		if err != nil {
			t.Errorf("Update %d: %v", i, err)
			break
		}
		if st.Changed != 4 || st.Docs != len(s.Bulletins) {
			t.Errorf("Update %d: %+v, want 4 changed", i, st)
		}
		time.Sleep(time.Millisecond) // let searches run on each
	}
	close(stop)
	wg.Wait()
	for _, p := range problems {
		t.Error(p)
	}
	if searches[0] == 0 || searches[1] == 0 {
		t.Errorf("searches by site: %v; want some on each", searches)
	}
}

// checkSnapshot checks the current snapshot: its byte counts are those
// of its entries' texts in memory, and its entries are the store's.
func checkSnapshot(t *testing.T, ix *Index) {
	t.Helper()
	sn := ix.cur.Load()
	var want [256]int
	for i, e := range sn.entries {
		e.count(&want)
		if e.storedDoc != sn.gen.docs.docs[i] || e.rank != i {
			t.Errorf("%s: entry %d is not the store's", e.URL, i)
		}
	}
	if sn.freq != want {
		t.Errorf("byte counts are off after Update")
	}
}

// bulletinAt returns the bulletin of s at url, or nil.
func bulletinAt(s *site.Site, url string) *site.Bulletin {
	for _, b := range s.Bulletins {
		if b.URL == url {
			return b
		}
	}
	return nil
}

// siteFacetsOf counts the hits of res as Facets do.
func siteFacetsOf(res *Results) map[string]int {
	counts := map[string]int{}
	for _, h := range res.Hits {
		counts["bureau "+h.Bureau]++
		counts["region "+h.Region]++
		counts["year "+fmt.Sprint(h.Date.Year())]++
		if h.Category != "" {
			counts["category "+h.Category]++
		}
	}
	return counts
}

// closeCounter is a reader that counts its closings.
type closeCounter struct {
	index.IndexReader
	closed atomic.Int32
}

func (r *closeCounter) Close() error {
	r.closed.Add(1)
	return nil
}

// TestSnapshotRefs follows a snapshot's reader through a switch: it must
// stay open while a search uses it, close after the last one, and never
// be handed to a search after that.
func TestSnapshotRefs(t *testing.T) {
	fake := func() (*snapshot, *closeCounter) {
		r := &closeCounter{}
		sn := &snapshot{reader: r, done: make(chan struct{})}
		sn.refs.Store(1)
		return sn, r
	}
	old, oldReader := fake()
	ix := &Index{}
	ix.cur.Store(old)

	running, err := ix.acquire()
	if err != nil || running != old {
		t.Fatalf("acquire = %p, %v; want the current snapshot %p", running, err, old)
	}
	// Another search has loaded the pointer, but not yet taken a
	// reference, when Update switches.
	loaded := ix.cur.Load()
	next, nextReader := fake()
	ix.cur.Store(next)
	old.release()
	if n := oldReader.closed.Load(); n != 0 {
		t.Errorf("the old reader was closed %d times under a running search", n)
	}
	running.release()
	if n := oldReader.closed.Load(); n != 1 {
		t.Errorf("after the last search, the old reader was closed %d times, want 1", n)
	}
	if loaded.tryAcquire() {
		t.Errorf("a search took the snapshot whose reader is closed")
	}
	if got, err := ix.acquire(); err != nil || got != next {
		t.Errorf("acquire after the switch = %p, %v; want the new snapshot %p", got, err, next)
	} else {
		got.release()
	}
	if n := nextReader.closed.Load(); n != 0 {
		t.Errorf("the current reader was closed %d times", n)
	}
}
