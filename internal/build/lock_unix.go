//go:build unix

package build

import (
	"os"

	"golang.org/x/sys/unix"
)

// flock locks are released by the kernel when the process dies, so a
// killed build never leaves the output locked.
func tryLock(f *os.File) error { return unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB) }

func unlockFile(f *os.File) { unix.Flock(int(f.Fd()), unix.LOCK_UN) }
