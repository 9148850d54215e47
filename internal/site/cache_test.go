package site

import (
	"bytes"
	"context"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/golden"
	"bulletin/internal/sitetest"
)

// cacheBase is the modification time of the fixture's files; edits move
// it forward, as saving a file does.
var cacheBase = time.Date(2025, 5, 1, 8, 0, 0, 0, time.UTC)

// cacheFixture is a small site with a bulletin that links to another and
// to two attachments, a draft, a future bulletin, and warnings found both
// while reading (b.md's unknown key) and while rendering (a.md's
// attribution).
func cacheFixture() fstest.MapFS {
	fsys := sitetest.FS(`
-- site.yaml --
title: 测试民政信息网
base_url: https://news.example.org/
bureaus:
  - {name: 青海省民政厅, region: 青海省, slug: qinghai}
  - {name: 西宁市民政局, region: 青海省, slug: qinghai-xining}
  - {name: 甘肃省民政厅, region: 甘肃省, slug: gansu}
categories: [社会救助, 养老服务]
-- content/qinghai/relief.md --
---
title: 全省冬春救助工作启动
date: 2024-01-12
bureau: 青海省民政厅
category: 社会救助
tags: [冬春救助, 低保]
---
近日，全省冬春救助工作全面启动。各地按照要求开展排查。

（据青海省民政厅）
-- content/qinghai/2025/standard.md --
---
title: 全省冬春救助工作启动
date: 2024-01-12
bureau: 青海省民政厅
category: 社会救助
tags: [冬春救助, 低保]
slug: standard
relay: true
---
见[附件：标准表](附件1.pdf)、[图](img/map.png#top)和[此前报道](../relief.md)。

（据青海省民政厅）
-- content/qinghai/2025/附件1.pdf --
%PDF-1.4
-- content/qinghai/2025/img/map.png --
png
-- content/gansu/a.md --
---
title: 甘肃养老
date: 2024-02-01
bureau: 甘肃省民政厅
category: 养老服务
---
养老正文。

（据青海省民政厅）
-- content/gansu/b.md --
---
title: 甘肃救助
date: 2024-02-03 10:00
bureau: 甘肃省民政厅
tags: [低保]
titel: x
---
救助正文。
-- content/gansu/draft.md --
---
title: 草稿
date: 2024-02-05
bureau: 甘肃省民政厅
draft: true
---
草稿正文。
-- content/gansu/future.md --
---
title: 将来
date: 2027-01-15
bureau: 甘肃省民政厅
---
将来正文。
`)
	for _, f := range fsys {
		f.ModTime = cacheBase
	}
	return fsys
}

// put writes a file as an editor would: new data, a later modification time.
func put(fsys fstest.MapFS, name, data string) {
	mod := cacheBase
	if old, ok := fsys[name]; ok && !old.ModTime.IsZero() {
		mod = old.ModTime
	}
	fsys[name] = &fstest.MapFile{Data: []byte(data), ModTime: mod.Add(time.Hour)}
}

// edit replaces old with new in a file, which must contain it.
func edit(t *testing.T, fsys fstest.MapFS, name, old, new string) {
	t.Helper()
	data := string(fsys[name].Data)
	if !strings.Contains(data, old) {
		t.Fatalf("%s does not contain %q", name, old)
	}
	put(fsys, name, strings.Replace(data, old, new, 1))
}

