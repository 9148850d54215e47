package indexer

import (
	"bytes"
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"testing/fstest"

	"bulletin/internal/fsutil"
	"bulletin/internal/parallel"
	"bulletin/internal/synonyms"
)

// Synonyms widen a query: each word that holds a term of the table (the
// built-in civil-affairs list and the site's synonyms.yaml, which each
// generation keeps a copy of) is also searched with the term replaced by
// each of its alternatives, one word at a time. Their matches come after
// the query's own, which stay exactly as they were and first; when the
// query itself finds nothing with every word, the alternatives' matches
// are shown instead. exact=1 searches the words as typed only. The table
// widens queries, never the index: a changed synonyms.yaml is published
// with the next generation, without indexing anything again.

// synonymsFile is the generation's copy of the site's synonyms.yaml.
const synonymsFile = synonyms.File

// maxSynonymQueries bounds the widened queries searched for one query.
const maxSynonymQueries = 8

// SynonymNote says that results were widened by synonyms.
type SynonymNote struct {
	Query string   // as typed
	Alts  []string // the alternatives whose matches were added
	// Only is set when the query itself found nothing with every word:
	// all the results are the alternatives'.
	Only bool
	// ExactURL searches the words as typed only (exact=1), under the
	// base path.
	ExactURL string
}

// writeSynonyms keeps the site's table (nil for none) in the generation in
// dir.
func writeSynonyms(dir string, data []byte) error {
	name := filepath.Join(dir, synonymsFile)
	if data == nil {
		if err := os.Remove(name); err != nil && !errors.Is(err, fs.ErrNotExist) {
			return err
		}
		return nil
	}
	return fsutil.WriteFile(name, data, 0o644)
}

// sameSynonyms reports whether the generation in dir keeps data.
func sameSynonyms(dir string, data []byte) bool {
	got, err := os.ReadFile(filepath.Join(dir, synonymsFile))
	if errors.Is(err, fs.ErrNotExist) {
		return data == nil
	}
	return err == nil && data != nil && bytes.Equal(got, data)
}

// readSynonyms gives the table of the generation in dir: the built-in
// terms and the site's. What is wrong in the site's file (bulletin check
// reports it) is left out; the rest applies.
func readSynonyms(dir string) (*synonyms.Table, error) {
	fsys := fstest.MapFS{}
	data, err := os.ReadFile(filepath.Join(dir, synonymsFile))
	switch {
	case err == nil:
		fsys[synonyms.File] = &fstest.MapFile{Data: data}
	case !errors.Is(err, fs.ErrNotExist):
		return nil, err
	}
	table, _, err := synonyms.Load(fsys, foldText)
	return table, err
}

// widen returns set with the matches of req's words' alternatives, and a
// note of what was added; nil when the table adds nothing. run searches a
// request as the handler does.
func (sn *snapshot) widen(ctx context.Context, req Request, set *resultSet, run runFunc) (*resultSet, *SynonymNote) {
	table := sn.gen.synonyms
	if req.Exact || req.Query == "" || table == nil {
		return nil, nil
	}
	fields := strings.Fields(req.Query)
	own := set.count() > 0
	// seen marks the bulletins listed, by rank; made when there is an
	// alternative to search.
	var seen []uint64
	firstSeen := func(rank int32) bool {
		w, bit := rank/64, uint64(1)<<(rank%64)
		first := seen[w]&bit == 0
		seen[w] |= bit
		return first
	}
	// The alternatives' searches run side by side; their hits are taken
	// in the table's order, as if one after another.
	type alternative struct {
		v   synonyms.Variant
		req Request
		got *resultSet
	}
	var alts []alternative
	for i, f := range fields {
		for _, v := range table.Variants(foldText(f)) {
			if len(alts) == maxSynonymQueries {
				break
			}
			wider := req
			mended := slices.Clone(fields)
			mended[i] = v.Text
			wider.Query, wider.Page = strings.Join(mended, " "), 1
			alts = append(alts, alternative{v: v, req: wider})
		}
	}
	parallel.For(ctx, runtime.GOMAXPROCS(0), len(alts), func(_, k int) error {
		if got, err := run(alts[k].req, false); err == nil {
			alts[k].got = got // an alternative that failed adds nothing
		}
		return nil
	})
	var mine, extra []found
	var marks []pattern
	note := &SynonymNote{Query: req.Query}
	for k, alt := range alts {
		if alt.got == nil {
			continue
		}
		// Merged with the words' own, each hit once: every text checked.
		got, err := alt.got.all(ctx)
		if err != nil {
			continue
		}
		if seen == nil {
			if mine, err = set.all(ctx); err != nil {
				return nil, nil
			}
			seen = make([]uint64, (len(sn.entries)+63)/64)
			for _, h := range mine {
				firstSeen(h.rank)
			}
		}
		added := false
		for _, h := range got {
			if firstSeen(h.rank) {
				if own {
					h.tier = uint8(k + 1) // after the words as typed and earlier alternatives
				}
				extra = append(extra, h)
				added = true
			}
		}
		if added {
			marks = append(marks, alt.got.marks...)
			if !slices.Contains(note.Alts, alt.v.Alt) {
				note.Alts = append(note.Alts, alt.v.Alt)
			}
		}
	}
	if len(extra) == 0 {
		return nil, nil
	}
	wide := &resultSet{words: set.words}
	hits := extra
	if own {
		hits = append(slices.Clip(mine), extra...)
		wide.marks = append(slices.Clip(set.marks), marks...)
	} else {
		// Nothing but alternatives: one list (tier 0), best first.
		note.Only = true
		wide.marks = marks
	}
	wide.facets = sn.facets(hits)
	wide.arrange(hits, req.sortByDate())
	return wide, note
}
