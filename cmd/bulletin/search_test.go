package main

import (
	"bytes"
	"context"
	"encoding/json"
	"io"
	"io/fs"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/mmcdole/gofeed"
)

func TestBuildWritesSearchIndex(t *testing.T) {
	dir := copySample(t)
	out := filepath.Join(t.TempDir(), "public")
	index := filepath.Join(dir, ".bulletin", "search")
	build := func(args ...string) string {
		t.Helper()
		code, stdout, stderr := run(t, append([]string{"build", "-s", dir, "-o", out, "-now", "2026-01-01"}, args...)...)
		if code != 0 {
			t.Fatalf("build %q: exit %d\n%s", args, code, stderr)
		}
		return stdout
	}

	if got := build(); !strings.Contains(got, "indexed 14 bulletins for search") {
		t.Errorf("first build printed %q, want the index built", got)
	}
	if _, err := os.Stat(filepath.Join(index, "CURRENT")); err != nil {
		t.Errorf("no index in SITE/.bulletin/search: %v", err)
	}
	// The index is never published with the site.
	filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err == nil && (d.Name() == "index_meta.json" || strings.HasSuffix(p, ".zap")) {
			t.Errorf("index file published: %s", p)
		}
		return nil
	})
	if got := build(); !strings.Contains(got, "search index up to date (14 bulletins)") {
		t.Errorf("second build printed %q, want nothing to index", got)
	}

	// One bulletin edited: only it is indexed again, and found.
	path := filepath.Join(dir, "content", "qinghai", "2024", "winter-relief.md")
	data, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(path, append(data, "\n\n补充：牦牛绒被已发放到户。\n"...), 0o644)
	if got := build(); !strings.Contains(got, "0 new, 1 changed, 0 removed") {
		t.Errorf("build after an edit printed %q, want one changed", got)
	}

	// -q prints nothing; -no-index leaves the index alone; -index moves it.
	if got := build("-q"); got != "" {
		t.Errorf("-q printed %q", got)
	}
	other := filepath.Join(t.TempDir(), "idx")
	if got := build("-no-index", "-index", other); strings.Contains(got, "index") {
		t.Errorf("-no-index printed %q", got)
	}
	if _, err := os.Stat(other); err == nil {
		t.Errorf("-no-index wrote %s", other)
	}
	if got := build("-index", other); !strings.Contains(got, "-> "+other) {
		t.Errorf("-index printed %q", got)
	}
}

