package indexer

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"html/template"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/parallel"
	"bulletin/internal/site"

	"github.com/RoaringBitmap/roaring/v2"
	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/mapping"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Index is an open search index. It is safe for concurrent use.
//
// bleve finds the candidates and scores them; the rest is done here, on
// the generation's document store (see store.go): checking that the words
// appear as written, counting facets, sorting and paging. That costs a
// slice lookup per candidate, where bleve's collector would read doc
// values and stored IDs for each; and the text of a candidate is read
// from disk only when its title, summary and names do not hold the words.
//
// An Index from OpenLive follows a changing site (Index.Update). Any
// Index moves to a generation another process publishes when told to
// (Refresh, Follow). No Index needs the site to search: all it shows
// comes from the generation, so a copy of the index folder is enough.
type Index struct {
	dir string // the index folder
	// cur is the snapshot searches start on, nil once the Index is
	// closed. Update and Refresh replace it; each search keeps the one
	// it started on, so that it sees one version of the index.
	cur atomic.Pointer[snapshot]
	// mu makes Update, Refresh and Close wait for each other.
	mu sync.Mutex
	// writable is set for an Index from OpenLive, which Update may
	// publish new generations for; opt is its options.
	writable bool
	opt      Options
	// last are the bulletins of the site last indexed by OpenLive or
	// Update, by URL, with their digests, so that Update digests only
	// the bulletins that changed.
	last map[string]lastDoc
}

// lastDoc is a bulletin as Index.Update last indexed it.
type lastDoc struct {
	b      *site.Bulletin
	digest string
}

// snapshot is one version of the index. It does not change once made.
type snapshot struct {
	// gen is the generation searched, with its document store.
	gen *generation
	// reader is one snapshot of the bleve index, held open while the
	// snapshot is in use: the internal document IDs in byDoc are valid
	// only within it.
	reader  index.IndexReader
	mapping mapping.IndexMapping
	// segments are reader's segments, whose postings lookUpAll reads as
	// bitmaps; nil when reader is not a scorch snapshot.
	segments []segmentView
	// entries are the bulletins in the site's order, newest first.
	entries []*entry
	// byDoc finds a document's bulletin by its number in the snapshot
	// (scorch's internal IDs are 8-byte big-endian numbers).
	byDoc []*entry
	// split, when set, replaces the cores and the least part that a
	// search is cut in parts for (see bitmapSearch.parts): tests cut the
	// few hits of a small index as a large one's are.
	split struct {
		workers int
		least   uint64
	}
	// checks, when sample is set, replaces exactChecks and checkSample:
	// tests leave the texts of a small index's few candidates unchecked
	// as a large one's are.
	checks struct{ exact, sample int }
	// texts are where each bulletin's text lies, by rank (see verify).
	texts []textPlace
	// rankOf is byDoc's bulletins' ranks, -1 for none: gathering hits
	// reads them in order, not from each bulletin's record.
	rankOf []int32
	// names are the bureaus, regions, categories and years, which
	// facetOf gives for each bulletin by its rank as numbers, so facets
	// count in slices.
	names   [numFacets][]string
	facetOf [][numFacets]int32 // -1 for no category
	// freq counts the bytes of the titles, summaries and names, for
	// choosing the byte a pattern search looks for first
	// (pattern.withAnchor): the texts, on disk, are written alike.
	freq [256]int
	// cache keeps result sets for Server; they are right only for this
	// snapshot.
	cache *resultCache

	// refs counts the searches using the snapshot, plus one while it is
	// the Index's current one. The last to let go closes the reader, so
	// no search ever runs on a closed one.
	refs atomic.Int64
	// done is closed when the reader is, with closeErr set.
	done     chan struct{}
	closeErr error
}

// entry is a bulletin in a snapshot: its stored record, with its title,
// summary and names folded for matching (see foldText), held in memory;
// its text is read from the store when needed.
type entry struct {
	*storedDoc
	// rank is the bulletin's place in the site's order, newest first.
	rank                 int
	title, summary, meta string
	// shortChars are the characters of title, summary and meta, for
	// ruling most candidates out before looking for a pattern in them.
	shortChars charSet
}

