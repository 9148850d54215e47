package main

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/reporting"
	"bulletin/internal/site"
)

func runAdopt(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "adopt", `bulletin adopt records what a higher office made of a published bulletin: its adoption by a
higher office's publication (上级采用, with -issue) or a leader's written instruction on it
(领导批示, with -instruction). The record goes into the bulletin's file under reports/ and
earns the bureau the points of reporting.points in site.yaml. FILE is the bulletin's file
under content/ (or its slug).`,
		"  bulletin adopt -by \"省政府办公厅《政务信息》\" -issue 2024年第5期 -date 2024-03-20 content/qinghai/2024/winter-relief.md\n"+
			"  bulletin adopt -by 国务院办公厅《国务院信息》 -issue 2024年第12期 -level state content/qinghai/2024/winter-relief.md\n"+
			"  bulletin adopt -instruction \"此做法很好，请省民政厅总结推广。\" -by 省长 -date 2024-03-25 winter-relief")
	var sf siteFlags
	sf.registerSite(fs)
	by := fs.String("by", "", "the higher office's `publication` (省政府办公厅《政务信息》), or the leader who wrote the instruction (省长)")
	issue := fs.String("issue", "", "the publication's `issue` (2024年第5期)")
	instruction := fs.String("instruction", "", "the leader's instruction (批示), its `words`")
	level := fs.String("level", "province", "`level` of the office or leader: province or state")
	date := fs.String("date", "", "`day` of the adoption or instruction (YYYY-MM-DD); default: today")
	var editor string
	editorFlag(fs, &editor, "editor")
	fs.StringVar(&sf.now, "now", "", "record as if it were `TIME`, for scripted runs")
	if err := parseFlags(fs, reorder(fs, args)); err != nil {
		return err
	}
	switch {
	case fs.NArg() != 1:
		return e.cmdUsagef("adopt", "name one bulletin, e.g. bulletin adopt -by 省政府办公厅《政务信息》 -issue 2024年第5期 content/qinghai/2024/relief.md")
	case strings.TrimSpace(*by) == "":
		return e.cmdUsagef("adopt", "-by is missing: the publication that adopted the bulletin, or the leader who wrote the instruction")
	case (*issue == "") == (*instruction == ""):
		return e.cmdUsagef("adopt", "give -issue for a publication's adoption or -instruction for a leader's instruction (one of the two)")
	case *level != string(reporting.Province) && *level != string(reporting.State):
		return e.cmdUsagef("adopt", "-level must be province or state, not %q", *level)
	}
	d, err := openDesk(e, &sf)
	if err != nil {
		return err
	}
	a := reporting.Adoption{Instruction: *instruction != "", Level: reporting.Level(*level), By: strings.TrimSpace(*by),
		Issue: strings.TrimSpace(*issue), Text: strings.TrimSpace(*instruction), RecordedBy: strings.TrimSpace(editor), RecordedAt: d.now}
	a.Date = dayOf(d.now)
	if *date != "" {
		t, err := time.ParseInLocation(time.DateOnly, *date, d.cfg.Location)
		if err != nil {
			return e.cmdUsagef("adopt", "-date %q: use YYYY-MM-DD", *date)
		}
		if t.After(a.Date) {
			return e.cmdUsagef("adopt", "-date %s is after today (%s)", *date, a.Date.Format(time.DateOnly))
		}
		a.Date = t
	}
	// The bulletin must be one the site publishes: what is adopted is
	// what readers can see.
	s, err := site.Load(ctx, os.DirFS(sf.dir), site.Options{Now: d.now})
	if err != nil {
		return problemsExit(e, sf.dir, err)
	}
	b, err := findBulletin(s, sf.dir, fs.Arg(0))
	if err != nil {
		return err
	}
	unlock, err := reporting.Lock(ctx, sf.dir)
	if err != nil {
		return err
	}
	defer unlock()
	if d.book, err = reporting.ReadBook(os.DirFS(sf.dir), d.cfg.Location); err != nil {
		return problemsExit(e, sf.dir, err)
	}
	t, err := d.book.Adopt(sf.dir, b, a)
	if err != nil {
		return err
	}
	fmt.Fprintln(e.stdout, displayPath(sf.dir, t.Path))
	if !sf.quiet {
		if a.Instruction {
			e.printf("%s: recorded the instruction by %s (%s)\n", b.Title, a.By, a.Date.Format(time.DateOnly))
		} else {
			e.printf("%s: recorded the adoption by %s %s (%s)\n", b.Title, a.By, a.Issue, a.Date.Format(time.DateOnly))
		}
	}
	return nil
}