func TestServeSearch(t *testing.T) {
	dir := copySample(t)
	// Mount the site under a path, as base_url allows.
	yaml, _ := os.ReadFile(filepath.Join(dir, "site.yaml"))
	yaml = []byte(strings.Replace(string(yaml), "base_url: https://minzheng.example.cn/", "base_url: https://minzheng.example.cn/news/", 1))
	os.WriteFile(filepath.Join(dir, "site.yaml"), yaml, 0o644)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base := "http://" + startServeArgs(t, ctx, "-s", dir, "-now", "2026-01-01") + "/news/"
	client := &http.Client{Timeout: 5 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	get := func(path string) (int, string, string) {
		t.Helper()
		resp, err := client.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		return resp.StatusCode, resp.Header.Get("Content-Type"), string(body)
	}
	q := url.QueryEscape

	code, ctype, body := get("search?q=" + q("低保"))
	if code != 200 || ctype != "text/html; charset=utf-8" {
		t.Fatalf("search page: %d %q", code, ctype)
	}
	for _, want := range []string{
		"<title>“低保”的搜索结果 - 民政信息网</title>", `class="kind-search"`, `<meta name="robots" content="noindex">`,
		"<mark>低保</mark>", `href="/news/bulletins/`, `href="/news/search?q=%E4%BD%8E%E4%BF%9D&amp;sort=date"`,
		`action="/news/search"`, "共找到", "来源单位",
	} {
		if !strings.Contains(body, want) {
			t.Errorf("search page lacks %q", want)
		}
	}

	// What the page says is the theme's wording of what the search did.
	for _, tc := range []struct {
		path   string
		status int
		want   []string
	}{
		{"search", 200, []string{"<title>搜索 - 民政信息网</title>", `<meta name="ColumnName" content="站内搜索">`, "请输入要查找的词语。"}},
		{"search?q=" + q("低保") + "&bureau=" + q("青海省民政厅") + "&from=2025-01-01&to=2025-12-31", 200, []string{
			"来源单位：青海省民政厅", "发布日期：2025年", "<h2>年份</h2>", "2025年</a>", "<h2>地区</h2>", ">按时间</a>", `<span aria-current="true">按相关度</span>`}},
		{"search?q=" + q("低保") + "&from=2025-01-01", 200, []string{"发布日期：2025年1月1日及以后"}},
		{"search?q=" + q("低保 量子 计算机"), 200, []string{"去掉“量子”，搜索“低保 计算机”"}},
		{"search?q=" + q("殡葬量子") + "&region=" + q("甘肃省"), 200, []string{"取消全部筛选条件", "地区：甘肃省"}},
		// Synonyms: the built-in table's 最低生活保障 for 低保, after its own.
		{"search?q=" + q("低保"), 200, []string{"同时显示了“最低生活保障”的结果。", `<a href="/news/search?q=%E4%BD%8E%E4%BF%9D&amp;exact=1">只搜索“低保”</a>`}},
		{"search?q=" + q("低保") + "&exact=1", 200, []string{"共找到"}},
		// A page past the last (an estimate's last page, or a hand-made
		// link) says how many pages there are, not "page 9 of 2".
		{"search?q=" + q("民政") + "&page=9", 200, []string{"条相关信息，共2页</p>", "这一页没有结果。"}},
		// Traditional characters find the simplified text; the box keeps them.
		{"search?q=" + q("臨時救助"), 200, []string{"共找到", `value="臨時救助"`, "<mark>临时救助</mark>"}},
		// An input-method slip: 樟 for 障, found as meant, with a way back.
		{"search?q=" + q("最低生活保樟"), 200, []string{"以下是“<strong>最低生活保障</strong>”的搜索结果。",
			`仍然搜索：<a href="/news/search?q=` + q("最低生活保樟") + `&amp;exact=1">最低生活保樟</a>`}},
		{"search?q=" + strings.Repeat("%E4%BD%8E", 200), 200, []string{"搜索词过长，只使用了前100个字。"}},
		{"search?q=x&page=0", 400, []string{"搜索条件有误：页码“0”无效。"}},
		{"search?q=x&from=2024-13-01&sort=new", 400, []string{"搜索条件有误：起始日期“2024-13-01”不是有效的日期，请写成“2024-01-31”这样的格式；排序方式“new”无效，请选“按相关度”或“按时间”。"}},
		{"search?q=x&from=2024-12-31&to=2024-01-01", 400, []string{"搜索条件有误：截止日期早于起始日期。"}},
	} {
		code, _, body := get(tc.path)
		if code != tc.status {
			t.Errorf("GET %.60s: %d, want %d", tc.path, code, tc.status)
		}
		for _, want := range tc.want {
			if !strings.Contains(body, want) {
				t.Errorf("GET %.60s: the page lacks %s", tc.path, want)
			}
		}
	}

	code, ctype, body = get("api/search?q=" + q("低保") + "&sort=date")
	var r struct {
		Total int
		Hits  []struct{ URL string }
	}
	if err := json.Unmarshal([]byte(body), &r); code != 200 || ctype != "application/json; charset=utf-8" || err != nil || r.Total == 0 ||
		!strings.HasPrefix(r.Hits[0].URL, "/news/bulletins/") {
		t.Errorf("api: %d %q %v %s", code, ctype, err, body)
	}

	for _, tc := range []struct {
		path   string
		status int
		absent string
	}{
		{"search?q=" + q("<script>alert(1)</script>"), 200, "<script>alert"},
		{"search?q=" + strings.Repeat("%E4%BD%8E", 6000), 200, ""},
		{"search?q=" + q(`*~\"`), 200, ""},
		{"search?q=" + q("标题:低保"), 200, ""},
		{"search?q=x&page=0", 400, ""},
		{"search?from=2024-13-01", 400, ""},
		{"api/search?q=" + q("<script>") + "&sort=x", 400, "<script>"},
		{"search", 200, ""},
		{"", 200, ""}, // the static site, still there
	} {
		code, _, body := get(tc.path)
		if code != tc.status || tc.absent != "" && strings.Contains(body, tc.absent) {
			t.Errorf("GET %.60s: %d, want %d (absent %q)", tc.path, code, tc.status, tc.absent)
		}
	}
}

// TestTopicFeeds: every search has feeds of its newest matches, which feed
// readers parse; an item has the id the site's own feeds give it, and the
// text; they are served as the site's feeds are, and the search page
// offers them (订阅此搜索, autodiscovery).
func TestTopicFeeds(t *testing.T) {
	dir := copySample(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base := "http://" + startServeArgs(t, ctx, "-s", dir, "-now", "2026-01-01", "-rate", "1000", "-burst", "1000")
	q := url.QueryEscape
	params := "q=" + q("低保") + "&region=" + q("青海省")
	parser := gofeed.NewParser()
	parse := func(path string) *gofeed.Feed {
		t.Helper()
		resp, err := http.Get(base + path)
		if err != nil {
			t.Fatal(err)
		}
		defer resp.Body.Close()
		body, _ := io.ReadAll(resp.Body)
		if resp.StatusCode != 200 || resp.Header.Get("Cache-Control") != "no-cache" || resp.Header.Get("Vary") != "Accept" {
			t.Fatalf("GET %s: %d, Cache-Control %q, Vary %q\n%s", path, resp.StatusCode, resp.Header.Get("Cache-Control"), resp.Header.Get("Vary"), body)
		}
		f, err := parser.Parse(bytes.NewReader(body))
		if err != nil {
			t.Fatalf("GET %s: a feed reader cannot read it: %v", path, err)
		}
		return f
	}
	var search struct {
		Total int
		Hits  []struct{ URL string }
	}
	if err := json.Unmarshal([]byte(fetch(t, base+"/api/search?sort=date&"+params)), &search); err != nil || search.Total == 0 {
		t.Fatalf("the search finds %d (%v)", search.Total, err)
	}
	for _, file := range []string{"feed.xml", "atom.xml", "feed.json"} {
		// The site's own feed of the same kind, its items by link: a
		// bulletin in both is the same item.
		own := map[string]*gofeed.Item{}
		for _, it := range parse("/" + file).Items {
			own[it.Link] = it
		}
		same := 0
		f := parse("/search/" + file + "?" + params)
		if !strings.Contains(f.Title, "低保") || !strings.Contains(f.Title, "青海省") {
			t.Errorf("%s: title %q", file, f.Title)
		}
		if len(f.Items) != min(search.Total, 50) {
			t.Errorf("%s: %d items, the search finds %d", file, len(f.Items), search.Total)
		}
		var last time.Time
		for i, it := range f.Items {
			if i < len(search.Hits) && !strings.HasSuffix(it.Link, search.Hits[i].URL) {
				t.Errorf("%s: item %d is %s, the search's newest is %s", file, i, it.Link, search.Hits[i].URL)
			}
			if it.PublishedParsed == nil || !last.IsZero() && it.PublishedParsed.After(last) {
				t.Errorf("%s: item %s out of date order", file, it.Link)
			} else {
				last = *it.PublishedParsed
			}
			if !strings.Contains(it.Content, "<p>") {
				t.Errorf("%s: item %s has no body", file, it.Link)
			}
			if o := own[it.Link]; o != nil {
				same++
				if it.GUID != o.GUID || it.Content != o.Content || it.Description != o.Description ||
					it.Updated != o.Updated || it.Published != o.Published || !slices.Equal(it.Categories, o.Categories) {
					t.Errorf("%s: item %s differs from the site's feed's:\n%+v\n%+v", file, it.Link, it, o)
				}
			}
		}
		if same == 0 {
			t.Errorf("%s: no item is in the site's feed too: nothing compared", file)
		}
	}
	// Only bulletins with every word: none with some of them.
	if f := parse("/search/feed.xml?q=" + q("低保 量子")); len(f.Items) != 0 {
		t.Errorf("a feed of words no bulletin has together lists %d", len(f.Items))
	}
	if resp, err := http.Get(base + "/search/feed.xml?q=x&from=bad"); err != nil || resp.StatusCode != 400 {
		t.Errorf("a bad date: %v %v", resp.StatusCode, err)
	}
	page := fetch(t, base+"/search?"+params)
	feedPath := "/search/feed.xml?" + strings.ReplaceAll(params, "&", "&amp;")
	for _, want := range []string{`href="` + feedPath + `" type="application/rss+xml"`, ">订阅此搜索</a>",
		`<link rel="alternate" type="application/rss+xml" title="“低保”（地区：青海省）的搜索结果 RSS" href="https://minzheng.example.cn` + feedPath + `">`} {
		if !strings.Contains(page, want) {
			t.Errorf("the search page lacks %s", want)
		}
	}
}
