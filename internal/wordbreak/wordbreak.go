package wordbreak

import (
	_ "embed"
	"html/template"
	"strings"
	"unicode"
	"unicode/utf8"
)

//go:embed words.txt
var builtinWords string

// maxWord bounds the words Segment looks up, in characters.
const maxWord = 8

// Breaker segments headlines with a vocabulary. It is read-only once made
// and safe for concurrent use.
type Breaker struct {
	words map[string]bool
}

// New returns a Breaker that knows words.txt and the extra words, such as
// the site's bureau and region names. An extra word that is not all Han
// characters, or is longer than maxWord, is left out.
func New(extra ...string) *Breaker {
	b := &Breaker{words: map[string]bool{}}
	for _, line := range strings.Split(builtinWords, "\n") {
		if strings.HasPrefix(line, "#") {
			continue
		}
		for _, w := range strings.Fields(line) {
			b.add(w)
		}
	}
	for _, w := range extra {
		b.add(w)
	}
	return b
}

func (b *Breaker) add(w string) {
	n := utf8.RuneCountInString(w)
	if n < 2 || n > maxWord || strings.IndexFunc(w, func(r rune) bool { return !isHan(r) }) >= 0 {
		return
	}
	b.words[w] = true
}

// Known reports whether w is a word of the vocabulary.
func (b *Breaker) Known(w string) bool { return b.words[w] }

func isHan(r rune) bool { return unicode.Is(unicode.Han, r) }

// isWordRune reports whether r is part of a word: Han, a letter or a
// digit. Other runes (spaces, punctuation) are where the browser breaks
// by itself, or must not.
func isWordRune(r rune) bool { return isHan(r) || unicode.IsLetter(r) || unicode.IsDigit(r) }

// units follow a number as part of it: 1.26亿元, 2025年, 120张, 10个.
const units = "亿万千百十元角个项名人家户所处次年月日号期批条件类张床届岁米吨份座台辆倍余多"

// Prepositions and conjunctions lean on the word after them; other
// characters the vocabulary lacks, 的 among them, on the word before.
const leanForward = "和与及在为让把将对向从于给被"

// token is a piece of a run that is never split: a Han character, or a
// number or Latin word with its units.
type token struct {
	start, end int  // in the run
	han        bool // one Han character
}

// Segment splits s into words and the text between them (spaces,
// punctuation), in order; joined they give s back.
func (b *Breaker) Segment(s string) []string {
	var out []string
	for len(s) > 0 {
		r, _ := utf8.DecodeRuneInString(s)
		end := strings.IndexFunc(s, func(r rune) bool { return !isWordRune(r) })
		if !isWordRune(r) {
			end = strings.IndexFunc(s, isWordRune)
		}
		if end < 0 {
			end = len(s)
		}
		if isWordRune(r) {
			out = append(out, b.segmentRun(s[:end])...)
		} else {
			out = append(out, s[:end])
		}
		s = s[end:]
	}
	return out
}

