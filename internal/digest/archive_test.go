package digest

import (
	"context"
	"encoding/xml"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"

	"bulletin/internal/diag"
	"bulletin/internal/site"
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

func TestPublish(t *testing.T) {
	dir := copySite(t)
	ctx := context.Background()
	s := loadSite(t, dir)
	for _, step := range []struct {
		q     Query
		today string
		supp  bool
	}{
		{january(), "2024-01-31", false},
		{Query{From: day("2024-02-01"), To: day("2024-02-29")}, "2024-02-29", false},
		{Query{Select: []string{"content/qinghai/new-year.md"}, SelectName: "picks"}, "2025-01-08", true},
	} {
		opt := options(dir, step.q, step.today)
		opt.Supplement = step.supp
		if _, err := Run(ctx, s, opt); err != nil {
			t.Fatal(err)
		}
	}
	// A bulletin of the first issue is taken down: the build goes on,
	// and the archive says what became of it.
	if err := os.Remove(filepath.Join(dir, "content", "gansu", "winter.md")); err != nil {
		t.Fatal(err)
	}
	s = loadSite(t, dir)
	var out memOutput
	var warnings []string
	if err := Publish(ctx, s, out.config(dir, func(p diag.Problem) { warnings = append(warnings, p.Path+": "+p.Msg) })); err != nil {
		t.Fatal(err)
	}
	var names []string
	for name := range out.files {
		names = append(names, name)
	}
	slices.Sort(names)
	want := []string{"/digests/2024-001/index.html", "/digests/2024-002/index.html", "/digests/2025-zk01/index.html", "/digests/feed.xml"}
	if !slices.Equal(names, want) {
		t.Errorf("wrote %v, want %v", names, want)
	}
	if want := []string{"digests/issues/2024-001.yaml: content/gansu/winter.md is no longer published; the archive shows 2024-001 without its text"}; !slices.Equal(warnings, want) {
		t.Errorf("warnings %q, want %q", warnings, want)
	}
	page := string(out.files["/digests/2024-001/index.html"])
	for _, want := range []string{
		`<a href="/news/">民政信息网</a>`, // back to the site, under base_url's path
		`<a href="/news/bulletins/relief/">全省<wbr>冬春<wbr>救助<wbr>工作<wbr>全面<wbr>启动</a>`, // items link to their pages
		`<img src="/news/bulletins/relief/relief.png"`,                                // images are the site's, not embedded
		"甘肃省<wbr>提高<wbr>城乡<wbr>低保<wbr>标准</h2>\n<p class=\"missing\">（本条信息已不在本网站发布。）</p>",
	} {
		if !strings.Contains(page, want) {
			t.Errorf("issue page lacks %q", want)
		}
	}
	a := out.index
	if a == nil {
		t.Fatal("the archive's page was not rendered")
	}
	var got []string
	for _, y := range a.Years {
		for _, is := range y.Issues {
			got = append(got, is.Label)
		}
	}
	if want := []string{"2025年增刊第1期", "2024年第2期（总第2期）", "2024年第1期（总第1期）"}; !slices.Equal(got, want) || a.Count != 3 || len(a.Years) != 2 {
		t.Errorf("archive lists %v in %d years (count %d), want %v in 2 years", got, len(a.Years), a.Count, want)
	}
	checkGolden(t, "feed.xml", out.files["/digests/feed.xml"])
}

// TestPublishNothing: a site without issues gets no /digests/ at all,
// rather than an empty column that inspections fault.
func TestPublishNothing(t *testing.T) {
	dir := copySite(t)
	var out memOutput
	if err := Publish(context.Background(), loadSite(t, dir), out.config(dir, nil)); err != nil {
		t.Fatal(err)
	}
	if len(out.files) > 0 || out.index != nil {
		t.Errorf("wrote %d files and an index for a site without issues", len(out.files))
	}
}

// TestPublishBrokenRecord: a record that cannot be read stops the build,
// since the numbering it holds can no longer be trusted.
func TestPublishBrokenRecord(t *testing.T) {
	dir := copySite(t)
	os.MkdirAll(filepath.Join(dir, "digests", "issues"), 0o755)
	os.WriteFile(filepath.Join(dir, "digests", "issues", "2024-001.yaml"), []byte("kind: weekly\n"), 0o644)
	var out memOutput
	err := Publish(context.Background(), loadSite(t, dir), out.config(dir, nil))
	if err == nil || !strings.Contains(err.Error(), `digests/issues/2024-001.yaml:1: kind must be regular or supplement, not "weekly"`) {
		t.Errorf("error %v, want the record's problem", err)
	}
}

// TestArchiveFeed: the archive's feed is written like the site's feeds,
// so browsers get the stylesheet, readers the address to subscribe to,
// and a character XML forbids in a title cannot break the feed.
func TestArchiveFeed(t *testing.T) {
	base, err := site.ParseBase("https://minzheng.example.cn/news/")
	if err != nil {
		t.Fatal(err)
	}
	cfg := &site.Config{Title: "民政信息网", Base: base, Language: "zh-CN", Location: shanghai}
	a := &Archive{Title: "民政工作简报", URL: ArchiveURL}
	issues := []ArchiveIssue{{Label: "2024年第1期", URL: "/digests/2024-001/", SignedOff: day("2024-01-31"),
		Items: []ArchiveItem{{Title: "救助\x0b标准 & <调整>", URL: "/bulletins/relief/"}, {Title: "已撤下"}}}}
	out, err := archiveFeed(cfg, a, issues)
	if err != nil {
		t.Fatal(err)
	}
	rss := string(out)
	for _, want := range []string{
		`<?xml-stylesheet type="text/xsl" href="/news/assets/feed.xsl"?>`,
		`<atom:link href="https://minzheng.example.cn/news/digests/feed.xml" rel="self" type="application/rss+xml">`,
		`<guid isPermaLink="false">tag:minzheng.example.cn,2024-01-31:/digests/2024-001/</guid>`,
		`<li><a href="https://minzheng.example.cn/news/bulletins/relief/">救助标准 &amp; &lt;调整&gt;</a></li>`,
		`<li>已撤下</li>`,
	} {
		if !strings.Contains(rss, want) {
			t.Errorf("the archive's feed lacks %s\n%s", want, rss)
		}
	}
	// A strict parser refuses the characters XML forbids.
	dec := xml.NewDecoder(strings.NewReader(rss))
	for {
		if _, err := dec.Token(); err == io.EOF {
			break
		} else if err != nil {
			t.Fatalf("the archive's feed is not XML: %v", err)
		}
	}
}
