package build

import (
	"bytes"
	"context"
	"fmt"
	"hash/fnv"
	"io/fs"
	"math/rand/v2"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/site"
	"bulletin/internal/sitetest"
	"bulletin/theme"
)

// editableFixture is testdata/site in memory, with more bulletins so that
// listings run to several pages (paginate is 2).
func editableFixture(t *testing.T) fstest.MapFS {
	t.Helper()
	fsys := sitetest.ReadDir(t, "testdata/site")
	for _, f := range fsys {
		f.ModTime = time.Unix(1, 0)
	}
	for i := range 30 {
		fsys[fmt.Sprintf("content/more/m%02d.md", i)] = &fstest.MapFile{Data: []byte(extraBulletin(i, "")), ModTime: time.Unix(1, 0)}
	}
	return fsys
}

var (
	extraBureaus    = []string{"青海省民政厅", "西宁市民政局", "甘肃省民政厅"}
	extraCategories = []string{"工作动态", "社会救助", "养老服务"}
	extraTags       = []string{"低保", "养老", "助餐", "婚姻登记", "救助"}
)

// extraBulletin is a plausible bulletin; i picks its bureau, date and
// terms, and more is added to its body.
func extraBulletin(i int, more string) string {
	return fmt.Sprintf("---\ntitle: 第%d条工作动态\ndate: 2024-%02d-%02d\nbureau: %s\ncategory: %s\ntags: [%s]\n---\n\n各地民政部门扎实推进第%d项工作，取得积极成效。%s\n",
		i, 1+i%12, 1+i%27, extraBureaus[i%3], extraCategories[i%3], extraTags[i%5], i, more)
}

// edits change one thing of a site, as editors do between two saves.
var edits = []struct {
	name string
	do   func(fsys fstest.MapFS, r *rand.Rand, step int)
}{
	{"body", func(fsys fstest.MapFS, r *rand.Rand, step int) {
		p := pickBulletin(fsys, r)
		setFile(fsys, p, strings.Replace(string(fsys[p].Data), "\n---\n", "\n---\n\n新增一段说明第"+fmt.Sprint(step)+"次。\n", 1), step)
	}},
	{"title", func(fsys fstest.MapFS, r *rand.Rand, step int) {
		p := pickBulletin(fsys, r)
		setFile(fsys, p, strings.Replace(string(fsys[p].Data), "title: ", fmt.Sprintf("title: 修改%d ", step), 1), step)
	}},
	{"date", func(fsys fstest.MapFS, r *rand.Rand, step int) {
		p := pickBulletin(fsys, r)
		lines := strings.Split(string(fsys[p].Data), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "date: ") {
				lines[i] = fmt.Sprintf("date: 2023-%02d-%02d", 1+r.IntN(12), 1+r.IntN(28))
			}
		}
		setFile(fsys, p, strings.Join(lines, "\n"), step)
	}},
	{"tags", func(fsys fstest.MapFS, r *rand.Rand, step int) {
		p := pickBulletin(fsys, r)
		lines := strings.Split(string(fsys[p].Data), "\n")
		for i, l := range lines {
			if strings.HasPrefix(l, "tags: ") {
				lines[i] = fmt.Sprintf("tags: [%s, 新标签%d]", extraTags[r.IntN(len(extraTags))], r.IntN(3))
			}
		}
		setFile(fsys, p, strings.Join(lines, "\n"), step)
	}},
	{"add", func(fsys fstest.MapFS, r *rand.Rand, step int) {
		setFile(fsys, fmt.Sprintf("content/new/n%03d.md", step), extraBulletin(100+step, ""), step)
	}},
	{"remove", func(fsys fstest.MapFS, r *rand.Rand, step int) {
		p := pickBulletin(fsys, r)
		if strings.HasPrefix(p, "content/more/") || strings.HasPrefix(p, "content/new/") {
			delete(fsys, p) // fixture bulletins are linked to
		}
	}},
	{"draft", func(fsys fstest.MapFS, r *rand.Rand, step int) {
		p := pickBulletin(fsys, r)
		data := string(fsys[p].Data)
		if strings.Contains(data, "draft: true\n") {
			data = strings.Replace(data, "draft: true\n", "", 1)
		} else {
			data = strings.Replace(data, "\ntitle: ", "\ndraft: true\ntitle: ", 1)
		}
		setFile(fsys, p, data, step)
	}},
	{"attachment", func(fsys fstest.MapFS, r *rand.Rand, step int) {
		p := "content/qinghai/standard.pdf"
		setFile(fsys, p, string(fsys[p].Data)+"%", step)
	}},
	{"site.yaml", func(fsys fstest.MapFS, r *rand.Rand, step int) {
		data := string(fsys["site.yaml"].Data)
		setFile(fsys, "site.yaml", strings.Replace(data, "测试民政信息网", "测试民政信息网"+fmt.Sprint(step%2), 1), step)
	}},
}

