package digest

import (
	"context"
	"os"
	"path/filepath"

	"bulletin/internal/fsutil"
)

// lockFile is where runs on one site queue for the numbering.
const lockFile = "digests/.lock"

// lock takes the site's numbering lock, waiting for another run to finish
// until ctx is done. Two goroutines of one process exclude each other as
// two processes do.
func lock(ctx context.Context, siteDir string) (unlock func(), err error) {
	p := filepath.Join(siteDir, filepath.FromSlash(lockFile))
	if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
		return nil, err
	}
	l, err := fsutil.WaitLock(ctx, p)
	if err != nil {
		return nil, err
	}
	return func() { l.Unlock() }, nil
}
