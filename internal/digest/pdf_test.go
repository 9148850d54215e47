package digest

import (
	"os"
	"path/filepath"
	"testing"
	"time"

	"bulletin/internal/fsutil"
)

// TestRemoveStaleProfiles checks which profile folders a print clears
// away: those of prints that are gone, never one a live print holds.
func TestRemoveStaleProfiles(t *testing.T) {
	if !fsutil.LocksWork {
		t.Skip("no flock here: stale profiles are left alone")
	}
	dir := t.TempDir()
	live, release, err := newProfile(dir)
	if err != nil {
		t.Fatal(err)
	}
	// A killed print's folder: its lock file is there, unlocked.
	killed := filepath.Join(dir, profilePrefix+"killed")
	os.MkdirAll(killed, 0o755)
	os.WriteFile(filepath.Join(killed, profileLock), []byte("12345\n"), 0o644)
	// Folders without a lock file: one just made by a print that has not
	// locked it yet, one older than any print runs.
	young := filepath.Join(dir, profilePrefix+"young")
	old := filepath.Join(dir, profilePrefix+"old")
	os.MkdirAll(young, 0o755)
	os.MkdirAll(old, 0o755)
	long := time.Now().Add(-2 * staleProfileAge)
	os.Chtimes(old, long, long)
	other := filepath.Join(dir, "someone-elses")
	os.MkdirAll(other, 0o755)

	removeStaleProfiles(dir)
	for _, tc := range []struct {
		path string
		kept bool
	}{{live, true}, {killed, false}, {young, true}, {old, false}, {other, true}} {
		_, err := os.Stat(tc.path)
		if kept := err == nil; kept != tc.kept {
			t.Errorf("%s kept: %v, want %v", filepath.Base(tc.path), kept, tc.kept)
		}
	}
	release()
	if _, err := os.Stat(live); err == nil {
		t.Errorf("release left %s behind", filepath.Base(live))
	}
}
