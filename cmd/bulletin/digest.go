package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/digest"
	"bulletin/internal/site"
)

func runDigest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "digest", `bulletin digest compiles the published bulletins of a period into a numbered
briefing (简报) and writes it as SITE/digests/out/2024-003.html (for print),
.md and .txt, printing their paths. Numbers are kept in SITE/digests/issues/:
running again with the same bulletins reproduces the same issue and number;
a different selection takes the next number. The masthead and closing block
come from the digest: section of site.yaml.`,
		"  bulletin digest -from 2024-01-01 -to 2024-01-31 -region 青海省 -group category -note note.txt\n"+
			"  bulletin digest -select picks.txt -supplement -pdf\n"+
			"  bulletin digest -from 2024-01-01 -to 2024-01-31 -dry-run   # which number, which bulletins")
	var sf siteFlags
	sf.registerSite(fs)
	from := fs.String("from", "", "first `day` of the period, YYYY-MM-DD (inclusive)")
	to := fs.String("to", "", "last `day` of the period, YYYY-MM-DD (inclusive)")
	region := fs.String("region", "", "only bulletins of this `region` and the regions within it, as named in site.yaml")
	category := fs.String("category", "", "only bulletins of this `category`")
	selectFile := fs.String("select", "", "`file` listing exactly the bulletins to print, in order: one source path or URL a line")
	noteFile := fs.String("note", "", "`file` with the editor's note (按语), one paragraph a line")
	group := fs.String("group", "", "gather the items under headings 一、二、… by `region` or category")
	supplement := fs.Bool("supplement", false, "compile a supplement (增刊), numbered apart from the regular issues")
	summaries := fs.Bool("summaries", false, "print each bulletin's summary instead of its full text")
	date := fs.String("date", "", "sign-off `day`, YYYY-MM-DD (default today); a re-run keeps the recorded day")
	out := fs.String("o", "", "output `folder` (default SITE/digests/out)")
	dryRun := fs.Bool("dry-run", false, "show the number and bulletins the issue would have; write nothing, take no number")
	pdf := fs.Bool("pdf", false, "also print the issue to PDF with headless Chromium")
	pageBreak := fs.String("page-break", "none", "start a new page before each `item`, each group, or none (the items flow on)")
	themeDir := fs.String("theme", "", "theme `folder` whose files replace the built-in theme's (digest/issue.html, digest/print.css)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkThemeDir(e, "digest", *themeDir); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return e.cmdUsagef("digest", "unexpected argument %q", fs.Arg(0))
	}
	// Dates are checked now, before a long load; they are placed in the
	// site's zone once it is known.
	for _, d := range []struct{ flag, value string }{{"-from", *from}, {"-to", *to}, {"-date", *date}} {
		if _, err := time.Parse(time.DateOnly, d.value); d.value != "" && err != nil {
			return e.cmdUsagef("digest", "%s %q is not a day; use YYYY-MM-DD", d.flag, d.value)
		}
	}
	var chromium string
	if *pdf {
		if chromium = digest.Chromium(); chromium == "" {
			return diag.Errorf("-pdf prints with Chromium, which is not installed (on Debian: apt-get install -y chromium); or open the .html in a browser and print it")
		}
	}
	q := digest.Query{Region: *region, Category: *category, Group: *group}
	if *selectFile != "" {
		data, err := os.ReadFile(*selectFile)
		if err != nil {
			return e.cmdUsagef("digest", "-select: %v", err)
		}
		q.Select = strings.Split(strings.ReplaceAll(string(data), "\r\n", "\n"), "\n")
		q.SelectName = *selectFile
	}
	var note string
	if *noteFile != "" {
		data, err := os.ReadFile(*noteFile)
		if err != nil {
			return e.cmdUsagef("digest", "-note: %v", err)
		}
		note = string(data)
	}

	s, err := sf.load(ctx, e, newProgress(e.stderr, sf.quiet))
	if err != nil {
		return err
	}
	loc := s.Config.Location
	day := func(v string) time.Time {
		t, _ := time.ParseInLocation(time.DateOnly, v, loc)
		return t
	}
	q.From, q.To = day(*from), day(*to)
	opt := digest.Options{
		Dir: sf.dir, Query: q, Supplement: *supplement, Summaries: *summaries, Note: note, PageBreak: *pageBreak,
		Date: day(*date), Today: time.Now().In(loc), Out: *out, DryRun: *dryRun,
		Theme: siteTheme(*themeDir),
	}
	if chromium != "" {
		opt.PDF = func(ctx context.Context, html, pdf string) error { return digest.PrintPDF(ctx, chromium, html, pdf) }
	}
	res, err := digest.Run(ctx, s, opt)
	var argErr *digest.ArgError
	if errors.As(err, &argErr) {
		return e.cmdUsagef("digest", "%v", argErr.Msg)
	}
	if err != nil {
		return err
	}
	printProblems(e, sf.dir, res.Warnings)
	reportDigest(e, s, res, *dryRun, sf.quiet)
	return nil
}

// reportDigest prints the paths written on stdout, and what became of the
// number on stderr.
func reportDigest(e *env, s *site.Site, res *digest.Result, dryRun, quiet bool) {
	is := res.Issue
	name := s.Config.Digest.Title + " " + is.Label()
	rec := filepath.ToSlash(res.Record)
	if dryRun {
		what := &diag.Message{Format: "would take a new number"}
		switch res.Status {
		case digest.Reproduced:
			what = &diag.Message{Format: "would reproduce the recorded issue %s", Args: []any{rec}}
		case digest.Revised:
			what = &diag.Message{Format: "would revise the recorded issue %s (%v)", Args: []any{rec, res.Changes}}
		}
		e.outf("%s, %s, signed off %s: %v\n", name, e.count(len(is.Items), "%d bulletin", "%d bulletins"), digest.Date(is.SignedOff), what)
		for _, it := range is.Items {
			b := it.Bulletin
			fmt.Fprintf(e.stdout, "  %s  %s  %s\n", b.Date.In(s.Config.Location).Format(time.DateOnly), b.Bureau.Name, b.Title)
		}
		e.outf("dry run: nothing written, no number taken\n")
		return
	}
	for _, f := range res.Files {
		fmt.Fprintln(e.stdout, f)
	}
	if res.StalePDF != "" {
		e.printf("warning: removed %s, the print of the earlier version; run again with -pdf to print this one\n", res.StalePDF)
	}
	if quiet {
		return
	}
	what := &diag.Message{Format: "new number, recorded in %s", Args: []any{rec}}
	switch res.Status {
	case digest.Reproduced:
		what = &diag.Message{Format: "reproduced from %s", Args: []any{rec}}
	case digest.Revised:
		what = &diag.Message{Format: "revised under its number (%v), recorded in %s", Args: []any{res.Changes, rec}}
	}
	e.printf("%s: %s, signed off %s; %v\n", name, e.count(len(is.Items), "%d bulletin", "%d bulletins"), digest.Date(is.SignedOff), what)
}
