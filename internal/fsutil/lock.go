package fsutil

import (
	"context"
	"errors"
	"os"
	"time"
)

// ErrLocked is returned by TryLock and TryRLock when another holder has
// the lock.
var ErrLocked = errors.New("locked by another process")

// Lock is a held lock on a file. Another process (or another Lock in
// this one) cannot take the file exclusively while it is held, nor
// shared while it is held exclusively.
type Lock struct{ f *os.File }

// TryLock takes the lock file name exclusively, creating the file, or
// returns ErrLocked at once if someone holds it.
func TryLock(name string) (*Lock, error) { return tryLock(name, false) }

// TryRLock takes the lock file name shared, creating the file: any number
// of shared holders exclude an exclusive one. It returns ErrLocked at
// once if someone holds it exclusively. A process that may only read the
// folder (a server running as another user than the one writing) takes
// the lock through an existing file opened for reading.
func TryRLock(name string) (*Lock, error) { return tryLock(name, true) }

func tryLock(name string, shared bool) (*Lock, error) {
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	switch {
	case err == nil && shared:
		// Readers may be other users (a search server running as one);
		// whatever the umask, they must be able to open it.
		if info, statErr := f.Stat(); statErr == nil {
			LetOthersRead(name, info)
		}
	case err != nil && shared:
		// Not allowed to write here, or a read-only file system.
		if ro, roErr := os.Open(name); roErr == nil {
			f, err = ro, nil
		}
	}
	if err != nil {
		return nil, err
	}
	if err := lockFile(f, shared); err != nil {
		f.Close()
		return nil, err
	}
	return &Lock{f: f}, nil
}

// WaitLock takes the lock file name exclusively, waiting for other
// holders to let go until ctx is done.
func WaitLock(ctx context.Context, name string) (*Lock, error) {
	for {
		l, err := TryLock(name)
		if !errors.Is(err, ErrLocked) {
			return l, err
		}
		select {
		case <-ctx.Done():
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}

// File is the lock file, open for reading and writing, for a holder that
// writes who it is into it.
func (l *Lock) File() *os.File { return l.f }

// Unlock lets go of the lock and closes the file. A nil Lock, which
// stands for a lock that could not be taken, lets go of nothing.
func (l *Lock) Unlock() error {
	if l == nil {
		return nil
	}
	unlockFile(l.f)
	return l.f.Close()
}
