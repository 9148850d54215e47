package parallel

import (
	"context"
	"errors"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestForEvery checks that every index is done once, whatever the number
// of workers, and that w names at most that many goroutines, one call at
// a time each.
func TestForEvery(t *testing.T) {
	for _, tc := range []struct{ workers, n, want int }{
		{4, 1000, 4},
		{1, 100, 1},
		{8, 3, 3}, // no more goroutines than iterations
		{0, 10, 1},
		{-2, 10, 1},
		{4, 0, 0},
	} {
		calls := make([]atomic.Int32, tc.n)
		busy := make([]atomic.Bool, max(tc.workers, 1))
		var mu sync.Mutex
		seen := map[int]bool{}
		err := For(context.Background(), tc.workers, tc.n, func(w, i int) error {
			if w < 0 || w >= len(busy) {
				t.Errorf("workers %d, n %d: w = %d", tc.workers, tc.n, w)
				return nil
			}
			if !busy[w].CompareAndSwap(false, true) {
				t.Errorf("workers %d, n %d: two calls at once with w = %d", tc.workers, tc.n, w)
			}
			calls[i].Add(1)
			mu.Lock()
			seen[w] = true
			mu.Unlock()
			time.Sleep(10 * time.Microsecond)
			busy[w].Store(false)
			return nil
		})
		if err != nil {
			t.Errorf("workers %d, n %d: %v", tc.workers, tc.n, err)
		}
		for i := range calls {
			if c := calls[i].Load(); c != 1 {
				t.Errorf("workers %d, n %d: index %d done %d times", tc.workers, tc.n, i, c)
			}
		}
		if len(seen) > tc.want {
			t.Errorf("workers %d, n %d: %d goroutines, want at most %d", tc.workers, tc.n, len(seen), tc.want)
		}
	}
}

var errBoom = errors.New("boom")

// TestForError checks that a failing call stops the loop: its error is
// returned and no further call starts.
func TestForError(t *testing.T) {
	// One worker: exactly the calls up to the failing one.
	var done []int
	err := For(context.Background(), 1, 100, func(_, i int) error {
		done = append(done, i)
		if i == 3 {
			return errBoom
		}
		return nil
	})
	if err != errBoom || len(done) != 4 {
		t.Errorf("err = %v after %v, want boom after 0..3", err, done)
	}

	// Several: the first index fails at once, the others take a while,
	// so each worker has at most one under way when it fails.
	const workers = 4
	var calls atomic.Int32
	err = For(context.Background(), workers, 1000, func(_, i int) error {
		calls.Add(1)
		if i == 0 {
			return errBoom
		}
		time.Sleep(5 * time.Millisecond)
		return nil
	})
	if err != errBoom {
		t.Errorf("err = %v, want boom", err)
	}
	if c := calls.Load(); c > 2*workers {
		t.Errorf("%d calls after the first failed, want at most %d", c, 2*workers)
	}
}

// TestForCancel checks that cancelling the context stops the loop
// promptly and is reported, and that a call's own error comes first.
func TestForCancel(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	err := For(ctx, 4, 100, func(_, i int) error {
		t.Errorf("call %d with a cancelled context", i)
		return nil
	})
	if err != context.Canceled {
		t.Errorf("cancelled before: err = %v, want context.Canceled", err)
	}

	ctx, cancel = context.WithCancel(context.Background())
	var done []int
	err = For(ctx, 1, 100, func(_, i int) error {
		done = append(done, i)
		if i == 5 {
			cancel()
		}
		return nil
	})
	if err != context.Canceled || len(done) != 6 {
		t.Errorf("cancelled at 5: err = %v after %v, want context.Canceled after 0..5", err, done)
	}

	const workers = 4
	ctx, cancel = context.WithCancel(context.Background())
	var calls atomic.Int32
	err = For(ctx, workers, 1000, func(_, i int) error {
		calls.Add(1)
		if i == 0 {
			cancel()
			return nil
		}
		time.Sleep(5 * time.Millisecond)
		return nil
	})
	if err != context.Canceled {
		t.Errorf("cancelled at 0: err = %v, want context.Canceled", err)
	}
	if c := calls.Load(); c > 2*workers {
		t.Errorf("%d calls after cancelling, want at most %d", c, 2*workers)
	}

	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	err = For(ctx, 2, 10, func(_, i int) error {
		cancel()
		return errBoom
	})
	if err != errBoom {
		t.Errorf("failed and cancelled: err = %v, want boom", err)
	}
}
