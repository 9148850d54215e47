package build

import (
	"bulletin/internal/diag"
	"bulletin/internal/fsutil"

	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
)

// The output folder is replaced in one step: the new site is written to a
// hidden sibling folder (.OUT.next), then the two are exchanged. A build
// that fails or is killed leaves the previous site exactly as it was. After
// the exchange the sibling holds the previous site, and the next build
// writes over it, touching only the files that changed: deleting and
// recreating tens of thousands of files costs more than the build itself.

// checkOutput refuses an output that swap could not replace, before
// anything is written: a symbolic link (renaming replaces the link, not
// the folder it points to) or a file.
func checkOutput(out string) error {
	info, err := os.Lstat(out)
	switch {
	case err != nil:
		return nil // a new folder, or an error that writing reports
	case info.Mode()&os.ModeSymlink != 0:
		target, err := filepath.EvalSymlinks(out)
		if err != nil {
			dest, _ := os.Readlink(out)
			return diag.Errorf("the output %s is a symbolic link to %s, which does not exist; a build replaces its output folder whole, so give the folder itself, not a link", out, dest)
		}
		return diag.Errorf("the output %s is a symbolic link; a build replaces its output folder whole, which would replace the link and not %s: give %s as the output, or remove the link", out, target, target)
	case !info.IsDir():
		return diag.Errorf("%s exists and is not a folder; choose another output", out)
	}
	return nil
}

// lock takes the output's lock file, or says who holds it.
func lock(out string) (unlock func(), err error) {
	name := filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".lock")
	l, err := fsutil.TryLock(name)
	if err != nil && !errors.Is(err, fsutil.ErrLocked) {
		return nil, err
	}
	if err != nil {
		holder, _ := os.ReadFile(name)
		if pid := strings.TrimSpace(string(holder)); pid != "" {
			return nil, diag.Errorf("another build is writing %s (process %s); wait for it to finish", out, pid)
		}
		return nil, diag.Errorf("another build is writing %s; wait for it to finish", out)
	}
	f := l.File()
	if err := f.Truncate(0); err == nil {
		f.WriteAt([]byte(strconv.Itoa(os.Getpid())+"\n"), 0)
	}
	return func() {
		f.Truncate(0)
		l.Unlock()
	}, nil
}

// prepareScratch returns the folder to write the new site into: the
// sibling left by the previous build, or a new one. Call it holding the
// lock. A previous site set aside by the fallback swap of a killed build is
// put back first.
func prepareScratch(out string) (string, error) {
	dir, base := filepath.Dir(out), filepath.Base(out)
	old := filepath.Join(dir, "."+base+".old")
	if _, err := os.Lstat(old); err == nil {
		if _, err := os.Lstat(out); errors.Is(err, os.ErrNotExist) {
			if err := os.Rename(old, out); err != nil {
				return "", err
			}
		} else if err := os.RemoveAll(old); err != nil {
			return "", err
		}
	}
	scratch := filepath.Join(dir, "."+base+".next")
	info, err := os.Lstat(scratch)
	switch {
	case err == nil && info.IsDir():
		return scratch, nil
	case err == nil:
		if err := os.Remove(scratch); err != nil {
			return "", err
		}
	case !errors.Is(err, os.ErrNotExist):
		return "", err
	}
	return scratch, os.Mkdir(scratch, 0o755)
}

// swap puts the finished site at out. Afterwards scratch holds the
// previous site, or nothing.
func swap(scratch, out string) error {
	info, err := os.Lstat(out)
	switch {
	case errors.Is(err, os.ErrNotExist):
		return os.Rename(scratch, out)
	case err != nil:
		return err
	case !info.IsDir():
		return diag.Errorf("%s exists and is not a folder; choose another output", out)
	}
	if err := exchange(scratch, out); err == nil {
		return nil
	}
	// The file system cannot exchange: set the old site aside first, so
	// that a build killed between the two renames is repaired by the next.
	old := filepath.Join(filepath.Dir(out), "."+filepath.Base(out)+".old")
	if err := os.Rename(out, old); err != nil {
		return err
	}
	if err := os.Rename(scratch, out); err != nil {
		os.Rename(old, out)
		return err
	}
	return os.Rename(old, scratch)
}
