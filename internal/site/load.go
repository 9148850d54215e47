package site

import (
	"cmp"
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"fmt"
	"io/fs"
	"math"
	"path"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync"
	"sync/atomic"
	"time"
	"unicode/utf8"

	"bulletin/internal/diag"
	"bulletin/internal/markdown"
	"bulletin/internal/parallel"
)

// Options says which bulletins a load publishes.
type Options struct {
	Drafts bool      // publish bulletins marked draft: true
	Future bool      // publish bulletins dated after Now
	Now    time.Time // the moment the site is built for; zero means time.Now()

	// MaxFileSize bounds a bulletin file; 0 means DefaultMaxFileSize.
	MaxFileSize int64
	// RenderTimeout bounds the time one bulletin's Markdown may take to
	// render; 0 means DefaultRenderTimeout.
	RenderTimeout time.Duration

	// Progress, when set, is called as bulletins are read and rendered,
	// possibly from several goroutines at once.
	Progress func(done, total int)

	// Cache, when set, lets the load reuse what earlier loads with it read
	// and rendered, and is brought up to date. Loads sharing a Cache run
	// one at a time; see Cache.
	Cache *Cache
	// Changed, when ChangedKnown is set and with a Cache, lists every path
	// (slash-separated, in fsys) that may have changed since the cache's
	// last load, as a file watcher reports them: files and folders
	// created, written, removed or renamed. The load then takes every
	// other bulletin file as that load left it, without listing folders or
	// looking at the file again: on a large site that is most of what a
	// cached load costs. A folder among the changes makes the load list
	// every folder as usual.
	Changed      []string
	ChangedKnown bool

	// Lean makes a load keep no bodies: every Bulletin's Body and Text
	// are empty, and Site.Content renders a body again when it is needed.
	// A site's memory then grows with what listings need of a bulletin,
	// not with its text; a one-off build wants that, a preview server
	// that renders pages on request may not. With a Cache, the cache
	// keeps no bodies either.
	Lean bool

	// Partial makes a load that finds errors return, with its Problems,
	// the site of what loaded without them: the bulletins that have
	// none, or no bulletin when site.yaml has errors. serve previews it
	// with the problems shown over the pages.
	Partial bool
}

// DefaultMaxFileSize is far above any real bulletin (a long one with
// tables is 100 KB) and low enough that a mistaken upload cannot exhaust
// memory.
const DefaultMaxFileSize = 2 << 20

// DefaultRenderTimeout is thousands of times what a real bulletin takes,
// with room for a machine busy with other work.
const DefaultRenderTimeout = 10 * time.Second

// Load reads the site in fsys (site.yaml and content/) and checks it. When
// the input has errors it returns them all as diag.Problems, sorted, and no
// site (with Options.Partial, what loaded; see there); warnings are in
// Site.Warnings. Other errors (I/O, cancellation) are returned as they
// are.
func Load(ctx context.Context, fsys fs.FS, opt Options) (*Site, error) {
	if opt.Now.IsZero() {
		opt.Now = time.Now()
	}
	if opt.MaxFileSize == 0 {
		opt.MaxFileSize = DefaultMaxFileSize
	}
	if opt.RenderTimeout == 0 {
		opt.RenderTimeout = DefaultRenderTimeout
	}
	if opt.Cache != nil {
		opt.Cache.mu.Lock()
		defer opt.Cache.mu.Unlock()
	}
	l := &loader{fsys: fsys, opt: opt, md: markdown.New()}
	s, err := l.load(ctx)
	if err != nil {
		return nil, err
	}
	all := diag.Problems(slices.Concat(l.problems...))
	diag.Sort(all)
	if all.Errors() > 0 {
		if opt.Partial {
			return s, all
		}
		return nil, all
	}
	s.Warnings = all
	return s, nil
}

type loader struct {
	fsys     fs.FS
	opt      Options
	md       *markdown.Renderer
	cfg      *Config
	noConfig bool // cfg holds defaults: site.yaml is missing or not YAML

	// prev holds the cached entries that are still valid for this load's
	// configuration, by path; read-only while the load runs.
	prev  map[string]*cacheEntry
	slugs *slugMemo
	// changed holds the paths a watcher reported, when the load goes by
	// them (pathsFromChanges); nil otherwise.
	changed map[string]bool

	problems [][]diag.Problem

	// names holds one copy of each bureau, region, category and tag name
	// and closing line's office: every bulletin repeats a few of them,
	// and a copy each was a tenth of what a large site's load held.
	names sync.Map
}

