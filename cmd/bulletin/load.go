package main

import (
	"context"
	"errors"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/site"
)

// siteFlags are the flags of every command that loads a site.
type siteFlags struct {
	dir    string
	drafts bool
	future bool
	now    string
	quiet  bool
}

func (f *siteFlags) register(fs *flag.FlagSet) {
	f.registerSite(fs)
	fs.BoolVar(&f.drafts, "drafts", false, "publish bulletins marked draft: true")
	fs.BoolVar(&f.future, "future", false, "publish bulletins dated in the future")
	fs.StringVar(&f.now, "now", "", "build as if it were `TIME` (YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339), for reproducible builds")
}

// registerSite registers only -s and -q. It is the one registration of
// those two, so that every command spells them and their help alike;
// alone, it is for a command that does not choose what is published
// (check reads every bulletin, new and import write them).
func (f *siteFlags) registerSite(fs *flag.FlagSet) {
	fs.StringVar(&f.dir, "s", ".", "site `folder` (holding site.yaml and content/)")
	fs.BoolVar(&f.quiet, "q", false, "print only problems and results, such as the paths written")
}

// load reads and checks the site, printing its problems. It returns an
// exitError after printing when the site has errors. The site is lean
// (site.Options.Lean): a one-off command reads each body again where it
// needs it, so that its memory grows with the bulletins' metadata, not
// their text.
func (f *siteFlags) load(ctx context.Context, e *env, p *progress) (*site.Site, error) {
	s, _, err := f.loadWith(ctx, e, p, nil, false, true)
	return s, err
}

// loadCached is load keeping what it read in cache, when not nil, for
// the next load to reuse, and every body in memory: serve renders pages
// on request and shows search snippets from the texts. With partial, a site with errors is no failure:
// it returns what loaded (site.Options.Partial) and the problems.
func (f *siteFlags) loadCached(ctx context.Context, e *env, p *progress, cache *site.Cache, partial bool) (*site.Site, diag.Problems, error) {
	return f.loadWith(ctx, e, p, cache, partial, false)
}

func (f *siteFlags) loadWith(ctx context.Context, e *env, p *progress, cache *site.Cache, partial, lean bool) (*site.Site, diag.Problems, error) {
	opt, err := f.options()
	if err != nil {
		return nil, nil, err
	}
	opt.Lean = lean
	opt.Progress = p.stage(e.p, "loading")
	opt.Cache = cache
	opt.Partial = partial
	s, err := site.Load(ctx, os.DirFS(f.dir), opt)
	p.clear()
	var problems diag.Problems
	if errors.As(err, &problems) {
		printProblems(e, f.dir, problems)
		printErrorCount(e, f.dir, problems.Errors())
		if partial {
			return s, problems, nil
		}
		return nil, nil, exitError{1}
	}
	if err != nil {
		return nil, nil, err
	}
	printProblems(e, f.dir, s.Warnings)
	return s, nil, nil
}

// options are the load options the flags ask for.
func (f *siteFlags) options() (site.Options, error) {
	opt := site.Options{Drafts: f.drafts, Future: f.future}
	if f.now != "" {
		t, err := parseNow(f.now, siteLocation(f.dir))
		if err != nil {
			return opt, err
		}
		opt.Now = t
	}
	return opt, nil
}

// siteLocation is the time zone site.yaml names. When site.yaml cannot be
// read, the load that follows reports why and publishes nothing, so any
// zone will do.
func siteLocation(dir string) *time.Location {
	cfg, err := site.ReadConfig(os.DirFS(dir))
	if err != nil {
		return time.UTC
	}
	return cfg.Location
}

// parseNow reads -now or -date; a time without an offset is taken in loc,
// the site's zone, as the dates of bulletins are.
func parseNow(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range []string{time.RFC3339, "2006-01-02 15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	return time.Time{}, diag.Errorf("-now %q: use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339", s)
}

// printProblems prints problems with paths as the user can open them:
// relative to the current folder when the site is elsewhere.
func printProblems(e *env, dir string, ps diag.Problems) {
	if len(ps) > 0 {
		fmt.Fprintln(e.stderr, problemLines(e, dir, ps))
	}
}

// problemsExit prints the problems err holds, if any, and makes them exit
// status 1; another error is returned as it is.
func problemsExit(e *env, dir string, err error) error {
	var problems diag.Problems
	if errors.As(err, &problems) {
		printProblems(e, dir, problems)
		return exitError{1}
	}
	return err
}

// problemLines is the problems one a line, paths as printProblems gives them.
func problemLines(e *env, dir string, ps diag.Problems) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		if dir != "." && dir != "" {
			p.Path = filepath.ToSlash(filepath.Join(dir, p.Path))
		}
		lines[i] = p.Localize(e.p)
	}
	return strings.Join(lines, "\n")
}

// printErrorCount says how many errors stop the site in dir.
func printErrorCount(e *env, dir string, n int) {
	if dir == "." || dir == "" {
		e.printf("%s in this site\n", e.count(n, "%d error", "%d errors"))
	} else {
		e.printf("%s in %s\n", e.count(n, "%d error", "%d errors"), dir)
	}
}

// displayDir names the site in dir in a message: "this site" when it is
// the current folder, else the folder.
func displayDir(dir string) *diag.Message {
	if dir == "." || dir == "" {
		return &diag.Message{Format: "this site"}
	}
	return &diag.Message{Format: "%s", Args: []any{dir}}
}

// count is n things in the person's language: e.count(n, "%d error",
// "%d errors").
func (e *env) count(n int, one, many string) string {
	if n == 1 {
		return e.p.Sprintf(one, n)
	}
	return e.p.Sprintf(many, n)
}

// flagGiven reports whether the flag name was given on the command line,
// not left at its default: -format, when -o's extension may choose it.
func flagGiven(fs *flag.FlagSet, name string) bool {
	given := false
	fs.Visit(func(f *flag.Flag) { given = given || f.Name == name })
	return given
}
