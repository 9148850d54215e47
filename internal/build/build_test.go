package build

import (
	"bulletin/internal/fsutil"
	"bulletin/internal/golden"
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/site"
	"bulletin/internal/sitetest"
	"bulletin/theme"
)

// fixtureNow is after every fixture bulletin but the future one.
var fixtureNow = time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)

func loadFixture(t testing.TB, dir string) (*site.Site, fs.FS) {
	t.Helper()
	return loadFixtureWith(t, dir, site.Options{})
}

func loadFixtureWith(t testing.TB, dir string, opt site.Options) (*site.Site, fs.FS) {
	t.Helper()
	fsys := os.DirFS(dir)
	opt.Now = fixtureNow
	s, err := site.Load(context.Background(), fsys, opt)
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	return s, fsys
}

func buildTo(t testing.TB, s *site.Site, sources fs.FS, out string) Stats {
	t.Helper()
	st, err := Build(context.Background(), s, Config{Out: out, Theme: theme.FS, Sources: sources})
	if err != nil {
		t.Fatalf("Build: %v", err)
	}
	return st
}

// readTree returns every file below dir by slash path.
func readTree(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	return golden.ReadDir(t, dir)
}

// TestGolden builds the fixture site and compares every file written with
// testdata/golden. Run go test -update after an intended change, and read
// the diff.
func TestGolden(t *testing.T) {
	s, sources := loadFixture(t, "testdata/site")
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, sources, out)
	got := readTree(t, out)
	for name := range got {
		if strings.HasPrefix(name, "assets/") {
			delete(got, name) // the theme's own files, not output of the build
		}
	}
	golden.CheckDir(t, "testdata/golden", got)
}

// TestGoldenLean: a site loaded lean, whose bodies are rendered again as
// the pages and feeds are written, builds to the same bytes as one that
// holds them.
func TestGoldenLean(t *testing.T) {
	full, sources := loadFixture(t, "testdata/site")
	lean, _ := loadFixtureWith(t, "testdata/site", site.Options{Lean: true})
	if !lean.Lean() || lean.Bulletins[0].Body != "" {
		t.Fatal("the lean load holds bodies")
	}
	want := filepath.Join(t.TempDir(), "full")
	buildTo(t, full, sources, want)
	got := filepath.Join(t.TempDir(), "lean")
	buildTo(t, lean, sources, got)
	if diff := compareTrees(readTree(t, got), readTree(t, want)); diff != "" {
		t.Fatalf("lean build differs from a full one:\n%s", diff)
	}
}