// count adds the bytes of e's folded texts to freq.
func (e *entry) count(freq *[256]int) {
	for _, t := range []string{e.title, e.summary, e.meta} {
		for i := range len(t) {
			freq[t[i]]++
		}
	}
}

// The facets, as indexes of snapshot.names and snapshot.facetOf.
const (
	facetBureau = iota
	facetRegion
	facetCategory
	facetYear
	numFacets
)

// Open opens the current generation of the index folder dir for
// searching, read-only. Everything a search shows comes from the index:
// the site it was made of need not be at hand.
func Open(dir string) (*Index, error) {
	dir = filepath.Clean(dir)
	g, err := openCurrent(dir)
	if err != nil {
		return nil, err
	}
	sn, err := newSnapshot(g)
	if err != nil {
		g.release()
		return nil, err
	}
	ix := &Index{dir: dir}
	ix.cur.Store(sn)
	return ix, nil
}

// Location is the time zone of the site the current generation indexes,
// in which its dates are days.
func (ix *Index) Location() *time.Location {
	sn := ix.cur.Load()
	if sn == nil {
		return time.UTC
	}
	return sn.gen.docs.loc
}

// Docs is the number of bulletins in the current generation.
func (ix *Index) Docs() int {
	sn := ix.cur.Load()
	if sn == nil {
		return 0
	}
	return len(sn.entries)
}

// SiteInfo returns what the writer of the current generation stored
// about the site (Options.SiteInfo), and the generation's name.
func (ix *Index) SiteInfo() ([]byte, string) {
	sn := ix.cur.Load()
	if sn == nil {
		return nil, ""
	}
	return sn.gen.docs.site, sn.gen.name
}

// CurrentSiteFile returns the file in which the writer of the current
// generation of the index folder dir stored what it said about the site
// (Options.SiteInfo), without opening the index; "" when there is none.
// A command reads the site's language from it before it has a site.
func CurrentSiteFile(dir string) string {
	name, err := readCurrent(dir)
	if err != nil || name == "" {
		return ""
	}
	return filepath.Join(dir, name, siteFile)
}

// checkVersion reports an error unless idx, the index in dir, is complete
// and of the current version.
func checkVersion(idx bleve.Index, dir string) error {
	v, err := readVersion(idx)
	if err != nil {
		return err
	}
	if v != mappingVersion() {
		return diag.Errorf("the search index in %s is incomplete or of another version; run bulletin build to update it", dir)
	}
	return nil
}

// newSnapshot makes a snapshot of generation g. The snapshot takes over
// the caller's reference to g, unless it fails.
func newSnapshot(g *generation) (*snapshot, error) {
	idx := g.idx
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	reader, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	docs := g.docs.docs
	sn := &snapshot{
		gen:      g,
		reader:   reader,
		segments: segmentsOf(reader),
		mapping:  idx.Mapping(),
		entries:  make([]*entry, len(docs)),
		cache:    newResultCache(cacheHits),
		done:     make(chan struct{}),
	}
	sn.refs.Store(1)
	numbers := [numFacets]map[string]int{{}, {}, {}, {}}
	number := func(f int, name string) int32 {
		n, ok := numbers[f][name]
		if !ok {
			n = len(sn.names[f])
			numbers[f][name] = n
			sn.names[f] = append(sn.names[f], name)
		}
		return int32(n)
	}
	byURL := make(map[string]*entry, len(docs))
	parallel.For(context.Background(), runtime.GOMAXPROCS(0), len(docs), func(_, i int) error {
		d := docs[i]
		e := &entry{storedDoc: d, rank: i, title: foldText(d.Title), summary: foldText(d.Summary), meta: foldText(d.Meta)}
		for _, t := range []string{e.title, e.summary, e.meta} {
			e.shortChars.addAll(t)
		}
		sn.entries[i] = e
		return nil
	})
	sn.facetOf = make([][numFacets]int32, len(docs))
	sn.texts = make([]textPlace, len(docs))
	for i, e := range sn.entries {
		d := docs[i]
		f := &sn.facetOf[i]
		f[facetBureau] = number(facetBureau, d.Bureau)
		f[facetRegion] = number(facetRegion, d.Region)
		f[facetCategory] = -1
		if d.Category != "" {
			f[facetCategory] = number(facetCategory, d.Category)
		}
		f[facetYear] = number(facetYear, strconv.Itoa(d.Date.Year()))
		sn.texts[i] = textPlace{d.pack, d.textOff, d.textLen, d.foldedLen}
		byURL[d.URL] = e
		e.count(&sn.freq)
	}
	// Map every document of the snapshot to its bulletin, once.
	err = sn.each(context.Background(), query.NewMatchAllQuery(), false, func(d *search.DocumentMatch) error {
		id, err := reader.ExternalID(d.IndexInternalID)
		if err != nil {
			return err
		}
		n, ok := docNumber(d.IndexInternalID)
		if !ok {
			return diag.Errorf("search index: unexpected document ID %x", d.IndexInternalID)
		}
		if e := byURL[id]; e != nil {
			for uint64(len(sn.byDoc)) <= n {
				sn.byDoc = append(sn.byDoc, nil)
			}
			sn.byDoc[n] = e
		}
		return nil
	})
	if err != nil {
		reader.Close()
		return nil, err
	}
	sn.rankOf = make([]int32, len(sn.byDoc))
	for n, e := range sn.byDoc {
		sn.rankOf[n] = -1
		if e != nil {
			sn.rankOf[n] = int32(e.rank)
		}
	}
	return sn, nil
}

