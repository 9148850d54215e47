package reporting

import (
	"context"
	"os"
	"path/filepath"

	"bulletin/internal/fsutil"
)

// Dir holds the records of reporting, inside the site folder.
const Dir = "reports"

// lockFile is where every change to the records waits its turn.
const lockFile = Dir + "/.lock"

// Lock takes the site's lock on its reporting records (reports/.lock),
// waiting for another command to finish until ctx is done. Everything that
// writes under reports/ or moves files out of the inbox holds it, so two
// editors deciding at once never lose a decision. Two goroutines of one
// process exclude each other as two processes do.
func Lock(ctx context.Context, siteDir string) (unlock func(), err error) {
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