// TestSiteContract checks what the site must contain, independent of the
// theme's markup.
func TestSiteContract(t *testing.T) {
	s, sources := loadFixture(t, "testdata/site")
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, sources, out)
	files := readTree(t, out)
	for _, name := range []string{
		"index.html", "page/2/index.html", "404.html", "robots.txt", "sitemap.xml",
		"bulletins/relief/index.html", "bulletins/relief/standard.pdf", "bulletins/marriage/index.html",
		"bureaus/index.html", "bureaus/qinghai/index.html", "bureaus/qinghai-xining/index.html",
		"regions/index.html", "regions/qinghai/index.html", "regions/gansu/index.html",
		"categories/index.html", "categories/shehuijiuzhu/index.html",
		"tags/index.html", "tags/dongchunjiuzhu/index.html", "tags/laonianzhucan/index.html",
		"archive/index.html", "archive/2024/01/index.html", "archive/2024/03/index.html",
		"assets/style.css",
	} {
		if _, ok := files[name]; !ok {
			t.Errorf("%s is missing", name)
		}
	}
	for name, data := range files {
		page := string(data)
		switch {
		case strings.Contains(name, "草稿") || strings.Contains(page, "尚未发布的草稿"):
			t.Errorf("%s shows the draft", name)
		case strings.Contains(page, "春节走访慰问活动安排"):
			t.Errorf("%s shows the future bulletin", name)
		case strings.Contains(page, "内部签发人") || strings.Contains(page, "内部执笔人") || strings.Contains(page, "0971-1234567"):
			t.Errorf("%s shows internal reporting fields", name)
		case strings.Contains(page, "<script>alert"):
			t.Errorf("%s contains the bulletin's raw script", name)
		}
		if strings.HasSuffix(name, ".html") && !strings.Contains(page, `lang="zh-CN"`) {
			t.Errorf("%s has no lang=\"zh-CN\"", name)
		}
		for _, r := range name {
			if r > 0x7f {
				t.Errorf("output path %q is not ASCII", name)
				break
			}
		}
	}
	relief := string(files["bulletins/relief/index.html"])
	for _, want := range []string{
		`<strong>一是及时拨付资金。</strong>省级`,
		`<table>`, `href="standard.pdf"`,
		`<meta name="ArticleTitle" content="全省冬春救助工作全面启动">`,
		`<meta name="PubDate" content="2024-01-12 09:30">`,
		`<meta name="ContentSource" content="青海省民政厅">`,
		`<meta name="ColumnName" content="社会救助">`,
		`<meta name="SiteName" content="测试民政信息网">`,
		`<meta name="Url" content="https://news.example.org/bulletins/relief/">`,
		"青ICP备00000000号-1", "6300000001",
	} {
		if !strings.Contains(relief, want) {
			t.Errorf("bulletin page lacks %s", want)
		}
	}
	if canteen := string(files["bulletins/xining-canteen/index.html"]); !strings.Contains(canteen, `href="../relief/"`) {
		t.Errorf("link to another bulletin's .md was not rewritten to its URL")
	}
	sitemap := string(files["sitemap.xml"])
	for _, want := range []string{"<loc>https://news.example.org/bulletins/relief/</loc>", "<lastmod>2024-03-21T08:00:00+08:00</lastmod>"} {
		if !strings.Contains(sitemap, want) {
			t.Errorf("sitemap lacks %s", want)
		}
	}
	if robots := string(files["robots.txt"]); !strings.Contains(robots, "Sitemap: https://news.example.org/sitemap.xml") {
		t.Errorf("robots.txt = %q", robots)
	}
}

// TestDeterministic builds the same site twice, with different core
// counts, and expects byte-identical trees.
func TestDeterministic(t *testing.T) {
	dir := t.TempDir()
	s1, sources := loadFixture(t, "testdata/site")
	buildTo(t, s1, sources, filepath.Join(dir, "a"))
	s2, _ := loadFixture(t, "testdata/site")
	buildTo(t, s2, sources, filepath.Join(dir, "b"))
	a, b := readTree(t, filepath.Join(dir, "a")), readTree(t, filepath.Join(dir, "b"))
	if len(a) != len(b) {
		t.Fatalf("builds wrote %d and %d files", len(a), len(b))
	}
	for name, data := range a {
		if !bytes.Equal(data, b[name]) {
			t.Errorf("%s differs between two builds of the same site", name)
		}
	}
}

// TestFailedBuildKeepsOutput makes a build fail half way and checks that
// the published site is exactly the previous one.
func TestFailedBuildKeepsOutput(t *testing.T) {
	s, sources := loadFixture(t, "testdata/site")
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, sources, out)
	before := readTree(t, out)

	broken := fsutil.Overlay(fstest.MapFS{
		"templates/bulletin.html": {Data: []byte(`{{define "main"}}{{.NoSuchField}}{{end}}`)},
	}, theme.FS)
	_, err := Build(context.Background(), s, Config{Out: out, Theme: broken, Sources: sources})
	if err == nil || !strings.Contains(err.Error(), "NoSuchField") {
		t.Fatalf("Build with a broken template: err = %v", err)
	}
	after := readTree(t, out)
	if len(after) != len(before) {
		t.Fatalf("output has %d files after a failed build, %d before", len(after), len(before))
	}
	for name, data := range before {
		if !bytes.Equal(data, after[name]) {
			t.Errorf("%s changed although the build failed", name)
		}
	}
	entries, _ := os.ReadDir(filepath.Dir(out))
	for _, e := range entries {
		if e.Name() != "public" && e.Name() != ".public.next" && e.Name() != ".public.lock" {
			t.Errorf("left behind: %s", e.Name())
		}
	}
}