func docNumber(id index.IndexInternalID) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(id), true
}

// entryOf returns the bulletin of a document, or nil.
func (sn *snapshot) entryOf(id index.IndexInternalID) *entry {
	if n, ok := docNumber(id); ok && n < uint64(len(sn.byDoc)) {
		return sn.byDoc[n]
	}
	return nil
}

// errClosed is returned by searches and updates of a closed Index.
var errClosed = errors.New("the search index is closed")

// acquire returns the current snapshot, which the caller must release.
func (ix *Index) acquire() (*snapshot, error) {
	for {
		sn := ix.cur.Load()
		if sn == nil {
			return nil, errClosed
		}
		if sn.tryAcquire() {
			return sn, nil
		}
		// sn was replaced since the Load, and its last search has closed
		// its reader: the current snapshot is a newer one.
	}
}

// tryAcquire takes a reference to sn, unless its reader is closed.
func (sn *snapshot) tryAcquire() bool {
	for n := sn.refs.Load(); n > 0; n = sn.refs.Load() {
		if sn.refs.CompareAndSwap(n, n+1) {
			return true
		}
	}
	return false
}

// release lets go of sn, closing its reader if it was the last use of a
// snapshot that is no longer current.
func (sn *snapshot) release() {
	if sn.refs.Add(-1) == 0 {
		sn.closeErr = sn.reader.Close()
		if sn.gen != nil {
			sn.closeErr = errors.Join(sn.closeErr, sn.gen.release())
		}
		close(sn.done)
	}
}

// Close closes the index, once the searches running on it are done.
func (ix *Index) Close() error {
	ix.mu.Lock()
	defer ix.mu.Unlock()
	sn := ix.cur.Swap(nil)
	if sn == nil {
		return errClosed
	}
	sn.release()
	<-sn.done
	return sn.closeErr
}

// each calls fn with every document that q matches, with its score.
func (sn *snapshot) each(ctx context.Context, q query.Query, scored bool, fn func(*search.DocumentMatch) error) error {
	// Unscored, bleve combines the terms' postings as bitmaps, without
	// visiting each bulletin of each term: what ordering by date needs.
	opt := search.SearcherOptions{}
	if !scored {
		opt.Score = "none"
	}
	s, err := q.Searcher(ctx, sn.reader, sn.mapping, opt)
	if err != nil {
		return err
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: sn.reader}
	for n := 0; ; n++ {
		if n%256 == 0 {
			if err := ctx.Err(); err != nil {
				return err
			}
		}
		d, err := s.Next(sctx)
		if err != nil || d == nil {
			return err
		}
		if err := fn(d); err != nil {
			return err
		}
		sctx.DocumentMatchPool.Put(d)
	}
}

