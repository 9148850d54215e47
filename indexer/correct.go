package indexer

import (
	"context"
	"strings"
)

// Searching what a reader probably meant: when a query finds nothing or
// little, each of its words is looked up in the generation's dictionary
// of the site's terms for a slip (the same pinyin with a wrong character,
// or one character off), and the mended query is searched. It is offered
// when it finds more; when the typed query found nothing, or no bulletin
// with every word, its results are shown instead, with a link back. A
// query with enough exact results is never touched.
const (
	// fewHits: with at most this many results a query may be a slip.
	fewHits = 2
	// maxCorrectionTries bounds the mended queries searched for one query.
	maxCorrectionTries = 4
	// correctionsPerWord is how many mendings of a word are tried.
	correctionsPerWord = 2
)

// correct returns the best mended query of req and its result set, or nil
// when there is none that finds more than set. run searches a request, as
// the handler does (cache, turn, time limit).
func (sn *snapshot) correct(ctx context.Context, req Request, set *resultSet, run runFunc) (*Correction, *resultSet) {
	if req.Exact || req.Query == "" || sn.gen.words == nil || set.count() > fewHits {
		return nil, nil
	}
	fields := strings.Fields(req.Query)
	tries := 0
	for i, f := range fields {
		for _, c := range sn.gen.words.Corrections(foldText(f), correctionsPerWord) {
			if tries == maxCorrectionTries || ctx.Err() != nil {
				return nil, nil
			}
			tries++
			mended := append([]string(nil), fields...)
			mended[i] = c.Text
			try := req
			try.Query = strings.Join(mended, " ")
			try.Page = 1
			got, err := run(try, false)
			// It must find more bulletins with every word than the query
			// as typed.
			if err != nil || got.count() <= set.count() {
				continue
			}
			return &Correction{Query: try.Query, From: req.Query}, got
		}
	}
	return nil, nil
}

// understand takes the result set of req as typed (the bulletins with
// every word) and returns what the reader is shown: widened by synonyms,
// or, when the words find nothing or little, mended (and then widened as
// if the mended query had been typed). The notes' URLs are site-relative
// (/search?…).
func (sn *snapshot) understand(ctx context.Context, req Request, set *resultSet, run runFunc) (*resultSet, *SynonymNote, *Correction) {
	searchURL := func(r Request) string {
		r.Page = 1
		return "/search?" + r.Encode()
	}
	typed := req
	typed.Exact = true
	if wide, note := sn.widen(ctx, req, set, run); wide != nil {
		note.ExactURL = searchURL(typed)
		return wide, note, nil
	}
	fix, fixed := sn.correct(ctx, req, set, run)
	if fix == nil {
		return set, nil, nil
	}
	mended := req
	mended.Query = fix.Query
	if set.count() > 0 {
		// Some results: the mended query is only offered.
		fix.URL = searchURL(mended)
		return set, nil, fix
	}
	// Nothing with every word typed: the mended query's results, with a
	// link to the words as typed, and its synonyms as if it was typed.
	fix.Applied = true
	fix.URL = searchURL(typed)
	wide, note := sn.widen(ctx, mended, fixed, run)
	if wide == nil {
		return fixed, nil, fix
	}
	mended.Exact = true
	note.ExactURL = searchURL(mended)
	return wide, note, fix
}
