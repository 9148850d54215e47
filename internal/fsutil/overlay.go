package fsutil

import (
	"errors"
	"io"
	"io/fs"
	"slices"
	"strings"
)

// Overlay returns a file system that finds each file in top first and
// falls back to base, and lists a folder as the union of both layers'
// listings (top's entry wins where both have a name). A theme folder is
// a top layer that replaces the embedded theme file by file: walking or
// globbing the overlay sees every file of the theme, whichever layer it
// is in. A nil top gives base.
func Overlay(top, base fs.FS) fs.FS {
	if top == nil {
		return base
	}
	return overlay{top: top, base: base}
}

type overlay struct{ top, base fs.FS }

func (o overlay) Open(name string) (fs.File, error) {
	f, err := o.top.Open(name)
	if err == nil {
		if info, err := f.Stat(); err != nil || !info.IsDir() {
			return f, nil
		}
		// A folder lists both layers, read through the file as through
		// ReadDir.
		entries, err := o.ReadDir(name)
		if err != nil {
			f.Close()
			return nil, err
		}
		return &mergedDir{File: f, entries: entries}, nil
	}
	if !errors.Is(err, fs.ErrNotExist) {
		return nil, err
	}
	return o.base.Open(name)
}

// ReadDir merges the two listings of name; fs.WalkDir and fs.Glob use
// it, so they see both layers.
func (o overlay) ReadDir(name string) ([]fs.DirEntry, error) {
	top, terr := fs.ReadDir(o.top, name)
	base, berr := fs.ReadDir(o.base, name)
	switch {
	case terr != nil && !errors.Is(terr, fs.ErrNotExist):
		return nil, terr
	case berr != nil && !errors.Is(berr, fs.ErrNotExist):
		if terr == nil {
			// A file in base where top has a folder: top's folder wins.
			return top, nil
		}
		return nil, berr
	case terr != nil && berr != nil:
		return nil, terr
	}
	merged := slices.Clone(top)
	for _, e := range base {
		if _, found := slices.BinarySearchFunc(top, e.Name(), func(t fs.DirEntry, name string) int {
			return strings.Compare(t.Name(), name)
		}); !found {
			merged = append(merged, e)
		}
	}
	slices.SortFunc(merged, func(a, b fs.DirEntry) int { return strings.Compare(a.Name(), b.Name()) })
	return merged, nil
}

// mergedDir is a folder of the top layer listing both layers.
type mergedDir struct {
	fs.File
	entries []fs.DirEntry
	read    int
}

func (d *mergedDir) ReadDir(n int) ([]fs.DirEntry, error) {
	rest := d.entries[d.read:]
	if n <= 0 {
		d.read = len(d.entries)
		return rest, nil
	}
	if len(rest) == 0 {
		return nil, io.EOF
	}
	n = min(n, len(rest))
	d.read += n
	return rest[:n], nil
}
