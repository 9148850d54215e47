package indexer

import (
	"slices"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"bulletin/internal/hanzi"
)

// Limits on what a reader's query may cost.
const (
	// MaxQueryRunes is where a query is cut; nobody types more into a
	// search box, and a pasted page would only be slow.
	MaxQueryRunes = 100
	// maxWords bounds the words of one query (each word is a few term
	// searchers per field).
	maxWords = 20
)

// word is one space-separated word of a query: what the index must hold for
// a bulletin to contain it, and the pattern that decides that it does.
type word struct {
	text string
	// terms are index terms a bulletin containing the word must have in
	// one field: bigrams, Latin words and numbers, and single characters
	// that stand next to numbers or Latin letters.
	terms []string
	// prefixes are single Han characters with no neighbour in the word.
	// In the text such a character may stand anywhere in a run; the
	// index holds it there as the first character of a bigram, or, at the
	// end of the run, alone: a prefix query finds both.
	prefixes []string
	// pattern is the word as it must appear in the text: pieces of folded
	// characters, separated in the text by any punctuation or spaces.
	pattern pattern
}

// exact reports whether a bulletin holding the word's terms surely
// contains the word, so that no check against the text is needed.
func (w *word) exact() bool {
	return len(w.terms)+len(w.prefixes) == 1 && len(w.pattern.pieces) == 1
}

// parseQuery splits q into words at white space (including the
// ideographic space). Words without any letter, digit or Han character
// (such as `*~\"`) are dropped, as the index holds nothing to match them.
func parseQuery(q string) []word {
	var words []word
	for _, f := range strings.Fields(q) {
		if w, ok := parseWord(f); ok && !slices.ContainsFunc(words, func(o word) bool { return o.text == w.text }) {
			words = append(words, w)
			if len(words) == maxWords {
				break
			}
		}
	}
	return words
}

func parseWord(s string) (word, bool) {
	folded := foldText(s)
	w := word{text: s, pattern: newPattern(folded)}
	if w.pattern.empty() {
		return w, false
	}
	// The terms of the folded word, as the analyzer indexes folded text.
	text := []byte(folded)
	tokenize(text, func(term []byte, start, end, _ int, kind tokenKind) {
		switch kind {
		case kindWord, kindBigram:
			w.addTerm(string(term))
		case kindLone:
			// Next to a number or a Latin word the character begins or
			// ends its run in the text too, where the index holds it
			// alone (年 of 2024年); elsewhere only a prefix finds it.
			if wordRuneBefore(text, start) || wordRuneAfter(text, end) {
				w.addTerm(string(term))
			} else if !slices.Contains(w.prefixes, string(term)) {
				w.prefixes = append(w.prefixes, string(term))
			}
		}
	})
	return w, len(w.terms)+len(w.prefixes) > 0
}

func (w *word) addTerm(t string) {
	if !slices.Contains(w.terms, t) {
		w.terms = append(w.terms, t)
	}
}

func wordRuneBefore(text []byte, i int) bool {
	r, size := utf8.DecodeLastRune(text[:i])
	return size > 0 && isWordRune(fold(r))
}

func wordRuneAfter(text []byte, i int) bool {
	r, size := utf8.DecodeRune(text[i:])
	return size > 0 && isWordRune(fold(r))
}

// fieldQuery returns a disjunction over the text fields, each boosted, of
// the query that build(field) returns.
func fieldQuery(build func(field string) query.Query) query.Query {
	qs := make([]query.Query, len(textFields))
	for i, f := range textFields {
		qs[i] = build(f.name)
		qs[i].(query.BoostableQuery).SetBoost(f.boost)
	}
	return query.NewDisjunctionQuery(qs)
}

// candidates is the query for bulletins that may contain w: one field
// holding all of its terms and prefixes.
func (w *word) candidates() query.Query {
	return fieldQuery(func(field string) query.Query {
		var all []query.Query
		for _, t := range w.terms {
			q := query.NewTermQuery(t)
			q.SetField(field)
			all = append(all, q)
		}
		for _, p := range w.prefixes {
			q := query.NewPrefixQuery(p)
			q.SetField(field)
			all = append(all, q)
		}
		return allOf(all)
	})
}

