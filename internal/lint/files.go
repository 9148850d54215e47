package lint

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"runtime"
	"slices"

	"golang.org/x/sync/errgroup"

	"bulletin/internal/site"
)

// Files lists the bulletin sources of the site in fsys (site.IsBulletin)
// in lexical order, as site.Load lists them: regular files only, folders
// that are set aside left unread.
func Files(fsys fs.FS) ([]string, error) {
	var paths []string
	err := fs.WalkDir(fsys, site.ContentDir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			// site.Load reports unreadable files and a missing content/.
			if d != nil && d.IsDir() {
				return fs.SkipDir
			}
			return nil
		}
		switch {
		case d.IsDir() && site.SetAside(p, true):
			return fs.SkipDir
		case d.Type().IsRegular() && site.IsBulletin(p):
			paths = append(paths, p) // not a link: site.Load reports those
		}
		return nil
	})
	return paths, err
}

// Site checks every bulletin source of the site in fsys, on all cores, and
// returns the hits sorted by path and line. Files that cannot be read or
// are larger than a bulletin may be are skipped: site.Load reports them.
func (l *Linter) Site(ctx context.Context, fsys fs.FS) ([]Hit, error) {
	paths, err := Files(fsys)
	if err != nil {
		return nil, err
	}
	// A file is tens of microseconds of work: a goroutine each costs
	// little. Nothing fails, so the group needs no context of its own.
	perFile := make([][]Hit, len(paths))
	var g errgroup.Group
	g.SetLimit(runtime.GOMAXPROCS(0))
	for i, p := range paths {
		if ctx.Err() != nil {
			break
		}
		g.Go(func() error {
			if ctx.Err() != nil {
				return nil // cancelled while this file waited for a core
			}
			if src, ok := readBulletin(fsys, p); ok {
				perFile[i] = l.File(p, src)
			}
			return nil
		})
	}
	g.Wait()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	return slices.Concat(perFile...), nil
}

// readBulletin reads a file unless it is larger than a bulletin may be.
func readBulletin(fsys fs.FS, name string) ([]byte, bool) {
	f, err := fsys.Open(name)
	if err != nil {
		return nil, false
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil || info.Size() > site.DefaultMaxFileSize {
		return nil, false
	}
	buf := bytes.NewBuffer(make([]byte, 0, int(info.Size())+bytes.MinRead))
	_, err = buf.ReadFrom(io.LimitReader(f, site.DefaultMaxFileSize+1))
	return buf.Bytes(), err == nil && buf.Len() <= site.DefaultMaxFileSize
}
