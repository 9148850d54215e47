package site

import (
	"encoding/gob"
	"io"
	"time"

	"bulletin/internal/diag"
)

// A Cache can be kept in a file from one process to the next, so that a
// one-off build after an edit reads and renders only what the edit
// touched, as serve does. The file holds what a lean load keeps of every
// file (its size, time and hash, the front matter, the outcome of its
// links, what listings show), never a body. Files with problems are left
// out, so that the next load reads them and reports their problems again.

// cacheFormat changes whenever the file's layout or the meaning of what it
// holds does; a file of another format is not read.
const cacheFormat = "bulletin-site-cache-1"

// Save writes c to w, under key: ReadCache takes it back only with the same
// key, which names what else the entries depend on (the program's
// version). Only a cache of lean loads (Options.Lean) can be saved: the
// file is to hold no bodies.
func (c *Cache) Save(w io.Writer, key string) error {
	c.mu.Lock()
	defer c.mu.Unlock()
	// A header, then the entries one by one: gob encodes each value
	// whole in memory, and one value of every entry was most of the
	// time a build after an edit took.
	enc := gob.NewEncoder(w)
	err := enc.Encode(&savedCache{Format: cacheFormat, Key: key, ConfigHash: c.configHash, Slugs: c.slugs, Paths: c.paths, Files: len(c.files)})
	if err != nil {
		return err
	}
	for p, e := range c.files {
		if len(e.problems) > 0 || e.fm == nil {
			continue
		}
		se := savedEntry{Path: p, Size: e.size, ModTime: e.modTime, Hash: e.hash, Slug: e.slug,
			BodyStart: e.bodyStart, BodyLine: e.bodyLine, FM: saveFrontMatter(e.fm)}
		if r := e.rendered; r != nil {
			if len(r.problems) > 0 {
				continue
			}
			if r.b.Body != "" || r.b.Text != "" {
				return diag.Errorf("a cache holding bodies cannot be saved: load with Options.Lean")
			}
			b := r.b
			se.Rendered = &savedRendering{
				Title: b.Title, Date: saveTime(b.Date), Updated: saveTime(b.Updated), Draft: b.Draft,
				Reporting: b.Reporting, Relay: b.Relay, Summary: b.Summary, Attribution: b.Attribution,
				HanChars: b.HanChars, ReadingMinutes: b.ReadingMinutes, Hash: b.Hash, Attachments: b.Attachments,
			}
			for _, l := range r.links {
				se.Rendered.Links = append(se.Rendered.Links, savedLink{Dest: l.dest, Image: l.image, Got: l.got, Err: l.err})
			}
		}
		if err := enc.Encode(&se); err != nil {
			return err
		}
	}
	// The end, so that a file cut short is not taken for a whole one.
	return enc.Encode(&savedEntry{})
}

// ReadCache reads a cache that Save wrote with the same key. loc is the
// time zone of the site's site.yaml: dates kept in the site's zone are
// given it back. A cache that cannot be read, or was saved under another
// key or format, is an error; the caller then starts from an empty one.
func ReadCache(r io.Reader, key string, loc *time.Location) (*Cache, error) {
	dec := gob.NewDecoder(r)
	var sc savedCache
	if err := dec.Decode(&sc); err != nil {
		return nil, err
	}
	if sc.Format != cacheFormat || sc.Key != key {
		return nil, diag.Errorf("the cache was made by another version")
	}
	c := &Cache{configHash: sc.ConfigHash, slugs: sc.Slugs, paths: sc.Paths, files: make(map[string]*cacheEntry, sc.Files)}
	for {
		var se savedEntry
		if err := dec.Decode(&se); err != nil {
			return nil, err
		}
		if se.Path == "" {
			break
		}
		e := &cacheEntry{size: se.Size, modTime: se.ModTime, hash: se.Hash, slug: se.Slug,
			bodyStart: se.BodyStart, bodyLine: se.BodyLine, fm: se.FM.frontMatter(loc)}
		if sr := se.Rendered; sr != nil {
			e.rendered = &rendering{b: &Bulletin{
				Title: sr.Title, Date: sr.Date.time(loc), Updated: sr.Updated.time(loc), Draft: sr.Draft,
				Reporting: sr.Reporting, Relay: sr.Relay, Summary: sr.Summary, Attribution: sr.Attribution,
				HanChars: sr.HanChars, ReadingMinutes: sr.ReadingMinutes, Hash: sr.Hash, Attachments: sr.Attachments,
			}}
			for _, l := range sr.Links {
				e.rendered.links = append(e.rendered.links, linkCall{dest: l.Dest, image: l.Image, got: l.Got, err: l.Err})
			}
		}
		c.files[se.Path] = e
	}
	return c, nil
}

