package suggest

import (
	"bufio"
	"cmp"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"sync"
	"unicode/utf8"

	"github.com/mozillazg/go-pinyin"

	"bulletin/internal/diag"
)

// Entry is one term of a dictionary.
type Entry struct {
	Key     string // normalized, as queries are
	Display string // as first seen
	Kind    Kind
	Weight  int // how many bulletins have it
}

// Dictionary is a site's terms, sorted by key.
type Dictionary struct {
	entries []Entry

	once   sync.Once
	pinyin []string // of each entry, for corrections; "" when it has none
	// byPinyin: entries of 2 to maxWindow runes sorted by pinyin;
	// byLength[n][j]: entries of n runes sorted by their key without the
	// j-th rune, so that a word one character off is found by search.
	byPinyin []int32
	byLength [maxWindow + 1][][]int32
}

// maxWindow bounds the stretch of a query word Corrections replaces.
const maxWindow = 8

func newDictionary(entries []Entry) *Dictionary {
	return &Dictionary{entries: entries}
}

// Len is the number of terms.
func (d *Dictionary) Len() int { return len(d.entries) }

// fileHeader begins a dictionary file, with its format's version.
const fileHeader = "bulletin suggest 1"

// WriteTo writes the dictionary as text: a header, then a line a term,
// key, kind, weight and (when it differs from the key) display, parted by
// tabs.
func (d *Dictionary) WriteTo(w io.Writer) (int64, error) {
	bw := bufio.NewWriter(w)
	n := 0
	m, _ := fmt.Fprintf(bw, "%s\n", fileHeader)
	n += m
	for _, e := range d.entries {
		display := e.Display
		if display == e.Key {
			display = ""
		}
		m, _ = fmt.Fprintf(bw, "%s\t%c\t%d\t%s\n", e.Key, e.Kind, e.Weight, display)
		n += m
	}
	return int64(n), bw.Flush()
}

// maxFileTerms bounds what Read accepts, a little over what a Builder makes.
const maxFileTerms = 2 * (maxTitles + maxPhrases + 100000)

// Read reads what WriteTo wrote; name is the file's name for messages.
func Read(r io.Reader, name string) (*Dictionary, error) {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 4096), 4*maxTermBytes+64)
	line := 0
	bad := func(why error) error {
		return diag.Errorf("%s:%d: the search's suggestion dictionary is damaged (%w); run bulletin build to make it again", name, line, why)
	}
	var entries []Entry
	for sc.Scan() {
		line++
		text := sc.Text()
		if line == 1 {
			if text != fileHeader {
				return nil, bad(diag.Errorf("not a dictionary of this version"))
			}
			continue
		}
		if len(entries) == maxFileTerms {
			return nil, bad(diag.Errorf("more than %d terms", maxFileTerms))
		}
		f := strings.Split(text, "\t")
		if len(f) != 4 || f[0] == "" || len(f[1]) != 1 || !Kind(f[1][0]).valid() || !utf8.ValidString(text) {
			return nil, bad(diag.Errorf("a line is not key, kind, weight and display"))
		}
		weight, err := strconv.Atoi(f[2])
		if err != nil || weight < 0 {
			return nil, bad(diag.Errorf("a weight is no whole number"))
		}
		if len(entries) > 0 && entries[len(entries)-1].Key >= f[0] {
			return nil, bad(diag.Errorf("terms out of order"))
		}
		e := Entry{Key: f[0], Display: f[3], Kind: Kind(f[1][0]), Weight: weight}
		if e.Display == "" {
			e.Display = e.Key
		}
		entries = append(entries, e)
	}
	if err := sc.Err(); err != nil {
		line++
		return nil, bad(err)
	}
	if line == 0 {
		return nil, bad(diag.Errorf("empty file"))
	}
	return newDictionary(entries), nil
}

// scanLimit bounds the terms Complete looks at for one prefix.
const scanLimit = 20000

// Complete gives up to n terms that begin with prefix (normalized): names
// and phrases before titles, the more frequent first, then the shorter.
func (d *Dictionary) Complete(prefix string, n int) []Entry {
	if prefix == "" || n <= 0 {
		return nil
	}
	lo, _ := slices.BinarySearchFunc(d.entries, prefix, func(e Entry, p string) int { return strings.Compare(e.Key, p) })
	var best []Entry
	for i := lo; i < len(d.entries) && i < lo+scanLimit && strings.HasPrefix(d.entries[i].Key, prefix); i++ {
		e := d.entries[i]
		if e.Key == prefix && e.Kind == KindPhrase {
			continue // nothing to complete
		}
		at, _ := slices.BinarySearchFunc(best, e, better)
		if at < n {
			best = slices.Insert(best, at, e)
			if len(best) > n {
				best = best[:n]
			}
		}
	}
	return best
}

// better orders completions: not titles first, heavier, shorter, by key.
func better(x, y Entry) int {
	return cmp.Or(
		cmp.Compare(boolInt(x.Kind == KindTitle), boolInt(y.Kind == KindTitle)),
		cmp.Compare(y.Weight, x.Weight),
		cmp.Compare(len(x.Key), len(y.Key)),
		strings.Compare(x.Key, y.Key))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
}

// Correction is a rewriting of a query word.
type Correction struct {
	Text        string // the whole word, rewritten
	From, To    string // the stretch replaced, and the term it became
	SamePinyin  bool
	Weight      int // of the term
	windowRunes int
}

// maxPerKey bounds the terms one lookup yields.
const maxPerKey = 64

