package sitetest

import (
	"errors"
	"path/filepath"
	"testing"

	"bulletin/internal/fsutil"
)

// TestTakeTurn checks that a turn is held for the whole test and let go
// when it ends.
func TestTakeTurn(t *testing.T) {
	lock := filepath.Join(t.TempDir(), "turn.lock")
	t.Run("holding", func(t *testing.T) {
		takeTurn(t, lock)
		if _, err := fsutil.TryLock(lock); !errors.Is(err, fsutil.ErrLocked) {
			t.Errorf("another test could take the turn: %v", err)
		}
	})
	l, err := fsutil.TryLock(lock)
	if err != nil {
		t.Fatalf("the turn outlived its test: %v", err)
	}
	l.Unlock()
}
