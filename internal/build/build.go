package build

import (
	"bytes"
	"context"
	"errors"
	"html/template"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/parallel"
	"bulletin/internal/site"
)

// Config says where and how to write a site.
type Config struct {
	// Out is the output folder. It is replaced as a whole when the build
	// succeeds and left untouched when it fails.
	Out string
	// Theme holds templates/ and assets/ (see Theme).
	Theme fs.FS
	// Sources is the site folder, from which attachments are copied.
	Sources fs.FS
	// Progress, when set, is called as files are written, possibly from
	// several goroutines at once.
	Progress func(done, total int)
	// Timing, when set, hears of each step, named as a message, and how
	// long it took.
	Timing func(step *diag.Message, took time.Duration)
	// Early, when set, is called during an incremental build as soon as
	// the pages an editor most likely has open are written (the changed
	// bulletins' own pages and the first page of each changed listing),
	// with their site-relative paths, before the deeper pages of listings,
	// feeds and the rest: a server can reload those pages sooner.
	Early func(paths []string)
	// Publishers add their own files to the site, such as the digest
	// archive; they run after the pages, into the same folder, so what
	// they write is published, or not, with the rest.
	Publishers []Publisher
	// Sections, when set, names the parts of the site the Publishers will
	// write, before the pages are rendered, so that the pages link them.
	// It is called at the start of every build.
	Sections func(s *site.Site) ([]Section, error)

	// Record, when set, is a file in which the Builder keeps the record
	// of the files it wrote, for the first build of the next Builder with
	// the same Record and RecordKey: it then updates the output in place
	// as later builds do, instead of writing it whole (see record.go).
	// RecordKey names what else the fingerprints depend on, such as the
	// program's version. The file is a cache: safe to delete.
	Record, RecordKey string
}

// Publisher writes additional files of a site through out.
type Publisher func(ctx context.Context, s *site.Site, out Output) error

// Output is what a Publisher may do: write files and render pages, or
// parts of pages, with the theme. All are safe for concurrent use.
type Output interface {
	// Write stores data at the site-relative path p (e.g. /digests/feed.xml).
	Write(p string, data []byte) error
	// Render executes the theme template of page.Kind (templates/KIND.html)
	// and writes the result at page.URL + "index.html". page.Site and
	// page.Sections are set for the caller when nil.
	Render(page *Page) error
	// Partial executes the theme's template name (one of partials/, such
	// as footer) with page, as the template of page.Kind would, for a
	// page that the theme does not make whole, such as a digest issue.
	// page.Site and page.Sections are set for the caller when nil.
	Partial(name string, page *Page) (template.HTML, error)
}

// Stats counts what a build did.
type Stats struct {
	// Pages counts the pages rendered and Files the files written: all of
	// them in a whole build, the changed ones in an incremental one.
	Pages, Files int
	// Removed counts the files an incremental build deleted.
	Removed int
	// Whole is true when the build wrote the whole site.
	Whole bool
	// Changed lists the site-relative paths an incremental build wrote or
	// removed, in order; nil for a whole build.
	Changed []string
}

// Build writes s to cfg.Out.
func Build(ctx context.Context, s *site.Site, cfg Config) (Stats, error) {
	return NewBuilder(cfg).Build(ctx, s)
}

// Builder builds a site into the same folder again and again, as serve
// does after every edit. Its first build writes the whole site, swapped in
// as Build does; later ones re-render only the files whose inputs changed
// (see incremental.go) and replace them in place, one by one, each file
// atomically. A build that fails part way leaves the next to write the
// whole site again. A Builder is for one goroutine at a time.
type Builder struct {
	cfg Config
	// last fingerprints the files of the last build; nil when the next
	// build must be whole.
	last fileRecord
	// lastPages are the page files of the last build.
	lastPages map[string]bool
	// recordRead is set once the first build has looked for cfg.Record.
	recordRead bool
}

// NewBuilder returns a Builder writing to cfg.Out.
func NewBuilder(cfg Config) *Builder {
	return &Builder{cfg: cfg}
}

