package main

import (
	"context"
	"flag"
	"fmt"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"sync/atomic"
	"time"

	"bulletin/indexer"
	"bulletin/internal/build"
	"bulletin/internal/site"
)

// indexFlags are the search index flags of build and serve.
type indexFlags struct {
	dir       string
	skip      bool
	skippable bool // the command has -no-index
}

func (f *indexFlags) register(fs *flag.FlagSet, skippable bool) {
	f.skippable = skippable
	fs.StringVar(&f.dir, "index", "", "search index `folder` (default SITE/.bulletin/search; never inside the output, so never published)")
	if skippable {
		fs.BoolVar(&f.skip, "no-index", false, "do not update the search index")
	}
}

// path is the index folder of the site in siteDir.
func (f *indexFlags) path(siteDir string) string {
	if f.dir != "" {
		return f.dir
	}
	return filepath.Join(siteDir, ".bulletin", "search")
}

// update brings the site's search index up to date with s, unless
// -no-index, and says what it did on w, unless quiet.
func (f *indexFlags) update(ctx context.Context, w io.Writer, s *site.Site, siteDir string, p *progress, quiet bool) error {
	if f.skip {
		return nil
	}
	dir := f.path(siteDir)
	start := time.Now()
	st, err := indexer.Update(ctx, dir, s, p.stage("indexing"))
	p.clear()
	if err != nil {
		return f.indexError(err)
	}
	if !quiet {
		reportIndex(w, st, time.Since(start), dir)
	}
	return nil
}

func (f *indexFlags) indexError(err error) error {
	return fmt.Errorf("search index: %w", err)
}

func reportIndex(w io.Writer, st indexer.UpdateStats, took time.Duration, dir string) {
	took = took.Round(time.Millisecond)
	switch {
	case st.Rebuilt:
		fmt.Fprintf(w, "indexed %s for search in %s -> %s\n", count(st.Docs, "bulletin", "bulletins"), took, dir)
	case st.Added+st.Changed+st.Removed == 0:
		fmt.Fprintf(w, "search index up to date (%s) -> %s\n", count(st.Docs, "bulletin", "bulletins"), dir)
	default:
		fmt.Fprintf(w, "search index updated in %s: %d new, %d changed, %d removed -> %s\n", took, st.Added, st.Changed, st.Removed, dir)
	}
}

// followEvery is how often serve looks for a generation of the search
// index that bulletin build has published.
const followEvery = 2 * time.Second

// searchService answers /search and /api/search for serve. When live, it
// publishes a generation of the index after every rebuild of the site.
// Live or not, it moves to the generations bulletin build publishes.
type searchService struct {
	ix       *indexer.Index
	srv      *indexer.Server
	live     bool
	basePath string
	themeDir string
	siteDir  string
	renderer atomic.Pointer[build.Renderer] // of the current site and theme
	site     atomic.Pointer[site.Site]      // the site last loaded
}

// openSearch updates and opens the search index of s. Messages go to
// stderr: stdout's first line is the address served.
func (f *indexFlags) openSearch(ctx context.Context, e *env, s *site.Site, sf *siteFlags, themeDir, basePath string, live bool, p *progress) (*searchService, error) {
	ss := &searchService{live: live, basePath: basePath, themeDir: themeDir, siteDir: sf.dir}
	dir := f.path(sf.dir)
	if live {
		start := time.Now()
		ix, st, err := indexer.OpenLive(ctx, dir, s, p.stage("indexing"))
		p.clear()
		if err != nil {
			return nil, f.indexError(err)
		}
		if !sf.quiet {
			reportIndex(e.stderr, st, time.Since(start), dir)
		}
		ss.ix = ix
	} else {
		if err := f.update(ctx, e.stderr, s, sf.dir, p, sf.quiet); err != nil {
			return nil, err
		}
		ix, err := indexer.Open(dir, s)
		if err != nil {
			return nil, err
		}
		ss.ix = ix
	}
	if err := ss.useSite(s, themeDir); err != nil {
		ss.ix.Close()
		return nil, err
	}
	report := func(err error) { fmt.Fprintf(e.stderr, "bulletin serve: %v\n", err) }
	ss.srv = indexer.NewServer(ss.ix, indexer.ServerConfig{
		BasePath: basePath,
		Location: s.Config.Location,
		ErrorLog: report,
	})
	go ss.ix.Follow(ctx, followEvery, func(ctx context.Context) (*site.Site, error) {
		return ss.siteFor(ctx, sf)
	}, func(err error) { report(fmt.Errorf("following the search index: %w", err)) })
	return ss, nil
}

// siteFor returns the site a newly published generation of the index
// indexes. Live, that is the site of the last rebuild, which follows the
// files; otherwise the files are read again, as the build that published
// it read them.
func (ss *searchService) siteFor(ctx context.Context, sf *siteFlags) (*site.Site, error) {
	if ss.live {
		return ss.site.Load(), nil
	}
	opt, err := sf.options()
	if err != nil {
		return nil, err
	}
	s, err := site.Load(ctx, os.DirFS(sf.dir), opt)
	if err != nil {
		return nil, err
	}
	if err := ss.useSite(s, ss.themeDir); err != nil {
		return nil, err
	}
	return s, nil
}

// useSite renders search pages with the theme and site s from now on,
// linking the same sections as the built pages.
func (ss *searchService) useSite(s *site.Site, themeDir string) error {
	sections, err := digestSections(ss.siteDir)(s)
	if err != nil {
		return err
	}
	r, err := build.NewRenderer(siteTheme(themeDir), s, sections)
	if err != nil {
		return err
	}
	ss.renderer.Store(r)
	ss.site.Store(s)
	return nil
}

// update brings a live index up to date with s and says what it did.
func (ss *searchService) update(ctx context.Context, s *site.Site) (string, error) {
	if !ss.live {
		return "unchanged until restart", nil
	}
	start := time.Now()
	st, err := ss.ix.Update(ctx, s)
	if err != nil {
		return "", err
	}
	return fmt.Sprintf("%d new, %d changed, %d removed in %s", st.Added, st.Changed, st.Removed, time.Since(start).Round(time.Millisecond)), nil
}

func (ss *searchService) close() error { return ss.ix.Close() }

// handler puts the search pages in front of the static site.
func (ss *searchService) handler(static http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(ss.basePath+"search", ss.srv.Page(func(w io.Writer, data *indexer.PageData) error {
		r := ss.renderer.Load()
		return r.Render(w, &build.Page{Kind: "search", URL: "/search", Feeds: build.FeedLinks(r.Site(), nil), Data: data})
	}))
	mux.Handle(ss.basePath+"api/search", ss.srv.API())
	mux.Handle("/", static)
	return mux
}
