package suggest

import (
	"cmp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"bulletin/internal/wordbreak"
)

// Kind says where a term comes from.
type Kind byte

const (
	KindPhrase   Kind = 'w' // recurs in titles and summaries
	KindTag      Kind = 'g'
	KindCategory Kind = 'c'
	KindBureau   Kind = 'b'
	KindPlace    Kind = 'p'
	KindTitle    Kind = 't'
)

func (k Kind) valid() bool {
	return strings.IndexByte("wgcbpt", byte(k)) >= 0
}

// Limits of a dictionary, whatever the size of the site.
const (
	maxTitles    = 20000  // the newest titles
	maxPhrases   = 50000  // the most frequent phrases
	maxHeld      = 200000 // phrases counted at once while building
	maxPhraseLen = 10     // runes
	maxTermBytes = 300    // a title is cut to this
)

// Builder gathers a dictionary from the site's bulletins.
type Builder struct {
	normalize func(string) string
	breaker   *wordbreak.Breaker
	named     map[string]*Entry // tags, categories, bureaus, places
	phrases   map[string]*Entry
	floor     int // lossy counting: counts at or below it were dropped
	titles    []title
}

type title struct {
	entry Entry
	rank  int64
}

// NewBuilder returns a Builder whose terms are in normalize's form; breaker
// splits titles into words (it should know the site's bureau and place
// names).
func NewBuilder(normalize func(string) string, breaker *wordbreak.Breaker) *Builder {
	return &Builder{normalize: normalize, breaker: breaker, named: map[string]*Entry{}, phrases: map[string]*Entry{}}
}

// Bulletin is what a dictionary takes of one bulletin.
type Bulletin struct {
	Title, Summary   string
	Tags             []string
	Category, Bureau string
	Places           []string
	Rank             int64 // newer bulletins rank higher (their time)
}

// Add counts one bulletin's terms.
func (b *Builder) Add(bl Bulletin) {
	seen := map[string]bool{}
	b.addNamed(bl.Bureau, KindBureau, seen)
	for _, p := range bl.Places {
		b.addNamed(p, KindPlace, seen)
	}
	b.addNamed(bl.Category, KindCategory, seen)
	for _, t := range bl.Tags {
		b.addNamed(t, KindTag, seen)
	}
	b.addTitle(bl.Title, bl.Rank)
	clear(seen)
	b.addPhrases(bl.Title, seen)
	b.addPhrases(bl.Summary, seen)
}

// addNamed counts a name once per bulletin; a name of two kinds is shown
// as the first of bureau, place, category, tag.
func (b *Builder) addNamed(s string, kind Kind, seen map[string]bool) {
	s = strings.TrimSpace(s)
	if s == "" || len(s) > maxTermBytes {
		return
	}
	key := b.normalize(s)
	if seen[key] {
		return
	}
	seen[key] = true
	if e, ok := b.named[key]; ok {
		if rankKind(kind) < rankKind(e.Kind) {
			e.Kind, e.Display = kind, s
		}
		e.Weight++
		return
	}
	b.named[key] = &Entry{Key: key, Display: s, Kind: kind, Weight: 1}
}

func (b *Builder) addTitle(s string, rank int64) {
	s = strings.TrimSpace(strings.Join(strings.Fields(s), " "))
	if s == "" {
		return
	}
	s = cutRunes(s, maxTermBytes)
	b.titles = append(b.titles, title{Entry{Key: b.normalize(s), Display: s, Kind: KindTitle, Weight: 1}, rank})
	// Keep the newest: prune to maxTitles each time it doubles.
	if len(b.titles) >= 2*maxTitles {
		b.pruneTitles()
	}
}

func (b *Builder) pruneTitles() {
	slices.SortStableFunc(b.titles, func(x, y title) int {
		return cmp.Or(cmp.Compare(y.rank, x.rank), strings.Compare(x.entry.Key, y.entry.Key))
	})
	if len(b.titles) > maxTitles {
		b.titles = slices.Clip(b.titles[:maxTitles])
	}
}

