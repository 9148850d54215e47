package indexer

import (
	"cmp"
	"context"
	"errors"
	"math"
	"slices"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2/index/scorch"
	index "github.com/blevesearch/bleve_index_api"
	segment "github.com/blevesearch/scorch_segment_api/v2"
)

// A search for the bulletins holding every word is set arithmetic on the
// index's postings: the bulletins whose field holds all of a word's terms
// are the intersection of the terms' postings in that field, a word's
// bulletins the union over the fields, the search's the intersection over
// its words and filters. bleve's searchers do this one document at a time
// through several layers of iterators, scoring each: at 100,000 bulletins
// a common word's 20,000 hits took tens of milliseconds. Roaring bitmaps
// of the postings, which scorch's segments hold, do it in a fraction of
// that; the hits are then scored as bleve scores them, reading only their
// own postings (see segmentMatch.score).

// errNoBitmaps is returned when the index's segments do not give their
// postings as bitmaps; the search then runs through bleve's searchers.
var errNoBitmaps = errors.New("postings without bitmaps")

// segmentsOf returns the segments of a bleve index snapshot, each with
// the number of its first document in the snapshot, or nil when reader
// is not a scorch snapshot.
func segmentsOf(reader index.IndexReader) []segmentView {
	is, ok := reader.(*scorch.IndexSnapshot)
	if !ok {
		return nil
	}
	var views []segmentView
	var offset uint64
	for _, ss := range is.Segments() {
		// As scorch numbers them: each segment's documents after the
		// previous segments', deleted ones included.
		views = append(views, segmentView{seg: ss.Segment(), offset: offset, deleted: ss.Deleted()})
		offset += ss.Segment().Count()
	}
	return views
}

// segmentView is one segment of a snapshot.
type segmentView struct {
	seg    segment.Segment
	offset uint64
	// deleted are its documents replaced or removed since it was written
	// (nil for none): the postings still hold them.
	deleted *roaring.Bitmap
}

// termFilter is a filter of a request as the index holds it: a keyword
// field's term, or every term with a prefix (a region and its cities).
type termFilter struct {
	field, value string
	prefix       bool
}

// postings reads one segment's postings as bitmaps. Bitmaps it gets from
// the segment may be views of the index file: they are only ever read,
// and the results are new bitmaps.
type postings struct {
	seg   segment.Segment
	dicts map[string]segment.TermDictionary
	terms map[fieldTerm]*roaring.Bitmap // looked up already, nil for none
}

func (p *postings) dict(field string) (segment.TermDictionary, error) {
	if d, ok := p.dicts[field]; ok {
		return d, nil
	}
	d, err := p.seg.Dictionary(field)
	if err != nil {
		return nil, err
	}
	if p.dicts == nil {
		p.dicts = map[string]segment.TermDictionary{}
	}
	p.dicts[field] = d
	return d, nil
}

// term returns the documents whose field holds term; nil for none.
func (p *postings) term(field, term string) (*roaring.Bitmap, error) {
	key := fieldTerm{field, term}
	if bm, ok := p.terms[key]; ok {
		return bm, nil
	}
	d, err := p.dict(field)
	if err != nil {
		return nil, err
	}
	bm, err := termBitmap(d, []byte(term))
	if err != nil {
		return nil, err
	}
	if p.terms == nil {
		p.terms = map[fieldTerm]*roaring.Bitmap{}
	}
	p.terms[key] = bm
	return bm, nil
}

func termBitmap(d segment.TermDictionary, term []byte) (*roaring.Bitmap, error) {
	pl, err := d.PostingsList(term, nil, nil)
	if err != nil {
		return nil, err
	}
	if pl == nil || pl.Count() == 0 {
		return nil, nil
	}
	it, ok := pl.Iterator(false, false, false, nil).(segment.OptimizablePostingsIterator)
	if !ok {
		return nil, errNoBitmaps
	}
	if n, ok := it.DocNum1Hit(); ok {
		return roaring.BitmapOf(uint32(n)), nil
	}
	return it.ActualBitmap(), nil
}

// prefix returns the documents whose field holds a term beginning with
// prefix: a new bitmap, or nil for none.
func (p *postings) prefix(field, prefix string) (*roaring.Bitmap, error) {
	d, err := p.dict(field)
	if err != nil {
		return nil, err
	}
	start := []byte(prefix)
	it := d.AutomatonIterator(nil, start, prefixEnd(start))
	var all []*roaring.Bitmap
	for {
		e, err := it.Next()
		if err != nil {
			return nil, err
		}
		if e == nil {
			break
		}
		bm, err := termBitmap(d, []byte(e.Term))
		if err != nil {
			return nil, err
		}
		if bm != nil {
			all = append(all, bm)
		}
	}
	if len(all) == 0 {
		return nil, nil
	}
	return roaring.FastOr(all...), nil
}

