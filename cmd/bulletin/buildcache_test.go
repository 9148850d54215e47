package main

import (
	"bytes"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// TestBuildCacheMatchesFresh is TestIncrementalMatchesWhole (internal/build)
// for bulletin build: each build is a new run, sharing with the last only
// SITE/.bulletin/build/. After every edit, the output a build updated in
// place is, file by file, the output of a fresh build of a copy of the
// site that has no cache; and the search index finds the same.
func TestBuildCacheMatchesFresh(t *testing.T) {
	dir := copySample(t)
	out := filepath.Join(t.TempDir(), "public")
	// A minute apart, as editors save: a file's size and time tell the
	// build it changed.
	clock := time.Now().Add(-time.Hour)
	write := func(rel, data string) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(rel))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
		clock = clock.Add(time.Minute)
		os.Chtimes(p, clock, clock)
	}
	replace := func(rel, old, new string) {
		t.Helper()
		data, err := os.ReadFile(filepath.Join(dir, filepath.FromSlash(rel)))
		if err != nil || !bytes.Contains(data, []byte(old)) {
			t.Fatalf("%s lacks %q (%v)", rel, old, err)
		}
		write(rel, strings.Replace(string(data), old, new, 1))
	}
	const relief = "content/qinghai/2025/relief-standard.md"
	for step, edit := range []struct {
		name  string
		do    func()
		whole bool // the build must write the whole output
	}{
		{"first build", func() {}, true},
		{"nothing", func() {}, false},
		{"body", func() { replace(relief, "\n---\n", "\n---\n\n新增一段说明。\n") }, false},
		{"title", func() { replace(relief, "title: ", "title: 修改 ") }, false},
		{"new bulletin", func() {
			write("content/gansu/2025/new.md", "---\ntitle: 新增简报\ndate: 2025-06-01\nbureau: 甘肃省民政厅\ntags: [新标签]\n---\n\n新增正文。\n")
		}, false},
		{"date", func() { replace("content/gansu/2025/new.md", "2025-06-01", "2023-02-03") }, false},
		{"bulletin removed", func() { os.Remove(filepath.Join(dir, "content", "gansu", "2025", "new.md")) }, false},
		{"attachment", func() {
			data, _ := os.ReadFile(filepath.Join(dir, "content", "qinghai", "2025", "relief-standard.pdf"))
			write("content/qinghai/2025/relief-standard.pdf", string(data)+"%")
		}, false},
		{"site.yaml", func() { replace("site.yaml", "title: ", "title: 新") }, true},
		{"cache deleted", func() { os.RemoveAll(buildCacheDir(dir)) }, true},
		{"cache spoilt", func() {
			for _, name := range []string{"site.gob", filepath.Base(outputRecord(dir, out))} {
				os.WriteFile(filepath.Join(buildCacheDir(dir), name), []byte("spoilt"), 0o644)
			}
		}, true},
		{"body after the fallback", func() { replace(relief, "新增一段说明。", "新增一段说明二。") }, false},
	} {
		edit.do()
		before, _ := os.Stat(out)
		if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", out, "-now", "2026-01-01"); code != 0 {
			t.Fatalf("step %d (%s): exit %d: %s", step, edit.name, code, stderr)
		}
		after, err := os.Stat(out)
		if err != nil {
			t.Fatal(err)
		}
		// A whole build swaps a new folder in; one from the cache
		// updates the folder that is there.
		if inPlace := before != nil && os.SameFile(before, after); inPlace == edit.whole {
			t.Errorf("step %d (%s): updated in place = %v, want %v", step, edit.name, inPlace, !edit.whole)
		}
		fresh := copySiteSources(t, dir)
		freshOut := filepath.Join(t.TempDir(), "public")
		if code, _, stderr := run(t, "build", "-q", "-s", fresh, "-o", freshOut, "-now", "2026-01-01"); code != 0 {
			t.Fatalf("step %d (%s): fresh build: exit %d: %s", step, edit.name, code, stderr)
		}
		if diff := diffTrees(t, out, freshOut); diff != "" {
			t.Fatalf("step %d (%s): the build from the cache differs from a fresh one:\n%s", step, edit.name, diff)
		}
	}
}

// copySiteSources copies site.yaml and content/ of dir, not its .bulletin/.
func copySiteSources(t *testing.T, dir string) string {
	t.Helper()
	dst := t.TempDir()
	copyFile(t, filepath.Join(dir, "site.yaml"), filepath.Join(dst, "site.yaml"))
	err := filepath.WalkDir(filepath.Join(dir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		copyFile(t, p, filepath.Join(dst, rel))
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return dst
}

// diffTrees lists the files in which two folders differ.
func diffTrees(t *testing.T, got, want string) string {
	t.Helper()
	read := func(root string) map[string][]byte {
		files := map[string][]byte{}
		filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
			if err == nil && !d.IsDir() {
				rel, _ := filepath.Rel(root, p)
				files[filepath.ToSlash(rel)], _ = os.ReadFile(p)
			}
			return nil
		})
		return files
	}
	g, w := read(got), read(want)
	var diffs []string
	for p, data := range w {
		if gd, ok := g[p]; !ok {
			diffs = append(diffs, p+": missing")
		} else if !bytes.Equal(gd, data) {
			diffs = append(diffs, p+": differs")
		}
	}
	for p := range g {
		if _, ok := w[p]; !ok {
			diffs = append(diffs, p+": left over")
		}
	}
	if len(w) == 0 {
		diffs = append(diffs, "nothing built")
	}
	if len(diffs) > 10 {
		diffs = append(diffs[:10], fmt.Sprintf("... and %d more", len(diffs)-10))
	}
	return strings.Join(diffs, "\n")
}

// TestIndexingGC: a large site's indexing runs with GOGC 50 and the lower
// memory limit, each unless its environment variable is set, and both
// are restored after; a small site's is left alone.
func TestIndexingGC(t *testing.T) {
	for _, c := range []struct {
		name      string
		bulletins int
		env       map[string]string
		gc        int
		limit     int64
	}{
		{"small", largeSite - 1, nil, 100, buildMemoryLimit},
		{"large", largeSite, nil, 50, indexingMemoryLimit},
		{"large, GOGC set", largeSite, map[string]string{"GOGC": "100"}, 100, indexingMemoryLimit},
		{"large, GOMEMLIMIT set", largeSite, map[string]string{"GOMEMLIMIT": "4GiB"}, 50, buildMemoryLimit},
	} {
		t.Run(c.name, func(t *testing.T) {
			for k, v := range c.env {
				t.Setenv(k, v)
			}
			defer debug.SetGCPercent(debug.SetGCPercent(100))
			defer debug.SetMemoryLimit(debug.SetMemoryLimit(buildMemoryLimit))
			restore := indexingGC(c.bulletins)
			gc, limit := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1)
			debug.SetGCPercent(gc)
			restore()
			if gc != c.gc || limit != c.limit {
				t.Errorf("while indexing: GOGC %d, limit %d; want %d, %d", gc, limit, c.gc, c.limit)
			}
			if gc, limit := debug.SetGCPercent(-1), debug.SetMemoryLimit(-1); gc != 100 || limit != buildMemoryLimit {
				t.Errorf("after: GOGC %d, limit %d; want them restored", gc, limit)
			}
			debug.SetGCPercent(100)
		})
	}
}
