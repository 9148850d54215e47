package notice

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync"
	"testing"

	"bulletin/internal/digest"
	"bulletin/internal/golden"
	"bulletin/internal/reporting"
)

// recordNames lists the records of the site in dir.
func recordNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "reports", "notices"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// month is the standing of one month of 2024, the fixture's April moved.
func month(m int) *reporting.Standing {
	st := april()
	st.From = day(fmt.Sprintf("2024-%02d-01", m))
	st.To = st.From.AddDate(0, 1, -1)
	return st
}

// revisedQuarter is the quarter with 浙江省民政厅's late adoption counted.
func revisedQuarter() *reporting.Standing {
	st := quarter()
	st.Rows[5].Site, st.Rows[5].Taken, st.Rows[5].Points = 3, 3, 3
	st.Total = total(st.Rows)
	return st
}

// TestNumbering runs one site through a year of notices: each step says
// what it announces and which number it must get.
func TestNumbering(t *testing.T) {
	dir := copySite(t)
	s := loadSite(t, dir)
	ctx := context.Background()
	var firstRun [][]byte
	var firstRecord []byte
	record := filepath.Join(dir, "reports", "notices", "2024-01.yaml")
	for _, step := range []struct {
		name     string
		standing *reporting.Standing
		today    string
		edit     func(*Options)
		label    string // the issue line, "" when the step must fail
		status   Status
		changes  []string
		errIs    string // part of the error, when it must fail
		argError bool   // the error is the arguments' (*digest.ArgError)
	}{
		{name: "not signed off before the period ends", standing: quarter(), today: "2024-03-30",
			errIs: "the sign-off date 2024-03-30 is before 2024-03-31, the end of the period", argError: true},
		{name: "first notice", standing: quarter(), today: "2024-04-08",
			edit:  func(o *Options) { o.Note = quarterNote },
			label: "2024年第1期", status: New},
		{name: "same period again reproduces it", standing: quarter(), today: "2024-04-20",
			edit:  func(o *Options) { o.Note = quarterNote },
			label: "2024年第1期", status: Reproduced},
		{name: "same period, new sign-off date refused", standing: quarter(), today: "2024-04-20",
			edit:  func(o *Options) { o.Date = day("2024-04-20"); o.Note = quarterNote },
			errIs: "the notice of 2024年第一季度 is 2024年第1期, signed off 2024-04-08; a re-run keeps that date", argError: true},
		{name: "a failed revision leaves the record as it was", standing: revisedQuarter(), today: "2024-04-20",
			edit:  func(o *Options) { o.Out = broken(t, dir, "2024-01") },
			errIs: "2024年第1期 is left as it was"},
		{name: "changed figures and note revise it", standing: revisedQuarter(), today: "2024-04-20",
			label: "2024年第1期", status: Revised, changes: []string{"figures of 浙江省民政厅", "note"}},
		{name: "next period takes the next number", standing: april(), today: "2024-05-06",
			label: "2024年第2期", status: New},
		{name: "dry run takes no number", standing: month(5), today: "2024-06-03",
			edit:  func(o *Options) { o.DryRun = true },
			label: "2024年第3期", status: New},
		{name: "failed run takes no number", standing: month(5), today: "2024-06-03",
			edit:  func(o *Options) { o.Out = broken(t, dir, "2024-03") },
			errIs: "no number was taken"},
		{name: "a new notice cannot be back-dated", standing: month(5), today: "2024-06-03",
			edit:  func(o *Options) { o.Date = day("2024-05-01") },
			errIs: "2024年第2期 was signed off 2024-05-06; a new notice cannot be dated earlier", argError: true},
		{name: "a new year restarts the numbers", standing: month(12), today: "2025-01-06",
			label: "2025年第1期", status: New},
	} {
		opt := options(dir, step.today)
		if step.edit != nil {
			step.edit(&opt)
		}
		before := recordNames(t, dir)
		beforeRecord, _ := os.ReadFile(record)
		res, err := Run(ctx, s, step.standing, opt)
		if step.label == "" {
			if err == nil || !strings.Contains(err.Error(), step.errIs) {
				t.Errorf("%s: error %v, want one containing %q", step.name, err, step.errIs)
			}
			var argErr *digest.ArgError
			if err != nil && errors.As(err, &argErr) != step.argError {
				t.Errorf("%s: error %v is an ArgError: %v, want %v", step.name, err, !step.argError, step.argError)
			}
			if after := recordNames(t, dir); !slices.Equal(before, after) {
				t.Errorf("%s: records went from %v to %v, want no change", step.name, before, after)
			}
			if afterRecord, _ := os.ReadFile(record); !bytes.Equal(beforeRecord, afterRecord) {
				t.Errorf("%s: the record of 2024年第1期 changed:\n%s", step.name, golden.FirstDiff(afterRecord, beforeRecord))
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", step.name, err)
			continue
		}
		if res.Label != step.label || res.Status != step.status || !slices.Equal(res.Changes.Strings(), step.changes) {
			t.Errorf("%s: got %s, %s, changes %q; want %s, %s, changes %q", step.name, res.Label, res.Status, res.Changes, step.label, step.status, step.changes)
		}
		if opt.DryRun {
			if after := recordNames(t, dir); !slices.Equal(before, after) || res.Files != nil {
				t.Errorf("%s: records went from %v to %v and files %v were written; a dry run writes nothing", step.name, before, after, res.Files)
			}
			if _, err := os.Stat(filepath.Join(dir, "reports", "out", "notice-2024-03.html")); err == nil {
				t.Errorf("%s: wrote the notice", step.name)
			}
		}
		// The re-run must reproduce the first run byte for byte, sign-off
		// date included, though it ran on another day.
		var outputs [][]byte
		for _, f := range res.Files {
			outputs = append(outputs, readFile(t, f))
		}
		switch step.name {
		case "first notice":
			firstRun, firstRecord = outputs, readFile(t, record)
		case "same period again reproduces it":
			if len(outputs) != len(firstRun) {
				t.Fatalf("%s: wrote %d files, want %d", step.name, len(outputs), len(firstRun))
			}
			for i := range outputs {
				if !bytes.Equal(outputs[i], firstRun[i]) {
					t.Errorf("%s: %s differs from the first run\n%s", step.name, res.Files[i], golden.FirstDiff(outputs[i], firstRun[i]))
				}
			}
			if got := readFile(t, record); !bytes.Equal(got, firstRecord) {
				t.Errorf("%s: rewrote the record:\n%s", step.name, golden.FirstDiff(got, firstRecord))
			}
		case "changed figures and note revise it":
			got := string(readFile(t, record))
			for _, want := range []string{"signed_off: 2024-04-08\n", "    bureau: 浙江省民政厅\n    points: 3\n    submitted: 3\n    site: 3\n"} {
				if !strings.Contains(got, want) {
					t.Errorf("%s: the record lacks %q:\n%s", step.name, want, got)
				}
			}
			if strings.Contains(got, "note:") {
				t.Errorf("%s: the record keeps the note the run left out", step.name)
			}
		}
	}
	want := []string{"2024-01.yaml", "2024-02.yaml", "2025-01.yaml"}
	if got := recordNames(t, dir); !slices.Equal(got, want) {
		t.Errorf("records %v, want %v", got, want)
	}
	for _, name := range []string{"notice-2024-01.md", "notice-2024-03.md"} {
		if _, err := os.Stat(filepath.Join(dir, "broken", name)); err == nil {
			t.Errorf("a failed run left %s behind", name)
		}
	}
}

// broken is an output folder where the notice's HTML file cannot be
// written, a folder being in its place: the run fails after its record
// was written.
func broken(t testing.TB, dir, name string) string {
	t.Helper()
	out := filepath.Join(dir, "broken")
	if err := os.MkdirAll(filepath.Join(out, OutputPrefix+name+".html"), 0o755); err != nil {
		t.Fatal(err)
	}
	return out
}

// TestImportedRecord: an office that numbered notices by hand before
// writes a record without a ranking for its last one, and the sequence
// goes on; the period it names is still its own.
func TestImportedRecord(t *testing.T) {
	dir := copySite(t)
	os.MkdirAll(filepath.Join(dir, "reports", "notices"), 0o755)
	imported := "year: 2024\nnumber: 3\nsigned_off: 2024-04-02\nfrom: 2024-01-01\nto: 2024-03-31\n"
	os.WriteFile(filepath.Join(dir, "reports", "notices", "2024-03.yaml"), []byte(imported), 0o644)
	s := loadSite(t, dir)
	res, err := Run(context.Background(), s, april(), options(dir, "2024-05-06"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Label != "2024年第4期" {
		t.Errorf("got %s, want 2024年第4期", res.Label)
	}
	// Running the imported quarter fills its record in, under its number.
	res, err = Run(context.Background(), s, quarter(), options(dir, "2024-05-06"))
	if err != nil {
		t.Fatal(err)
	}
	if res.Label != "2024年第3期" || res.Status != Revised {
		t.Errorf("got %s, %s; want 2024年第3期, revised", res.Label, res.Status)
	}
}

// TestRunRefuses: a standing no notice could announce truthfully, and a
// site that cannot sign one, take no number.
func TestRunRefuses(t *testing.T) {
	for _, tc := range []struct {
		name string
		edit func(*reporting.Standing)
		want string
	}{
		{"no period", func(st *reporting.Standing) { st.To = st.To.AddDate(-1, 0, 0) }, "the standing's period starts 2024-04-01, after it ends 2023-04-30"},
		{"no bureau", func(st *reporting.Standing) { st.Rows = nil; st.Total = reporting.Score{} }, "ranks no bureau"},
		{"a bureau twice", func(st *reporting.Standing) { st.Rows[1].Bureau = st.Rows[0].Bureau }, `ranks "青海省民政厅" twice`},
		{"totals off", func(st *reporting.Standing) { st.Total.Site++ }, "is not the sum of its rows"},
	} {
		dir := copySite(t)
		st := april()
		tc.edit(st)
		_, err := Run(context.Background(), loadSite(t, dir), st, options(dir, "2024-05-06"))
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
		if names := recordNames(t, dir); len(names) > 0 {
			t.Errorf("%s: wrote %v", tc.name, names)
		}
	}

	dir := copySite(t)
	s := loadSite(t, dir)
	s.Config.Digest.Publisher = ""
	if _, err := Run(context.Background(), s, april(), options(dir, "2024-05-06")); err == nil || !strings.Contains(err.Error(), "no publisher (编印单位)") {
		t.Errorf("without a publisher: error %v, want one asking for digest.publisher", err)
	}
}

// TestConcurrentRuns runs notices of different months at once, in
// goroutines and in separate processes, and checks that every one got a
// number of its own.
func TestConcurrentRuns(t *testing.T) {
	dir := copySite(t)
	s := loadSite(t, dir)
	const runs = 6
	var wg sync.WaitGroup
	errs := make([]error, runs)
	for i := range runs {
		m := i + 1
		wg.Go(func() {
			if m%2 == 0 {
				_, errs[i] = Run(context.Background(), s, month(m), options(dir, "2025-01-10"))
				return
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRun$")
			cmd.Env = append(os.Environ(), "NOTICE_HELPER_SITE="+dir, "NOTICE_HELPER_MONTH="+strconv.Itoa(m))
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("helper process for month %d: %v\n%s", m, err, out)
			}
		})
	}
	wg.Wait()
	for _, err := range errs {
		if err != nil {
			t.Error(err)
		}
	}
	records, err := ReadRecords(os.DirFS(dir), s.Config.Location)
	if err != nil {
		t.Fatal(err)
	}
	if len(records) != runs {
		t.Fatalf("%d records for %d runs", len(records), runs)
	}
	for i, r := range records {
		if r.Year != 2025 || r.Number != i+1 {
			t.Errorf("record %d is %s, want numbers 1 to %d without gaps or repeats", i, r.Label(), runs)
		}
	}
}

// TestHelperRun is the other process of TestConcurrentRuns.
func TestHelperRun(t *testing.T) {
	dir := os.Getenv("NOTICE_HELPER_SITE")
	if dir == "" {
		t.Skip("run by TestConcurrentRuns")
	}
	m, _ := strconv.Atoi(os.Getenv("NOTICE_HELPER_MONTH"))
	if _, err := Run(context.Background(), loadSite(t, dir), month(m), options(dir, "2025-01-10")); err != nil {
		t.Fatal(err)
	}
}

// TestRevisionRemovesStalePDF: a revision written without -pdf removes
// the PDF of the earlier version, which no longer says what the record
// says; reproducing the notice keeps its PDF.
func TestRevisionRemovesStalePDF(t *testing.T) {
	dir := copySite(t)
	s := loadSite(t, dir)
	first, err := Run(context.Background(), s, quarter(), options(dir, "2024-04-08"))
	if err != nil {
		t.Fatal(err)
	}
	pdf := strings.TrimSuffix(first.Files[0], ".html") + ".pdf"
	if err := os.WriteFile(pdf, []byte("%PDF-1.7 earlier"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := Run(context.Background(), s, quarter(), options(dir, "2024-04-09"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pdf); err != nil || again.Status != Reproduced || again.StalePDF != "" {
		t.Errorf("reproducing: status %v, stale %q, pdf %v; want the PDF kept", again.Status, again.StalePDF, err)
	}
	rev, err := Run(context.Background(), s, revisedQuarter(), options(dir, "2024-04-10"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pdf); rev.Status != Revised || rev.StalePDF != pdf || err == nil {
		t.Errorf("revising: status %v, stale %q, pdf there: %v; want %s removed", rev.Status, rev.StalePDF, err == nil, pdf)
	}
}
