package main

import (
	"context"
	"fmt"
	"log/slog"
	"net/url"
	"os"

	"bulletin/internal/serve"
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
