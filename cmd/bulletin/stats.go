package main

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bulletin/internal/digest"
	"bulletin/internal/fsutil"
	"bulletin/internal/reporting"
	"bulletin/internal/site"
	"bulletin/internal/stats"
)

func runStats(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "stats", `bulletin stats counts, per bureau and month, the bulletins published and how
many of them the briefing digest adopted (信息采用): a bulletin counts once for
every issue recorded in SITE/digests/issues/ that lists it, split into regular
issues (正刊) and supplements (增刊). Months are those of the publication date in
the site's time zone; drafts and future bulletins do not count, as on the site.
-from and -to take a month (2024-01) or a day (2024-01-15), both inclusive.

It then ranks every bureau of site.yaml by the points it earned in the period under
reporting.points (网站采用, 简报采用, 上级采用, 领导批示, 约稿), with what each
submitted and its adoption rate; bureaus that reported nothing have a row of zeros.
With -ranking only the ranking is written (for CSV, the ranking instead of the monthly
table).`,
		"  bulletin stats -from 2024-01 -to 2024-03\n"+
			"  bulletin stats -from 2024-01 -to 2024-12 -o 2024年信息报送统计.csv   # for Excel or WPS\n"+
			"  bulletin stats -format json | jq '.totals'\n"+
			"  bulletin stats -ranking -from 2024-01 -to 2024-03 -o 2024年一季度排名.csv")
	var sf siteFlags
	sf.registerSite(fs)
	from := fs.String("from", "", "first `month` (YYYY-MM) or day (YYYY-MM-DD) counted (default: the first bulletin's month)")
	to := fs.String("to", "", "last `month` (YYYY-MM) or day (YYYY-MM-DD) counted (default: the last bulletin's month)")
	format := fs.String("format", "text", "`format` of the output: text (a table), csv (for spreadsheets) or json (for tools); with -o, the file's extension .csv or .json chooses it")
	out := fs.String("o", "", "write to `file` instead of standard output")
	rankingOnly := fs.Bool("ranking", false, "write only the bureaus' ranking by points")
	fs.StringVar(&sf.now, "now", "", "count as if it were `TIME` (YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339): bulletins dated after it are not published yet")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return e.cmdUsagef("stats", "unexpected argument %q", fs.Arg(0))
	}
	if !flagGiven(fs, "format") && *out != "" {
		switch ext := strings.ToLower(filepath.Ext(*out)); ext {
		case ".csv":
			*format = "csv"
		case ".json":
			*format = "json"
		case "", ".txt", ".text":
		default:
			// An office asking for .xlsx would otherwise get a text table
			// under a name Excel refuses to open.
			return e.cmdUsagef("stats", "-o %s: stats writes a text table (.txt), CSV (.csv, which Excel and WPS open) or JSON (.json), not %s", *out, ext)
		}
	}
	write := map[string]func(*bytes.Buffer, *stats.Report) error{
		"text": func(b *bytes.Buffer, r *stats.Report) error {
			if *rankingOnly {
				return stats.WriteRankingText(b, r.Ranking)
			}
			return stats.WriteText(b, r)
		},
		"csv": func(b *bytes.Buffer, r *stats.Report) error {
			if *rankingOnly {
				return stats.WriteRankingCSV(b, r.Ranking)
			}
			return stats.WriteCSV(b, r)
		},
		"json": func(b *bytes.Buffer, r *stats.Report) error { return stats.WriteJSON(b, r) },
	}[*format]
	if write == nil {
		return e.cmdUsagef("stats", "-format %q: use text, csv or json", *format)
	}
	// The bounds are checked now, before a long load, and placed in the
	// site's zone once it is known.
	bound := func(flag, v string, loc *time.Location) (stats.Period, error) {
		if v == "" {
			return stats.Period{}, nil
		}
		p, err := stats.ParseBound(v, loc)
		if err != nil {
			return p, e.cmdUsagef("stats", "-%s %v", flag, err)
		}
		return p, nil
	}
	f, err := bound("from", *from, time.UTC)
	if err != nil {
		return err
	}
	t, err := bound("to", *to, time.UTC)
	if err != nil {
		return err
	}
	if !f.Start.IsZero() && !t.End.IsZero() && !f.Start.Before(t.End) {
		return e.cmdUsagef("stats", "-from %s is after -to %s", *from, *to)
	}

	s, err := sf.load(ctx, e, newProgress(e.stderr, sf.quiet))
	if err != nil {
		return err
	}
	records, err := digest.ReadRecords(os.DirFS(sf.dir), s.Config.Location)
	if err != nil {
		return problemsExit(e, sf.dir, err)
	}
	loc := s.Config.Location
	f, _ = bound("from", *from, loc)
	t, _ = bound("to", *to, loc)
	r := stats.Compute(s, records, stats.Period{Start: f.Start, End: t.End})
	if r.Ranking, err = standing(ctx, e, &sf, s, records, r.From, r.To); err != nil {
		return err
	}
	for _, u := range r.Uncounted {
		rec := u.Record
		if sf.dir != "." && sf.dir != "" {
			rec = filepath.ToSlash(filepath.Join(sf.dir, rec)) // as the user can open it
		}
		e.printf("warning: %s lists %s, which the site does not publish; its adoption is not counted\n", rec, u.Source)
	}

	var buf bytes.Buffer
	if err := write(&buf, r); err != nil {
		return err
	}
	if *out == "" {
		_, err := e.stdout.Write(buf.Bytes())
		return err
	}
	return fsutil.WriteFile(*out, buf.Bytes(), 0o644)
}

// standing ranks the bureaus of s for the days from to to, with the
// records under reports/ and the reports waiting in the inbox.
func standing(ctx context.Context, e *env, sf *siteFlags, s *site.Site, records []*digest.Record, from, to time.Time) (*reporting.Standing, error) {
	book, err := reporting.ReadBook(os.DirFS(sf.dir), s.Config.Location)
	if err != nil {
		return nil, problemsExit(e, sf.dir, err)
	}
	d := &desk{dir: sf.dir, cfg: s.Config, book: book, now: s.Now}
	pending, err := d.scan(ctx)
	if err != nil {
		return nil, err
	}
	return reporting.Compute(s, records, book, pending, reporting.Period{From: from, To: to}, s.Now), nil
}
