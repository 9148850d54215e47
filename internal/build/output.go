package build

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The output folder is replaced in one step: the new site is written to a
// hidden sibling folder, then the two are exchanged. A build that fails or
// is killed leaves the previous site exactly as it was, and what it left
// behind is removed by the next build.

// lock takes the output's lock file, or says who holds it.
func lock(out string) (unlock func(), err error) {
	name := filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".lock")
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE, 0o644)
	if err != nil {
		return nil, err
	}
	if err := tryLock(f); err != nil {
		holder, _ := os.ReadFile(name)
		f.Close()
		if pid := strings.TrimSpace(string(holder)); pid != "" {
			return nil, fmt.Errorf("another build is writing %s (process %s); wait for it to finish", out, pid)
		}
		return nil, fmt.Errorf("another build is writing %s; wait for it to finish", out)
	}
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() {
		f.Truncate(0)
		unlockFile(f)
		f.Close()
	}, nil
}

// removeStale cleans up after builds that were killed: their temporary
// folders are deleted, and a previous site set aside by the fallback swap
// is put back if the new one never arrived. Call it holding the lock.
func removeStale(out string) {
	dir, base := filepath.Dir(out), filepath.Base(out)
	olds, _ := filepath.Glob(filepath.Join(dir, "."+base+".old-*"))
	if _, err := os.Stat(out); errors.Is(err, os.ErrNotExist) && len(olds) > 0 {
		os.Rename(olds[0], out)
	}
	tmps, _ := filepath.Glob(filepath.Join(dir, "."+base+".tmp-*"))
	olds, _ = filepath.Glob(filepath.Join(dir, "."+base+".old-*"))
	for _, p := range append(tmps, olds...) {
		os.RemoveAll(p)
	}
}

// swap puts the finished site at out. Afterwards tmp holds the previous
// site (or nothing), for the caller to delete.
func swap(tmp, out string) error {
	info, err := os.Lstat(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.Rename(tmp, out)
	case err != nil:
		return err
	case !info.IsDir():
		return fmt.Errorf("%s exists and is not a folder; choose another output", out)
	}
	if err := exchange(tmp, out); err == nil {
		return nil
	}
	// The file system cannot exchange: set the old site aside first, so
	// that a build killed between the two renames is repaired by the next.
	old := strings.Replace(tmp, ".tmp-", ".old-", 1)
	if err := os.Rename(out, old); err != nil {
		return err
	}
	if err := os.Rename(tmp, out); err != nil {
		os.Rename(old, out)
		return err
	}
	return os.Rename(old, tmp)
}
