//go:build unix

package indexer

import (
	"os"

	"golang.org/x/sys/unix"
)

// lock takes the lock file at path, so that two updates of one index never
// run at once. flock locks go with the process, so a killed update leaves
// nothing locked.
func lock(path string) (unlock func(), err error) {
	f, err := os.OpenFile(path, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := unix.Flock(int(f.Fd()), unix.LOCK_EX|unix.LOCK_NB); err != nil {
		f.Close()
		return nil, ErrInUse
	}
	return func() {
		unix.Flock(int(f.Fd()), unix.LOCK_UN)
		f.Close()
	}, nil
}
