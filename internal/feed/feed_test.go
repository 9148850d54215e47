package feed

import (
	"bulletin/internal/golden"
	"bytes"
	"context"
	"encoding/xml"
	"errors"
	"io"
	"io/fs"
	"os"
	"path"
	"runtime"
	"sort"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"github.com/mmcdole/gofeed"

	"bulletin/internal/site"
	"bulletin/internal/sitetest"
)

// fixture is the site the build's golden pages are made from, so that the
// feeds and the pages they link to describe the same bulletins.
const fixture = "../build/testdata/site"

// buildGolden is the build's golden output of fixture, feeds included: the
// one copy of the golden feeds, which TestGolden compares with as well.
const buildGolden = "../build/testdata/golden"

// fixtureNow is after every fixture bulletin but the future one.
var fixtureNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func load(t testing.TB, fsys fs.FS) *site.Site {
	t.Helper()
	s, err := site.Load(context.Background(), fsys, site.Options{Now: fixtureNow})
	if err != nil {
		t.Fatalf("loading the site: %v", err)
	}
	return s
}

// render returns every feed of s by site-relative path.
func render(t testing.TB, s *site.Site) map[string][]byte {
	t.Helper()
	var mu sync.Mutex
	out := map[string][]byte{}
	err := Write(context.Background(), s, Channels(s), func(p string, data []byte) error {
		mu.Lock()
		defer mu.Unlock()
		if _, dup := out[p]; dup {
			t.Errorf("%s written twice", p)
		}
		out[p] = bytes.Clone(data)
		return nil
	})
	if err != nil {
		t.Fatalf("Write: %v", err)
	}
	return out
}

// TestGolden compares every feed of the fixture site with the feeds in
// the build's golden files, which are the same bytes: the build writes
// what Write gives. The build's TestGolden owns those files, so -update
// leaves them to it rather than have two packages rewrite them at once.
func TestGolden(t *testing.T) {
	if *golden.Update {
		t.Skip("the golden feeds are internal/build's: its TestGolden rewrites them")
	}
	got := map[string][]byte{}
	for name, data := range render(t, load(t, os.DirFS(fixture))) {
		got[strings.TrimPrefix(name, "/")] = data
	}
	want := golden.ReadDir(t, buildGolden)
	for name := range want {
		if base := path.Base(name); base != RSSFile && base != AtomFile && base != JSONFile {
			delete(want, name) // a page, which Write does not make
		}
	}
	diffs := golden.TreeDiff(got, want)
	for _, d := range diffs {
		t.Errorf("%s/%s", buildGolden, d)
	}
	if len(diffs) > 0 {
		t.Log("run go test ./internal/build -update to rewrite the golden feeds, and review the diff")
	}
}

func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}

// TestIDsStable adds a bulletin and renders again: no item may change its
// id, and a listing the new bulletin is not in must keep every byte.
func TestIDsStable(t *testing.T) {
	fsys := sitetest.ReadDir(t, fixture)
	before := render(t, load(t, fsys))
	if again := render(t, load(t, fsys)); !sameFiles(before, again) {
		t.Fatalf("two renders of the same site differ")
	}

	fsys["content/gansu/new.md"] = &fstest.MapFile{Data: []byte(`---
title: 甘肃省开展养老机构安全检查
date: 2024-06-01 10:00
bureau: 甘肃省民政厅
category: 养老服务
tags: [安全检查]
---

全省养老机构安全检查全面展开。
`)}
	after := render(t, load(t, fsys))

	oldIDs, newIDs := itemIDs(t, before), itemIDs(t, after)
	for url, id := range oldIDs {
		if newIDs[url] != id {
			t.Errorf("%s: id %q became %q after a bulletin was added", url, id, newIDs[url])
		}
	}
	if newIDs["https://news.example.org/bulletins/new/"] == "" {
		t.Errorf("the new bulletin is in no feed")
	}
	// The new bulletin is by 甘肃省民政厅 in 养老服务: the other listings
	// must not change at all.
	for _, dir := range []string{"/bureaus/qinghai/", "/bureaus/qinghai-xining/", "/regions/qinghai/",
		"/categories/shehuijiuzhu/", "/categories/gongzuodongtai/", "/tags/dibao/", "/tags/hunyindengji/"} {
		for _, f := range []string{RSSFile, AtomFile, JSONFile} {
			if !bytes.Equal(before[dir+f], after[dir+f]) {
				t.Errorf("%s%s changed although the new bulletin is not in it", dir, f)
			}
		}
	}
	for _, p := range []string{"/feed.xml", "/bureaus/gansu/atom.xml", "/categories/yanglaofuwu/feed.json", "/tags/anquanjiancha/feed.xml"} {
		if bytes.Equal(before[p], after[p]) {
			t.Errorf("%s did not change although the new bulletin is in it", p)
		}
	}
}

