package published

import (
	"cmp"
	"context"
	"fmt"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/site"
	"bulletin/internal/yamlnode"
)

// Dir is the record's folder in the site folder.
const Dir = "published"

// Entry is the first publication of one bulletin.
type Entry struct {
	Slug  string
	Date  time.Time // the bulletin's date when first published
	First time.Time // when a build first published it
	Hash  string    // the bulletin's content then (site.Bulletin.Hash)

	Path string // where the entry was read, site-relative; "" for a new one
	Line int
}

// Record is every bulletin's first publication, by slug.
type Record struct {
	Entries map[string]*Entry
	loc     *time.Location
	added   map[int]bool // years of first publication with new entries
}

var yearRE = regexp.MustCompile(`^[0-9]{4}$`)

// Read reads the record in fsys, the site folder; a site without one has
// an empty record. Problems come back as diag.Problems, all of them.
func Read(fsys fs.FS, loc *time.Location) (*Record, error) {
	r := &Record{Entries: map[string]*Entry{}, loc: loc, added: map[int]bool{}}
	problems, err := yamlnode.ReadFolder(fsys, Dir, yearRE, "a record of first publications is named by its year, such as 2024.yaml", func(path string, src []byte) diag.Problems {
		return r.parse(path, src)
	})
	if err != nil {
		return nil, err
	}
	if len(problems) > 0 {
		diag.Sort(problems)
		return r, problems
	}
	return r, nil
}

func (r *Record) parse(path string, src []byte) diag.Problems {
	sink := &diag.Sink{Path: path}
	root, ok := yamlnode.Mapping(src, 1, sink)
	if !ok {
		return sink.Problems
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], yamlnode.Deref(root.Content[i+1])
		e := &Entry{Slug: k.Value, Path: path, Line: k.Line}
		if first, dup := r.Entries[e.Slug]; dup {
			sink.Errorf(k.Line, "%s is recorded twice (first in %s:%d)", e.Slug, first.Path, first.Line)
			continue
		}
		if v == nil || v.Kind != yaml.MappingNode {
			sink.Errorf(k.Line, "%s must be a mapping of date, first and hash", e.Slug)
			continue
		}
		given := 0
		yamlnode.Pairs(v, []string{"date", "first", "hash"}, e.Slug+".", diag.Error, sink, func(key string, v *yaml.Node) {
			if key != "hash" {
				given++
			}
			s, ok := yamlnode.Scalar(key, v, sink)
			if !ok {
				return
			}
			switch key {
			case "date", "first":
				t, err := time.Parse(time.RFC3339, s)
				if err != nil {
					sink.Errorf(v.Line, "%s.%s %q is not a time such as 2024-01-05T10:00:00+08:00", e.Slug, key, s)
					return
				}
				if key == "date" {
					e.Date = t
				} else {
					e.First = t
				}
			case "hash":
				e.Hash = s
			}
		})
		if e.Date.IsZero() || e.First.IsZero() {
			if given < 2 {
				sink.Errorf(k.Line, "%s needs both date and first", e.Slug)
			}
			continue
		}
		r.Entries[e.Slug] = e
	}
	return sink.Problems
}

// Add records the bulletins of s that have no entry yet as first
// published at s.Now, and reports how many it added.
func (r *Record) Add(s *site.Site) int {
	n := 0
	for _, b := range s.Bulletins {
		if _, ok := r.Entries[b.Slug]; ok {
			continue
		}
		first := s.Now.In(r.loc).Truncate(time.Second)
		r.Entries[b.Slug] = &Entry{Slug: b.Slug, Date: b.Date.In(r.loc), First: first, Hash: b.Hash}
		r.added[first.Year()] = true
		n++
	}
	return n
}