// Results is the outcome of a search.
type Results struct {
	Request Request
	// Words are the words searched for: the query split at spaces, less
	// words with nothing to find (punctuation alone).
	Words []string
	Total int
	// Approximate is set when Total and the facets' counts are estimates,
	// from a sample of the bulletins that may hold a phrase (see settle).
	Approximate bool
	Hits        []Hit
	// Partial is set when no bulletin contains every word, and Hits are
	// the bulletins that share most of their parts instead.
	Partial bool
	Facets  Facets
	// Pages is the number of pages of results, at most MaxPage.
	Pages int
	Took  time.Duration
	// Correction, when the query found nothing or little, is a query the
	// reader probably meant (an input-method slip mended) that finds
	// more; when Applied, the results are its own.
	Correction *Correction
	// Synonyms, when set, says that the results include the matches of
	// alternatives of the words (synonyms.yaml), after their own.
	Synonyms *SynonymNote
}

// Correction is a query the reader probably meant.
type Correction struct {
	Query   string // the whole query, mended
	From    string // the query as typed
	Applied bool   // the results are the mended query's: the typed one found nothing
	// URL searches the mended query, or when Applied, the typed one as
	// typed (exact=1), under the base path.
	URL string
}

// Hit is one bulletin found.
type Hit struct {
	// URL is the bulletin's site-relative URL; Server's handlers put it
	// under the base path.
	URL      string
	Title    string
	Date     time.Time
	Bureau   string
	Region   string
	Category string // "" when the bulletin has none
	// TitleHTML and Snippet are escaped text with <mark> around what
	// matched; the snippet is a passage of the text around the matches,
	// cut at character boundaries.
	TitleHTML template.HTML
	Snippet   template.HTML
}

// Facets count the bulletins found by bureau, region, category and year:
// most first (years newest first), at most facetSize of each.
type Facets struct {
	Bureau, Region, Category, Year []FacetValue
}

// FacetValue is one name of a facet and how many bulletins found have it.
type FacetValue struct {
	Name  string `json:"name"`
	Count int    `json:"count"`
}

// facetSize is how many names each facet lists.
const facetSize = 20

// snippetRunes is the length of a snippet in characters, about two lines.
const snippetRunes = 110

// found is a bulletin that matched, with its score. It holds no pointer:
// a search moves tens of thousands of them about, and the collector
// would scan each and watch each move.
type found struct {
	score float64
	// rank is the bulletin's, its entry's place in snapshot.entries.
	rank int32
	// need marks the patterns of the search (by their place) that the
	// bulletin's text must hold, as its title, summary and names do not.
	need uint32
	// doc is the bulletin's document in the snapshot, in a bitmap
	// search: its hits are kept and scored in that order (see
	// collectSets).
	doc uint32
	// tier orders hits before their score: 0 for the words as typed, n
	// for those only the n-th alternative of a synonym found (see widen).
	tier uint8
}

// Search runs req and returns one page of results, of pageSize hits.
func (ix *Index) Search(ctx context.Context, req Request, pageSize int) (*Results, error) {
	start := time.Now()
	sn, err := ix.acquire()
	if err != nil {
		return nil, err
	}
	defer sn.release()
	run := func(req Request, loose bool) (*resultSet, error) { return sn.find(ctx, req, loose) }
	set, syn, fix, err := sn.answer(ctx, req, run)
	if err != nil {
		return nil, err
	}
	res, err := sn.page(ctx, set, req, pageSize)
	if err != nil {
		return nil, err
	}
	res.Took = time.Since(start)
	res.Synonyms, res.Correction = syn, fix
	return res, nil
}

// resultSet is everything a search found, before paging. It is never
// changed once made, but for a sorted copy of its hits that top makes
// when a page past the first ones is asked for, so it may be shared (see
// resultCache).
type resultSet struct {
	words   []string
	hits    []found // see arrange
	byDate  bool    // hits are newest first, else by relevance
	facets  Facets
	partial bool
	marks   []pattern // what to mark in titles and snippets
	// ordered is how many of the first hits are in order; sorted is all
	// of them in order, made once by top when a page needs more.
	ordered int
	rest    sync.Once
	sorted  []found
	// later, when set, holds the hits instead of hits while texts are
	// still to check (see settle).
	later *unchecked
}

// runFunc searches a request on a snapshot the way its caller searches
// (Server: from the cache, in turn with other searches): with loose
// unset, the bulletins with every word; with it set, the fallback of a
// query none has every word of (see looseQuery).
type runFunc func(req Request, loose bool) (*resultSet, error)

