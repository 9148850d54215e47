package indexer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"hash"
	"io/fs"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"sync/atomic"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/parallel"
	"bulletin/internal/site"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	"github.com/blevesearch/bleve/v2/index/scorch/mergeplan"
	"golang.org/x/sync/errgroup"
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
// 50 bulletins of 1,500 characters are about 25 MB (a build of 10,000
// bulletins peaked 40 MB lower than with 100); larger batches
// save some merging but cost more memory than they save time. An update's
// batches each rewrite the manifest (about 50 bytes per bulletin).
const (
	rebuildBatch     = 50
	incrementalBatch = 200
)

// prepared is a bulletin ready to be indexed.
type prepared struct {
	id string
	b  *site.Bulletin
	// site is b's when it is lean, for its text (site.Site.Content);
	// nil when b holds its text.
	site *site.Site
	// doc is made for a batch to index, and dropped after it: a lean
	// site renders each text again, and a million of them do not fit in
	// memory.
	doc    *document
	digest string
}

// Update brings the index folder dir up to date with the published
// bulletins of s, creating it when needed, and publishes the result as a
// new generation (see generation.go) unless nothing changed. Processes
// searching the folder move to it on their own; another writer is waited
// for, until ctx is done.
//
// The new generation is made from scratch when there is none, when the
// current one has another mapping version, or when more than half of the
// bulletins changed; otherwise it is a copy of the current one updated in
// place. Either way it is complete before it is published, so a kill at
// any point leaves the previous generation current.
//
// progress, when set, is called as bulletins are indexed.
func Update(ctx context.Context, dir string, s *site.Site, progress func(done, total int)) (UpdateStats, error) {
	return UpdateWith(ctx, dir, s, Options{Progress: progress})
}

// Options are the options of UpdateWith and OpenLiveWith.
type Options struct {
	// Progress, when set, is called as bulletins are indexed.
	Progress func(done, total int)
	// SiteInfo, when set, describes the site for whoever serves the
	// search page from the index alone (see Index.SiteInfo): it is
	// stored with each generation, as it returns it, and a change in it
	// is published as a new generation even when no bulletin changed.
	SiteInfo func(*site.Site) ([]byte, error)
	// Synonyms, when set, gives the site's synonyms.yaml (nil when it has
	// none), which each generation keeps for its searches; a change in it
	// is published as a new generation, with nothing indexed again.
	Synonyms func() ([]byte, error)
}

// UpdateWith is Update with options.
func UpdateWith(ctx context.Context, dir string, s *site.Site, opt Options) (UpdateStats, error) {
	about, err := describe(s, opt)
	if err != nil {
		return UpdateStats{}, err
	}
	st, _, use, err := publish(ctx, filepath.Clean(dir), prepare(s), about, opt.Progress)
	if use != nil {
		use.Unlock()
	}
	return st, err
}

// about is what a generation stores of the site beside its bulletins.
type about struct {
	zone     string // the time zone's name
	site     []byte // Options.SiteInfo's
	synonyms []byte // Options.Synonyms's
}

func describe(s *site.Site, opt Options) (about, error) {
	a := about{zone: "UTC"}
	if s.Config != nil && s.Config.Location != nil {
		a.zone = s.Config.Location.String()
	}
	if opt.SiteInfo != nil {
		var err error
		if a.site, err = opt.SiteInfo(s); err != nil {
			return a, err
		}
	}
	if opt.Synonyms != nil {
		var err error
		if a.synonyms, err = opt.Synonyms(); err != nil {
			return a, err
		}
	}
	return a, nil
}

// publish brings the index folder dir up to date with docs and returns
// the generation it leaves current, with that generation's use lock held
// so that it cannot be removed before the caller opens it.
func publish(ctx context.Context, dir string, docs []prepared, ab about, progress func(done, total int)) (UpdateStats, string, *fsutil.Lock, error) {
	if err := prepareFolder(dir); err != nil {
		return UpdateStats{}, "", nil, err
	}
	wl, err := fsutil.WaitLock(ctx, filepath.Join(dir, writeLock))
	if err != nil {
		return UpdateStats{}, "", nil, diag.Errorf("waiting for another update of the search index: %w", err)
	}
	defer wl.Unlock()
	collect(dir, true) // what killed writers left
	version := mappingVersion()
	current, _ := readCurrent(dir) // a spoilt pointer is rebuilt over
	if m := generationManifest(filepath.Join(dir, current)); current != "" && m != nil && m.Version == version {
		p := diff(m, docs)
		if p.size() == 0 && sameAbout(filepath.Join(dir, current), ab) {
			use, err := fsutil.TryRLock(filepath.Join(dir, current+lockSuffix))
			return UpdateStats{Docs: len(docs)}, current, use, err
		}
		if p.size() <= max(len(docs)/2, incrementalBatch) {
			return publishUpdate(ctx, dir, current, m, p, docs, ab, progress)
		}
	}
	next, err := nextGeneration(dir)
	if err != nil {
		return UpdateStats{}, "", nil, err
	}
	nextDir := filepath.Join(dir, next)
	st, filler, err := rebuild(ctx, nextDir, next, docs, version, progress)
	if err == nil {
		err = writeStore(ctx, nextDir, next, docs, ab.zone, ab.site, nil, filler)
	}
	if err == nil {
		err = writeSuggest(ctx, nextDir, docs)
	}
	if err == nil {
		err = writeSynonyms(nextDir, ab.synonyms)
	}
	if err != nil {
		os.RemoveAll(filepath.Join(dir, next))
		return st, "", nil, err
	}
	use, err := switchTo(dir, next)
	return st, next, use, err
}