func sameFiles(a, b map[string][]byte) bool {
	if len(a) != len(b) {
		return false
	}
	for k, v := range a {
		if !bytes.Equal(v, b[k]) {
			return false
		}
	}
	return true
}

// itemIDs maps each item's URL to its id, from every format of every feed.
func itemIDs(t *testing.T, files map[string][]byte) map[string]string {
	t.Helper()
	ids := map[string]string{}
	for name, data := range files {
		f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		for _, it := range f.Items {
			if old, ok := ids[it.Link]; ok && old != it.GUID {
				t.Errorf("%s: %s has id %q here and %q elsewhere", name, it.Link, it.GUID, old)
			}
			ids[it.Link] = it.GUID
		}
	}
	return ids
}

// TestForbiddenCharacters gives a bulletin control characters pasted from
// a word processor, in its title and body: the XML feeds must stay
// well-formed and carry the text without them.
func TestForbiddenCharacters(t *testing.T) {
	fsys := sitetest.ReadDir(t, fixture)
	// The title's characters come through YAML escapes, which the loader
	// accepts; the body's are raw.
	fsys["content/gansu/pasted.md"] = &fstest.MapFile{Data: []byte("---\n" +
		`title: "控制\x01字符\x0b标题\uFFFE"` + "\ndate: 2024-06-01\nbureau: 甘肃省民政厅\n---\n\n" +
		"正文\x02含有\x0c控制\x1f字符\uFFFE和\uFFFF。\n")}
	files := render(t, load(t, fsys))
	for _, name := range []string{"/feed.xml", "/atom.xml", "/bureaus/gansu/feed.xml", "/bureaus/gansu/atom.xml"} {
		data := files[name]
		d := xml.NewDecoder(bytes.NewReader(data))
		for {
			_, err := d.Token()
			if err == io.EOF {
				break
			}
			if err != nil {
				t.Fatalf("%s is not well-formed XML: %v", name, err)
			}
		}
		f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		it := f.Items[0]
		if it.Title != "控制字符标题" {
			t.Errorf("%s: title %q, want 控制字符标题", name, it.Title)
		}
		if want := "<p>正文含有控制字符和。</p>"; !strings.Contains(it.Content, want) {
			t.Errorf("%s: content %q, want it to contain %q", name, it.Content, want)
		}
	}
}

