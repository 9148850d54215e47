package sitetest

import (
	"io/fs"
	"os"
	"path/filepath"
	"testing"
	"testing/fstest"

	"golang.org/x/tools/txtar"
)

// FS returns the files of a txtar archive: a small site written in the
// test that uses it, each file under a "-- path --" line, so that front
// matter and site.yaml read as they would in the editor, with the line
// numbers problems name. The text before the first file is a comment,
// free for saying what the site is for. Each file ends in a newline.
func FS(archive string) fstest.MapFS {
	return archiveFS(txtar.Parse([]byte(archive)))
}

// ReadFS is FS for an archive kept in a file, such as testdata/x.txtar.
func ReadFS(t testing.TB, path string) fstest.MapFS {
	t.Helper()
	a, err := txtar.ParseFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return archiveFS(a)
}

func archiveFS(a *txtar.Archive) fstest.MapFS {
	fsys := fstest.MapFS{}
	for _, f := range a.Files {
		if _, dup := fsys[f.Name]; dup {
			// A second copy would silently win: surely a slip.
			panic("sitetest: " + f.Name + " twice in the archive")
		}
		fsys[f.Name] = &fstest.MapFile{Data: f.Data, Mode: 0o644}
	}
	return fsys
}

// Dir writes fsys (an archive's files, a Site, a fixture read with ReadDir)
// into a new temporary folder and returns its path, for the code that
// reads and writes a site on disk.
func Dir(t testing.TB, fsys fs.FS) string {
	t.Helper()
	dir := t.TempDir()
	if err := os.CopyFS(dir, fsys); err != nil {
		t.Fatal(err)
	}
	return dir
}

// ReadDir reads the files below dir into memory, so that a test can add
// to a fixture site, or change it, without touching testdata.
func ReadDir(t testing.TB, dir string) fstest.MapFS {
	t.Helper()
	fsys := fstest.MapFS{}
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		fsys[filepath.ToSlash(rel)] = &fstest.MapFile{Data: data, Mode: 0o644}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	return fsys
}
