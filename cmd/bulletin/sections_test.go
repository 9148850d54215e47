package main

import (
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// copySampleWithDigests is copySample with the sample's issued digest
// numbers, which the build publishes at /digests/.
func copySampleWithDigests(t *testing.T) string {
	t.Helper()
	dir := copySample(t)
	records, err := filepath.Glob(filepath.Join("..", "..", "digests", "issues", "*.yaml"))
	if err != nil || len(records) == 0 {
		t.Fatalf("the sample site has no digest records: %v", err)
	}
	for _, r := range records {
		copyFile(t, r, filepath.Join(dir, "digests", "issues", filepath.Base(r)))
	}
	return dir
}

// TestDigestArchiveLinked: the digest archive, /digests/, is a part of the
// site like any listing: the navigation of every page, the home page, the
// sitemap and the subscribe page (with its feed) link it, and its issue
// pages carry the footer that every page of a government site must.
func TestDigestArchiveLinked(t *testing.T) {
	dir := copySampleWithDigests(t)
	public := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := run(t, "build", "-s", dir, "-o", public, "-q", "-no-index", "-now", "2026-01-01"); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	read := func(name string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(public, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}
	const nav = `<li><a href="/digests/">民政工作简报</a></li>`
	for _, tc := range []struct {
		what, page string
		want       []string
	}{
		{"navigation", "index.html", []string{nav}},
		{"navigation", "bulletins/qinghai-dibao-standard-2025/index.html", []string{nav}},
		{"navigation", "404.html", []string{nav}},
		{"navigation", "subscribe/index.html", []string{nav}},
		{"navigation", "digests/index.html", []string{`<li><a href="/digests/" aria-current="page">民政工作简报</a></li>`}},
		{"home page", "index.html", []string{`<h2><a href="/digests/">民政工作简报</a></h2>`, `<a href="/digests/2025-001/">2025年第1期（总第1期）</a>`}},
		{"sitemap", "sitemap.xml", []string{"<loc>https://minzheng.example.cn/digests/</loc>", "<loc>https://minzheng.example.cn/digests/2025-001/</loc>"}},
		{"subscribe page", "subscribe/index.html", []string{`<li id="feed-digests">`, `value="https://minzheng.example.cn/digests/feed.xml"`, `<a href="/digests/feed.xml" type="application/rss+xml">RSS</a>`}},
		{"archive's 订阅", "digests/index.html", []string{`<a class="subscribe" href="/subscribe/#feed-digests"`}},
		{"issue footer", "digests/2025-001/index.html", []string{`<footer class="site-footer">`, "主办：青海省民政厅", "承办：青海省民政厅信息中心", "网站标识码：6300000001", "青ICP备00000000号-1", "青公网安备 63010000000000号"}},
	} {
		page := read(tc.page)
		for _, want := range tc.want {
			if !strings.Contains(page, want) {
				t.Errorf("%s: %s lacks %s", tc.what, tc.page, want)
			}
		}
	}

	// Without issues to publish, nothing links /digests/.
	if err := os.RemoveAll(filepath.Join(dir, "digests")); err != nil {
		t.Fatal(err)
	}
	if code, _, stderr := run(t, "build", "-s", dir, "-o", public, "-q", "-no-index", "-now", "2026-01-01"); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	for _, name := range []string{"index.html", "sitemap.xml", "subscribe/index.html"} {
		if strings.Contains(read(name), "/digests/") {
			t.Errorf("a site without issues: %s links /digests/", name)
		}
	}
}

// TestSearchPageFeeds: the search page, made per request, links the site's
// feeds for autodiscovery and shows the 订阅 link, as every page does.
func TestSearchPageFeeds(t *testing.T) {
	dir := copySampleWithDigests(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base := "http://" + startServeArgs(t, ctx, "-s", dir, "-now", "2026-01-01", "-watch=false")
	client := &http.Client{Timeout: 5 * time.Second}
	for _, tc := range []struct {
		path string
		want []string
	}{
		// A search offers its own feed first, and the site's too.
		{"/search?q=%E4%BD%8E%E4%BF%9D", []string{
			`<link rel="alternate" type="application/rss+xml" title="“低保”的搜索结果 RSS" href="https://minzheng.example.cn/search/feed.xml?q=%E4%BD%8E%E4%BF%9D">`,
			`<link rel="alternate" type="application/rss+xml" title="民政信息网 RSS" href="https://minzheng.example.cn/feed.xml">`,
			`<link rel="alternate" type="application/atom+xml" title="民政信息网 Atom" href="https://minzheng.example.cn/atom.xml">`,
			`<a class="subscribe" href="/search/feed.xml?q=%E4%BD%8E%E4%BF%9D"`,
			`<li><a href="/digests/">民政工作简报</a></li>`,
		}},
		// Searching for nothing: the site's feeds.
		{"/search", []string{
			`<link rel="alternate" type="application/rss+xml" title="民政信息网 RSS" href="https://minzheng.example.cn/feed.xml">`,
			`<a class="subscribe" href="/subscribe/#feed-site"`,
		}},
	} {
		resp, err := client.Get(base + tc.path)
		if err != nil {
			t.Fatal(err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		for _, want := range tc.want {
			if !strings.Contains(string(body), want) {
				t.Errorf("the search page %s lacks %s", tc.path, want)
			}
		}
	}
}
