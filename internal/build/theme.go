package build

import (
	"errors"
	"fmt"
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"

	"bulletin/internal/site"
)

// requiredKinds are the page templates every theme must provide; any other
// templates/*.html is a kind too, for pages that publishers add.
var requiredKinds = []string{"home", "bulletin", "list", "terms", "subscribe", "notfound"}

// overlayFS looks up every file in top first and falls back to base, so a
// theme folder overrides the embedded theme file by file.
type overlayFS struct{ top, base fs.FS }

func (o overlayFS) Open(name string) (fs.File, error) {
	if o.top != nil {
		f, err := o.top.Open(name)
		if err == nil {
			return f, nil
		}
		if !errors.Is(err, fs.ErrNotExist) {
			return nil, err
		}
	}
	return o.base.Open(name)
}

// Theme returns the theme to build with: the embedded one, with any file
// of dir (which may be nil) in its place.
func Theme(embedded, dir fs.FS) fs.FS {
	if dir == nil {
		return embedded
	}
	return overlayFS{top: dir, base: embedded}
}

// parseTemplates parses base.html and the partials once, then one clone
// per page kind with that kind's template on top.
func parseTemplates(theme fs.FS, cfg *site.Config) (map[string]*template.Template, error) {
	common := template.New("base").Funcs(templateFuncs(cfg))
	files := []string{"templates/base.html"}
	partials, err := fs.Glob(theme, "templates/partials/*.html")
	if err != nil {
		return nil, err
	}
	files = append(files, partials...)
	// Partials may be overridden one by one, so list every layer.
	for _, layer := range layers(theme) {
		more, _ := fs.Glob(layer, "templates/partials/*.html")
		for _, m := range more {
			if !slices.Contains(files, m) {
				files = append(files, m)
			}
		}
	}
	for _, f := range files {
		if err := parseFile(common, theme, f); err != nil {
			return nil, err
		}
	}
	kinds := slices.Clone(requiredKinds)
	for _, layer := range layers(theme) {
		names, _ := fs.Glob(layer, "templates/*.html")
		for _, n := range names {
			if k := strings.TrimSuffix(path.Base(n), ".html"); k != "base" && !slices.Contains(kinds, k) {
				kinds = append(kinds, k)
			}
		}
	}
	out := make(map[string]*template.Template, len(kinds))
	for _, kind := range kinds {
		t, err := common.Clone()
		if err != nil {
			return nil, err
		}
		if err := parseFile(t, theme, "templates/"+kind+".html"); err != nil {
			return nil, err
		}
		out[kind] = t
	}
	return out, nil
}

func parseFile(t *template.Template, theme fs.FS, name string) error {
	src, err := fs.ReadFile(theme, name)
	if err != nil {
		return fmt.Errorf("theme: %w", err)
	}
	if _, err := t.New(path.Base(name)).Parse(string(src)); err != nil {
		return fmt.Errorf("theme: %w", err)
	}
	return nil
}

// layers lists the file systems a theme is made of, top first.
func layers(theme fs.FS) []fs.FS {
	if o, ok := theme.(overlayFS); ok {
		return []fs.FS{o.top, o.base}
	}
	return []fs.FS{theme}
}
