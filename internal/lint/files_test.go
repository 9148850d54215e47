package lint

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"reflect"
	"runtime"
	"slices"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"

	"bulletin/internal/site"
)

// siteWithHits is a site of n bulletins in several folders, each with one
// to three half-width commas to report.
func siteWithHits(n int) fstest.MapFS {
	fsys := fstest.MapFS{"site.yaml": {Data: []byte("title: 测试\n")}}
	for i := range n {
		body := strings.Repeat("事故发生后,青海省民政厅立即行动。\n", 1+i%3)
		fsys[fmt.Sprintf("content/%02d/b%04d.md", i%7, i)] = &fstest.MapFile{Data: []byte(front + body)}
	}
	return fsys
}

// TestSiteOrder checks that Site reports the hits file by file in the
// order of Files, as checking each file in turn would, however the files
// were spread over the cores.
func TestSiteOrder(t *testing.T) {
	fsys := siteWithHits(300)
	l := New(NewRules(Builtin()))
	paths, err := Files(fsys)
	if err != nil {
		t.Fatal(err)
	}
	if len(paths) != 300 || !slices.IsSorted(paths) {
		t.Fatalf("Files: %d paths, sorted %v; want 300, sorted", len(paths), slices.IsSorted(paths))
	}
	var want []Hit
	for _, p := range paths {
		want = append(want, l.File(p, fsys[p].Data)...)
	}
	if len(want) != 600 {
		t.Fatalf("%d hits checking file by file, want 600", len(want))
	}
	for range 5 {
		got, err := l.Site(context.Background(), fsys)
		if err != nil {
			t.Fatal(err)
		}
		if !reflect.DeepEqual(got, want) {
			t.Fatalf("Site gave %d hits, not those of checking file by file (%d) in order", len(got), len(want))
		}
	}
}

// cancelOnOpen cancels a context when the first bulletin is opened, and
// counts the bulletins opened.
type cancelOnOpen struct {
	fs.FS
	cancel func()
	opened atomic.Int64
}

func (c *cancelOnOpen) Open(name string) (fs.File, error) {
	if strings.HasSuffix(name, ".md") && c.opened.Add(1) == 1 {
		c.cancel()
	}
	return c.FS.Open(name)
}

// TestSiteCancelled checks that Site stops with the files under way when
// cancelled, and says so rather than returning the hits found so far.
func TestSiteCancelled(t *testing.T) {
	l := New(NewRules(Builtin()))
	ctx, cancel := context.WithCancel(context.Background())
	fsys := &cancelOnOpen{FS: siteWithHits(300), cancel: cancel}
	hits, err := l.Site(ctx, fsys)
	if !errors.Is(err, context.Canceled) || hits != nil {
		t.Errorf("cancelled: %d hits, err = %v; want none, context.Canceled", len(hits), err)
	}
	if n, limit := fsys.opened.Load(), int64(1+2*runtime.GOMAXPROCS(0)); n > limit {
		t.Errorf("cancelled at the first file: %d of 300 read, want at most %d", n, limit)
	}

	fsys.opened.Store(0)
	if _, err := l.Site(ctx, fsys); !errors.Is(err, context.Canceled) || fsys.opened.Load() != 0 {
		t.Errorf("cancelled before: err = %v after reading %d files; want context.Canceled, none read", err, fsys.opened.Load())
	}
}

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
