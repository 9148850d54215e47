//go:build !unix

package fsutil

// SyncDir does nothing where folders cannot be opened for syncing
// (Windows): there the rename itself is durable once it returns.
func SyncDir(dir string) error { return nil }