// Build writes s to the output folder: the whole site the first time, the
// files that changed since the last build after that.
func (bd *Builder) Build(ctx context.Context, s *site.Site) (Stats, error) {
	cfg := bd.cfg
	var st Stats
	out, err := filepath.Abs(cfg.Out)
	if err != nil {
		return st, err
	}
	if err := checkOutput(out); err != nil {
		return st, err
	}
	if err := os.MkdirAll(filepath.Dir(out), 0o755); err != nil {
		return st, err
	}
	unlock, err := lock(out)
	if err != nil {
		return st, err
	}
	defer unlock()
	last, lastPages := bd.last, bd.lastPages
	bd.last = nil // until this build succeeds
	if info, err := os.Stat(out); err != nil || !info.IsDir() {
		last = nil
	} else if last == nil && !bd.recordRead {
		last, lastPages = readRecord(cfg, out)
	}
	bd.recordRead = true
	if err := unstamp(out); err != nil {
		return st, err
	}
	root := out
	if last == nil {
		if root, err = prepareScratch(out); err != nil {
			return st, err
		}
	}

	w := &writer{root: root, inPlace: last != nil, last: last, lastPages: lastPages, next: fileRecord{}, early: cfg.Early}
	f := fingerprinter{keys: make(map[*site.Bulletin]uint64, len(s.Bulletins))}
	var ep uint64
	var sections []Section
	steps := []struct {
		name *diag.Message
		run  func() error
	}{
		{&diag.Message{Format: "templates"}, func() (err error) { w.tmpl, err = parseTemplates(cfg.Theme, s.Config); return err }},
		{&diag.Message{Format: "sections"}, func() (err error) {
			if cfg.Sections != nil {
				sections, err = cfg.Sections(s)
			}
			return err
		}},
		{&diag.Message{Format: "fingerprints"}, func() (err error) {
			for _, b := range s.Bulletins {
				f.keys[b] = bulletinKey(b)
			}
			ep, err = epoch(s, sections, cfg.Theme)
			return err
		}},
		{&diag.Message{Format: "pages"}, func() error { return w.pages(ctx, s, sections, &f, ep, cfg.Progress) }},
		{&diag.Message{Format: "attachments"}, func() error { return w.attachments(ctx, s, cfg.Sources) }},
		{&diag.Message{Format: "assets"}, func() error { return w.assets(cfg.Theme) }},
		{&diag.Message{Format: "sitemap"}, func() error { return w.sitemap(s, sections) }},
		{&diag.Message{Format: "robots"}, func() error { return w.robots(s) }},
		{&diag.Message{Format: "feeds"}, func() error { return w.feeds(ctx, s, &f, ep) }},
		{&diag.Message{Format: "publishers"}, func() error {
			for _, p := range cfg.Publishers {
				if err := p(ctx, s, output{w, s, sections}); err != nil {
					return err
				}
			}
			return nil
		}},
		{&diag.Message{Format: "prune"}, w.prune},
	}
	for _, step := range steps {
		start := time.Now()
		if err := step.run(); err != nil {
			return st, err
		}
		if err := ctx.Err(); err != nil {
			return st, err
		}
		if cfg.Timing != nil {
			cfg.Timing(step.name, time.Since(start).Round(time.Millisecond))
		}
	}
	if !w.inPlace {
		if err := swap(root, out); err != nil {
			return st, err
		}
	}
	bd.last, bd.lastPages = w.next, w.pageFiles
	// The site is built: a stamp or record that cannot be written only
	// makes the next process's first build whole.
	stamp(cfg, out, w.next, w.pageFiles)
	st.Pages, st.Files, st.Removed, st.Whole = int(w.pagesWritten.Load()), int(w.files.Load()), w.removed, !w.inPlace
	if w.inPlace {
		st.Changed = w.changed
		slices.Sort(st.Changed)
	}
	return st, nil
}

// output is the writer as a publisher sees it.
type output struct {
	w        *writer
	s        *site.Site
	sections []Section
}

func (o output) Write(p string, data []byte) error { return o.w.write(p, data) }

func (o output) Render(page *Page) error {
	if _, err := o.prepare(page); err != nil {
		return err
	}
	var buf bytes.Buffer
	if err := o.w.execute(&buf, page); err != nil {
		return err
	}
	return o.w.write(page.URL+"index.html", buf.Bytes())
}

func (o output) Partial(name string, page *Page) (template.HTML, error) {
	t, err := o.prepare(page)
	if err != nil {
		return "", err
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, name, page); err != nil {
		return "", diag.Errorf("rendering %s for %s: %w", name, page.URL, err)
	}
	// The theme's template, escaped by html/template as it ran.
	return template.HTML(buf.String()), nil
}

// prepare fills in what a publisher's page leaves to the build and
// returns the templates of its kind.
func (o output) prepare(page *Page) (*template.Template, error) {
	if page.Site == nil {
		page.Site = o.s
	}
	if page.Sections == nil {
		page.Sections = o.sections
	}
	t := o.w.tmpl[page.Kind]
	if t == nil {
		return nil, diag.Errorf("theme has no template for pages of kind %q (templates/%s.html)", page.Kind, page.Kind)
	}
	return t, nil
}