func setFile(fsys fstest.MapFS, p, data string, step int) {
	fsys[p] = &fstest.MapFile{Data: []byte(data), ModTime: time.Unix(int64(100+step), 0)}
}

func pickBulletin(fsys fstest.MapFS, r *rand.Rand) string {
	var md []string
	for p := range fsys {
		if strings.HasSuffix(p, ".md") {
			md = append(md, p)
		}
	}
	slices.Sort(md)
	return md[r.IntN(len(md))]
}

// TestIncrementalMatchesWhole edits a site at random, step after step, and
// after each step compares what an incremental build left in its folder
// with a whole build of the same site, file by file.
func TestIncrementalMatchesWhole(t *testing.T) {
	ctx := context.Background()
	fsys := editableFixture(t)
	r := rand.New(rand.NewPCG(1, 2))
	live := t.TempDir() + "/live"
	bd := NewBuilder(Config{Out: live, Theme: theme.FS, Sources: fsys})
	whole := t.TempDir() + "/whole"
	for step := range 30 {
		name := "first build"
		if step > 0 {
			e := edits[r.IntN(len(edits))]
			if step <= len(edits) {
				e = edits[step-1] // every kind at least once
			}
			e.do(fsys, r, step)
			name = e.name
		}
		// The incremental builds are of lean loads, as the CLI's are;
		// the whole one holds every body.
		s, err := site.Load(ctx, fsys, site.Options{Now: fixtureNow, Lean: true})
		if err != nil {
			t.Fatalf("step %d (%s): %v", step, name, err)
		}
		st, err := bd.Build(ctx, s)
		if err != nil {
			t.Fatalf("step %d (%s): incremental build: %v", step, name, err)
		}
		if st.Whole != (step == 0) {
			t.Errorf("step %d (%s): whole = %v", step, name, st.Whole)
		}
		full, err := site.Load(ctx, fsys, site.Options{Now: fixtureNow})
		if err != nil {
			t.Fatalf("step %d (%s): %v", step, name, err)
		}
		buildTo(t, full, fsys, whole)
		if diff := compareTrees(readTree(t, live), readTree(t, whole)); diff != "" {
			t.Fatalf("step %d (%s, %d pages rendered): incremental build differs from a whole one:\n%s", step, name, st.Pages, diff)
		}
		if name == "body" && st.Pages > 8 {
			t.Errorf("step %d: a body edit rendered %d pages", step, st.Pages)
		}
	}
}

func compareTrees(got, want map[string][]byte) string {
	var diffs []string
	for p, w := range want {
		g, ok := got[p]
		switch {
		case !ok:
			diffs = append(diffs, p+": missing")
		case !bytes.Equal(g, w):
			diffs = append(diffs, p+": differs")
		}
	}
	for p := range got {
		if _, ok := want[p]; !ok {
			diffs = append(diffs, p+": left over")
		}
	}
	slices.Sort(diffs)
	if len(diffs) > 10 {
		diffs = append(diffs[:10], fmt.Sprintf("... and %d more", len(diffs)-10))
	}
	return strings.Join(diffs, "\n")
}

