package fsutil

import (
	"bufio"
	"errors"
	"io"
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

// WriteNew writes a file that must not exist yet, durably and whole: the
// data goes to a temporary file that is then linked under name, so name
// never holds part of the data, and a file already there is never
// replaced (the error is then fs.ErrExist).
func WriteNew(name string, data []byte, perm fs.FileMode) error {
	return write(name, data, perm, true, true)
}

// WriteFileFrom is WriteFile for data that fill writes as it makes it,
// so that a large record need not be held in memory whole first. When
// fill fails, name is left as it was.
func WriteFileFrom(name string, perm fs.FileMode, fill func(w io.Writer) error) error {
	return writeFrom(name, perm, true, false, buffered(fill))
}

// ReplaceFileFrom is ReplaceFile for data that fill writes as it makes
// it, so that a large file (a cache) need not be held in memory whole
// first. When fill fails, name is left as it was.
func ReplaceFileFrom(name string, perm fs.FileMode, fill func(w io.Writer) error) error {
	return writeFrom(name, perm, false, false, buffered(fill))
}

// buffered gives fill a buffered writer to the file.
func buffered(fill func(w io.Writer) error) func(f *os.File) error {
	return func(f *os.File) error {
		w := bufio.NewWriterSize(f, 1<<16)
		if err := fill(w); err != nil {
			return err
		}
		return w.Flush()
	}
}

func replace(name string, data []byte, perm fs.FileMode, durable bool) error {
	return write(name, data, perm, durable, false)
}

func write(name string, data []byte, perm fs.FileMode, durable, exclusive bool) error {
	return writeFrom(name, perm, durable, exclusive, func(f *os.File) error {
		_, err := f.Write(data)
		return err
	})
}

func writeFrom(name string, perm fs.FileMode, durable, exclusive bool, fill func(f *os.File) error) error {
	dir := filepath.Dir(name)
	f, err := os.CreateTemp(dir, tempPattern(name))
	if err != nil {
		return err
	}
	tmp := f.Name()
	err = fill(f)
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
	switch {
	case err == nil && exclusive:
		// A link fails where name exists, which a rename would replace.
		err = os.Link(tmp, name)
		os.Remove(tmp)
	case err == nil:
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

// WriteFileUndo writes name as WriteFile does and returns how to take the
// write back: remove the file when it is new, or write back what it held.
// A numbering record is written so: a run whose outputs cannot be written
// takes its record back, and with it the number.
func WriteFileUndo(name string, data []byte, perm fs.FileMode) (undo func() error, err error) {
	old, err := os.ReadFile(name)
	existed := err == nil
	if err != nil && !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	oldPerm := perm
	if info, err := os.Stat(name); existed && err == nil {
		oldPerm = info.Mode().Perm()
	}
	if err := WriteFile(name, data, perm); err != nil {
		return nil, err
	}
	if existed {
		return func() error { return WriteFile(name, old, oldPerm) }, nil
	}
	return func() error { return os.Remove(name) }, nil
}
