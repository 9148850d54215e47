package main

import (
	"context"
	"errors"
	"fmt"
	"log/slog"
	"net/netip"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"bulletin/internal/build"
	"bulletin/internal/diag"
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
		return err
	})
	burst := fs.Int("burst", 80, "requests one client may make at once")
	accessLog := fs.Bool("access-log", true, "log every request to standard error as JSON")
	watch := fs.Bool("watch", true, "rebuild when the site's files change and reload open pages (turn off in production)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	p := newProgress(e.stderr, sf.quiet)
	// The cache lets a rebuild re-read only the files that changed.
	var cache *site.Cache
	var watcher *siteWatcher
	if *watch {
		cache = site.NewCache()
		// Watching starts before the first load, so that an edit made
		// while serve starts is rebuilt once it has, not missed.
		var err error
		if watcher, err = watchSite(sf.dir, *themeDir); err != nil {
			fmt.Fprintf(e.stderr, "bulletin serve: watching for changes: %v\n", err)
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
		fmt.Fprintln(e.stderr, "bulletin serve: serving the rest; open pages show the errors until they are fixed")
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
	r := &rebuilder{e: e, sf: &sf, themeDir: *themeDir, basePath: basePath, cache: cache, progress: p, watched: watcher != nil,
		private: servePaths(&sf, *themeDir, idx.path(sf.dir), tmp)}
	if *watch {
		live = serve.NewLive(basePath)
		r.live, cfg.Early = live, r.early
		if problems != nil {
			r.failed(problemLines("", problems))
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
	defer search.close()
	h = search.handler(h)
	if *watch {
		h = live.Handler(h)
		go func() {
			<-ctx.Done()
			live.Close()
		}()
		r.builder, r.search = builder, search
		if watcher != nil {
			go func() {
				if err := watcher.run(ctx, func(changed []string, known bool) { r.rebuild(ctx, changed, known) }); err != nil {
					fmt.Fprintf(e.stderr, "bulletin serve: watching for changes: %v\n", err)
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
		fmt.Fprintf(e.stdout, "built %s, %d pages; serving at http://%s%s (Ctrl+C to stop)\n",
			count(len(s.Bulletins), "bulletin", "bulletins"), st.Pages, addr, basePath)
		reportNextDue(e.stdout, s, sf.quiet)
	})
}

// rebuilder brings the served site up to date after a change: it loads
// the site again, re-reading only the files that changed, re-renders the
// pages and feeds the change touches, tells open pages to reload and
// updates the search index. A failed rebuild leaves the last good site in
// place and shows its problems over the open pages instead.
type rebuilder struct {
	e        *env
	sf       *siteFlags
	themeDir string
	basePath string // where the site is served; fixed at start
	cache    *site.Cache
	builder  *build.Builder
	search   *searchService
	live     *serve.Live
	progress *progress
	reloaded map[string]bool // pages told to reload early in this rebuild
	watched  bool            // the cache is up to date but for what the watcher reports
	private  privatePaths    // kept out of what open pages show
}

// failed shows msg over the open pages, without the folders of this
// machine: any reader of a page sees it.
func (r *rebuilder) failed(msg string) {
	r.live.Failed(r.private.replace(msg))
}

// early has the pages an editor most likely has open reloaded while the
// rebuild goes on with the deeper pages of listings.
func (r *rebuilder) early(paths []string) {
	r.reloaded = map[string]bool{}
	for _, p := range paths {
		r.reloaded[p] = true
	}
	r.live.Changed(paths)
}

func (r *rebuilder) rebuild(ctx context.Context, changed []string, known bool) {
	start := time.Now()
	opt, err := r.sf.options()
	if err != nil {
		r.failed(err.Error())
		return
	}
	// What the watcher saw since the last load spares looking at every
	// file.
	opt.Cache, opt.Changed, opt.ChangedKnown = r.cache, changed, known && r.watched
	r.watched = true
	s, err := site.Load(ctx, os.DirFS(r.sf.dir), opt)
	var problems diag.Problems
	if errors.As(err, &problems) {
		fmt.Fprintln(r.e.stderr, problemLines(r.sf.dir, problems))
		// Over the pages, paths in the site: content/qinghai/a.md:3.
		r.failed(problemLines("", problems))
		return
	}
	if err != nil {
		// The cache is as before this load, which did not take in what
		// the watcher reported: the next load looks at everything.
		r.watched = false
	}
	if err == nil && sitePath(s) != r.basePath {
		// The server's routes are made for the path it started with.
		err = fmt.Errorf("base_url now puts the site at %s instead of %s; restart bulletin serve to serve it there", sitePath(s), r.basePath)
	}
	loaded := time.Now()
	var st build.Stats
	if err == nil {
		printProblems(r.e, r.sf.dir, s.Warnings)
		st, err = r.builder.Build(ctx, s)
		r.progress.clear()
	}
	if err == nil {
		err = r.search.useSite(s, r.themeDir)
	}
	if err != nil {
		fmt.Fprintf(r.e.stderr, "bulletin serve: rebuild: %v\n", err)
		r.failed(err.Error())
		return
	}
	built := time.Now()
	if st.Whole {
		r.live.Reloaded()
	} else {
		var rest []string
		for _, p := range st.Changed {
			if !r.reloaded[p] {
				rest = append(rest, p)
			}
		}
		// The early event has already cleared any problems overlay.
		if len(rest) > 0 || r.reloaded == nil {
			r.live.Changed(rest)
		}
	}
	r.reloaded = nil
	// Search follows a moment after the pages: readers see the edit first.
	ist, err := r.search.update(ctx, s)
	if err != nil {
		fmt.Fprintf(r.e.stderr, "bulletin serve: updating the search index: %v\n", err)
	}
	if r.sf.quiet {
		return
	}
	cs := r.cache.Stats()
	what := fmt.Sprintf("%d pages", st.Pages)
	if st.Whole {
		what = "the whole site"
	}
	fmt.Fprintf(r.e.stderr, "rebuilt in %s (load %s: read %d of %s; wrote %s, %s; search %s)\n",
		built.Sub(start).Round(time.Millisecond), loaded.Sub(start).Round(time.Millisecond),
		cs.Read, count(cs.Files, "file", "files"), what, count(st.Files, "file", "files"), ist)
}

// sitePath is the path base_url puts the site at, such as / or /news/.
func sitePath(s *site.Site) string { return s.Config.Base.Path() }

// privatePaths are folders of this machine that messages may name, each
// with what to show instead.
type privatePaths []struct{ dir, name string }

// servePaths are the folders serve's messages may name: the site's (its
// files then read as paths in the site), the preview's temporary folder,
// the search index, the theme, the home and temporary folders.
func servePaths(sf *siteFlags, themeDir, indexDir, tmp string) privatePaths {
	abs := func(dir string) string {
		if a, err := filepath.Abs(dir); err == nil {
			return a
		}
		return ""
	}
	home, _ := os.UserHomeDir()
	p := privatePaths{{abs(sf.dir), "."}, {tmp, "(preview)"}, {abs(indexDir), "(search index)"}, {home, "~"}, {os.TempDir(), "(temp)"}}
	if themeDir != "" {
		p = append(p, struct{ dir, name string }{abs(themeDir), "(theme)"})
	}
	return p.sorted()
}

// sorted has the longest folders first, so that a folder inside another
// is named as itself; it leaves out the root and empty names.
func (p privatePaths) sorted() privatePaths {
	var out privatePaths
	for _, e := range p {
		if dir := filepath.Clean(e.dir); e.dir != "" && dir != string(filepath.Separator) && dir != "." {
			e.dir = dir
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b struct{ dir, name string }) int { return len(b.dir) - len(a.dir) })
	return out
}

// replace writes msg with each folder of p replaced by its name, where it
// stands as a whole path or at the start of one; a path in the folder
// named "." loses the "./".
func (p privatePaths) replace(msg string) string {
	for _, e := range p {
		var b strings.Builder
		rest := msg
		for {
			i := strings.Index(rest, e.dir)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			end := i + len(e.dir)
			if (i > 0 && isPathByte(rest[i-1])) || (end < len(rest) && isPathByte(rest[end]) && rest[end] != '/') {
				b.WriteString(rest[:end]) // part of another path
				rest = rest[end:]
				continue
			}
			b.WriteString(rest[:i])
			if e.name == "." && end < len(rest) && rest[end] == '/' {
				end++
			} else {
				b.WriteString(e.name)
			}
			rest = rest[end:]
		}
		msg = b.String()
	}
	return msg
}

func isPathByte(c byte) bool {
	return c == '/' || c == '.' || c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