// intern returns the loader's copy of s, which may be part of a longer
// string: the copy is s's own.
func (l *loader) intern(s string) string {
	if s == "" {
		return s
	}
	if v, ok := l.names.Load(s); ok {
		return v.(string)
	}
	s = strings.Clone(s)
	v, _ := l.names.LoadOrStore(s, s)
	return v.(string)
}

// draft is a bulletin on its way through the loader.
type draft struct {
	sink     diag.Sink
	fm       *frontMatter
	body     []byte
	bodyLine int
	// bodyStart is the offset of the body in the normalised file, for
	// reading it again: a lean load drops it until it is rendered.
	bodyStart int
	hash      string
	slug      string // "" when the slug line is unusable
	b         *Bulletin

	// With a cache: entry is what the next load will know of the file.
	// cached says that the reading was taken from it, so body is nil
	// until a render needs it; src is the file's bytes when they were
	// read all the same (to compare them), sparing a second read.
	entry  *cacheEntry
	cached bool
	src    []byte

	read, rendered bool // for CacheStats
}

func (l *loader) load(ctx context.Context) (*Site, error) {
	cfgSink := &diag.Sink{Path: "site.yaml"}
	src, err := fs.ReadFile(l.fsys, "site.yaml")
	switch {
	case errors.Is(err, fs.ErrNotExist):
		cfgSink.Errorf(0, "not found: a site folder holds site.yaml and content/ (run bulletin in the site folder or pass -s)")
	case err != nil:
		return nil, err
	default:
		l.cfg = parseConfig(src, cfgSink)
	}
	l.problems = append(l.problems, cfgSink.Problems)
	cfgOK := !cfgSink.Failed()
	if l.cfg == nil {
		// Carry on with defaults so that one run reports the bulletins'
		// own problems too, but not their disagreements with a site.yaml
		// that could not be read.
		l.cfg = &Config{Location: defaultLocation(), Paginate: 20, Limits: defaultLimits()}
		l.noConfig = true
	}
	l.slugs = newSlugMemo(nil)
	if c := l.opt.Cache; c != nil {
		l.slugs = newSlugMemo(c.slugs)
		if c.configHash == l.cfg.Hash {
			l.prev = c.files
		}
	}

	paths := l.pathsFromChanges()
	walked := paths == nil
	problemsBefore := len(l.problems)
	if walked {
		paths, err = l.findBulletins(ctx)
		if err != nil {
			return nil, err
		}
	}
	// A listing that found problems (a symbolic link, a folder that could
	// not be read) is made again next time, so that they are reported.
	clean := !walked || len(slices.Concat(l.problems[problemsBefore:]...)) == 0
	drafts := make([]*draft, len(paths))
	var done atomic.Int64
	total := len(paths) * 2 // reading, then rendering
	progress := func() {
		if l.opt.Progress != nil {
			l.opt.Progress(int(done.Add(1)), total)
		}
	}
	err = parallel.For(ctx, runtime.GOMAXPROCS(0), len(paths), func(_, i int) error {
		d, err := l.read(paths[i])
		drafts[i] = d
		progress()
		return err
	})
	if err != nil {
		return nil, err
	}

	l.assignURLs(drafts)
	byPath := make(map[string]*draft, len(drafts))
	for _, d := range drafts {
		if d.b != nil {
			byPath[d.sink.Path] = d
		}
	}
	var bodies *bodySource
	if l.opt.Lean {
		bodies = &bodySource{fsys: l.fsys, md: l.md, timeout: l.opt.RenderTimeout, maxSize: l.opt.MaxFileSize,
			slugs: make(map[string]string, len(byPath))}
		for p, d := range byPath {
			bodies.slugs[p] = d.b.Slug
		}
	}
	err = parallel.For(ctx, runtime.GOMAXPROCS(0), len(drafts), func(_, i int) error {
		d := drafts[i]
		if d.b != nil {
			l.render(ctx, d, byPath)
		}
		d.src = nil
		progress()
		return nil
	})
	if err != nil {
		return nil, err
	}
	l.fillCache(drafts, paths, clean)

	var published []*draft
	var nextDue time.Time
	var draftsLeft, scheduled int
	for _, d := range drafts {
		l.problems = append(l.problems, d.sink.Problems)
		if d.b == nil || d.sink.Failed() {
			continue
		}
		// Against now, so not among the problems the cache keeps.
		if p, ok := farAhead(d, l.opt.Now); ok {
			l.problems = append(l.problems, []diag.Problem{p})
		}
		switch {
		case d.b.Draft && !l.opt.Drafts:
			draftsLeft++
			continue
		case d.b.Date.After(l.opt.Now) && !l.opt.Future:
			scheduled++
			if nextDue.IsZero() || d.b.Date.Before(nextDue) {
				nextDue = d.b.Date
			}
			continue
		}
		published = append(published, d)
	}
	if !cfgOK {
		// Nothing is published by a site.yaml with errors (this site is
		// for Options.Partial). What it got right of base_url still
		// places it.
		c := defaultConfig()
		c.Base, c.Hash = l.cfg.Base, l.cfg.Hash
		s := &Site{Config: c, Now: l.opt.Now, bodies: bodies}
		l.cfg = c
		l.buildTaxonomies(s, nil)
		return s, nil
	}
	slices.SortFunc(published, func(a, b *draft) int { return newestFirst(a.b, b.b) })
	s := &Site{Config: l.cfg, NextDue: nextDue, Drafts: draftsLeft, Scheduled: scheduled, Now: l.opt.Now, bodies: bodies}
	for _, d := range published {
		s.Bulletins = append(s.Bulletins, d.b)
	}
	l.buildTaxonomies(s, published)
	if c := l.opt.Cache; c != nil {
		c.slugs = l.slugs.next
	}
	return s, nil
}

