package indexer

import (
	"cmp"
	"context"
	"math"
	"slices"
)

// firstOrdered is how many hits a search puts in order at once: the
// first pages and a feed. A common word finds tens of thousands of
// bulletins, and sorting them all took more time than finding them; the
// rest are sorted when a reader first asks for a page past these.
const firstOrdered = 256

// byRelevance orders hits by tier, then best first, ties newest first.
// It compares no further than it must: a first page of a common word
// takes a hundred thousand comparisons. Scores are never NaN.
func byRelevance(a, b found) int {
	switch {
	case a.tier != b.tier:
		return cmp.Compare(a.tier, b.tier)
	case a.score > b.score:
		return -1
	case a.score < b.score:
		return 1
	}
	return cmp.Compare(a.rank, b.rank)
}

// byDateOrder orders hits newest first.
func byDateOrder(a, b found) int { return cmp.Compare(a.rank, b.rank) }

// orderOf is byDateOrder when byDate, else byRelevance.
func orderOf(byDate bool) func(a, b found) int {
	if byDate {
		return byDateOrder
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
	orderFirst(hits, set.ordered, byDate)
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
		slices.SortFunc(set.sorted[set.ordered:], orderOf(set.byDate))
	})
	return set.sorted[:n]
}

// orderFirst moves the k first of h in its order (newest first when
// byDate, else byRelevance) to its front, in order; the others follow in
// no particular order. One pass keeps the k best seen in a heap, whose
// worst decides most hits with a single comparison; a second moves those
// no worse than it to the front. An order the heap finds hard (every hit
// better than the last) costs n·log k comparisons, less than a sort.
func orderFirst(h []found, k int, byDate bool) {
	compare := orderOf(byDate)
	if k >= len(h)/2 || k <= 0 {
		if k > 0 {
			slices.SortFunc(h, compare)
		}
		return
	}
	// before is compare(a, b) < 0, spelt out: it is called for every hit.
	before := func(a, b *found) bool {
		if byDate {
			return a.rank < b.rank
		}
		if a.tier != b.tier {
			return a.tier < b.tier
		}
		if a.score != b.score {
			return a.score > b.score
		}
		return a.rank < b.rank
	}
	// best is a heap of k hits, the worst on top.
	best := make([]found, 0, k)
	down := func(i int) {
		for {
			w := i
			if l := 2*i + 1; l < len(best) && before(&best[w], &best[l]) {
				w = l
			}
			if r := 2*i + 2; r < len(best) && before(&best[w], &best[r]) {
				w = r
			}
			if w == i {
				return
			}
			best[i], best[w] = best[w], best[i]
			i = w
		}
	}
	for i := range h {
		x := &h[i]
		if len(best) < k {
			best = append(best, *x)
			for j := len(best) - 1; j > 0 && before(&best[(j-1)/2], &best[j]); j = (j - 1) / 2 {
				best[j], best[(j-1)/2] = best[(j-1)/2], best[j]
			}
			continue
		}
		if before(x, &best[0]) {
			best[0] = *x
			down(0)
		}
	}
	// The orders are total: exactly k hits are no worse than the k-th.
	kth := best[0]
	p := 0
	for i := range h {
		if !before(&kth, &h[i]) {
			h[i], h[p] = h[p], h[i]
			p++
		}
	}
	slices.SortFunc(h[:k], compare)
}
