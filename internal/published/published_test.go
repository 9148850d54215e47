package published

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/site"
	"bulletin/internal/sitetest"
)

var shanghai = time.FixedZone("CST", 8*3600)

const registry = `-- site.yaml --
title: 民政信息网
base_url: https://example.gov.cn/
bureaus:
  - {name: 西宁市民政局, region: 青海省西宁市, slug: xining}
`

func bulletin(name, date string) string {
	return "-- content/" + name + ".md --\n---\ntitle: " + name + "\ndate: " + date + "\nbureau: 西宁市民政局\n---\n正文。\n"
}

func load(t *testing.T, dir, now string) *site.Site {
	t.Helper()
	n, err := time.ParseInLocation("2006-01-02 15:04", now, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	s, err := site.Load(context.Background(), os.DirFS(dir), site.Options{Now: n})
	if err != nil {
		t.Fatal(err)
	}
	return s
}

func read(t *testing.T, dir string) *Record {
	t.Helper()
	r, err := Read(os.DirFS(dir), shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return r
}

// TestRecordLife: a build records what it publishes for the first time,
// a later build adds only the new, the files only grow, and a date moved
// earlier after publication is found.
func TestRecordLife(t *testing.T) {
	dir := sitetest.Dir(t, sitetest.FS(registry+bulletin("a", "2024-12-20")+bulletin("b", "2024-12-30 09:00")))
	lock := filepath.Join(t.TempDir(), "published.lock")
	ctx := context.Background()

	r := read(t, dir)
	if n := mustAdd(t, r, load(t, dir, "2024-12-31 08:00")); n != 2 {
		t.Fatalf("added %d, want 2", n)
	}
	if err := r.Write(ctx, dir, lock); err != nil {
		t.Fatal(err)
	}
	first, err := os.ReadFile(filepath.Join(dir, Dir, "2024.yaml"))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{
		"a: {date: 2024-12-20T00:00:00+08:00, first: 2024-12-31T08:00:00+08:00, hash: ",
		"b: {date: 2024-12-30T09:00:00+08:00, first: 2024-12-31T08:00:00+08:00, hash: ",
	} {
		if !strings.Contains(string(first), want) {
			t.Errorf("2024.yaml lacks %q:\n%s", want, first)
		}
	}

	// Next year: c is new, a's date is moved earlier, b's later.
	os.WriteFile(filepath.Join(dir, "content", "c.md"), []byte("---\ntitle: c\ndate: 2025-01-02\nbureau: 西宁市民政局\n---\n正文。\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("---\ntitle: a\ndate: 2024-11-01\nbureau: 西宁市民政局\n---\n正文。\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "content", "b.md"), []byte("---\ntitle: b\ndate: 2024-12-31\nbureau: 西宁市民政局\n---\n正文。\n"), 0o644)
	s := load(t, dir, "2025-01-03 10:00")
	r = read(t, dir)
	if n := mustAdd(t, r, s); n != 1 {
		t.Fatalf("added %d, want 1 (c)", n)
	}
	if err := r.Write(ctx, dir, lock); err != nil {
		t.Fatal(err)
	}
	if again, _ := os.ReadFile(filepath.Join(dir, Dir, "2024.yaml")); string(again) != string(first) {
		t.Errorf("2024.yaml was rewritten:\n%s", again)
	}
	if next, _ := os.ReadFile(filepath.Join(dir, Dir, "2025.yaml")); !strings.Contains(string(next), "c: {date: 2025-01-02T00:00:00+08:00, first: 2025-01-03T10:00:00+08:00") {
		t.Errorf("2025.yaml:\n%s", next)
	}
	got := read(t, dir).Backdated(s.Bulletins)
	if len(got) != 1 || got[0].Bulletin.Slug != "a" || !got[0].Entry.Date.Equal(time.Date(2024, 12, 20, 0, 0, 0, 0, shanghai)) {
		t.Errorf("backdated: %+v, want a alone", got)
	}
	// Nothing new: nothing written.
	r = read(t, dir)
	if n := mustAdd(t, r, s); n != 0 {
		t.Errorf("added %d on a build with nothing new", n)
	}
}

// TestWriteKeepsOthers: two builds that read the record before either
// wrote both keep their entries.
func TestWriteKeepsOthers(t *testing.T) {
	dir := sitetest.Dir(t, sitetest.FS(registry+bulletin("a", "2024-12-20")))
	lock := filepath.Join(t.TempDir(), "published.lock")
	one, two := read(t, dir), read(t, dir)
	mustAdd(t, one, load(t, dir, "2024-12-21 08:00"))
	os.WriteFile(filepath.Join(dir, "content", "b.md"), []byte("---\ntitle: b\ndate: 2024-12-21\nbureau: 西宁市民政局\n---\n正文。\n"), 0o644)
	mustAdd(t, two, load(t, dir, "2024-12-21 09:00"))
	if err := one.Write(context.Background(), dir, lock); err != nil {
		t.Fatal(err)
	}
	if err := two.Write(context.Background(), dir, lock); err != nil {
		t.Fatal(err)
	}
	r := read(t, dir)
	if len(r.Entries) != 2 || !r.Entries["a"].First.Equal(time.Date(2024, 12, 21, 8, 0, 0, 0, shanghai)) {
		t.Errorf("entries %v; want a first published at 08:00 by the first build, and b", r.Entries)
	}
}

func TestReadProblems(t *testing.T) {
	for _, tc := range []struct {
		name, files string
		want        []string
	}{
		{"bad name", "-- published/2024年.yaml --\n", []string{"published/2024年.yaml: a record of first publications is named by its year, such as 2024.yaml"}},
		{"not a time", "-- published/2024.yaml --\n# 注释\na: {date: 2024-12-20, first: 2024-12-21T08:00:00+08:00, hash: x}\n",
			[]string{`published/2024.yaml:2: a.date "2024-12-20" is not a time such as 2024-01-05T10:00:00+08:00`}},
		{"missing first", "-- published/2024.yaml --\na: {date: 2024-12-20T00:00:00+08:00}\n", []string{"published/2024.yaml:1: a needs both date and first"}},
		{"twice", "-- published/2024.yaml --\na: {date: 2024-12-20T00:00:00+08:00, first: 2024-12-21T08:00:00+08:00}\n" +
			"-- published/2025.yaml --\na: {date: 2024-12-20T00:00:00+08:00, first: 2025-01-21T08:00:00+08:00}\n",
			[]string{"published/2025.yaml:1: a is recorded twice (first in published/2024.yaml:1)"}},
		{"not a mapping", "-- published/2024.yaml --\na: 2024-12-20\nb: {date: 2024-12-20T00:00:00+08:00, first: 2024-12-21T08:00:00+08:00, slug: b}\n",
			[]string{"published/2024.yaml:1: a must be a mapping of date, first and hash", `published/2024.yaml:2: unknown key b."slug"`}},
		{"not YAML", "-- published/2024.yaml --\na: {date: [\n", nil},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := Read(sitetest.FS(tc.files), shanghai)
			var ps diag.Problems
			if !errors.As(err, &ps) {
				t.Fatalf("Read: %v, want problems", err)
			}
			var got []string
			for _, p := range ps {
				got = append(got, p.String())
			}
			if tc.want == nil {
				if len(got) == 0 {
					t.Error("no problem")
				}
				return
			}
			if strings.Join(got, "\n") != strings.Join(tc.want, "\n") {
				t.Errorf("problems\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
			}
		})
	}
}

// FuzzRecord: the record is a file people edit; nothing in it may panic
// the reader.
func FuzzRecord(f *testing.F) {
	f.Add([]byte("a: {date: 2024-12-20T00:00:00+08:00, first: 2024-12-21T08:00:00+08:00, hash: x}\n"))
	f.Add([]byte("a: &x {date: *x}\n"))
	f.Add([]byte("- 1\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		Read(sitetest.FS("-- published/2024.yaml --\n"+string(src)), shanghai)
	})
}

// TestWriteKeepsWhatIsThere: a write adds lines at the end of the year's
// file and leaves the lines and comments already there as they are; it
// adds nothing when the record on disk has a problem.
func TestWriteKeepsWhatIsThere(t *testing.T) {
	dir := sitetest.Dir(t, sitetest.FS(registry+bulletin("a", "2024-12-20")))
	lock := filepath.Join(t.TempDir(), "published.lock")
	ctx := context.Background()
	r := read(t, dir)
	mustAdd(t, r, load(t, dir, "2024-12-21 08:00"))
	if err := r.Write(ctx, dir, lock); err != nil {
		t.Fatal(err)
	}
	file := filepath.Join(dir, Dir, "2024.yaml")
	data, _ := os.ReadFile(file)
	edited := string(data) + "# 编辑注：a 的日期经核实无误。\n"
	os.WriteFile(file, []byte(edited), 0o644)

	os.WriteFile(filepath.Join(dir, "content", "b.md"), []byte("---\ntitle: b\ndate: 2024-12-22\nbureau: 西宁市民政局\n---\n正文乙。\n"), 0o644)
	r = read(t, dir)
	mustAdd(t, r, load(t, dir, "2024-12-22 08:00"))
	if err := r.Write(ctx, dir, lock); err != nil {
		t.Fatal(err)
	}
	after, _ := os.ReadFile(file)
	if !strings.HasPrefix(string(after), edited) || !strings.Contains(string(after)[len(edited):], "b: {date: 2024-12-22T00:00:00+08:00") {
		t.Errorf("the file was not added to at its end:\n%s", after)
	}

	// A record broken between a build's read and its write: nothing is
	// written over it.
	os.WriteFile(filepath.Join(dir, "content", "c.md"), []byte("---\ntitle: c\ndate: 2024-12-23\nbureau: 西宁市民政局\n---\n正文丙。\n"), 0o644)
	r = read(t, dir)
	mustAdd(t, r, load(t, dir, "2024-12-23 08:00"))
	broken := strings.Replace(string(after), "}\n", "\n", 1)
	os.WriteFile(file, []byte(broken), 0o644)
	if err := r.Write(ctx, dir, lock); err == nil {
		t.Error("a write over a broken record succeeded")
	}
	if got, _ := os.ReadFile(file); string(got) != broken {
		t.Errorf("the broken record was rewritten:\n%s", got)
	}
}

// TestRenamed: a bulletin renamed and dated earlier keeps the record of
// its first publication, and is found; a time moved within its day is
// not back-dating.
func TestRenamed(t *testing.T) {
	dir := sitetest.Dir(t, sitetest.FS(registry+bulletin("a", "2024-12-20 10:00")))
	lock := filepath.Join(t.TempDir(), "published.lock")
	ctx := context.Background()
	r := read(t, dir)
	mustAdd(t, r, load(t, dir, "2024-12-21 08:00"))
	if err := r.Write(ctx, dir, lock); err != nil {
		t.Fatal(err)
	}
	src := "---\ntitle: a\ndate: DATE\nbureau: 西宁市民政局\n---\n正文。\n"
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte(strings.Replace(src, "DATE", "2024-12-20 08:00", 1)), 0o644)
	if got := read(t, dir).Backdated(load(t, dir, "2024-12-22 08:00").Bulletins); len(got) != 0 {
		t.Errorf("a time moved within its day: %+v", got)
	}
	os.Remove(filepath.Join(dir, "content", "a.md"))
	os.WriteFile(filepath.Join(dir, "content", "a-moved.md"), []byte(strings.Replace(src, "DATE", "2024-12-01", 1)), 0o644)
	s := load(t, dir, "2024-12-22 08:00")
	r = read(t, dir)
	if n := mustAdd(t, r, s); n != 1 || r.Entries["a-moved"].From != "a" {
		t.Fatalf("added %d, entry %+v", n, r.Entries["a-moved"])
	}
	if err := r.Write(ctx, dir, lock); err != nil {
		t.Fatal(err)
	}
	got := read(t, dir).Backdated(s.Bulletins)
	if len(got) != 1 || got[0].Bulletin.Slug != "a-moved" || got[0].Entry.First.Day() != 21 {
		t.Errorf("the renamed bulletin dated earlier: %+v", got)
	}
}

func mustAdd(t *testing.T, r *Record, s *site.Site) int {
	t.Helper()
	n, err := r.Add(context.Background(), s)
	if err != nil {
		t.Fatal(err)
	}
	return n
}
