package indexer

import (
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"hash"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync"
	"sync/atomic"

	"bulletin/internal/site"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
)

// UpdateStats says what Update did.
type UpdateStats struct {
	Docs    int  // bulletins in the index afterwards
	Added   int  // bulletins indexed that the index did not hold
	Changed int  // bulletins indexed again because they changed
	Removed int  // bulletins no longer published, taken out
	Rebuilt bool // the index was built from scratch
}

// Batch sizes. A rebuild keeps one batch per core in memory, analysed:
// 100 bulletins of 1,500 characters are about 50 MB; larger batches save
// some merging but cost more memory than they save time. An update's
// batches each rewrite the manifest (about 50 bytes per bulletin).
const (
	rebuildBatch     = 100
	incrementalBatch = 200
)

// prepared is a bulletin ready to be indexed.
type prepared struct {
	id     string
	b      *site.Bulletin
	doc    *document // in Index.Update, made only for the bulletins to index
	digest string
}

// Update brings the index in dir up to date with the published bulletins
// of s, creating it when needed.
//
// An index whose manifest has the current mapping version is updated in
// place: changed bulletins are indexed again, unpublished ones deleted, in
// batches, each of which also rewrites the manifest, so the manifest always
// describes exactly what is in the index even if the process is killed
// between two batches. Otherwise (no index, another version, or more than
// half of the bulletins changed) the index is built afresh in a sibling
// folder and swapped in only when complete: the folder then holds the old
// index, the new one, or (killed between the two renames) none, which the
// next update rebuilds.
//
// progress, when set, is called as bulletins are indexed.
func Update(ctx context.Context, dir string, s *site.Site, progress func(done, total int)) (UpdateStats, error) {
	dir = filepath.Clean(dir)
	unlock, err := lockIndex(dir)
	if err != nil {
		return UpdateStats{}, err
	}
	defer unlock()
	return update(ctx, dir, prepare(s), progress)
}

// lockIndex takes the lock of the index in dir, creating dir's parent.
func lockIndex(dir string) (unlock func(), err error) {
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		return nil, err
	}
	return lock(dir + ".lock")
}

// update is Update once the lock is held and the documents are made.
func update(ctx context.Context, dir string, docs []prepared, progress func(done, total int)) (UpdateStats, error) {
	version := mappingVersion()
	switch {
	case isIndexDir(dir):
		idx, err := openBleve(dir, false)
		if errors.Is(err, ErrInUse) {
			return UpdateStats{}, err
		}
		if err == nil {
			m, err := readManifest(idx)
			if err == nil && m != nil && m.Version == version {
				if p := diff(m, docs); p.size() <= max(len(docs)/2, incrementalBatch) {
					st, err := updateInPlace(ctx, idx, m, p, len(docs), incrementalBatch, progress)
					if err == nil {
						err = compact(ctx, idx, false)
					}
					return st, errors.Join(err, idx.Close())
				}
			}
			// Keep the old index open, and so locked against other
			// processes, until the new one replaces it.
			defer idx.Close()
		}
	default:
		// Whatever else is there is someone's: never replace it.
		if info, err := os.Stat(dir); err == nil && !info.IsDir() {
			return UpdateStats{}, fmt.Errorf("%s is a file, not a search index; choose another folder", dir)
		}
		if entries, err := os.ReadDir(dir); err == nil && len(entries) > 0 {
			return UpdateStats{}, fmt.Errorf("%s is not a search index and not empty; choose another folder", dir)
		}
	}
	return rebuild(ctx, dir, docs, version, progress)
}

// prepare makes the documents of all published bulletins.
func prepare(s *site.Site) []prepared {
	docs := make([]prepared, len(s.Bulletins))
	hs := make([]hash.Hash, runtime.GOMAXPROCS(0))
	parallel(len(hs), len(docs), func(w, i int) {
		if hs[w] == nil {
			hs[w] = newDigester()
		}
		b := s.Bulletins[i]
		d := newDocument(b)
		docs[i] = prepared{id: b.URL, b: b, doc: &d, digest: d.digest(hs[w], b.Hash)}
	})
	return docs
}

// parallel calls work(w, i) for every i below n, on the given number of
// workers; w, below workers, numbers the worker, for state of its own.
func parallel(workers, n int, work func(w, i int)) {
	var next atomic.Int64
	var wg sync.WaitGroup
	for w := range min(workers, n) {
		wg.Go(func() {
			for {
				i := int(next.Add(1)) - 1
				if i >= n {
					return
				}
				work(w, i)
			}
		})
	}
	wg.Wait()
}

// plan is what an in-place update changes.
type plan struct {
	index  []*prepared
	remove []string
	added  int
}

func (p plan) size() int { return len(p.index) + len(p.remove) }

func diff(m *manifest, docs []prepared) plan {
	var p plan
	for i := range docs {
		d := &docs[i]
		old, ok := m.Docs[d.id]
		if !ok {
			p.added++
		}
		if old != d.digest {
			p.index = append(p.index, d)
		}
	}
	if len(docs)-p.added == len(m.Docs) {
		return p // all the index holds is still there (URLs are unique)
	}
	seen := make(map[string]bool, len(docs))
	for i := range docs {
		seen[docs[i].id] = true
	}
	for id := range m.Docs {
		if !seen[id] {
			p.remove = append(p.remove, id)
		}
	}
	sort.Strings(p.remove) // deterministic batches
	return p
}

