package build

import (
	"bytes"
	"context"
	"fmt"
	"html/template"
	"io"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"runtime"
	"strings"
	"sync"
	"sync/atomic"
	"time"

	"bulletin/internal/feed"
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
	// Timings, when set, receives one line per step with its duration.
	Timings io.Writer
	// Publishers add their own files to the site, such as the digest
	// archive; they run after the pages, into the same folder, so what
	// they write is published, or not, with the rest.
	Publishers []Publisher
}

// Publisher writes additional files of a site through out.
type Publisher func(ctx context.Context, s *site.Site, out Output) error

// Output is what a Publisher may do: write files and render pages with the
// theme. Both are safe for concurrent use.
type Output interface {
	// Write stores data at the site-relative path p (e.g. /digests/feed.xml).
	Write(p string, data []byte) error
	// Render executes the theme template of page.Kind (templates/KIND.html)
	// and writes the result at page.URL + "index.html". page.Site is set
	// for the caller when nil.
	Render(page *Page) error
}

// Stats counts what a build wrote.
type Stats struct {
	Pages, Files int
}

// Build writes s to cfg.Out.
func Build(ctx context.Context, s *site.Site, cfg Config) (Stats, error) {
	var st Stats
	out, err := filepath.Abs(cfg.Out)
	if err != nil {
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
	scratch, err := prepareScratch(out)
	if err != nil {
		return st, err
	}

	w := &writer{root: scratch}
	steps := []struct {
		name string
		run  func() error
	}{
		{"templates", func() (err error) { w.tmpl, err = parseTemplates(cfg.Theme, s.Config); return err }},
		{"pages", func() error { return w.pages(ctx, s, cfg.Progress) }},
		{"attachments", func() error { return w.attachments(ctx, s, cfg.Sources) }},
		{"assets", func() error { return w.assets(cfg.Theme) }},
		{"sitemap", func() error { return w.sitemap(s) }},
		{"robots", func() error { return w.robots(s) }},
		{"feeds", func() error { return feed.Write(ctx, s, w.write) }},
		{"publishers", func() error {
			for _, p := range cfg.Publishers {
				if err := p(ctx, s, output{w, s}); err != nil {
					return err
				}
			}
			return nil
		}},
		{"prune", w.prune},
	}
	for _, step := range steps {
		start := time.Now()
		if err := step.run(); err != nil {
			return st, err
		}
		if err := ctx.Err(); err != nil {
			return st, err
		}
		if cfg.Timings != nil {
			fmt.Fprintf(cfg.Timings, "  %-12s %s\n", step.name, time.Since(start).Round(time.Millisecond))
		}
	}
	if err := swap(scratch, out); err != nil {
		return st, err
	}
	st.Pages, st.Files = int(w.pagesWritten.Load()), int(w.files.Load())
	return st, nil
}

// output is the writer as a publisher sees it.
type output struct {
	w *writer
	s *site.Site
}

func (o output) Write(p string, data []byte) error { return o.w.write(p, data) }

func (o output) Render(page *Page) error {
	if page.Site == nil {
		page.Site = o.s
	}
	if o.w.tmpl[page.Kind] == nil {
		return fmt.Errorf("theme has no template for pages of kind %q (templates/%s.html)", page.Kind, page.Kind)
	}
	var buf bytes.Buffer
	return o.w.render(&buf, page, "")
}

// writer writes files below root; safe for concurrent use.
type writer struct {
	root         string
	tmpl         map[string]*template.Template
	pagesWritten atomic.Int64
	files        atomic.Int64
	dirs         sync.Map // folders already created
	written      sync.Map // full paths written by this build
}

// write stores data at the site-relative path p. The scratch folder holds
// the site of an earlier build, so a file that has not changed is left as
// it is: rewriting costs more than reading, and an unchanged file keeps
// its modification time for HTTP caching.
func (w *writer) write(p string, data []byte) error {
	full, err := w.path(p)
	if err != nil {
		return err
	}
	w.written.Store(full, struct{}{})
	w.files.Add(1)
	if old, err := os.ReadFile(full); err == nil && bytes.Equal(old, data) {
		return nil
	}
	dir := filepath.Dir(full)
	if _, done := w.dirs.Load(dir); !done {
		if err := os.MkdirAll(dir, 0o755); err != nil {
			// A file of an earlier build may stand where a folder goes.
			if err := clearPath(w.root, dir); err != nil {
				return err
			}
		}
		w.dirs.Store(dir, true)
	}
	err = os.WriteFile(full, data, 0o644)
	if err != nil {
		// A folder of an earlier build may stand where this file goes.
		if rmErr := os.RemoveAll(full); rmErr == nil {
			err = os.WriteFile(full, data, 0o644)
		}
	}
	return err
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

// prune deletes what an earlier build left in the scratch folder and this
// build did not write.
func (w *writer) prune() error {
	var stale []string
	err := filepath.WalkDir(w.root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if d.IsDir() {
			return nil
		}
		if _, ok := w.written.Load(p); !ok {
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
		return "", fmt.Errorf("refusing to write %q outside the output folder", p)
	}
	return filepath.Join(w.root, filepath.FromSlash(clean)), nil
}

// render executes the template of page.Kind and writes the result as
// URL/index.html (or at file, when given).
func (w *writer) render(buf *bytes.Buffer, page *Page, file string) error {
	buf.Reset()
	if err := w.tmpl[page.Kind].ExecuteTemplate(buf, "base", page); err != nil {
		return fmt.Errorf("rendering %s: %w", page.URL, err)
	}
	if file == "" {
		file = page.URL + "index.html"
	}
	w.pagesWritten.Add(1)
	return w.write(file, buf.Bytes())
}

// forEach runs fn over jobs on all cores, each worker with its own buffer,
// so memory stays at one page per core however large the site.
func forEach[T any](ctx context.Context, jobs []T, progress func(), fn func(buf *bytes.Buffer, job T) error) error {
	var next atomic.Int64
	var wg sync.WaitGroup
	errs := make([]error, runtime.GOMAXPROCS(0))
	for i := range errs {
		wg.Go(func() {
			var buf bytes.Buffer
			for ctx.Err() == nil {
				n := int(next.Add(1)) - 1
				if n >= len(jobs) {
					return
				}
				if err := fn(&buf, jobs[n]); err != nil {
					errs[i] = err
					next.Store(int64(len(jobs)))
					return
				}
				if progress != nil {
					progress()
				}
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			return err
		}
	}
	return ctx.Err()
}