// TestIncrementalWritesLittle checks that a one-bulletin edit leaves the
// rest of the site alone: what it renders and which files it touches.
func TestIncrementalWritesLittle(t *testing.T) {
	ctx := context.Background()
	fsys := editableFixture(t)
	out := t.TempDir() + "/site"
	var early []string
	bd := NewBuilder(Config{Out: out, Theme: theme.FS, Sources: fsys, Early: func(paths []string) { early = append(early, paths...) }})
	load := func() *site.Site {
		s, err := site.Load(ctx, fsys, site.Options{Now: fixtureNow})
		if err != nil {
			t.Fatal(err)
		}
		return s
	}
	whole, err := bd.Build(ctx, load())
	if err != nil {
		t.Fatal(err)
	}
	same, err := bd.Build(ctx, load())
	if err != nil {
		t.Fatal(err)
	}
	if same.Pages != 0 || same.Files != 0 || same.Removed != 0 {
		t.Errorf("rebuild of an unchanged site: %+v, want nothing done", same)
	}

	p := "content/more/m05.md"
	setFile(fsys, p, extraBulletin(5, "补充说明。"), 1)
	before := modTimes(t, out)
	st, err := bd.Build(ctx, load())
	if err != nil {
		t.Fatal(err)
	}
	after := modTimes(t, out)
	var touched []string
	for f, m := range after {
		if !m.Equal(before[f]) {
			touched = append(touched, f)
		}
	}
	slices.Sort(touched)
	// The page itself; its listings' pages that show its summary; the
	// feeds that carry it; the sitemap is unchanged (same date).
	if st.Whole || st.Pages == 0 || st.Pages > 8 || len(touched) != st.Files || !slices.Contains(touched, "bulletins/m05/index.html") {
		t.Errorf("body edit: %+v of %d pages, touched %v", st, whole.Pages, touched)
	}
	for _, f := range touched {
		if !strings.HasSuffix(f, ".html") && path.Ext(f) != ".xml" && path.Ext(f) != ".json" {
			t.Errorf("body edit touched %s", f)
		}
	}
	var changed []string
	for _, p := range st.Changed {
		changed = append(changed, strings.TrimPrefix(p, "/"))
	}
	if !slices.Equal(changed, touched) {
		t.Errorf("Stats.Changed = %v, want the files touched, %v", st.Changed, touched)
	}
	if !slices.Contains(early, "/bulletins/m05/index.html") || len(early) > st.Pages {
		t.Errorf("early pages %v, want the bulletin's own among them", early)
	}

	// A bulletin removed: its page goes before the early reload, so that
	// an open copy reloads into the 404 page.
	delete(fsys, "content/more/m07.md")
	early = nil
	if _, err := bd.Build(ctx, load()); err != nil {
		t.Fatal(err)
	}
	if !slices.Contains(early, "/bulletins/m07/index.html") {
		t.Errorf("early pages %v, want the removed bulletin's", early)
	}
	if _, err := os.Stat(filepath.Join(out, "bulletins", "m07")); err == nil {
		t.Errorf("the removed bulletin's folder is still there")
	}
}

func modTimes(t *testing.T, dir string) map[string]time.Time {
	t.Helper()
	out := map[string]time.Time{}
	err := fs.WalkDir(os.DirFS(dir), ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err == nil {
			out[p] = info.ModTime()
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return out
}

// BenchmarkIncrementalBuild measures the build after a one-bulletin edit,
// as serve does it: the body of one bulletin changes, then its date (which
// moves it in every listing it is in).
func BenchmarkIncrementalBuild(b *testing.B) {
	ctx := context.Background()
	for _, n := range []int{1000, 10000} {
		fsys := sitetest.Site(n)
		cache := site.NewCache()
		load := func() *site.Site {
			s, err := site.Load(ctx, fsys, site.Options{Now: fixtureNow, Cache: cache})
			if err != nil {
				b.Fatal(err)
			}
			return s
		}
		bd := NewBuilder(Config{Out: filepath.Join(b.TempDir(), "public"), Theme: theme.FS, Sources: fsys})
		if _, err := bd.Build(ctx, load()); err != nil {
			b.Fatal(err)
		}
		var p string
		for name := range fsys {
			if strings.HasSuffix(name, ".md") && (p == "" || name < p) {
				p = name
			}
		}
		orig := string(fsys[p].Data)
		for _, edit := range []struct {
			name string
			do   func(i int) string
		}{
			{"body", func(i int) string { return orig + fmt.Sprintf("\n补充说明第%d条。\n", i) }},
			{"date", func(i int) string {
				return strings.Replace(orig, "\ndate: ", fmt.Sprintf("\ndate: 2024-12-%02d\nx_old_date: ", 1+i%28), 1)
			}},
		} {
			b.Run(fmt.Sprintf("%d/%s", n, edit.name), func(b *testing.B) {
				var pages int
				i := 0
				for b.Loop() {
					b.StopTimer()
					i++
					setFile(fsys, p, edit.do(i), i)
					s := load()
					b.StartTimer()
					st, err := bd.Build(ctx, s)
					if err != nil {
						b.Fatal(err)
					}
					pages += st.Pages
				}
				b.ReportMetric(float64(pages)/float64(b.N), "pages/op")
			})
		}
	}
}

// TestStableHash: fingerprints are FNV-1a, the same in every process, so
// that a build can compare them with a record a former process left.
func TestStableHash(t *testing.T) {
	for _, parts := range [][]string{{}, {""}, {"a"}, {"/bulletins/", "relief", "民政"}} {
		var h stableHash
		want := fnv.New64a()
		for i, p := range parts {
			if i%2 == 0 {
				h.WriteString(p)
			} else {
				h.Write([]byte(p))
			}
			h.WriteByte(0)
			want.Write([]byte(p + "\x00"))
		}
		if h.Sum64() != want.Sum64() {
			t.Errorf("%q: %x, want %x", parts, h.Sum64(), want.Sum64())
		}
	}
}