// prefixEnd is the first key after every key beginning with prefix, or
// nil when there is none (a prefix of 0xff bytes).
func prefixEnd(prefix []byte) []byte {
	end := slices.Clone(prefix)
	for i := len(end) - 1; i >= 0; i-- {
		if end[i] < 0xff {
			end[i]++
			return end[:i+1]
		}
	}
	return nil
}

// word returns the documents whose field holds every term and prefix of
// w; nil for none.
func (p *postings) word(field string, w *word) (*roaring.Bitmap, error) {
	var parts []*roaring.Bitmap
	for _, t := range w.terms {
		bm, err := p.term(field, t)
		if err != nil || bm == nil {
			return nil, err
		}
		parts = append(parts, bm)
	}
	for _, pre := range w.prefixes {
		bm, err := p.prefix(field, pre)
		if err != nil || bm == nil {
			return nil, err
		}
		parts = append(parts, bm)
	}
	return intersect(parts), nil
}

// intersect returns a new bitmap of what every one of parts holds, or nil
// when that is nothing.
func intersect(parts []*roaring.Bitmap) *roaring.Bitmap {
	if len(parts) == 0 {
		return nil
	}
	// Smallest first: each step costs at most the smaller side.
	slices.SortFunc(parts, func(a, b *roaring.Bitmap) int {
		return int(int64(a.GetCardinality()) - int64(b.GetCardinality()))
	})
	out := parts[0].Clone()
	for _, bm := range parts[1:] {
		out.And(bm)
		if out.IsEmpty() {
			return nil
		}
	}
	return out
}

// filter returns the documents a filter lets through; nil for none.
func (p *postings) filter(f termFilter) (*roaring.Bitmap, error) {
	if f.prefix {
		return p.prefix(f.field, f.value)
	}
	return p.term(f.field, f.value)
}

// bitmapSearch is what a search found, segment by segment: the documents
// holding atLeast of its words and passing its filters, and what scoring
// them needs.
type bitmapSearch struct {
	sn     *snapshot
	looked []*segmentMatch // by segment; nil for none found there
	// df counts the documents holding each term of the words in each
	// field, in every segment; nil when not scored.
	df map[fieldTerm]uint64
}

// lookUpAll finds the documents of sn holding atLeast of the words (each
// in one field: the title, summary, names or text) and passing every
// filter; without words, every document the filters let through, or
// every document. With scored, it counts what scores need. It returns
// errNoBitmaps when the index's postings are not bitmaps.
func (sn *snapshot) lookUpAll(ctx context.Context, words []word, atLeast int, filters []termFilter, scored bool) (*bitmapSearch, error) {
	if sn.segments == nil {
		return nil, errNoBitmaps
	}
	b := &bitmapSearch{sn: sn, looked: make([]*segmentMatch, len(sn.segments))}
	if scored && len(words) > 0 {
		// Scores weigh a term by the documents holding it in the field,
		// in every segment: all are looked up before any is scored.
		b.df = map[fieldTerm]uint64{}
	}
	for s, v := range sn.segments {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		m, err := lookUp(v, words, atLeast, filters, b.df)
		if err != nil {
			return nil, err
		}
		b.looked[s] = m
	}
	return b, nil
}

// A part is some of one segment's documents found, which one core
// keeps, checks and scores on its own: a search's work is spread over
// all cores even when one or two large segments hold most of the index.
type part struct {
	s        int    // the segment
	from, to uint64 // the documents' numbers in it, to excluded
}

// minPart is the fewest documents found worth a part of their own: each
// part reads its postings from the start of its segment's.
const minPart = 4096

// parts cuts what b found into parts for workers cores, the largest
// first, each of at least least documents but a segment's whole.
func (b *bitmapSearch) parts(workers int, least uint64) []part {
	var total uint64
	for _, m := range b.looked {
		if m != nil {
			total += m.found.GetCardinality()
		}
	}
	size := max(total/uint64(max(workers, 1)), least, 1)
	type sized struct {
		part
		n uint64
	}
	var parts []sized
	for s, m := range b.looked {
		if m == nil {
			continue
		}
		n := m.found.GetCardinality()
		cuts := min(uint64(workers), (n+size-1)/size)
		from := uint64(0)
		for k := uint64(1); k <= cuts; k++ {
			to := b.sn.segments[s].seg.Count()
			if k < cuts {
				at, err := m.found.Select(uint32(k * n / cuts))
				if err != nil {
					continue
				}
				to = uint64(at)
			}
			parts = append(parts, sized{part{s, from, to}, n / cuts})
			from = to
		}
	}
	slices.SortStableFunc(parts, func(x, y sized) int { return cmp.Compare(y.n, x.n) })
	out := make([]part, len(parts))
	for i, p := range parts {
		out[i] = p.part
	}
	return out
}

