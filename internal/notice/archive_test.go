package notice

import (
	"context"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"sync"
	"testing"

	"bulletin/internal/build"
	"bulletin/internal/diag"
	"bulletin/internal/golden"
	"bulletin/internal/reporting"
	"bulletin/theme"
)

// memOutput collects what Publish writes.
type memOutput struct {
	mu    sync.Mutex
	files map[string][]byte
	index *Archive
}

func (m *memOutput) config(dir string, warn func(diag.Problem)) ArchiveConfig {
	m.files = map[string][]byte{}
	return ArchiveConfig{
		Sources: os.DirFS(dir),
		Theme:   theme.FS,
		Write: func(p string, data []byte) error {
			m.mu.Lock()
			defer m.mu.Unlock()
			m.files[p] = data
			return nil
		},
		Index: func(a *Archive) error { m.index = a; return nil },
		Warn:  warn,
	}
}

// issue runs two notices and records an older one without a ranking.
func issue(t *testing.T, dir string) (printed map[string][]byte) {
	t.Helper()
	os.MkdirAll(filepath.Join(dir, "reports", "notices"), 0o755)
	os.WriteFile(filepath.Join(dir, "reports", "notices", "2023-04.yaml"),
		[]byte("year: 2023\nnumber: 4\nsigned_off: 2023-10-09\nfrom: 2023-07-01\nto: 2023-09-30\n"), 0o644)
	s := loadSite(t, dir)
	printed = map[string][]byte{}
	for _, step := range []struct {
		name, today string
		standing    *reporting.Standing
	}{
		{"2024-01", "2024-04-08", quarter()},
		{"2024-02", "2024-05-06", april()},
	} {
		res, err := Run(context.Background(), s, step.standing, options(dir, step.today))
		if err != nil {
			t.Fatal(err)
		}
		printed[step.name] = readFile(t, res.Files[0])
	}
	return printed
}

