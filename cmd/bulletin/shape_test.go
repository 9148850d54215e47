package main

import (
	"bytes"
	"encoding/xml"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
	"golang.org/x/net/html"
)

// TestOutputShape builds a generated site and reads the output as a
// crawler and a reader would: the sitemap names every page once, every
// listing is paged in full and in date order, and every feed parses and
// lists the newest items. With BULLETIN_SHAPE_OUT set to a built site
// (scripts/bench.sh shape builds one of a million bulletins) it checks
// that site instead, which go test never builds itself.
func TestOutputShape(t *testing.T) {
	out := os.Getenv("BULLETIN_SHAPE_OUT")
	if out == "" {
		dir := t.TempDir()
		writeSite(t, dir, 600)
		// Small pages, so that every listing has several.
		cfg, err := os.ReadFile(filepath.Join(dir, "site.yaml"))
		if err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(filepath.Join(dir, "site.yaml"), append(cfg, "paginate: 7\n"...), 0o644); err != nil {
			t.Fatal(err)
		}
		out = filepath.Join(dir, "public")
		if code, _, stderr := run(t, "build", "-q", "-no-index", "-s", dir, "-o", out, "-now", "2026-01-01"); code != 0 {
			t.Fatalf("build: exit %d\n%s", code, stderr)
		}
	}
	start := time.Now()
	sh := readShape(t, out)
	t.Logf("%s: %d bulletins, %d listings of %d pages (%d a page), %d sitemap files, %d feeds, read in %s",
		out, len(sh.bulletins), len(sh.listings), sh.listingPages, sh.perPage, sh.sitemapFiles, sh.feeds, time.Since(start).Round(time.Millisecond))
	if len(sh.bulletins) == 0 {
		t.Fatal("no bulletin pages")
	}
}

// shape is what readShape found in a built site.
type shape struct {
	bulletins    map[string]time.Time // bulletin URL -> its date, from the listings
	listings     map[string]int       // listing URL -> items
	listingPages int
	perPage      int
	sitemapFiles int
	feeds        int
}

var pageRE = regexp.MustCompile(`^(.*/)page/([0-9]+)/$`)

// readShape checks the output folder out and describes it.
func readShape(t *testing.T, out string) *shape {
	t.Helper()
	sh := &shape{bulletins: map[string]time.Time{}, listings: map[string]int{}}
	pages := map[string]bool{} // URL of every page (folder/index.html)
	var feeds []string
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel := "/" + filepath.ToSlash(must(filepath.Rel(out, p)))
		switch path.Base(rel) {
		case "index.html":
			pages[strings.TrimSuffix(rel, "index.html")] = true
		case "feed.xml", "atom.xml", "feed.json":
			if !strings.HasPrefix(rel, "/assets/") {
				feeds = append(feeds, rel)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	for u := range pages {
		if strings.HasPrefix(u, "/bulletins/") && strings.Count(u, "/") == 3 {
			sh.bulletins[u] = time.Time{}
		}
	}

	// Listings: the pages of one listing are URL, URL/page/2/, ...
	type listing struct{ pages int }
	listings := map[string]*listing{}
	for u := range pages {
		root, n := u, 1
		if m := pageRE.FindStringSubmatch(u); m != nil {
			root, n = m[1], must(strconv.Atoi(m[2]))
		}
		if strings.HasPrefix(root, "/bulletins/") {
			continue
		}
		l := listings[root]
		if l == nil {
			l = &listing{}
			listings[root] = l
		}
		l.pages = max(l.pages, n)
	}
	inListings := map[string]map[string]int{} // kind (first path segment) -> bulletin -> times listed
	for _, root := range slices.Sorted(maps.Keys(listings)) {
		l := listings[root]
		seen := map[string]bool{}
		var last time.Time
		var sizes []int
		for n := 1; n <= l.pages; n++ {
			u := root
			if n > 1 {
				u = fmt.Sprintf("%spage/%d/", root, n)
			}
			if !pages[u] {
				t.Errorf("listing %s has %d pages but no page %d", root, l.pages, n)
				continue
			}
			items := listItems(t, filepath.Join(out, filepath.FromSlash(u), "index.html"))
			if items == nil {
				if n > 1 {
					t.Errorf("%s: a listing page without items", u)
				}
				break // not a listing (terms page, subscribe page)
			}
			sizes = append(sizes, len(items))
			for _, it := range items {
				if _, ok := sh.bulletins[it.url]; !ok {
					t.Errorf("%s lists %s, which is no bulletin page", u, it.url)
				}
				if seen[it.url] {
					t.Errorf("listing %s lists %s twice", root, it.url)
				}
				seen[it.url] = true
				if !last.IsZero() && it.date.After(last) {
					t.Errorf("%s: %s (%s) after an older item (%s)", u, it.url, it.date, last)
				}
				last = it.date
				sh.bulletins[it.url] = it.date
			}
		}
		if len(sizes) == 0 {
			continue
		}
		sh.listings[root] = len(seen)
		sh.listingPages += len(sizes)
		// Every page but the last is full.
		per := slices.Max(sizes)
		if sh.perPage == 0 {
			sh.perPage = per
		}
		for i, n := range sizes {
			if n > sh.perPage || i < len(sizes)-1 && n != sh.perPage {
				t.Errorf("listing %s: page %d has %d items, pages have %d", root, i+1, n, sh.perPage)
			}
		}
		kind := strings.SplitN(root, "/", 3)[1]
		if inListings[kind] == nil {
			inListings[kind] = map[string]int{}
		}
		for u := range seen {
			inListings[kind][u]++
		}
	}
	// The home page lists every bulletin; each is in exactly one bureau's,
	// region's and month's listing.
	if got := sh.listings["/"]; got != len(sh.bulletins) {
		t.Errorf("the home page's listing has %d bulletins, the site %d", got, len(sh.bulletins))
	}
	for _, kind := range []string{"bureaus", "regions", "archive"} {
		for u := range sh.bulletins {
			if n := inListings[kind][u]; n != 1 {
				t.Errorf("%s is in %d listings under /%s/, want 1", u, n, kind)
				break
			}
		}
	}

	// The sitemap: every page once (listings' later pages apart).
	urls := readSitemap(t, out, sh)
	for u := range pages {
		if pageRE.MatchString(u) {
			continue
		}
		if urls[u] != 1 {
			t.Errorf("%s is in the sitemap %d times, want once", u, urls[u])
		}
	}
	for u := range urls {
		if !pages[u] {
			t.Errorf("the sitemap names %s, which is no page", u)
		}
	}

	// Feeds: they parse, list at most their limit, newest first, and only
	// bulletins.
	parser := gofeed.NewParser()
	for _, f := range feeds {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(f)))
		if err != nil {
			t.Fatal(err)
		}
		feed, err := parser.Parse(bytes.NewReader(data))
		if err != nil {
			t.Errorf("%s: %v", f, err)
			continue
		}
		sh.feeds++
		if len(feed.Items) == 0 || len(feed.Items) > 50 {
			t.Errorf("%s has %d items", f, len(feed.Items))
		}
		var last time.Time
		for _, it := range feed.Items {
			if it.PublishedParsed == nil {
				t.Errorf("%s: item %s has no date", f, it.Link)
				continue
			}
			if !last.IsZero() && it.PublishedParsed.After(last) {
				t.Errorf("%s: %s is newer than the item before it", f, it.Link)
			}
			last = *it.PublishedParsed
		}
	}
	return sh
}

