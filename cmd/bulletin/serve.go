package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/url"
	"os"
	"time"

	"bulletin/internal/serve"
	"bulletin/internal/site"
)

func runServe(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fs := newFlags(e, "serve", "bulletin serve builds the site into a temporary folder and serves it over HTTP until interrupted.",
		"  bulletin serve\n  bulletin serve -s sites/qinghai -addr 127.0.0.1:9000 -drafts")
	sf.register(fs)
	addr := fs.String("addr", "127.0.0.1:8080", "`address` to listen on")
	themeDir := fs.String("theme", "", "theme `folder` whose files replace the built-in theme's")
	var idx indexFlags
	idx.register(fs, false)
	rate := fs.Float64("rate", 20, "requests a `second` one client may make on average (behind a proxy on this machine, the client is X-Forwarded-For)")
	burst := fs.Int("burst", 80, "requests one client may make at once")
	accessLog := fs.Bool("access-log", true, "log every request to standard error as JSON")
	watch := fs.Bool("watch", true, "rebuild when the site's files change and reload open pages (turn off in production)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p := newProgress(e.stderr, sf.quiet)
	s, err := sf.load(ctx, e, p)
	if err != nil {
		return err
	}
	tmp, err := os.MkdirTemp("", "bulletin-serve-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	out := tmp + "/site"
	st, err := buildSite(ctx, e, s, &sf, out, *themeDir, p, false)
	if err != nil {
		return err
	}
	basePath := "/"
	if u, err := url.Parse(s.Config.BaseURL); err == nil && u.Path != "" {
		basePath = u.Path
	}
	h := serve.Handler(os.DirFS(out), basePath)
	h, closeIndex, err := idx.withSearch(ctx, e, s, &sf, *themeDir, basePath, h, p)
	if err != nil {
		return err
	}
	defer closeIndex()
	if *watch {
		live := serve.NewLive(basePath)
		h = live.Handler(h)
		go func() {
			err := watchSite(ctx, sf.dir, *themeDir, func() { rebuild(ctx, e, &sf, out, *themeDir, live) })
			if err != nil {
				fmt.Fprintf(e.stderr, "bulletin serve: watching for changes: %v\n", err)
			}
		}()
	}
	protect := serve.ProtectOptions{Rate: *rate, Burst: *burst, TrustProxy: true}
	if *accessLog && !sf.quiet {
		protect.Log = slog.New(slog.NewJSONHandler(e.stderr, nil))
	}
	h = serve.Protect(h, protect)
	return serve.ListenAndServe(ctx, *addr, h, func(addr string) {
		fmt.Fprintf(e.stdout, "built %s, %d pages; serving at http://%s%s (Ctrl+C to stop)\n",
			count(len(s.Bulletins), "bulletin", "bulletins"), st.Pages, addr, basePath)
		reportNextDue(e.stdout, s, sf.quiet)
	})
}

// rebuild loads and builds the site again after a change and tells open
// pages: reload, or show the problems. A failed rebuild leaves the last
// good site in place. Search keeps answering from the index of the start,
// until serve is restarted.
func rebuild(ctx context.Context, e *env, sf *siteFlags, out, themeDir string, live *serve.Live) {
	start := time.Now()
	opt, err := sf.options()
	if err != nil {
		live.Failed(err.Error())
		return
	}
	s, err := site.Load(ctx, os.DirFS(sf.dir), opt)
	var problems site.Problems
	if errors.As(err, &problems) {
		text := problemLines(sf.dir, problems)
		fmt.Fprintln(e.stderr, text)
		live.Failed(text)
		return
	}
	if err == nil {
		printProblems(e, sf.dir, s.Warnings)
		_, err = buildSite(ctx, e, s, sf, out, themeDir, nil, false)
	}
	if err != nil {
		fmt.Fprintf(e.stderr, "bulletin serve: rebuild: %v\n", err)
		live.Failed(err.Error())
		return
	}
	if !sf.quiet {
		fmt.Fprintf(e.stderr, "rebuilt %s in %s\n", count(len(s.Bulletins), "bulletin", "bulletins"), time.Since(start).Round(time.Millisecond))
	}
	live.Reloaded()
}
