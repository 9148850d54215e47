// Package parallel runs the iterations of a loop on several goroutines.
//
// It is golang.org/x/sync/errgroup with the one shape every worker pool of
// bulletin shares and errgroup leaves to each caller: a fixed number of
// goroutines, each taking the next index in turn, rather than a goroutine
// per iteration. That matters twice. Many loops have cheap iterations (a
// cached load's unchanged files, page fingerprints, the live index's
// comparisons), which a goroutine each would make several times slower.
// And many keep scratch state per goroutine (a buffer, a hash, counts to
// add up afterwards), which For makes possible by numbering them.
package parallel

import (
	"context"
	"sync/atomic"

	"golang.org/x/sync/errgroup"
)

// For calls fn(w, i) for every i from 0 to n-1 on at most workers
// goroutines (at least one). w, from 0 to workers-1, names the goroutine
// making the call: calls with the same w never overlap, so fn may keep
// state of its own in a slice indexed by w. Results belong in a slice
// indexed by i, so that their order does not depend on the scheduling.
//
// For starts no further call once ctx is done or a call has failed, waits
// for the calls under way, and returns the first error a call returned,
// else ctx.Err().
func For(ctx context.Context, workers, n int, fn func(w, i int) error) error {
	g, gctx := errgroup.WithContext(ctx)
	var next atomic.Int64
	for w := range min(max(workers, 1), n) {
		g.Go(func() error {
			for gctx.Err() == nil {
				i := int(next.Add(1)) - 1
				if i >= n {
					return nil
				}
				if err := fn(w, i); err != nil {
					return err
				}
			}
			return nil
		})
	}
	if err := g.Wait(); err != nil {
		return err
	}
	return ctx.Err()
}
