package notice

import (
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/digest"
	"bulletin/internal/fsutil"
	"bulletin/internal/reporting"
	"bulletin/internal/site"
)

// Options are one run of bulletin notice.
type Options struct {
	// Dir is the site folder: records go to Dir/reports/notices.
	Dir string
	// Out is the folder of the outputs; "" means Dir/reports/out.
	Out string
	// Note is the closing paragraphs (from -note FILE), one a line; ""
	// leaves them out, since no sentence is put in an office's mouth.
	Note string

	// Date is the sign-off day; zero means Today. A re-run of a recorded
	// notice keeps the recorded day.
	Date  time.Time
	Today time.Time

	// DryRun decides the number and renders the notice, and writes nothing.
	DryRun bool
	// Theme holds notice/notice.html and notice/notice.css, and
	// digest/print.css, whose masthead the notice shares.
	Theme fs.FS
	// PDF, when set, prints the HTML file to a PDF file beside it
	// (digest.PrintPDF).
	PDF func(ctx context.Context, htmlPath, pdfPath string) error
}

// Status says how a run's notice relates to the recorded ones.
type Status int

const (
	New        Status = iota // a new number was taken
	Reproduced               // a recorded notice, reproduced as it was
	Revised                  // a recorded notice, revised under its number
)

func (s Status) String() string {
	switch s {
	case Reproduced:
		return "reproduced"
	case Revised:
		return "revised"
	}
	return "new"
}

// Result is what a run numbered and wrote.
type Result struct {
	Record       string // the record's path
	Year, Number int
	Label        string // 2024年第1期
	Heading      string // 关于2024年第一季度信息报送情况的通报
	Status       Status
	Changes      diag.Messages // what a revision changed: ranking, figures of 西宁市民政局, note, …
	Files        []string      // the outputs written: .html, .md, .txt and .pdf
	// StalePDF is the PDF of the earlier version a revision without a
	// PDF removed, so that no outdated print is taken for the issue.
	StalePDF string
}

// OutputPrefix starts the names of a notice's outputs, which share
// reports/out with the rest of reporting's: notice-2024-01.html.
const OutputPrefix = "notice-"

