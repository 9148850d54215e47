package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"time"

	"bulletin/internal/audit"
	"bulletin/internal/fsutil"
	"bulletin/internal/linkcheck"
	"bulletin/internal/published"
	"bulletin/internal/site"
)

func runAudit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "audit", `bulletin audit runs the checks of a government website inspection on the site as it
builds, and says what to fix: first the veto items (单项否决: the home page or columns not
updated, empty columns, serious wording errors, a date changed to an earlier day after
publication, listed items without a date), then the deductions (broken links, counted on the
home page apart; the site's identity: 网站标识码, ICP and 公安 filing, 主办 and 承办, meta
tags, search, site map), then what a screen reader cannot read in the bulletins (images
without alt text, skipped headings, links named only 更多, tables without headers).

It builds the site into a temporary folder unless -output names a built site. -links checks
the links to other sites too (politely, with a cache in SITE/.bulletin/linkcheck.json so that
a daily run asks only for what is due). -strict exits 1 when a veto item fails, for a
scheduled job to alert on.`,
		"  bulletin audit\n"+
			"  bulletin audit -now 2025-11-25 -strict\n"+
			"  bulletin audit -links -format html -o 自查报告.html\n"+
			"  bulletin audit -output public -format json | jq '.vetoes[] | select(.pass | not)'")
	var sf siteFlags
	sf.registerSite(fs)
	fs.StringVar(&sf.now, "now", "", "judge the site as of `TIME` (YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339)")
	links := fs.Bool("links", false, "check the links to other sites too (over the network)")
	strict := fs.Bool("strict", false, "exit 1 when a veto item fails")
	format := fs.String("format", "text", "`format` of the report: text, json or html; with -o, the file's extension .json or .html chooses it")
	out := fs.String("o", "", "write the report to `file` instead of standard output")
	output := fs.String("output", "", "audit the site already built in `folder` instead of building it")
	themeDir := fs.String("theme", "", "theme `folder` whose files replace the built-in theme's, as build takes it")
	var idx indexFlags
	idx.register(fs, false)
	cpuProfile := fs.String("cpuprofile", "", "write a CPU profile to `file`, for performance reports")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return e.cmdUsagef("audit", "unexpected argument %q", fs.Arg(0))
	}
	if !flagGiven(fs, "format") && *out != "" {
		switch filepath.Ext(*out) {
		case ".json":
			*format = "json"
		case ".html", ".htm":
			*format = "html"
		}
	}
	if *format != "text" && *format != "json" && *format != "html" {
		return e.cmdUsagef("audit", "-format %q: use text, json or html", *format)
	}
	if err := checkThemeDir(e, "audit", *themeDir); err != nil {
		return err
	}
	stopProfile, err := startCPUProfile(*cpuProfile)
	if err != nil {
		return err
	}
	defer stopProfile()
	if *output != "" {
		if info, err := os.Stat(filepath.Join(*output, "index.html")); err != nil || info.IsDir() {
			return e.cmdUsagef("audit", "-output %s holds no built site (no index.html)", *output)
		}
	}

	p := newProgress(e.stderr, sf.quiet || *out == "" && *format != "text")
	s, err := sf.load(ctx, e, p)
	if err != nil {
		return err
	}
	built := *output
	if built == "" {
		tmp, err := os.MkdirTemp("", "bulletin-audit-")
		if err != nil {
			return err
		}
		defer os.RemoveAll(tmp)
		built = filepath.Join(tmp, "site")
		if _, err := buildSite(ctx, e, s, &sf, built, *themeDir, p, false); err != nil {
			return err
		}
	}
	opt := audit.Options{Output: os.DirFS(built), Sources: os.DirFS(sf.dir), SearchIndex: indexExists(idx.path(sf.dir))}
	if *links {
		opt.Links = &linkcheck.Options{Cache: filepath.Join(sf.dir, ".bulletin", "linkcheck.json"), Site: s.Config.Base.String()}
		opt.LinkProgress = p.stage(e.p, "checking links")
	}
	r, err := audit.Run(ctx, s, opt)
	p.clear()
	if err != nil {
		return err
	}
	var buf bytes.Buffer
	switch *format {
	case "json":
		err = r.WriteJSON(&buf)
	case "html":
		err = r.WriteHTML(&buf, e.p, e.p.Lang())
	default:
		err = r.WriteText(&buf, e.p)
	}
	if err != nil {
		return err
	}
	if *out == "" {
		if _, err := e.stdout.Write(buf.Bytes()); err != nil {
			return err
		}
	} else {
		if err := fsutil.WriteFile(*out, buf.Bytes(), 0o644); err != nil {
			return err
		}
		if !sf.quiet {
			e.printf("%s\n", r.Summary(e.p))
		}
	}
	if *strict && len(r.Failed()) > 0 {
		return exitError{1}
	}
	return nil
}

// auditBuilt runs the offline checks on a site just built to out and
// prints the one-line summary: build -audit.
func auditBuilt(ctx context.Context, e *env, s *site.Site, dir, out, index string) error {
	start := time.Now()
	r, err := audit.Run(ctx, s, audit.Options{Output: os.DirFS(out), Sources: os.DirFS(dir), SearchIndex: indexExists(index)})
	if err != nil {
		return err
	}
	e.outf("%s (%s; bulletin audit for the details)\n", r.Summary(e.p), time.Since(start).Round(time.Millisecond))
	return nil
}

// indexExists reports whether a search index has been published in dir.
func indexExists(dir string) bool {
	_, err := os.Stat(filepath.Join(dir, "CURRENT"))
	return err == nil
}

// recordPublished adds the bulletins s publishes for the first time to
// the record under published/ (see internal/published). Only a build at
// the real time records: one with -now, --drafts or --future is not a
// publication. A record that cannot be read or written is a warning: the
// site is built.
func recordPublished(ctx context.Context, e *env, s *site.Site, sf *siteFlags) {
	if sf.now != "" || sf.drafts || sf.future {
		return
	}
	rec, err := published.Read(os.DirFS(sf.dir), s.Config.Location)
	var n int
	if err == nil {
		n, err = rec.Add(ctx, s)
	}
	if err == nil {
		if n > 0 {
			err = rec.Write(ctx, sf.dir, filepath.Join(sf.dir, ".bulletin", "published.lock"))
			if err == nil && !sf.quiet {
				e.outf("recorded the first publication of %s in %s/\n", e.count(n, "%d bulletin", "%d bulletins"), filepath.ToSlash(filepath.Join(sf.dir, published.Dir)))
			}
		}
	}
	if err != nil {
		e.printf("warning: the record of first publications was not updated: %v\n", err)
	}
}
