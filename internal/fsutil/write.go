package fsutil

import (
	"io/fs"
	"os"
	"path/filepath"
)

// WriteFile replaces name by data in one step and makes it durable: the
// file and then its folder are synced, so that after a power cut the
// folder holds the old file or the new one, whole. Use it for records a
// person or a later run relies on (numbering, fixed bulletins, the index's
// pointer).
func WriteFile(name string, data []byte, perm fs.FileMode) error {
	return replace(name, data, perm, true)
}

// ReplaceFile replaces name by data in one step, without waiting for the
// disk: for output that the next run can write again, such as built
// pages, where syncing every file would cost more than the build.
func ReplaceFile(name string, data []byte, perm fs.FileMode) error {
	return replace(name, data, perm, false)
}

func replace(name string, data []byte, perm fs.FileMode, durable bool) error {
	dir := filepath.Dir(name)
	f, err := os.CreateTemp(dir, tempPattern(name))
	if err != nil {
		return err
	}
	tmp := f.Name()
	_, err = f.Write(data)
	if err == nil {
		// CreateTemp makes the file 0600. perm is set as given: callers
		// pass 0644 or an existing file's mode.
		err = f.Chmod(perm)
	}
	if err == nil && durable {
		err = f.Sync()
	}
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err == nil {
		err = os.Rename(tmp, name)
	}
	if err != nil {
		os.Remove(tmp)
		return err
	}
	if durable {
		return SyncDir(dir)
	}
	return nil
}

// tempPattern names the temporary file of a replacement of name.
func tempPattern(name string) string { return "." + filepath.Base(name) + ".*.tmp" }

// RemoveTemps deletes the temporary files that killed replacements left
// in dir. Call it only while no replacement in dir can be running (under
// the lock that serialises the writers of dir).
func RemoveTemps(dir string) {
	stale, _ := filepath.Glob(filepath.Join(dir, ".*.tmp"))
	for _, p := range stale {
		os.Remove(p)
	}
}
