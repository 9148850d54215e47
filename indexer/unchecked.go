package indexer

import (
	"context"
	"math"
	"runtime"
	"slices"
	"sync"
)

// Checking texts only as far as they are shown. A phrase of common
// characters (全社会共同参与) has tens of thousands of candidates holding
// each of its pairs of characters, nearly all of which hold the phrase
// itself; reading every one's text to confirm it took most of such a
// search. Past exactChecks candidates to read, a search reads a spread
// sample of them instead, estimates from it how many hold the patterns
// (the total and the facets' counts, which the reader is shown as about
// so many), and checks the others in the order shown, as pages ask for
// them. The pages are exactly those of a search that checked every text;
// once all are checked, the counts are exact too.
const (
	// exactChecks is the most candidates whose texts a search checks
	// at once: about 3 ms of reading on two cores.
	exactChecks = 4096
	// checkSample is how many candidates an estimate checks: its error
	// is at most about 1.6% of the total (one standard deviation).
	checkSample = 1024
	// firstChecks is the fewest candidates checked at a time for a page.
	firstChecks = 64
)

// checkLimits are exactChecks and checkSample, or what a test set in
// snapshot.checks.
func (sn *snapshot) checkLimits() (exact, sample int) {
	if sn.checks.sample > 0 {
		return sn.checks.exact, sn.checks.sample
	}
	return exactChecks, checkSample
}

// pendingOf returns the places in cands of those whose texts are to check.
func pendingOf(cands []found) []int {
	var pending []int
	for i, c := range cands {
		if c.need != 0 {
			pending = append(pending, i)
		}
	}
	return pending
}

// pick returns the candidates at the places at.
func pick(cands []found, at []int) []found {
	out := make([]found, len(at))
	for i, j := range at {
		out[i] = cands[j]
	}
	return out
}

// checkAll returns the candidates (of candidateSets) that hold every
// pattern of check, their texts read, in their order.
func (sn *snapshot) checkAll(ctx context.Context, cands []found, check []pattern) ([]found, error) {
	pending := pendingOf(cands)
	if len(pending) == 0 {
		return cands, nil
	}
	kept, err := textsHold(ctx, pick(cands, pending), check, sn.texts, runtime.GOMAXPROCS(0))
	if err != nil {
		return nil, err
	}
	return appendHeld(make([]found, 0, len(cands)), cands, pending, kept), nil
}

// appendHeld appends to out the candidates but those at the places
// pending (ascending) whose texts were found not to hold the patterns
// (kept, by place in pending); the others of pending are known to now.
func appendHeld(out, cands []found, pending []int, kept []bool) []found {
	next := 0 // in pending
	for i, c := range cands {
		if next < len(pending) && pending[next] == i {
			next++
			if !kept[next-1] {
				continue
			}
			c.need = 0
		}
		out = append(out, c)
	}
	return out
}

// settle makes set's hits from the candidates of candidateSets: checked
// all at once when there are few texts to read, else left to check as
// pages are asked for, with the counts estimated from a sample (see
// unchecked).
func (sn *snapshot) settle(ctx context.Context, set *resultSet, cands []found, check []pattern, byDate bool) error {
	exactly := func(cands []found) error {
		hits, err := sn.checkAll(ctx, cands, check)
		if err != nil {
			return err
		}
		set.facets = sn.facets(hits)
		set.arrange(hits, byDate)
		return nil
	}
	exact, sample := sn.checkLimits()
	pending := pendingOf(cands)
	if len(pending) <= exact {
		return exactly(cands)
	}
	// A sample spread evenly over the candidates in document order, so
	// over the years, bureaus and kinds of bulletin alike.
	sample = min(sample, len(pending))
	at := make([]int, sample)
	for i := range at {
		at[i] = pending[i*len(pending)/sample]
	}
	kept, err := textsHold(ctx, pick(cands, at), check, sn.texts, runtime.GOMAXPROCS(0))
	if err != nil {
		return err
	}
	held := 0
	for _, k := range kept {
		if k {
			held++
		}
	}
	if held == 0 {
		// None of the sample: perhaps none but the few sure ones, which
		// only reading every text can tell, and pages would read them
		// all anyway to fill the first.
		return exactly(cands)
	}
	// queue: first the candidates known to hold the patterns, then
	// those still to check; those the sample ruled out are gone.
	checked := appendHeld(make([]found, 0, len(cands)), cands, at, kept)
	queue := make([]found, 0, len(checked))
	for _, c := range checked {
		if c.need == 0 {
			queue = append(queue, c)
		}
	}
	sure := len(queue)
	for _, c := range checked {
		if c.need != 0 {
			queue = append(queue, c)
		}
	}
	rest := queue[sure:]
	share := float64(held) / float64(len(at))
	counts := sn.tally(queue[:sure])
	for f, c := range sn.tally(rest) {
		for n, k := range c {
			counts[f][n] += int(math.Round(share * float64(k)))
		}
	}
	set.byDate = byDate
	set.later = &unchecked{
		sn:          sn,
		check:       check,
		byDate:      byDate,
		share:       share,
		queue:       queue,
		size:        len(queue),
		total:       sure + int(math.Round(share*float64(len(rest)))),
		facets:      sn.facetsOf(counts),
		approximate: true,
	}
	return nil
}