// TestPublish: the site's copy of each notice is rendered from its record
// and is the printed copy with the links back to the site and to the
// adopted bulletins; older notices without a ranking are not published.
func TestPublish(t *testing.T) {
	dir := copySite(t)
	printed := issue(t, dir)
	// A bulletin a notice names is taken down: the build goes on, and
	// the notice names it without a link.
	if err := os.Remove(filepath.Join(dir, "content", "qinghai", "monitor.md")); err != nil {
		t.Fatal(err)
	}
	s := loadSite(t, dir)
	var out memOutput
	var warnings []string
	if err := Publish(context.Background(), s, out.config(dir, func(p diag.Problem) { warnings = append(warnings, p.Path+": "+p.Msg) })); err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range out.files {
		names = append(names, name)
	}
	slices.Sort(names)
	if want := []string{"/notices/2024-01/index.html", "/notices/2024-02/index.html", "/notices/feed.xml"}; !slices.Equal(names, want) {
		t.Errorf("wrote %v, want %v", names, want)
	}
	if want := []string{"reports/notices/2024-01.yaml: content/qinghai/monitor.md is no longer published; the site's copy of 2024-01 names it without a link"}; !slices.Equal(warnings, want) {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
	page := string(out.files["/notices/2024-01/index.html"])
	for _, want := range []string{
		`<nav class="web-bar" aria-label="当前位置"><a href="/">民政信息网</a><span aria-hidden="true"> › </span><a href="/notices/">信息工作通报</a></nav>`,
		`西宁市民政局报送的《<a href="/bulletins/xining-yimen/">西宁市“一门受理”打通救助服务最后一公里</a>》被《青海信息》2024年第3期采用（省级）。`,
		`青海省民政厅报送的《青海省建立低收入人口动态监测机制》获国务院领导同志批示（国家级）。`,
	} {
		if !strings.Contains(page, want) {
			t.Errorf("the notice's page lacks %s", want)
		}
	}
	// Take the links away, and the site's copy is the printed one: both
	// come from the record alone.
	webOnly := regexp.MustCompile(`\n<nav class="web-bar".*</nav>|<a href="/bulletins/[^"]*">|</a>`)
	for name, print := range printed {
		web := webOnly.ReplaceAllString(string(out.files["/notices/"+name+"/index.html"]), "")
		if web != string(print) {
			t.Errorf("the site's copy of %s is not the printed one:\n%s", name, golden.FirstDiff([]byte(web), print))
		}
	}

	a := out.index
	if a == nil {
		t.Fatal("the archive's page was not rendered")
	}
	var got []string
	for _, y := range a.Years {
		for _, n := range y.Notices {
			got = append(got, n.Label+" "+n.Heading)
		}
	}
	if want := []string{"2024年第2期 关于2024年4月信息报送情况的通报", "2024年第1期 关于2024年第一季度信息报送情况的通报"}; !slices.Equal(got, want) || a.Count != 2 || a.Title != "信息工作通报" {
		t.Errorf("archive %q lists %q (count %d), want %q", a.Title, got, a.Count, want)
	}
	rss := string(out.files["/notices/feed.xml"])
	for _, want := range []string{
		`<title>信息工作通报 2024年第1期 关于2024年第一季度信息报送情况的通报</title>`,
		`<guid isPermaLink="false">tag:minzheng.example.cn,2024-04-08:/notices/2024-01/</guid>`,
	} {
		if !strings.Contains(rss, want) {
			t.Errorf("the feed lacks %s\n%s", want, rss)
		}
	}
}

// TestPublishNothing: a site without notices gets no /notices/ at all,
// rather than an empty column; a broken record stops the build.
func TestPublishNothing(t *testing.T) {
	dir := copySite(t)
	var out memOutput
	if err := Publish(context.Background(), loadSite(t, dir), out.config(dir, nil)); err != nil {
		t.Fatal(err)
	}
	if len(out.files) > 0 || out.index != nil {
		t.Errorf("wrote %d files and an index for a site without notices", len(out.files))
	}

	os.MkdirAll(filepath.Join(dir, "reports", "notices"), 0o755)
	os.WriteFile(filepath.Join(dir, "reports", "notices", "2024-01.yaml"), []byte("year: 2024\nnumber: first\n"), 0o644)
	err := Publish(context.Background(), loadSite(t, dir), out.config(dir, nil))
	if err == nil || !strings.Contains(err.Error(), `reports/notices/2024-01.yaml:2: number must be a whole number from 1, not "first"`) {
		t.Errorf("error %v, want the record's problem", err)
	}
}

// TestBuild runs the site's build with the notices' publisher and
// sections, as bulletin build does: the notices are a part of the site
// like the digest, linked from the navigation, with the site's footer on
// their pages; publish_notice: false keeps them off it.
func TestBuild(t *testing.T) {
	dir := copySite(t)
	issue(t, dir)
	buildSite := func(t *testing.T) string {
		out := filepath.Join(t.TempDir(), "public")
		var warnings []string
		_, err := build.Build(context.Background(), loadSite(t, dir), build.Config{
			Out: out, Theme: theme.FS, Sources: os.DirFS(dir),
			Publishers: []build.Publisher{ArchivePublisher(os.DirFS(dir), theme.FS, func(p diag.Problem) { warnings = append(warnings, p.Path+": "+p.Msg) })},
			Sections:   ArchiveSections(os.DirFS(dir)),
		})
		if err != nil {
			t.Fatal(err)
		}
		if len(warnings) > 0 {
			t.Errorf("warnings %q", warnings)
		}
		return out
	}
	read := func(t *testing.T, out, name string) string {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(name)))
		if err != nil {
			t.Fatal(err)
		}
		return string(data)
	}

	t.Run("published", func(t *testing.T) {
		out := buildSite(t)
		for _, tc := range []struct{ page, want string }{
			{"index.html", `<li><a href="/notices/">信息工作通报</a></li>`},
			{"notices/index.html", `<li><a href="/notices/" aria-current="page">信息工作通报</a></li>`},
			{"notices/index.html", `<h3 class="item-title"><a href="/notices/2024-01/">关于2024年第一季度信息报送情况的通报</a></h3>`},
			{"notices/2024-01/index.html", "6300000001"}, // the site's footer, with its 网站标识码
			{"sitemap.xml", "<loc>https://minzheng.example.cn/notices/2024-02/</loc>"},
			{"notices/feed.xml", "<link>https://minzheng.example.cn/notices/2024-02/</link>"},
		} {
			if got := read(t, out, tc.page); !strings.Contains(got, tc.want) {
				t.Errorf("%s lacks %s", tc.page, tc.want)
			}
		}
	})
	t.Run("internal", func(t *testing.T) {
		cfg := filepath.Join(dir, "site.yaml")
		os.WriteFile(cfg, []byte(strings.Replace(string(readFile(t, cfg)), "publish_notice: true", "publish_notice: false", 1)), 0o644)
		out := buildSite(t)
		if _, err := os.Stat(filepath.Join(out, "notices")); err == nil {
			t.Errorf("published /notices/ with publish_notice: false")
		}
		if got := read(t, out, "index.html"); strings.Contains(got, "/notices/") {
			t.Errorf("the home page links /notices/ with publish_notice: false")
		}
	})
}

// TestPublishWarnsOnce: a bulletin taken down that a notice names twice,
// adopted and then drawing an instruction, is one warning.
func TestPublishWarnsOnce(t *testing.T) {
	dir := copySite(t)
	issue(t, dir)
	if err := os.Remove(filepath.Join(dir, "content", "xining", "yimen.md")); err != nil {
		t.Fatal(err)
	}
	s := loadSite(t, dir)
	var out memOutput
	var warnings []string
	if err := Publish(context.Background(), s, out.config(dir, func(p diag.Problem) { warnings = append(warnings, p.Path+": "+p.Msg) })); err != nil {
		t.Fatal(err)
	}
	if want := []string{"reports/notices/2024-01.yaml: content/xining/yimen.md is no longer published; the site's copy of 2024-01 names it without a link"}; !slices.Equal(warnings, want) {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
}
