package main

import (
	"context"
	"time"

	"bulletin/internal/searchserver"
	"bulletin/internal/serve"
)

func runSearchServer(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "search-server", "bulletin search-server answers /search and /api/search from a search index alone, until\n"+
		"interrupted: no site folder, no build, no watching. It opens the index read-only and moves to\n"+
		"each generation that bulletin build publishes, so several search servers, on this machine or on\n"+
		"others holding a copy of the index folder, serve one index at once, behind nginx (deploy/nginx.conf).",
		"  bulletin search-server -index /srv/bulletin/search -addr 127.0.0.1:8081 -trust-proxy 127.0.0.1\n"+
			"  bulletin search-server -index /srv/search -base-url https://news.example.gov.cn/ -addr 127.0.0.1:8082")
	dir := fs.String("index", "", "the search index `folder` that bulletin build writes (required: build's -index, or SITE/.bulletin/search without it)")
	addr := fs.String("addr", "127.0.0.1:8081", "`address` to listen on")
	baseURL := fs.String("base-url", "", "the `address` the site is published at, in place of site.yaml's base_url as the index stores it")
	themeDir := fs.String("theme", "", "theme `folder` whose files replace the built-in theme's (the one the site was built with)")
	quiet := fs.Bool("q", false, "print only problems and the address served (no access log)")
	var pf protectFlags
	pf.register(e, fs, "search-server")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return e.cmdUsagef("search-server", "unexpected argument %q", fs.Arg(0))
	}
	if *dir == "" {
		return e.cmdUsagef("search-server", "-index is required: the search index folder to serve")
	}
	if err := checkThemeDir(e, "search-server", *themeDir); err != nil {
		return err
	}
	if err := pf.check(e, "search-server"); err != nil {
		return err
	}
	start := time.Now()
	srv, err := searchserver.Open(ctx, searchserver.Config{
		Index:    *dir,
		Theme:    siteTheme(*themeDir),
		BaseURL:  *baseURL,
		ErrorLog: func(err error) { e.printf("bulletin search-server: %v\n", err) },
	})
	if err != nil {
		return err
	}
	defer srv.Close()
	h := serve.Protect(srv.Handler(), pf.options(e, srv.BasePath(), *quiet))
	// The address is the one line always printed, first, for scripts
	// that start the server on port 0.
	return serve.ListenAndServe(ctx, *addr, h, func(addr string) {
		e.outf("searching %s in %s; serving at http://%s%ssearch (Ctrl+C to stop)\n",
			e.count(srv.Docs(), "%d bulletin", "%d bulletins"), time.Since(start).Round(time.Millisecond), addr, srv.BasePath())
	})
}
