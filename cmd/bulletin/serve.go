package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/netip"
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
	rate := fs.Float64("rate", 20, "requests a `second` one client may make on average (behind a proxy, see -trust-proxy)")
	var trusted []netip.Prefix
	fs.Func("trust-proxy", "the `addresses` of the proxies in front of serve, such as 127.0.0.1,::1 for nginx on this machine\n"+
		"(IP addresses or CIDR prefixes, comma-separated): a request from one of them is from the client that\n"+
		"X-Forwarded-For names, the right-most address there that is not one of them. Off by default:\n"+
		"without it, every client could claim any address", func(list string) error {
		ps, err := serve.ParseProxies(list)
		trusted = append(trusted, ps...)
		return e.setFailed(err)
	})
	burst := fs.Int("burst", 80, "requests one client may make at once")
	accessLog := fs.Bool("access-log", true, "log every request to standard error as JSON")
	watch := fs.Bool("watch", true, "rebuild when the site's files change and reload open pages (turn off in production)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkThemeDir(e, "serve", *themeDir); err != nil {
		return err
	}
	// A negative rate or burst would refuse every request (0 would be
	// read as the default): a mistake, not a setting.
	if *rate <= 0 || *burst < 1 {
		return e.cmdUsagef("serve", "-rate must be above 0 and -burst at least 1, not %v and %d", *rate, *burst)
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
	protect := serve.ProtectOptions{Rate: *rate, Burst: *burst, TrustProxy: trusted, BasePath: basePath}
	if live != nil {
		protect.DevScript = live.ScriptPath()
	}
	if *accessLog && !sf.quiet {
		protect.Log = slog.New(slog.NewJSONHandler(e.stderr, nil))
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