// sameAbout reports whether the generation in dir stores ab.
func sameAbout(dir string, ab about) bool {
	t := readTable(dir)
	if t == nil || t.zone != ab.zone {
		return false
	}
	if _, err := os.Stat(filepath.Join(dir, suggestFile)); err != nil {
		return false // of a version before dictionaries: make one
	}
	if !sameSynonyms(dir, ab.synonyms) {
		return false
	}
	data, err := os.ReadFile(filepath.Join(dir, siteFile))
	return err == nil && bytes.Equal(data, ab.site)
}

// publishUpdate makes the next generation as a copy of current with p
// applied, and publishes it; docs are all the bulletins, in order.
func publishUpdate(ctx context.Context, dir, current string, m *manifest, p plan, docs []prepared, ab about, progress func(done, total int)) (UpdateStats, string, *fsutil.Lock, error) {
	total := len(docs)
	next, err := nextGeneration(dir)
	if err != nil {
		return UpdateStats{}, "", nil, err
	}
	nextDir := filepath.Join(dir, next)
	st, err := func() (UpdateStats, error) {
		if err := cloneGeneration(filepath.Join(dir, current), nextDir); err != nil {
			return UpdateStats{}, err
		}
		idx, err := openBleve(nextDir, false)
		if err != nil {
			return UpdateStats{}, err
		}
		st, err := updateInPlace(ctx, idx, m, p, total, incrementalBatch, progress)
		if err == nil {
			err = compact(ctx, idx)
		}
		if err == nil {
			err = writeStore(ctx, nextDir, next, docs, ab.zone, ab.site, readTable(filepath.Join(dir, current)), nil)
		}
		if err == nil {
			err = writeSuggest(ctx, nextDir, docs)
		}
		if err == nil {
			err = writeSynonyms(nextDir, ab.synonyms)
		}
		// Stopped once the work is done is stopped all the same: the
		// caller has given up, and publishes nothing.
		return st, errors.Join(err, idx.Close(), ctx.Err())
	}()
	if err != nil {
		os.RemoveAll(nextDir)
		return st, "", nil, err
	}
	use, err := switchTo(dir, next)
	return st, next, use, err
}

// switchTo makes generation name of dir the current one and removes the
// generations nothing uses any more. The caller holds the write lock.
func switchTo(dir, name string) (*fsutil.Lock, error) {
	if err := openToReaders(filepath.Join(dir, name)); err != nil {
		return nil, err
	}
	use, err := fsutil.TryRLock(filepath.Join(dir, name+lockSuffix))
	if err != nil {
		return nil, err
	}
	if err := setCurrent(dir, name); err != nil {
		use.Unlock()
		return nil, err
	}
	collect(dir, true)
	return use, nil
}

// openToReaders lets every user read the generation in dir, as the files
// the store writes are: bleve makes its folders and segment files for
// their owner alone, and a search server may run as another user than
// the build (as nginx does), or read a copy of the folder.
func openToReaders(dir string) error {
	return filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || !d.IsDir() && !d.Type().IsRegular() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		return fsutil.LetOthersRead(p, info)
	})
}

// generationManifest returns the manifest of the generation in dir, or
// nil when there is none or it cannot be read: the generation is then
// rebuilt.
func generationManifest(dir string) *manifest {
	if !isIndexDir(dir) || readTable(dir) == nil {
		return nil
	}
	idx, err := openBleve(dir, true)
	if err != nil {
		return nil
	}
	defer idx.Close()
	m, err := readManifest(idx)
	if err != nil {
		return nil
	}
	return m
}

// makeDocument makes d's document if it has none yet: documents are made
// only of what is indexed, a batch at a time.
func (d *prepared) makeDocument(ctx context.Context) error {
	if d.doc != nil {
		return nil
	}
	doc := newDocument(d.b)
	if d.site != nil {
		c, err := d.site.Content(ctx, d.b)
		if err != nil {
			return err
		}
		doc.Text, doc.Body = c.Text, c.Body
	}
	d.doc = &doc
	return nil
}

// drop lets d's document go once indexed (the batch holds what it needs),
// when it can be made again.
func (d *prepared) drop() {
	if d.site != nil {
		d.doc = nil
	}
}

