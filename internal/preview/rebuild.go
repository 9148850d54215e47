package preview

import (
	"context"
	"errors"
	"os"
	"time"

	"bulletin/internal/build"
	"bulletin/internal/diag"
	"bulletin/internal/i18n"
	"bulletin/internal/serve"
	"bulletin/internal/site"
)

// Rebuilder brings the served site up to date after a change: it loads
// the site again, re-reading only the files that changed, re-renders the
// pages and feeds the change touches, tells open pages to reload and
// updates the search index. A failed rebuild leaves the last good site in
// place and shows its problems over the open pages instead.
//
// Its fields are set before the first Rebuild and not changed after.
type Rebuilder struct {
	Dir      string                       // the site folder
	Options  func() (site.Options, error) // the load options, read again for every load
	BasePath string                       // where the site is served; fixed at start
	Cache    *site.Cache
	Builder  *build.Builder
	Search   *Search
	Live     *serve.Live
	Private  Private // kept out of what open pages show
	// Printer reads the problems and errors open pages show in the
	// editor's language; nil is English.
	Printer *i18n.Printer
	// Watched says the cache is up to date but for what the watcher
	// reports: true when the watcher started before the cache was
	// filled.
	Watched bool

	reloaded map[string]bool // pages told to reload early in this rebuild
}

// Report is what one rebuild did, for serve to print.
type Report struct {
	// Problems are the site's errors (and warnings) when it failed to
	// load: nothing else was done.
	Problems diag.Problems
	Warnings diag.Problems // of a site that loaded
	// Err is why the rebuild failed; the last good site stays served.
	Err error
	// SearchErr is why the search index was not updated; the pages were.
	SearchErr error

	Stats      build.Stats
	Cache      site.CacheStats
	Load, Took time.Duration // loading, and loading and writing the pages
	Search     *diag.Message // what became of the search index; reads "" when its update failed
}

// Failed shows msg over the open pages, without the folders of this
// machine: any reader of a page sees it.
func (r *Rebuilder) Failed(msg string) {
	r.Live.Failed(r.Private.Replace(r.Printer, msg))
}

// ShowProblems shows the site's problems over the open pages, with paths
// in the site: content/qinghai/a.md:3.
func (r *Rebuilder) ShowProblems(ps diag.Problems) {
	r.Failed(ps.Localize(r.Printer))
}

// showError shows why a rebuild failed over the open pages.
func (r *Rebuilder) showError(err error) {
	r.Failed(r.Printer.Error(err))
}

// Early has the pages an editor most likely has open reloaded while the
// rebuild goes on with the deeper pages of listings; it is the
// build.Config.Early of the Builder.
func (r *Rebuilder) Early(paths []string) {
	r.reloaded = map[string]bool{}
	for _, p := range paths {
		r.reloaded[p] = true
	}
	r.Live.Changed(paths)
}

// Rebuild loads and builds the site again after the files changed
// changed, as Watcher.Run reports them, and tells open pages. It returns
// what it did; only one Rebuild runs at a time.
func (r *Rebuilder) Rebuild(ctx context.Context, changed []string, known bool) Report {
	start := time.Now()
	opt, err := r.Options()
	if err != nil {
		r.showError(err)
		return Report{Err: err}
	}
	// What the watcher saw since the last load spares looking at every
	// file.
	opt.Cache, opt.Changed, opt.ChangedKnown = r.Cache, changed, known && r.Watched
	r.Watched = true
	s, err := site.Load(ctx, os.DirFS(r.Dir), opt)
	var problems diag.Problems
	if errors.As(err, &problems) {
		r.ShowProblems(problems)
		return Report{Problems: problems}
	}
	if err != nil {
		// The cache is as before this load, which did not take in what
		// the watcher reported: the next load looks at everything.
		r.Watched = false
	}
	if err == nil && s.Config.Base.Path() != r.BasePath {
		// The server's routes are made for the path it started with.
		err = diag.Errorf("base_url now puts the site at %s instead of %s; restart bulletin serve to serve it there", s.Config.Base.Path(), r.BasePath)
	}
	rep := Report{Load: time.Since(start)}
	if err == nil {
		rep.Warnings = s.Warnings
		rep.Stats, err = r.Builder.Build(ctx, s)
	}
	if err == nil {
		err = r.Search.UseSite(s)
	}
	if err != nil {
		r.showError(err)
		rep.Err = err
		return rep
	}
	rep.Took = time.Since(start)
	if rep.Stats.Whole {
		r.Live.Reloaded()
	} else {
		var rest []string
		for _, p := range rep.Stats.Changed {
			if !r.reloaded[p] {
				rest = append(rest, p)
			}
		}
		// The early event has already cleared any problems overlay.
		if len(rest) > 0 || r.reloaded == nil {
			r.Live.Changed(rest)
		}
	}
	r.reloaded = nil
	// Search follows a moment after the pages: readers see the edit first.
	rep.Search, rep.SearchErr = r.Search.Update(ctx, s)
	if r.Cache != nil {
		rep.Cache = r.Cache.Stats()
	}
	return rep
}
