//go:build !unix

package build

import "os"

// Without flock, builds are not serialised; the swap still keeps each
// published site whole.
func tryLock(*os.File) error { return nil }

func unlockFile(*os.File) {}