// fillCache replaces the cache's entries with this load's: files that are
// gone drop out. A load that fails before this point (cancelled, an I/O
// error) leaves the cache as it was.
func (l *loader) fillCache(drafts []*draft, paths []string, clean bool) {
	c := l.opt.Cache
	if c == nil {
		return
	}
	c.paths = nil
	if clean {
		c.paths = paths
	}
	files := make(map[string]*cacheEntry, len(drafts))
	stats := CacheStats{Files: len(drafts)}
	for _, d := range drafts {
		if d.entry != nil {
			files[d.sink.Path] = d.entry
		}
		if d.read {
			stats.Read++
		}
		if d.rendered {
			stats.Rendered++
		}
	}
	c.configHash, c.files, c.stats = l.cfg.Hash, files, stats
}

func newestFirst(a, b *Bulletin) int {
	return cmp.Or(b.Date.Compare(a.Date), cmp.Compare(a.Source, b.Source))
}

// findBulletins lists the bulletin files (IsBulletin) in the order of
// fs.WalkDir: a folder's entries by name, each subfolder's files where its
// name sorts. Symbolic links are refused: they could pull in files from
// outside the site. Folders are read in parallel, one level of the tree
// at a time: on a site of thousands of folders, listing them is a third of
// a cached load.
func (l *loader) findBulletins(ctx context.Context) ([]string, error) {
	info, err := fs.Stat(l.fsys, ContentDir)
	switch {
	case errors.Is(err, fs.ErrNotExist):
		l.problems = append(l.problems, []diag.Problem{diag.At(ContentDir, 0, diag.Warning,
			"folder not found: the site has no bulletins yet")})
		return nil, nil
	case err != nil:
		l.problems = append(l.problems, []diag.Problem{diag.At(ContentDir, 0, diag.Error,
			"cannot read: %v", unwrapPathError(err))})
		return nil, nil
	case !info.IsDir():
		l.problems = append(l.problems, []diag.Problem{diag.At(ContentDir, 0, diag.Error,
			"is a file, not a folder: bulletins go in a folder named "+ContentDir+" beside site.yaml")})
		return nil, nil
	}
	root := &folder{path: ContentDir}
	for level := []*folder{root}; len(level) > 0; {
		err := parallel.For(ctx, runtime.GOMAXPROCS(0), len(level), func(_, i int) error {
			level[i].read(l.fsys)
			return nil
		})
		if err != nil {
			return nil, err
		}
		var next []*folder
		for _, f := range level {
			l.problems = append(l.problems, f.problems)
			for _, e := range f.entries {
				if e.sub != nil {
					next = append(next, e.sub)
				}
			}
		}
		level = next
	}
	var paths []string
	var list func(f *folder)
	list = func(f *folder) {
		for _, e := range f.entries {
			if e.sub != nil {
				list(e.sub)
			} else {
				paths = append(paths, e.file)
			}
		}
	}
	list(root)
	return paths, nil
}