// answer runs req as the reader is answered: the words as typed, widened
// by synonyms or mended when they are a slip (see understand), and, when
// nothing has every word, the bulletins with most of them. Loosening
// comes last because it costs most and a synonym or a mending usually
// does better.
func (sn *snapshot) answer(ctx context.Context, req Request, run runFunc) (*resultSet, *SynonymNote, *Correction, error) {
	set, err := run(req, false)
	if err != nil {
		return nil, nil, nil, err
	}
	set, syn, fix := sn.understand(ctx, req, set, run)
	if set.count() == 0 && syn == nil && fix == nil {
		if set, err = run(req, true); err != nil {
			return nil, nil, nil, err
		}
	}
	return set, syn, fix, nil
}

// find runs the search of req, all pages of it: the bulletins with every
// word, or, with loose, the fallback for a query that found none (see
// looseQuery).
func (sn *snapshot) find(ctx context.Context, req Request, loose bool) (*resultSet, error) {
	set := &resultSet{}
	words := parseQuery(req.Query)
	for _, w := range words {
		set.words = append(set.words, w.text)
	}
	filters := req.filters()
	if len(words) == 0 && !req.Filtered() || loose && !canLoosen(words) {
		return set, nil
	}

	var hits []found
	var err error
	if loose {
		parts := looseParts(words)
		hits, err = sn.collectSets(ctx, parts, (len(parts)+1)/2, nil, req, !req.sortByDate())
		if errors.Is(err, errNoBitmaps) {
			q, _ := looseQuery(words)
			hits, err = sn.collect(ctx, and(q, filters), nil, req, !req.sortByDate())
		}
		if err != nil {
			return nil, err
		}
		set.partial = len(hits) > 0
		for _, p := range parts {
			set.marks = append(set.marks, p.pattern.withAnchor(&sn.freq))
		}
	} else {
		var check []pattern
		for _, w := range words {
			p := w.pattern.withAnchor(&sn.freq)
			if !w.exact() {
				check = append(check, p)
			}
			set.marks = append(set.marks, p)
		}
		scored := !req.sortByDate()
		cands, err := sn.candidateSets(ctx, words, len(words), check, req, scored)
		if err == nil {
			return set, sn.settle(ctx, set, cands, check, req.sortByDate())
		}
		if errors.Is(err, errNoBitmaps) {
			var q query.Query = query.NewMatchAllQuery()
			if len(words) > 0 {
				q = strictQuery(words)
			}
			hits, err = sn.collect(ctx, and(q, filters), check, req, scored)
		}
		if err != nil {
			return nil, err
		}
	}

	set.facets = sn.facets(hits)
	set.arrange(hits, req.sortByDate())
	return set, nil
}

// page returns page req.Page of set, a result set of sn, with snippets
// made from the texts in the store.
func (sn *snapshot) page(ctx context.Context, set *resultSet, req Request, pageSize int) (*Results, error) {
	from := (req.Page - 1) * pageSize
	top, err := set.top(ctx, from+pageSize)
	if err != nil {
		return nil, err
	}
	// Counted after top, which may have checked the last texts.
	total, facets, approximate := set.counts()
	res := &Results{
		Request:     req,
		Words:       set.words,
		Total:       total,
		Approximate: approximate,
		Partial:     set.partial,
		Facets:      facets,
		Pages:       min((total+pageSize-1)/pageSize, MaxPage),
	}
	for _, h := range top[min(from, len(top)):] {
		hit, err := sn.entries[h.rank].hit(set.marks)
		if err != nil {
			return nil, err
		}
		res.Hits = append(res.Hits, hit)
	}
	return res, nil
}

// collect returns the bulletins q matches in which every pattern of check
// appears, dated in req's days, with bleve's scores when scored.
func (sn *snapshot) collect(ctx context.Context, q query.Query, check []pattern, req Request, scored bool) ([]found, error) {
	g := newGathering(check, req, sn.texts)
	err := sn.each(ctx, q, scored, func(d *search.DocumentMatch) error {
		g.add(sn.entryOf(d.IndexInternalID), d.Score)
		return nil
	})
	if err != nil {
		return nil, err
	}
	return g.done(ctx, runtime.GOMAXPROCS(0))
}

