package audit

import (
	"context"
	"errors"
	"io/fs"
	"maps"
	"net/url"
	"slices"
	"strings"

	"bulletin/internal/diag"
	"bulletin/internal/linkcheck"
	"bulletin/internal/site"
)

// exists reports whether the site path p is a file of out: a folder's
// index.html for a path ending in "/" or naming a folder.
type exists func(p string) (file string, ok bool)

func fileSet(out fs.FS) exists {
	seen := map[string]bool{}
	stat := func(name string) bool {
		ok, known := seen[name]
		if !known {
			info, err := fs.Stat(out, name)
			ok = err == nil && !info.IsDir()
			seen[name] = ok
		}
		return ok
	}
	return func(p string) (string, bool) {
		name := strings.TrimPrefix(p, "/")
		if name == "" || strings.HasSuffix(name, "/") {
			name += "index.html"
			return name, fs.ValidPath(name) && stat(name)
		}
		if !fs.ValidPath(name) {
			return name, false
		}
		if stat(name) {
			return name, true
		}
		return name + "/index.html", stat(name + "/index.html")
	}
}

// internalLinks: every link, anchor and attachment of a built page leads
// to a file of the site (and to an element with that id); the home page
// is counted apart from the others, as the inspection counts.
func internalLinks(pages map[string]*page, base site.Base, out fs.FS, where *locator) *Check {
	c := &Check{ID: "links", Title: message("Links within the site work")}
	have := fileSet(out)
	var list gathered
	home, other := 0, 0
	for _, u := range slices.Sorted(maps.Keys(pages)) {
		pg := pages[u]
		seen := map[string]bool{}
		for _, l := range pg.links {
			href := strings.TrimSpace(l.href)
			if href == "" || href == "#" || seen[href] {
				continue
			}
			seen[href] = true
			p, frag, internal, ok := target(pg, href, base)
			if !internal || ok && servedBySearch(p) {
				continue
			}
			var why *diag.Message
			switch {
			case !ok:
				why = message("%s leads outside the site's address", href)
			default:
				file, found := have(p)
				switch {
				case !found:
					why = message("%s: no such page or file in the built site", href)
				case frag != "" && strings.HasSuffix(file, ".html"):
					key := "/" + strings.TrimSuffix(file, "index.html")
					if t := pages[key]; t != nil && !t.ids[frag] {
						why = message("%s: the page has no anchor #%s", href, frag)
					} else if t == nil {
						if t := pages["/"+file]; t != nil && !t.ids[frag] {
							why = message("%s: the page has no anchor #%s", href, frag)
						}
					}
				}
			}
			if why == nil {
				continue
			}
			if u == "/" {
				home++
			} else {
				other++
			}
			list.add(where.of(u, href, l.line, why), href)
		}
	}
	c.Findings = list.done()
	c.Count = home + other
	c.Pass = c.Count == 0
	c.Summary = message("broken: %d on the home page, %d on other pages", home, other)
	return c
}

// externalLinks checks the links to other sites with checker: broken,
// timed out, failing, and moved to another domain (a lapsed government
// domain sold on), counted on the home page apart.
func externalLinks(ctx context.Context, pages map[string]*page, base site.Base, lo linkcheck.Options, progress func(done, total int), where *locator) (*Check, error) {
	c := &Check{ID: "external-links", Title: message("Links to other sites work")}
	on := map[string][]string{} // URL: the pages that link to it
	for _, u := range slices.Sorted(maps.Keys(pages)) {
		pg := pages[u]
		for _, l := range pg.links {
			lu, err := url.Parse(strings.TrimSpace(l.href))
			if err != nil || lu.Host == "" || lu.Scheme != "" && lu.Scheme != "http" && lu.Scheme != "https" {
				continue
			}
			if lu.Scheme == "" { // //host/path: the site's own scheme
				lu.Scheme = base.Scheme()
			}
			if _, _, internal, _ := target(pg, lu.String(), base); internal {
				continue
			}
			lu.Fragment, lu.RawFragment = "", ""
			href := lu.String()
			// Pages come in order: a page already listed is the last.
			if ps := on[href]; len(ps) == 0 || ps[len(ps)-1] != u {
				on[href] = append(ps, u)
			}
		}
	}
	urls := slices.Sorted(maps.Keys(on))
	if progress != nil {
		done, given := 0, lo.Progress
		lo.Progress = func(r linkcheck.Result) {
			if given != nil {
				given(r)
			}
			done++ // one call at a time, each link once
			progress(done, len(urls))
		}
	}
	results, err := linkcheck.New(lo).Check(ctx, urls)
	if err != nil && !errors.Is(err, context.Canceled) && ctx.Err() == nil {
		// The cache file could not be written: the results stand.
		c.Findings = append(c.Findings, Finding{Msg: message("the link cache was not written: %v", err), Warn: true})
	} else if err != nil {
		return nil, err
	}
	home, other, moved := 0, 0, 0
	var list gathered
	for _, r := range results {
		if !r.Status.Bad() {
			// Notes only: an address inside the office's network, not
			// asked for, and a redirect within the site to link past.
			var note *diag.Message
			switch r.Status {
			case linkcheck.Skipped:
				note = message("%s: %v", r.URL, r.Reason)
			case linkcheck.Redirected:
				note = message("%s now redirects to %s; link there directly", r.URL, r.Final)
			}
			for _, u := range on[r.URL] {
				if note == nil {
					break
				}
				f := where.of(u, r.URL, 0, note)
				f.Warn = true
				list.add(f, r.URL)
			}
			continue
		}
		if r.Status == linkcheck.Moved {
			moved++
		}
		for _, u := range on[r.URL] {
			if u == "/" {
				home++
			} else {
				other++
			}
			list.add(where.of(u, r.URL, 0, message("%s: %v", r.URL, r.Reason)), r.URL)
		}
	}
	c.Findings = append(c.Findings, list.done()...)
	c.Count = home + other
	c.Pass = c.Count == 0
	c.Summary = message("external links checked: %d; broken: %d on the home page, %d on other pages; moved to another domain: %d", len(urls), home, other, moved)
	return c, nil
}