// unchecked is a result set's hits while some of their texts are still
// to check (see settle): shown, those checked, in order, and queue, the
// others. It is shared by the searches reading the set, one at a time.
type unchecked struct {
	sn     *snapshot
	check  []pattern
	byDate bool // the order of the hits (see orderFirst)

	// gate, when set, is the turns of the searches of a Server (see
	// ServerConfig.MaxConcurrent): checking texts is their work too.
	gate chan struct{}

	share float64 // of the sample that held the patterns, above 0

	mu    sync.Mutex
	shown []found
	queue []found // in no order; need marks the texts to check
	size  int     // the candidates at first, for the cache
	// total and facets are estimates until the queue is empty.
	total       int
	facets      Facets
	approximate bool
}

// top returns the first n hits, checking the texts of the candidates
// that may come before them, in turns of their order: as many as should
// hold twice what is missing, going by the sample, and each turn at least
// twice the last, so that a phrase few candidates hold costs a few turns,
// not one per page's worth of candidates.
func (u *unchecked) top(ctx context.Context, n int) ([]found, error) {
	n = max(n, 0)
	u.mu.Lock()
	defer u.mu.Unlock()
	least := firstChecks
	for len(u.shown) < n && len(u.queue) > 0 {
		k := len(u.queue)
		if missing := n - len(u.shown); missing < k/2 {
			// Enough that twice the sample's share of them hold it.
			k = min(k, max(int(2*float64(missing)/u.share), least))
		}
		least = 2 * k
		whole := k >= len(u.queue)/2
		if whole {
			// All that is left: put in order only what holds.
			k = len(u.queue)
		} else {
			orderFirst(u.queue, k, u.byDate)
		}
		turn := u.queue[:k]
		from := len(u.shown)
		pending := pendingOf(turn)
		kept, err := u.hold(ctx, pick(turn, pending))
		if err != nil {
			return nil, err
		}
		u.shown = appendHeld(u.shown, turn, pending, kept)
		if whole {
			slices.SortFunc(u.shown[from:], orderOf(u.byDate))
		}
		u.queue = u.queue[k:]
	}
	if len(u.queue) == 0 && u.approximate {
		u.total, u.facets, u.approximate = len(u.shown), u.sn.facets(u.shown), false
	}
	return u.shown[:min(n, len(u.shown))], nil
}

// hold is textsHold of cands, in a turn of gate when there is one.
func (u *unchecked) hold(ctx context.Context, cands []found) ([]bool, error) {
	if u.gate != nil {
		select {
		case u.gate <- struct{}{}:
			defer func() { <-u.gate }()
		case <-ctx.Done():
			return nil, ctx.Err()
		}
	}
	return textsHold(ctx, cands, u.check, u.sn.texts, runtime.GOMAXPROCS(0))
}

// counts returns the total and facets, and whether they are estimates.
func (u *unchecked) counts() (int, Facets, bool) {
	u.mu.Lock()
	defer u.mu.Unlock()
	// Never fewer than have been shown.
	return max(u.total, len(u.shown)), u.facets, u.approximate
}
