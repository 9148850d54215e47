package site

import (
	"context"
	"runtime"
	"testing"

	"bulletin/internal/sitetest"
)

// TestLeanMemory: what a lean load holds per bulletin, with the cache a
// build keeps until it is saved and after it is let go. A million
// bulletins are built at once, so a few dozen bytes each are tens of
// megabytes; the bounds are a little above what the load holds today.
func TestLeanMemory(t *testing.T) {
	const n = 4000
	fsys := sitetest.Site(n)
	heap := sitetest.HeapAlloc
	before := heap()
	cache := NewCache()
	s, err := Load(context.Background(), fsys, Options{Now: testNow, Lean: true, Cache: cache})
	if err != nil {
		t.Fatal(err)
	}
	withCache := heap() - before
	runtime.KeepAlive(cache) // let go from here on
	alone := heap() - before
	per := func(b int64) int64 { return b / int64(len(s.Bulletins)) }
	t.Logf("%d bulletins: %d bytes each with the cache, %d without", len(s.Bulletins), per(withCache), per(alone))
	if per(withCache) > 1880 || per(alone) > 1080 {
		t.Errorf("a lean load holds %d bytes a bulletin with its cache (at most 1880), %d without (at most 1080)", per(withCache), per(alone))
	}
	runtime.KeepAlive(s)
}