// collectSets is collect of the bulletins holding atLeast of the words
// and passing req's filters, found as bitmaps (lookUpAll), where check
// are the patterns of the inexact words, in the words' order.
func (sn *snapshot) collectSets(ctx context.Context, words []word, atLeast int, check []pattern, req Request, scored bool) ([]found, error) {
	cands, err := sn.candidateSets(ctx, words, atLeast, check, req, scored)
	if err != nil {
		return nil, err
	}
	return sn.checkAll(ctx, cands, check)
}

// candidateSets is collectSets but for the texts: the candidates whose
// title, summary and names do not hold every pattern of check are among
// those returned, with the patterns their texts must hold marked in need.
// The candidates are found and scored in parts of the segments on all
// cores, in document order.
func (sn *snapshot) candidateSets(ctx context.Context, words []word, atLeast int, check []pattern, req Request, scored bool) ([]found, error) {
	b, err := sn.lookUpAll(ctx, words, atLeast, req.termFilters(), scored)
	if err != nil {
		return nil, err
	}
	// checked[k] is the word of check[k].
	var checked []int
	for i := range words {
		if !words[i].exact() {
			checked = append(checked, i)
		}
	}
	if len(checked) != len(check) {
		checked = nil // words not as check says: try every field
	}
	workers, least := runtime.GOMAXPROCS(0), uint64(minPart)
	if sn.split.workers > 0 {
		workers, least = sn.split.workers, sn.split.least
	}
	parts := b.parts(workers, least)
	found := make([][]found, len(parts))
	err = parallel.For(ctx, workers, len(parts), func(_, k int) error {
		p := parts[k]
		offset := sn.segments[p.s].offset
		g := newGathering(check, req, sn.texts)
		var short []roaring.IntPeekable
		if checked != nil {
			mayBe := b.mayBeShort(p.s)
			for _, i := range checked {
				it := mayBe[i].Iterator()
				short = append(short, it)
			}
		}
		all := uint32(1)<<len(check) - 1
		b.each(p, func(d uint32) {
			doc := offset + uint64(d)
			if doc >= uint64(len(sn.byDoc)) || sn.rankOf[doc] < 0 {
				return
			}
			unsure := all
			if short != nil {
				unsure = 0
				for k, it := range short {
					it.AdvanceIfNeeded(d)
					if it.HasNext() && it.PeekNext() == d {
						unsure |= 1 << k
					}
				}
			}
			g.addDoc(sn.byDoc[doc], sn.rankOf[doc], 0, uint32(doc), unsure)
		})
		found[k] = g.byDoc()
		return b.score(p.s, found[k])
	})
	if err != nil {
		return nil, err
	}
	return slices.Concat(found...), nil
}

// gathering takes the documents a search matched and keeps the bulletins
// in req's days in which every pattern of check appears: at once when
// their title, summary or names hold the patterns, after reading their
// texts otherwise.
type gathering struct {
	check []pattern
	req   Request
	texts []textPlace // snapshot.texts
	// Without dates to keep to, a hit's date is not read: each is a
	// bulletin's record elsewhere in memory.
	dated         bool
	hits, pending []found
}

func newGathering(check []pattern, req Request, texts []textPlace) *gathering {
	return &gathering{check: check, req: req, texts: texts, dated: !req.From.IsZero() || !req.To.IsZero()}
}

// add takes the bulletin e (nil for a document not in the store, which
// never is) with its score.
func (g *gathering) add(e *entry, score float64) {
	if e != nil {
		g.addDoc(e, int32(e.rank), score, 0, 1<<len(g.check)-1)
	}
}

// addDoc is add of the document numbered doc in the snapshot, whose
// bulletin e has rank, of which only the patterns of check marked in
// unsure may be in its title, summary or names: the others are looked
// for in its text alone.
func (g *gathering) addDoc(e *entry, rank int32, score float64, doc uint32, unsure uint32) {
	if g.dated && !g.req.inDates(e.Date) {
		return
	}
	var need uint32
	for i, p := range g.check {
		if unsure&(1<<i) == 0 || !e.containsShort(p) {
			need |= 1 << i
		}
	}
	if need != 0 {
		// Its text decides: read later, with the others.
		g.pending = append(g.pending, found{score: score, rank: rank, need: need, doc: doc})
		return
	}
	g.hits = append(g.hits, found{score: score, rank: rank, doc: doc})
}

