// Package fsutil is the one home of the file-system pieces the commands
// share: replacing a file in one step (WriteFile, ReplaceFile, and
// WriteFileUndo, which can take the write back), locks
// between processes (Lock), and a file system made of layers (Overlay),
// for a theme folder over the embedded theme.
//
// A replacement never leaves half a file behind: the data goes to a
// temporary file beside the target, named ".NAME.*.tmp" so that a site
// load never takes it for a bulletin, which is renamed over the target.
// RemoveTemps deletes those of writers that were killed.
//
// Locks are advisory and die with their process (flock on Unix,
// LockFileEx on Windows), so a killed command never leaves a site locked.
// Where neither exists, LocksWork is false and locking always succeeds.
package fsutil