func TestLoadCached(t *testing.T) {
	type step struct {
		edit  func(t *testing.T, fsys fstest.MapFS)
		want  CacheStats
		check func(t *testing.T, prev, got *Site) // optional
		// same says that the edit leaves the site as it was; every other
		// edit must show, or a stale cache would go unnoticed.
		same bool
	}
	noEdit := func(t *testing.T, fsys fstest.MapFS) {}
	for _, tc := range []struct {
		name      string
		noModTime bool // the file system reports no modification times
		steps     []step
	}{
		{"no change", false, []step{{noEdit, CacheStats{6, 0, 0}, nil, true}}},
		{"body edit", false, []step{{func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, "content/gansu/b.md", "救助正文。", "救助正文已修改。")
		}, CacheStats{6, 1, 1}, nil, false}}},
		{"title and date", false, []step{{func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, "content/gansu/a.md", "title: 甘肃养老\ndate: 2024-02-01", "title: 甘肃养老服务\ndate: 2023-11-20")
		}, CacheStats{6, 1, 1}, nil, false}}},
		{"touched, same content", false, []step{{func(t *testing.T, fsys fstest.MapFS) {
			put(fsys, "content/gansu/b.md", string(fsys["content/gansu/b.md"].Data))
		}, CacheStats{6, 1, 0}, nil, true}}},
		{"slug of a linked bulletin", false, []step{{func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, "content/qinghai/relief.md", "---\n近日", "slug: winter-relief\n---\n近日")
		}, CacheStats{6, 2, 2}, func(t *testing.T, prev, got *Site) {
			before, after := bulletinAt(t, prev, "content/qinghai/2025/standard.md"), bulletinAt(t, got, "content/qinghai/2025/standard.md")
			if !strings.Contains(after.Body, `href="../winter-relief/"`) {
				t.Errorf("linking bulletin's body lacks the new URL:\n%s", after.Body)
			}
			if after.Hash == before.Hash {
				t.Errorf("linking bulletin's Hash %s did not change with its link's target", after.Hash)
			}
		}, false}}},
		{"linked bulletin deleted and restored", false, []step{
			{func(t *testing.T, fsys fstest.MapFS) { delete(fsys, "content/qinghai/relief.md") }, CacheStats{5, 1, 1}, nil, false},
			{func(t *testing.T, fsys fstest.MapFS) {
				put(fsys, "content/qinghai/relief.md", string(cacheFixture()["content/qinghai/relief.md"].Data))
			}, CacheStats{6, 2, 2}, nil, false},
		}},
		{"file added", false, []step{{func(t *testing.T, fsys fstest.MapFS) {
			put(fsys, "content/gansu/c.md", "---\ntitle: 新增\ndate: 2024-03-01\nbureau: 甘肃省民政厅\ntags: [新标签]\n---\n新增正文。\n")
		}, CacheStats{7, 1, 1}, nil, false}}},
		{"file removed", false, []step{{func(t *testing.T, fsys fstest.MapFS) {
			delete(fsys, "content/gansu/b.md")
		}, CacheStats{5, 0, 0}, nil, false}}},
		{"attachment deleted and restored", false, []step{
			{func(t *testing.T, fsys fstest.MapFS) { delete(fsys, "content/qinghai/2025/附件1.pdf") }, CacheStats{6, 1, 1}, nil, false},
			{func(t *testing.T, fsys fstest.MapFS) { put(fsys, "content/qinghai/2025/附件1.pdf", "%PDF-1.5") }, CacheStats{6, 1, 1}, nil, false},
		}},
		{"site.yaml changed", false, []step{{func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, "site.yaml", "title: 测试民政信息网", "title: 测试民政网\ntimezone: Asia/Urumqi")
		}, CacheStats{6, 6, 6}, nil, false}}},
		{"broken, unchanged, fixed", false, []step{
			{func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, "content/gansu/a.md", "title: 甘肃养老", "title: [甘肃养老")
			}, CacheStats{6, 1, 0}, nil, false},
			{noEdit, CacheStats{6, 0, 0}, nil, true},
			{func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, "content/gansu/a.md", "title: [甘肃养老", "title: 甘肃养老")
			}, CacheStats{6, 1, 1}, nil, false},
		}},
		{"bad date, then fixed", false, []step{
			{func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, "content/gansu/b.md", "2024-02-03", "2024-13-03")
			}, CacheStats{6, 1, 1}, nil, false},
			{noEdit, CacheStats{6, 0, 0}, nil, true},
			{func(t *testing.T, fsys fstest.MapFS) {
				edit(t, fsys, "content/gansu/b.md", "2024-13-03", "2024-02-03")
			}, CacheStats{6, 1, 1}, nil, false},
		}},
		{"slug clash", false, []step{{func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, "content/gansu/b.md", "titel: x\n", "titel: x\nslug: relief\n")
		}, CacheStats{6, 1, 1}, nil, false}}},
		{"draft published", false, []step{{func(t *testing.T, fsys fstest.MapFS) {
			edit(t, fsys, "content/gansu/draft.md", "draft: true", "draft: false")
		}, CacheStats{6, 1, 1}, nil, false}}},
		{"no modification times", true, []step{
			{noEdit, CacheStats{6, 6, 0}, nil, true},
			{func(t *testing.T, fsys fstest.MapFS) {
				fsys["content/gansu/b.md"] = &fstest.MapFile{Data: []byte(strings.Replace(string(fsys["content/gansu/b.md"].Data), "救助正文。", "救助正文已修改。", 1))}
			}, CacheStats{6, 6, 1}, nil, false},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			ctx := context.Background()
			fsys := cacheFixture()
			if tc.noModTime {
				for _, f := range fsys {
					f.ModTime = time.Time{}
				}
			}
			cache := NewCache()
			prev, err := Load(ctx, fsys, Options{Now: testNow, Cache: cache})
			if err != nil {
				t.Fatalf("first load: %v", err)
			}
			// A second cache is told what changed, as a file watcher would.
			watched := NewCache()
			if _, err := Load(ctx, fsys, Options{Now: testNow, Cache: watched}); err != nil {
				t.Fatalf("first load: %v", err)
			}
			// A third is lean and kept in a file between loads, as
			// bulletin build keeps it.
			saved := NewCache()
			if _, err := Load(ctx, fsys, Options{Now: testNow, Cache: saved, Lean: true}); err != nil {
				t.Fatalf("first load: %v", err)
			}
			if got, want := cache.Stats(), (CacheStats{6, 6, 6}); got != want {
				t.Errorf("first load: stats %+v, want %+v", got, want)
			}
			prevDump := dumpSite(prev, nil)
			for i, st := range tc.steps {
				before := maps.Clone(fsys)
				st.edit(t, fsys)
				var changed []string
				for name, f := range fsys {
					if before[name] != f {
						changed = append(changed, name)
					}
				}
				for name := range before {
					if fsys[name] == nil {
						changed = append(changed, name)
					}
				}
				// Readers may still hold the earlier site while the next
				// one loads: read it meanwhile (go test -race) and check
				// that it is as it was.
				prevAfter := make(chan string, 1)
				go func() {
					if prev != nil {
						prevAfter <- dumpSite(prev, nil)
					} else {
						prevAfter <- prevDump
					}
				}()
				got, err := Load(ctx, fsys, Options{Now: testNow, Cache: cache})
				gotDump := dumpSite(got, err)
				want, wantErr := Load(ctx, fsys, Options{Now: testNow})
				if wantDump := dumpSite(want, wantErr); gotDump != wantDump {
					t.Errorf("step %d: cached load differs from a fresh one:\n%s", i, golden.FirstDiff([]byte(gotDump), []byte(wantDump)))
				}
				gotW, errW := Load(ctx, fsys, Options{Now: testNow, Cache: watched, Changed: changed, ChangedKnown: true})
				if wantDump := dumpSite(want, wantErr); dumpSite(gotW, errW) != wantDump {
					t.Errorf("step %d: load told of the changes %v differs from a fresh one:\n%s", i, changed, golden.FirstDiff([]byte(dumpSite(gotW, errW)), []byte(wantDump)))
				}
				saved = roundTrip(t, saved, fsys)
				gotS, errS := Load(ctx, fsys, Options{Now: testNow, Cache: saved, Lean: true})
				wantS, wantErrS := Load(ctx, fsys, Options{Now: testNow, Lean: true})
				if wantDump := dumpSite(wantS, wantErrS); dumpSite(gotS, errS) != wantDump {
					t.Errorf("step %d: load with a cache kept in a file differs from a fresh one:\n%s", i, golden.FirstDiff([]byte(dumpSite(gotS, errS)), []byte(wantDump)))
				}
				if stats := saved.Stats(); stats.Rendered > st.want.Rendered+2 && !tc.noModTime {
					// The files with warnings are not kept: a.md, b.md.
					t.Errorf("step %d: with a cache kept in a file, stats %+v, want about %+v", i, stats, st.want)
				}
				if stats := cache.Stats(); stats != st.want {
					t.Errorf("step %d: stats %+v, want %+v", i, stats, st.want)
				}
				if after := <-prevAfter; after != prevDump {
					t.Errorf("step %d: the previous site changed:\n%s", i, golden.FirstDiff([]byte(after), []byte(prevDump)))
				}
				if prev != nil {
					if after := dumpSite(prev, nil); after != prevDump {
						t.Errorf("step %d: the previous site changed after the load:\n%s", i, golden.FirstDiff([]byte(after), []byte(prevDump)))
					}
				}
				if st.check != nil && prev != nil && got != nil {
					st.check(t, prev, got)
				}
				if same := gotDump == prevDump; same != st.same {
					t.Errorf("step %d: site unchanged = %t, want %t", i, same, st.same)
				}
				prev, prevDump = got, gotDump
			}
		})
	}
}

