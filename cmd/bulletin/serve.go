package main

import (
	"context"
	"fmt"
	"os"
	"time"

	"bulletin/internal/build"
	"bulletin/internal/diag"
	"bulletin/internal/preview"
	"bulletin/internal/serve"
	"bulletin/internal/site"
)

func runServe(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fs := newFlags(e, "serve", "bulletin serve builds the site into a temporary folder and serves it over HTTP, with search,\n"+
		"until interrupted. While it runs it watches the site's files: after an edit it rebuilds only\n"+
		"what the edit changed, reloads the open pages that show it and updates the search index; a\n"+
		"broken file shows its problems over the open pages until it is fixed. A site with errors at\n"+
		"the start is served as far as it builds, its problems over the pages (-watch=false turns all\n"+
		"this off, as in production, and a site with errors is refused).",
		"  bulletin serve\n  bulletin serve -s sites/qinghai -addr 127.0.0.1:9000 -drafts\n"+
			"  bulletin serve -s /srv/bulletin/site -addr 127.0.0.1:8080 -trust-proxy 127.0.0.1   # behind nginx (deploy/nginx.conf)")
	sf.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on")
	themeDir := fs.String("theme", "", "theme `folder` whose files replace the built-in theme's")
	var idx indexFlags
	idx.register(fs, false)
	var pf protectFlags
	pf.register(e, fs, "serve")
	watch := fs.Bool("watch", true, "rebuild when the site's files change and reload open pages (turn off in production)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkThemeDir(e, "serve", *themeDir); err != nil {
		return err
	}
	if err := pf.check(e, "serve"); err != nil {
		return err
	}
	p := newProgress(e.stderr, sf.quiet)
	// The cache lets a rebuild re-read only the files that changed.
	var cache *site.Cache
	var watcher *preview.Watcher
	if *watch {
		cache = site.NewCache()
		// Watching starts before the first load, so that an edit made
		// while serve starts is rebuilt once it has, not missed.
		var err error
		if watcher, err = preview.Watch(sf.dir, *themeDir); err != nil {
			e.printf("bulletin serve: watching for changes: %v\n", err)
		} else {
			defer watcher.Close()
		}
	}
	// With watching, a site with errors is served as far as it builds,
	// with its problems over the pages, to be fixed from the browser;
	// without, there would be no way to see them but the terminal.
	s, problems, err := sf.loadCached(ctx, e, p, cache, *watch)
	if err != nil {
		return err
	}
	if problems != nil {
		e.printf("bulletin serve: serving the rest; open pages show the errors until they are fixed\n")
	}
	tmp, err := os.MkdirTemp("", "bulletin-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	out := tmp + "/site"
	basePath := sitePath(s)
	var live *serve.Live
	cfg := buildConfig(e, &sf, out, *themeDir, p, false)
	// The watcher started before the first load, so its reports cover
	// every change since the cache was filled.
	r := &preview.Rebuilder{Dir: sf.dir, Options: sf.options, BasePath: basePath, Cache: cache, Watched: watcher != nil,
		Private: preview.PrivatePaths(sf.dir, *themeDir, idx.path(sf.dir), tmp), Printer: e.p}
	if *watch {
		live = serve.NewLive(basePath)
		r.Live, cfg.Early = live, r.Early
		if problems != nil {
			r.ShowProblems(problems)
		}
	}
	builder := build.NewBuilder(cfg)
	st, err := builder.Build(ctx, s)
	p.clear()
	if err != nil {
		return err
	}
	h := serve.Handler(os.DirFS(out), basePath)
	search, err := idx.openSearch(ctx, e, s, &sf, *themeDir, basePath, *watch, p)
	if err != nil {
		return err
	}
	defer search.Close()
	h = search.Handler(h)
	if *watch {
		h = live.Handler(h)
		go func() {
			<-ctx.Done()
			live.Close()
		}()
		r.Builder, r.Search = builder, search
		if watcher != nil {
			go func() {
				err := watcher.Run(ctx, func(changed []string, known bool) {
					printRebuild(e, &sf, p, r.Rebuild(ctx, changed, known))
				})
				if err != nil {
					e.printf("bulletin serve: watching for changes: %v\n", err)
				}
			}()
		}
	}
	protect := pf.options(e, basePath, sf.quiet)
	if live != nil {
		protect.DevScript = live.ScriptPath()
	}
	h = serve.Protect(h, protect)
	return serve.ListenAndServe(ctx, *addr, h, func(addr string) {
		e.outf("built %s, %d pages; serving at http://%s%s (Ctrl+C to stop)\n",
			e.count(len(s.Bulletins), "%d bulletin", "%d bulletins"), st.Pages, addr, basePath)
		reportLeftOut(e, e.stdout, s, sf.quiet)
	})
}

// printRebuild prints what a rebuild did: the problems of a site that
// failed to load, the warnings of one that loaded, why the rebuild or the
// search index update failed, and unless -q the times.
func printRebuild(e *env, sf *siteFlags, p *progress, rep preview.Report) {
	p.clear()
	if rep.Problems != nil {
		fmt.Fprintln(e.stderr, problemLines(e, sf.dir, rep.Problems))
		return
	}
	printProblems(e, sf.dir, rep.Warnings)
	if rep.Err != nil {
		e.printf("bulletin serve: rebuild: %v\n", rep.Err)
		return
	}
	if rep.SearchErr != nil {
		e.printf("bulletin serve: updating the search index: %v\n", rep.SearchErr)
	}
	if sf.quiet {
		return
	}
	cs, st := rep.Cache, rep.Stats
	what := &diag.Message{Format: "%d pages", Args: []any{st.Pages}}
	if st.Whole {
		what = &diag.Message{Format: "the whole site"}
	}
	e.printf("rebuilt in %s (load %s: read %d of %s; wrote %s, %s; search %s)\n",
		rep.Took.Round(time.Millisecond), rep.Load.Round(time.Millisecond),
		cs.Read, e.count(cs.Files, "%d file", "%d files"), what, e.count(st.Files, "%d file", "%d files"), rep.Search)
}

// sitePath is the path base_url puts the site at, such as / or /news/.
func sitePath(s *site.Site) string { return s.Config.Base.Path() }