// each calls fn with the number of each document of part p in the
// segment, ascending.
func (b *bitmapSearch) each(p part, fn func(d uint32)) {
	it := b.looked[p.s].found.Iterator()
	it.AdvanceIfNeeded(uint32(p.from))
	for it.HasNext() {
		d := it.Next()
		if uint64(d) >= p.to {
			return
		}
		fn(d)
	}
}

// mayBeShort returns, for each word, the documents of segment s whose
// title, summary or names may hold it (hold its terms): those without
// need not be looked at to know that only their text can.
func (b *bitmapSearch) mayBeShort(s int) []*roaring.Bitmap {
	m := b.looked[s]
	out := make([]*roaring.Bitmap, len(m.in))
	for i, in := range m.in {
		var fields []*roaring.Bitmap
		for k, f := range textFields {
			if f.name != fieldText && in[k] != nil {
				fields = append(fields, in[k])
			}
		}
		out[i] = roaring.FastOr(fields...)
	}
	return out
}

// score sets the score of each of hits, documents of segment s found (see
// segmentMatch.score) in the order of their doc, reading the postings
// with a reader of its own, so that parts of one segment are scored side
// by side. Only these are scored: of a phrase's candidates, only those
// whose text holds it.
func (b *bitmapSearch) score(s int, hits []found) error {
	if b.df == nil || len(hits) == 0 {
		return nil
	}
	offset := b.sn.segments[s].offset
	docs := make([]uint32, len(hits))
	for j, h := range hits {
		docs[j] = uint32(uint64(h.doc) - offset)
	}
	m := b.looked[s]
	scores, err := m.score(&postings{seg: m.seg}, docs, b.df, len(b.sn.entries))
	if err != nil {
		return err
	}
	for j := range hits {
		hits[j].score = scores[j]
	}
	return nil
}

// fieldTerm is a term of a field.
type fieldTerm struct{ field, term string }

// segmentMatch is what one segment holds of a search: the documents
// found, and for each word and field the documents holding the word there.
type segmentMatch struct {
	seg   segment.Segment
	words []word
	found *roaring.Bitmap
	in    [][len(textFields)]*roaring.Bitmap
	// held counts the words each document holds, when a document need
	// not hold all.
	held []uint8
}

// lookUp finds the documents of segment v holding atLeast of the words
// and passing every filter; nil for none. With df, it adds to it the
// live documents of v holding each term of the words in each field, and
// looks every word up to count it.
func lookUp(v segmentView, words []word, atLeast int, filters []termFilter, df map[fieldTerm]uint64) (*segmentMatch, error) {
	count := df != nil
	p := &postings{seg: v.seg}
	m := &segmentMatch{seg: v.seg, words: words, in: make([][len(textFields)]*roaring.Bitmap, len(words))}
	narrow := func(bm *roaring.Bitmap) {
		if m.found == nil {
			m.found = bm.Clone()
		} else {
			m.found.And(bm)
		}
	}
	for _, f := range filters {
		bm, err := p.filter(f)
		if err != nil {
			return nil, err
		}
		if bm == nil {
			if !count {
				return nil, nil
			}
			m.found = roaring.New() // nothing, but the words are counted
			break
		}
		narrow(bm)
	}
	loose := atLeast < len(words)
	if loose {
		m.held = make([]uint8, v.seg.Count())
	}
	for i := range words {
		var any []*roaring.Bitmap
		for k, f := range textFields {
			bm, err := p.word(f.name, &words[i])
			if err != nil {
				return nil, err
			}
			if bm != nil {
				m.in[i][k] = bm
				any = append(any, bm)
			}
			if count {
				for _, t := range words[i].terms {
					bm, err := p.term(f.name, t)
					if err != nil {
						return nil, err
					}
					if bm != nil {
						// As bleve counts them: live documents only.
						n := bm.GetCardinality()
						if v.deleted != nil {
							n -= bm.AndCardinality(v.deleted)
						}
						df[fieldTerm{f.name, t}] += n
					}
				}
			}
		}
		var holding *roaring.Bitmap
		if len(any) > 0 {
			holding = roaring.FastOr(any...)
		}
		if loose {
			if holding != nil {
				holding.Iterate(func(d uint32) bool {
					m.held[d]++
					return true
				})
			}
			continue
		}
		if m.found != nil && m.found.IsEmpty() {
			continue // found nothing already; only counting
		}
		if holding == nil {
			if !count {
				return nil, nil
			}
			m.found = roaring.New()
			continue
		}
		narrow(holding)
	}
	if loose {
		enough := roaring.New()
		for d, n := range m.held {
			if int(n) >= atLeast {
				enough.Add(uint32(d))
			}
		}
		narrow(enough)
	}
	if m.found == nil {
		// Neither words nor filters: every document.
		m.found = roaring.New()
		m.found.AddRange(0, v.seg.Count())
	}
	if v.deleted != nil {
		m.found.AndNot(v.deleted)
	}
	if m.found.IsEmpty() {
		return nil, nil
	}
	return m, nil
}