// roundTrip saves c and reads it back, as a build that keeps its cache in
// a file does from one run to the next.
func roundTrip(t *testing.T, c *Cache, fsys fstest.MapFS) *Cache {
	t.Helper()
	var buf bytes.Buffer
	if err := c.Save(&buf, "test"); err != nil {
		t.Fatal(err)
	}
	loc := time.UTC
	if cfg, err := ReadConfig(fsys); err == nil {
		loc = cfg.Location
	}
	back, err := ReadCache(&buf, "test", loc)
	if err != nil {
		t.Fatal(err)
	}
	return back
}

// TestCacheFile: a saved cache is read back only under the same key and
// format, and never holds bodies.
func TestCacheFile(t *testing.T) {
	ctx := context.Background()
	fsys := cacheFixture()
	full := NewCache()
	if _, err := Load(ctx, fsys, Options{Now: testNow, Cache: full}); err != nil {
		t.Fatal(err)
	}
	if err := full.Save(io.Discard, "k"); err == nil {
		t.Error("a cache holding bodies was saved")
	}
	lean := NewCache()
	if _, err := Load(ctx, fsys, Options{Now: testNow, Cache: lean, Lean: true}); err != nil {
		t.Fatal(err)
	}
	var buf bytes.Buffer
	if err := lean.Save(&buf, "k"); err != nil {
		t.Fatal(err)
	}
	data := buf.Bytes()
	if _, err := ReadCache(bytes.NewReader(data), "other", time.UTC); err == nil {
		t.Error("a cache saved under another key was read")
	}
	if _, err := ReadCache(bytes.NewReader(data[:len(data)/2]), "k", time.UTC); err == nil {
		t.Error("half a cache was read")
	}
	if strings.Contains(string(data), "养老正文") {
		t.Error("the saved cache holds a body")
	}
}

