package build

import (
	"bytes"
	"context"
	"io/fs"
	"net/http"
	"net/http/httptest"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mmcdole/gofeed"

	"bulletin/internal/serve"
	"bulletin/internal/site"
	"bulletin/internal/sitetest"
)

// feedFixture is the fixture site with small feed limits and a bulletin
// that shows an image and links to another bulletin and to itself.
func feedFixture(t *testing.T) (*site.Site, fs.FS) {
	t.Helper()
	fsys := sitetest.ReadDir(t, "testdata/site")
	fsys["site.yaml"].Data = append(fsys["site.yaml"].Data, "feeds: {limit: 3, listing_limit: 1}\n"...)
	fsys["content/qinghai/photo.md"] = &fstest.MapFile{Data: []byte(`---
title: 助餐点实景
date: 2024-04-02 15:00
bureau: 西宁市民政局
category: 养老服务
tags: [老年助餐]
---

![助餐点内景](canteen.png)

详见[此前报道](relief.md)和[下文](#说明)。

## 说明

（西宁市民政局供稿）
`)}
	fsys["content/qinghai/canteen.png"] = &fstest.MapFile{Data: []byte("\x89PNG\r\n\x1a\n")}
	s, err := site.Load(context.Background(), fsys, site.Options{Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	return s, fsys
}

// TestFeeds reads every feed the build writes with a feed reader's parser
// (gofeed) and checks what a subscriber sees.
func TestFeeds(t *testing.T) {
	s, sources := feedFixture(t)
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, sources, out)
	files := readTree(t, out)

	// Every feed the build should write, with its item count.
	want := map[string]int{"": min(3, len(s.Bulletins))}
	for _, tax := range []*site.Taxonomy{s.Bureaus, s.Regions, s.Categories, s.Tags} {
		for _, term := range tax.Terms {
			want[strings.TrimPrefix(term.URL, "/")] = min(1, len(term.Bulletins))
		}
	}
	for name := range files {
		if base := filepath.Base(name); base == "feed.xml" || base == "atom.xml" || base == "feed.json" {
			if _, ok := want[strings.TrimSuffix(name, base)]; !ok {
				t.Errorf("%s: a feed no listing has", name)
			}
		}
	}

	attr := regexp.MustCompile(`(?:href|src)="([^"]*)"`)
	for dir, n := range want {
		for _, format := range []string{"feed.xml", "atom.xml", "feed.json"} {
			name := dir + format
			data, ok := files[name]
			if !ok {
				t.Errorf("%s was not written", name)
				continue
			}
			f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
			if err != nil {
				t.Errorf("%s: %v", name, err)
				continue
			}
			if len(f.Items) != n {
				t.Errorf("%s has %d items, want %d", name, len(f.Items), n)
			}
			for _, it := range f.Items {
				if !strings.HasPrefix(it.Link, "https://news.example.org/bulletins/") {
					t.Errorf("%s: item link %q is not absolute", name, it.Link)
				}
				if !strings.HasPrefix(it.GUID, "tag:news.example.org,2024-") {
					t.Errorf("%s: item id %q is not a tag URI", name, it.GUID)
				}
				// gofeed gives parsed times in UTC; the zone is in the text.
				if !inSiteZone(it.Published) || !inSiteZone(it.Updated) && it.Updated != "" {
					t.Errorf("%s: %s published %q, updated %q, want times in +08:00", name, it.Link, it.Published, it.Updated)
				}
				if it.Title == "" || len(it.Authors) == 0 || it.Authors[0].Name == "" || len(it.Categories) == 0 {
					t.Errorf("%s: %s lacks title, author or category: %+v", name, it.Link, it)
				}
				for _, m := range attr.FindAllStringSubmatch(it.Content, -1) {
					if !strings.HasPrefix(m[1], "https://") {
						t.Errorf("%s: %s links to %q in its content", name, it.Link, m[1])
					}
				}
				if it.Content == "" {
					t.Errorf("%s: %s has no content", name, it.Link)
				}
			}
			if dir == "" {
				photo := f.Items[0]
				for _, want := range []string{
					`src="https://news.example.org/bulletins/photo/canteen.png"`,
					`href="https://news.example.org/bulletins/relief/"`,
					// The Markdown renderer escaped the Chinese heading id.
					`href="https://news.example.org/bulletins/photo/#%E8%AF%B4%E6%98%8E"`,
				} {
					if !strings.Contains(photo.Content, want) {
						t.Errorf("%s: content of %s lacks %s:\n%s", name, photo.Link, want, photo.Content)
					}
				}
			}
		}
	}

	// Pages link their feeds; a month has none of its own.
	for page, want := range map[string]string{
		"index.html":                        `href="https://news.example.org/feed.xml"`,
		"bulletins/relief/index.html":       `href="https://news.example.org/atom.xml"`,
		"tags/dibao/index.html":             `<a class="subscribe" href="/subscribe/#feed-tags-dibao"`,
		"regions/qinghai/page/2/index.html": `href="https://news.example.org/regions/qinghai/feed.json"`,
		"archive/2024/01/index.html":        `<a class="subscribe" href="/subscribe/#feed-site"`,
	} {
		if !strings.Contains(string(files[page]), want) {
			t.Errorf("%s lacks %s", page, want)
		}
	}
}

// TestFeedLinkTypes: the media types of the feed links are written as
// they are, application/rss+xml, not with the + escaped as &#43;, which
// feed discovery that reads the markup as text does not recognise.
func TestFeedLinkTypes(t *testing.T) {
	s, sources := feedFixture(t)
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, sources, out)
	files := readTree(t, out)
	for _, tc := range []struct {
		page string
		want []string
	}{
		{"index.html", []string{
			`<link rel="alternate" type="application/rss+xml" title=`,
			`<link rel="alternate" type="application/atom+xml" title=`,
			`<link rel="alternate" type="application/feed+json" title=`,
		}},
		{"tags/dibao/index.html", []string{
			`<link rel="alternate" type="application/rss+xml" title="低保 RSS" href="https://news.example.org/tags/dibao/feed.xml">`,
		}},
		{"subscribe/index.html", []string{
			`<a href="/tags/dibao/feed.xml" type="application/rss+xml">RSS</a>`,
			`<a href="/tags/dibao/atom.xml" type="application/atom+xml">Atom</a>`,
			`<a href="/tags/dibao/feed.json" type="application/feed+json">JSON Feed</a>`,
		}},
	} {
		page := string(files[tc.page])
		for _, want := range tc.want {
			if !strings.Contains(page, want) {
				t.Errorf("%s lacks %s", tc.page, want)
			}
		}
		if strings.Contains(page, "&#43;xml") || strings.Contains(page, "&#43;json") {
			t.Errorf("%s has a feed type with its + escaped (&#43;)", tc.page)
		}
	}
}

