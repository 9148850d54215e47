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
	dir = filepath.Clean(dir)
	docs := prepare(s)
	st, name, use, err := publish(ctx, dir, docs, progress)
	if err != nil {
		return nil, st, err
	}
	g, err := openHeld(dir, name, use)
	if err != nil {
		return nil, st, err
	}
	sn, err := newSnapshot(g, s, foldAll(s, docs), nil)
	if err != nil {
		g.release()
		return nil, st, err
	}
	ix := &Index{dir: dir, writable: true}
	ix.cur.Store(sn)
	return ix, st, nil
}

// Update brings an index from OpenLive up to date with s, a newer load of
// the site, publishes the result as a new generation and switches
// searches to it: searches already running finish on the index and site
// as they were. Bulletins are compared with those of the current
// snapshot, and only the ones that differ are digested and folded again,
// so that an edit of one bulletin costs milliseconds, not the seconds of
// going through them all.
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
	fs, docs, freq := refold(prev, s)
	st, name, use, err := publish(ctx, ix.dir, docs, nil)
	if err != nil {
		return st, err
	}
	return st, ix.switchTo(prev, name, use, s, fs, &freq)
}

// switchTo makes a snapshot of generation name, whose use lock is held,
// for s, and moves searches to it from prev. The caller holds ix.mu.
func (ix *Index) switchTo(prev *snapshot, name string, use *fsutil.Lock, s *site.Site, fs []*folded, freq *[256]int) error {
	var g *generation
	if prev.gen != nil && prev.gen.name == name {
		use.Unlock() // prev holds the generation already
		g = prev.gen
		g.acquire()
	} else {
		var err error
		if g, err = openHeld(ix.dir, name, use); err != nil {
			return err
		}
	}
	sn, err := newSnapshot(g, s, fs, freq)
	if err != nil {
		g.release()
		return err
	}
	ix.cur.Store(sn)
	prev.release()
	return nil
}

// Refresh moves searches to the current generation of the index folder
// when another process has published a newer one than is searched, with
// load giving the site that generation indexes (it is called only then).
// It reports whether it moved.
func (ix *Index) Refresh(ctx context.Context, load func(context.Context) (*site.Site, error)) (bool, error) {
	prev := ix.cur.Load()
	if prev == nil {
		return false, errClosed
	}
	if name, err := readCurrent(ix.dir); err != nil || name == "" || name == prev.gen.name {
		return false, err
	}
	s, err := load(ctx)
	if err != nil {
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
	fs, _, freq := refold(prev, s)
	return true, ix.switchTo(prev, name, use, s, fs, &freq)
}

// Follow calls Refresh every interval until ctx is done, so that a
// long-running search service takes up what bulletin build publishes.
// Errors go to report, and the searches stay where they were.
func (ix *Index) Follow(ctx context.Context, every time.Duration, load func(context.Context) (*site.Site, error), report func(error)) {
	t := time.NewTicker(every)
	defer t.Stop()
	for {
		select {
		case <-ctx.Done():
			return
		case <-t.C:
			if _, err := ix.Refresh(ctx, load); err != nil && !errors.Is(err, errClosed) && ctx.Err() == nil {
				report(err)
			}
		}
	}
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
	parallel.For(context.Background(), workers, n, func(_, i int) error {
		b := s.Bulletins[i]
		docs[i] = prepared{id: b.URL, b: b}
		e := prev.byURL[b.URL]
		was[i] = e
		if e != nil && sameDocument(e.b, b) {
			fs[i], docs[i].digest = e.rebase(e.b, b), e.digest
		}
		return nil
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
	parallel.For(context.Background(), workers, len(changed), func(w, k int) error {
		if hs[w] == nil {
			hs[w] = newDigester()
		}
		i := changed[k]
		b := s.Bulletins[i]
		doc := newDocument(b)
		docs[i].digest = doc.digest(hs[w], b.Hash)
		fs[i] = newFolded(b, &doc, docs[i].digest)
		return nil
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
