// Package golden compares test output with files kept under testdata, the
// golden-file pattern of bulletin's tests: a failure shows the first line
// that differs, and go test -update rewrites the files for review.
package golden

import (
	"bytes"
	"flag"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// Update is go test -update. It is registered here, once, so that every
// test package that compares with golden files has the same flag and none
// can forget it or declare it twice.
var Update = flag.Bool("update", false, "rewrite the golden files under testdata instead of comparing with them")

// Check compares got with the file at path. With -update it writes got
// there first, creating folders.
func Check(t testing.TB, path string, got []byte) {
	t.Helper()
	if *Update {
		if err := os.MkdirAll(filepath.Dir(path), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(path, got, 0o644); err != nil {
			t.Fatal(err)
		}
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if !bytes.Equal(got, want) {
		t.Errorf("%s differs from the golden file; run go test -update and review the diff\n%s", path, FirstDiff(got, want))
	}
}

// CheckDir compares got, files by slash path relative to dir, with the
// tree under dir: a file missing from either side, or differing, is an
// error of its own. With -update it first makes dir hold exactly got,
// removing the files that are no longer written.
func CheckDir(t testing.TB, dir string, got map[string][]byte) {
	t.Helper()
	if *Update {
		writeDir(t, dir, got)
	}
	diffs := TreeDiff(got, ReadDir(t, dir))
	for _, d := range diffs {
		t.Errorf("%s/%s", filepath.ToSlash(dir), d)
	}
	if len(diffs) > 0 {
		t.Logf("run go test -update to rewrite %s, and review the diff", dir)
	}
}

// writeDir makes the tree under dir hold exactly files. It writes only
// what changed, so that files whose output did not change stay untouched
// for any test reading them meanwhile.
func writeDir(t testing.TB, dir string, files map[string][]byte) {
	t.Helper()
	old := ReadDir(t, dir)
	for name := range old {
		if _, ok := files[name]; !ok {
			if err := os.Remove(filepath.Join(dir, filepath.FromSlash(name))); err != nil {
				t.Fatal(err)
			}
		}
	}
	for name, data := range files {
		if prev, ok := old[name]; ok && bytes.Equal(prev, data) {
			continue
		}
		p := filepath.Join(dir, filepath.FromSlash(name))
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}

// ReadDir returns every file under dir by slash path relative to dir; a
// missing dir is an empty tree, so that -update can create it.
func ReadDir(t testing.TB, dir string) map[string][]byte {
	t.Helper()
	files := map[string][]byte{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		files[filepath.ToSlash(rel)] = data
		return err
	})
	if err != nil && !(os.IsNotExist(err) && len(files) == 0) {
		t.Fatal(err)
	}
	return files
}

// TreeDiff describes, in name order, each file that differs between the
// trees got and want: missing from one side, or with other contents,
// shown at the first line that differs. Equal trees give none.
func TreeDiff(got, want map[string][]byte) []string {
	names := slices.Collect(maps.Keys(got))
	for name := range want {
		if _, ok := got[name]; !ok {
			names = append(names, name)
		}
	}
	slices.Sort(names)
	var diffs []string
	for _, name := range names {
		g, inGot := got[name]
		w, inWant := want[name]
		switch {
		case !inGot:
			diffs = append(diffs, name+": not written, yet in the golden files")
		case !inWant:
			diffs = append(diffs, name+": written, yet not in the golden files")
		case !bytes.Equal(g, w):
			diffs = append(diffs, name+" differs from the golden file at "+FirstDiff(g, w))
		}
	}
	return diffs
}

// FirstDiff describes the first line where got and want differ, or returns
// "" when they are equal.
func FirstDiff(got, want []byte) string {
	gl, wl := strings.Split(string(got), "\n"), strings.Split(string(want), "\n")
	for i := range max(len(gl), len(wl)) {
		var g, w string
		if i < len(gl) {
			g = gl[i]
		}
		if i < len(wl) {
			w = wl[i]
		}
		if g != w {
			return "line " + strconv.Itoa(i+1) + ":\n got: " + g + "\nwant: " + w
		}
	}
	return ""
}
