package fsutil

import (
	"io/fs"
	"os"
)

// LetOthersRead adds what other users need to read the file or folder p,
// whose info is given, to its permissions: a search server may run as
// another user than the build. Only what is missing is added, so a file
// that already has it (one linked from elsewhere, perhaps not ours to
// change) is left alone.
func LetOthersRead(p string, info fs.FileInfo) error {
	want := fs.FileMode(0o044)
	if info.IsDir() {
		want = 0o055
	}
	if perm := info.Mode().Perm(); perm&want != want {
		return os.Chmod(p, perm|want)
	}
	return nil
}