// allOf is the conjunction of qs, or qs[0] alone: a conjunction of one
// costs a searcher for nothing.
func allOf(qs []query.Query) query.Query {
	if len(qs) == 1 {
		return qs[0]
	}
	return query.NewConjunctionQuery(qs)
}

// strictQuery finds the bulletins that may contain every word.
func strictQuery(words []word) query.Query {
	qs := make([]query.Query, len(words))
	for i := range words {
		qs[i] = words[i].candidates()
	}
	return allOf(qs)
}

// looseQuery is the fallback when no bulletin contains every word: the
// bulletins holding at least half of all the words' terms, so that a
// sentence typed as a question still finds the bulletins that share most
// of its words, best first. It also returns the terms, for marking.
func looseQuery(words []word) (query.Query, []string) {
	var qs []query.Query
	var terms []string
	for _, part := range looseParts(words) {
		terms = append(terms, part.text)
		qs = append(qs, part.candidates())
	}
	d := query.NewDisjunctionQuery(qs)
	d.SetMin(float64((len(qs) + 1) / 2))
	return d, terms
}

// looseParts are the terms and prefixes of words, each a word of its own,
// once each: the loose search wants at least half of them.
func looseParts(words []word) []word {
	var parts []word
	add := func(t string, prefix bool) {
		if slices.ContainsFunc(parts, func(p word) bool { return p.text == t }) {
			return
		}
		part := word{text: t, pattern: newPattern(t)}
		if prefix {
			part.prefixes = []string{t}
		} else {
			part.terms = []string{t}
		}
		parts = append(parts, part)
	}
	for _, w := range words {
		for _, t := range w.terms {
			add(t, false)
		}
		for _, p := range w.prefixes {
			add(p, true)
		}
	}
	return parts
}

// FoldTerm folds a term as queries are folded (full-width letters and
// digits, upper case, traditional characters), so that a table of terms,
// such as the synonyms, meets the queries it is for.
func FoldTerm(s string) string { return foldText(s) }

// foldText folds the letters and digits of s as the index does (full
// width to ASCII, lower case) and traditional characters to simplified
// ones (hanzi), and leaves everything else, which only separates words,
// as it is. One rune stays one rune, so positions in the folded text are
// positions in s. It returns s itself when nothing changes, which is the
// usual case for Chinese text.
func foldText(s string) string {
	s = foldLetters(s)
	if f, err := hanziFolder(); err == nil {
		s = f.Fold(s)
	}
	return s
}

// hanziFolder folds traditional characters. OpenCC's tables are read
// once, on first use, and only read after: like the analyzer's
// registration, the one package-level value here.
var hanziFolder = sync.OnceValues(hanzi.NewFolder)

func foldLetters(s string) string {
	for i, r := range s {
		if f := fold(r); f != r && (isHan(f) || isWordRune(f)) {
			var b strings.Builder
			b.Grow(len(s))
			b.WriteString(s[:i])
			for _, r := range s[i:] {
				if f := fold(r); isHan(f) || isWordRune(f) {
					r = f
				}
				b.WriteRune(r)
			}
			return b.String()
		}
	}
	return s
}

// pattern is a query word as it must appear in folded text: its pieces
// in order, with only separators (punctuation, spaces) allowed between two
// pieces, and a Latin word or number never matching part of a longer one.
type pattern struct {
	pieces []string
	// anchor is the byte of pieces[0] that a search looks for first: the
	// rarest, so that the search skips most of the text at memchr speed.
	// Chinese text is a poor fit for a plain substring search, as every
	// character starts with one of a handful of lead bytes.
	anchor int
	// chars are the characters of the pieces: a text whose charSet does
	// not hold them all does not hold the pattern.
	chars charSet
}