// writer writes files below root; safe for concurrent use.
type writer struct {
	root string
	tmpl map[string]*template.Template
	// inPlace is true when root is the live site of the last build and
	// only changed files are written, each replaced atomically; false
	// when root is the scratch folder of a whole build.
	inPlace bool
	last    fileRecord // the files of the last build, when inPlace
	// lastPages are the page files of the last build, pageFiles this
	// one's: a page that is gone is removed with the pages, before the
	// early reload, rather than at the end.
	lastPages, pageFiles map[string]bool

	early func(paths []string)

	mu      sync.Mutex
	next    fileRecord // the files of this build, by path, with their fingerprints
	changed []string   // paths written or removed, when inPlace
	removed int

	pagesWritten atomic.Int64
	files        atomic.Int64
}

// keep records that this build has the file p made from inputs with
// fingerprint fp, and says whether it must be written: always in a whole
// build, when fp differs from the last build's in an incremental one.
func (w *writer) keep(p string, fp uint64) bool {
	if !strings.HasPrefix(p, "/") || path.Clean(p) != p {
		// Most paths are clean already, and the record keeps them:
		// a copy of each would be 100,000 strings on a large site.
		p = path.Clean("/" + p)
	}
	w.mu.Lock()
	defer w.mu.Unlock()
	w.next[p] = fp
	if !w.inPlace {
		return true
	}
	old, ok := w.last[p]
	return !ok || old != fp
}

// write stores data at the site-relative path p, unless an incremental
// build finds it as the last build left it.
func (w *writer) write(p string, data []byte) error {
	if !w.keep(p, hashBytes(data)) {
		return nil
	}
	return w.put(p, data)
}

// put stores data at the site-relative path p. A whole build writes into
// the scratch folder, which holds the site of an earlier build, so a file
// that has not changed is left as it is: rewriting costs more than
// reading, and an unchanged file keeps its modification time for HTTP
// caching. An incremental build replaces the file of the live site
// atomically, so that a reader never gets half of it.
func (w *writer) put(p string, data []byte) error {
	full, err := w.path(p)
	if err != nil {
		return err
	}
	w.wrote(p)
	if !w.inPlace {
		if old, err := os.ReadFile(full); err == nil {
			if bytes.Equal(old, data) {
				return nil
			}
			// The file may be a hard link to an attachment elsewhere in
			// the tree (see link): replace it rather than write through.
			os.Remove(full)
		}
	}
	writeFile := os.WriteFile
	if w.inPlace {
		writeFile = fsutil.ReplaceFile
	}
	err = writeFile(full, data, 0o644)
	if err != nil {
		// Folders are made when a file cannot be written without them,
		// not looked up first: a record of the folders made was tens of
		// megabytes on a large site, where most pages have their own.
		if err := w.makeDir(filepath.Dir(full)); err != nil {
			return err
		}
		err = writeFile(full, data, 0o644)
	}
	if err != nil {
		// A folder of an earlier build may stand where this file goes.
		if rmErr := os.RemoveAll(full); rmErr == nil {
			err = writeFile(full, data, 0o644)
		}
	}
	return err
}

// makeDir creates dir.
func (w *writer) makeDir(dir string) error {
	if err := os.MkdirAll(dir, 0o755); err != nil {
		// A file of an earlier build may stand where a folder goes.
		return clearPath(w.root, dir)
	}
	return nil
}

// link makes the site-relative path p a hard link to the file this build
// wrote at from, replacing whatever stood at p. It fails on a file system
// without hard links; the caller then writes a copy.
func (w *writer) link(from, p string) error {
	src, err := w.path(from)
	if err != nil {
		return err
	}
	full, err := w.path(p)
	if err != nil {
		return err
	}
	srcInfo, err := os.Stat(src)
	if err != nil {
		return err
	}
	if info, err := os.Stat(full); err == nil && os.SameFile(info, srcInfo) {
		w.files.Add(1)
		return nil
	}
	// Linked under a temporary name and renamed over p, so that a reader
	// of the live site gets the old file or the new, never none.
	tmp := filepath.Join(filepath.Dir(full), ".~"+filepath.Base(full))
	os.Remove(tmp)
	if err := os.Link(src, tmp); err != nil {
		if err := w.makeDir(filepath.Dir(full)); err != nil {
			return err
		}
		if err := os.Link(src, tmp); err != nil {
			return err
		}
	}
	if err := os.Rename(tmp, full); err != nil {
		os.Remove(tmp)
		return err
	}
	w.wrote(p)
	return nil
}

