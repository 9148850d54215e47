package lint

import (
	"os"
	"path/filepath"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
)

// Fixed is a file FixFiles changed and how many fixes it took.
type Fixed struct {
	Path    string // slash-separated, relative to the site folder
	Changes int
}

// FixFiles applies the safe fixes to the files under the site folder dir
// that have fixable hits, and returns the hits with those of the fixed
// files replaced by what is left, and the files fixed, in order. Each file
// is replaced in one step (a temporary file renamed over it), so an
// interrupted fix leaves either the old file or the new one. On error,
// the files fixed before it are returned with it.
func (l *Linter) FixFiles(dir string, hits []Hit) ([]Hit, []Fixed, error) {
	var paths []string
	for _, h := range hits {
		if h.Fixable && (len(paths) == 0 || paths[len(paths)-1] != h.Path) {
			paths = append(paths, h.Path)
		}
	}
	remaining := map[string][]Hit{}
	var fixed []Fixed
	for _, p := range paths {
		name := filepath.Join(dir, filepath.FromSlash(p))
		src, err := os.ReadFile(name)
		if err != nil {
			return nil, fixed, err
		}
		text, applied := l.Fix(src)
		if len(applied) == 0 {
			continue
		}
		if err := fixFile(name, text); err != nil {
			return nil, fixed, err
		}
		fixed = append(fixed, Fixed{Path: p, Changes: len(applied)})
		remaining[p] = l.File(p, text)
	}
	var out []Hit
	for i, h := range hits {
		if rest, ok := remaining[h.Path]; ok {
			if i == 0 || hits[i-1].Path != h.Path {
				out = append(out, rest...)
			}
			continue
		}
		out = append(out, h)
	}
	return out, fixed, nil
}

// fixFile replaces the bulletin name by its fixed text, durably and
// keeping its permissions. Only regular files are fixed: a link would be
// replaced by a file, not written through.
func fixFile(name string, data []byte) error {
	info, err := os.Lstat(name)
	if err != nil {
		return err
	}
	if !info.Mode().IsRegular() {
		return diag.Errorf("%s: not a regular file; not fixed", name)
	}
	return fsutil.WriteFile(name, data, info.Mode().Perm())
}