// item is one bulletin in a listing page.
type item struct {
	url  string
	date time.Time
}

// listItems reads the items of a listing page (theme/templates/partials/
// items.html), or nil when the page has no list of items.
func listItems(t *testing.T, file string) []item {
	t.Helper()
	data, err := os.ReadFile(file)
	if err != nil {
		t.Fatal(err)
	}
	z := html.NewTokenizer(bytes.NewReader(data))
	var items []item
	list, inItem := false, false
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		if tt != html.StartTagToken {
			continue
		}
		tok := z.Token()
		attr := func(name string) string {
			for _, a := range tok.Attr {
				if a.Key == name {
					return a.Val
				}
			}
			return ""
		}
		switch {
		case tok.Data == "ul" && attr("class") == "items":
			list = true
		case tok.Data == "li" && attr("class") == "item":
			inItem = true
			items = append(items, item{})
		case inItem && tok.Data == "a" && items[len(items)-1].url == "":
			items[len(items)-1].url = attr("href")
		case inItem && tok.Data == "time":
			d, err := time.Parse(time.RFC3339, attr("datetime"))
			if err != nil {
				t.Errorf("%s: item date %q: %v", file, attr("datetime"), err)
			}
			items[len(items)-1].date = d
			inItem = false
		}
	}
	if !list {
		return nil
	}
	return items
}

// readSitemap reads sitemap.xml and the files it indexes, checks the
// protocol's limits, and counts each URL, as a path of the site.
func readSitemap(t *testing.T, out string, sh *shape) map[string]int {
	t.Helper()
	type entry struct {
		Loc string `xml:"loc"`
	}
	type file struct {
		XMLName xml.Name
		URLs    []entry `xml:"url"`
		Maps    []entry `xml:"sitemap"`
	}
	read := func(name string) file {
		data, err := os.ReadFile(filepath.Join(out, name))
		if err != nil {
			t.Fatal(err)
		}
		if len(data) > 50<<20 {
			t.Errorf("%s is %d bytes, over the protocol's 50 MB", name, len(data))
		}
		var f file
		if err := xml.Unmarshal(data, &f); err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(f.URLs) > 50000 || len(f.Maps) > 50000 {
			t.Errorf("%s has %d entries, over the protocol's 50,000", name, len(f.URLs)+len(f.Maps))
		}
		return f
	}
	top := read("sitemap.xml")
	all := top.URLs
	sh.sitemapFiles = 1
	if top.XMLName.Local == "sitemapindex" {
		for _, m := range top.Maps {
			_, name, _ := strings.Cut(strings.TrimPrefix(strings.TrimPrefix(m.Loc, "https://"), "http://"), "/")
			all = append(all, read(name).URLs...)
			sh.sitemapFiles++
		}
	}
	if len(all) == 0 {
		t.Fatal("the sitemap is empty")
	}
	// The first URL is the home page: the rest are under it.
	base := strings.TrimSuffix(all[0].Loc, "/")
	counts := map[string]int{}
	for _, u := range all {
		p, ok := strings.CutPrefix(u.Loc, base)
		if !ok {
			t.Errorf("sitemap URL %s is not under %s", u.Loc, base)
		}
		counts[p]++
	}
	return counts
}

func must[T any](v T, err error) T {
	if err != nil {
		panic(err)
	}
	return v
}