// Run numbers the notice of st and writes it. The number is decided, the
// record written and the outputs written under the reporting lock
// (reporting.Lock); when the outputs cannot be written the record is
// taken back, so a failed run takes no number. Arguments that cannot make
// a notice (a sign-off day before the period ends, or before the last
// notice's) are reported as *digest.ArgError, as the digest's are.
func Run(ctx context.Context, s *site.Site, st *reporting.Standing, opt Options) (*Result, error) {
	c := s.Config
	if c.Digest.Publisher == "" {
		return nil, diag.Errorf("site.yaml names no publisher (编印单位) to sign the notice; add for example\n" +
			"digest:\n  publisher: 青海省民政厅办公室")
	}
	if opt.Theme == nil {
		return nil, diag.Errorf("no theme to print with")
	}
	if st == nil {
		return nil, diag.Errorf("no standing to announce")
	}
	if err := check(st); err != nil {
		return nil, err
	}
	loc := c.Location
	want := &Record{SignedOff: dayOf(opt.Today, loc), Note: digest.CleanNote(opt.Note), Standing: announced(st, loc)}
	if !opt.Date.IsZero() {
		want.SignedOff = dayOf(opt.Date, loc)
	}
	if want.SignedOff.IsZero() {
		return nil, diag.Errorf("no sign-off day: neither Date nor Today is set")
	}
	want.Year = want.SignedOff.Year()

	dir := filepath.Join(opt.Dir, filepath.FromSlash(RecordsDir))
	if !opt.DryRun {
		unlock, err := reporting.Lock(ctx, opt.Dir)
		if err != nil {
			return nil, err
		}
		defer unlock()
		fsutil.RemoveTemps(dir)
	}
	records, err := ReadRecords(os.DirFS(opt.Dir), loc)
	if err != nil {
		return nil, err
	}
	rec, status, changes, err := decide(records, want, !opt.Date.IsZero())
	if err != nil {
		return nil, err
	}
	if status == New && rec.SignedOff.Before(rec.Standing.To) {
		return nil, argErrorf("the sign-off date %s is before %s, the end of the period; a notice announces a period that is over",
			rec.SignedOff.Format(time.DateOnly), rec.Standing.To.Format(time.DateOnly))
	}

	n := compile(c, rec)
	p, err := newPrinter(opt.Theme)
	if err != nil {
		return nil, err
	}
	page, err := p.html(n, nil)
	if err != nil {
		return nil, err
	}
	outputs := []struct {
		ext  string
		data []byte
	}{{".html", page}, {".md", markdown(n)}, {".txt", text(n)}}
	res := &Result{Record: filepath.Join(dir, rec.Name()+".yaml"), Year: rec.Year, Number: rec.Number,
		Label: rec.Label(), Heading: n.Heading, Status: status, Changes: changes}
	if opt.DryRun {
		return res, nil
	}
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	takeBack := func() error { return nil }
	if status != Reproduced {
		if takeBack, err = writeRecord(res.Record, rec, n.Title); err != nil {
			return nil, err
		}
	}
	out := opt.Out
	if out == "" {
		out = filepath.Join(opt.Dir, reporting.Dir, "out")
	}
	base := filepath.Join(out, OutputPrefix+rec.Name())
	err = os.MkdirAll(out, 0o755)
	for _, o := range outputs {
		if err != nil {
			break
		}
		if err = fsutil.ReplaceFile(base+o.ext, o.data, 0o644); err == nil {
			res.Files = append(res.Files, base+o.ext)
		}
	}
	if err == nil && opt.PDF != nil {
		if err = opt.PDF(ctx, res.Files[0], base+".pdf"); err == nil {
			res.Files = append(res.Files, base+".pdf")
		}
	}
	if err == nil && opt.PDF == nil && status == Revised {
		if stale := base + ".pdf"; os.Remove(stale) == nil {
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
		return nil, diag.Errorf("%w; %s is left as it was", err, rec.Label())
	}
	return res, nil
}

// check refuses a standing that no notice could announce truthfully.
func check(st *reporting.Standing) error {
	switch {
	case st.From.IsZero() || st.To.IsZero():
		return diag.Errorf("the standing has no period")
	case st.From.After(st.To):
		return diag.Errorf("the standing's period starts %s, after it ends %s", st.From.Format(time.DateOnly), st.To.Format(time.DateOnly))
	case len(st.Rows) == 0:
		return diag.Errorf("the standing ranks no bureau; site.yaml's registry lists none")
	}
	seen := map[string]bool{}
	for _, s := range st.Rows {
		if s.Bureau == "" || seen[s.Bureau] {
			return diag.Errorf("the standing ranks %q twice or without a name", s.Bureau)
		}
		seen[s.Bureau] = true
	}
	// The opening paragraph announces the totals and the table the
	// rows: they must agree.
	if sum := total(st.Rows); st.Total != (reporting.Score{}) && st.Total != sum {
		return diag.Errorf("the standing's total (%+v) is not the sum of its rows (%+v)", st.Total, sum)
	}
	return nil
}

// decide finds the recorded notice of want's period, or numbers want as
// the next notice. dateGiven says the sign-off day was asked for rather
// than defaulted to today.
func decide(records []*Record, want *Record, dateGiven bool) (*Record, Status, diag.Messages, error) {
	for _, r := range records {
		if !r.samePeriod(want) {
			continue
		}
		if dateGiven && !want.SignedOff.Equal(r.SignedOff) {
			return nil, 0, nil, argErrorf("the notice of %s is %s, signed off %s; a re-run keeps that date, so leave out -date (or edit %s if the date is wrong)",
				PeriodName(r.Standing.From, r.Standing.To), r.Label(), r.SignedOff.Format(time.DateOnly), r.Path)
		}
		changes := r.changes(want)
		if len(changes) == 0 {
			return r, Reproduced, nil, nil
		}
		rev := *want
		rev.Path, rev.Year, rev.Number, rev.SignedOff = r.Path, r.Year, r.Number, r.SignedOff
		return &rev, Revised, changes, nil
	}
	rec := *want
	rec.Number = 1
	var last *Record
	for _, r := range records {
		if r.Year == rec.Year {
			rec.Number = max(rec.Number, r.Number+1)
		}
		if last == nil || r.SignedOff.After(last.SignedOff) {
			last = r
		}
	}
	// Numbers follow the calendar: a new notice dated before the last one
	// would look back-dated.
	if last != nil && last.SignedOff.After(rec.SignedOff) {
		return nil, 0, nil, argErrorf("%s was signed off %s; a new notice cannot be dated earlier (-date %s)",
			last.Label(), last.SignedOff.Format(time.DateOnly), rec.SignedOff.Format(time.DateOnly))
	}
	rec.Path = RecordsDir + "/" + rec.Name() + ".yaml"
	return &rec, New, nil, nil
}

// writeRecord writes r at p and returns how to take the write back.
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

func argErrorf(format string, args ...any) error {
	return &digest.ArgError{Msg: diag.Errorf(format, args...)}
}
