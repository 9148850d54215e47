package digest

import (
	"context"
	"os"
	"path/filepath"
	"time"
)

// lockFile is where runs on one site queue for the numbering.
const lockFile = "digests/.lock"

// lock takes the site's numbering lock, waiting for another run to finish
// until ctx is done. flock is taken on a file of its own per call, so two
// goroutines of one process exclude each other as two processes do.
func lock(ctx context.Context, siteDir string) (unlock func(), err error) {
	p := filepath.Join(siteDir, filepath.FromSlash(lockFile))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	f, err := os.OpenFile(p, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	for {
		ok, err := tryLock(f)
		if err != nil {
			f.Close()
			return nil, err
		}
		if ok {
			return func() { unlockFile(f); f.Close() }, nil
		}
		select {
		case <-ctx.Done():
			f.Close()
			return nil, ctx.Err()
		case <-time.After(20 * time.Millisecond):
		}
	}
}