// pathsFromChanges lists the bulletin files as the last load found them,
// updated with Options.Changed, without listing any folder. It returns
// nil when the folders must be listed: no list from the last load, no
// watcher's account of the changes, or a folder or link among them. A
// path it returns that the watcher named is in l.changed; the others are
// read from the cache.
func (l *loader) pathsFromChanges() []string {
	c := l.opt.Cache
	if c == nil || !l.opt.ChangedKnown || l.prev == nil || c.paths == nil {
		return nil
	}
	// c.paths is never changed in place: a load in progress may hold it.
	paths := c.paths
	changed := map[string]bool{}
	for _, p := range l.opt.Changed {
		p = path.Clean(p)
		if !strings.HasPrefix(p, ContentDir+"/") {
			if p == ContentDir || p == "." {
				return nil
			}
			continue // site.yaml drops the cache; the rest is not content
		}
		if SetAside(p, false) {
			continue // the listing leaves it out too, whatever it is
		}
		changed[p] = true
		i, found := slices.BinarySearchFunc(paths, p, walkOrder)
		info, err := fs.Lstat(l.fsys, p)
		switch {
		case errors.Is(err, fs.ErrNotExist):
			// The file, or a folder with everything below it.
			end := i
			if found {
				end++
			}
			for end < len(paths) && strings.HasPrefix(paths[end], p+"/") {
				end++
			}
			if end > i {
				paths = slices.Concat(paths[:i], paths[end:])
			}
		case err != nil || !info.Mode().IsRegular():
			return nil
		case IsBulletin(p) && !found:
			paths = slices.Insert(slices.Clip(paths), i, p)
		}
	}
	l.changed = changed
	return paths
}

// walkOrder orders paths as fs.WalkDir visits them: by the first name in
// which they differ, so content/a/x.md comes before content/a-b.md.
func walkOrder(a, b string) int {
	i := 0
	for i < len(a) && i < len(b) && a[i] == b[i] {
		i++
	}
	start := strings.LastIndexByte(a[:i], '/') + 1
	name := func(s string) string {
		if end := strings.IndexByte(s[start:], '/'); end >= 0 {
			return s[start : start+end]
		}
		return s[start:]
	}
	return strings.Compare(name(a), name(b))
}

// folder is a folder under content/ as findBulletins reads it.
type folder struct {
	path     string
	entries  []folderEntry // in name order
	problems []diag.Problem
}

// folderEntry is a bulletin file or a subfolder.
type folderEntry struct {
	file string
	sub  *folder
}

func (f *folder) read(fsys fs.FS) {
	entries, err := fs.ReadDir(fsys, f.path)
	if err != nil {
		// Like fs.WalkDir, go on with what could be read.
		f.problems = append(f.problems, diag.At(f.path, 0, diag.Error,
			"cannot read: %v", unwrapPathError(err)))
	}
	for _, d := range entries {
		p := f.path + "/" + d.Name()
		switch {
		case SetAside(p, d.IsDir()):
			// Before the link check: editors' lock files (.#a.md) are
			// links, and nothing is taken from them.
		case d.Type()&fs.ModeSymlink != 0:
			f.problems = append(f.problems, diag.At(p, 0, diag.Error,
				"is a symbolic link; bulletins, folders and attachments must be real files inside content/"))
		case d.IsDir():
			f.entries = append(f.entries, folderEntry{sub: &folder{path: p}})
		case d.Type().IsRegular() && IsBulletin(p):
			// Only regular files: reading a named pipe would hang.
			f.entries = append(f.entries, folderEntry{file: p})
		}
	}
}

func unwrapPathError(err error) error {
	var pe *fs.PathError
	if errors.As(err, &pe) {
		return pe.Err
	}
	return err
}