// wrote counts the file p as written, and records it as changed in an
// incremental build.
func (w *writer) wrote(p string) {
	w.files.Add(1)
	if w.inPlace {
		w.mu.Lock()
		w.changed = append(w.changed, path.Clean("/"+p))
		w.mu.Unlock()
	}
}

// clearPath removes whatever non-folder stands on the way from root to
// dir, then creates dir.
func clearPath(root, dir string) error {
	rel, err := filepath.Rel(root, dir)
	if err != nil {
		return err
	}
	p := root
	for _, part := range strings.Split(rel, string(filepath.Separator)) {
		p = filepath.Join(p, part)
		if info, err := os.Lstat(p); err == nil && !info.IsDir() {
			if err := os.Remove(p); err != nil {
				return err
			}
		}
	}
	return os.MkdirAll(dir, 0o755)
}

// prune deletes the files of an earlier build that this build did not
// make: in a whole build, whatever the scratch folder holds besides; in an
// incremental one, the last build's files that this one no longer has.
func (w *writer) prune() error {
	if w.inPlace {
		for _, p := range stale(w.last, w.next) {
			if err := w.remove(p); err != nil {
				return err
			}
		}
		return nil
	}
	var stale []string
	err := filepath.WalkDir(w.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		rel, err := filepath.Rel(w.root, p)
		if err != nil {
			return err
		}
		if _, ok := w.next["/"+filepath.ToSlash(rel)]; !ok {
			stale = append(stale, p)
		}
		return nil
	})
	if err != nil {
		return err
	}
	for _, p := range stale {
		if err := os.Remove(p); err != nil {
			return err
		}
	}
	if len(stale) > 0 {
		removeEmptyDirs(w.root)
	}
	return nil
}

// remove deletes the file at the site-relative path p from the live
// site, and the folders it leaves empty.
func (w *writer) remove(p string) error {
	full, err := w.path(p)
	if err != nil {
		return err
	}
	if err := os.Remove(full); err != nil && !errors.Is(err, fs.ErrNotExist) {
		return err
	}
	w.mu.Lock()
	w.removed++
	w.changed = append(w.changed, p)
	delete(w.last, p)
	w.mu.Unlock()
	for dir := filepath.Dir(full); dir != w.root && os.Remove(dir) == nil; dir = filepath.Dir(dir) {
	}
	return nil
}

// removeEmptyDirs deletes folders left empty by prune, deepest first.
func removeEmptyDirs(root string) {
	var dirs []string
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err == nil && d.IsDir() && p != root {
			dirs = append(dirs, p)
		}
		return nil
	})
	for i := len(dirs) - 1; i >= 0; i-- {
		os.Remove(dirs[i]) // fails, as intended, unless empty
	}
}

// path maps a site-relative path into the output, refusing any that would
// leave it: the model's URLs are checked when loading, and this is the
// second lock on the door.
func (w *writer) path(p string) (string, error) {
	clean := path.Clean("/" + p)
	if clean != "/"+strings.TrimPrefix(p, "/") && clean+"/" != "/"+strings.TrimPrefix(p, "/") || strings.Contains(p, "\\") || strings.Contains(p, "\x00") {
		return "", diag.Errorf("refusing to write %q outside the output folder", p)
	}
	return filepath.Join(w.root, filepath.FromSlash(clean)), nil
}

// execute runs the template of page.Kind into buf.
func (w *writer) execute(buf *bytes.Buffer, page *Page) error {
	buf.Reset()
	if err := w.tmpl[page.Kind].ExecuteTemplate(buf, "base", page); err != nil {
		return diag.Errorf("rendering %s: %w", page.URL, err)
	}
	w.pagesWritten.Add(1)
	return nil
}

// forEach runs fn over jobs on all cores, each worker with its own buffer,
// so memory stays at one page per core however large the site.
func forEach[T any](ctx context.Context, jobs []T, progress func(), fn func(buf *bytes.Buffer, job T) error) error {
	return forEachOn(ctx, runtime.GOMAXPROCS(0), jobs, progress, fn)
}

// forEachOn is forEach on the given number of workers.
func forEachOn[T any](ctx context.Context, workers int, jobs []T, progress func(), fn func(buf *bytes.Buffer, job T) error) error {
	bufs := make([]*bytes.Buffer, max(workers, 1))
	return parallel.For(ctx, workers, len(jobs), func(w, i int) error {
		if bufs[w] == nil {
			bufs[w] = new(bytes.Buffer)
		}
		if err := fn(bufs[w], jobs[i]); err != nil {
			return err
		}
		if progress != nil {
			progress()
		}
		return nil
	})
}