// servedBySearch reports whether the site path p is answered by the
// search service, not by a built file.
func servedBySearch(p string) bool {
	return p == "/search" || p == "/search/" || strings.HasPrefix(p, "/api/")
}

// locator points a finding on a built page at what to change: the line
// of the bulletin's Markdown that holds the link, or, for a link the
// theme wrote (the footer's, the navigation's), the page and its line.
type locator struct {
	sources fs.FS
	bySite  map[string]string // page: its bulletin's source
	base    site.Base
	read    map[string]lines
	located map[string]int // findings looked for, by source
}

func newLocator(sources fs.FS, bySite map[string]string, base site.Base) *locator {
	return &locator{sources: sources, bySite: bySite, base: base, read: map[string]lines{}, located: map[string]int{}}
}

func (w *locator) of(page, href string, pageLine int, m *diag.Message) Finding {
	f := Finding{Page: page, Line: pageLine, Msg: m}
	src, ok := w.bySite[page]
	if !ok || w.sources == nil {
		return f
	}
	// Each finding is looked for by a scan of the file: past a few dozen
	// in one bulletin the rest point at the page, so the work stays linear.
	if w.located[src]++; w.located[src] > maxLocated {
		return f
	}
	ls, ok := w.read[src]
	if !ok {
		ls = sourceLines(w.sources, src)
		w.read[src] = ls
	}
	// As written in the Markdown: the link itself, without the base path
	// the build put in front of it, or its #anchor as typed.
	keys := []string{href, "/" + strings.TrimPrefix(href, w.base.Path())}
	if u, err := url.Parse(href); err == nil && u.Fragment != "" {
		keys = append(keys, "#"+u.Fragment)
	}
	for _, key := range keys {
		for _, written := range []string{"(" + key + ")", "(" + key + " ", "<" + key + ">"} {
			if n := ls.index(written); n > 0 {
				f.Path, f.Line = src, n
				return f
			}
		}
	}
	for _, key := range keys {
		if n := ls.index(key + ")"); n > 0 {
			f.Path, f.Line = src, n
			return f
		}
	}
	return f
}

// gathered collects a check's findings about links: a link a bulletin
// wrote is listed at its line each time; one the theme wrote, the same on
// every page (the footer's filing links when offline), is listed once
// with the number of pages it is on, so that it does not bury the rest.
type gathered struct {
	list   []Finding
	shared map[string]int // a theme link: its finding's index in list
	pages  []int          // pages a finding stands for, by index in list
}

func (g *gathered) add(f Finding, key string) {
	if f.Path == "" {
		if i, ok := g.shared[key]; ok {
			g.pages[i]++
			return
		}
		if g.shared == nil {
			g.shared = map[string]int{}
		}
		g.shared[key] = len(g.list)
	}
	g.list = append(g.list, f)
	g.pages = append(g.pages, 1)
}

func (g *gathered) done() []Finding {
	for i, n := range g.pages {
		if n > 1 {
			g.list[i].Msg = message("%v (on %d pages, the first of them here)", g.list[i].Msg, n)
		}
	}
	return g.list
}
