package sitetest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"bulletin/internal/fsutil"
)

// TakeTurn makes a test wait until no other heavy test on this machine is
// running and hold the turn until it ends. Heavy tests start LibreOffice
// or Chromium, or hold a server to a latency budget. go test runs several
// packages' test binaries at once, and on a two-core machine a timed
// measurement next to a browser or LibreOffice starting up measures its
// neighbour: CI once saw search's p99 under load go from 30 ms to 400 ms
// that way. Tests of one package that take turns must not be parallel
// subtests of a test holding one, which would wait for each other.
func TakeTurn(t testing.TB) {
	t.Helper()
	takeTurn(t, filepath.Join(os.TempDir(), "bulletin-heavy-test.lock"))
}

func takeTurn(t testing.TB, lock string) {
	t.Helper()
	start := time.Now()
	l, err := fsutil.WaitLock(t.Context(), lock)
	if err != nil {
		// Without the lock the test still runs, only less quietly.
		t.Logf("running without waiting for other heavy tests: %v", err)
		return
	}
	if waited := time.Since(start); waited > time.Second {
		t.Logf("waited %s for other heavy tests to finish", waited.Round(time.Second))
	}
	t.Cleanup(func() { l.Unlock() })
}
