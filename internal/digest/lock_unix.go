//go:build unix

package digest

import (
	"errors"
	"os"

	"golang.org/x/sys/unix"
)

// flockWorks says that tryLock keeps other processes out.
const flockWorks = true

// flock locks are released by the kernel when the process dies, so a killed
// run never leaves the numbering locked.
func tryLock(f *os.File) (bool, error) {
	err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB)
	if errors.Is(err, unix.EWOULDBLOCK) {
		return false, nil
	}
	return err == nil, err
}

func unlockFile(f *os.File) { unix.Flock(int(f.Fd()), unix.LOCK_UN) }
