package indexer

import (
	"cmp"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"html/template"
	"slices"
	"strconv"
	"time"

	"bulletin/internal/site"

	"github.com/blevesearch/bleve/v2"
	"github.com/blevesearch/bleve/v2/search"
	"github.com/blevesearch/bleve/v2/search/query"
	index "github.com/blevesearch/bleve_index_api"
)

// Index is an open search index together with the site it indexes. It is
// safe for concurrent use.
//
// bleve finds the candidates and scores them; the rest is done here, on
// the loaded site: checking that the words appear as written, counting
// facets, sorting and paging. That costs a slice lookup per candidate,
// where bleve's collector would read doc values and stored IDs for each.
type Index struct {
	idx bleve.Index
	// reader is one snapshot of the index, held open while the Index is:
	// the internal document IDs in byDoc stay valid only within it. The
	// index is opened read-only, so there is no newer snapshot anyway.
	reader index.IndexReader
	// byDoc finds a document's bulletin by its number in the snapshot
	// (scorch's internal IDs are 8-byte big-endian numbers).
	byDoc []*entry
	// names are the bureaus, regions, categories and years, which
	// entries refer to by number, so facets count in slices.
	names [numFacets][]string
	// freq counts the bytes of all texts, for choosing the byte a
	// pattern search looks for first (pattern.withAnchor).
	freq [256]int
}

// entry is a bulletin with its text folded for matching (see foldText).
type entry struct {
	b *site.Bulletin
	// rank is the bulletin's place in the site's order, newest first.
	rank                       int
	title, summary, meta, text string
	facet                      [numFacets]int // in Index.names; -1 for no category
}

// The facets, as indexes of Index.names and entry.facet.
const (
	facetBureau = iota
	facetRegion
	facetCategory
	facetYear
	numFacets
)

func (e *entry) contains(p pattern) bool {
	for _, s := range []string{e.title, e.meta, e.summary, e.text} {
		if i, _ := p.index(s, 0); i >= 0 {
			return true
		}
	}
	return false
}

// Open opens the index in dir for searching. Update must have brought it
// up to date with s: hits are shown from s.
func Open(dir string, s *site.Site) (*Index, error) {
	idx, err := openBleve(dir, true)
	if err != nil {
		return nil, fmt.Errorf("opening the search index: %w", err)
	}
	ix, err := newIndex(idx, dir, s)
	if err != nil {
		idx.Close()
		return nil, err
	}
	return ix, nil
}

func newIndex(idx bleve.Index, dir string, s *site.Site) (*Index, error) {
	m, err := readManifest(idx)
	if err != nil {
		return nil, err
	}
	if m == nil || m.Version != mappingVersion() {
		return nil, fmt.Errorf("the search index in %s is incomplete or of another version; run bulletin build to update it", dir)
	}
	adv, err := idx.Advanced()
	if err != nil {
		return nil, err
	}
	reader, err := adv.Reader()
	if err != nil {
		return nil, err
	}
	ix := &Index{idx: idx, reader: reader}
	byURL := make(map[string]*entry, len(s.Bulletins))
	numbers := [numFacets]map[string]int{{}, {}, {}, {}}
	number := func(f int, name string) int {
		n, ok := numbers[f][name]
		if !ok {
			n = len(ix.names[f])
			numbers[f][name] = n
			ix.names[f] = append(ix.names[f], name)
		}
		return n
	}
	for i, b := range s.Bulletins {
		d := newDocument(b)
		e := &entry{
			b:       b,
			rank:    i,
			title:   foldText(b.Title),
			summary: foldText(b.Summary),
			meta:    foldText(d.Meta),
			text:    foldText(b.Text),
		}
		e.facet[facetBureau] = number(facetBureau, b.Bureau.Name)
		e.facet[facetRegion] = number(facetRegion, b.Region.Name)
		e.facet[facetCategory] = -1
		if b.Category != nil {
			e.facet[facetCategory] = number(facetCategory, b.Category.Name)
		}
		e.facet[facetYear] = number(facetYear, strconv.Itoa(b.Date.Year()))
		byURL[b.URL] = e
	}
	for _, e := range byURL {
		for _, t := range []string{e.title, e.summary, e.meta, e.text} {
			for i := range len(t) {
				ix.freq[t[i]]++
			}
		}
	}
	// Map every document of the snapshot to its bulletin, once.
	err = ix.each(context.Background(), query.NewMatchAllQuery(), func(d *search.DocumentMatch) error {
		id, err := reader.ExternalID(d.IndexInternalID)
		if err != nil {
			return err
		}
		n, ok := docNumber(d.IndexInternalID)
		if !ok {
			return fmt.Errorf("search index: unexpected document ID %x", d.IndexInternalID)
		}
		if e := byURL[id]; e != nil {
			for uint64(len(ix.byDoc)) <= n {
				ix.byDoc = append(ix.byDoc, nil)
			}
			ix.byDoc[n] = e
		}
		return nil
	})
	if err != nil {
		reader.Close()
		return nil, err
	}
	return ix, nil
}

func docNumber(id index.IndexInternalID) (uint64, bool) {
	if len(id) != 8 {
		return 0, false
	}
	return binary.BigEndian.Uint64(id), true
}

// entryOf returns the bulletin of a document, or nil.
func (ix *Index) entryOf(id index.IndexInternalID) *entry {
	if n, ok := docNumber(id); ok && n < uint64(len(ix.byDoc)) {
		return ix.byDoc[n]
	}
	return nil
}

// Close closes the index.
func (ix *Index) Close() error {
	return errors.Join(ix.reader.Close(), ix.idx.Close())
}

