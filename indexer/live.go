package indexer

import (
	"context"
	"errors"
	"hash"
	"path/filepath"
	"runtime"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/parallel"
	"bulletin/internal/site"
)

// OpenLive brings the index folder dir up to date with s, as Update
// does, and opens it for searching and for later updates (Index.Update),
// as bulletin serve does to follow the site while it is edited. Other
// processes may search the folder and publish to it meanwhile.
func OpenLive(ctx context.Context, dir string, s *site.Site, progress func(done, total int)) (*Index, UpdateStats, error) {
	return OpenLiveWith(ctx, dir, s, Options{Progress: progress})
}

// OpenLiveWith is OpenLive with options, which Index.Update uses too.
func OpenLiveWith(ctx context.Context, dir string, s *site.Site, opt Options) (*Index, UpdateStats, error) {
	dir = filepath.Clean(dir)
	ab, err := describe(s, opt)
	if err != nil {
		return nil, UpdateStats{}, err
	}
	docs := prepare(s)
	st, name, use, err := publish(ctx, dir, docs, ab, opt.Progress)
	if err != nil {
		return nil, st, err
	}
	g, err := openHeld(dir, name, use, nil)
	if err != nil {
		return nil, st, err
	}
	sn, err := newSnapshot(g)
	if err != nil {
		g.release()
		return nil, st, err
	}
	ix := &Index{dir: dir, writable: true, opt: Options{SiteInfo: opt.SiteInfo}, last: lastDocs(docs)}
	ix.cur.Store(sn)
	return ix, st, nil
}

func lastDocs(docs []prepared) map[string]lastDoc {
	m := make(map[string]lastDoc, len(docs))
	for _, d := range docs {
		m[d.id] = lastDoc{d.b, d.digest}
	}
	return m
}

// Update brings an index from OpenLive up to date with s, a newer load of
// the site, publishes the result as a new generation and switches
// searches to it: searches already running finish on the generation they
// started on. Bulletins are compared with those last indexed, and only
// the ones that differ are digested again, and their records written
// and read, so that an edit of one bulletin costs milliseconds, not the
// seconds of going through them all.
//
// An error leaves searches where they were, and the generation current
// before: the next Update does the work again.
func (ix *Index) Update(ctx context.Context, s *site.Site) (UpdateStats, error) {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	prev := ix.cur.Load()
	if prev == nil {
		return UpdateStats{}, errClosed
	}
	if !ix.writable {
		return UpdateStats{}, diag.Errorf("the search index is open read-only; open it with OpenLive to update it")
	}
	ab, err := describe(s, ix.opt)
	if err != nil {
		return UpdateStats{}, err
	}
	docs := redigest(ix.last, s)
	st, name, use, err := publish(ctx, ix.dir, docs, ab, nil)
	if err != nil {
		return st, err
	}
	// Not warmed: the editor waits for this one to see the edit.
	if err := ix.switchTo(ctx, prev, name, use, false); err != nil {
		return st, err
	}
	ix.last = lastDocs(docs)
	return st, nil
}

// switchTo makes a snapshot of generation name, whose use lock is held,
// and moves searches to it from prev, warmed first when warm is set (see
// warmUp). The caller holds ix.mu.
func (ix *Index) switchTo(ctx context.Context, prev *snapshot, name string, use *fsutil.Lock, warm bool) error {
	if prev.gen.name == name {
		use.Unlock() // nothing new was published
		return nil
	}
	g, err := openHeld(ix.dir, name, use, prev.gen)
	if err != nil {
		return err
	}
	sn, err := newSnapshot(g)
	if err != nil {
		g.release()
		return err
	}
	if warm {
		warmUp(ctx, prev, sn)
	}
	ix.cur.Store(sn)
	prev.release()
	return nil
}

// Warming a new generation: at most warmSearches searches, for at most
// warmTime, a delay of the move that readers do not see.
const (
	warmSearches = 32
	warmTime     = 500 * time.Millisecond
)

// warmUp runs on next the searches prev's readers asked last, most recent
// first, and keeps their results in next's cache, as a search server
// moving to what build published does before it moves: prev answers
// meanwhile, so that the searches readers repeat most are answered from
// memory from next's first moment instead of all at once from the
// index, and what they read of it is in memory.
func warmUp(ctx context.Context, prev, next *snapshot) {
	ctx, cancel := context.WithTimeout(ctx, warmTime)
	defer cancel()
	for _, a := range prev.cache.recent(warmSearches) {
		set, err := next.find(ctx, a.req, a.loose)
		if err != nil {
			return // out of time, or the next search would fail the same way
		}
		next.cache.put(a, set)
	}
}

// Refresh moves searches to the current generation of the index folder
// when another process has published a newer one than is searched. It
// reports whether it moved.
func (ix *Index) Refresh(ctx context.Context) (bool, error) {
	prev := ix.cur.Load()
	if prev == nil {
		return false, errClosed
	}
	if name, err := readCurrent(ix.dir); err != nil || name == "" || name == prev.gen.name {
		return false, err
	}
	ix.mu.Lock()
	defer ix.mu.Unlock()
	if prev = ix.cur.Load(); prev == nil {
		return false, errClosed
	}
	name, use, err := holdCurrent(ix.dir)
	if err != nil {
		return false, err
	}
	if name == prev.gen.name {
		use.Unlock()
		return false, nil
	}
	if ix.writable {
		// Another writer published: what it indexed is not what this
		// Index last did, so the next Update compares afresh.
		ix.last = nil
	}
	return true, ix.switchTo(ctx, prev, name, use, true)
}

// Follow calls Refresh every interval until ctx is done, so that a
// long-running search service takes up what bulletin build publishes.
// moved, when set, is called after each move. Errors go to report, and
// the searches stay where they were.
func (ix *Index) Follow(ctx context.Context, every time.Duration, moved func(context.Context), report func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			ok, err := ix.Refresh(ctx)
			if err != nil && !errors.Is(err, errClosed) && ctx.Err() == nil {
				report(err)
			}
			if ok && moved != nil {
				moved(ctx)
			}
		}
	}
}

// redigest returns the prepared documents of s's bulletins without the
// documents themselves (publish makes those it indexes). Bulletins that
// are the same as in last keep their digest; the others are digested.
func redigest(last map[string]lastDoc, s *site.Site) []prepared {
	n := len(s.Bulletins)
	docs := make([]prepared, n)
	workers := runtime.GOMAXPROCS(0)
	hs := make([]hash.Hash, workers)
	parallel.For(context.Background(), workers, n, func(w, i int) error {
		b := s.Bulletins[i]
		docs[i] = prepared{id: b.URL, b: b}
		if old, ok := last[b.URL]; ok && sameDocument(old.b, b) {
			docs[i].digest = old.digest
			return nil
		}
		if hs[w] == nil {
			hs[w] = newDigester()
		}
		doc := newDocument(b)
		docs[i].digest = doc.digest(hs[w], b.Hash)
		return nil
	})
	return docs
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
