package digest

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/site"
)

// Options are one run of bulletin digest.
type Options struct {
	// Dir is the site folder: records go to Dir/digests/issues, and images
	// are read from it.
	Dir   string
	Query Query

	Supplement bool
	Summaries  bool   // each item as its summary instead of the full text
	Note       string // the 按语, one paragraph a line

	// Date is the sign-off day; zero means Today. A re-run of a recorded
	// issue keeps the recorded day.
	Date  time.Time
	Today time.Time

	// Out is the folder of the outputs; "" means Dir/digests/out.
	Out string
	// DryRun decides the number and renders the issue, and writes nothing.
	DryRun bool
	// Theme holds digest/issue.html and digest/print.css.
	Theme fs.FS
	// PDF, when set, prints the HTML file to a PDF file beside it.
	PDF func(ctx context.Context, htmlPath, pdfPath string) error
	// PageBreak is where the print copy starts new pages beside where the
	// text runs out: PageBreakItem, PageBreakGroup, or PageBreakNone
	// ("" too) to let the items flow on, as offices lay out a 简报.
	PageBreak string
}

// Status says how a run's issue relates to the recorded ones.
type Status int

const (
	New        Status = iota // a new number was taken
	Reproduced               // a recorded issue, reproduced as it was
	Revised                  // a recorded issue, revised under its number
)

// Result is what a run compiled and wrote.
type Result struct {
	Issue   *Issue
	Status  Status
	Changes diag.Messages // what a revision changed: 按语, order, period, …
	Record  string        // the record's path
	Files   []string      // the outputs written: .html, .md, .txt and .pdf
	// StalePDF is the PDF of the earlier version a revision without a
	// PDF removed, so that no outdated print is taken for the issue.
	StalePDF string
	// Warnings name what the issue leaves out: images that the standalone
	// file would have had to fetch from the network.
	Warnings diag.Problems
}

// ErrEmpty reports a period or selection without published bulletins.
var ErrEmpty = errors.New("no published bulletins to compile")