// done returns the bulletins kept, reading the texts still to check on
// workers cores.
func (g *gathering) done(ctx context.Context, workers int) ([]found, error) {
	inText, err := verify(ctx, g.pending, g.check, g.texts, workers)
	return append(g.hits, inText...), err
}

// byDoc returns the bulletins added in the order of their doc, those
// whose texts are still to check among them.
func (g *gathering) byDoc() []found {
	hits, pending := g.hits, g.pending
	out := make([]found, 0, len(hits)+len(pending))
	for len(hits) > 0 && len(pending) > 0 {
		if hits[0].doc < pending[0].doc {
			out, hits = append(out, hits[0]), hits[1:]
		} else {
			out, pending = append(out, pending[0]), pending[1:]
		}
	}
	return append(append(out, hits...), pending...)
}

// Reading texts for verify: a read takes the texts of several
// candidates that lie close together in a pack, up to readSpan bytes, as
// long as at least half of what it reads is theirs. Candidates of a
// common word are most bulletins, whose texts lie one after another: one
// read of many costs far less than a read of each.
const readSpan = 256 << 10

// packOffsetBits bounds the offsets in a pack, for ordering reads: 1 TiB,
// far more than a pack holds.
const packOffsetBits = 40

// verify returns the candidates in which every pattern of check appears,
// in their title, summary or names, or else in their text, in their
// order (see textsHold).
func verify(ctx context.Context, cands []found, check []pattern, texts []textPlace, workers int) ([]found, error) {
	kept, err := textsHold(ctx, cands, check, texts, workers)
	if err != nil {
		return nil, err
	}
	var out []found
	for i, c := range cands {
		if kept[i] {
			out = append(out, c)
		}
	}
	return out, nil
}

// textsHold reports for each candidate whether its text holds the
// patterns of check that its need marks; the texts, found by the
// candidates' ranks in texts, are read from the store in the order of the
// packs, on workers cores.
func textsHold(ctx context.Context, cands []found, check []pattern, texts []textPlace, workers int) ([]bool, error) {
	if len(cands) == 0 {
		return nil, nil
	}
	// In the order of the packs: sorted by a number each, which bleve's
	// order of documents mostly is already.
	type place struct {
		at   int64 // the pack's seq, then the text's offset in it
		cand int32
	}
	places := make([]place, len(cands))
	for i, c := range cands {
		t := &texts[c.rank]
		places[i] = place{int64(t.pack.seq)<<packOffsetBits | t.off, int32(i)}
	}
	slices.SortFunc(places, func(a, b place) int { return cmp.Compare(a.at, b.at) })
	text := func(i int) *textPlace { return &texts[cands[places[i].cand].rank] }
	// Group the candidates into reads.
	type span struct{ from, to int } // of places
	var spans []span
	for i := 0; i < len(places); {
		first := text(i)
		j, start, used := i+1, first.off, first.size()
		for ; j < len(places); j++ {
			t := text(j)
			end := t.off + t.size()
			if t.pack != first.pack || end-start > readSpan || end-start > 2*(used+t.size()) {
				break
			}
			used += t.size()
		}
		spans = append(spans, span{i, j})
		i = j
	}
	kept := make([]bool, len(cands))
	err := parallel.For(ctx, workers, len(spans), func(_, k int) error {
		sp := spans[k]
		first, last := text(sp.from), text(sp.to-1)
		start := first.off
		return first.pack.read(start, int(last.off+last.size()-start), func(buf []byte) {
			for i := sp.from; i < sp.to; i++ {
				c := &cands[places[i].cand]
				t := text(i)
				at := t.off - start
				folded := unsafeString(buf[at : at+int64(t.n)])
				if t.folded > 0 {
					folded = unsafeString(buf[at+int64(t.n) : at+t.size()])
				}
				keep := true
				for k, p := range check {
					if c.need&(1<<k) != 0 {
						if j, _ := p.index(folded, 0); j < 0 {
							keep = false
							break
						}
					}
				}
				kept[places[i].cand] = keep
			}
		})
	})
	if err != nil {
		return nil, err
	}
	return kept, nil
}