// TestBuildCancelled cancels a build at its first page: it must stop with
// the pages under way rather than render the rest, and leave the
// published site as it was.
func TestBuildCancelled(t *testing.T) {
	fsys := sitetest.Site(200)
	s, err := site.Load(context.Background(), fsys, site.Options{Now: fixtureNow})
	if err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, s, fsys, out)
	before := readTree(t, out)

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var calls, total atomic.Int64
	_, err = Build(ctx, s, Config{Out: out, Theme: theme.FS, Sources: fsys, Progress: func(done, all int) {
		total.Store(int64(all))
		if calls.Add(1) == 1 {
			cancel()
		}
	}})
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("cancelled build: err = %v, want context.Canceled", err)
	}
	if limit := int64(1 + 2*runtime.GOMAXPROCS(0)); calls.Load() > limit {
		t.Errorf("%d of %d pages rendered after cancelling at the first, want at most %d", calls.Load(), total.Load(), limit)
	}
	after := readTree(t, out)
	if len(after) != len(before) {
		t.Fatalf("output has %d files after a cancelled build, %d before", len(after), len(before))
	}
	for name, data := range before {
		if !bytes.Equal(data, after[name]) {
			t.Errorf("%s changed although the build was cancelled", name)
		}
	}
}

// TestRebuild checks that a rebuild into the scratch folder of earlier
// builds removes what is no longer published and matches a fresh build.
func TestRebuild(t *testing.T) {
	s, sources := loadFixture(t, "testdata/site")
	dir := t.TempDir()
	out := filepath.Join(dir, "public")
	buildTo(t, s, sources, out)
	buildTo(t, s, sources, out) // the scratch folder now holds a full site

	fewer := *s
	fewer.Bulletins = s.Bulletins[1:]
	buildTo(t, &fewer, sources, out)
	if _, err := os.Stat(filepath.Join(out, "bulletins", s.Bulletins[0].Slug)); err == nil {
		t.Errorf("page of a bulletin no longer published is still there")
	}
	fresh := filepath.Join(dir, "fresh")
	buildTo(t, &fewer, sources, fresh)
	got, want := readTree(t, out), readTree(t, fresh)
	if len(got) != len(want) {
		t.Errorf("rebuild has %d files, a fresh build %d", len(got), len(want))
	}
	for name, data := range want {
		if !bytes.Equal(got[name], data) {
			t.Errorf("%s differs between a rebuild and a fresh build", name)
		}
	}
}

func TestConcurrentBuildRefused(t *testing.T) {
	s, sources := loadFixture(t, "testdata/site")
	out := filepath.Join(t.TempDir(), "public")
	unlock, err := lock(out)
	if err != nil {
		t.Fatal(err)
	}
	defer unlock()
	_, err = Build(context.Background(), s, Config{Out: out, Theme: theme.FS, Sources: sources})
	if err == nil || !strings.Contains(err.Error(), "another build is writing") {
		t.Fatalf("second build: err = %v, want it refused", err)
	}
	if _, err := os.Stat(out); err == nil {
		t.Errorf("refused build created the output")
	}
}

func TestWriterRefusesEscapes(t *testing.T) {
	w := &writer{root: t.TempDir(), next: fileRecord{}}
	for _, p := range []string{"../x", "/../x", "a/../../x", `a\..\x`, "a\x00b"} {
		if err := w.write(p, []byte("x")); err == nil {
			t.Errorf("write(%q) succeeded", p)
		}
	}
	if err := w.write("/ok/index.html", []byte("x")); err != nil {
		t.Errorf("write of a normal path: %v", err)
	}
}