// read loads one bulletin's file and front matter, or takes them from the
// cache when the file is unchanged. Files that could not be read are not
// cached: the next load tries them again.
func (l *loader) read(p string) (*draft, error) {
	d := &draft{sink: diag.Sink{Path: p}}
	if old := l.prev[p]; old != nil && l.changed != nil && !l.changed[p] {
		// Known by the watcher to be as the last load found it.
		d.useEntry(old, nil)
		return d, nil
	}
	if err := checkFileName(p); err != nil {
		d.sink.Errorf(0, "%v", err)
		return d, nil
	}
	info, err := fs.Stat(l.fsys, p)
	if err != nil {
		d.sink.Errorf(0, "cannot read: %v", unwrapPathError(err))
		return d, nil
	}
	if info.Size() > l.opt.MaxFileSize {
		d.sink.Errorf(0, "file is %s; a bulletin may be at most %s (put large documents in an attachment)",
			byteSize(info.Size()), byteSize(l.opt.MaxFileSize))
		return d, nil
	}
	old := l.prev[p]
	if old != nil && old.unchanged(info) {
		d.useEntry(old, info)
		return d, nil
	}
	src, err := fs.ReadFile(l.fsys, p)
	if err != nil {
		d.sink.Errorf(0, "cannot read: %v", unwrapPathError(err))
		return d, nil
	}
	d.read = true
	d.hash = fileHash(src)
	if old != nil && old.hash == d.hash {
		d.useEntry(old, info)
		if !l.opt.Lean {
			d.src = src
		}
		return d, nil
	}
	if l.opt.Cache != nil {
		// The size and time are from before the read, so that a change
		// made while reading shows on the next load.
		d.entry = &cacheEntry{size: info.Size(), modTime: info.ModTime(), hash: d.hash}
		defer func() { d.entry.problems = slices.Clone(d.sink.Problems) }()
	}
	src = normalizeText(src)
	if line, ok := checkText(src); !ok {
		d.sink.Errorf(line, "not UTF-8 text (a NUL byte or an invalid byte sequence); save the file as UTF-8")
		return d, nil
	}
	fmSrc, body, bodyLine, ok := SplitFrontMatter(src, &d.sink)
	if !ok {
		return d, nil
	}
	fm := parseFrontMatter(fmSrc, l.cfg, &d.sink)
	if fm == nil {
		return d, nil
	}
	fm.Bureau, fm.Region, fm.Category = l.intern(fm.Bureau), l.intern(fm.Region), l.intern(fm.Category)
	for i, t := range fm.Tags {
		fm.Tags[i] = l.intern(t)
	}
	if len(strings.TrimSpace(string(body))) == 0 {
		d.sink.Errorf(bodyLine-1, "body is empty: write the bulletin's text after the closing ---")
	}
	if msg := staleNewName(p, fm, l.cfg.Location); msg != nil {
		d.sink.Warnf(lineOr(fm.dateLine, 1), "%v", msg)
	}
	if n := placeholderLine(body); n > 0 && !fm.Draft {
		d.sink.Errorf(bodyLine+n-1, "still has the paragraph bulletin new wrote, %q: write the bulletin's text, or keep draft: true until it is done", Placeholder)
	}
	d.fm, d.body, d.bodyLine, d.bodyStart = fm, body, bodyLine, len(src)-len(body)
	if l.opt.Lean {
		// Read again to render, once every bulletin's URL is known:
		// held until then, the sources of a large site would be most
		// of what the load holds.
		d.body = nil
	}
	l.checkRegistry(d)
	switch {
	case fm.Slug == "":
		d.slug = fileSlug(strings.TrimPrefix(p, ContentDir+"/"))
	case validSlug(fm.Slug):
		d.slug = fm.Slug
	}
	if d.entry != nil {
		d.entry.fm, d.entry.slug, d.entry.bodyStart, d.entry.bodyLine = fm, d.slug, d.bodyStart, bodyLine
	}
	return d, nil
}

func fileHash(src []byte) string {
	sum := sha256.Sum256(src)
	return hex.EncodeToString(sum[:16])
}

// useEntry takes the reading of an unchanged file from the cache. The
// entry is copied: the cache keeps the old one until the load succeeds.
func (d *draft) useEntry(old *cacheEntry, info fs.FileInfo) {
	e := *old
	if info != nil {
		e.size, e.modTime = info.Size(), info.ModTime()
	}
	d.entry, d.cached = &e, true
	d.fm, d.hash, d.slug, d.bodyLine, d.bodyStart = e.fm, e.hash, e.slug, e.bodyLine, e.bodyStart
	d.sink.Problems = slices.Clone(e.problems)
}

