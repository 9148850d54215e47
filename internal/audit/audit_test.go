package audit

import (
	"context"
	"fmt"
	"net/http"
	"net/http/httptest"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/linkcheck"
	"bulletin/internal/site"
	"bulletin/internal/sitetest"
)

var shanghai = time.FixedZone("CST", 8*3600)

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		t, err = time.ParseInLocation(time.DateOnly, s, shanghai)
	}
	if err != nil {
		panic(err)
	}
	return t
}

const config = `-- site.yaml --
title: 测试政务网
base_url: https://test.example.gov.cn/news/
bureaus:
  - {name: 测试市民政局, region: 青海省测试市, slug: ceshi}
  - {name: 甲县民政局, region: 青海省测试市甲县, slug: jiaxian}
`

// bulletins writes n bulletins of category cat dated date.
func bulletins(prefix, cat, date string, n int) string {
	var b strings.Builder
	for i := range n {
		fmt.Fprintf(&b, "-- content/%s%d.md --\n---\ntitle: %s第%d条\ndate: %s\nbureau: 测试市民政局\ncategory: %s\n---\n正文。\n", prefix, i, cat, i, date, cat)
	}
	return b.String()
}

func load(t *testing.T, files string, now string) *site.Site {
	t.Helper()
	s, err := site.Load(context.Background(), sitetest.FS(files), site.Options{Now: at(now)})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func TestHomeUpdated(t *testing.T) {
	files := config + bulletins("a", "工作动态", "2025-03-10 23:30", 1)
	for _, tc := range []struct {
		now  string
		pass bool
	}{
		{"2025-03-24 00:10", true},  // 14 calendar days
		{"2025-03-25 00:10", false}, // 15
		{"2025-03-11 08:00", true},
	} {
		c := homeUpdated(load(t, files, tc.now))
		if c.Pass != tc.pass {
			t.Errorf("at %s: pass %v, want %v (%v)", tc.now, c.Pass, tc.pass, c.Summary)
		}
	}
	if c := homeUpdated(load(t, config, "2025-03-11")); c.Pass {
		t.Error("a site with no bulletin passes")
	}
}

func TestColumnsUpdated(t *testing.T) {
	cats := func(names ...string) string {
		return config + "categories:\n  - " + strings.Join(names, "\n  - ") + "\n"
	}
	for _, tc := range []struct {
		name         string
		files        string
		pass         bool
		stale, quiet int // stale columns; bureaus listed for the editors
	}{
		{"four stale news columns pass", cats("工作动态", "要闻", "新闻", "快讯") +
			bulletins("a", "工作动态", "2025-01-01", 1) + bulletins("b", "要闻", "2025-01-01", 1) +
			bulletins("c", "新闻", "2025-01-01", 1) + bulletins("d", "快讯", "2025-01-01", 1), true, 4, 2},
		{"five fail", cats("工作动态", "要闻", "新闻", "快讯", "通知公告") +
			bulletins("a", "工作动态", "2025-01-01", 1) + bulletins("b", "要闻", "2025-01-01", 1) +
			bulletins("c", "新闻", "2025-01-01", 1) + bulletins("d", "快讯", "2025-01-01", 1) +
			bulletins("e", "通知公告", "2024-06-01", 1), false, 5, 2},
		{"five explicitly timed columns fail, whatever their names", config + "categories:\n" + func() string {
			var b strings.Builder
			for _, c := range []string{"甲", "乙", "丙", "丁", "戊"} {
				b.WriteString("  - {name: " + c + ", update: 2w}\n")
			}
			for _, c := range []string{"甲", "乙", "丙", "丁", "戊"} {
				b.WriteString(bulletins(c, c, "2025-03-01", 1))
			}
			return b.String()
		}(), false, 5, 1},
		{"a notice within six months is not stale", cats("通知公告") + bulletins("e", "通知公告", "2024-11-01", 1), true, 0, 2},
		{"update: none is not judged, update: 3d is", config + "categories:\n  - {name: 工作动态, update: none}\n  - {name: 社会救助, update: 3d}\n" +
			bulletins("a", "工作动态", "2024-01-01", 1) + bulletins("b", "社会救助", "2025-03-25", 1), true, 1, 1},
		{"nine yearly pass", cats("一", "二", "三", "四", "五", "六", "七", "八", "九") + func() string {
			var b strings.Builder
			for _, c := range []string{"一", "二", "三", "四", "五", "六", "七", "八", "九"} {
				b.WriteString(bulletins(c, c, "2023-01-01", 1))
			}
			return b.String()
		}(), true, 9, 2},
		{"ten yearly fail", cats("一", "二", "三", "四", "五", "六", "七", "八", "九", "十") + func() string {
			var b strings.Builder
			for _, c := range []string{"一", "二", "三", "四", "五", "六", "七", "八", "九", "十"} {
				b.WriteString(bulletins(c, c, "2023-01-01", 1))
			}
			return b.String()
		}(), false, 10, 2},
	} {
		t.Run(tc.name, func(t *testing.T) {
			c := columnsUpdated(load(t, tc.files, "2025-03-31"))
			quiet := 0
			for _, f := range c.Findings {
				if f.Warn {
					quiet++
					if f.Line != 4 && f.Line != 5 { // the bureaus' lines in site.yaml
						t.Errorf("a bureau's note on line %d", f.Line)
					}
				}
			}
			if c.Pass != tc.pass || c.Count != tc.stale || quiet != tc.quiet {
				t.Errorf("pass %v, %d stale, %d bureaus listed; want %v, %d, %d: %v", c.Pass, c.Count, quiet, tc.pass, tc.stale, tc.quiet, c.Findings)
			}
		})
	}
}

func TestEmptyColumns(t *testing.T) {
	cats := config + "categories:\n  - 甲\n  - 乙\n  - 丙\n  - 丁\n  - 戊\n" + bulletins("a", "甲", "2025-03-01", 1)
	s := load(t, cats, "2025-03-31")
	if c := emptyColumns(s, nil); !c.Pass || c.Count != 4 || c.Findings[0].Line != 8 {
		t.Errorf("four planned categories empty: pass %v, count %d, %+v (乙 on site.yaml:8)", c.Pass, c.Count, c.Findings)
	}
	pages := map[string]*page{
		"/":        {url: "/", links: []link{{href: "/news/tags/x/"}}},
		"/tags/x/": {url: "/tags/x/", empty: true},
		"/tags/":   {url: "/tags/", empty: true}, // linked from nowhere
		"/search/": {url: "/search/", empty: true},
	}
	if c := emptyColumns(s, pages); c.Pass || c.Count != 5 {
		t.Errorf("and an empty listing linked from the home page: pass %v, count %d; want a failure at 5: %v", c.Pass, c.Count, c.Findings)
	}
}

func TestParsePage(t *testing.T) {
	pg := parsePage([]byte(`<!DOCTYPE html><html><head><meta name="SiteName" content="站"><link rel="stylesheet" href="/news/assets/style.css"></head>
<body><nav class="site-nav"><ul><li><a href="/news/bureaus/">单位</a></li></ul></nav>
<h2 id="一、总体情况">一</h2><a name="old">x</a>
<ul class="items">
<li class="item"><h2><a href="/news/bulletins/a/">甲</a></h2><p><time datetime="2025-01-01">1月1日</time></p></li>
<li class="item"><h2><a href="/news/bulletins/b/">乙</a></h2><ul><li>inner</li></ul><p>没有日期</p></li>
<li class="item"><img src="x.png"><p><time datetime="2025-01-02">1月2日</time></p></li>
</ul>
<p class="empty">暂无信息。</p>
<form action="/news/search" role="search"></form>
<footer><p>主办：测试市民政局</p><p><a href="https://beian.miit.gov.cn/">青ICP备12345678号-1</a></p></footer>
</body></html>`))
	if pg.items != 3 || pg.undated != 1 || !pg.empty || !pg.searchForm {
		t.Errorf("items %d, undated %d, empty %v, search %v", pg.items, pg.undated, pg.empty, pg.searchForm)
	}
	if !pg.ids["一、总体情况"] || !pg.ids["old"] || pg.meta["SiteName"] != "站" {
		t.Errorf("ids %v, meta %v", pg.ids, pg.meta)
	}
	if l := pg.links[1]; l.href != "/news/bureaus/" || l.line != 2 {
		t.Errorf("links %+v", pg.links)
	}
	if !strings.Contains(pg.text, "主办：测试市民政局") || !strings.Contains(pg.text, "青ICP备12345678号-1") || strings.Contains(pg.text, "没有日期") {
		t.Errorf("footer text %q", pg.text)
	}
}

// TestInternalLinks: links, anchors and attachments of the built pages
// under a base path, the home page counted apart.
func TestInternalLinks(t *testing.T) {
	base, _ := site.ParseBase("https://test.example.gov.cn/news/")
	out := fstest.MapFS{
		"index.html":             {Data: []byte(`<a href="/news/bulletins/a/">ok</a><a href="/news/bulletins/gone/">gone</a><a href="bulletins/a/#一">anchor</a><a href="/news/search?q=低保">search</a><a href="https://www.gov.cn/">external</a><a href="mailto:a@b.cn">mail</a>`)},
		"bulletins/a/index.html": {Data: []byte(`<h2 id="一">一</h2><a href="附件.pdf">附件</a><a href="../a/#二">no anchor</a><a href="/other/">outside</a><a href="https://test.example.gov.cn/news/bulletins/a/">self</a><a href="#一">here</a><a href="../../../tags/">climbs out</a><a href="/news//bulletins/../bulletins/a/">unclean</a>`)},
		"bulletins/a/附件.pdf":     {Data: []byte("%PDF")},
		"bulletins/b/index.html": {Data: []byte(`<a href="../a/missing.pdf">missing</a><a href="/news/bulletins/a">no slash</a>`)},
		"assets/style.css":       {Data: []byte("")},
		"bulletins/c/index.html": {Data: []byte(`<link rel="stylesheet" href="/news/assets/style.css"><img src="/news/assets/missing.png" alt="x"><a href="/news/theme-gone/">theme</a>`)},
	}
	pages, err := scan(context.Background(), out, base)
	if err != nil {
		t.Fatal(err)
	}
	// b's Markdown holds the broken attachment on its line 7; the other
	// broken link of its page is the theme's.
	sources := fstest.MapFS{"content/b.md": {Data: []byte("---\ntitle: 乙\ndate: 2025-01-01\nbureau: 测试市民政局\n---\n正文。\n详见[附件](../a/missing.pdf)。\n")}}
	out["bulletins/b/index.html"] = &fstest.MapFile{Data: []byte("<p>\n<a href=\"../a/missing.pdf\">missing</a>\n<a href=\"/news/bulletins/a\">no slash</a>\n<a href=\"/news/theme-gone/\">theme</a>")}
	pages, err = scan(context.Background(), out, base)
	if err != nil {
		t.Fatal(err)
	}
	c := internalLinks(pages, base, out, newLocator(sources, map[string]string{"/bulletins/b/": "content/b.md"}, base))
	var got []string
	for _, f := range c.Findings {
		got = append(got, strings.Join(strings.Fields(fmt.Sprintf("%s %s:%d %v", f.Page, f.Path, f.Line, f.Msg)), " "))
	}
	want := []string{
		"/ :1 /news/bulletins/gone/: no such page or file in the built site",
		"/bulletins/a/ :1 ../a/#二: the page has no anchor #二",
		"/bulletins/a/ :1 /other/ leads outside the site's address",
		"/bulletins/a/ :1 ../../../tags/ leads outside the site's address",
		"/bulletins/b/ content/b.md:7 ../a/missing.pdf: no such page or file in the built site",
		"/bulletins/b/ :4 /news/theme-gone/: no such page or file in the built site (on 2 pages, the first of them here)",
		"/bulletins/c/ :1 /news/assets/missing.png: no such page or file in the built site",
	}
	if !slices.Equal(got, want) {
		t.Errorf("findings\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	if c.Pass || c.Count != 8 || fmt.Sprint(c.Summary) != "broken: 1 on the home page, 7 on other pages" {
		t.Errorf("pass %v, count %d, %v", c.Pass, c.Count, c.Summary)
	}
}

// TestExternalLinks against local servers: the broken ones are counted
// on the home page and elsewhere apart; redirects are noted.
func TestExternalLinks(t *testing.T) {
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		switch r.URL.Path {
		case "/ok":
		case "/old":
			http.Redirect(w, r, "/ok", http.StatusMovedPermanently)
		default:
			http.NotFound(w, r)
		}
	}))
	defer srv.Close()
	base, _ := site.ParseBase("https://test.example.gov.cn/")
	pages := map[string]*page{
		"/":             {url: "/", links: []link{{href: srv.URL + "/ok"}, {href: srv.URL + "/gone"}}},
		"/bulletins/a/": {url: "/bulletins/a/", links: []link{{href: srv.URL + "/gone#x"}, {href: srv.URL + "/old"}, {href: "https://test.example.gov.cn/x/"}}},
	}
	var counted []string
	// Not asked for by default: the test's server is on a loopback address.
	c, err := externalLinks(context.Background(), pages, base, linkcheck.Options{Interval: -1}, nil, newLocator(nil, nil, base))
	if err != nil {
		t.Fatal(err)
	}
	if c.Count != 0 || len(c.Findings) != 3 || !c.Findings[0].Warn || !strings.Contains(fmt.Sprint(c.Findings[0].Msg), "is a private or local address") {
		t.Errorf("loopback links: count %d, %v", c.Count, c.Findings)
	}
	c, err = externalLinks(context.Background(), pages, base, linkcheck.Options{Interval: -1, Timeout: 5 * time.Second, AllowPrivate: true},
		func(done, total int) { counted = append(counted, fmt.Sprintf("%d/%d", done, total)) }, newLocator(fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: 甲\n---\n见[旧址](" + srv.URL + "/old)。\n")}}, map[string]string{"/bulletins/a/": "content/a.md"}, base))
	if err != nil {
		t.Fatal(err)
	}
	if c.Pass || c.Count != 2 || !strings.Contains(fmt.Sprint(c.Summary), "external links checked: 3; broken: 1 on the home page, 1 on other pages") {
		t.Errorf("pass %v, count %d, %v", c.Pass, c.Count, c.Summary)
	}
	if !slices.Equal(counted, []string{"1/3", "2/3", "3/3"}) {
		t.Errorf("progress %v", counted)
	}
	notes := 0
	for _, f := range c.Findings {
		if f.Warn && strings.Contains(fmt.Sprint(f.Msg), "now redirects to") && f.Path == "content/a.md" {
			notes++
		}
	}
	if notes != 1 {
		t.Errorf("the redirect is not noted: %v", c.Findings)
	}
}

func TestIdentity(t *testing.T) {
	files := config + `sponsor: 测试市民政局
site_code: "12345"
icp: ICP备123号
police_filing: 青公网安备 63010000000001号
` + bulletins("a", "工作动态", "2025-03-01", 1)
	s := load(t, files, "2025-03-31")
	pages := map[string]*page{
		"/":              {url: "/", text: "主办：测试市民政局 12345", meta: map[string]string{"SiteName": "站", "SiteDomain": "d", "SiteIDCode": "12345", "ColumnName": "首页"}},
		"/bulletins/a0/": {url: "/bulletins/a0/", meta: map[string]string{"SiteName": "站", "ColumnName": "动态", "ArticleTitle": "t"}},
	}
	checks := identity(s, pages, fstest.MapFS{}, map[string]string{"/bulletins/a0/": "content/a0.md"}, false)
	var got []string
	for _, c := range checks {
		for _, f := range c.Findings {
			got = append(got, fmt.Sprint(f.Msg))
		}
	}
	for _, want := range []string{
		`site_code "12345" is not a 政府网站标识码, which has 10 letters and digits`,
		`icp "ICP备123号" is not an ICP filing number such as 京ICP备12345678号-1`,
		"operator is missing: the unit that operates the site (承办单位)",
		"contact is missing: how readers reach the site's editors",
		"the home page's footer does not show 青公网安备 63010000000001号",
		"the public security filing number on the home page does not link to its record at https://beian.mps.gov.cn/",
		"SiteDomain is missing here and on other pages (1 in all)",
		"PubDate is missing here and on other pages (1 in all)",
		"the home page has no search box",
		"the built site has no sitemap.xml",
	} {
		if !slices.Contains(got, want) {
			t.Errorf("no finding %q in\n%s", want, strings.Join(got, "\n"))
		}
	}
}

func TestAccessibility(t *testing.T) {
	files := config + `-- content/a.md --
---
title: 甲
date: 2025-03-01
bureau: 测试市民政局
---
测试市民政局开展冬季救助。

#### 一、跳级的标题

![](photo.jpg)

详见[点击这里](https://www.gov.cn/)。

|  |  |
|--|--|
| 甲 | 乙 |

## 二、好的标题

![救助站外景](photo.jpg)

[《测试市最低生活保障办法》](https://www.gov.cn/zhengce/)
-- content/photo.jpg --
jpg
`
	s := load(t, files, "2025-03-31")
	checks, err := accessibility(context.Background(), s, sitetest.FS(files))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range checks {
		for _, f := range c.Findings {
			got = append(got, fmt.Sprintf("%s:%d %v", f.Path, f.Line, f.Msg))
		}
	}
	want := []string{
		"content/a.md:10 the image photo.jpg has no alt text: describe it in ![…](…)",
		"content/a.md:8 the heading 一、跳级的标题 is level 4 after level 1: use ##",
		"content/a.md:12 the link named only 点击这里: name what it leads to",
	}
	for _, w := range want {
		if !slices.Contains(got, w) {
			t.Errorf("no finding %q in\n%s", w, strings.Join(got, "\n"))
		}
	}
	if len(got) != 4 || !slices.Contains(got, "content/a.md:16 a table without a header row") {
		t.Errorf("%d findings, want 4 with the table's:\n%s", len(got), strings.Join(got, "\n"))
	}
}

// FuzzPage: built pages carry bulletins' bodies, which anyone can write;
// reading a page, its links and its body's accessibility never panics.
func FuzzPage(f *testing.F) {
	f.Add([]byte(`<ul class="items"><li class="item"><time datetime="x"></time></li></ul><footer>主办</footer>`))
	f.Add([]byte(`<nav class="site-nav"><a href="../../x#y"></nav></li></ul><table><th></th></table><h6>x</h6><a>更多</a>`))
	f.Add([]byte(`<a href="http://[::1">x</a><a href="/%zz">y</a><img src="">`))
	base, _ := site.ParseBase("https://test.example.gov.cn/news/")
	f.Fuzz(func(t *testing.T, data []byte) {
		pg := parsePage(data)
		pg.url = "/a/b/"
		for _, l := range pg.links {
			target(pg, l.href, base)
		}
		pages := map[string]*page{pg.url: pg}
		internalLinks(pages, base, fstest.MapFS{"a/b/index.html": {Data: data}}, newLocator(fstest.MapFS{"content/a.md": {Data: data}}, map[string]string{"/a/b/": "content/a.md"}, base))
		s := &site.Site{Bulletins: []*site.Bulletin{{Source: "content/a.md", URL: "/a/b/", Body: string(data)}}}
		accessibility(context.Background(), s, fstest.MapFS{"content/a.md": {Data: data}})
	})
}

// TestUndated: items without a date fail, and so does a theme whose
// listings mark no item, which leaves nothing to check.
func TestUndated(t *testing.T) {
	for _, tc := range []struct {
		name      string
		pages     map[string]*page
		bulletins int
		pass      bool
	}{
		{"dated", map[string]*page{"/": {url: "/", items: 3}}, 3, true},
		{"one undated", map[string]*page{"/": {url: "/", items: 3, undated: 1}}, 3, false},
		{"nothing marked", map[string]*page{"/": {url: "/"}}, 3, false},
		{"nothing published", map[string]*page{"/": {url: "/"}}, 0, true},
	} {
		if c := undated(tc.pages, tc.bulletins); c.Pass != tc.pass {
			t.Errorf("%s: pass %v, want %v (%v)", tc.name, c.Pass, tc.pass, c.Summary)
		}
	}
}

// TestBackdating: a date moved earlier fails; a recorded bulletin no
// longer on the site (renamed, so its date cannot be compared) is noted.
func TestBackdating(t *testing.T) {
	files := config + bulletins("a", "工作动态", "2025-03-01", 1) + `-- published/2025.yaml --
a0: {date: 2025-03-05T00:00:00+08:00, first: 2025-03-05T09:00:00+08:00, hash: x}
gone: {date: 2025-03-06T00:00:00+08:00, first: 2025-03-06T09:00:00+08:00, hash: y}
`
	s := load(t, files, "2025-03-31")
	c, err := backdating(s, sitetest.FS(files))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, f := range c.Findings {
		got = append(got, fmt.Sprintf("%s:%d %v %v", f.Path, f.Line, f.Warn, f.Msg))
	}
	want := []string{
		"published/2025.yaml:2 true gone, first published on 2025-03-06, is no longer on the site: if it was renamed, its date cannot be compared",
		"content/a0.md:3 false dated 2025-03-01, but first published on 2025-03-05 dated 2025-03-05 (published/2025.yaml:1)",
	}
	if c.Pass || !slices.Equal(got, want) {
		t.Errorf("pass %v, findings\n%s\nwant\n%s", c.Pass, strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