func TestBasePath(t *testing.T) {
	s, sources := loadFixture(t, "testdata/site")
	cfg := *s.Config
	cfg.Base, _ = site.ParseBase("https://www.example.gov.cn/news/")
	sub := *s
	sub.Config = &cfg
	out := filepath.Join(t.TempDir(), "public")
	buildTo(t, &sub, sources, out)
	files := readTree(t, out)
	home := string(files["index.html"])
	if !strings.Contains(home, `href="/news/bulletins/`) || strings.Contains(home, `href="/bulletins/`) {
		t.Errorf("links on the home page do not respect base_url's path")
	}
	if !strings.Contains(string(files["sitemap.xml"]), "<loc>https://www.example.gov.cn/news/bulletins/relief/</loc>") {
		t.Errorf("sitemap URLs do not respect base_url's path")
	}
}

func TestPaginate(t *testing.T) {
	items := make([]*site.Bulletin, 5)
	pages := paginate(&Page{URL: "/tags/x/", Title: "x"}, items, 2)
	if len(pages) != 3 {
		t.Fatalf("%d pages, want 3", len(pages))
	}
	for i, want := range []struct {
		url, prev, next string
		n               int
	}{
		{"/tags/x/", "", "/tags/x/page/2/", 2},
		{"/tags/x/page/2/", "/tags/x/", "/tags/x/page/3/", 2},
		{"/tags/x/page/3/", "/tags/x/page/2/", "", 1},
	} {
		p := pages[i]
		if p.URL != want.url || p.Pager.PrevURL != want.prev || p.Pager.NextURL != want.next || len(p.Items) != want.n {
			t.Errorf("page %d = %s prev %q next %q items %d; want %+v", i+1, p.URL, p.Pager.PrevURL, p.Pager.NextURL, len(p.Items), want)
		}
	}
	if empty := paginate(&Page{URL: "/"}, nil, 20); len(empty) != 1 {
		t.Errorf("an empty listing has %d pages, want 1", len(empty))
	}
	// The bar's links are the listing's pages.
	var urls []string
	for _, l := range paginate(&Page{URL: "/tags/x/"}, make([]*site.Bulletin, 20), 1)[9].Pager.Pages {
		urls = append(urls, l.URL)
	}
	if want := []string{"/tags/x/", "", "/tags/x/page/8/", "/tags/x/page/9/", "/tags/x/page/10/", "/tags/x/page/11/", "/tags/x/page/12/", "", "/tags/x/page/20/"}; !slices.Equal(urls, want) {
		t.Errorf("page 10 of 20 links %q, want %q", urls, want)
	}
}

func BenchmarkBuild(b *testing.B) {
	for _, n := range []int{100, 1000} {
		fsys := sitetest.Site(n)
		s, err := site.Load(context.Background(), fsys, site.Options{Now: fixtureNow})
		if err != nil {
			b.Fatal(err)
		}
		out := filepath.Join(b.TempDir(), "public")
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			var st Stats
			for b.Loop() {
				st, err = Build(context.Background(), s, Config{Out: out, Theme: theme.FS, Sources: fsys})
				if err != nil {
					b.Fatal(err)
				}
			}
			b.ReportMetric(float64(st.Pages)*float64(b.N)/b.Elapsed().Seconds(), "pages/s")
		})
	}
}

// TestThemeFolderOverridesFileByFile builds with a theme folder that holds
// only a style sheet: the build takes that one file from the folder and
// every other asset from the embedded theme.
func TestThemeFolderOverridesFileByFile(t *testing.T) {
	s, sources := loadFixture(t, "testdata/site")
	out := filepath.Join(t.TempDir(), "public")
	custom := fstest.MapFS{"assets/style.css": {Data: []byte("body{color:#333}\n")}}
	_, err := Build(context.Background(), s, Config{Out: out, Theme: fsutil.Overlay(custom, theme.FS), Sources: sources})
	if err != nil {
		t.Fatal(err)
	}
	files := readTree(t, out)
	embedded, err := fs.ReadDir(theme.FS, "assets")
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range embedded {
		p := "assets/" + e.Name()
		got, ok := files[p]
		want, _ := fs.ReadFile(theme.FS, p)
		if p == "assets/style.css" {
			want = custom[p].Data
		}
		switch {
		case !ok:
			t.Errorf("%s is missing from the output", p)
		case !bytes.Equal(got, want):
			t.Errorf("%s is not the right layer's file", p)
		}
	}
}