// TestLoadCachedCancelled checks that a load that does not finish leaves
// the cache as it was, so the next load still sees the edit.
func TestLoadCachedCancelled(t *testing.T) {
	fsys := cacheFixture()
	cache := NewCache()
	if _, err := Load(context.Background(), fsys, Options{Now: testNow, Cache: cache}); err != nil {
		t.Fatal(err)
	}
	edit(t, fsys, "content/gansu/b.md", "救助正文。", "救助正文已修改。")
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Load(ctx, fsys, Options{Now: testNow, Cache: cache}); err != context.Canceled {
		t.Fatalf("cancelled load: err = %v, want context.Canceled", err)
	}
	s, err := Load(context.Background(), fsys, Options{Now: testNow, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	if got, want := cache.Stats(), (CacheStats{6, 1, 1}); got != want {
		t.Errorf("stats %+v, want %+v", got, want)
	}
	if b := bulletinAt(t, s, "content/gansu/b.md"); !strings.Contains(b.Body, "救助正文已修改。") {
		t.Errorf("body %q lacks the edit", b.Body)
	}
}

// TestConfigHash checks that Config.Hash follows site.yaml's content.
func TestConfigHash(t *testing.T) {
	a, err := ReadConfig(fstest.MapFS{"site.yaml": {Data: []byte(testConfig)}})
	if err != nil {
		t.Fatal(err)
	}
	b, err := ReadConfig(fstest.MapFS{"site.yaml": {Data: []byte(testConfig + "paginate: 10\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if a.Hash == "" || a.Hash == b.Hash {
		t.Errorf("hashes %q and %q, want two different ones", a.Hash, b.Hash)
	}
}

func bulletinAt(t *testing.T, s *Site, source string) *Bulletin {
	t.Helper()
	for _, b := range s.Bulletins {
		if b.Source == source {
			return b
		}
	}
	t.Fatalf("no bulletin %s", source)
	return nil
}

// dumpSite writes out everything a load produced, for comparing two loads.
func dumpSite(s *Site, err error) string {
	if err != nil {
		return "error:\n" + err.Error() + "\n"
	}
	var b strings.Builder
	date := func(t time.Time) string { return t.Format(time.RFC3339Nano) + " " + t.Location().String() }
	term := func(t *Term) string {
		if t == nil {
			return "-"
		}
		return t.Name + " " + t.URL
	}
	fmt.Fprintf(&b, "config %q %s\nnow %s\nnext due %s\n", s.Config.Title, s.Config.Hash, date(s.Now), date(s.NextDue))
	for _, x := range s.Bulletins {
		// Every field, so that one added later cannot be left out of
		// the cached path unnoticed.
		v := reflect.ValueOf(x).Elem()
		for i := range v.NumField() {
			f := v.Field(i)
			fmt.Fprintf(&b, "  %s=", v.Type().Field(i).Name)
			switch f := f.Interface().(type) {
			case *Term:
				b.WriteString(term(f))
			case []*Term:
				for _, t := range f {
					b.WriteString(term(t) + "; ")
				}
			case time.Time:
				b.WriteString(date(f))
			default:
				fmt.Fprintf(&b, "%#v", f)
			}
			b.WriteString("\n")
		}
	}
	for _, tax := range s.Taxonomies() {
		fmt.Fprintf(&b, "taxonomy %s %s %s\n", tax.Kind, tax.Title, tax.URL)
		for _, t := range tax.Terms {
			fmt.Fprintf(&b, "  %s %s %s:", t.Name, t.Slug, t.URL)
			for _, x := range t.Bulletins {
				fmt.Fprintf(&b, " %s", x.URL)
			}
			b.WriteString("\n")
		}
	}
	for _, w := range s.Warnings {
		fmt.Fprintf(&b, "warning %s\n", w)
	}
	return b.String()
}

func TestWalkOrder(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"content/a/x.md", "content/a-b.md", -1}, // the folder a sorts before the file a-b.md
		{"content/a-b.md", "content/a/x.md", 1},
		{"content/a.md", "content/b.md", -1},
		{"content/z/a.md", "content/z/a.md", 0},
		{"content/2024/01/x.md", "content/2024/1.md", -1},
		{"content/青海/a.md", "content/gansu/a.md", 1},
	} {
		if got := walkOrder(tc.a, tc.b); got != tc.want {
			t.Errorf("walkOrder(%q, %q) = %d, want %d", tc.a, tc.b, got, tc.want)
		}
	}
	// The order of fs.WalkDir itself, on names where it and plain string
	// order disagree.
	fsys := fstest.MapFS{}
	for _, p := range []string{"content/a/x.md", "content/a-b.md", "content/a.b/y.md", "content/a0.md", "content/a/b/z.md"} {
		fsys[p] = &fstest.MapFile{}
	}
	var walked []string
	fs.WalkDir(fsys, "content", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			walked = append(walked, p)
		}
		return nil
	})
	sorted := slices.Clone(walked)
	slices.Reverse(sorted)
	slices.SortFunc(sorted, walkOrder)
	if !slices.Equal(sorted, walked) {
		t.Errorf("sorted by walkOrder %v, fs.WalkDir visits %v", sorted, walked)
	}
}

// TestLoadWatchedFolders: a watcher reports a removed folder by its own
// path, and a new folder too, which has the load list folders again.
func TestLoadWatchedFolders(t *testing.T) {
	ctx := context.Background()
	fsys := cacheFixture()
	cache := NewCache()
	if _, err := Load(ctx, fsys, Options{Now: testNow, Cache: cache}); err != nil {
		t.Fatal(err)
	}
	for name := range fsys {
		if strings.HasPrefix(name, "content/gansu/") {
			delete(fsys, name)
		}
	}
	got, err := Load(ctx, fsys, Options{Now: testNow, Cache: cache, Changed: []string{"content/gansu"}, ChangedKnown: true})
	want, wantErr := Load(ctx, fsys, Options{Now: testNow})
	if g, w := dumpSite(got, err), dumpSite(want, wantErr); g != w {
		t.Errorf("after removing a folder:\n%s", golden.FirstDiff([]byte(g), []byte(w)))
	}
	if st := cache.Stats(); st.Files != 2 || st.Read != 0 {
		t.Errorf("stats %+v, want 2 files, none read", st)
	}

	put(fsys, "content/xizang/new.md", "---\ntitle: 新的\ndate: 2024-03-01\nbureau: 青海省民政厅\n---\n正文。\n")
	got, err = Load(ctx, fsys, Options{Now: testNow, Cache: cache, Changed: []string{"content/xizang"}, ChangedKnown: true})
	want, wantErr = Load(ctx, fsys, Options{Now: testNow})
	if g, w := dumpSite(got, err), dumpSite(want, wantErr); g != w {
		t.Errorf("after adding a folder:\n%s", golden.FirstDiff([]byte(g), []byte(w)))
	}
	if st := cache.Stats(); st.Files != 3 || st.Read != 1 {
		t.Errorf("stats %+v, want 3 files, the new one read", st)
	}
}

// TestSavedTime: a date kept in a cache file comes back in the zone it
// was loaded in, as a page shows it.
func TestSavedTime(t *testing.T) {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		t.Skip(err)
	}
	for _, tm := range []time.Time{
		{},
		time.Date(2024, 1, 12, 9, 30, 0, 5, loc),
		time.Date(2024, 1, 12, 9, 30, 0, 0, time.UTC),
		time.Date(2024, 1, 12, 9, 30, 0, 0, time.FixedZone("", 9*3600)),
	} {
		got := saveTime(tm).time(loc)
		show := func(t time.Time) string { return t.Format(time.RFC3339Nano+" MST") + " " + t.Location().String() }
		if !got.Equal(tm) || show(got) != show(tm) {
			t.Errorf("%s came back as %s", show(tm), show(got))
		}
	}
}