// readBody reads the body of a file again to render it: its reading came
// from the cache and its links now resolve differently, or a lean load
// dropped it.
func (l *loader) readBody(d *draft) bool {
	src := d.src
	if src == nil {
		var err error
		src, err = readLimited(l.fsys, d.sink.Path, l.opt.MaxFileSize)
		d.read = true
		if err != nil {
			d.sink.Errorf(0, "cannot read: %v", unwrapPathError(err))
			d.entry = nil
			return false
		}
		if fileHash(src) != d.hash {
			// The front matter this load used is gone; rather than mix
			// two versions of the file, say so. The edit that changed it
			// also triggers the next load, which reads it afresh.
			d.sink.Errorf(0, "file changed while the site was loading; it is read again on the next load")
			d.entry = nil
			return false
		}
	}
	d.body = normalizeText(src)[d.bodyStart:]
	return true
}

// normalizeText drops a UTF-8 byte order mark and turns CRLF into LF, as
// files saved by Windows editors have them.
func normalizeText(src []byte) []byte {
	src = []byte(strings.TrimPrefix(string(src), "\uFEFF"))
	if !slices.Contains(src, '\r') {
		return src
	}
	return []byte(strings.ReplaceAll(strings.ReplaceAll(string(src), "\r\n", "\n"), "\r", "\n"))
}

// checkText reports the line of the first NUL or invalid UTF-8 byte.
func checkText(src []byte) (int, bool) {
	if utf8.Valid(src) && !slices.Contains(src, 0) {
		return 0, true
	}
	line := 1
	for i := 0; i < len(src); {
		r, size := utf8.DecodeRune(src[i:])
		if r == 0 || (r == utf8.RuneError && size <= 1) {
			return line, false
		}
		if r == '\n' {
			line++
		}
		i += size
	}
	return line, false
}

func byteSize(n int64) string {
	if n >= 1<<20 {
		return fmt.Sprintf("%.1f MB", float64(n)/(1<<20))
	}
	return fmt.Sprintf("%d KB", (n+1023)/1024)
}

// checkRegistry checks bureau, region and category against site.yaml.
func (l *loader) checkRegistry(d *draft) {
	fm, c := d.fm, l.cfg
	switch {
	case l.noConfig: // nothing to check them against
	case len(c.Bureaus) > 0 && fm.Bureau != "":
		b, ok := c.Bureau(fm.Bureau)
		if !ok {
			names := make([]string, len(c.Bureaus))
			for i, b := range c.Bureaus {
				names[i] = b.Name
			}
			d.sink.Errorf(fm.bureauLine, "bureau %q is not listed in site.yaml%s", fm.Bureau, diag.Suggest(fm.Bureau, names))
		} else if fm.Region != "" && fm.Region != b.Region {
			d.sink.Errorf(fm.regionLine, "region %q does not agree with site.yaml, which places %s in %s; remove the region line", fm.Region, b.Name, b.Region)
		}
	case fm.Region == "" && fm.Bureau != "":
		d.sink.Warnf(fm.bureauLine, "no region: site.yaml lists no bureaus, so the bulletin must say its region")
	}
	if len(c.Categories) > 0 && fm.Category != "" {
		names := make([]string, len(c.Categories))
		for i, cat := range c.Categories {
			names[i] = cat.Name
		}
		if !slices.Contains(names, fm.Category) {
			d.sink.Errorf(fm.categoryLine, "category %q is not listed in site.yaml%s", fm.Category, diag.Suggest(fm.Category, names))
		}
	}
	switch {
	case fm.Slug == "":
	case !asciiSlugRE.MatchString(fm.Slug):
		d.sink.Errorf(fm.slugLine, "slug %q must be lowercase ASCII letters, digits and dashes (no / or ..), such as winter-relief-2024", short(fm.Slug))
	case len(fm.Slug) > maxSlugLength:
		d.sink.Errorf(fm.slugLine, "slug is %d characters long; at most %d, such as winter-relief-2024", len(fm.Slug), maxSlugLength)
	}
}

// validSlug says whether s can be a bulletin's folder name on any file
// system a site is built on.
func validSlug(s string) bool {
	return len(s) <= maxSlugLength && asciiSlugRE.MatchString(s)
}