// segmentRun splits a run of word runes into words.
func (b *Breaker) segmentRun(run string) []string {
	toks := b.tokenize(run)
	n := len(toks)
	// best[i] scores the best split of toks[:i]: a word of k characters
	// scores k², so long words win; an unknown character scores 1.
	best := make([]int, n+1)
	from := make([]int, n+1)
	known := make([]bool, n+1) // whether the piece ending at i is a word
	for i := 1; i <= n; i++ {
		best[i], from[i] = best[i-1]+1, i-1
		if !toks[i-1].han {
			k := utf8.RuneCountInString(run[toks[i-1].start:toks[i-1].end])
			best[i] += k*k - 1
			known[i] = true
		}
		for j := i - 1; j >= 0 && i-j <= maxWord && toks[j].han; j-- {
			// Tokens are contiguous, so the candidate is a substring: no
			// allocation for the lookup.
			if k := i - j; k >= 2 && b.words[run[toks[j].start:toks[i-1].end]] && best[j]+k*k > best[i] {
				best[i], from[i], known[i] = best[j]+k*k, j, true
			}
		}
	}
	type piece struct {
		text  string
		known bool
	}
	var pieces []piece
	for i := n; i > 0; i = from[i] {
		pieces = append(pieces, piece{run[toks[from[i]].start:toks[i-1].end], known[i]})
	}
	// Reverse into reading order, then join what must stay together:
	// characters the vocabulary does not know make a word of their own
	// when two or more stand together (城北区, a name), and a lone one
	// goes with the word before it (助餐点, 社工站, 岸边的); 和 and the
	// like go with the word after them.
	var words []string
	glueNext, inUnknown := false, false
	for i := len(pieces) - 1; i >= 0; i-- {
		p := pieces[i]
		single := !p.known && utf8.RuneCountInString(p.text) == 1
		forward := single && strings.Contains(leanForward, p.text)
		unknown := single && !forward
		nextUnknown := i > 0 && !pieces[i-1].known && utf8.RuneCountInString(pieces[i-1].text) == 1 && !strings.Contains(leanForward, pieces[i-1].text)
		switch {
		case len(words) == 0:
			words = append(words, p.text)
		case glueNext, unknown && inUnknown:
			words[len(words)-1] += p.text
		case unknown && !nextUnknown:
			words[len(words)-1] += p.text // a lone one
		default:
			words = append(words, p.text)
		}
		glueNext, inUnknown = forward, unknown
	}
	return words
}

// tokenize cuts a run into Han characters and numbers or Latin words,
// each number taking the units after it.
func (b *Breaker) tokenize(run string) []token {
	var toks []token
	for at := 0; at < len(run); {
		r, size := utf8.DecodeRuneInString(run[at:])
		if isHan(r) {
			toks = append(toks, token{at, at + size, true})
			at += size
			continue
		}
		end := len(run)
		if i := strings.IndexFunc(run[at:], isHan); i >= 0 {
			end = at + i
		}
		if unicode.IsDigit(r) {
			// A number's units: 亿元 of 1.26亿元.
			last := ""
			for end < len(run) {
				u, usize := utf8.DecodeRuneInString(run[end:])
				if !strings.ContainsRune(units, u) {
					break
				}
				last = run[end : end+usize]
				end += usize
			}
			// A unit that starts a word takes the word's rest: 2025年度,
			// 2027年元旦, not 2025年|度.
			if next, nsize := utf8.DecodeRuneInString(run[end:]); last != "" && isHan(next) && b.words[last+string(next)] {
				end += nsize
			}
		}
		toks = append(toks, token{at, end, false})
		at = end
	}
	return toks
}

// HTML is s escaped for HTML with <wbr> between its words, where a line
// may break under word-break: keep-all. A headline of clauses parted by
// spaces (西宁市老年助餐点覆盖城市社区 “小饭桌”托起幸福“大民生”) has each
// clause in a <span class="clause">, which the stylesheet makes an
// inline block: a line then breaks between clauses first, and inside one
// only when the clause does not fit on a line.
func (b *Breaker) HTML(s string) template.HTML {
	clauses := strings.Split(s, " ")
	if len(clauses) == 1 || strings.TrimSpace(s) != s || strings.Contains(s, "  ") {
		return template.HTML(b.escapeWords(s))
	}
	var out strings.Builder
	for i, c := range clauses {
		if i > 0 {
			out.WriteByte(' ')
		}
		out.WriteString(`<span class="clause">`)
		out.WriteString(b.escapeWords(c))
		out.WriteString("</span>")
	}
	return template.HTML(out.String())
}

// escapeWords is s escaped with <wbr> between its words.
func (b *Breaker) escapeWords(s string) string {
	var out strings.Builder
	prevWord := false
	for _, seg := range b.Segment(s) {
		r, _ := utf8.DecodeRuneInString(seg)
		isWord := isWordRune(r)
		if isWord && prevWord {
			out.WriteString("<wbr>")
		}
		out.WriteString(template.HTMLEscapeString(seg))
		prevWord = isWord
	}
	return out.String()
}
