package hanzi

import (
	"strings"
	"unicode/utf8"
	"unsafe"

	"github.com/liuzl/da"
	"github.com/longbridgeapp/opencc"
)

// maxKeyRunes is the longest dictionary key Fold looks for at one place,
// as OpenCC does.
const maxKeyRunes = 10

// startsLimit bounds the runes that may begin a dictionary key: Han
// characters lie below it, in the basic plane and the supplementary
// ideographic planes.
const startsLimit = 0x40000

// Folder folds traditional characters to simplified ones.
type Folder struct {
	// chain is OpenCC's conversion chain: each group converts the
	// previous one's output; within a group the first dictionary with a
	// match at a place wins, with its longest match.
	chain [][]*da.Dict
	// starts marks the runes that begin a key of some dictionary: text
	// with none of them is left as it is.
	starts []uint64
}

// NewFolder reads OpenCC's traditional-to-simplified dictionaries.
func NewFolder() (*Folder, error) {
	cc, err := opencc.New("t2s")
	if err != nil {
		return nil, err
	}
	f := &Folder{starts: make([]uint64, startsLimit/64)}
	for _, g := range cc.DictChains {
		f.chain = append(f.chain, g.Dicts)
		for _, d := range g.Dicts {
			for _, id := range d.Trie.PrefixPredict(nil, 0) {
				key, err := d.Trie.Key(id)
				if err != nil {
					return nil, err
				}
				if r, _ := utf8.DecodeRune(key); r < startsLimit {
					f.starts[r/64] |= 1 << (r % 64)
				}
			}
		}
	}
	return f, nil
}

func (f *Folder) mayStart(r rune) bool {
	return r >= 0 && r < startsLimit && f.starts[r/64]&(1<<(r%64)) != 0
}

// Fold returns s with traditional characters folded to simplified ones,
// rune for rune; s itself when there is nothing to fold.
func (f *Folder) Fold(s string) string {
	if !f.changes(s) {
		return s
	}
	return f.fold(s)
}

// FoldBytes is Fold of a byte slice: b itself when there is nothing to
// fold, unallocated.
func (f *Folder) FoldBytes(b []byte) []byte {
	s := unsafe.String(unsafe.SliceData(b), len(b)) // read only, while b is
	if !f.changes(s) {
		return b
	}
	return []byte(f.fold(s))
}

func (f *Folder) fold(s string) string {
	out := s
	for _, group := range f.chain {
		out = f.convert(out, group)
	}
	if utf8.RuneCountInString(out) != utf8.RuneCountInString(s) {
		return f.byRune(s)
	}
	return out
}

// changes reports whether some dictionary has a key somewhere in s whose
// value differs from it: without one, every group gives s back. A few
// common simplified characters (一, 不, 大) begin phrase keys: there the
// trie is asked, which allocates nothing unless a key matches.
func (f *Folder) changes(s string) bool {
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if f.mayStart(r) {
			window := s[i:min(len(s), i+maxKeyRunes*utf8.UTFMax)]
			for _, group := range f.chain {
				for _, d := range group {
					for _, id := range d.Trie.PrefixMatch([]byte(window), 0) {
						key, err := d.Trie.Key(id)
						v, verr := d.Trie.Value(id)
						if err != nil || verr != nil || v < 0 || v >= len(d.Values) || len(d.Values[v]) == 0 || d.Values[v][0] != string(key) {
							return true
						}
					}
				}
			}
		}
		i += size
	}
	return false
}

// convert applies one group of dictionaries: at each place the longest key
// of the first dictionary that has one there, else the rune as it is.
func (f *Folder) convert(s string, group []*da.Dict) string {
	var b strings.Builder
	b.Grow(len(s))
	for i := 0; i < len(s); {
		r, size := utf8.DecodeRuneInString(s[i:])
		if !f.mayStart(r) {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		window := s[i:]
		for n, j := 0, 0; j < len(window); n++ {
			if n == maxKeyRunes {
				window = window[:j]
				break
			}
			_, sz := utf8.DecodeRuneInString(window[j:])
			j += sz
		}
		key, value := match(window, group)
		if key == 0 {
			b.WriteString(s[i : i+size])
			i += size
			continue
		}
		b.WriteString(value)
		i += key
	}
	return b.String()
}

// match gives the byte length of the longest key at the start of window in
// the first dictionary of group that has one there, and its first value.
func match(window string, group []*da.Dict) (int, string) {
	for _, d := range group {
		best, value := 0, ""
		for _, id := range d.Trie.PrefixMatch([]byte(window), 0) {
			key, err := d.Trie.Key(id)
			if err != nil || len(key) <= best {
				continue
			}
			v, err := d.Trie.Value(id)
			if err != nil || v < 0 || v >= len(d.Values) || len(d.Values[v]) == 0 {
				continue
			}
			best, value = len(key), d.Values[v][0]
		}
		if best > 0 {
			return best, value
		}
	}
	return 0, ""
}

// byRune folds each rune alone, where a phrase would change the count.
func (f *Folder) byRune(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		one := string(r)
		if f.mayStart(r) {
			for _, group := range f.chain {
				if n, v := match(one, group); n == len(one) && utf8.RuneCountInString(v) == 1 {
					one = v
				}
			}
		}
		b.WriteString(one)
	}
	return b.String()
}