// Write writes the files of the years Add added to, under dir, the site
// folder, each whole and atomically, holding lockFile (which must be
// outside what is published and what is kept under version control) so
// that two builds at once add to one record.
func (r *Record) Write(ctx context.Context, dir, lockFile string) error {
	if len(r.added) == 0 {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(lockFile), 0o755); err != nil {
		return err
	}
	lock, err := fsutil.WaitLock(ctx, lockFile)
	if err != nil {
		return err
	}
	defer lock.Unlock()
	// Another build may have written since this record was read: keep
	// its entries, and ours only where it has none.
	now, err := Read(os.DirFS(dir), r.loc)
	if err != nil && now == nil {
		return err
	}
	for slug, e := range r.Entries {
		if e.Path != "" {
			continue
		}
		if _, ok := now.Entries[slug]; !ok {
			now.Entries[slug] = e
		}
	}
	if err := os.MkdirAll(filepath.Join(dir, Dir), 0o755); err != nil {
		return err
	}
	for _, year := range slices.Sorted(maps.Keys(r.added)) {
		if err := fsutil.WriteFile(filepath.Join(dir, Dir, strconv.Itoa(year)+".yaml"), now.file(year), 0o644); err != nil {
			return err
		}
	}
	return nil
}

// file is the text of the year's file, entries by first publication and
// slug, so that new lines come at the end.
func (r *Record) file(year int) []byte {
	var es []*Entry
	for _, e := range r.Entries {
		if e.First.In(r.loc).Year() == year {
			es = append(es, e)
		}
	}
	slices.SortFunc(es, func(a, b *Entry) int {
		return cmp.Or(a.First.Compare(b.First), strings.Compare(a.Slug, b.Slug))
	})
	var b strings.Builder
	fmt.Fprintf(&b, "# %d年首次发布的信息：发布日期（date）、首次发布时间（first）和当时的内容（hash）。\n", year)
	b.WriteString("# 由 bulletin build 写入，请纳入版本管理。巡查时据此判断发稿日期是否被改早（伪造发稿日期）。\n")
	for _, e := range es {
		fmt.Fprintf(&b, "%s: {date: %s, first: %s, hash: %s}\n", yamlnode.Inline(e.Slug),
			e.Date.In(r.loc).Format(time.RFC3339), e.First.In(r.loc).Format(time.RFC3339), yamlnode.Inline(e.Hash))
	}
	return []byte(b.String())
}

// Backdated is a bulletin whose date is now earlier than the date it was
// first published with.
type Backdated struct {
	Bulletin *site.Bulletin
	Entry    *Entry
}

// Backdated lists the bulletins of bs dated earlier than when they were
// first published, by source path.
func (r *Record) Backdated(bs []*site.Bulletin) []Backdated {
	var out []Backdated
	for _, b := range bs {
		if e := r.Entries[b.Slug]; e != nil && b.Date.Before(e.Date) {
			out = append(out, Backdated{b, e})
		}
	}
	slices.SortFunc(out, func(a, b Backdated) int { return strings.Compare(a.Bulletin.Source, b.Bulletin.Source) })
	return out
}

// Warnings are check's warnings for the bulletins of bs dated earlier
// than they were first published, at the line of their date in fsys.
func (r *Record) Warnings(fsys fs.FS, bs []*site.Bulletin) diag.Problems {
	var out diag.Problems
	for _, bd := range r.Backdated(bs) {
		b, e := bd.Bulletin, bd.Entry
		out = append(out, diag.At(b.Source, DateLine(fsys, b.Source), diag.Warning,
			"date %s is earlier than %s, the date it was first published with on %s (%s:%d): inspections count a date moved earlier as back-dating (伪造发稿日期)",
			b.Date.In(r.loc).Format(time.DateOnly), e.Date.In(r.loc).Format(time.DateOnly), e.First.In(r.loc).Format(time.DateOnly), e.Path, e.Line))
	}
	return out
}

// DateLine is the line of the front matter's date in the file p, or 0.
func DateLine(fsys fs.FS, p string) int {
	src, err := fs.ReadFile(fsys, p)
	if err != nil {
		return 0
	}
	for i, line := range strings.SplitN(string(src), "\n", 200) {
		if i > 0 && strings.TrimSpace(line) == "---" {
			break
		}
		if strings.HasPrefix(line, "date:") {
			return i + 1
		}
	}
	return 0
}
