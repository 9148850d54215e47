package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"net/http"
	"path/filepath"
	"time"

	"bulletin/indexer"
	"bulletin/internal/build"
	"bulletin/internal/site"
	"bulletin/theme"
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
	if errors.Is(err, indexer.ErrInUse) {
		hint := "stop it, or use -index DIR"
		if f.skippable {
			hint += " or -no-index"
		}
		return fmt.Errorf("%w; %s", err, hint)
	}
	if err != nil {
		return fmt.Errorf("search index: %w", err)
	}
	if !quiet {
		took := time.Since(start).Round(time.Millisecond)
		switch {
		case st.Rebuilt:
			fmt.Fprintf(w, "indexed %s for search in %s -> %s\n", count(st.Docs, "bulletin", "bulletins"), took, dir)
		case st.Added+st.Changed+st.Removed == 0:
			fmt.Fprintf(w, "search index up to date (%s) -> %s\n", count(st.Docs, "bulletin", "bulletins"), dir)
		default:
			fmt.Fprintf(w, "search index updated in %s: %d new, %d changed, %d removed -> %s\n", took, st.Added, st.Changed, st.Removed, dir)
		}
	}
	return nil
}

// withSearch updates and opens the search index of s and returns a handler
// that answers /search and /api/search under basePath and passes every
// other request to static. closeIndex closes the index.
func (f *indexFlags) withSearch(ctx context.Context, e *env, s *site.Site, sf *siteFlags, themeDir, basePath string, static http.Handler, p *progress) (h http.Handler, closeIndex func() error, err error) {
	// On stderr: stdout's first line is the address served.
	if err := f.update(ctx, e.stderr, s, sf.dir, p, sf.quiet); err != nil {
		return nil, nil, err
	}
	ix, err := indexer.Open(f.path(sf.dir), s)
	if err != nil {
		return nil, nil, err
	}
	r, err := build.NewRenderer(build.Theme(theme.FS, themeFS(themeDir)), s)
	if err != nil {
		ix.Close()
		return nil, nil, err
	}
	srv := indexer.NewServer(ix, indexer.ServerConfig{
		BasePath: basePath,
		Location: s.Config.Location,
		ErrorLog: func(err error) { fmt.Fprintf(e.stderr, "bulletin serve: %v\n", err) },
	})
	return searchMux(srv, r, basePath, static), ix.Close, nil
}

// searchMux puts the search pages in front of the static site.
func searchMux(srv *indexer.Server, r *build.Renderer, basePath string, static http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(basePath+"search", srv.Page(func(w io.Writer, data *indexer.PageData) error {
		return r.Render(w, &build.Page{Kind: "search", Title: data.Title, Column: "站内搜索", URL: "/search", Data: data})
	}))
	mux.Handle(basePath+"api/search", srv.API())
	mux.Handle("/", static)
	return mux
}
