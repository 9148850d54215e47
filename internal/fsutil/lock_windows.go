//go:build windows

package fsutil

import (
	"errors"
	"os"

	"bulletin/internal/diag"

	"golang.org/x/sys/windows"
)

// LocksWork says that a Lock keeps other processes out.
const LocksWork = true

// lockFile locks the file's first byte with LockFileEx, which Windows
// releases when the process dies.
func lockFile(f *os.File, shared bool) error {
	flags := uint32(windows.LOCKFILE_FAIL_IMMEDIATELY)
	if !shared {
		flags |= windows.LOCKFILE_EXCLUSIVE_LOCK
	}
	err := windows.LockFileEx(windows.Handle(f.Fd()), flags, 0, 1, 0, new(windows.Overlapped))
	if errors.Is(err, windows.ERROR_LOCK_VIOLATION) || errors.Is(err, windows.ERROR_IO_PENDING) {
		return ErrLocked
	}
	if err != nil {
		return diag.Errorf("locking %s: %w", f.Name(), err)
	}
	return nil
}

func unlockFile(f *os.File) {
	windows.UnlockFileEx(windows.Handle(f.Fd()), 0, 1, 0, new(windows.Overlapped))
}
