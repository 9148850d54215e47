package fsutil

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"

	// Registers -update, unused here, so that go test ./... -update
	// does not stop at this package with an unknown flag.
	_ "bulletin/internal/golden"
)

func TestOverlay(t *testing.T) {
	base := fstest.MapFS{
		"assets/site.js":            {Data: []byte("base js")},
		"assets/style.css":          {Data: []byte("base css")},
		"templates/base.html":       {Data: []byte("base")},
		"templates/partials/a.html": {Data: []byte("a")},
		"only-base/x.txt":           {Data: []byte("x")},
	}
	top := fstest.MapFS{
		"assets/style.css":          {Data: []byte("top css")},
		"templates/partials/b.html": {Data: []byte("b")},
		"templates/extra.html":      {Data: []byte("extra")},
	}
	o := Overlay(top, base)

	for _, tc := range []struct{ name, want string }{
		{"assets/style.css", "top css"},
		{"assets/site.js", "base js"},
		{"templates/partials/a.html", "a"},
		{"templates/partials/b.html", "b"},
		{"only-base/x.txt", "x"},
	} {
		got, err := fs.ReadFile(o, tc.name)
		if err != nil || string(got) != tc.want {
			t.Errorf("ReadFile(%s) = %q, %v; want %q", tc.name, got, err, tc.want)
		}
	}
	if _, err := fs.ReadFile(o, "nowhere.txt"); !errorsIsNotExist(err) {
		t.Errorf("ReadFile of a missing file: %v", err)
	}

	var walked []string
	err := fs.WalkDir(o, ".", func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() {
			walked = append(walked, p)
		}
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"assets/site.js", "assets/style.css", "only-base/x.txt", "templates/base.html",
		"templates/extra.html", "templates/partials/a.html", "templates/partials/b.html"}
	if !slices.Equal(walked, want) {
		t.Errorf("WalkDir saw %q, want %q", walked, want)
	}
	globbed, err := fs.Glob(o, "templates/partials/*.html")
	if err != nil || !slices.Equal(globbed, []string{"templates/partials/a.html", "templates/partials/b.html"}) {
		t.Errorf("Glob = %q, %v", globbed, err)
	}
	if err := fstest.TestFS(o, want...); err != nil {
		t.Error(err)
	}
	if Overlay(nil, base) == nil {
		t.Error("Overlay(nil, base) is nil")
	}
}

func errorsIsNotExist(err error) bool { return err != nil && errors.Is(err, fs.ErrNotExist) }
