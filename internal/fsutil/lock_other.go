//go:build !unix && !windows

package fsutil

import "os"

// LocksWork says that a Lock keeps no one out: this system has no file
// locks, so commands are not serialised. Replacements stay atomic.
const LocksWork = false

func lockFile(*os.File, bool) error { return nil }

func unlockFile(*os.File) {}
