package linkcheck

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"slices"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
)

// cacheFormat is the version of the cache file; a file of another
// version is ignored.
const cacheFormat = 1

type cacheFile struct {
	Format int     `json:"format"`
	Links  []entry `json:"links"`
}

// entry is one link's last result in the cache file.
type entry struct {
	URL     string    `json:"url"`
	Status  Status    `json:"status"`
	Code    int       `json:"code,omitempty"`
	Hops    []Hop     `json:"hops,omitempty"`
	Why     string    `json:"why,omitempty"`
	Detail  string    `json:"detail,omitempty"`
	Checked time.Time `json:"checked"`
}

func entryOf(r Result) entry {
	return entry{Status: r.Status, Code: r.Code, Hops: r.Hops, Why: r.why, Detail: r.detail, Checked: r.Checked}
}

// result reads e as the result of the link raw.
func (e entry) result(raw string) Result {
	r := Result{
		URL: raw, Status: e.Status, Code: e.Code, Hops: slices.Clone(e.Hops),
		Checked: e.Checked, Cached: true, why: e.Why, detail: e.Detail,
	}
	if len(r.Hops) > 0 {
		r.Final = r.Hops[len(r.Hops)-1].To
	}
	r.Reason = reason(r.Status, r.why, r.detail, r.Code, r.Final)
	return r
}

// fresh reports whether e may stand for a check made at now.
func (c *Checker) fresh(e entry, now time.Time) bool {
	life := c.opt.GoodFor
	if e.Status.Bad() {
		life = c.opt.BadFor
	}
	return !e.Checked.After(now) && now.Sub(e.Checked) < life
}

// loadCache reads the cache file; whatever cannot be read is left out,
// without an error: the links are then checked again.
func loadCache(path string) map[string]entry {
	if path == "" {
		return map[string]entry{}
	}
	data, err := os.ReadFile(path)
	if err != nil {
		return map[string]entry{}
	}
	return parseCache(data)
}

// parseCache reads a cache file's bytes, keeping the entries that make
// sense: a person may have edited the file.
func parseCache(data []byte) map[string]entry {
	out := map[string]entry{}
	var f cacheFile
	if json.Unmarshal(data, &f) != nil || f.Format != cacheFormat {
		return out
	}
	for _, e := range f.Links {
		if _, dup := out[e.URL]; !dup && e.valid() {
			e.Checked = e.Checked.UTC()
			out[e.URL] = e
		}
	}
	return out
}

// valid reports whether e could have been written by a Check.
func (e entry) valid() bool {
	if u, skip := parse(e.URL); skip != nil || u.Fragment != "" {
		return false
	}
	if y := e.Checked.UTC().Year(); y < 2000 || y > 9999 {
		return false // no date, or one JSON cannot write again
	}
	for _, h := range e.Hops {
		if !redirect(h.Code) {
			return false
		}
		if u, skip := parse(h.To); skip != nil || u.Fragment != "" {
			return false
		}
	}
	switch e.Status {
	case OK:
		if e.Code < 200 || e.Code > 399 || len(e.Hops) > 0 {
			return false
		}
	case Redirected:
		if e.Code < 200 || e.Code > 399 || len(e.Hops) == 0 {
			return false
		}
	case Moved:
		if e.Code < 100 || e.Code > 999 || len(e.Hops) == 0 {
			return false
		}
	case Broken:
		if e.Code < 400 || e.Code > 999 {
			return false
		}
	case Timeout, Error:
		if e.Code < 0 || e.Code > 999 {
			return false
		}
	default:
		return false // Skipped links are never asked for, so never cached
	}
	_, ok := reasonFor(e.Status, e.Why, e.Detail, e.Code, "")
	return ok
}

// encodeCache is the cache file of entries: sorted by URL, so that the
// same results make the same file. It fails only for a time JSON cannot
// write (a clock gone wrong).
func encodeCache(entries map[string]entry) ([]byte, error) {
	f := cacheFile{Format: cacheFormat, Links: []entry{}}
	for _, k := range slices.Sorted(maps.Keys(entries)) {
		e := entries[k]
		e.URL = k
		e.Checked = e.Checked.UTC().Truncate(time.Second)
		f.Links = append(f.Links, e)
	}
	var b bytes.Buffer
	enc := json.NewEncoder(&b)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// saveCache writes the entries still fresh at now, unless the file holds
// them already.
func (c *Checker) saveCache(entries map[string]entry, now time.Time) error {
	if c.opt.Cache == "" {
		return nil
	}
	keep := map[string]entry{}
	for k, e := range entries {
		if c.fresh(e, now) {
			keep[k] = e
		}
	}
	data, err := encodeCache(keep)
	if err != nil {
		return diag.Errorf("cannot write the link cache %s: %w", c.opt.Cache, err)
	}
	if old, err := os.ReadFile(c.opt.Cache); err == nil && bytes.Equal(old, data) {
		return nil
	}
	if err := os.MkdirAll(filepath.Dir(c.opt.Cache), 0o755); err != nil {
		return diag.Errorf("cannot write the link cache %s: %w", c.opt.Cache, err)
	}
	if err := fsutil.WriteFile(c.opt.Cache, data, 0o644); err != nil {
		return diag.Errorf("cannot write the link cache %s: %w", c.opt.Cache, err)
	}
	return nil
}
