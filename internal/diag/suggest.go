package diag

import "fmt"

// Suggest returns "; did you mean X?" for the candidate closest to got,
// or "" when none is close enough to be a likely typo. Distance counts
// runes, so it works for Chinese names (青海省民正厅 → 青海省民政厅) as
// well as for keys.
func Suggest(got string, candidates []string) string {
	best, bestDist := "", -1
	g := []rune(got)
	for _, c := range candidates {
		d := editDistance(g, []rune(c))
		limit := max(1, min(len(g), len([]rune(c)))/3)
		if d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
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
