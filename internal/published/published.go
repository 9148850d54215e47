package published

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"regexp"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/parallel"
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
	Hash  string    // the bulletin's file then (site.Bulletin.Hash)
	Body  string    // its title and text then (BodyHash); "" in older records
	From  string    // the slug it had before it was renamed, if it was

	Path string // where the entry was read, site-relative; "" for a new one
	Line int
}

// Record is every bulletin's first publication, by slug.
type Record struct {
	Entries map[string]*Entry
	loc     *time.Location
	added   bool // Add made entries, to be written in the file of year
	year    int
}

var yearRE = regexp.MustCompile(`^[0-9]{4}$`)

// Read reads the record in fsys, the site folder; a site without one has
// an empty record. Problems come back as diag.Problems, all of them.
func Read(fsys fs.FS, loc *time.Location) (*Record, error) {
	r := &Record{Entries: map[string]*Entry{}, loc: loc}
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
	if entries, ok := r.parseLines(path, src); ok {
		for _, e := range entries {
			r.Entries[e.Slug] = e
		}
		return nil
	}
	return r.parseYAML(path, src)
}

func (r *Record) parseYAML(path string, src []byte) diag.Problems {
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
		yamlnode.Pairs(v, []string{"date", "first", "hash", "body", "from"}, e.Slug+".", diag.Error, sink, func(key string, v *yaml.Node) {
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
			case "body":
				e.Body = s
			case "from":
				e.From = s
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
// published at s.Now, and reports how many it added. A bulletin whose
// title and text are those of a recorded one no longer on the site was
// renamed (its file or slug): it keeps that one's date and first
// publication, so that renaming does not clear a date moved earlier.
//
// The text of a new bulletin comes from s.Content (a lean site renders it
// again); an error is that of rendering one, and adds nothing.
func (r *Record) Add(ctx context.Context, s *site.Site) (int, error) {
	live := make(map[string]bool, len(s.Bulletins))
	for _, b := range s.Bulletins {
		live[b.Slug] = true
	}
	gone := map[string]*Entry{} // by body hash
	for _, slug := range slices.Sorted(maps.Keys(r.Entries)) {
		if e := r.Entries[slug]; !live[slug] && e.Body != "" && gone[e.Body] == nil {
			gone[e.Body] = e
		}
	}
	now := s.Now.In(r.loc).Truncate(time.Second)
	var fresh []*site.Bulletin
	for _, b := range s.Bulletins {
		if _, ok := r.Entries[b.Slug]; !ok {
			fresh = append(fresh, b)
		}
	}
	// Every bulletin is new to a site's first record: on all cores.
	added := make([]*Entry, len(fresh))
	err := parallel.For(ctx, runtime.GOMAXPROCS(0), len(fresh), func(_, i int) error {
		b := fresh[i]
		c, err := s.Content(ctx, b)
		if err != nil {
			return err
		}
		added[i] = &Entry{Slug: b.Slug, Date: b.Date.In(r.loc), First: now, Hash: b.Hash, Body: BodyHash(b.Title, c.Text)}
		return nil
	})
	if err != nil {
		return 0, err
	}
	for _, e := range added {
		if old := gone[e.Body]; old != nil {
			e.Date, e.First, e.From = old.Date, old.First, old.Slug
			delete(gone, e.Body)
		}
		r.Entries[e.Slug] = e
		r.added = true
		r.year = now.Year()
	}
	return len(added), nil
}

// BodyHash identifies a bulletin's title and text (Site.Content), whatever
// its file, slug or date.
func BodyHash(title, text string) string {
	h := sha256.New()
	h.Write([]byte(title))
	h.Write([]byte{0})
	h.Write([]byte(text))
	return hex.EncodeToString(h.Sum(nil)[:8])
}

// Write adds the entries Add made to the file of the year they were
// made in, under dir, the site folder: at its end, leaving every line
// already there as it is, and atomically. It holds lockFile (outside
// what is published and what is kept under version control) so that two
// builds at once add to one record, and adds nothing when the record on
// disk has problems: those are fixed by hand first.
func (r *Record) Write(ctx context.Context, dir, lockFile string) error {
	if !r.added {
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
	// Another build may have written since this record was read: add
	// only what it has not.
	onDisk, err := Read(os.DirFS(dir), r.loc)
	if err != nil {
		return err
	}
	var lines []*Entry
	for _, e := range r.Entries {
		if _, ok := onDisk.Entries[e.Slug]; !ok && e.Path == "" {
			lines = append(lines, e)
		}
	}
	if len(lines) == 0 {
		return nil
	}
	slices.SortFunc(lines, func(a, b *Entry) int { return strings.Compare(a.Slug, b.Slug) })
	name := filepath.Join(dir, Dir, strconv.Itoa(r.year)+".yaml")
	old, err := os.Open(name)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return err
	default:
		defer old.Close()
	}
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	// Written as it is made: a site's first record of a million
	// bulletins is some 170 MB.
	return fsutil.WriteFileFrom(name, 0o644, func(w io.Writer) error {
		if old == nil {
			_, err := fmt.Fprintf(w, "# %d年写入的首次发布记录：发布日期（date）、首次发布时间（first）、当时的文件内容（hash）和正文（body）。\n"+
				"# 由 bulletin build 写入，请纳入版本管理。巡查时据此判断发稿日期是否被改早（伪造发稿日期）。\n", r.year)
			if err != nil {
				return err
			}
		} else {
			n, err := io.Copy(w, old)
			if err != nil {
				return err
			}
			var last [1]byte
			if n > 0 {
				if _, err := old.ReadAt(last[:], n-1); err != nil {
					return err
				}
			}
			if n > 0 && last[0] != '\n' {
				if _, err := io.WriteString(w, "\n"); err != nil {
					return err
				}
			}
		}
		for _, e := range lines {
			if _, err := io.WriteString(w, r.line(e)); err != nil {
				return err
			}
		}
		return nil
	})
}

// line is the entry as one line of its file.
func (r *Record) line(e *Entry) string {
	from := ""
	if e.From != "" {
		from = ", from: " + yamlnode.Inline(e.From)
	}
	return fmt.Sprintf("%s: {date: %s, first: %s, hash: %s, body: %s%s}\n", yamlnode.Inline(e.Slug),
		e.Date.In(r.loc).Format(time.RFC3339), e.First.In(r.loc).Format(time.RFC3339), yamlnode.Inline(e.Hash), yamlnode.Inline(e.Body), from)
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
	day := func(t time.Time) time.Time {
		y, m, d := t.In(r.loc).Date()
		return time.Date(y, m, d, 0, 0, 0, 0, time.UTC)
	}
	for _, b := range bs {
		// By the day, as the inspection reads a date: a time moved
		// within its day is no back-dating.
		if e := r.Entries[b.Slug]; e != nil && day(b.Date).Before(day(e.Date)) {
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