type savedCache struct {
	Format, Key, ConfigHash string
	Files                   int // entries, at most: a capacity
	Slugs                   map[string]string
	Paths                   []string
}

type savedEntry struct {
	Path       string
	Size       int64
	ModTime    time.Time
	Hash, Slug string
	BodyStart  int
	BodyLine   int
	FM         *savedFrontMatter
	Rendered   *savedRendering
}

type savedFrontMatter struct {
	Title, Bureau, Region, Category, Summary, Slug string
	Tags                                           []string
	Date, Updated                                  savedTime
	Draft, Relay                                   bool
	Reporting                                      Reporting
	Lines                                          [8]int
}

func saveFrontMatter(fm *frontMatter) *savedFrontMatter {
	return &savedFrontMatter{
		Title: fm.Title, Bureau: fm.Bureau, Region: fm.Region, Category: fm.Category, Summary: fm.Summary, Slug: fm.Slug,
		Tags: fm.Tags, Date: saveTime(fm.Date), Updated: saveTime(fm.Updated), Draft: fm.Draft, Relay: fm.Relay,
		Reporting: fm.Reporting,
		Lines:     [8]int{fm.titleLine, fm.bureauLine, fm.regionLine, fm.categoryLine, fm.slugLine, fm.dateLine, fm.updatedLine, fm.summaryLine},
	}
}

func (s *savedFrontMatter) frontMatter(loc *time.Location) *frontMatter {
	fm := &frontMatter{
		Title: s.Title, Bureau: s.Bureau, Region: s.Region, Category: s.Category, Summary: s.Summary, Slug: s.Slug,
		Tags: s.Tags, Date: s.Date.time(loc), Updated: s.Updated.time(loc), Draft: s.Draft, Relay: s.Relay,
		Reporting: s.Reporting,
	}
	l := s.Lines
	fm.titleLine, fm.bureauLine, fm.regionLine, fm.categoryLine, fm.slugLine, fm.dateLine, fm.updatedLine, fm.summaryLine =
		l[0], l[1], l[2], l[3], l[4], l[5], l[6], l[7]
	return fm
}

type savedRendering struct {
	Title                string
	Date, Updated        savedTime
	Draft, Relay         bool
	Reporting            Reporting
	Summary, Attribution string
	HanChars             int32
	ReadingMinutes       int32
	Hash                 string
	Attachments          []Attachment
	Links                []savedLink
}

type savedLink struct {
	Dest  string
	Image bool
	Got   string
	Err   string
}

// savedTime keeps a time with its zone as the loader made it: in the
// site's zone (Zone names it), or at a fixed offset the front matter gave
// (Zone is ""), or zero. Encoding a time.Time keeps only its offset, and a
// date shown in another zone is a different page.
type savedTime struct {
	Unix   int64
	Nanos  int32
	Offset int32
	Zone   string
	Zero   bool
}

func saveTime(t time.Time) savedTime {
	if t.IsZero() {
		return savedTime{Zero: true}
	}
	name, off := t.Zone()
	if t.Location() == time.UTC {
		name = "UTC"
	}
	return savedTime{Unix: t.Unix(), Nanos: int32(t.Nanosecond()), Offset: int32(off), Zone: name}
}

func (s savedTime) time(loc *time.Location) time.Time {
	if s.Zero {
		return time.Time{}
	}
	t := time.Unix(s.Unix, int64(s.Nanos))
	switch {
	case s.Zone == "UTC" && s.Offset == 0:
		return t.UTC()
	case s.Zone == "":
		return t.In(time.FixedZone("", int(s.Offset)))
	}
	return t.In(loc)
}