// Corrections gives up to n rewritings of word (normalized): one stretch
// of it, of two to eight characters and not itself a term, replaced by a
// term of the same length read with the same pinyin, or one character
// off; the same pinyin first, then the longer stretch, then the more
// frequent term. A stretch inside a term found in the word is left alone.
func (d *Dictionary) Corrections(word string, n int) []Correction {
	runes := []rune(word)
	if len(runes) < 2 || len(runes) > 64 || n <= 0 {
		return nil
	}
	d.once.Do(d.index)
	// The known terms in the word: a stretch inside one is spelt right
	// (州市 of 兰州市 is no slip for 全市).
	type span struct{ from, to int }
	var known []span
	for i := range runes {
		for size := 2; size <= maxWindow && i+size <= len(runes); size++ {
			if d.has(string(runes[i : i+size])) {
				known = append(known, span{i, i + size})
			}
		}
	}
	var out []Correction
	seen := map[string]bool{}
	for size := min(len(runes), maxWindow); size >= 2; size-- {
		for i := 0; i+size <= len(runes); i++ {
			window := string(runes[i : i+size])
			if slices.ContainsFunc(known, func(k span) bool { return k.from <= i && i+size <= k.to }) {
				continue
			}
			add := func(e int32, same bool) {
				term := d.entries[e].Key
				if term == window {
					return
				}
				text := string(runes[:i]) + term + string(runes[i+size:])
				if seen[text] {
					return
				}
				seen[text] = true
				out = append(out, Correction{Text: text, From: window, To: term, SamePinyin: same,
					Weight: d.entries[e].Weight, windowRunes: size})
			}
			if py := pinyinKey(runes[i : i+size]); py != "" {
				for _, e := range d.samePinyin(py) {
					add(e, true)
				}
			}
			for j := range size {
				for _, e := range d.oneOff(runes[i:i+size], j) {
					add(e, d.pinyin[e] == pinyinKey(runes[i:i+size]))
				}
			}
		}
	}
	slices.SortStableFunc(out, func(x, y Correction) int {
		return cmp.Or(
			cmp.Compare(boolInt(y.SamePinyin), boolInt(x.SamePinyin)),
			cmp.Compare(y.windowRunes, x.windowRunes),
			cmp.Compare(y.Weight, x.Weight),
			strings.Compare(x.Text, y.Text))
	})
	return out[:min(len(out), n)]
}

func (d *Dictionary) has(key string) bool {
	_, ok := slices.BinarySearchFunc(d.entries, key, func(e Entry, k string) int { return strings.Compare(e.Key, k) })
	return ok
}

// Prepare makes the lookups Corrections needs now, rather than in the
// first search that asks (a third of a second at 100,000 bulletins).
func (d *Dictionary) Prepare() { d.once.Do(d.index) }

// index makes the lookups Corrections needs, the first time it is asked.
func (d *Dictionary) index() {
	d.pinyin = make([]string, len(d.entries))
	for i, e := range d.entries {
		if e.Kind == KindTitle {
			continue
		}
		runes := []rune(e.Key)
		if len(runes) < 2 || len(runes) > maxWindow {
			continue
		}
		d.pinyin[i] = pinyinKey(runes)
		if d.pinyin[i] != "" {
			d.byPinyin = append(d.byPinyin, int32(i))
		}
		if d.byLength[len(runes)] == nil {
			d.byLength[len(runes)] = make([][]int32, len(runes))
		}
		for j := range runes {
			d.byLength[len(runes)][j] = append(d.byLength[len(runes)][j], int32(i))
		}
	}
	slices.SortStableFunc(d.byPinyin, func(x, y int32) int { return strings.Compare(d.pinyin[x], d.pinyin[y]) })
	for n, lists := range d.byLength {
		for j, list := range lists {
			slices.SortStableFunc(list, func(x, y int32) int {
				return strings.Compare(without(d.entries[x].Key, j), without(d.entries[y].Key, j))
			})
			_ = n
		}
	}
}

func (d *Dictionary) samePinyin(py string) []int32 {
	lo, _ := slices.BinarySearchFunc(d.byPinyin, py, func(e int32, p string) int { return strings.Compare(d.pinyin[e], p) })
	hi := lo
	for hi < len(d.byPinyin) && hi < lo+maxPerKey && d.pinyin[d.byPinyin[hi]] == py {
		hi++
	}
	return d.byPinyin[lo:hi]
}

// oneOff gives the terms of the window's length that differ from it only
// in its j-th rune (and the window itself, when it is a term).
func (d *Dictionary) oneOff(window []rune, j int) []int32 {
	if len(window) > maxWindow || d.byLength[len(window)] == nil {
		return nil
	}
	list := d.byLength[len(window)][j]
	key := string(window[:j]) + string(window[j+1:])
	lo, _ := slices.BinarySearchFunc(list, key, func(e int32, k string) int { return strings.Compare(without(d.entries[e].Key, j), k) })
	hi := lo
	for hi < len(list) && hi < lo+maxPerKey && without(d.entries[list[hi]].Key, j) == key {
		hi++
	}
	return list[lo:hi]
}

// without gives s without its j-th rune.
func without(s string, j int) string {
	i := 0
	for k := 0; k < j && i < len(s); k++ {
		_, size := utf8.DecodeRuneInString(s[i:])
		i += size
	}
	if i >= len(s) {
		return s
	}
	_, size := utf8.DecodeRuneInString(s[i:])
	return s[:i] + s[i+size:]
}

// pinyinKey reads runes in pinyin without tones, syllables parted by ',
// or "" when one of them is no Han character.
func pinyinKey(runes []rune) string {
	args := pinyin.NewArgs()
	var sb strings.Builder
	for k, r := range runes {
		py := pinyin.SinglePinyin(r, args)
		if len(py) == 0 || py[0] == "" {
			return ""
		}
		if k > 0 {
			sb.WriteByte('\'')
		}
		sb.WriteString(py[0])
	}
	return sb.String()
}