// Run compiles one issue of s and writes it. The number is decided, the
// record written and the outputs written under the site's lock; when the
// outputs cannot be written the record is taken back, so a failed run
// takes no number.
func Run(ctx context.Context, s *site.Site, opt Options) (*Result, error) {
	// Checked first: a mistake here must not cost a number.
	switch opt.PageBreak {
	case "", PageBreakNone, PageBreakItem:
	case PageBreakGroup:
		if opt.Query.Group == "" {
			return nil, argErrorf("page breaks before groups need -group")
		}
	default:
		return nil, argErrorf("page break %q: use item, group or none", opt.PageBreak)
	}
	d := s.Config.Digest
	if d.Title == "" || d.Publisher == "" {
		return nil, diag.Errorf("site.yaml names no digest title and publisher (编印单位); add for example\n" +
			"digest:\n  title: 民政工作简报\n  publisher: 青海省民政厅办公室")
	}
	if opt.Theme == nil {
		return nil, diag.Errorf("no theme to print with")
	}
	loc := s.Config.Location
	picked, err := opt.Query.pick(s)
	if err != nil {
		return nil, err
	}
	if len(picked) == 0 {
		return nil, emptyError(opt.Query)
	}
	want := &Record{
		Supplement: opt.Supplement,
		SignedOff:  dayOf(opt.Today, loc),
		From:       opt.Query.From, To: opt.Query.To,
		Region: opt.Query.Region, Category: opt.Query.Category, Group: opt.Query.Group,
		Summaries: opt.Summaries,
		Note:      CleanNote(opt.Note),
	}
	if !opt.Date.IsZero() {
		want.SignedOff = dayOf(opt.Date, loc)
	}
	want.Year = want.SignedOff.Year()
	var latest *site.Bulletin
	for _, b := range picked {
		want.Bulletins = append(want.Bulletins, b.Source)
		want.Titles = append(want.Titles, b.Title)
		day := dayOf(b.Date, loc)
		if want.From.IsZero() || day.Before(want.From) {
			want.From = day
		}
		if latest == nil || b.Date.After(latest.Date) {
			latest = b
		}
	}
	if want.To.IsZero() {
		want.To = dayOf(latest.Date, loc)
	}

	if !opt.DryRun {
		unlock, err := lock(ctx, opt.Dir)
		if err != nil {
			return nil, err
		}
		defer unlock()
		fsutil.RemoveTemps(filepath.Join(opt.Dir, filepath.FromSlash(IssuesDir)))
	}
	records, err := ReadRecords(os.DirFS(opt.Dir), loc)
	if err != nil {
		return nil, err
	}
	rec, status, changes, err := decide(records, want, !opt.Date.IsZero())
	if err != nil {
		return nil, err
	}
	if status == New && dayOf(latest.Date, loc).After(rec.SignedOff) {
		return nil, argErrorf("the sign-off date %s is before %s, the date of %s; an issue cannot be signed off before what it holds",
			rec.SignedOff.Format(time.DateOnly), latest.Date.In(loc).Format(time.DateOnly), latest.Source)
	}

	is, err := compile(ctx, s, rec)
	if err != nil {
		return nil, err
	}
	p, err := newPrinter(opt.Theme)
	if err != nil {
		return nil, err
	}
	p.pageBreak = opt.PageBreak
	page, warnings, err := p.html(is, os.DirFS(opt.Dir), nil)
	if err != nil {
		return nil, err
	}
	outputs := []struct {
		ext  string
		data []byte
	}{{".html", page}, {".md", markdown(is)}, {".txt", text(is)}}
	res := &Result{Issue: is, Status: status, Changes: changes, Warnings: warnings,
		Record: filepath.Join(opt.Dir, filepath.FromSlash(IssuesDir), rec.Name()+".yaml")}
	if opt.DryRun {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	takeBack := func() error { return nil }
	if status != Reproduced {
		if takeBack, err = writeRecord(res.Record, rec, d.Title); err != nil {
			return nil, err
		}
	}
	out := opt.Out
	if out == "" {
		out = filepath.Join(opt.Dir, "digests", "out")
	}
	err = os.MkdirAll(out, 0o755)
	for _, o := range outputs {
		if err != nil {
			break
		}
		f := filepath.Join(out, rec.Name()+o.ext)
		if err = fsutil.ReplaceFile(f, o.data, 0o644); err == nil {
			res.Files = append(res.Files, f)
		}
	}
	if err == nil && opt.PDF != nil {
		f := filepath.Join(out, rec.Name()+".pdf")
		if err = opt.PDF(ctx, res.Files[0], f); err == nil {
			res.Files = append(res.Files, f)
		}
	}
	if err == nil && opt.PDF == nil && status == Revised {
		if stale := filepath.Join(out, rec.Name()+".pdf"); os.Remove(stale) == nil {
			res.StalePDF = stale
		}
	}
	if err != nil {
		if status == Reproduced {
			return nil, err
		}
		// Outputs that no record stands for could be printed and sent.
		for _, f := range res.Files {
			os.Remove(f)
		}
		if rbErr := takeBack(); rbErr != nil {
			return nil, diag.Errorf("%w; and taking back the record failed: %v; check %s", err, rbErr, res.Record)
		}
		if status == New {
			return nil, diag.Errorf("%w; no number was taken", err)
		}
		return nil, diag.Errorf("%w; %s is left as it was", err, rec.Name())
	}
	return res, nil
}

// decide finds the recorded issue with want's selection, or numbers want
// as the next issue of its kind. dateGiven says the sign-off day was asked
// for rather than defaulted to today.
func decide(records []*Record, want *Record, dateGiven bool) (*Record, Status, diag.Messages, error) {
	for _, r := range records {
		if !r.sameIssue(want) {
			continue
		}
		if dateGiven && !want.SignedOff.Equal(r.SignedOff) {
			return nil, 0, nil, argErrorf("these bulletins are %s, signed off %s; a re-run keeps that date, so leave out -date (or edit %s if the date is wrong)",
				r.Label(), r.SignedOff.Format(time.DateOnly), r.Path)
		}
		changes := r.changes(want)
		if len(changes) == 0 {
			return r, Reproduced, nil, nil
		}
		rev := *want
		rev.Path, rev.Year, rev.Number, rev.Cumulative, rev.SignedOff = r.Path, r.Year, r.Number, r.Cumulative, r.SignedOff
		return &rev, Revised, changes, nil
	}
	rec := *want
	rec.Number, rec.Cumulative = 1, 0
	var last *Record
	for _, r := range records {
		if r.Supplement != rec.Supplement {
			continue
		}
		if r.Year == rec.Year {
			rec.Number = max(rec.Number, r.Number+1)
		}
		if !rec.Supplement {
			rec.Cumulative = max(rec.Cumulative, r.Cumulative)
		}
		if last == nil || r.SignedOff.After(last.SignedOff) {
			last = r
		}
	}
	if !rec.Supplement {
		rec.Cumulative++
	}
	// Numbers follow the calendar: a new issue dated before the last one
	// would look back-dated.
	if last != nil && last.SignedOff.After(rec.SignedOff) {
		return nil, 0, nil, argErrorf("%s was signed off %s; a new issue cannot be dated earlier (-date %s)",
			last.Label(), last.SignedOff.Format(time.DateOnly), rec.SignedOff.Format(time.DateOnly))
	}
	rec.Path = IssuesDir + "/" + rec.Name() + ".yaml"
	return &rec, New, nil, nil
}

// writeRecord writes r at p and returns how to take the write back: remove
// a new record, or restore the one it replaced.
func writeRecord(p string, r *Record, title string) (takeBack func() error, err error) {
	data, err := r.marshal(title)
	if err != nil {
		return nil, err
	}
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	return fsutil.WriteFileUndo(p, data, 0o644)
}

// CleanNote keeps the paragraphs of an editor's note (the digest's 按语,
// a notice's closing), one a line, without blank lines.
func CleanNote(s string) string {
	var lines []string
	for _, l := range strings.Split(strings.ReplaceAll(strings.TrimPrefix(s, "\uFEFF"), "\r\n", "\n"), "\n") {
		if l = strings.TrimSpace(l); l != "" {
			lines = append(lines, l)
		}
	}
	return strings.Join(lines, "\n")
}

func emptyError(q Query) error {
	if len(q.Select) > 0 {
		return diag.Errorf("%w: %s lists none", ErrEmpty, q.SelectName)
	}
	from, to := q.From.Format(time.DateOnly), q.To.Format(time.DateOnly)
	switch {
	case q.Region != "" && q.Category != "":
		return diag.Errorf("%w from %s to %s in %s under %s; no number was taken", ErrEmpty, from, to, q.Region, q.Category)
	case q.Region != "":
		return diag.Errorf("%w from %s to %s in %s; no number was taken", ErrEmpty, from, to, q.Region)
	case q.Category != "":
		return diag.Errorf("%w from %s to %s under %s; no number was taken", ErrEmpty, from, to, q.Category)
	}
	return diag.Errorf("%w from %s to %s; no number was taken", ErrEmpty, from, to)
}
