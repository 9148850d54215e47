package build

import (
	"encoding/binary"
	"io/fs"
	"slices"

	"bulletin/internal/feed"
	"bulletin/internal/site"
)

// A rebuild after an edit re-renders only what the edit changed. Every
// file of a build is recorded with a fingerprint of what it was made from;
// the next build computes the fingerprints again (cheap: no template runs)
// and renders only the files whose fingerprint differs.
//
//   - A page's fingerprint covers every field of its Page (bulletins by
//     their key, see bulletinKey) and what its template reads from the
//     site beyond the Page: the navigation, the home page's index boxes, a
//     terms page's whole taxonomy. Page and these functions change together.
//   - Everything shares the epoch: site.yaml's hash, the theme's files
//     and the navigation (the sections included), so that a change to
//     any of them renders everything again.
//   - A feed's fingerprint covers its channel and items.
//   - Files made by code that is cheap to run (sitemap, robots.txt,
//     assets, publishers' files) are made every time and fingerprinted by
//     their bytes; an attachment by its source's size and time.

// fingerprinter hashes a build's inputs; one per goroutine. The hash is
// the same in every process, so that a record of fingerprints can be kept
// from one build to the next (see Config.Record).
type fingerprinter struct {
	h    stableHash
	keys map[*site.Bulletin]uint64 // read-only while pages render
}

// stableHash is 64-bit FNV-1a: no seed, so the same in every process, and
// no allocation. A fingerprint only needs to change when its input does.
// It holds the state XOR the offset basis, so that the zero value is
// ready to use.
type stableHash uint64

const (
	fnvOffset = 14695981039346656037
	fnvPrime  = 1099511628211
)

func (h *stableHash) Reset() { *h = 0 }

func (h *stableHash) WriteString(s string) {
	x := uint64(*h) ^ fnvOffset
	for i := 0; i < len(s); i++ {
		x ^= uint64(s[i])
		x *= fnvPrime
	}
	*h = stableHash(x ^ fnvOffset)
}

func (h *stableHash) Write(b []byte) {
	x := uint64(*h) ^ fnvOffset
	for _, c := range b {
		x ^= uint64(c)
		x *= fnvPrime
	}
	*h = stableHash(x ^ fnvOffset)
}

func (h *stableHash) WriteByte(c byte) error {
	*h = stableHash(((uint64(*h)^fnvOffset)^uint64(c))*fnvPrime ^ fnvOffset)
	return nil
}

func (h *stableHash) Sum64() uint64 { return uint64(*h) ^ fnvOffset }

// hashBytes fingerprints a file by its bytes.
func hashBytes(data []byte) uint64 {
	var h stableHash
	h.Write(data)
	return h.Sum64()
}

func (f *fingerprinter) str(s string) {
	f.h.WriteString(s)
	f.h.WriteByte(0)
}

func (f *fingerprinter) num(n int64) {
	var b [8]byte
	binary.LittleEndian.PutUint64(b[:], uint64(n))
	f.h.Write(b[:])
}

func (f *fingerprinter) term(t *site.Term) {
	if t == nil {
		f.str("-")
		return
	}
	f.str(t.Kind)
	f.str(t.Name)
	f.str(t.Slug)
	f.str(t.URL)
	f.num(int64(len(t.Bulletins)))
}

// bulletin adds what a page shows of b. Its Hash stands for everything
// the bulletin's file and the links resolved in it decide (title, dates,
// body, summary, attachments); the rest comes from site.yaml, which the
// epoch covers, and from other bulletins: its URL and terms.
func (f *fingerprinter) bulletin(b *site.Bulletin) {
	if b == nil {
		f.num(0)
		return
	}
	f.num(int64(f.keys[b]))
}

// bulletinKey computes the key of b for bulletin.
func bulletinKey(b *site.Bulletin) uint64 {
	f := fingerprinter{}
	for _, s := range []string{b.Source, b.Slug, b.URL, b.Hash, b.Title} {
		f.str(s)
	}
	f.num(b.Date.UnixNano())
	f.num(b.Updated.UnixNano())
	for _, t := range []*site.Term{b.Bureau, b.Region, b.Category, b.Month} {
		f.termName(t)
	}
	f.num(int64(len(b.Tags)))
	for _, t := range b.Tags {
		f.termName(t)
	}
	return f.h.Sum64()
}

// termName adds a term as a bulletin's page names it: not its count, which
// changes with every bulletin added to it.
func (f *fingerprinter) termName(t *site.Term) {
	if t == nil {
		f.str("-")
		return
	}
	f.str(t.Name)
	f.str(t.URL)
}

// taxonomy adds a whole taxonomy as a terms page shows it: every term
// with its count and newest bulletin.
func (f *fingerprinter) taxonomy(tax *site.Taxonomy) {
	f.str(tax.Kind)
	f.str(tax.Title)
	f.str(tax.URL)
	f.num(int64(len(tax.Terms)))
	for _, t := range tax.Terms {
		f.term(t)
		if len(t.Bulletins) > 0 {
			f.bulletin(t.Bulletins[0])
		}
	}
}

