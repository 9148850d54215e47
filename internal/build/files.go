package build

import (
	"bytes"
	"context"
	"encoding/xml"
	"fmt"
	"io/fs"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/site"
)

// attachments copies the files bulletins link to into their URL folders.
// A file is known by its size and modification time, so that an
// incremental build reads only the attachments that changed. A file that
// several bulletins link is written once and hard-linked into the other
// folders: the output grows with the attachments, not with the links to
// them.
func (w *writer) attachments(ctx context.Context, s *site.Site, sources fs.FS) error {
	type job struct {
		src  string
		dsts []string
	}
	var jobs []job
	bySource := map[string]int{}
	for _, b := range s.Bulletins {
		for _, a := range b.Attachments {
			i, ok := bySource[a.Source]
			if !ok {
				i = len(jobs)
				bySource[a.Source] = i
				jobs = append(jobs, job{src: a.Source})
			}
			jobs[i].dsts = append(jobs[i].dsts, b.URL+a.Name)
		}
	}
	return forEach(ctx, jobs, nil, func(_ *bytes.Buffer, j job) error {
		info, err := fs.Stat(sources, j.src)
		if err != nil {
			return diag.Errorf("copying attachment: %w", err)
		}
		var data []byte
		read := func() error {
			if data == nil {
				data, err = fs.ReadFile(sources, j.src)
				if err != nil {
					return diag.Errorf("copying attachment: %w", err)
				}
			}
			return nil
		}
		if info.ModTime().IsZero() {
			// No time to go by (an in-memory file system): by content.
			if err := read(); err != nil {
				return err
			}
			for _, dst := range j.dsts {
				if err := w.write(dst, data); err != nil {
					return err
				}
			}
			return nil
		}
		fp := fingerprinter{}
		fp.str(j.src)
		fp.num(info.Size())
		fp.num(info.ModTime().UnixNano())
		written := "" // a copy of this build's version, to link to
		for _, dst := range j.dsts {
			if !w.keep(dst, fp.h.Sum64()) {
				if written == "" {
					written = dst
				}
				continue
			}
			if written != "" && w.link(written, dst) == nil {
				continue
			}
			// No copy yet, or a file system without hard links.
			if err := read(); err != nil {
				return err
			}
			if err := w.put(dst, data); err != nil {
				return err
			}
			written = dst
		}
		return nil
	})
}

// assets copies the theme's assets/ to /assets/.
func (w *writer) assets(theme fs.FS) error {
	return fs.WalkDir(theme, "assets", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(theme, p)
		if err != nil {
			return err
		}
		return w.write("/"+p, data)
	})
}

// sitemapLimit is the protocol's limit of URLs per sitemap file.
const sitemapLimit = 50000

type sitemapURL struct {
	Loc     string `xml:"loc"`
	LastMod string `xml:"lastmod,omitempty"`
}

// sitemap lists every bulletin, the first page of every listing, the
// subscribe page and the pages of the sections, with absolute URLs; a large site gets a sitemap
// index over several files.
func (w *writer) sitemap(s *site.Site, sections []Section) error {
	abs := s.Config.Base.Abs
	lastmod := func(bs []*site.Bulletin) string {
		var t time.Time
		for _, b := range bs {
			if b.Updated.After(t) {
				t = b.Updated
			}
		}
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	urls := []sitemapURL{{Loc: abs("/"), LastMod: lastmod(s.Bulletins)}, {Loc: abs(SubscribeURL)}}
	for _, b := range s.Bulletins {
		urls = append(urls, sitemapURL{Loc: abs(b.URL), LastMod: b.Updated.Format(time.RFC3339)})
	}
	for _, tax := range s.Taxonomies() {
		urls = append(urls, sitemapURL{Loc: abs(tax.URL)})
		for _, t := range tax.Terms {
			urls = append(urls, sitemapURL{Loc: abs(t.URL), LastMod: lastmod(t.Bulletins)})
		}
	}
	date := func(t time.Time) string {
		if t.IsZero() {
			return ""
		}
		return t.Format(time.RFC3339)
	}
	for _, sec := range sections {
		var newest time.Time
		for _, e := range sec.Entries {
			if e.Date.After(newest) {
				newest = e.Date
			}
		}
		urls = append(urls, sitemapURL{Loc: abs(sec.URL), LastMod: date(newest)})
		for _, e := range sec.Entries {
			urls = append(urls, sitemapURL{Loc: abs(e.URL), LastMod: date(e.Date)})
		}
	}
	// Encoding the XML costs more than hashing what goes in it.
	fp := fingerprinter{}
	for _, u := range urls {
		fp.str(u.Loc)
		fp.str(u.LastMod)
	}
	names := sitemapNames(len(urls), sitemapLimit)
	changed := false
	for _, name := range names {
		changed = w.keep(name, fp.h.Sum64()) || changed
	}
	if !changed {
		return nil
	}
	return writeSitemaps(urls, names, sitemapLimit, abs, w.put)
}

// sitemapNames are the files of a sitemap of n URLs, at most limit to a
// file: sitemap.xml alone, or sitemap.xml as the index of sitemap-1.xml,
// sitemap-2.xml...
func sitemapNames(n, limit int) []string {
	names := []string{"/sitemap.xml"}
	if n > limit {
		for i := 0; i*limit < n; i++ {
			names = append(names, fmt.Sprintf("/sitemap-%d.xml", i+1))
		}
	}
	return names
}

// writeSitemaps writes urls as the files names (see sitemapNames) with
// put. Each file of an index is dated by the newest of its URLs, so a
// crawler reads again only the files that changed.
func writeSitemaps(urls []sitemapURL, names []string, limit int, abs func(string) string, put func(string, []byte) error) error {
	if len(names) == 1 {
		return writeXML(put, "/sitemap.xml", "urlset", urls)
	}
	var index []sitemapURL
	for i, name := range names[1:] {
		part := urls[i*limit : min((i+1)*limit, len(urls))]
		if err := writeXML(put, name, "urlset", part); err != nil {
			return err
		}
		var newest time.Time
		lastmod := ""
		for _, u := range part {
			if t, err := time.Parse(time.RFC3339, u.LastMod); err == nil && t.After(newest) {
				newest, lastmod = t, u.LastMod
			}
		}
		index = append(index, sitemapURL{Loc: abs(name), LastMod: lastmod})
	}
	return writeXML(put, "/sitemap.xml", "sitemapindex", index)
}

func writeXML(put func(string, []byte) error, name, root string, urls []sitemapURL) error {
	var buf bytes.Buffer
	buf.WriteString(xml.Header)
	fmt.Fprintf(&buf, "<%s xmlns=\"http://www.sitemaps.org/schemas/sitemap/0.9\">\n", root)
	elem := "url"
	if root == "sitemapindex" {
		elem = "sitemap"
	}
	enc := xml.NewEncoder(&buf)
	enc.Indent("  ", "  ")
	for _, u := range urls {
		if err := enc.EncodeElement(u, xml.StartElement{Name: xml.Name{Local: elem}}); err != nil {
			return err
		}
	}
	if err := enc.Flush(); err != nil {
		return err
	}
	fmt.Fprintf(&buf, "\n</%s>\n", root)
	return put(name, buf.Bytes())
}

func (w *writer) robots(s *site.Site) error {
	abs := s.Config.Base.Abs
	var b strings.Builder
	b.WriteString("User-agent: *\nAllow: /\n\nSitemap: " + abs("/sitemap.xml") + "\n")
	return w.write("/robots.txt", []byte(b.String()))
}