func newPattern(folded string) pattern {
	p := pattern{pieces: strings.FieldsFunc(folded, func(r rune) bool { return !isHan(r) && !isWordRune(r) })}
	for _, piece := range p.pieces {
		p.chars.addAll(piece)
	}
	if len(p.pieces) > 0 {
		// Without byte counts, the last byte is a good guess: in
		// Chinese, a continuation byte, each of which is rare.
		p.anchor = len(p.pieces[0]) - 1
	}
	return p
}

// withAnchor returns p looking first for the byte of pieces[0] that freq,
// byte counts of the texts searched, says is rarest.
func (p pattern) withAnchor(freq *[256]int) pattern {
	if len(p.pieces) == 0 {
		return p
	}
	first := p.pieces[0]
	for i := range len(first) {
		if freq[first[i]] < freq[first[p.anchor]] {
			p.anchor = i
		}
	}
	return p
}

func (p pattern) empty() bool { return len(p.pieces) == 0 }

// index returns the start and end of the first match of p in text at or
// after byte offset from, or -1, -1.
func (p pattern) index(text string, from int) (start, end int) {
	if len(p.pieces) == 0 {
		return -1, -1
	}
	first := p.pieces[0]
	c := first[p.anchor]
	for from+len(first) <= len(text) {
		i := strings.IndexByte(text[from+p.anchor:len(text)-len(first)+p.anchor+1], c)
		if i < 0 {
			break
		}
		at := from + i
		// first starts with a character's first byte, so a match is
		// always at a character boundary.
		if text[at:at+len(first)] == first {
			if j := p.matchAt(text, at); j >= 0 {
				return at, j
			}
		}
		from = at + 1
	}
	return -1, -1
}

// matchAt returns the end of p's match at i, where pieces[0] is known to
// start, or -1.
func (p pattern) matchAt(text string, i int) int {
	pieces := p.pieces
	if startsWithWordRune(pieces[0]) && wordRuneBeforeString(text, i) {
		return -1 // 2024 must not match inside 12024
	}
	j := i + len(pieces[0])
	for k := 1; k < len(pieces); k++ {
		seps := 0
		for j < len(text) {
			r, size := utf8.DecodeRuneInString(text[j:])
			if isHan(r) || isWordRune(r) {
				break
			}
			j += size
			seps++
		}
		// covid-19 is two words; covid19 is another one.
		if seps == 0 && endsWithWordRune(pieces[k-1]) && startsWithWordRune(pieces[k]) {
			return -1
		}
		if !strings.HasPrefix(text[j:], pieces[k]) {
			return -1
		}
		j += len(pieces[k])
	}
	if endsWithWordRune(pieces[len(pieces)-1]) && j < len(text) {
		if r, _ := utf8.DecodeRuneInString(text[j:]); isWordRune(r) {
			return -1
		}
	}
	return j
}

func startsWithWordRune(s string) bool {
	r, _ := utf8.DecodeRuneInString(s)
	return isWordRune(r)
}

func endsWithWordRune(s string) bool {
	r, _ := utf8.DecodeLastRuneInString(s)
	return isWordRune(r)
}

func wordRuneBeforeString(s string, i int) bool {
	r, size := utf8.DecodeLastRuneInString(s[:i])
	return size > 0 && isWordRune(r)
}

// charSet is a set of characters folded into 256 bits: it may say that a
// text holds a character it does not (two characters share each bit), never
// the other way round.
type charSet [4]uint64

func (c *charSet) addAll(s string) {
	for _, r := range s {
		// Fibonacci hashing: neighbouring code points, as the common
		// Han characters are, spread over all the bits.
		b := uint32(r) * 0x9E3779B1 >> 24
		c[b>>6] |= 1 << (b & 63)
	}
}

// holds reports whether c may hold every character of o.
func (c *charSet) holds(o *charSet) bool {
	return o[0]&^c[0]|o[1]&^c[1]|o[2]&^c[2]|o[3]&^c[3] == 0
}
