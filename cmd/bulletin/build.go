package main

import (
	"context"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime/debug"
	"strings"
	"time"

	"bulletin/internal/build"
	"bulletin/internal/diag"
	"bulletin/internal/digest"
	"bulletin/internal/fsutil"
	"bulletin/internal/notice"
	"bulletin/internal/site"
	"bulletin/internal/stats"
	"bulletin/theme"
)

// largeSite is where a site's memory starts to matter more than its
// build's processor time.
const largeSite = 50_000

// buildMemoryLimit is the soft limit of the memory a build's Go heap
// takes (debug.SetMemoryLimit) unless GOMEMLIMIT says otherwise: below
// it the collector works as usual; near it, as on a site of a million
// bulletins, it works harder, so that the build fits in 3 GiB with the
// index's mapped files.
const buildMemoryLimit = 2304 << 20

// indexingGC makes the collector work twice as often while the index of
// a large site (largeSite bulletins or more) is made, unless GOGC says
// otherwise, and returns how to undo it: bleve's merges map the index's
// files, and with the heap the site and the indexing hold, they made the
// peak of a build of 100,000 bulletins. It costs the indexing some time
// (a fifth more processor time at 10,000 bulletins), which a small site,
// whose peak is low anyway, is spared. For the same reason it lowers the
// memory limit to indexingMemoryLimit, unless GOMEMLIMIT says otherwise.
func indexingGC(bulletins int) (restore func()) {
	if bulletins < largeSite {
		return func() {}
	}
	undo := []func(){}
	if os.Getenv("GOGC") == "" {
		old := debug.SetGCPercent(50)
		undo = append(undo, func() { debug.SetGCPercent(old) })
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		old := debug.SetMemoryLimit(indexingMemoryLimit)
		undo = append(undo, func() { debug.SetMemoryLimit(old) })
	}
	return func() {
		for _, f := range undo {
			f()
		}
	}
}

// indexingMemoryLimit is buildMemoryLimit less room for the segment files
// bleve's merges map: building the index of a million bulletins, the heap
// stayed at the limit (2.17–2.24 GB) while merges mapped up to 781 MB,
// 2,946 MiB together, too near 3 GiB.
const indexingMemoryLimit = buildMemoryLimit - 256<<20

