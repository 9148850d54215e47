package main

import (
	"cmp"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"

	"bulletin/indexer"
	"bulletin/internal/diag"
	"bulletin/internal/lint"
	"bulletin/internal/published"
	"bulletin/internal/reporting"
	"bulletin/internal/site"
	"bulletin/internal/synonyms"
)

func runCheck(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fs := newFlags(e, "check", `bulletin check reads site.yaml and every bulletin, drafts and future ones included, and reports
every problem as path:line: message: the site's own problems, wording that inspections fail a
site for (the built-in list and the site's wording.yaml), typography of Chinese text
(half-width punctuation and stray spaces between Chinese characters, unbalanced 《》“”（）)
and the search's synonyms.yaml.
It exits 1 when there are errors, 0 when there are only warnings.

With -fix it first corrects, in place, what can be corrected without changing the meaning:
half-width punctuation and parentheses in Chinese text, spaces between Chinese characters and
wording rules with a single right form. Nothing else of a file changes.`,
		"  bulletin check -s .\n  bulletin check -fix\n  bulletin check -format json > problems.json")
	sf.registerSite(fs)
	fix := fs.Bool("fix", false, "correct the safe problems in place before checking")
	format := fs.String("format", "text", "output `format`: text (path:line: message) or json (an array, on stdout)")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		e.printf("bulletin check: -format must be text or json, not %q\n", *format)
		return errUsage
	}
	// Every bulletin is checked, drafts and future ones too, so that
	// their problems are known before they are published.
	opt := site.Options{Drafts: true, Future: true}
	fsys := os.DirFS(sf.dir)

	rules, problems, err := lint.ReadRules(fsys)
	if err != nil {
		return err
	}
	linter := lint.New(rules)
	hits, err := linter.Site(ctx, fsys)
	if err != nil {
		return err
	}
	if *fix {
		info := e.stdout
		if *format == "json" || sf.quiet {
			info = io.Discard
		}
		if hits, err = fixFiles(e, sf.dir, linter, hits, info); err != nil {
			return err
		}
	}

	p := newProgress(e.stderr, sf.quiet || *format == "json")
	opt.Progress = p.stage(e.p, "loading")
	s, err := site.Load(ctx, fsys, opt)
	p.clear()
	var loadProblems diag.Problems
	switch {
	case errors.As(err, &loadProblems):
		problems = append(problems, loadProblems...)
	case err != nil:
		return err
	default:
		problems = append(problems, s.Warnings...)
	}

	// The reporting records are the office's decisions, kept with the
	// content: a hand edit that broke one is a problem like any other.
	if cfg, err := site.ReadConfig(fsys); err == nil {
		_, err := reporting.ReadBook(fsys, cfg.Location)
		var bookProblems diag.Problems
		switch {
		case errors.As(err, &bookProblems):
			problems = append(problems, bookProblems...)
		case err != nil:
			return err
		}
	}

	// The search's synonyms.yaml, read as the search reads it.
	synProblems, err := synonyms.Check(fsys, indexer.FoldTerm)
	if err != nil {
		return err
	}
	problems = append(problems, synProblems...)

	// A date moved earlier after publication (the record build keeps).
	if s != nil {
		rec, err := published.Read(fsys, s.Config.Location)
		var recProblems diag.Problems
		switch {
		case errors.As(err, &recProblems):
			problems = append(problems, recProblems...)
		case err != nil:
			return err
		}
		if rec != nil {
			problems = append(problems, rec.Warnings(fsys, s.Bulletins)...)
		}
	}

	report := mergeReport(e, sf.dir, problems, hits)
	errs, warnings := 0, 0
	for _, r := range report {
		if r.Severity == "error" {
			errs++
		} else {
			warnings++
		}
	}
	if *format == "json" {
		enc := json.NewEncoder(e.stdout)
		enc.SetIndent("", "  ")
		enc.SetEscapeHTML(false)
		if err := enc.Encode(report); err != nil {
			return err
		}
	} else {
		for _, r := range report {
			fmt.Fprintln(e.stderr, r.text)
		}
	}
	if errs > 0 {
		if *format == "text" {
			printErrorCount(e, sf.dir, errs)
		}
		return exitError{1}
	}
	if !sf.quiet && *format == "text" {
		n := 0
		if s != nil {
			n = len(s.Bulletins)
		}
		e.outf("%s checked: no errors, %s\n", e.count(n, "%d bulletin", "%d bulletins"),
			e.count(warnings, "%d warning", "%d warnings"))
	}
	return nil
}

// finding is one line of check's report, from site.Load or from lint; in
// JSON it is an object of the array.
type finding struct {
	Path     string `json:"path"`
	Line     int    `json:"line,omitempty"`
	Column   int    `json:"column,omitempty"`
	Severity string `json:"severity"`
	Rule     string `json:"rule"`
	Message  string `json:"message"`
	Wrong    string `json:"wrong,omitempty"`
	Right    string `json:"right,omitempty"`

	text string // path:line: [warning: ]message, in the person's language
	en   string // text in English, which orders findings alike in every language
	sev  diag.Severity
}

// mergeReport puts the site's problems and the lint hits into one list,
// sorted by path, line and column, with paths as the user can open them.
// The JSON's messages are in English; the text lines in e's language.
func mergeReport(e *env, dir string, problems diag.Problems, hits []lint.Hit) []finding {
	out := make([]finding, 0, len(problems)+len(hits))
	for _, p := range problems {
		p.Path = displayPath(dir, p.Path)
		out = append(out, finding{Path: p.Path, Line: p.Line, Rule: "site", Message: p.Msg, text: p.Localize(e.p), en: p.String(), sev: p.Severity})
	}
	for _, h := range hits {
		h.Path = displayPath(dir, h.Path)
		p := h.Problem()
		out = append(out, finding{Path: h.Path, Line: h.Line, Column: h.Column, Rule: h.Rule, Message: h.Message,
			Wrong: h.Wrong, Right: h.Right, text: p.Localize(e.p), en: p.String(), sev: h.Severity})
	}
	for i := range out {
		out[i].Severity = "error"
		if out[i].sev == diag.Warning {
			out[i].Severity = "warning"
		}
	}
	slices.SortStableFunc(out, func(a, b finding) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Column, b.Column),
			cmp.Compare(a.sev, b.sev),
			cmp.Compare(a.en, b.en),
		)
	})
	return out
}

// fixFiles fixes the files in place (lint.Linter.FixFiles) and says on
// info what it fixed, paths as the user can open them.
func fixFiles(e *env, dir string, linter *lint.Linter, hits []lint.Hit, info io.Writer) ([]lint.Hit, error) {
	hits, fixed, err := linter.FixFiles(dir, hits)
	total := 0
	for _, f := range fixed {
		e.fprintf(info, "fixed %s: %s\n", displayPath(dir, f.Path), e.count(f.Changes, "%d change", "%d changes"))
		total += f.Changes
	}
	if err != nil {
		return nil, err
	}
	if total > 0 {
		e.fprintf(info, "fixed %s in %s\n", e.count(total, "%d problem", "%d problems"), e.count(len(fixed), "%d file", "%d files"))
	}
	return hits, nil
}

func displayPath(dir, p string) string {
	if dir == "." || dir == "" {
		return p
	}
	return filepath.ToSlash(filepath.Join(dir, p))
}
