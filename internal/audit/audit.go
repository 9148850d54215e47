package audit

import (
	"context"
	"io/fs"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/linkcheck"
	"bulletin/internal/site"
)

// Options are what Run needs besides the site.
type Options struct {
	// Output is the built site (build's output folder).
	Output fs.FS
	// Sources is the site folder: the bulletins' files, wording.yaml and
	// the record of first publications.
	Sources fs.FS
	// Links, when set, checks the external links of the built pages
	// with a checker of these options; nil leaves them unchecked.
	Links *linkcheck.Options
	// LinkProgress, when set, hears how many external links are checked
	// of how many, as they are: a first run on a large site takes minutes.
	LinkProgress func(done, total int)
	// SearchIndex says whether the site's search index exists: the
	// search page is answered by the search service from it.
	SearchIndex bool
}

// Check is one item of the inspection.
type Check struct {
	ID    string        // stable, for tools: home-updated, columns-updated, …
	Title *diag.Message // what is checked, for a person
	Veto  bool          // a veto item (单项否决); else a deduction or a finding
	Pass  bool
	// Summary is the result in one line: the figure measured against
	// the inspection's.
	Summary *diag.Message
	// Count is how many things the check found wrong (links, pages, …).
	Count    int
	Findings []Finding
}

// Finding is one thing to fix, where it is.
type Finding struct {
	Path string // site-relative file to change (content/…, site.yaml), or "" for a page alone
	Line int
	Page string // the page it shows on, site-relative URL, when there is one
	Msg  *diag.Message
	// Warn marks a finding that is for the editors only and does not
	// count against the site (a bureau that has not reported lately).
	Warn bool
}

// Report is the whole audit.
type Report struct {
	Now        time.Time
	Vetoes     []*Check
	Deductions []*Check
	Access     []*Check
}

// Failed lists the veto items that fail.
func (r *Report) Failed() []*Check {
	var out []*Check
	for _, c := range r.Vetoes {
		if !c.Pass {
			out = append(out, c)
		}
	}
	return out
}

// Problems counts the deductions and accessibility findings.
func (r *Report) Problems() int {
	n := 0
	for _, c := range append(append([]*Check{}, r.Deductions...), r.Access...) {
		n += c.Count
	}
	return n
}

// Run audits s as built in opt.Output.
func Run(ctx context.Context, s *site.Site, opt Options) (*Report, error) {
	pages, err := scan(ctx, opt.Output, s.Config.Base)
	if err != nil {
		return nil, err
	}
	r := &Report{Now: s.Now.In(s.Config.Location)} // read in the site's zone
	home := homeUpdated(s)
	columns := columnsUpdated(s)
	empty := emptyColumns(s, pages)
	wording, err := wordingErrors(ctx, s, opt.Sources)
	if err != nil {
		return nil, err
	}
	backdated, err := backdating(s, opt.Sources)
	if err != nil {
		return nil, err
	}
	r.Vetoes = []*Check{home, columns, empty, wording, backdated, undated(pages, len(s.Bulletins))}
	// A bulletin's page is fixed in its file.
	sources := map[string]string{}
	for _, b := range s.Bulletins {
		sources[b.URL] = b.Source
	}
	where := newLocator(opt.Sources, sources, s.Config.Base)
	links := internalLinks(pages, s.Config.Base, opt.Output, where)
	r.Deductions = []*Check{links}
	if opt.Links != nil {
		ext, err := externalLinks(ctx, pages, s.Config.Base, *opt.Links, opt.LinkProgress, where)
		if err != nil {
			return nil, err
		}
		r.Deductions = append(r.Deductions, ext)
	}
	r.Deductions = append(r.Deductions, identity(s, pages, opt.Output, sources, opt.SearchIndex)...)
	access, err := accessibility(ctx, s, opt.Sources)
	if err != nil {
		return nil, err
	}
	r.Access = access
	return r, nil
}

// message keeps a person's text as its format and arguments.
func message(format string, args ...any) *diag.Message {
	return diag.Errorf(format, args...).(*diag.Message)
}