// assignURLs gives every readable bulletin its slug and URL and reports
// bulletins that would share one. Of each clashing group, the first file
// that took its slug from its file name keeps the URL (a slug line is the
// likelier mistake); every other member is an error that names it.
func (l *loader) assignURLs(drafts []*draft) {
	first := make(map[string]*draft, len(drafts))
	// Groups are made only for slugs that clash: one per bulletin was
	// most of what a cached load allocated.
	clashes := map[string][]*draft{}
	var order []string
	for _, d := range drafts {
		// Files with other errors still take part, so that a clash is
		// reported in the same run; only an unusable slug keeps one out.
		if d.fm == nil || d.slug == "" {
			continue
		}
		slug := d.slug
		// The slug is the URL's own: one string for both.
		url := "/bulletins/" + slug + "/"
		d.b = &Bulletin{Source: d.sink.Path, Slug: url[len("/bulletins/") : len(url)-1], URL: url}
		f, seen := first[slug]
		if !seen {
			first[slug] = d
			continue
		}
		if _, ok := clashes[slug]; !ok {
			order = append(order, slug)
			clashes[slug] = []*draft{f}
		}
		clashes[slug] = append(clashes[slug], d)
	}
	for _, slug := range order {
		g := clashes[slug]
		keeper := g[0]
		for _, d := range g {
			if d.fm.Slug == "" {
				keeper = d
				break
			}
		}
		for _, d := range g {
			if d != keeper {
				d.sink.Errorf(lineOr(d.fm.slugLine, 1), "URL %s is also the URL of %s; give one of them a different slug",
					d.b.URL, keeper.sink.Path)
			}
		}
	}
}

// render turns the body into HTML and fills in everything derived from it.
// A file unchanged since the cached rendering is rendered again only when
// one of its links now resolves differently.
func (l *loader) render(ctx context.Context, d *draft, byPath map[string]*draft) {
	if d.cached {
		if r := d.entry.rendered; r != nil && l.replay(d, r, byPath) {
			d.reuse(r)
			// The cache's entry is this load's own, and goes by this
			// load's bulletin: the last one's site can then be let go.
			d.entry.rendered = &rendering{b: d.b, problems: r.problems, links: r.links}
			return
		}
		d.entry.rendered = nil // d.entry is this load's own copy
		if !l.readBody(d) {
			return
		}
	} else if d.body == nil && !l.readBody(d) { // lean
		return
	}
	fm := d.fm
	b := d.b
	// The source is not needed after rendering; on a large site it is a
	// third of the memory the loader holds.
	defer func() { d.body = nil }()
	b.Title, b.Date, b.Updated, b.Draft = fm.Title, fm.Date, fm.Updated, fm.Draft
	if b.Updated.IsZero() {
		b.Updated = b.Date
	}
	b.Reporting, b.Relay = fm.Reporting, fm.Relay
	b.Hash = d.hash
	d.rendered = true
	before := len(d.sink.Problems)

	links := &linkResolver{fsys: l.fsys, from: d.sink.Path, slug: slugOf(byPath)}
	doc, err := renderWithin(ctx, l.md, l.opt.RenderTimeout, d.body, markdown.Options{ResolveLink: links.resolve})
	if err != nil {
		d.sink.Errorf(0, "%v", err)
		return
	}
	for _, p := range doc.Problems {
		if p.Warning {
			d.sink.Warnf(d.bodyLine+p.Line-1, "%s", p.Msg)
		} else {
			d.sink.Errorf(d.bodyLine+p.Line-1, "%s", p.Msg)
		}
	}
	b.Attachments = links.attachments
	if !l.opt.Lean {
		// Clone: the text was built with spare capacity, a fifth of it
		// unused.
		b.Body, b.Text = pageBody(doc), strings.Clone(doc.Text)
	}
	b.HanChars = int32(min(markdown.CountHan(doc.Text), math.MaxInt32))
	b.ReadingMinutes = int32(min(markdown.ReadingMinutes(doc.Text), math.MaxInt32))

	text := doc.Text
	if name, line, _, ok := findAttribution(doc.Text); ok {
		b.Attribution = l.intern(name)
		text = line
		l.checkAttribution(d, name)
	}
	b.Summary = fm.Summary
	if b.Summary == "" {
		// Clone: a substring would keep the whole rendered text alive
		// beside b.Text's own copy.
		b.Summary = strings.Clone(markdown.Summary(text, summaryRunes))
	}
	b.Hash = bulletinHash(d.hash, links.calls)
	if d.entry != nil {
		d.entry.rendered = &rendering{b: b, problems: slices.Clone(d.sink.Problems[before:]), links: links.calls}
	}
}