// textPlace is where a bulletin's text lies in its pack (see storedDoc),
// kept by rank in a table so that checking tens of thousands of
// candidates does not read each one's record elsewhere in memory.
type textPlace struct {
	pack      *packFile
	off       int64
	n, folded uint32 // textLen, foldedLen
}

func (t *textPlace) size() int64 { return int64(t.n) + int64(t.folded) }

func (e *entry) containsShort(p pattern) bool {
	if !e.shortChars.holds(&p.chars) {
		return false
	}
	for _, s := range []string{e.title, e.meta, e.summary} {
		if i, _ := p.index(s, 0); i >= 0 {
			return true
		}
	}
	return false
}

// canLoosen reports whether the loose query could find more than the
// strict one: not when the query is one exact term.
func canLoosen(words []word) bool {
	return len(words) > 1 || len(words) == 1 && !words[0].exact()
}

func and(q query.Query, filters []query.Query) query.Query {
	if len(filters) == 0 {
		return q
	}
	return query.NewConjunctionQuery(append([]query.Query{q}, filters...))
}

func (e *entry) hit(marks []pattern) (Hit, error) {
	h := Hit{
		URL:       e.URL,
		Title:     e.Title,
		Date:      e.Date,
		Bureau:    e.Bureau,
		Region:    e.Region,
		Category:  e.Category,
		TitleHTML: highlight(e.Title, e.title, marks, 0),
	}
	err := e.withText(func(text, folded string) {
		// The snippet is made here, while the text is at hand: the
		// buffer it lies in is reused after.
		if spans := find(folded, marks); len(spans) > 0 || e.Summary == "" {
			h.Snippet = snippet(text, spans, snippetRunes)
		} else {
			h.Snippet = highlight(e.Summary, e.summary, marks, snippetRunes)
		}
	})
	return h, err
}

// facets counts the names of hits' bulletins.
func (sn *snapshot) facets(hits []found) Facets { return sn.facetsOf(sn.tally(hits)) }

// tally counts the bulletins of hits with each name of each facet, by the
// names' numbers (see snapshot.names).
func (sn *snapshot) tally(hits []found) [numFacets][]int {
	type tally [numFacets][]int
	newTally := func() *tally {
		var t tally
		for f := range t {
			t[f] = make([]int, len(sn.names[f]))
		}
		return &t
	}
	// Counted in pieces on all cores: a common word's tens of thousands
	// of hits look their names up in facetOf at random places.
	workers := min(runtime.GOMAXPROCS(0), max(len(hits)/facetPiece, 1))
	tallies := make([]*tally, workers)
	// It counts in memory and cannot fail: nothing to stop.
	parallel.For(context.Background(), workers, workers, func(_, w int) error {
		t := newTally()
		for _, h := range hits[w*len(hits)/workers : (w+1)*len(hits)/workers] {
			for f, n := range sn.facetOf[h.rank] {
				if n >= 0 {
					t[f][n]++
				}
			}
		}
		tallies[w] = t
		return nil
	})
	counts := tallies[0]
	for _, t := range tallies[1:] {
		for f := range t {
			for n, c := range t[f] {
				counts[f][n] += c
			}
		}
	}
	return *counts
}

// facetsOf lists the names most counted of each facet.
func (sn *snapshot) facetsOf(counts [numFacets][]int) Facets {
	return Facets{
		Bureau:   sn.facetValues(facetBureau, counts[facetBureau]),
		Region:   sn.facetValues(facetRegion, counts[facetRegion]),
		Category: sn.facetValues(facetCategory, counts[facetCategory]),
		Year:     sn.facetValues(facetYear, counts[facetYear]),
	}
}

// facetPiece is the fewest hits worth counting on a core of their own.
const facetPiece = 4096

func (sn *snapshot) facetValues(f int, counts []int) []FacetValue {
	var out []FacetValue
	for n, c := range counts {
		if c > 0 {
			out = append(out, FacetValue{sn.names[f][n], c})
		}
	}
	slices.SortFunc(out, func(a, b FacetValue) int {
		if f == facetYear {
			return cmp.Compare(b.Name, a.Name) // newest first
		}
		return cmp.Or(cmp.Compare(b.Count, a.Count), cmp.Compare(a.Name, b.Name))
	})
	return out[:min(len(out), facetSize)]
}