func runBuild(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fs := newFlags(e, "build", "bulletin build writes the site as static files: a whole build replaces the output folder only when it succeeds; after an edit, only the files that changed are replaced, each whole (the cache in SITE/.bulletin/build is safe to delete).",
		"  bulletin build -s . -o public\n  bulletin build -o /srv/www/news --now 2025-01-01  # reproducible")
	sf.register(fs)
	out := fs.String("o", "", "output `folder` (default SITE/public)")
	themeDir := fs.String("theme", "", "theme `folder` whose files replace the built-in theme's")
	verbose := fs.Bool("v", false, "print the time each step takes")
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to `file`, for performance reports")
	memProfile := fs.String("memprofile", "", "write a profile of the memory held after the pages and the index are written to `file`, for performance reports")
	auditAfter := fs.Bool("audit", false, "run bulletin audit's offline checks on the built site and print a one-line summary")
	var idx indexFlags
	idx.register(fs, true)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkThemeDir(e, "build", *themeDir); err != nil {
		return err
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	if fs.NArg() > 0 {
		e.printf("bulletin build: unexpected argument %q\n", fs.Arg(0))
		return errUsage
	}
	if *out == "" {
		*out = filepath.Join(sf.dir, "public")
	}
	if os.Getenv("GOMEMLIMIT") == "" {
		defer debug.SetMemoryLimit(debug.SetMemoryLimit(buildMemoryLimit))
	}
	start := time.Now()
	p := newProgress(e.stderr, sf.quiet)
	// What the last build kept (buildcache.go): a build after an edit
	// reads, renders and writes only what the edit changed.
	key := buildKey(sf.dir, siteTheme(*themeDir))
	cache := readSiteCache(sf.dir, key)
	s, _, err := sf.loadWith(ctx, e, p, cache, false, true)
	if err != nil {
		return err
	}
	// Saved before the site is written, and let go: on a large site the
	// cache's entries are a third of what the build would hold.
	saveSiteCache(sf.dir, key, cache)
	cache = nil
	loaded := time.Since(start)
	cfg := buildConfig(e, &sf, *out, *themeDir, p, *verbose)
	cfg.Record, cfg.RecordKey = outputRecord(sf.dir, *out), key
	st, err := build.Build(ctx, s, cfg)
	p.clear()
	if err != nil {
		return err
	}
	if !sf.quiet {
		e.outf("built %s, %d pages, %d files in %s (load %s) -> %s\n",
			e.count(len(s.Bulletins), "%d bulletin", "%d bulletins"), st.Pages, st.Files,
			time.Since(start).Round(time.Millisecond), loaded.Round(time.Millisecond), *out)
	}
	restoreGC := indexingGC(len(s.Bulletins))
	err = idx.update(ctx, e, e.stdout, s, sf.dir, p, sf.quiet)
	restoreGC()
	if err != nil {
		return err
	}
	if err := writeMemProfile(*memProfile); err != nil {
		return err
	}
	recordPublished(ctx, e, s, &sf)
	reportLeftOut(e, e.stdout, s, sf.quiet)
	if *auditAfter {
		return auditBuilt(ctx, e, s, sf.dir, *out, idx.path(sf.dir))
	}
	return nil
}

// buildSite writes s to out with the chosen theme.
func buildSite(ctx context.Context, e *env, s *site.Site, sf *siteFlags, out, themeDir string, p *progress, verbose bool) (build.Stats, error) {
	st, err := build.Build(ctx, s, buildConfig(e, sf, out, themeDir, p, verbose))
	p.clear()
	return st, err
}

// buildConfig is how build and serve write a site: the theme chosen, the
// digest's and the notices' archives added.
func buildConfig(e *env, sf *siteFlags, out, themeDir string, p *progress, verbose bool) build.Config {
	cfg := build.Config{
		Out:      out,
		Theme:    siteTheme(themeDir),
		Sources:  os.DirFS(sf.dir),
		Progress: p.stage(e.p, "writing"),
	}
	warn := func(p diag.Problem) { e.printf("warning: %s: %v\n", p.Path, problemText(p)) }
	cfg.Publishers = append(cfg.Publishers, digest.ArchivePublisher(os.DirFS(sf.dir), cfg.Theme, warn),
		notice.ArchivePublisher(os.DirFS(sf.dir), cfg.Theme, warn))
	cfg.Sections = siteSections(sf.dir)
	if verbose {
		cfg.Timing = func(step *diag.Message, took time.Duration) {
			name := e.p.Sprintf("%v", step)
			fmt.Fprintf(e.stderr, "  %s%s %s\n", name, strings.Repeat(" ", max(0, 12-stats.Width(name))), took)
		}
	}
	return cfg
}

// siteTheme is the theme to build with: the embedded one, with the files
// of the theme folder dir (if any) in place of its own.
// checkThemeDir refuses a -theme that names no folder, where the built-in
// theme would otherwise stand in for it unnoticed.
func checkThemeDir(e *env, name, dir string) error {
	if dir == "" {
		return nil
	}
	if info, err := os.Stat(dir); err != nil || !info.IsDir() {
		return e.cmdUsagef(name, "-theme %s is not a folder", dir)
	}
	return nil
}

func siteTheme(dir string) fs.FS {
	if dir == "" {
		return theme.FS
	}
	return fsutil.Overlay(os.DirFS(dir), theme.FS)
}

// reportLeftOut says which bulletins the build left out and why, so that a
// bureau knows why its page is missing, and tells a scheduled job when to
// rebuild: a future-dated bulletin is published by the first build after
// its date.
func reportLeftOut(e *env, w io.Writer, s *site.Site, quiet bool) {
	if quiet {
		return
	}
	if s.Drafts > 0 {
		e.fprintf(w, "%s left out (draft: true); --drafts builds drafts too\n", e.count(s.Drafts, "%d draft", "%d drafts"))
	}
	if s.Scheduled > 0 {
		e.fprintf(w, "%s left out, dated after now; the next is due %s: rebuild then to publish it\n",
			e.count(s.Scheduled, "%d scheduled bulletin", "%d scheduled bulletins"), s.NextDue.In(s.Config.Location).Format("2006-01-02 15:04 MST"))
	}
}
