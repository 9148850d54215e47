package site

import (
	"context"
	"strconv"
	"testing"

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