// checkAttribution compares the office a closing line names with the
// bulletin's bureau. A name outside the registry would present the
// bulletin as another office's (（据国务院办公厅）), so it is an error
// unless the bulletin says it is carried from elsewhere (relay: true).
func (l *loader) checkAttribution(d *draft, name string) {
	fm := d.fm
	if name == fm.Bureau || fm.Relay {
		return
	}
	line := d.bodyLine + lastLineOf(d.body, name) - 1
	if _, listed := l.cfg.Bureau(name); listed || len(l.cfg.Bureaus) == 0 {
		d.sink.Warnf(line, "the closing line names %s, but bureau is %s", name, fm.Bureau)
		return
	}
	d.sink.Errorf(line, "the closing line names %s, which is not a bureau in site.yaml; a bulletin carried from another office says relay: true (转载)", name)
}

// slugOf looks up link targets among the bulletins of a load.
func slugOf(byPath map[string]*draft) func(string) (string, bool) {
	return func(p string) (string, bool) {
		d, ok := byPath[p]
		if !ok {
			return "", false
		}
		return d.b.Slug, true
	}
}

// renderWithin renders body, stopping it after timeout. The renderer
// bounds its own work by the size of the body, so the limit is only a
// second line of defence for a machine too busy to finish that work;
// either way the render itself stops, not just the wait for it.
func renderWithin(ctx context.Context, md *markdown.Renderer, timeout time.Duration, body []byte, opt markdown.Options) (*markdown.Document, error) {
	rctx, cancel := context.WithTimeout(ctx, timeout)
	defer cancel()
	doc, err := md.Render(rctx, body, opt)
	switch {
	case err == nil:
		return doc, nil
	case ctx.Err() != nil:
		return nil, ctx.Err()
	case errors.Is(err, context.DeadlineExceeded):
		return nil, diag.Errorf("the Markdown took longer than %s to render and was stopped; the machine may be overloaded, or the text malformed (thousands of unclosed brackets or links)", timeout)
	default:
		return nil, diag.Errorf("cannot render: %v", err)
	}
}

// summaryRunes is about two lines of a listing on a phone.
const summaryRunes = 120

// lastLineOf returns the 1-based line of the last occurrence of s in body.
func lastLineOf(body []byte, s string) int {
	i := strings.LastIndex(string(body), s)
	if i < 0 {
		return 1
	}
	return strings.Count(string(body[:i]), "\n") + 1
}

// farAhead warns of a bulletin dated more than a year after now: most
// likely a typing slip (2042 for 2024), which would keep it off the site
// for years. It suggests the year the digits make when swapped, if one is
// not in the future.
func farAhead(d *draft, now time.Time) (diag.Problem, bool) {
	date := d.b.Date
	if d.fm == nil || !date.After(now.AddDate(1, 0, 0)) {
		return diag.Problem{}, false
	}
	if y, ok := swappedYear(date.Year(), now.Year()); ok {
		return diag.At(d.sink.Path, d.fm.dateLine, diag.Warning, "date %s is more than a year ahead: %d typed for %d?",
			date.Format("2006-01-02"), date.Year(), y), true
	}
	return diag.At(d.sink.Path, d.fm.dateLine, diag.Warning, "date %s is more than a year ahead; check the year",
		date.Format("2006-01-02")), true
}

// swappedYear returns the year nearest to now, and not after it, that two
// adjacent digits of year swapped make.
func swappedYear(year, now int) (int, bool) {
	digits := []byte(strconv.Itoa(year))
	best := 0
	for i := 0; i+1 < len(digits); i++ {
		digits[i], digits[i+1] = digits[i+1], digits[i]
		if y, err := strconv.Atoi(string(digits)); err == nil && digits[0] != '0' && y <= now && y > best {
			best = y
		}
		digits[i], digits[i+1] = digits[i+1], digits[i]
	}
	return best, best > 0 && now-best <= 10
}
