package lint

import (
	"io/fs"
	"slices"
	"testing"
	"testing/fstest"

	"bulletin/internal/site"
)

// TestFiles: lint checks the files site.Load lists, by site.IsBulletin,
// regular files only, in lexical order.
func TestFiles(t *testing.T) {
	fsys := fstest.MapFS{"site.yaml": {}, "a.md": {}}
	for _, p := range []string{
		"content/a.md", "content/_a.md", "content/q/2024/b.md", "content/shared/form.md", "content/shared/form.pdf",
		"content/.a.md.swp", "content/q/.b.md.123.tmp", "content/.git/x.md", "content/_drafts/c.md", "content/q/_old/d.md",
	} {
		fsys[p] = &fstest.MapFile{}
	}
	fsys["content/q/pipe.md"] = &fstest.MapFile{Mode: fs.ModeNamedPipe}
	fsys["content/q/link.md"] = &fstest.MapFile{Data: []byte("../a.md"), Mode: fs.ModeSymlink}
	fsys["content/q/.#b.md"] = &fstest.MapFile{Data: []byte("user@host.123"), Mode: fs.ModeSymlink}

	got, err := Files(fsys)
	if err != nil {
		t.Fatal(err)
	}
	want := []string{"content/_a.md", "content/a.md", "content/q/2024/b.md", "content/shared/form.md"}
	if !slices.Equal(got, want) {
		t.Errorf("Files = %q, want %q", got, want)
	}
	for _, p := range got {
		if !site.IsBulletin(p) {
			t.Errorf("%s is not a bulletin by site.IsBulletin", p)
		}
	}
}