func TestXMLText(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"", ""},
		{"民政\t工作\n动态\r", "民政\t工作\n动态\r"},
		{"a\x00b\x08c\x0bd\x0ce\x0ef\x1fg", "abcdefg"},
		{"\uFFFE前\uFFFF后\uFFFD", "前后\uFFFD"},
		{"lone \xed\xa0\x80surrogate", "lone surrogate"},
		{"bad \xff byte", "bad  byte"},
		{"\U0001F600 and \u0085", "\U0001F600 and \u0085"},
	} {
		if got := xmlText(tc.in); got != tc.want {
			t.Errorf("xmlText(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestAbsolutize(t *testing.T) {
	const page, base = "https://host/base/bulletins/x/", "https://host/base/"
	for _, tc := range []struct{ in, want string }{
		{`<p><img src="canteen.png" alt="图"></p>`, `<p><img src="https://host/base/bulletins/x/canteen.png" alt="图"></p>`},
		{`<a href="../other/">另见</a>`, `<a href="https://host/base/bulletins/other/">另见</a>`},
		{`<a href="/x">站内</a>`, `<a href="https://host/base/x">站内</a>`},
		{`<a href="#助餐">节</a>`, `<a href="https://host/base/bulletins/x/#助餐">节</a>`},
		{`<a href="standard.pdf?v=2#p3">附件</a>`, `<a href="https://host/base/bulletins/x/standard.pdf?v=2#p3">附件</a>`},
		{`<a href="//cdn.example.org/a.png">x</a>`, `<a href="https://cdn.example.org/a.png">x</a>`},
		// Left exactly as they were, bytes and all.
		{`<a href="https://www.mca.gov.cn/" rel="noopener noreferrer">民政部</a>`, `<a href="https://www.mca.gov.cn/" rel="noopener noreferrer">民政部</a>`},
		{`<a href="mailto:a@b.cn">信</a> <a href="tel:0971">电</a>`, `<a href="mailto:a@b.cn">信</a> <a href="tel:0971">电</a>`},
		{"<p>无链接 &amp; 表格<br>\n</p><!-- raw HTML omitted -->", "<p>无链接 &amp; 表格<br>\n</p><!-- raw HTML omitted -->"},
		// Only href and src, only in tags: text that mentions them stays.
		{`<p>href="a" src</p><a title="src" href="a&amp;b.pdf">x</a>`, `<p>href="a" src</p><a title="src" href="https://host/base/bulletins/x/a&amp;b.pdf">x</a>`},
	} {
		if got := absolutize(tc.in, page, base); got != tc.want {
			t.Errorf("absolutize(%s)\n got %s\nwant %s", tc.in, got, tc.want)
		}
	}
}

// TestSummaryMode checks feeds.content: summary: no bodies, and JSON Feed
// still has the content it requires.
func TestSummaryMode(t *testing.T) {
	s := load(t, os.DirFS(fixture))
	cfg := *s.Config
	cfg.Feeds.Content = "summary"
	sum := *s
	sum.Config = &cfg
	files := render(t, &sum)
	if bytes.Contains(files["/feed.xml"], []byte("content:encoded")) || bytes.Contains(files["/atom.xml"], []byte("<content")) {
		t.Errorf("summary feeds carry the body")
	}
	if bytes.Contains(files["/feed.json"], []byte("content_html")) || !bytes.Contains(files["/feed.json"], []byte(`"content_text": "西宁市首批二十个老年助餐点投入运营，为老年人提供就近用餐服务。"`)) {
		t.Errorf("summary JSON Feed:\n%s", files["/feed.json"])
	}
}

// TestLimits checks feeds.limit and feeds.listing_limit, newest first.
func TestLimits(t *testing.T) {
	s := load(t, os.DirFS(fixture))
	cfg := *s.Config
	cfg.Feeds.Limit, cfg.Feeds.ListingLimit = 2, 1
	lim := *s
	lim.Config = &cfg
	files := render(t, &lim)
	for name, want := range map[string][]string{
		"/feed.json":                 {"https://news.example.org/bulletins/marriage/", "https://news.example.org/bulletins/xining-canteen/"},
		"/regions/qinghai/feed.json": {"https://news.example.org/bulletins/xining-canteen/"},
	} {
		f, err := gofeed.NewParser().Parse(bytes.NewReader(files[name]))
		if err != nil {
			t.Fatal(err)
		}
		var got []string
		for _, it := range f.Items {
			got = append(got, it.Link)
		}
		if strings.Join(got, " ") != strings.Join(want, " ") {
			t.Errorf("%s has %v, want %v", name, got, want)
		}
	}
}

// TestEmptySite renders a site without bulletins: the site-wide feeds
// exist, are valid and do not depend on when they were built.
func TestEmptySite(t *testing.T) {
	fsys := sitetest.ReadDir(t, fixture)
	for name := range fsys {
		if strings.HasSuffix(name, ".md") {
			delete(fsys, name)
		}
	}
	files := render(t, load(t, fsys))
	if len(files) != 3 {
		t.Errorf("wrote %v, want only the three site-wide feeds", sortedKeys(files))
	}
	for name, data := range files {
		f, err := gofeed.NewParser().Parse(bytes.NewReader(data))
		if err != nil {
			t.Fatalf("%s: %v", name, err)
		}
		if len(f.Items) != 0 {
			t.Errorf("%s has %d items", name, len(f.Items))
		}
	}
	if !bytes.Contains(files["/atom.xml"], []byte("<updated>0001-01-01T00:00:00Z</updated>")) {
		t.Errorf("empty Atom feed's updated is not the zero time:\n%s", files["/atom.xml"])
	}
}

func TestLinks(t *testing.T) {
	s := load(t, os.DirFS(fixture))
	var urls []string
	for _, l := range Links(s, s.Bureaus.Terms[0]) {
		urls = append(urls, l.Type+" "+l.URL)
	}
	want := []string{
		"application/rss+xml /bureaus/qinghai/feed.xml", "application/atom+xml /bureaus/qinghai/atom.xml",
		"application/feed+json /bureaus/qinghai/feed.json",
		"application/rss+xml /feed.xml", "application/atom+xml /atom.xml", "application/feed+json /feed.json",
	}
	if strings.Join(urls, "\n") != strings.Join(want, "\n") {
		t.Errorf("Links(bureau) =\n%s\nwant\n%s", strings.Join(urls, "\n"), strings.Join(want, "\n"))
	}
	if got := Links(s, s.Months.Terms[0]); len(got) != 3 || got[0].URL != "/feed.xml" {
		t.Errorf("a month has feeds of its own: %v", got)
	}
	if got := Links(s, nil); len(got) != 3 || got[0].Title != "测试民政信息网 RSS" {
		t.Errorf("Links(nil) = %v", got)
	}
}

// TestBasePath publishes the site below a path: every URL in the feeds
// and the stylesheet's must be under it, while ids stay as they were.
func TestBasePath(t *testing.T) {
	s := load(t, os.DirFS(fixture))
	cfg := *s.Config
	cfg.Base, _ = site.ParseBase("https://www.example.gov.cn/news/")
	sub := *s
	sub.Config = &cfg
	rss := string(render(t, &sub)["/bureaus/qinghai/feed.xml"])
	for _, want := range []string{
		`<?xml-stylesheet type="text/xsl" href="/news/assets/feed.xsl"?>`,
		`<link>https://www.example.gov.cn/news/bureaus/qinghai/</link>`,
		`<atom:link href="https://www.example.gov.cn/news/bureaus/qinghai/feed.xml" rel="self"`,
		`<link>https://www.example.gov.cn/news/bulletins/relief/</link>`,
		`href="https://www.example.gov.cn/news/bulletins/relief/standard.pdf"`,
		`<guid isPermaLink="false">tag:www.example.gov.cn,2024-01-12:/bulletins/relief/</guid>`,
	} {
		if !strings.Contains(rss, want) {
			t.Errorf("feed below /news/ lacks %s", want)
		}
	}
}

// TestRSSItems: a feed of items that are not bulletins keeps the feeds'
// promises: the stylesheet and self link, tag URIs of the item's day in
// the site's zone, absolute links, nothing XML forbids, and its content
// even in summary mode.
func TestRSSItems(t *testing.T) {
	s := load(t, os.DirFS(fixture))
	cfg := *s.Config
	cfg.Base, _ = site.ParseBase("https://www.example.gov.cn/news/")
	cfg.Feeds.Content = "summary"
	// 23:00 UTC is the next morning in Xining.
	signed := time.Date(2024, 1, 30, 23, 0, 0, 0, time.UTC)
	data, err := RSS(&cfg, "/digests/", "工作\x01简报", "简报", []Item{{
		Title: "第1期\x0b", URL: "/digests/2024-001/", Date: signed,
		Summary: "目录：A & B", Content: `<a href="/bulletins/relief/">救助</a><a href="../2024-002/">下期</a>`,
	}})
	if err != nil {
		t.Fatal(err)
	}
	rss := string(data)
	for _, want := range []string{
		`<?xml-stylesheet type="text/xsl" href="/news/assets/feed.xsl"?>`,
		`<title>工作简报</title>`,
		`<atom:link href="https://www.example.gov.cn/news/digests/feed.xml" rel="self" type="application/rss+xml">`,
		`<title>第1期</title>`,
		`<link>https://www.example.gov.cn/news/digests/2024-001/</link>`,
		`<description>目录：A &amp;amp; B</description>`,
		`<a href="https://www.example.gov.cn/news/bulletins/relief/">救助</a><a href="https://www.example.gov.cn/news/digests/2024-002/">下期</a>`,
		`<guid isPermaLink="false">tag:www.example.gov.cn,2024-01-31:/digests/2024-001/</guid>`,
		`<pubDate>Wed, 31 Jan 2024 07:00:00 +0800</pubDate>`,
	} {
		if !strings.Contains(rss, want) {
			t.Errorf("feed lacks %s\n%s", want, rss)
		}
	}
	if _, err := gofeed.NewParser().Parse(bytes.NewReader(data)); err != nil {
		t.Errorf("feed does not parse: %v", err)
	}
	var none site.Config
	if _, err := RSS(&none, "/digests/", "x", "x", nil); err == nil {
		t.Errorf("a feed without base_url has no absolute links, yet RSS wrote one")
	}
}

// TestWriteStops checks that Write stops with the feeds under way when the
// context is cancelled or a file cannot be written, rather than rendering
// every other feed of the site, and reports why.
func TestWriteStops(t *testing.T) {
	s := benchSite(500)
	chans := Channels(s)
	// A feed under way per worker, with slack, each of three files.
	limit := int64(3 * (1 + 2*runtime.GOMAXPROCS(0)))
	errDisk := errors.New("disk full")
	for _, cancelled := range []bool{true, false} {
		ctx, cancel := context.WithCancel(context.Background())
		var calls atomic.Int64
		err := Write(ctx, s, chans, func(string, []byte) error {
			if calls.Add(1) == 1 {
				if cancelled {
					cancel()
				} else {
					return errDisk
				}
			}
			return nil
		})
		cancel()
		want := errDisk
		if cancelled {
			want = context.Canceled
		}
		if !errors.Is(err, want) {
			t.Errorf("err = %v, want %v", err, want)
		}
		if c := calls.Load(); c > limit {
			t.Errorf("%v: %d of %d files written after the first, want at most %d", want, c, 3*len(chans), limit)
		}
	}
}