// updateInPlace applies p to idx in batches of batchSize. m follows the
// index: after each batch, it lists what the index holds.
func updateInPlace(ctx context.Context, idx bleve.Index, m *manifest, p plan, total, batchSize int, progress func(done, total int)) (UpdateStats, error) {
	st := UpdateStats{Added: p.added, Changed: len(p.index) - p.added, Removed: len(p.remove), Docs: total}
	ops := p.size()
	done := 0
	for done < ops {
		if err := ctx.Err(); err != nil {
			return st, err
		}
		docs := maps.Clone(m.Docs)
		b := idx.NewBatch()
		end := min(done+batchSize, ops)
		for i := done; i < end; i++ {
			if i < len(p.remove) {
				id := p.remove[i]
				b.Delete(id)
				delete(docs, id)
				continue
			}
			d := p.index[i-len(p.remove)]
			if err := b.Index(d.id, *d.doc); err != nil {
				return st, fmt.Errorf("indexing %s: %w", d.id, err)
			}
			docs[d.id] = d.digest
		}
		data, err := json.Marshal(manifest{Version: m.Version, Docs: docs})
		if err != nil {
			return st, err
		}
		b.SetInternal(manifestKey, data)
		if err := idx.Batch(b); err != nil {
			return st, err
		}
		m.Docs = docs
		done = end
		if progress != nil {
			progress(done, ops)
		}
	}
	return st, nil
}

// rebuild builds a new index of docs beside dir and puts it in dir's place.
func rebuild(ctx context.Context, dir string, docs []prepared, version string, progress func(done, total int)) (UpdateStats, error) {
	st := UpdateStats{Docs: len(docs), Added: len(docs), Rebuilt: true}
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	removeLeftovers(parent, base)
	tmp, err := os.MkdirTemp(parent, "."+base+".new-")
	if err != nil {
		return st, err
	}
	defer os.RemoveAll(tmp) // after a successful swap, it no longer exists
	idx, err := bleve.New(tmp, newMapping())
	if err != nil {
		return st, err
	}
	if err := indexAll(ctx, idx, docs, progress); err != nil {
		idx.Close()
		return st, err
	}
	m := manifest{Version: version, Docs: make(map[string]string, len(docs))}
	for _, d := range docs {
		m.Docs[d.id] = d.digest
	}
	data, err := json.Marshal(m)
	if err != nil {
		idx.Close()
		return st, err
	}
	if err := compact(ctx, idx, false); err != nil {
		idx.Close()
		return st, err
	}
	// The manifest goes in last: an index without one is never updated in
	// place.
	if err := errors.Join(idx.SetInternal(manifestKey, data), idx.Close()); err != nil {
		return st, err
	}
	if err := ctx.Err(); err != nil {
		return st, err
	}
	return st, swap(tmp, dir)
}

// indexAll indexes docs with one batch in flight per core: bleve builds
// each batch's segment on the calling goroutine.
func indexAll(ctx context.Context, idx bleve.Index, docs []prepared, progress func(done, total int)) error {
	var next, done atomic.Int64
	errs := make([]error, runtime.GOMAXPROCS(0))
	var wg sync.WaitGroup
	for w := range errs {
		wg.Go(func() {
			for ctx.Err() == nil {
				start := int(next.Add(int64(rebuildBatch))) - rebuildBatch
				if start >= len(docs) {
					return
				}
				end := min(start+rebuildBatch, len(docs))
				b := idx.NewBatch()
				for i := start; i < end; i++ {
					if err := b.Index(docs[i].id, *docs[i].doc); err != nil {
						errs[w] = fmt.Errorf("indexing %s: %w", docs[i].id, err)
						return
					}
				}
				if err := idx.Batch(b); err != nil {
					errs[w] = err
					return
				}
				n := done.Add(int64(end - start))
				if progress != nil {
					progress(int(n), len(docs))
				}
			}
		})
	}
	wg.Wait()
	return errors.Join(append(errs, ctx.Err())...)
}

// compact merges the index's segments: after a rebuild into one, for the
// fastest searches; after an update only where bleve's tiers overflow, so
// that the small segments of many updates do not pile up (an update closes
// the index before bleve's background merging would get to them).
func compact(ctx context.Context, idx bleve.Index, whole bool) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	opts := mergeplan.DefaultMergePlanOptions
	if whole {
		opts = mergeplan.SingleSegmentMergePlanOptions
	}
	return s.ForceMerge(ctx, &opts)
}

// swap puts the complete index tmp in dir's place.
func swap(tmp, dir string) error {
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	if _, err := os.Stat(dir); errors.Is(err, fs.ErrNotExist) {
		return os.Rename(tmp, dir)
	}
	old, err := os.MkdirTemp(parent, "."+base+".old-")
	if err != nil {
		return err
	}
	if err := os.Remove(old); err != nil {
		return err
	}
	if err := os.Rename(dir, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, dir); err != nil {
		return err
	}
	return os.RemoveAll(old)
}

// removeLeftovers deletes the folders of updates that were killed. The
// caller holds the lock, so no other update is using them.
func removeLeftovers(parent, base string) {
	for _, pattern := range []string{"." + base + ".new-*", "." + base + ".old-*"} {
		matches, _ := filepath.Glob(filepath.Join(parent, pattern))
		for _, m := range matches {
			os.RemoveAll(m)
		}
	}
}