// each calls fn with every document that q matches, with its score.
func (ix *Index) each(ctx context.Context, q query.Query, fn func(*search.DocumentMatch) error) error {
	s, err := q.Searcher(ctx, ix.reader, ix.idx.Mapping(), search.SearcherOptions{})
	if err != nil {
		return err
	}
	defer s.Close()
	sctx := &search.SearchContext{DocumentMatchPool: search.NewDocumentMatchPool(s.DocumentMatchPoolSize(), 0), IndexReader: ix.reader}
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
	Hits  []Hit
	// Partial is set when no bulletin contains every word, and Hits are
	// the bulletins that share most of their parts instead.
	Partial bool
	Facets  Facets
	// Pages is the number of pages of results, at most MaxPage.
	Pages int
	Took  time.Duration
}

// Hit is one bulletin found.
type Hit struct {
	Bulletin *site.Bulletin
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

// found is a bulletin that matched, with its score.
type found struct {
	e     *entry
	score float64
}

// Search runs req and returns one page of results, of pageSize hits.
func (ix *Index) Search(ctx context.Context, req Request, pageSize int) (*Results, error) {
	start := time.Now()
	set, err := ix.find(ctx, req)
	if err != nil {
		return nil, err
	}
	res := set.page(req, pageSize)
	res.Took = time.Since(start)
	return res, nil
}

// resultSet is everything a search found, in order, before paging. It is
// never changed once made, so it may be shared (see resultCache).
type resultSet struct {
	words   []string
	hits    []found
	facets  Facets
	partial bool
	marks   []pattern // what to mark in titles and snippets
}

// find runs the search of req, all pages of it.
func (ix *Index) find(ctx context.Context, req Request) (*resultSet, error) {
	set := &resultSet{}
	words := parseQuery(req.Query)
	for _, w := range words {
		set.words = append(set.words, w.text)
	}
	filters := req.filters()
	if len(words) == 0 && len(filters) == 0 {
		return set, nil
	}

	var q query.Query = query.NewMatchAllQuery()
	var check []pattern
	if len(words) > 0 {
		q = strictQuery(words)
		for _, w := range words {
			p := w.pattern.withAnchor(&ix.freq)
			if !w.exact() {
				check = append(check, p)
			}
			set.marks = append(set.marks, p)
		}
	}
	hits, err := ix.collect(ctx, and(q, filters), check)
	if err != nil {
		return nil, err
	}
	if len(hits) == 0 && canLoosen(words) {
		loose, terms := looseQuery(words)
		if hits, err = ix.collect(ctx, and(loose, filters), nil); err != nil {
			return nil, err
		}
		set.partial = len(hits) > 0
		set.marks = set.marks[:0]
		for _, t := range terms {
			set.marks = append(set.marks, newPattern(t).withAnchor(&ix.freq))
		}
	}

	set.facets = ix.facets(hits)
	if req.sortByDate() {
		slices.SortFunc(hits, func(a, b found) int { return a.e.rank - b.e.rank })
	} else {
		slices.SortFunc(hits, func(a, b found) int {
			return cmp.Or(cmp.Compare(b.score, a.score), a.e.rank-b.e.rank)
		})
	}
	set.hits = hits
	return set, nil
}

// page returns page req.Page of the set, with snippets.
func (set *resultSet) page(req Request, pageSize int) *Results {
	res := &Results{
		Request: req,
		Words:   set.words,
		Total:   len(set.hits),
		Partial: set.partial,
		Facets:  set.facets,
		Pages:   min((len(set.hits)+pageSize-1)/pageSize, MaxPage),
	}
	from := min((req.Page-1)*pageSize, len(set.hits))
	for _, h := range set.hits[from:min(from+pageSize, len(set.hits))] {
		res.Hits = append(res.Hits, h.e.hit(set.marks))
	}
	return res
}

// collect returns the bulletins q matches in which every pattern of check
// appears.
func (ix *Index) collect(ctx context.Context, q query.Query, check []pattern) ([]found, error) {
	var hits []found
	err := ix.each(ctx, q, func(d *search.DocumentMatch) error {
		e := ix.entryOf(d.IndexInternalID)
		if e == nil {
			return nil // not in the site: never after Update
		}
		for _, p := range check {
			if !e.contains(p) {
				return nil
			}
		}
		hits = append(hits, found{e, d.Score})
		return nil
	})
	return hits, err
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

func (e *entry) hit(marks []pattern) Hit {
	b := e.b
	h := Hit{
		Bulletin:  b,
		URL:       b.URL,
		Title:     b.Title,
		Date:      b.Date,
		Bureau:    b.Bureau.Name,
		Region:    b.Region.Name,
		TitleHTML: highlight(b.Title, e.title, marks, 0),
	}
	if b.Category != nil {
		h.Category = b.Category.Name
	}
	if spans := find(e.text, marks); len(spans) > 0 || b.Summary == "" {
		h.Snippet = snippet(b.Text, spans, snippetRunes)
	} else {
		h.Snippet = highlight(b.Summary, e.summary, marks, snippetRunes)
	}
	return h
}

func (ix *Index) facets(hits []found) Facets {
	var counts [numFacets][]int
	for f := range counts {
		counts[f] = make([]int, len(ix.names[f]))
	}
	for _, h := range hits {
		for f, n := range h.e.facet {
			if n >= 0 {
				counts[f][n]++
			}
		}
	}
	return Facets{
		Bureau:   ix.facetValues(facetBureau, counts[facetBureau]),
		Region:   ix.facetValues(facetRegion, counts[facetRegion]),
		Category: ix.facetValues(facetCategory, counts[facetCategory]),
		Year:     ix.facetValues(facetYear, counts[facetYear]),
	}
}

func (ix *Index) facetValues(f int, counts []int) []FacetValue {
	var out []FacetValue
	for n, c := range counts {
		if c > 0 {
			out = append(out, FacetValue{ix.names[f][n], c})
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
