package fsutil

import (
	"context"
	"errors"
	"path/filepath"
	"testing"
	"time"
)

// TestLock checks the exclusions between holders of one lock file. Two
// Locks of one process exclude each other as two processes do, which is
// what lets this test see them.
func TestLock(t *testing.T) {
	if !LocksWork {
		t.Skip("this system has no file locks")
	}
	name := filepath.Join(t.TempDir(), "x.lock")
	for _, tc := range []struct {
		name          string
		first, second func(string) (*Lock, error)
		excluded      bool
	}{
		{"exclusive then exclusive", TryLock, TryLock, true},
		{"exclusive then shared", TryLock, TryRLock, true},
		{"shared then exclusive", TryRLock, TryLock, true},
		{"shared then shared", TryRLock, TryRLock, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			a, err := tc.first(name)
			if err != nil {
				t.Fatal(err)
			}
			b, err := tc.second(name)
			if tc.excluded != errors.Is(err, ErrLocked) {
				t.Errorf("second lock: %v, want excluded=%v", err, tc.excluded)
			}
			if b != nil {
				b.Unlock()
			}
			if err := a.Unlock(); err != nil {
				t.Fatal(err)
			}
			c, err := TryLock(name)
			if err != nil {
				t.Fatalf("after both let go: %v", err)
			}
			c.Unlock()
		})
	}
}

func TestWaitLock(t *testing.T) {
	if !LocksWork {
		t.Skip("this system has no file locks")
	}
	name := filepath.Join(t.TempDir(), "x.lock")
	held, err := TryLock(name)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), 100*time.Millisecond)
	defer cancel()
	if _, err := WaitLock(ctx, name); !errors.Is(err, context.DeadlineExceeded) {
		t.Fatalf("WaitLock on a held lock: %v", err)
	}
	go func() {
		time.Sleep(50 * time.Millisecond)
		held.Unlock()
	}()
	l, err := WaitLock(context.Background(), name)
	if err != nil {
		t.Fatalf("WaitLock once the lock is let go: %v", err)
	}
	l.Unlock()
}

// TestLockReportsOtherErrors checks that a lock that cannot be taken for
// another reason than a holder says so, not "locked".
func TestLockReportsOtherErrors(t *testing.T) {
	_, err := TryLock(filepath.Join(t.TempDir(), "no", "such", "folder", "x.lock"))
	if err == nil || errors.Is(err, ErrLocked) {
		t.Fatalf("TryLock in a missing folder: %v", err)
	}
}
