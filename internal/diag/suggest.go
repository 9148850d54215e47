package diag

import (
	"strings"
	"unicode"
)

// Suggest returns "; did you mean X?" for the candidate closest to got,
// or a message that reads "" when none is close enough to be a likely
// typo. Distance counts
// runes, so it works for Chinese names (青海省民正厅 → 青海省民政厅) as
// well as for keys. A Chinese typo is one wrong character: two make
// another name (吉林省民政厅 is not a typo for 青海省民政厅), so Chinese
// text of two characters or more is allowed one edit (青海 → 青海省), a
// single character none, Latin text one in three letters.
func Suggest(got string, candidates []string) *Message {
	best, bestDist := "", -1
	g := []rune(got)
	for _, c := range candidates {
		d := editDistance(g, []rune(c))
		limit := max(1, min(len(g), len([]rune(c)))/3)
		if hasHan(got) || hasHan(c) {
			limit = 0
			if min(len(g), len([]rune(c))) >= 2 {
				limit = 1
			}
		}
		if d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	if best == "" {
		best = onlyContaining(got, candidates)
	}
	if best == "" {
		return &Message{}
	}
	return &Message{Format: "; did you mean %q?", Args: []any{best}}
}

// onlyContaining is the one candidate that holds got whole or is held in
// it, for a Chinese name written short or long (西宁市 for 青海省西宁市,
// 养老 for 养老服务); "" when none or several do.
func onlyContaining(got string, candidates []string) string {
	if !hasHan(got) || len([]rune(got)) < 2 {
		return ""
	}
	found := ""
	for _, c := range candidates {
		if c != got && (strings.Contains(c, got) || strings.Contains(got, c) && len([]rune(c)) >= 2) {
			if found != "" {
				return ""
			}
			found = c
		}
	}
	return found
}

// editDistance counts insertions, deletions, substitutions and swaps of
// neighbours (titel → title is one edit).
func editDistance(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}

func hasHan(s string) bool {
	return strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0
}

// maxChoices bounds the candidates Choices lists: a county-level registry
// runs to dozens of bureaus.
const maxChoices = 12

// Choices is Suggest's hint followed by the candidates themselves, for a
// value typed on the command line, where the person has no file open to
// look them up: `; did you mean "青海省民政厅"? (site.yaml lists 青海省民政厅,
// 西宁市民政局 and 6 more)`. listed is the message that names the list, such
// as "site.yaml lists".
func Choices(got string, candidates []string, listed string) *Message {
	hint := Suggest(got, candidates)
	if len(candidates) == 0 {
		return hint
	}
	shown := List(candidates[:min(len(candidates), maxChoices)])
	if rest := len(candidates) - len(shown); rest > 0 {
		return &Message{Format: "%v (%v %v and %d more)", Args: []any{hint, &Message{Format: listed}, shown, rest}}
	}
	return &Message{Format: "%v (%v %v)", Args: []any{hint, &Message{Format: listed}, shown}}
}

// List is names read as a list: "a, b, c" in English; a Localizer joins
// them as its language does (Chinese with 、).
type List []string

func (l List) String() string { return strings.Join(l, ", ") }

// Messages is messages read as a list, as List reads names: "a, b, c" in
// English; a Localizer reads each message in its language and joins them
// as its language does.
type Messages []*Message

func (l Messages) String() string { return strings.Join(l.Strings(), ", ") }

// Strings reads each message in English.
func (l Messages) Strings() []string {
	out := make([]string, len(l))
	for i, m := range l {
		out[i] = m.String()
	}
	return out
}
