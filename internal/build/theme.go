package build

import (
	"html/template"
	"io/fs"
	"path"
	"slices"
	"strings"

	"bulletin/internal/diag"
	"bulletin/internal/site"
)

// requiredKinds are the page templates every theme must provide; any other
// templates/*.html is a kind too, for pages that publishers add.
var requiredKinds = []string{"home", "bulletin", "list", "terms", "subscribe", "notfound"}

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
	for _, f := range files {
		if err := parseFile(common, theme, f); err != nil {
			return nil, err
		}
	}
	kinds := slices.Clone(requiredKinds)
	names, err := fs.Glob(theme, "templates/*.html")
	if err != nil {
		return nil, err
	}
	for _, n := range names {
		if k := strings.TrimSuffix(path.Base(n), ".html"); k != "base" && !slices.Contains(kinds, k) {
			kinds = append(kinds, k)
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
		return diag.Errorf("theme: %w", err)
	}
	if _, err := t.New(path.Base(name)).Parse(string(src)); err != nil {
		return diag.Errorf("theme: %w", err)
	}
	return nil
}
