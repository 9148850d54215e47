//go:build unix

package fsutil

import (
	"errors"
	"os"

	"bulletin/internal/diag"

	"golang.org/x/sys/unix"
)

// LocksWork says that a Lock keeps other processes out.
const LocksWork = true

// lockFile takes an flock, which the kernel releases when the process
// dies. flock belongs to the open file, so two Locks of one process
// exclude each other as two processes do.
func lockFile(f *os.File, shared bool) error {
	how := unix.LOCK_EX
	if shared {
		how = unix.LOCK_SH
	}
	err := unix.Flock(int(f.Fd()), how|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return ErrLocked
	}
	if err != nil {
		return diag.Errorf("locking %s: %w", f.Name(), err)
	}
	return nil
}

func unlockFile(f *os.File) { unix.Flock(int(f.Fd()), unix.LOCK_UN) }