// inSiteZone reports whether the feed date s (RFC 1123 with a numeric
// zone in RSS, RFC 3339 in Atom and JSON Feed) is in China Standard Time.
func inSiteZone(s string) bool {
	for _, layout := range []string{time.RFC1123Z, time.RFC3339} {
		if t, err := time.Parse(layout, s); err == nil {
			return t.Format("-07:00") == "+08:00"
		}
	}
	return false
}

// TestServeFeeds serves a built site and checks what readers and browsers
// get for feeds: their types, and 304 Not Modified for a tag they hold.
func TestServeFeeds(t *testing.T) {
	s, sources := loadFixture(t, "testdata/site")
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, sources, out)
	srv := httptest.NewServer(serve.Handler(os.DirFS(out), "/"))
	defer srv.Close()

	get := func(path, accept, etag string) *http.Response {
		t.Helper()
		req, _ := http.NewRequest("GET", srv.URL+path, nil)
		if accept != "" {
			req.Header.Set("Accept", accept)
		}
		if etag != "" {
			req.Header.Set("If-None-Match", etag)
		}
		resp, err := http.DefaultClient.Do(req)
		if err != nil {
			t.Fatal(err)
		}
		resp.Body.Close()
		return resp
	}
	const reader = "application/rss+xml, application/atom+xml, application/feed+json, */*;q=0.1"
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	for _, tc := range []struct{ path, accept, want string }{
		{"/feed.xml", reader, "application/rss+xml; charset=utf-8"},
		{"/atom.xml", "", "application/atom+xml; charset=utf-8"},
		{"/feed.json", reader, "application/feed+json; charset=utf-8"},
		{"/tags/dibao/feed.xml", reader, "application/rss+xml; charset=utf-8"},
		{"/tags/dibao/atom.xml", reader, "application/atom+xml; charset=utf-8"},
		// A browser is sent on to the subscribe page.
		{"/feed.xml", browser, "text/html; charset=utf-8"},
		{"/feed.json", browser, "text/html; charset=utf-8"},
		{"/assets/feed.xsl", "", "text/xsl; charset=utf-8"},
		{"/", browser, "text/html; charset=utf-8"},
	} {
		resp := get(tc.path, tc.accept, "")
		if got := resp.Header.Get("Content-Type"); resp.StatusCode != 200 || got != tc.want {
			t.Errorf("GET %s (Accept: %s): %d %s, want 200 %s", tc.path, tc.accept, resp.StatusCode, got, tc.want)
		}
		tag := resp.Header.Get("ETag")
		if !strings.HasPrefix(tag, `"`) || !strings.HasSuffix(tag, `"`) || len(tag) < 10 {
			t.Errorf("GET %s: ETag %q is not a strong tag", tc.path, tag)
			continue
		}
		if again := get(tc.path, tc.accept, tag); again.StatusCode != http.StatusNotModified {
			t.Errorf("GET %s with If-None-Match %s: %d, want 304", tc.path, tag, again.StatusCode)
		}
		if other := get(tc.path, tc.accept, `"other"`); other.StatusCode != 200 {
			t.Errorf("GET %s with another tag: %d, want 200", tc.path, other.StatusCode)
		}
	}
	if a, b := get("/feed.xml", reader, "").Header.Get("ETag"), get("/feed.xml", browser, "").Header.Get("ETag"); a == b {
		t.Errorf("feed.xml as RSS and as XML share the ETag %s", a)
	}

	// A rebuild that changes nothing keeps every tag.
	before := get("/feed.xml", reader, "").Header.Get("ETag")
	buildTo(t, s, sources, out)
	srv2 := httptest.NewServer(serve.Handler(os.DirFS(out), "/"))
	defer srv2.Close()
	resp, err := http.Get(srv2.URL + "/feed.xml")
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if after := resp.Header.Get("ETag"); after != before {
		t.Errorf("ETag of an unchanged feed went from %s to %s", before, after)
	}
}
