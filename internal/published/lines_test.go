package published

import (
	"bytes"
	"fmt"
	"runtime"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/sitetest"
)

const writtenLine = "b1: {date: 2024-03-05T09:30:00+08:00, first: 2026-12-07T07:58:53+08:00, hash: 8dedab8e, body: 76fb2201}"

// TestParseLines: the lines Write makes are read without YAML; any other
// shape, and a slug recorded twice, go to the YAML reading, which names
// the problem. What the line reader takes, YAML reads the same.
func TestParseLines(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		fast      bool
	}{
		{"written", "# 注释\n" + writtenLine + "\n\nb2: {date: 2024-03-05T09:30:00+08:00, first: 2026-12-07T07:58:53+08:00, hash: 0a, body: 0b, from: old-slug}\n", true},
		{"no final newline", writtenLine, true},
		{"only comments", "# 注释\n", true},
		{"twice", writtenLine + "\n" + writtenLine + "\n", false},
		{"quoted slug", `"2024": {date: 2024-03-05T09:30:00+08:00, first: 2026-12-07T07:58:53+08:00, hash: 8d, body: 76}`, false},
		{"indented", " " + writtenLine, false},
		{"CRLF", writtenLine + "\r\n", false},
		{"comment after", writtenLine + " # 改过", false},
		{"block mapping", "b1:\n  date: 2024-03-05T09:30:00+08:00\n  first: 2026-12-07T07:58:53+08:00\n", false},
		{"bad time", strings.Replace(writtenLine, "09:30:00", "29:30:00", 1), false},
		{"keys reordered", "b1: {first: 2026-12-07T07:58:53+08:00, date: 2024-03-05T09:30:00+08:00, hash: 8d, body: 76}", false},
		{"document marker", "---\n" + writtenLine, false},
		{"slug starting with a dash", strings.Replace(writtenLine, "b1", "-b1", 1), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := &Record{Entries: map[string]*Entry{}, loc: shanghai}
			if _, fast := r.parseLines("published/2026.yaml", []byte(tc.src)); fast != tc.fast {
				t.Errorf("read without YAML: %v, want %v", fast, tc.fast)
			}
			sameAsYAML(t, []byte(tc.src))
		})
	}
}

// TestParseLinesAcrossFiles: a slug already read from another year's file
// is left to the YAML reading, which reports it twice.
func TestParseLinesAcrossFiles(t *testing.T) {
	r := &Record{Entries: map[string]*Entry{}, loc: shanghai}
	if problems := r.parse("published/2025.yaml", []byte(writtenLine+"\n")); len(problems) > 0 {
		t.Fatal(problems)
	}
	problems := r.parse("published/2026.yaml", []byte(writtenLine+"\n"))
	if len(problems) != 1 || !strings.Contains(problems[0].String(), "published/2025.yaml:1") {
		t.Fatalf("got %v, want one problem naming published/2025.yaml:1", problems)
	}
}

// sameAsYAML fails t when the line reader takes src but YAML finds a
// problem in it or reads other entries.
func sameAsYAML(t *testing.T, src []byte) {
	t.Helper()
	fast := &Record{Entries: map[string]*Entry{}, loc: shanghai}
	entries, ok := fast.parseLines("published/2026.yaml", src)
	if !ok {
		return
	}
	slow := &Record{Entries: map[string]*Entry{}, loc: shanghai}
	if bytes.TrimSpace(bytes.ReplaceAll(src, []byte("#"), nil)) == nil || len(entries) == 0 {
		return // nothing but comments: YAML says a record must be a mapping, the lines reader has nothing to add
	}
	if problems := slow.parseYAML("published/2026.yaml", src); len(problems) > 0 {
		t.Fatalf("read without YAML, but YAML finds: %v\n%s", problems, src)
	}
	if len(slow.Entries) != len(entries) {
		t.Fatalf("%d entries read without YAML, %d with", len(entries), len(slow.Entries))
	}
	for _, e := range entries {
		y := slow.Entries[e.Slug]
		if y == nil || fmt.Sprint(*y) != fmt.Sprint(*e) {
			t.Fatalf("entry %s read without YAML:\n%+v\nwith:\n%+v", e.Slug, e, y)
		}
	}
}

func FuzzParseLines(f *testing.F) {
	f.Add([]byte(writtenLine + "\n"))
	f.Add([]byte("# x\n" + writtenLine + "\nb2: {date: 2024-03-05T09:30:00Z, first: 2026-12-07T07:58:53.5+08:00, hash: 0a, body: 0b, from: a.b}"))
	f.Fuzz(func(t *testing.T, src []byte) {
		sameAsYAML(t, src)
	})
}

// BenchmarkRead reads a record of 100,000 entries, as a build does.
func BenchmarkRead(b *testing.B) {
	var src bytes.Buffer
	for i := range 100000 {
		fmt.Fprintf(&src, "b%07x: {date: 2024-03-05T09:30:00+08:00, first: 2026-12-07T07:58:53+08:00, hash: 8dedab8e0a67600f9d89a3295933287c, body: 76fb220198e927cc}\n", i)
	}
	for _, way := range []string{"lines", "yaml"} {
		b.Run(way, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				r := &Record{Entries: map[string]*Entry{}, loc: shanghai}
				parse := r.parse
				if way == "yaml" {
					parse = r.parseYAML
				}
				problems := parse("published/2026.yaml", src.Bytes())
				if len(problems) > 0 || len(r.Entries) != 100000 {
					b.Fatal(problems, len(r.Entries))
				}
			}
		})
	}
}

// TestReadMemory: a record read holds its entries, not the lines they
// were read from: every build reads the whole record, a million lines
// on a large site.
func TestReadMemory(t *testing.T) {
	const n = 20000
	var text strings.Builder
	for i := range n {
		fmt.Fprintf(&text, "winter-relief-%06d: {date: 2024-01-05T10:00:00+08:00, first: 2024-01-05T11:00:00+08:00, hash: 0123456789abcdef0123456789abcdef, body: 0123456789abcdef}\n", i)
	}
	fsys := fstest.MapFS{"published/2024.yaml": {Data: []byte(text.String())}}
	text.Reset() // garbage before the measure, not during it
	heap := sitetest.HeapAlloc
	before := heap()
	r, err := Read(fsys, time.UTC)
	if err != nil || len(r.Entries) != n {
		t.Fatalf("Read: %d entries, %v", len(r.Entries), err)
	}
	per := (heap() - before) / n
	t.Logf("%d bytes an entry", per)
	if per > 150 {
		t.Errorf("a record read holds %d bytes an entry; at most 150", per)
	}
	runtime.KeepAlive(r)
}
