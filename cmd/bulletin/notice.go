package main

import (
	"context"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bulletin/internal/build"
	"bulletin/internal/diag"
	"bulletin/internal/digest"
	"bulletin/internal/notice"
	"bulletin/internal/site"
	"bulletin/internal/stats"
)

func runNotice(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "notice", `bulletin notice writes the ranking notice (通报) of information reporting for a period:
the bureaus ranked by points under reporting.points, the counts of each kind of adoption,
the reports adopted by higher offices and the leaders' instructions (批示), the requests
(约稿) missed or answered late, and the editor's closing paragraphs from -note. It is laid
out like the digest, red masthead and all, as SITE/reports/out/notice-2024-01.html for
print, .md and .txt (and .pdf with -pdf), and prints their paths. Notices are numbered per
year in reports/notices/: running again for the same period reproduces the same notice, or
revises it under its number when the figures changed. Notices are internal unless site.yaml
says reporting.publish_notice: true, when builds publish them at /notices/.`,
		"  bulletin notice -from 2024-01 -to 2024-03 -note 结语.txt -pdf\n"+
			"  bulletin notice -from 2024-04 -to 2024-04 -date 2024-05-06\n"+
			"  bulletin notice -from 2024-01 -to 2024-03 -dry-run   # which number, which figures")
	var sf siteFlags
	sf.registerSite(fs)
	from := fs.String("from", "", "first `month` (YYYY-MM) or day (YYYY-MM-DD) of the period")
	to := fs.String("to", "", "last `month` (YYYY-MM) or day (YYYY-MM-DD) of the period")
	noteFile := fs.String("note", "", "`file` with the closing paragraphs, one a line")
	date := fs.String("date", "", "sign-off `day`, YYYY-MM-DD (default today); a re-run keeps the recorded day")
	out := fs.String("o", "", "output `folder` (default SITE/reports/out)")
	dryRun := fs.Bool("dry-run", false, "show the number and figures the notice would have; write nothing, take no number")
	pdf := fs.Bool("pdf", false, "also print the notice to PDF with headless Chromium")
	themeDir := fs.String("theme", "", "theme `folder` whose files replace the built-in theme's (notice/notice.html, notice/notice.css)")
	fs.StringVar(&sf.now, "now", "", "count as if it were `TIME` (YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339): which requests are overdue, which bulletins published")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if err := checkThemeDir(e, "notice", *themeDir); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return e.cmdUsagef("notice", "unexpected argument %q", fs.Arg(0))
	case *from == "" || *to == "":
		return e.cmdUsagef("notice", "say the period with -from and -to, e.g. -from 2024-01 -to 2024-03")
	}
	f, err := stats.ParseBound(*from, time.UTC)
	if err != nil {
		return e.cmdUsagef("notice", "-from %v", err)
	}
	t, err := stats.ParseBound(*to, time.UTC)
	if err != nil {
		return e.cmdUsagef("notice", "-to %v", err)
	}
	if !f.Start.Before(t.End) {
		return e.cmdUsagef("notice", "-from %s is after -to %s", *from, *to)
	}
	if _, err := time.Parse(time.DateOnly, *date); *date != "" && err != nil {
		return e.cmdUsagef("notice", "-date %q is not a day; use YYYY-MM-DD", *date)
	}
	var note string
	if *noteFile != "" {
		data, err := os.ReadFile(*noteFile)
		if err != nil {
			return e.cmdUsagef("notice", "-note: %v", err)
		}
		note = strings.ReplaceAll(strings.TrimPrefix(string(data), "\ufeff"), "\r\n", "\n")
	}
	var chromium string
	if *pdf {
		if chromium = digest.Chromium(); chromium == "" {
			return diag.Errorf("-pdf prints with Chromium, which is not installed (on Debian: apt-get install -y chromium); or open the .html in a browser and print it")
		}
	}

	s, err := sf.load(ctx, e, newProgress(e.stderr, sf.quiet))
	if err != nil {
		return err
	}
	loc := s.Config.Location
	records, err := digest.ReadRecords(os.DirFS(sf.dir), loc)
	if err != nil {
		return problemsExit(e, sf.dir, err)
	}
	f, _ = stats.ParseBound(*from, loc)
	t, _ = stats.ParseBound(*to, loc)
	st, err := standing(ctx, e, &sf, s, records, f.Start, t.End.AddDate(0, 0, -1))
	if err != nil {
		return err
	}
	opt := notice.Options{Dir: sf.dir, Out: *out, Note: note, Today: time.Now().In(loc), DryRun: *dryRun, Theme: siteTheme(*themeDir)}
	if sf.now != "" {
		opt.Today = s.Now.In(loc)
	}
	if *date != "" {
		opt.Date, _ = time.ParseInLocation(time.DateOnly, *date, loc)
	}
	if chromium != "" {
		opt.PDF = func(ctx context.Context, html, pdf string) error { return digest.PrintPDF(ctx, chromium, html, pdf) }
	}
	res, err := notice.Run(ctx, s, st, opt)
	var argErr *digest.ArgError
	if errors.As(err, &argErr) {
		return e.cmdUsagef("notice", "%v", argErr.Msg)
	}
	if err != nil {
		return problemsExit(e, sf.dir, err)
	}
	name := s.Config.Reporting.NoticeTitle + " " + res.Label
	rec := filepath.ToSlash(res.Record)
	if *dryRun {
		what := &diag.Message{Format: "would take a new number"}
		switch res.Status {
		case notice.Reproduced:
			what = &diag.Message{Format: "would reproduce the recorded notice %s", Args: []any{rec}}
		case notice.Revised:
			what = &diag.Message{Format: "would revise the recorded notice %s (%v)", Args: []any{rec, res.Changes}}
		}
		e.outf("%s, %s: %v\n", name, res.Heading, what)
		for _, r := range st.Rows {
			fmt.Fprintf(e.stdout, "  %d  %s  %d\n", r.Rank, r.Bureau, r.Points)
		}
		e.outf("dry run: nothing written, no number taken\n")
		return nil
	}
	for _, p := range res.Files {
		fmt.Fprintln(e.stdout, p)
	}
	if res.StalePDF != "" {
		e.printf("warning: removed %s, the print of the earlier version; run again with -pdf to print this one\n", res.StalePDF)
	}
	if !sf.quiet {
		what := &diag.Message{Format: "new number, recorded in %s", Args: []any{rec}}
		switch res.Status {
		case notice.Reproduced:
			what = &diag.Message{Format: "reproduced from %s", Args: []any{rec}}
		case notice.Revised:
			what = &diag.Message{Format: "revised under its number (%v), recorded in %s", Args: []any{res.Changes, rec}}
		}
		e.printf("%s, %s: %v\n", name, res.Heading, what)
	}
	return nil
}

// siteSections names the archives builds publish beside the bulletins:
// the digest's issues and, when published, the notices.
func siteSections(dir string) func(s *site.Site) ([]build.Section, error) {
	digests, notices := digest.ArchiveSections(os.DirFS(dir)), notice.ArchiveSections(os.DirFS(dir))
	return func(s *site.Site) ([]build.Section, error) {
		a, err := digests(s)
		if err != nil {
			return nil, err
		}
		b, err := notices(s)
		return append(a, b...), err
	}
}
