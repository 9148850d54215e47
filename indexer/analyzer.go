package indexer

import (
	"unicode"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/analysis"
	"github.com/blevesearch/bleve/v2/registry"
)

// analyzerName names the analysis of text fields in the index mapping. The
// version is part of the name: changing what tokenize emits must change the
// name, so that the mapping (and with it the index version) changes and
// existing indexes are rebuilt.
const analyzerName = "bulletin_zh_v2"

// maxWordRunes splits letter and digit runs longer than this, so that a
// pasted blob cannot make one huge term.
const maxWordRunes = 40

// tokenKind says what a token stands for; queries treat them differently.
type tokenKind uint8

const (
	kindWord   tokenKind = iota // a run of letters or digits: 2024, covid, 3.5
	kindLone                    // a Han character with no Han neighbour: 年 in 2024年1月
	kindFirst                   // the first character of a Han run, at its first bigram's position
	kindBigram                  // two adjacent Han characters
	kindLast                    // the last character of a Han run, after its last bigram
)

// tokenize splits text into the tokens the index holds, calling emit for
// each in order of position (positions start at 1).
//
// Chinese is indexed as overlapping bigrams, as bleve's cjk analyzer does:
// every phrase of two or more characters is then found exactly, with no
// dictionary to disagree with the text (海东市 is 海东+东市 whether or not a
// dictionary knows the place). Unlike cjk, each run of Han characters also
// gets its first and last character as a unigram. That costs one more
// token per run, not one per character, and makes a character that stands
// next to digits or Latin letters findable by position: 年 in 2024年, 第 in
// 第3季度. Every character of a run is either a bigram's first character or
// the run's last, so a prefix query on one character finds all its
// occurrences.
//
// Letters are folded as readers expect: full-width forms to ASCII (２０２４
// is 2024) and upper case to lower case; the analyzer folds traditional
// characters to simplified ones before (臨時救助 is 临时救助).
func tokenize(text []byte, emit func(term []byte, start, end, pos int, kind tokenKind)) {
	pos := 1
	i := 0
	for i < len(text) {
		r, size := utf8.DecodeRune(text[i:])
		r = fold(r)
		switch {
		case isHan(r):
			// A Han run: lone, or first + bigrams + last.
			start := i
			prevStart, prevEnd := i, i+size
			n := 1
			i += size
			for i < len(text) {
				r2, size2 := utf8.DecodeRune(text[i:])
				if !isHan(fold(r2)) {
					break
				}
				if n == 1 {
					emit(text[prevStart:prevEnd], prevStart, prevEnd, pos, kindFirst)
				}
				emit(text[prevStart:i+size2], prevStart, i+size2, pos, kindBigram)
				pos++
				n++
				prevStart, prevEnd = i, i+size2
				i += size2
			}
			if n == 1 {
				emit(text[start:i], start, i, pos, kindLone)
			} else {
				emit(text[prevStart:prevEnd], prevStart, prevEnd, pos, kindLast)
			}
			pos++
		case isWordRune(r):
			start := i
			i = scanWord(text, i)
			emit(foldWord(text[start:i]), start, i, pos, kindWord)
			pos++
		default:
			i += size
		}
	}
}

// scanWord returns the end of the word starting at i: letters and digits,
// with a decimal point kept between digits (3.5), at most maxWordRunes.
func scanWord(text []byte, i int) int {
	n := 0
	prevDigit := false
	for i < len(text) && n < maxWordRunes {
		r, size := utf8.DecodeRune(text[i:])
		r = fold(r)
		if r == '.' && prevDigit {
			next, nsize := utf8.DecodeRune(text[i+size:])
			if next = fold(next); nsize > 0 && unicode.IsDigit(next) {
				i += size
				n++
				continue
			}
		}
		if !isWordRune(r) {
			break
		}
		prevDigit = unicode.IsDigit(r)
		i += size
		n++
	}
	return i
}

// foldWord returns the folded form of a word, reusing w when folding
// changes nothing (the usual case: lower-case ASCII and digits).
func foldWord(w []byte) []byte {
	clean := true
	for _, c := range w {
		if c >= utf8.RuneSelf || 'A' <= c && c <= 'Z' {
			clean = false
			break
		}
	}
	if clean {
		return w
	}
	out := make([]byte, 0, len(w))
	for _, r := range string(w) {
		out = utf8.AppendRune(out, fold(r))
	}
	return out
}

// fold maps a character to the form the index holds: full-width ASCII to
// ASCII, the ideographic space to a space, letters to lower case. It keeps
// one rune for one rune, so that snippets can map folded text back.
func fold(r rune) rune {
	switch {
	case 0x4E00 <= r && r <= 0x9FFF:
		return r // Han, the usual case
	case r < utf8.RuneSelf:
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case 0xFF01 <= r && r <= 0xFF5E:
		r -= 0xFEE0
		if 'A' <= r && r <= 'Z' {
			return r + 'a' - 'A'
		}
		return r
	case r == 0x3000:
		return ' '
	}
	return unicode.ToLower(r)
}

func isHan(r rune) bool {
	// The common block first: nearly all text is in it.
	if 0x4E00 <= r && r <= 0x9FFF {
		return true
	}
	return r >= 0x2E80 && unicode.Is(unicode.Han, r)
}

func isWordRune(r rune) bool {
	if r < utf8.RuneSelf {
		return 'a' <= r && r <= 'z' || '0' <= r && r <= '9' || 'A' <= r && r <= 'Z'
	}
	return !isHan(r) && (unicode.IsLetter(r) || unicode.IsDigit(r))
}

// analyzer is tokenize as a bleve analyzer.
type analyzer struct{}

func (analyzer) Analyze(text []byte) analysis.TokenStream {
	// Traditional characters are indexed as simplified ones, rune for
	// rune, as queries are folded (foldText).
	if f, err := hanziFolder(); err == nil {
		text = f.FoldBytes(text)
	}
	// One allocation for the tokens: about one per character of Chinese
	// text, three bytes each.
	toks := make([]analysis.Token, 0, len(text)/3+8)
	tokenize(text, func(term []byte, start, end, pos int, kind tokenKind) {
		typ := analysis.Double
		switch kind {
		case kindWord:
			typ = analysis.AlphaNumeric
		case kindLone, kindFirst, kindLast:
			typ = analysis.Single
		}
		toks = append(toks, analysis.Token{Term: term, Start: start, End: end, Position: pos, Type: typ})
	})
	out := make(analysis.TokenStream, len(toks))
	for i := range toks {
		out[i] = &toks[i]
	}
	return out
}

// init registers the analyzer with bleve, which looks analyzers up by name
// when it opens an index: bleve's one global registry, and the only
// package-level state of this package.
func init() {
	err := registry.RegisterAnalyzer(analyzerName, func(map[string]any, *registry.Cache) (analysis.Analyzer, error) {
		return analyzer{}, nil
	})
	if err != nil {
		panic(err)
	}
}
