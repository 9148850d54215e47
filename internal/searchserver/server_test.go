package searchserver

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"net/url"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/indexer"
	"bulletin/internal/site"
	"bulletin/internal/sitetest"
	"bulletin/theme"
)

// load loads the site of files in fsys.
func load(t testing.TB, fsys siteFiles) *site.Site {
	t.Helper()
	s, err := site.Load(context.Background(), fsys, site.Options{Now: time.Date(2026, 1, 1, 0, 0, 0, 0, time.UTC)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

type siteFiles = fstest.MapFS

// withWord returns the site of files with word in the body of the
// bulletin at path.
func withWord(files siteFiles, word, path string) siteFiles {
	out := siteFiles{}
	for k, v := range files {
		out[k] = v
	}
	data := strings.Replace(string(files[path].Data), "\n---\n\n", "\n---\n\n今年重点推进"+word+"工作。\n\n", 1)
	out[path] = &fstest.MapFile{Data: []byte(data)}
	return out
}

// TestGenerationSwitchUnderLoad searches through the server's handlers
// from several goroutines while bulletin build publishes generation after
// generation, each with the word in another bulletin: every answer is
// one generation's whole, none fails, and the server ends on the last.
// Run it with -race.
func TestGenerationSwitchUnderLoad(t *testing.T) {
	base := sitetest.Site(20)
	var paths []string
	for p := range base {
		if strings.HasSuffix(p, ".md") {
			paths = append(paths, p)
		}
	}
	slices.Sort(paths)
	const word = "珊瑚礁"
	versions := make([]*site.Site, 4)
	want := make([]string, len(versions)) // the URL the word is found at
	for i := range versions {
		versions[i] = load(t, withWord(base, word, paths[i]))
		for _, b := range versions[i].Bulletins {
			if b.Source == paths[i] {
				want[i] = b.URL
			}
		}
	}
	dir := filepath.Join(t.TempDir(), "search")
	opt := indexer.Options{SiteInfo: Describe(nil)}
	if _, err := indexer.UpdateWith(context.Background(), dir, versions[0], opt); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	srv, err := Open(ctx, Config{Index: dir, Theme: theme.FS, Poll: time.Millisecond})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	h := srv.Handler()

	var mu sync.Mutex
	var problems []string
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(problems) < 10 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}
	seen := make([]atomic.Int64, len(versions))
	stop := make(chan struct{})
	var wg sync.WaitGroup
	for g := range 4 {
		wg.Go(func() {
			for i := 0; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				path := "/api/search?q=" + url.QueryEscape(word)
				if (g+i)%3 == 0 {
					path = "/search?q=" + url.QueryEscape(word)
				}
				w := httptest.NewRecorder()
				h.ServeHTTP(w, httptest.NewRequest("GET", path, nil))
				if w.Code != 200 {
					report("%s: %d %s", path, w.Code, w.Body)
					continue
				}
				if strings.HasPrefix(path, "/search") {
					if !strings.Contains(w.Body.String(), "<mark>"+word+"</mark>") {
						report("%s: the page shows no hit", path)
					}
					continue
				}
				var r struct {
					Total int
					Hits  []struct{ URL string }
				}
				if err := json.Unmarshal(w.Body.Bytes(), &r); err != nil || r.Total != 1 || len(r.Hits) != 1 {
					report("%s: %d hits (%v), want 1", path, r.Total, err)
					continue
				}
				v := slices.Index(want, r.Hits[0].URL)
				if v < 0 {
					report("%s found %s, of no version", path, r.Hits[0].URL)
					continue
				}
				seen[v].Add(1)
			}
		})
	}
	for round := range 3 {
		for i := range versions {
			if round == 0 && i == 0 {
				continue
			}
			if _, err := indexer.UpdateWith(ctx, dir, versions[i], opt); err != nil {
				t.Fatal(err)
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	last := want[len(want)-1]
	deadline := time.Now().Add(10 * time.Second)
	for {
		w := httptest.NewRecorder()
		h.ServeHTTP(w, httptest.NewRequest("GET", "/api/search?q="+url.QueryEscape(word), nil))
		if strings.Contains(w.Body.String(), last) {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("the server did not move to the last generation: %s", w.Body)
			break
		}
		time.Sleep(10 * time.Millisecond)
	}
	close(stop)
	wg.Wait()
	for _, p := range problems {
		t.Error(p)
	}
	var moved int
	for i := range seen {
		if seen[i].Load() > 0 {
			moved++
		}
	}
	if moved < 2 {
		t.Errorf("searches saw %d versions, want the server to move between them", moved)
	}
	if names, _ := filepath.Glob(filepath.Join(dir, "gen-*[0-9]")); len(names) > 2 {
		t.Errorf("old generations were not removed: %v", names)
	}
}

// TestNoDescription: an index whose generations do not describe the site
// (made without Options.SiteInfo) is refused with a message saying why.
func TestNoDescription(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "search")
	if _, err := indexer.Update(context.Background(), dir, load(t, sitetest.Site(3)), nil); err != nil {
		t.Fatal(err)
	}
	_, err := Open(context.Background(), Config{Index: dir, Theme: theme.FS})
	if err == nil || !strings.Contains(err.Error(), "does not describe the site") {
		t.Errorf("Open of an index without the site's description = %v", err)
	}
}

// TestBaseURL: -base-url puts the links of hits and pages under another
// address's path, and the assets are served there.
func TestBaseURL(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "search")
	if _, err := indexer.UpdateWith(context.Background(), dir, load(t, sitetest.Site(3)), indexer.Options{SiteInfo: Describe(nil)}); err != nil {
		t.Fatal(err)
	}
	srv, err := Open(context.Background(), Config{Index: dir, Theme: theme.FS, BaseURL: "https://example.gov.cn/news/"})
	if err != nil {
		t.Fatal(err)
	}
	defer srv.Close()
	ts := httptest.NewServer(srv.Handler())
	defer ts.Close()
	resp, err := http.Get(ts.URL + "/news/search?from=1900-01-01")
	if err != nil {
		t.Fatal(err)
	}
	body, _ := io.ReadAll(resp.Body)
	resp.Body.Close()
	if resp.StatusCode != 200 || !strings.Contains(string(body), `href="/news/bulletins/`) || !strings.Contains(string(body), `href="/news/assets/style.css"`) {
		t.Errorf("GET /news/search: %d, links not under /news/:\n%s", resp.StatusCode, body)
	}
	if resp, err := http.Get(ts.URL + "/news/assets/style.css"); err != nil || resp.StatusCode != 200 {
		t.Errorf("GET /news/assets/style.css: %v %v", resp, err)
	}
	if resp, err := http.Get(ts.URL + "/search"); err != nil || resp.StatusCode != 404 {
		t.Errorf("GET /search outside the base path: %v %v", resp, err)
	}
}

// FuzzSiteInfo feeds the site's description any bytes: parseInfo gives a
// look or an error, never a panic, and a look renders the search page.
func FuzzSiteInfo(f *testing.F) {
	data, err := Describe(nil)(load(f, sitetest.Site(3)))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(data)
	f.Add([]byte(`{"version":1,"timezone":"UTC","taxonomies":[{"kind":"tags","terms":[{}]}]}`))
	f.Add([]byte(`{"version":1,"base_url":"ftp://x"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		lk, err := parseInfo(data, "")
		if err != nil {
			return
		}
		for _, tx := range lk.site.Taxonomies() {
			if tx == nil {
				t.Fatal("a taxonomy is missing")
			}
		}
	})
}