// epoch is what every file depends on: site.yaml, the theme and the
// navigation, which lists the taxonomies that have terms.
func epoch(s *site.Site, sections []Section, theme fs.FS) (uint64, error) {
	f := fingerprinter{}
	f.str(s.Config.Hash)
	for _, tax := range s.Taxonomies() {
		f.str(tax.Kind)
		f.str(tax.Title)
		f.str(tax.URL)
		f.num(int64(min(len(tax.Terms), 1)))
	}
	// Sections are on every page (Page.Sections), and change seldom.
	f.num(int64(len(sections)))
	for _, sec := range sections {
		f.str(sec.Title)
		f.str(sec.URL)
		f.num(int64(sec.Count))
		f.num(int64(len(sec.Entries)))
		for _, e := range sec.Entries {
			f.str(e.Title)
			f.str(e.URL)
			f.num(e.Date.UnixNano())
		}
		for _, l := range sec.Feeds {
			f.str(l.Title)
			f.str(l.Type)
			f.str(l.URL)
			f.str(l.Page)
		}
	}
	err := fs.WalkDir(theme, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := fs.ReadFile(theme, p)
		if err != nil {
			return err
		}
		f.str(p)
		f.h.Write(data)
		f.str("")
		return nil
	})
	return f.h.Sum64(), err
}

// homeIndexTerms is how many terms of each taxonomy the home page's index
// boxes may show; more than it shows, so that a theme showing a few more
// still renders right.
const homeIndexTerms = 12

// homeIndex adds what the home page shows beside its listing: the first
// terms of each taxonomy, with counts.
func (f *fingerprinter) homeIndex(s *site.Site) {
	for _, tax := range s.Taxonomies() {
		f.str(tax.Kind)
		f.num(int64(len(tax.Terms)))
		for _, t := range tax.Terms[:min(len(tax.Terms), homeIndexTerms)] {
			f.term(t)
		}
	}
}

// page computes the fingerprint of p, rendered at file.
func (f *fingerprinter) page(epoch uint64, p *Page, file string) uint64 {
	f.h.Reset()
	f.num(int64(epoch))
	for _, s := range []string{file, p.Kind, p.Title, p.Column, p.URL, p.Description, p.Keywords} {
		f.str(s)
	}
	f.bulletin(p.Bulletin)
	for _, n := range []*site.Bulletin{p.Prev, p.Next} {
		if n == nil {
			f.str("-")
			continue
		}
		f.str(n.URL)
		f.str(n.Title)
	}
	if p.Taxonomy != nil {
		f.str(p.Taxonomy.Kind)
		f.str(p.Taxonomy.Title)
		f.str(p.Taxonomy.URL)
		if p.Kind == "terms" {
			f.taxonomy(p.Taxonomy)
		}
	}
	f.term(p.Term)
	f.num(int64(len(p.Items)))
	for _, b := range p.Items {
		f.bulletin(b)
	}
	if p.Pager != nil {
		f.num(int64(p.Pager.Number))
		f.num(int64(p.Pager.Total))
		f.str(p.Pager.PrevURL)
		f.str(p.Pager.NextURL)
	}
	for _, l := range p.Feeds {
		f.str(l.Title)
		f.str(l.Type)
		f.str(l.URL)
		f.str(l.Page)
	}
	if p.Kind == "home" && p.Site != nil {
		f.homeIndex(p.Site)
	}
	if subs, ok := p.Data.(*Subscriptions); ok {
		for _, g := range subs.Groups {
			f.str(g.Title)
			for _, c := range g.Channels {
				f.str(c.ID)
				f.str(c.Name)
				f.str(c.URL)
				f.num(int64(c.Count))
				for _, l := range c.Feeds {
					f.str(l.URL)
					f.str(l.Title)
				}
			}
		}
	}
	return f.h.Sum64()
}

// channel computes the fingerprint of a feed.
func (f *fingerprinter) channel(epoch uint64, c feed.Channel) uint64 {
	f.h.Reset()
	f.num(int64(epoch))
	f.str(c.Dir)
	f.str(c.Title)
	f.str(c.Description)
	f.num(int64(len(c.Items)))
	for _, b := range c.Items {
		f.bulletin(b)
	}
	return f.h.Sum64()
}

// fileRecord is what a build remembers of the files it made.
type fileRecord map[string]uint64 // site-relative path -> fingerprint

// stale lists the files of old that next does not have, in order.
func stale(old, next fileRecord) []string {
	var out []string
	for p := range old {
		if _, ok := next[p]; !ok {
			out = append(out, p)
		}
	}
	slices.Sort(out)
	return out
}
