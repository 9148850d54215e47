package main

import (
	"context"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"bulletin/internal/diag"
	"bulletin/internal/reporting"
	"bulletin/internal/site"
)

// editorFlag registers -by for the editor deciding, from $BULLETIN_EDITOR
// by default.
func editorFlag(fs *flag.FlagSet, p *string, name string) {
	fs.StringVar(p, name, os.Getenv("BULLETIN_EDITOR"), "the editor deciding, recorded with the decision (default $BULLETIN_EDITOR)")
}

func runReview(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "review", `bulletin review decides on reports waiting in the inbox (bulletin inbox lists them):

  accept   采用: the report becomes a bulletin at content/<bureau>/<year>/, published on its
           date (the moment of the decision unless -date says otherwise); its images go
           beside it and the report as it came is kept beside it, unpublished
  return   退修: send it back for revision; it moves to inbox/returned/ with the reason beside
           it, and when the bureau sends it again it continues the same record
  decline  退稿: decline it; it moves to inbox/declined/ with the reason beside it

Every decision is recorded under reports/<year>/ (who, when, what, why), one file a report.`,
		"  bulletin review accept -category 社会救助 -tags 低保,冬春救助 inbox/西宁市民政局/冬春救助.docx\n"+
			"  bulletin review return -reason \"请补充救助资金的具体数据\" inbox/海东市困难群众帮扶.docx\n"+
			"  BULLETIN_EDITOR=张编辑 bulletin review decline -reason \"与已发信息重复\" inbox/a.md")
	var sf siteFlags
	sf.registerSite(fs)
	var by string
	editorFlag(fs, &by, "by")
	category := fs.String("category", "", "accept: the bulletin's `category` (one of site.yaml's)")
	tags := fs.String("tags", "", "accept: the bulletin's `tags`, separated by commas")
	date := fs.String("date", "", "accept: publication `time` (YYYY-MM-DD or YYYY-MM-DD HH:MM); default: now")
	request := fs.String("request", "", "accept: the request (约稿) `ID` the report answers, when it does not name it itself")
	reason := fs.String("reason", "", "return, decline: the `reason`, for the bureau")
	fs.StringVar(&sf.now, "now", "", "decide as if it were `TIME`, for scripted runs")
	if len(args) == 0 {
		fs.Usage()
		return errUsage
	}
	// The verb may come before or after the flags.
	if err := parseFlags(fs, reorder(fs, args)); err != nil {
		return err
	}
	verb, files := fs.Arg(0), fs.Args()[min(1, fs.NArg()):]
	decision := map[string]string{"accept": reporting.Accept, "return": reporting.Return, "decline": reporting.Decline}[verb]
	switch {
	case decision == "":
		return e.cmdUsagef("review", "say accept, return or decline, not %q", verb)
	case len(files) == 0:
		return e.cmdUsagef("review", "name the reports, e.g. bulletin review %s inbox/report.docx", verb)
	case strings.TrimSpace(by) == "":
		return e.cmdUsagef("review", "say who decides with -by NAME or $BULLETIN_EDITOR: the record keeps it")
	case decision != reporting.Accept && strings.TrimSpace(*reason) == "":
		return e.cmdUsagef("review", "%s needs -reason: the bureau reads it", verb)
	case decision == reporting.Accept && *reason != "":
		return e.cmdUsagef("review", "-reason is for return and decline")
	case decision != reporting.Accept && (*category != "" || *tags != "" || *date != "" || *request != ""):
		return e.cmdUsagef("review", "-category, -tags, -date and -request are for accept")
	}
	d, err := openDesk(e, &sf)
	if err != nil {
		return err
	}
	dec := reporting.Decision{Dir: sf.dir, By: strings.TrimSpace(by), At: d.now, Category: *category, Reason: *reason, Request: *request}
	if *category != "" && len(d.cfg.Categories) > 0 && !d.cfg.HasCategory(*category) {
		return e.cmdUsagef("review", "-category %q is not listed in site.yaml%s", *category, diag.Choices(*category, categoryNames(d.cfg), "site.yaml lists"))
	}
	for _, t := range strings.FieldsFunc(*tags, func(r rune) bool { return r == ',' || r == '，' || r == '、' }) {
		if t = strings.TrimSpace(t); t != "" {
			dec.Tags = append(dec.Tags, t)
		}
	}
	if *date != "" {
		t, err := parseNow(*date, d.cfg.Location)
		if err != nil {
			return e.cmdUsagef("review", "-date %q: use YYYY-MM-DD or YYYY-MM-DD HH:MM", *date)
		}
		dec.Date = t.In(d.cfg.Location)
	}

	// The decisions are taken under the records' lock, on the inbox as it
	// is then: another editor may have decided on a file meanwhile.
	unlock, err := reporting.Lock(ctx, sf.dir)
	if err != nil {
		return err
	}
	defer unlock()
	if d.book, err = reporting.ReadBook(os.DirFS(sf.dir), d.cfg.Location); err != nil {
		return problemsExit(e, sf.dir, err)
	}
	items, err := d.scan(ctx)
	if err != nil {
		return err
	}
	failed := false
	for _, name := range files {
		it, err := findItem(sf.dir, items, name)
		if err == nil {
			switch decision {
			case reporting.Accept:
				var out *reporting.Outcome
				if out, err = d.book.AcceptItem(it, dec); err == nil {
					fmt.Fprintln(e.stdout, displayPath(sf.dir, out.Files[len(out.Files)-2]))
					if !sf.quiet {
						e.printf("%s: accepted as %s (record %s)\n", it.File, displayPath(sf.dir, out.Thread.Bulletin), displayPath(sf.dir, out.Thread.Path))
					}
				}
			default:
				var out *reporting.Outcome
				if out, err = d.book.ReturnItem(it, decision, dec, d.cfg.Reporting.Inbox); err == nil {
					fmt.Fprintln(e.stdout, displayPath(sf.dir, out.Files[0]))
					if !sf.quiet {
						e.printf("%s: %v, moved to %s (record %s)\n", it.File, decisionWord(decision), displayPath(sf.dir, out.Files[0]), displayPath(sf.dir, out.Thread.Path))
					}
				}
			}
		}
		if err != nil {
			e.printf("bulletin %s: %s\n", "review", err)
			if it != nil {
				for _, p := range it.Problems {
					fmt.Fprintln(e.stderr, "  "+p.Localize(e.p))
				}
			}
			failed = true
		}
	}
	if failed {
		return exitError{1}
	}
	return nil
}

// findItem is the inbox item a command-line name means: a path from the
// current folder, or from the site folder.
func findItem(dir string, items []*reporting.Item, name string) (*reporting.Item, error) {
	want := []string{}
	if abs, err := filepath.Abs(name); err == nil {
		want = append(want, abs)
	}
	if abs, err := filepath.Abs(filepath.Join(dir, name)); err == nil {
		want = append(want, abs)
	}
	// The name as the listing shows it, or as it is on disk.
	for _, it := range items {
		for _, p := range []string{it.File, it.Source()} {
			abs, err := filepath.Abs(filepath.Join(dir, filepath.FromSlash(p)))
			if err == nil && slices.Contains(want, abs) {
				return it, nil
			}
		}
	}
	if _, err := os.Stat(name); err == nil {
		return nil, diag.Errorf("%s is not a report waiting in the inbox (bulletin inbox lists them)", name)
	}
	return nil, diag.Errorf("%s: %w", name, os.ErrNotExist)
}

func categoryNames(cfg *site.Config) []string {
	out := make([]string, len(cfg.Categories))
	for i, c := range cfg.Categories {
		out[i] = c.Name
	}
	return out
}