// findBulletin is the published bulletin a command-line name means: its
// file, from the current folder or the site folder, or its slug.
func findBulletin(s *site.Site, dir, name string) (*site.Bulletin, error) {
	var want []string
	for _, p := range []string{name, filepath.Join(dir, name)} {
		if abs, err := filepath.Abs(p); err == nil {
			want = append(want, abs)
		}
	}
	var slugs []string
	for _, b := range s.Bulletins {
		if b.Slug == name {
			return b, nil
		}
		slugs = append(slugs, b.Slug)
		abs, err := filepath.Abs(filepath.Join(dir, filepath.FromSlash(b.Source)))
		if err != nil {
			continue
		}
		for _, w := range want {
			if w == abs {
				return b, nil
			}
		}
	}
	return nil, diag.Errorf("%s is not a published bulletin of %s%s", name, displayDir(dir), diag.Suggest(name, slugs))
}

// dayOf is midnight of t's day, in t's zone.
func dayOf(t time.Time) time.Time {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, t.Location())
}

func runRequest(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "request", `bulletin request records a request for reports (约稿) to one or more bureaus, each under its
own number (2024-001) in reports/requests/. A report answers it when it names the number
(request: 2024-001 in Markdown, 约稿编号 in the Word report's 报送单), or when the editor
confirms with bulletin review accept -request. An answer by the due day earns
reporting.points.request_answered; a late or missing one costs request_missed. bulletin
inbox and bulletin stats list the open and overdue requests.`,
		"  bulletin request -bureau 西宁市民政局 -bureau 海东市民政局 -topic \"冬春救助工作进展\" -due 2024-03-15")
	var sf siteFlags
	sf.registerSite(fs)
	var bureaus multiFlag
	fs.Var(&bureaus, "bureau", "the `bureau` asked (repeat for several)")
	topic := fs.String("topic", "", "what the reports should be about")
	due := fs.String("due", "", "the last `day` for the answer (YYYY-MM-DD)")
	var editor string
	editorFlag(fs, &editor, "by")
	fs.StringVar(&sf.now, "now", "", "issue as if it were `TIME`, for scripted runs")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	switch {
	case fs.NArg() > 0:
		return e.cmdUsagef("request", "unexpected argument %q", fs.Arg(0))
	case len(bureaus) == 0:
		return e.cmdUsagef("request", "-bureau is missing: the bureau asked")
	case strings.TrimSpace(*topic) == "":
		return e.cmdUsagef("request", "-topic is missing: what the reports should be about")
	case *due == "":
		return e.cmdUsagef("request", "-due is missing: the last day for the answer")
	}
	d, err := openDesk(e, &sf)
	if err != nil {
		return err
	}
	dueDay, err := time.ParseInLocation(time.DateOnly, *due, d.cfg.Location)
	if err != nil {
		return e.cmdUsagef("request", "-due %q: use YYYY-MM-DD", *due)
	}
	if dueDay.Before(dayOf(d.now)) {
		return e.cmdUsagef("request", "-due %s is in the past", *due)
	}
	for _, b := range bureaus {
		if _, ok := d.cfg.Bureau(b); !ok {
			return e.cmdUsagef("request", "-bureau %q is not listed in site.yaml%s", b, diag.Choices(b, bureauNames(d.cfg), "site.yaml lists"))
		}
	}
	unlock, err := reporting.Lock(ctx, sf.dir)
	if err != nil {
		return err
	}
	defer unlock()
	if d.book, err = reporting.ReadBook(os.DirFS(sf.dir), d.cfg.Location); err != nil {
		return problemsExit(e, sf.dir, err)
	}
	for _, b := range bureaus {
		r, err := d.book.NewRequest(sf.dir, reporting.Request{Bureau: b, Topic: strings.TrimSpace(*topic), Due: dueDay,
			Issued: dayOf(d.now), By: strings.TrimSpace(editor)})
		if err != nil {
			return err
		}
		fmt.Fprintln(e.stdout, displayPath(sf.dir, r.Path))
		if !sf.quiet {
			e.printf("request %s to %s: %s, due %s\n", r.ID, b, r.Topic, *due)
		}
	}
	return nil
}

// multiFlag is a flag that may be given more than once.
type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(s string) error { *m = append(*m, s); return nil }
