package indexer

import (
	"context"
	"errors"
	"fmt"
	"hash"
	"path/filepath"
	"runtime"
	"time"

	"bulletin/internal/site"
)

// OpenLive brings the index in dir up to date with s, as Update does, and
// opens it for searching and for later updates (Index.Update), as
// bulletin serve does to follow the site while it is edited. The index is
// open for writing until Close: other processes cannot open it meanwhile
// (they get ErrInUse).
func OpenLive(ctx context.Context, dir string, s *site.Site, progress func(done, total int)) (*Index, UpdateStats, error) {
	dir = filepath.Clean(dir)
	unlock, err := lockIndex(dir)
	if err != nil {
		return nil, UpdateStats{}, err
	}
	// Held until the index is open, so that no other update comes in
	// between.
	defer unlock()
	docs := prepare(s)
	st, err := update(ctx, dir, docs, progress)
	if err != nil {
		return nil, st, err
	}
	idx, err := openBleve(dir, false)
	if err != nil {
		return nil, st, fmt.Errorf("opening the search index: %w", err)
	}
	m, err := checkManifest(idx, dir)
	if err != nil {
		idx.Close()
		return nil, st, err
	}
	sn, err := newSnapshot(idx, s, foldAll(s, docs), nil)
	if err != nil {
		idx.Close()
		return nil, st, err
	}
	ix := &Index{idx: idx, manifest: m}
	ix.cur.Store(sn)
	return ix, st, nil
}

// Update brings an index from OpenLive up to date with s, a newer load of
// the site, and switches searches to it: searches already running finish
// on the index and site as they were. Bulletins are compared with those of
// the current snapshot, and only the ones that differ are digested and
// folded again, so that an edit of one bulletin costs milliseconds, not
// the seconds of going through them all.
//
// The changes go into the index in batches, each of which rewrites the
// manifest, as in Update; an error leaves searches where they were and
// the next Update finishes the work.
func (ix *Index) Update(ctx context.Context, s *site.Site) (UpdateStats, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	prev := ix.cur.Load()
	if prev == nil {
		return UpdateStats{}, errClosed
	}
	if ix.manifest == nil {
		return UpdateStats{}, errors.New("the search index is open read-only; open it with OpenLive to update it")
	}
	fs, docs, freq := refold(prev, s)
	p := diff(ix.manifest, docs)
	for _, d := range p.index {
		doc := newDocument(d.b)
		d.doc = &doc
	}
	st, err := updateInPlace(ctx, ix.idx, ix.manifest, p, len(docs), incrementalBatch, nil)
	if err != nil {
		return st, err
	}
	// Not compacted, unlike after Update: the index stays open, and
	// bleve merges its segments in the background.
	sn, err := newSnapshot(ix.idx, s, fs, &freq)
	if err != nil {
		return st, err
	}
	ix.cur.Store(sn)
	prev.release()
	return st, nil
}

// refold returns the folded texts and the digests of s's bulletins (as
// prepared documents without the document), and the byte counts of the
// texts. Bulletins that are the same as in prev keep its folded texts and
// digest; the others are done afresh, and prev's counts updated for them.
func refold(prev *snapshot, s *site.Site) ([]*folded, []prepared, [256]int) {
	n := len(s.Bulletins)
	fs := make([]*folded, n)
	docs := make([]prepared, n)
	was := make([]*entry, n)
	workers := runtime.GOMAXPROCS(0)
	// Comparing is mostly waiting for memory: two cores wait half as long.
	parallel(workers, n, func(_, i int) {
		b := s.Bulletins[i]
		docs[i] = prepared{id: b.URL, b: b}
		e := prev.byURL[b.URL]
		was[i] = e
		if e != nil && sameDocument(e.b, b) {
			fs[i], docs[i].digest = e.rebase(e.b, b), e.digest
		}
	})

	freq := prev.freq
	var changed []int
	kept := 0 // of prev's bulletins
	for i, e := range was {
		if e != nil {
			kept++
		}
		if fs[i] == nil {
			if e != nil {
				e.count(&freq, -1)
			}
			changed = append(changed, i)
		}
	}
	if kept < len(prev.byURL) {
		// Some are gone. (URLs are unique in a site.)
		urls := make(map[string]bool, n)
		for _, b := range s.Bulletins {
			urls[b.URL] = true
		}
		for url, e := range prev.byURL {
			if !urls[url] {
				e.count(&freq, -1)
			}
		}
	}

	hs := make([]hash.Hash, workers)
	parallel(workers, len(changed), func(w, k int) {
		if hs[w] == nil {
			hs[w] = newDigester()
		}
		i := changed[k]
		b := s.Bulletins[i]
		doc := newDocument(b)
		docs[i].digest = doc.digest(hs[w], b.Hash)
		fs[i] = newFolded(b, &doc, docs[i].digest)
	})
	for _, i := range changed {
		fs[i].count(&freq, 1)
	}
	return fs, docs, freq
}

// rebase returns f, the folded texts of old, for b, which is the same as
// old: texts that folding left as they were become b's own, so that the
// new snapshot keeps nothing of old's site alive.
func (f *folded) rebase(old, b *site.Bulletin) *folded {
	g := *f
	for _, t := range []struct {
		folded   *string
		was, now string
	}{
		{&g.title, old.Title, b.Title},
		{&g.summary, old.Summary, b.Summary},
		{&g.text, old.Text, b.Text},
	} {
		if *t.folded == t.was {
			*t.folded = t.now
		}
	}
	return &g
}

// sameDocument reports whether bulletins a and b, from two loads of the
// site, make the same document (see newDocument). The source's Hash
// stands for the text; the rest is compared because it comes from
// elsewhere too (site.yaml, the time zone) or is cheap to compare.
func sameDocument(a, b *site.Bulletin) bool {
	if a.Hash != b.Hash || a.Title != b.Title || a.Summary != b.Summary ||
		a.Bureau.Name != b.Bureau.Name || a.Region.Name != b.Region.Name ||
		termName(a.Category) != termName(b.Category) ||
		!sameTime(a.Date, b.Date) || len(a.Tags) != len(b.Tags) {
		return false
	}
	for i := range a.Tags {
		if a.Tags[i].Name != b.Tags[i].Name {
			return false
		}
	}
	return true
}

func termName(t *site.Term) string {
	if t == nil {
		return ""
	}
	return t.Name
}

// sameTime reports whether a and b are the same instant in the same
// offset from UTC, as document.digest writes them. Their locations are
// different values in two loads of the site.
func sameTime(a, b time.Time) bool {
	_, ao := a.Zone()
	_, bo := b.Zone()
	return a.Equal(b) && ao == bo
}