// score returns the score of each of docs, documents found in ascending
// order, read through p, weighing terms as bleve's classic scores do: for
// each word and each field holding it, the field's boost times the sum of
// idf² over the word's terms times √tf · norm of its rarest term in the
// field, where idf = 1 + ln(N/(df+1)) for the df of the n documents
// holding the term in the field, tf is how often the field holds it and
// norm is 1/√(the field's length in terms). A word of one term scores as
// bleve scores it. Of a word of several (a phrase, a word of three or
// more characters), bleve would add up each term's √tf · norm; the
// rarest term's count is nearest the word's own, as most of the others'
// occurrences are elsewhere, and reading one term's postings instead of
// all is most of what scoring a long phrase's hits costs. A word of a
// single character (prefixes only) counts the field's boost alone: its
// count would take the postings of every term it begins.
func (m *segmentMatch) score(p *postings, docs []uint32, df map[fieldTerm]uint64, n int) ([]float64, error) {
	scores := make([]float64, len(docs))
	hits := roaring.BitmapOf(docs...)
	for i := range m.in {
		w := &m.words[i]
		for k, f := range textFields {
			if m.in[i][k] == nil {
				continue
			}
			found := roaring.And(m.in[i][k], hits)
			if len(w.terms) == 0 {
				addAlong(docs, found, func(j int, _ uint32) error {
					scores[j] += f.boost
					return nil
				})
				continue
			}
			var weight float64
			rarest := w.terms[0]
			for _, t := range w.terms {
				count := df[fieldTerm{f.name, t}]
				idf := 1 + math.Log(float64(n)/float64(count+1))
				weight += idf * idf
				if count < df[fieldTerm{f.name, rarest}] {
					rarest = t
				}
			}
			weigh, err := p.weigher(f.name, rarest)
			if err != nil {
				return nil, err
			}
			err = addAlong(docs, found, func(j int, d uint32) error {
				tfNorm, err := weigh(d)
				scores[j] += f.boost * weight * tfNorm
				return err
			})
			if err != nil {
				return nil, err
			}
		}
	}
	if m.held != nil {
		// Holding more of the words comes first, as bleve's
		// coordination factor has it.
		for j, d := range docs {
			scores[j] *= float64(m.held[d]) / float64(len(m.words))
		}
	}
	return scores, nil
}

// addAlong calls add with each document of found and its place in docs,
// both ascending, found a part of docs.
func addAlong(docs []uint32, found *roaring.Bitmap, add func(j int, d uint32) error) error {
	j := 0
	it := found.Iterator()
	for it.HasNext() {
		d := it.Next()
		for docs[j] != d {
			j++
		}
		if err := add(j, d); err != nil {
			return err
		}
	}
	return nil
}

// weigher returns a function giving √tf · norm of field's term in a
// document, asked in ascending order of documents holding it.
func (p *postings) weigher(field, term string) (func(uint32) (float64, error), error) {
	d, err := p.dict(field)
	if err != nil {
		return nil, err
	}
	pl, err := d.PostingsList([]byte(term), nil, nil)
	if err != nil {
		return nil, err
	}
	if pl == nil {
		return func(uint32) (float64, error) { return 0, nil }, nil
	}
	it := pl.Iterator(true, true, false, nil)
	var at segment.Posting
	return func(doc uint32) (float64, error) {
		if at == nil || at.Number() < uint64(doc) {
			var err error
			if at, err = it.Advance(uint64(doc)); err != nil || at == nil {
				return 0, err
			}
		}
		if at.Number() != uint64(doc) {
			return 0, nil
		}
		return math.Sqrt(float64(at.Frequency())) * at.Norm(), nil
	}, nil
}
