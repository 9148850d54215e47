package build

import (
	"context"
	"path/filepath"
	"sync"
	"testing"

	"bulletin/internal/site"
	"bulletin/internal/sitetest"
	"bulletin/theme"
)

// TestPagesMemory: while the pages are written, a build holds little per
// page beyond the site: the record of the files it writes, not every
// page made at once (about 750 bytes a bulletin here, twice that when
// they were). A million bulletins are built at once.
func TestPagesMemory(t *testing.T) {
	const n = 3000
	fsys := sitetest.Site(n)
	s, err := site.Load(context.Background(), fsys, site.Options{Now: fixtureNow, Lean: true})
	if err != nil {
		t.Fatal(err)
	}
	heap := sitetest.HeapAlloc
	before := heap()
	var once sync.Once
	var during int64
	_, err = Build(context.Background(), s, Config{Out: filepath.Join(t.TempDir(), "public"), Theme: theme.FS, Sources: fsys,
		Progress: func(done, total int) {
			if done > total*3/4 {
				once.Do(func() { during = heap() })
			}
		}})
	if err != nil {
		t.Fatal(err)
	}
	per := (during - before) / int64(len(s.Bulletins))
	t.Logf("%d bulletins: %d bytes each while the pages are written", len(s.Bulletins), per)
	if per > 900 {
		t.Errorf("writing the pages holds %d bytes a bulletin; at most 900", per)
	}
}
