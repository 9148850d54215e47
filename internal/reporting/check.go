package reporting

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path"
	"strings"
	"testing/fstest"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/lint"
	"bulletin/internal/site"
)

// Path is where the item's bulletin goes in the site:
// content/<bureau slug>/<year>/<slug>.md, as bulletin import and new
// write.
func (d *draft) path() string { return d.item.Path() }

// files are the files accepting the item writes, by site-relative path:
// the bulletin, its images beside it (named after it, so that two
// reports' image1.png never meet) and the report as it came.
func (d *draft) files() map[string][]byte {
	p := d.path()
	dir, slug := path.Dir(p), strings.TrimSuffix(path.Base(p), ".md")
	it := d.item
	if len(d.images) > 0 {
		var pairs []string
		for _, img := range d.images {
			pairs = append(pairs, "]("+img.Name+")", "]("+slug+"-"+img.Name+")")
		}
		it.Body = strings.NewReplacer(pairs...).Replace(it.Body)
	}
	out := map[string][]byte{p: it.Markdown()}
	for _, img := range d.images {
		out[path.Join(dir, slug+"-"+img.Name)] = img.Data
	}
	return out
}

// originalPath is where the report as it came is kept: beside the
// bulletin, named after it (西宁-1a2b3c4d-原稿.docx). It is not linked,
// so the site does not publish it: a 报送单 carries phone numbers and the
// signer. A Markdown report is kept as .txt, which the site would
// otherwise take for a second bulletin.
func (d *draft) originalPath(ext string) string {
	if ext == ".md" {
		ext = ".txt"
	}
	return strings.TrimSuffix(d.path(), ".md") + "-原稿" + ext
}

// check finds what bulletin check would say of each item's bulletin: the
// site is loaded with the drafts laid over it, so that links, slugs and
// the registry are checked as they will be, and the wording rules run on
// each draft.
func check(ctx context.Context, opt ScanOptions, items []*Item) error {
	top := fstest.MapFS{}
	owner := map[string]*Item{}
	base := os.DirFS(opt.Dir)
	for _, it := range items {
		if it.draft == nil {
			continue
		}
		p := it.draft.path()
		if other, ok := owner[p]; ok {
			it.Problems = append(it.Problems, diag.At(it.File, 0, diag.Error, "is the same report as %s (same bureau and title); review one of them", other.File))
			continue
		}
		if _, err := fs.Stat(base, p); err == nil {
			it.Problems = append(it.Problems, diag.At(it.File, 0, diag.Error, "is already published as %s; decline it, or change the title if it is a new report", p))
			continue
		}
		owner[p] = it
		for name, data := range it.draft.files() {
			top[name] = &fstest.MapFile{Data: data, Mode: 0o644, ModTime: it.Received}
		}
	}
	if len(owner) == 0 {
		return nil
	}
	fsys := fsutil.Overlay(top, base)
	rules, _, err := lint.ReadRules(fsys)
	if err != nil {
		return err
	}
	linter := lint.New(rules)
	for p, it := range owner {
		// A bureau's Markdown is checked as written, so that the lines
		// are its own; a Word report as the bulletin it becomes.
		if it.draft.markdown {
			for _, h := range linter.File(it.File, it.draft.src) {
				it.Problems = append(it.Problems, h.Problem())
			}
			continue
		}
		for _, h := range linter.File(p, top[p].Data) {
			it.Problems = append(it.Problems, problemOf(it, h.Problem()))
		}
	}
	s, err := site.Load(ctx, fsys, site.Options{Drafts: true, Future: true, Now: opt.Now, Partial: true})
	var problems diag.Problems
	switch {
	case err == nil:
		problems = s.Warnings // a load with no error still warns
	case !errors.As(err, &problems):
		return err
	}
	for _, pr := range problems {
		it, ok := owner[pr.Path]
		if !ok {
			continue
		}
		// A Word report has no bureau: line; say where it can name one.
		if !it.draft.markdown && pr.Text != nil && pr.Text.Format == site.BureauMissing {
			pr = diag.At(it.File, 0, diag.Error, "names no bureau: put it in its bureau's folder of the inbox (inbox/西宁市民政局/), or fill in 报送单位 in its 报送单")
		}
		it.Problems = append(it.Problems, problemOf(it, pr))
	}
	for _, it := range owner {
		diag.Sort(it.Problems)
	}
	return nil
}

// problemOf names the inbox file in a problem of its draft. The line is
// the draft's, whose front matter is written anew, so it is left out.
func problemOf(it *Item, p diag.Problem) diag.Problem {
	p.Path = it.File
	p.Line = 0
	return p
}

// Summary is one line about the item for a listing.
func (it *Item) Summary() *diag.Message {
	switch {
	case it.Err != "":
		return message("cannot be read: %v", it.ErrText)
	case len(it.Problems) == 1:
		return message("%d problem", len(it.Problems))
	case len(it.Problems) > 1:
		return message("%d problems", len(it.Problems))
	}
	return message("ready")
}

// message is text for a person, kept as its English format and arguments
// so that it can be read in another language.
func message(format string, args ...any) *diag.Message {
	return diag.Errorf(format, args...).(*diag.Message)
}
