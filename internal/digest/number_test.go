package digest

import (
	"bulletin/internal/golden"
	"bytes"
	"context"
	"errors"
	"fmt"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strings"
	"sync"
	"testing"
)

// recordNames lists the records of the site in dir.
func recordNames(t testing.TB, dir string) []string {
	t.Helper()
	entries, err := os.ReadDir(filepath.Join(dir, "digests", "issues"))
	if err != nil && !errors.Is(err, os.ErrNotExist) {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// TestNumbering runs one site through a year and a half of issues: each
// step says what it asks for and which number it must get.
func TestNumbering(t *testing.T) {
	dir := copySite(t)
	s := loadSite(t, dir)
	ctx := context.Background()
	var firstRun [][]byte
	for _, step := range []struct {
		name   string
		query  Query
		today  string
		edit   func(*Options)
		label  string // the issue line, "" when the step must fail
		status Status
		errIs  string // part of the error, when it must fail
	}{
		{name: "not signed off before what it holds", query: january(), today: "2024-01-20",
			errIs: "is before 2024-01-25, the date of content/qinghai/bold-close.md"},
		{name: "first issue", query: january(), today: "2024-01-31",
			label: "2024年第1期（总第1期）", status: New},
		{name: "same period again reproduces it", query: january(), today: "2024-02-05",
			label: "2024年第1期（总第1期）", status: Reproduced},
		{name: "same period, new sign-off date refused", query: january(), today: "2024-02-05",
			edit:  func(o *Options) { o.Date = day("2024-02-05") },
			errIs: "a re-run keeps that date"},
		{name: "next period takes the next number", query: Query{From: day("2024-02-01"), To: day("2024-02-29")}, today: "2024-02-29",
			label: "2024年第2期（总第2期）", status: New},
		{name: "same bulletins regrouped revise the issue", query: Query{From: day("2024-01-01"), To: day("2024-01-31"), Group: "region"}, today: "2024-03-01",
			label: "2024年第1期（总第1期）", status: Revised},
		{name: "supplement has its own sequence", query: Query{Select: []string{"content/gansu/winter.md"}, SelectName: "picks"}, today: "2024-03-01",
			edit:  func(o *Options) { o.Supplement = true },
			label: "2024年增刊第1期", status: New},
		{name: "a new selection takes the next number", query: Query{From: day("2024-01-01"), To: day("2024-01-31"), Region: "甘肃省"}, today: "2024-03-01",
			label: "2024年第3期（总第3期）", status: New},
		{name: "empty period takes no number", query: Query{From: day("2024-06-01"), To: day("2024-06-30")}, today: "2024-07-01",
			errIs: "no published bulletins to compile from 2024-06-01 to 2024-06-30"},
		{name: "dry run takes no number", query: Query{From: day("2025-01-01"), To: day("2025-01-31")}, today: "2025-01-10",
			edit:  func(o *Options) { o.DryRun = true },
			label: "2025年第1期（总第4期）", status: New},
		{name: "failed run takes no number", query: Query{From: day("2025-01-01"), To: day("2025-01-31")}, today: "2025-01-10",
			edit: func(o *Options) {
				o.Out = filepath.Join(dir, "broken")
				// A folder where the HTML file must go: writing fails
				// after the record was written.
				os.MkdirAll(filepath.Join(o.Out, "2025-001.html"), 0o755)
			},
			errIs: "no number was taken"},
		{name: "new year restarts the number, not the cumulative", query: Query{From: day("2025-01-01"), To: day("2025-01-31")}, today: "2025-01-10",
			label: "2025年第1期（总第4期）", status: New},
		{name: "supplements restart each year too", query: Query{Select: []string{"/news/bulletins/new-year-visits/"}, SelectName: "picks"}, today: "2025-01-11",
			edit:  func(o *Options) { o.Supplement = true },
			label: "2025年增刊第1期", status: New},
		{name: "a new issue cannot be back-dated", query: Query{From: day("2024-01-12"), To: day("2024-01-12")}, today: "2025-01-12",
			edit:  func(o *Options) { o.Date = day("2024-12-31") },
			errIs: "2025年第1期（总第4期） was signed off 2025-01-10; a new issue cannot be dated earlier"},
	} {
		opt := options(dir, step.query, step.today)
		if step.edit != nil {
			step.edit(&opt)
		}
		before := recordNames(t, dir)
		res, err := Run(ctx, s, opt)
		if step.label == "" {
			if err == nil || !strings.Contains(err.Error(), step.errIs) {
				t.Errorf("%s: error %v, want one containing %q", step.name, err, step.errIs)
			}
			if after := recordNames(t, dir); !slices.Equal(before, after) {
				t.Errorf("%s: records went from %v to %v, want no change", step.name, before, after)
			}
			continue
		}
		if err != nil {
			t.Errorf("%s: %v", step.name, err)
			continue
		}
		if got := res.Issue.Label(); got != step.label || res.Status != step.status {
			t.Errorf("%s: got %s with status %d, want %s with status %d", step.name, got, res.Status, step.label, step.status)
		}
		if opt.DryRun {
			if after := recordNames(t, dir); !slices.Equal(before, after) || res.Files != nil {
				t.Errorf("%s: records went from %v to %v and files %v were written; a dry run writes nothing", step.name, before, after, res.Files)
			}
		}
		// The re-run must reproduce the first run byte for byte, sign-off
		// date included, though it ran on another day.
		var outputs [][]byte
		for _, f := range res.Files {
			outputs = append(outputs, readFile(t, f))
		}
		switch step.name {
		case "first issue":
			firstRun = outputs
		case "same period again reproduces it":
			if len(outputs) != len(firstRun) {
				t.Fatalf("%s: wrote %d files, want %d", step.name, len(outputs), len(firstRun))
			}
			for i := range outputs {
				if !bytes.Equal(outputs[i], firstRun[i]) {
					t.Errorf("%s: %s differs from the first run\n%s", step.name, res.Files[i], golden.FirstDiff(outputs[i], firstRun[i]))
				}
			}
		case "same bulletins regrouped revise the issue":
			if want := []string{"grouping", "order"}; !slices.Equal(res.Changes.Strings(), want) {
				t.Errorf("%s: changes %v, want %v", step.name, res.Changes, want)
			}
			if got := Date(res.Issue.SignedOff); got != "2024年1月31日" {
				t.Errorf("%s: signed off %s, want the recorded 2024年1月31日", step.name, got)
			}
		}
	}
	want := []string{"2024-001.yaml", "2024-002.yaml", "2024-003.yaml", "2024-zk01.yaml", "2025-001.yaml", "2025-zk01.yaml"}
	if got := recordNames(t, dir); !slices.Equal(got, want) {
		t.Errorf("records %v, want %v", got, want)
	}
	if _, err := os.Stat(filepath.Join(dir, "broken", "2025-001.md")); err == nil {
		t.Errorf("the failed run left its outputs behind")
	}
}

// TestImportedRecord: an office that numbered issues by hand before writes
// a record without bulletins for its last one, and the sequence goes on.
func TestImportedRecord(t *testing.T) {
	dir := copySite(t)
	os.MkdirAll(filepath.Join(dir, "digests", "issues"), 0o755)
	imported := "kind: regular\nyear: 2024\nnumber: 7\ncumulative: 127\nsigned_off: 2024-01-05\nbulletins: []\n"
	os.WriteFile(filepath.Join(dir, "digests", "issues", "2024-007.yaml"), []byte(imported), 0o644)
	res, err := Run(context.Background(), loadSite(t, dir), options(dir, january(), "2024-01-31"))
	if err != nil {
		t.Fatal(err)
	}
	if got, want := res.Issue.Label(), "2024年第8期（总第128期）"; got != want {
		t.Errorf("got %s, want %s", got, want)
	}
}

// TestConcurrentRuns runs digests of different selections at once, in
// goroutines and in separate processes, and checks that every one got a
// number of its own.
func TestConcurrentRuns(t *testing.T) {
	dir := copySite(t)
	s := loadSite(t, dir)
	var sources []string
	for _, b := range s.Bulletins {
		sources = append(sources, b.Source)
	}
	// Half the selections in goroutines of this process, half in
	// processes that re-run this test binary.
	var wg sync.WaitGroup
	errs := make([]error, len(sources))
	for i, src := range sources {
		wg.Go(func() {
			if i%2 == 0 {
				q := Query{Select: []string{src}, SelectName: "picks"}
				_, errs[i] = Run(context.Background(), s, options(dir, q, "2025-06-01"))
				return
			}
			cmd := exec.Command(os.Args[0], "-test.run=^TestHelperRun$")
			cmd.Env = append(os.Environ(), "DIGEST_HELPER_SITE="+dir, "DIGEST_HELPER_SOURCE="+src)
			if out, err := cmd.CombinedOutput(); err != nil {
				errs[i] = fmt.Errorf("helper process for %s: %v\n%s", src, err, out)
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
	if len(records) != len(sources) {
		t.Fatalf("%d records for %d runs", len(records), len(sources))
	}
	for i, r := range records {
		if r.Number != i+1 || r.Cumulative != i+1 {
			t.Errorf("record %d is %s, want numbers 1 to %d without gaps or repeats", i, r.Label(), len(sources))
		}
	}
}

// TestHelperRun is the other process of TestConcurrentRuns.
func TestHelperRun(t *testing.T) {
	dir := os.Getenv("DIGEST_HELPER_SITE")
	if dir == "" {
		t.Skip("run by TestConcurrentRuns")
	}
	q := Query{Select: []string{os.Getenv("DIGEST_HELPER_SOURCE")}, SelectName: "picks"}
	if _, err := Run(context.Background(), loadSite(t, dir), options(dir, q, "2025-06-01")); err != nil {
		t.Fatal(err)
	}
}

// TestRevisionRemovesStalePDF: an issue revised without -pdf removes the
// PDF of the earlier version; reproducing it keeps the PDF.
func TestRevisionRemovesStalePDF(t *testing.T) {
	dir := copySite(t)
	s := loadSite(t, dir)
	ctx := context.Background()
	first, err := Run(ctx, s, options(dir, january(), "2024-01-31"))
	if err != nil {
		t.Fatal(err)
	}
	pdf := strings.TrimSuffix(first.Files[0], ".html") + ".pdf"
	if err := os.WriteFile(pdf, []byte("%PDF-1.7 earlier"), 0o644); err != nil {
		t.Fatal(err)
	}
	again, err := Run(ctx, s, options(dir, january(), "2024-02-05"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pdf); err != nil || again.Status != Reproduced || again.StalePDF != "" {
		t.Errorf("reproducing: status %v, stale %q, pdf %v; want the PDF kept", again.Status, again.StalePDF, err)
	}
	regrouped := Query{From: day("2024-01-01"), To: day("2024-01-31"), Group: "region"}
	rev, err := Run(ctx, s, options(dir, regrouped, "2024-03-01"))
	if err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(pdf); rev.Status != Revised || rev.StalePDF != pdf || err == nil {
		t.Errorf("revising: status %v, stale %q, pdf there: %v; want %s removed", rev.Status, rev.StalePDF, err == nil, pdf)
	}
}
