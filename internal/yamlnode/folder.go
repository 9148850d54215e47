package yamlnode

import (
	"errors"
	"io/fs"
	"regexp"
	"strings"

	"bulletin/internal/diag"
)

// ReadFolder calls read with each record file directly in dir of fsys, in
// name order, and returns the problems read reports with its own. Records are the files named *.yaml; hidden ones are a run's
// temporary files and other files are an office's notes, so both are left
// alone. A record whose name without .yaml does not match name is not read
// but reported with hint, a message (an English format with no arguments)
// that says how records are named. A folder that
// does not exist holds no records.
func ReadFolder(fsys fs.FS, dir string, name *regexp.Regexp, hint string, read func(path string, src []byte) diag.Problems) (diag.Problems, error) {
	entries, err := fs.ReadDir(fsys, dir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var problems diag.Problems
	for _, e := range entries {
		base := e.Name()
		id, isRecord := strings.CutSuffix(base, ".yaml")
		if e.IsDir() || strings.HasPrefix(base, ".") || !isRecord {
			continue
		}
		p := dir + "/" + base
		if !name.MatchString(id) {
			problems = append(problems, diag.At(p, 0, diag.Error, hint))
			continue
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		problems = append(problems, read(p, src)...)
	}
	return problems, nil
}
