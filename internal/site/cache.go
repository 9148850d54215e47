package site

import (
	"crypto/sha256"
	"encoding/hex"
	"fmt"
	"io/fs"
	"slices"
	"sync"
	"time"

	"bulletin/internal/diag"
)

// Cache carries what one Load learned about a site's files to the next
// Load of the same site, so that a reload after an edit reads and renders
// only what the edit touched. It is for a long-running process such as
// bulletin serve; one-off builds do not need it.
//
// A Cache belongs to one site folder and is changed by every Load given it
// in Options.Cache. Loads that share a Cache run one after another: a
// second Load waits until the first returns, and so does Stats. What a Load
// returned is never changed by later loads, so readers can keep using an
// old *Site while a new one is loaded.
//
// A file counts as unchanged while its size and modification time stay the
// same, as for make; an edit that keeps both is missed until the next one.
// When the file system reports no modification time (fstest.MapFS without
// ModTime) every file is read and its content compared instead. An
// unchanged file is still rendered again when one of its links resolves
// differently (the target's slug changed, an attachment is gone). Any
// change to site.yaml drops everything, since the configuration decides how
// bulletins are parsed (time zone, bureau registry).
type Cache struct {
	mu         sync.Mutex
	configHash string                 // Config.Hash the entries were made under
	files      map[string]*cacheEntry // by source path
	slugs      map[string]string      // termSlug by name, from the last load
	// paths are the bulletin files of the last load in listing order; nil
	// when its listing found problems, which a new listing must report.
	paths []string
	stats CacheStats
}

// CacheStats describes the last Load made with a Cache that got as far as
// reading the bulletins (one that returned a site or diag.Problems).
type CacheStats struct {
	Files    int // bulletin files found
	Read     int // files read from disk this time: new, changed, or needed again to render
	Rendered int // files whose Markdown was rendered this time
}

// NewCache returns an empty cache; the first Load with it reads everything.
func NewCache() *Cache {
	return &Cache{}
}

// Stats describes the last load made with c.
func (c *Cache) Stats() CacheStats {
	c.mu.Lock()
	defer c.mu.Unlock()
	return c.stats
}

// cacheEntry is what a load knew about one bulletin file. It is not
// changed once stored; a load that reuses it stores a copy.
type cacheEntry struct {
	size    int64
	modTime time.Time // zero when the file system gives none
	hash    string    // of the file's bytes

	fm        *frontMatter // nil when the front matter could not be read; read-only
	slug      string       // as draft.slug
	bodyStart int          // offset of the body in the normalised source
	bodyLine  int
	problems  []diag.Problem // found while reading, before URLs are assigned

	// rendered is nil until the body has rendered without an internal
	// failure or timeout (those are retried on the next load).
	rendered *rendering
}

// unchanged reports whether info describes the file e was made from,
// as far as the file's size and modification time can tell.
func (e *cacheEntry) unchanged(info fs.FileInfo) bool {
	return !info.ModTime().IsZero() && info.ModTime().Equal(e.modTime) && info.Size() == e.size
}

// rendering is the result of rendering one bulletin's body.
type rendering struct {
	// b is the bulletin of the load that rendered it (or one made from
	// the cache's file), of which only the fields render sets are read
	// (see reuse): the load fills in the listings afterwards. A copy was
	// a sixth of what a large site's load held.
	b        *Bulletin
	problems []diag.Problem // the ones render added
	// links records every link resolution made while rendering, in order.
	// The same body renders to the same result exactly when resolving
	// these again gives the same answers and the same attachments.
	links []linkCall
}

// linkCall is one call of linkResolver.resolve and its outcome.
type linkCall struct {
	dest  string
	image bool
	got   string
	err   string // the error's text, "" when none
}

// bulletinHash identifies a bulletin as loaded: the file's hash, combined
// with the outcome of every link resolved in it when it has links, since a
// link's target can change (another bulletin's slug, a deleted attachment)
// while the file stays the same.
func bulletinHash(fileHash string, links []linkCall) string {
	if len(links) == 0 {
		return fileHash
	}
	h := sha256.New()
	h.Write([]byte(fileHash))
	for _, c := range links {
		// Field separators keep ("ab", "c") apart from ("a", "bc").
		fmt.Fprintf(h, "\x00%s\x00%t\x00%s\x00%s", c.dest, c.image, c.got, c.err)
	}
	return hex.EncodeToString(h.Sum(nil)[:16])
}

// replay resolves r's recorded links again against this load's bulletins
// and files, and reports whether every outcome is what it was.
func (l *loader) replay(d *draft, r *rendering, byPath map[string]*draft) bool {
	if len(r.links) == 0 {
		return true
	}
	links := &linkResolver{fsys: l.fsys, from: d.sink.Path, slug: slugOf(byPath)}
	for _, c := range r.links {
		got, err := links.lookup(c.dest, c.image)
		if got.URL != c.got || errText(err) != c.err {
			return false
		}
	}
	return slices.Equal(links.attachments, r.b.Attachments)
}

func errText(err error) string {
	if err == nil {
		return ""
	}
	return err.Error()
}

// reuse fills in a bulletin from an earlier rendering: the fields render
// sets, one by one. The Bulletin is new, as the one the earlier Site holds
// may still be read. It is not overwritten whole: other bulletins' links
// read its Slug meanwhile.
func (d *draft) reuse(r *rendering) {
	b := d.b
	b.Title, b.Date, b.Updated, b.Draft, b.Reporting, b.Relay = r.b.Title, r.b.Date, r.b.Updated, r.b.Draft, r.b.Reporting, r.b.Relay
	b.Body, b.Text, b.Summary, b.Attribution = r.b.Body, r.b.Text, r.b.Summary, r.b.Attribution
	b.HanChars, b.ReadingMinutes, b.Hash = r.b.HanChars, r.b.ReadingMinutes, r.b.Hash
	b.Attachments = slices.Clone(r.b.Attachments)
	d.sink.Problems = append(d.sink.Problems, r.problems...)
}

// slugMemo remembers term slugs: pinyin conversion was nine tenths of the
// time spent building the listings, and a site has few distinct names.
// next collects this load's names, so that names no longer used are
// forgotten when a Cache keeps it for the next load.
type slugMemo struct {
	prev, next map[string]string
}

func newSlugMemo(prev map[string]string) *slugMemo {
	return &slugMemo{prev: prev, next: make(map[string]string, len(prev))}
}

func (m *slugMemo) term(name string) string {
	if s, ok := m.next[name]; ok {
		return s
	}
	s, ok := m.prev[name]
	if !ok {
		s = termSlug(name)
	}
	m.next[name] = s
	return s
}

func (m *slugMemo) region(name string) string {
	if s, ok := provinceSlugs[name]; ok {
		return s
	}
	return m.term(name)
}
