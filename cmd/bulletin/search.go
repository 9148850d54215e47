package main

import (
	"context"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"time"

	"bulletin/indexer"
	"bulletin/internal/diag"
	"bulletin/internal/preview"
	"bulletin/internal/searchserver"
	"bulletin/internal/site"
	"bulletin/internal/synonyms"
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
func (f *indexFlags) update(ctx context.Context, e *env, w io.Writer, s *site.Site, siteDir string, p *progress, quiet bool) error {
	if f.skip {
		return nil
	}
	dir := f.path(siteDir)
	start := time.Now()
	st, err := indexer.UpdateWith(ctx, dir, s, indexOptions(siteDir, p.stage(e.p, "indexing")))
	p.clear()
	if err != nil {
		return f.indexError(err)
	}
	if !quiet {
		reportIndex(e, w, st, time.Since(start), dir)
	}
	return nil
}

// indexOptions are the options of every update of the index of the site
// in siteDir: each generation describes the site, so that bulletin
// search-server shows the search page from the index alone.
func indexOptions(siteDir string, progress func(done, total int)) indexer.Options {
	return indexer.Options{Progress: progress, SiteInfo: searchserver.Describe(siteSections(siteDir)),
		Synonyms: func() ([]byte, error) {
			data, err := os.ReadFile(filepath.Join(siteDir, synonyms.File))
			if errors.Is(err, os.ErrNotExist) {
				return nil, nil
			}
			return data, err
		}}
}

func (f *indexFlags) indexError(err error) error {
	return diag.Errorf("search index: %w", err)
}

func reportIndex(e *env, w io.Writer, st indexer.UpdateStats, took time.Duration, dir string) {
	took = took.Round(time.Millisecond)
	switch {
	case st.Rebuilt:
		e.fprintf(w, "indexed %s for search in %s -> %s\n", e.count(st.Docs, "%d bulletin", "%d bulletins"), took, dir)
	case st.Added+st.Changed+st.Removed == 0:
		e.fprintf(w, "search index up to date (%s) -> %s\n", e.count(st.Docs, "%d bulletin", "%d bulletins"), dir)
	default:
		e.fprintf(w, "search index updated in %s: %d new, %d changed, %d removed -> %s\n", took, st.Added, st.Changed, st.Removed, dir)
	}
}

// openSearch updates and opens the search index of s and serves it
// with preview.Search. Messages go to stderr: stdout's first line is the
// address served.
func (f *indexFlags) openSearch(ctx context.Context, e *env, s *site.Site, sf *siteFlags, themeDir, basePath string, live bool, p *progress) (*preview.Search, error) {
	dir := f.path(sf.dir)
	var ix *indexer.Index
	if live {
		start := time.Now()
		var st indexer.UpdateStats
		var err error
		ix, st, err = indexer.OpenLiveWith(ctx, dir, s, indexOptions(sf.dir, p.stage(e.p, "indexing")))
		p.clear()
		if err != nil {
			return nil, f.indexError(err)
		}
		if !sf.quiet {
			reportIndex(e, e.stderr, st, time.Since(start), dir)
		}
	} else {
		if err := f.update(ctx, e, e.stderr, s, sf.dir, p, sf.quiet); err != nil {
			return nil, err
		}
		var err error
		if ix, err = indexer.Open(dir); err != nil {
			return nil, err
		}
	}
	return preview.NewSearch(ctx, ix, s, preview.SearchConfig{
		BasePath: basePath,
		Live:     live,
		Theme:    siteTheme(themeDir),
		Sections: siteSections(sf.dir),
		Load: func(ctx context.Context) (*site.Site, error) {
			opt, err := sf.options()
			if err != nil {
				return nil, err
			}
			return site.Load(ctx, os.DirFS(sf.dir), opt)
		},
		ErrorLog: func(err error) { e.printf("bulletin serve: %v\n", err) },
	})
}
