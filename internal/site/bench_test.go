package site

import (
	"context"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/sitetest"
)

func BenchmarkLoad(b *testing.B) {
	for _, n := range []int{100, 1000} {
		fsys := sitetest.Site(n)
		b.Run(strconv.Itoa(n), func(b *testing.B) {
			for b.Loop() {
				s, err := Load(context.Background(), fsys, Options{Now: testNow})
				if err != nil {
					b.Fatal(err)
				}
				if len(s.Bulletins) == 0 {
					b.Fatal("no bulletins")
				}
			}
			b.ReportMetric(float64(n)*float64(b.N)/b.Elapsed().Seconds(), "bulletins/s")
		})
	}
}

// BenchmarkLoadCached measures the reload of bulletin serve: one bulletin
// changed since the last load with the same cache.
func BenchmarkLoadCached(b *testing.B) {
	for _, tc := range []struct {
		name    string
		modTime bool // whether files carry modification times, as on disk
		watched bool // told which file changed, as serve's watcher does
	}{
		{"10000", true, false},
		// Without modification times every file is read and hashed to
		// tell whether it changed.
		{"10000-nomodtime", false, false},
		{"10000-watched", true, true},
	} {
		b.Run(tc.name, func(b *testing.B) {
			fsys := sitetest.Site(10000)
			var paths []string
			mod := time.Date(2025, 1, 1, 0, 0, 0, 0, time.UTC)
			for p, f := range fsys {
				if strings.HasSuffix(p, ".md") {
					paths = append(paths, p)
				}
				if tc.modTime {
					f.ModTime = mod
				}
			}
			slices.Sort(paths)
			cache := NewCache()
			ctx := context.Background()
			if _, err := Load(ctx, fsys, Options{Now: testNow, Cache: cache}); err != nil {
				b.Fatal(err)
			}
			i := 0
			for b.Loop() {
				b.StopTimer()
				p := paths[i%len(paths)]
				i++
				f := fsys[p]
				if tc.modTime {
					mod = mod.Add(time.Second)
				}
				fsys[p] = &fstest.MapFile{Data: append(slices.Clip(f.Data), "\n补充说明。\n"...), ModTime: mod}
				b.StartTimer()
				s, err := Load(ctx, fsys, Options{Now: testNow, Cache: cache, Changed: []string{p}, ChangedKnown: tc.watched})
				if err != nil {
					b.Fatal(err)
				}
				if len(s.Bulletins) == 0 {
					b.Fatal("no bulletins")
				}
				if st := cache.Stats(); st.Rendered != 1 {
					b.Fatalf("stats %+v, want one file rendered", st)
				}
			}
		})
	}
}

// TestGeneratedSiteLoads keeps the benchmark's input valid.
func TestGeneratedSiteLoads(t *testing.T) {
	s, err := Load(context.Background(), sitetest.Site(50), Options{Now: testNow})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Bulletins) < 40 || len(s.Warnings) > 0 {
		t.Errorf("%d bulletins, warnings %v", len(s.Bulletins), s.Warnings)
	}
}
