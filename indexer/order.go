package indexer

import (
	"cmp"
	"context"
	"math"
	"math/bits"
	"slices"
)

// firstOrdered is how many hits a search puts in order at once: the
// first pages and a feed. A common word finds tens of thousands of
// bulletins, and sorting them all took more time than finding them; the
// rest are sorted when a reader first asks for a page past these.
const firstOrdered = 256

// byRelevance orders hits by tier, then best first, ties newest first.
func byRelevance(a, b found) int {
	return cmp.Or(cmp.Compare(a.tier, b.tier), cmp.Compare(b.score, a.score), cmp.Compare(a.rank, b.rank))
}

// byDate orders hits newest first.
func byDate(a, b found) int { return cmp.Compare(a.rank, b.rank) }

func (set *resultSet) order() func(a, b found) int {
	if set.byDate {
		return byDate
	}
	return byRelevance
}

// arrange makes hits set's hits, the first firstOrdered of them in order
// (newest first when byDate), the rest in any order until top needs them.
// Both orders are total (ranks differ), so the pages are the same as if
// all were sorted at once.
func (set *resultSet) arrange(hits []found, byDate bool) {
	set.hits, set.byDate = hits, byDate
	set.ordered = min(firstOrdered, len(hits))
	orderFirst(hits, set.ordered, set.order())
}

// top returns the first n hits of set (fewer if it has fewer), in order,
// checking texts still to check before them.
func (set *resultSet) top(ctx context.Context, n int) ([]found, error) {
	if set.later != nil {
		return set.later.top(ctx, n)
	}
	return set.first(n), nil
}

// all returns every hit of set, its texts checked, the first ones in order.
func (set *resultSet) all(ctx context.Context) ([]found, error) {
	if set.later != nil {
		return set.later.top(ctx, math.MaxInt)
	}
	return set.hits, nil
}

// count returns how many hits set has, or an estimate (see counts).
func (set *resultSet) count() int {
	n, _, _ := set.counts()
	return n
}

// counts returns set's total and facets, and whether they are estimates.
func (set *resultSet) counts() (int, Facets, bool) {
	if set.later != nil {
		return set.later.counts()
	}
	return len(set.hits), set.facets, false
}

// first returns the first n hits of a set without later, in order. Past
// the first ordered ones, they come from a sorted copy made once:
// set.hits never changes, as other searches read it (widen) meanwhile.
func (set *resultSet) first(n int) []found {
	n = min(max(n, 0), len(set.hits))
	if n <= set.ordered {
		return set.hits[:n]
	}
	set.rest.Do(func() {
		set.sorted = slices.Clone(set.hits)
		slices.SortFunc(set.sorted[set.ordered:], set.order())
	})
	return set.sorted[:n]
}

// orderFirst moves the k first of h in the order of compare to its
// front, in order; the others follow in no particular order. It selects
// them as quicksort would, recursing only into the part that holds the
// k-th, and sorts all of h when that takes unusually many rounds, so that
// no order of h costs more than a sort.
func orderFirst(h []found, k int, compare func(a, b found) int) {
	if k >= len(h)/2 {
		slices.SortFunc(h, compare)
		return
	}
	lo, hi := 0, len(h)
	for rounds := 2 * bits.Len(uint(len(h))); hi-lo > 24; rounds-- {
		if rounds == 0 {
			slices.SortFunc(h, compare)
			return
		}
		p := lo + partition(h[lo:hi], compare)
		switch {
		case p < k-1:
			lo = p + 1
		case p > k:
			hi = p
		default:
			lo = hi // h[:k] are the first k
		}
	}
	if lo < hi {
		slices.SortFunc(h[lo:hi], compare)
	}
	slices.SortFunc(h[:k], compare)
}

// partition puts a pivot (the median of h's first, middle and last) at
// its place p in h's order, those before it at its left and the others
// at its right, and returns p.
func partition(h []found, compare func(a, b found) int) int {
	last := len(h) - 1
	mid := last / 2
	if compare(h[mid], h[0]) < 0 {
		h[mid], h[0] = h[0], h[mid]
	}
	if compare(h[last], h[0]) < 0 {
		h[last], h[0] = h[0], h[last]
	}
	if compare(h[last], h[mid]) < 0 {
		h[last], h[mid] = h[mid], h[last]
	}
	h[mid], h[last] = h[last], h[mid] // the median, as pivot, at the end
	p := 0
	for i := range last {
		if compare(h[i], h[last]) < 0 {
			h[i], h[p] = h[p], h[i]
			p++
		}
	}
	h[p], h[last] = h[last], h[p]
	return p
}