// prepare digests all published bulletins. The documents of a lean
// site's are made as they are indexed.
func prepare(s *site.Site) []prepared {
	docs := make([]prepared, len(s.Bulletins))
	hs := make([]hash.Hash, runtime.GOMAXPROCS(0))
	parallel.For(context.Background(), len(hs), len(docs), func(w, i int) error {
		if hs[w] == nil {
			hs[w] = newDigester()
		}
		b := s.Bulletins[i]
		d := newDocument(b)
		docs[i] = prepared{id: b.URL, b: b, digest: d.digest(hs[w], b.Hash)}
		if s.Lean() {
			docs[i].site = s // documents are made as they are indexed
		} else {
			docs[i].doc = &d // holding its text already
		}
		return nil
	})
	return docs
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
			if err := d.makeDocument(ctx); err != nil {
				return st, err
			}
			if err := b.Index(d.id, *d.doc); err != nil {
				return st, diag.Errorf("indexing %s: %w", d.id, err)
			}
			d.drop()
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

// rebuild builds an index of docs in the new folder dir.
func rebuild(ctx context.Context, dir, gen string, docs []prepared, version string, progress func(done, total int)) (UpdateStats, *storeFiller, error) {
	st := UpdateStats{Docs: len(docs), Added: len(docs), Rebuilt: true}
	idx, err := bleve.NewUsing(dir, newMapping(), bleve.Config.DefaultIndexType, bleve.Config.DefaultKVStore,
		map[string]any{"scorchMergePlanOptions": map[string]any{"MaxSegmentSize": maxSegmentDocs}})
	if err != nil {
		return st, nil, err
	}
	// The store's records are written as the documents are made.
	var store *storeFiller
	if gen != "" {
		if store, err = newStoreFiller(dir, gen, len(docs)); err != nil {
			idx.Close()
			return st, nil, err
		}
	}
	fail := func(err error) (UpdateStats, *storeFiller, error) {
		idx.Close()
		if store != nil {
			store.pw.abort()
		}
		return st, nil, err
	}
	if err := indexAll(ctx, idx, docs, store, progress); err != nil {
		return fail(err)
	}
	data := encodeManifest(version, docs)
	if err := compact(ctx, idx); err != nil {
		return fail(err)
	}
	// The manifest goes in last: a generation without one is never
	// published or updated.
	if err := errors.Join(idx.SetInternal(manifestKey, data), idx.Close()); err != nil {
		if store != nil {
			store.pw.abort()
		}
		return st, nil, err
	}
	return st, store, ctx.Err()
}

// indexAll indexes docs with one batch in flight per core: bleve builds
// each batch's segment on the calling goroutine. A batch that fails stops
// the others from starting; the errors of every batch that failed are
// returned, in the order of the batches.
func indexAll(ctx context.Context, idx bleve.Index, docs []prepared, store *storeFiller, progress func(done, total int)) error {
	batches := (len(docs) + rebuildBatch - 1) / rebuildBatch
	errs := make([]error, batches)
	var done atomic.Int64
	g, gctx := errgroup.WithContext(ctx)
	g.SetLimit(runtime.GOMAXPROCS(0))
	for k := range batches {
		if gctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if gctx.Err() != nil {
				return nil // stopped while this batch waited for a core
			}
			start, end := k*rebuildBatch, min((k+1)*rebuildBatch, len(docs))
			b := idx.NewBatch()
			for i := start; i < end; i++ {
				if err := docs[i].makeDocument(gctx); err != nil {
					errs[k] = err
					return err
				}
				if err := b.Index(docs[i].id, *docs[i].doc); err != nil {
					errs[k] = diag.Errorf("indexing %s: %w", docs[i].id, err)
					return errs[k]
				}
				if store != nil {
					if err := store.add(i, &docs[i]); err != nil {
						errs[k] = err
						return err
					}
				}
				docs[i].drop()
			}
			if err := idx.Batch(b); err != nil {
				errs[k] = err
				return err
			}
			n := done.Add(int64(end - start))
			if progress != nil {
				progress(int(n), len(docs))
			}
			return nil
		})
	}
	g.Wait() // the errors are in errs
	return errors.Join(append(errs, ctx.Err())...)
}

// maxSegmentDocs bounds the bulletins of a segment that merges make. A
// merge reads its segments through mapped memory, which counts as the
// build's while it runs: on a site of a million bulletins, bleve's own
// bound (5 million) would let a merge map gigabytes. A site that large
// keeps a segment per 50,000 to 100,000 bulletins, at some cost to
// searches.
const maxSegmentDocs = 100_000

// mergeOptions are bleve's merge plan with maxSegmentDocs.
func mergeOptions() mergeplan.MergePlanOptions {
	opts := mergeplan.DefaultMergePlanOptions
	opts.MaxSegmentSize = maxSegmentDocs
	return opts
}

// compact merges the index's segments where bleve's tiers overflow
// (segments of at most maxSegmentDocs), so that the small segments of a
// rebuild's batches or of many updates do not pile up: the index is
// closed before bleve's background merging would get to them.
func compact(ctx context.Context, idx bleve.Index) error {
	adv, err := idx.Advanced()
	if err != nil {
		return err
	}
	s, ok := adv.(*scorch.Scorch)
	if !ok {
		return nil
	}
	opts := mergeOptions()
	return s.ForceMerge(ctx, &opts)
}