// addPhrases counts the words of a text and the runs of two and three of
// them, once per bulletin.
func (b *Builder) addPhrases(text string, seen map[string]bool) {
	if text == "" {
		return
	}
	if len(text) > 4096 {
		text = cutRunes(text, 4096)
	}
	var run []string // consecutive words, no punctuation between
	flush := func() {
		for i := range run {
			var sb strings.Builder
			n := 0
			for j := i; j < len(run) && j < i+3; j++ {
				sb.WriteString(run[j])
				n += utf8.RuneCountInString(run[j])
				if n > maxPhraseLen {
					break
				}
				if n >= 2 {
					b.countPhrase(sb.String(), seen)
				}
			}
		}
		run = run[:0]
	}
	for _, w := range b.breaker.Segment(text) {
		r, _ := utf8.DecodeRuneInString(w)
		if !unicode.Is(unicode.Han, r) {
			flush()
			continue
		}
		run = append(run, w)
		// A character leaning on a word (临时救助有, 和日间照料): the
		// word alone is a phrase too.
		if n := utf8.RuneCountInString(w); n >= 3 {
			_, first := utf8.DecodeRuneInString(w)
			_, last := utf8.DecodeLastRuneInString(w)
			for _, inner := range []string{w[first:], w[:len(w)-last]} {
				if b.breaker.Known(inner) {
					b.countPhrase(inner, seen)
				}
			}
		}
	}
	flush()
}

func (b *Builder) countPhrase(p string, seen map[string]bool) {
	key := b.normalize(p)
	if seen[key] || !goodEdges(key) {
		return
	}
	seen[key] = true
	if e, ok := b.phrases[key]; ok {
		e.Weight++
		return
	}
	if len(b.phrases) >= maxHeld {
		// Lossy counting: drop what is still rare, and count what comes
		// later as if it had been seen floor times.
		b.floor++
		for k, e := range b.phrases {
			if e.Weight <= b.floor {
				delete(b.phrases, k)
			}
		}
	}
	b.phrases[key] = &Entry{Key: key, Display: p, Kind: KindPhrase, Weight: b.floor + 1}
}

// goodEdges leaves out phrases that begin or end with a function word: 的
// at the end, 和 at either end.
func goodEdges(p string) bool {
	first, _ := utf8.DecodeRuneInString(p)
	last, _ := utf8.DecodeLastRuneInString(p)
	return !strings.ContainsRune("的了和与及在为对把将从于是也", first) && !strings.ContainsRune("的了和与及在为对把将从于是也", last)
}

// Dictionary gives the terms gathered: every named term, the newest
// titles, the most frequent phrases seen more than once.
func (b *Builder) Dictionary() *Dictionary {
	b.pruneTitles()
	byKey := map[string]Entry{}
	put := func(e Entry) {
		if old, ok := byKey[e.Key]; ok {
			// One term, two sources: the name wins over a phrase or title,
			// the counts add up.
			if rankKind(e.Kind) < rankKind(old.Kind) {
				old.Kind, old.Display = e.Kind, e.Display
			}
			old.Weight += e.Weight
			byKey[e.Key] = old
			return
		}
		byKey[e.Key] = e
	}
	for _, e := range b.named {
		put(*e)
	}
	var phrases []Entry
	for _, e := range b.phrases {
		if e.Weight >= 2 {
			phrases = append(phrases, *e)
		}
	}
	slices.SortFunc(phrases, func(x, y Entry) int {
		return cmp.Or(cmp.Compare(y.Weight, x.Weight), strings.Compare(x.Key, y.Key))
	})
	for _, e := range phrases[:min(len(phrases), maxPhrases)] {
		put(e)
	}
	for _, t := range b.titles {
		put(t.entry)
	}
	entries := make([]Entry, 0, len(byKey))
	for _, e := range byKey {
		entries = append(entries, e)
	}
	slices.SortFunc(entries, func(x, y Entry) int { return strings.Compare(x.Key, y.Key) })
	return newDictionary(entries)
}

func rankKind(k Kind) int {
	return strings.IndexByte("bpcgwt", byte(k))
}

// cutRunes cuts s to at most n bytes, at a rune boundary.
func cutRunes(s string, n int) string {
	if len(s) <= n {
		return s
	}
	for n > 0 && !utf8.RuneStart(s[n]) {
		n--
	}
	return s[:n]
}
