package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
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
	if errors.Is(err, indexer.ErrInUse) {
		hint := "stop it, or use -index DIR"
		if f.skippable {
			hint += " or -no-index"
		}
		return fmt.Errorf("%w; %s", err, hint)
	}
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

// searchService answers /search and /api/search for serve. When live, its
// index is held open for writing and follows every rebuild of the site.
type searchService struct {
	ix       *indexer.Index
	srv      *indexer.Server
	live     bool
	basePath string
	renderer atomic.Pointer[build.Renderer] // of the current site and theme
}

// openSearch updates and opens the search index of s. Messages go to
// stderr: stdout's first line is the address served.
func (f *indexFlags) openSearch(ctx context.Context, e *env, s *site.Site, sf *siteFlags, themeDir, basePath string, live bool, p *progress) (*searchService, error) {
	ss := &searchService{live: live, basePath: basePath}
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
	ss.srv = indexer.NewServer(ss.ix, indexer.ServerConfig{
		BasePath: basePath,
		Location: s.Config.Location,
		ErrorLog: func(err error) { fmt.Fprintf(e.stderr, "bulletin serve: %v\n", err) },
	})
	return ss, nil
}

// useSite renders search pages with the theme and site s from now on.
func (ss *searchService) useSite(s *site.Site, themeDir string) error {
	r, err := build.NewRenderer(siteTheme(themeDir), s)
	if err != nil {
		return err
	}
	ss.renderer.Store(r)
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
		return ss.renderer.Load().Render(w, &build.Page{Kind: "search", Title: data.Title, Column: "站内搜索", URL: "/search", Data: data})
	}))
	mux.Handle(ss.basePath+"api/search", ss.srv.API())
	mux.Handle("/", static)
	return mux
}
