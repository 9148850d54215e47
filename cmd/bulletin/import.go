package main

import (
	"bytes"
	"cmp"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/importer"
	"bulletin/internal/lint"
	"bulletin/internal/site"
)

func runImport(ctx context.Context, e *env, args []string) error {
	fset := newFlags(e, "import", `bulletin import turns the plain text of a compilation (a 简报 or 信息专报, usually text
extracted from a PDF) into bulletin files at content/<bureau slug>/<year>/. Each item's bureau comes
from its closing line （据…） or （…供稿）; the masthead, contents and closing block are skipped,
and paragraphs split by page breaks are joined again. It prints the path of each file it writes,
and reports on stderr what it could not decide. It never overwrites a file: importing the same
text again changes nothing. It exits 1 when an item could not be imported.`,
		"  bulletin import -category 工作动态 简报2024第3期.txt\n  bulletin import -s sites/qinghai -date 2024-03-15 -n issue3.txt")
	var sf siteFlags
	sf.registerSite(fset)
	date := fset.String("date", "", "publication `date` of the items (YYYY-MM-DD or YYYY-MM-DD HH:MM); default: the masthead's date")
	category := fset.String("category", "", "`category` of items under no section heading that names one")
	bureau := fset.String("bureau", "", "`bureau` of items without an attribution （据…）; default: leave them out")
	dryRun := fset.Bool("n", false, "only report: print the paths that would be written, write nothing")
	if err := parseFlags(fset, reorder(fset, args)); err != nil {
		return err
	}
	files := fset.Args()
	if len(files) == 0 {
		e.printf("bulletin import: name the text files to import, e.g. bulletin import 简报2024第3期.txt\n")
		return errUsage
	}
	fsys := os.DirFS(sf.dir)
	cfg, err := site.ReadConfig(fsys)
	if err != nil {
		return problemsExit(e, sf.dir, err)
	}
	opt := importer.Options{Config: cfg, Category: *category, Bureau: *bureau}
	if *category != "" && len(cfg.Categories) > 0 && !cfg.HasCategory(*category) {
		return diag.Errorf("-category %q is not listed in site.yaml%s", *category, diag.Choices(*category, categoryNames(cfg), "site.yaml lists"))
	}
	if *bureau != "" && len(cfg.Bureaus) > 0 {
		if _, ok := cfg.Bureau(*bureau); !ok {
			return diag.Errorf("-bureau %q is not listed in site.yaml%s", *bureau, diag.Choices(*bureau, bureauNames(cfg), "site.yaml lists"))
		}
	}
	if *date != "" {
		t, err := parseNow(*date, cfg.Location)
		if err != nil {
			return diag.Errorf("-date %q: use YYYY-MM-DD or YYYY-MM-DD HH:MM", *date)
		}
		opt.Date = t.In(cfg.Location)
	}

	known, err := indexSite(ctx, fsys, e, sf.dir)
	if err != nil {
		return err
	}
	failed := false
	for _, name := range files {
		if err := ctx.Err(); err != nil {
			return err
		}
		src, err := os.ReadFile(name)
		if err != nil {
			return err
		}
		res := importer.Parse(src, opt)
		// The report of a file, in the order of its lines.
		var lines []reportLine
		file := filepath.ToSlash(name)
		note := func(p diag.Problem) {
			lines = append(lines, reportLine{p.Line, p.Localize(e.p)})
		}
		// Items imported before are news, not problems.
		tell := func(line int, msg *diag.Message) {
			if sf.quiet {
				return
			}
			lines = append(lines, reportLine{line, e.p.Sprintf("%s: %s", fmt.Sprintf("%s:%d", file, line), msg)})
		}
		for _, n := range res.Notes {
			note(n.Problem(file))
		}
		written, before := 0, 0
		for _, it := range res.Items {
			rel := it.Path()
			data := it.Markdown()
			if other, ok := known.byTitle[titleKey(it.Bureau.Name, it.Title)]; ok && other != rel {
				note(diag.At(file, it.Line, diag.Warning, "item %s is already in the site as %s; not imported", it.Title, displayPath(sf.dir, other)))
				before++
				continue
			}
			if other, ok := known.bySlug[it.Slug()]; ok {
				if old, err := fs.ReadFile(fsys, other); err == nil && bytes.Equal(old, data) {
					tell(it.Line, &diag.Message{Format: "item %s was imported before: %s is unchanged", Args: []any{it.Title, displayPath(sf.dir, other)}})
				} else {
					note(diag.At(file, it.Line, diag.Warning, "item %s was imported before as %s, which has changed since; left as it is", it.Title, displayPath(sf.dir, other)))
				}
				before++
				continue
			}
			out := filepath.Join(sf.dir, filepath.FromSlash(rel))
			if !*dryRun {
				if err := writeNew(out, data); err != nil {
					return err
				}
			}
			known.bySlug[it.Slug()] = rel
			known.byTitle[titleKey(it.Bureau.Name, it.Title)] = rel
			fmt.Fprintln(e.stdout, out)
			written++
		}
		slices.SortStableFunc(lines, func(a, b reportLine) int { return cmp.Compare(a.line, b.line) })
		for _, l := range lines {
			fmt.Fprintln(e.stderr, l.text)
		}
		if sf.quiet && res.Left == 0 {
			continue
		}
		if *dryRun {
			e.printf("%s: would import %s", name, e.count(written, "%d item", "%d items"))
		} else {
			e.printf("%s: imported %s", name, e.count(written, "%d item", "%d items"))
		}
		if before > 0 {
			e.printf(", %d already in the site", before)
		}
		if res.Left > 0 {
			e.printf(", %d not imported", res.Left)
			failed = true
		}
		fmt.Fprintln(e.stderr)
	}
	if failed {
		return exitError{1}
	}
	return nil
}

type reportLine struct {
	line int
	text string
}

// siteIndex is what the site already holds, to recognise an item imported
// before: by file name (the slug derives from bureau and title) and by
// bureau and title (an item entered by hand).
type siteIndex struct {
	bySlug  map[string]string // slug -> site-relative path
	byTitle map[string]string // titleKey -> site-relative path
}

func titleKey(bureau, title string) string { return bureau + "\x00" + title }

func indexSite(ctx context.Context, fsys fs.FS, e *env, dir string) (*siteIndex, error) {
	idx := &siteIndex{bySlug: map[string]string{}, byTitle: map[string]string{}}
	paths, err := lint.Files(fsys)
	if err != nil {
		return nil, err
	}
	for _, p := range paths {
		idx.bySlug[strings.TrimSuffix(path.Base(p), ".md")] = p
	}
	s, err := site.Load(ctx, fsys, site.Options{Drafts: true, Future: true})
	var problems diag.Problems
	switch {
	case errors.As(err, &problems):
		if dir == "." || dir == "" {
			e.printf("warning: this site has errors (bulletin check lists them); items are recognised by file name only\n")
		} else {
			e.printf("warning: %s has errors (bulletin check lists them); items are recognised by file name only\n", dir)
		}
		return idx, nil
	case err != nil:
		return nil, err
	}
	for _, b := range s.Bulletins {
		idx.byTitle[titleKey(b.Bureau.Name, b.Title)] = b.Source
	}
	return idx, nil
}

// writeNew writes a file that must not exist yet.
func writeNew(name string, data []byte) error {
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		return err
	}
	return fsutil.WriteNew(name, data, 0o644)
}
