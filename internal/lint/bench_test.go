package lint

import (
	"context"
	"testing"

	"bulletin/internal/sitetest"
)

// BenchmarkSite checks a generated site of 1,000 bulletins.
func BenchmarkSite(b *testing.B) {
	fsys := sitetest.Site(1000)
	l := New(NewRules(Builtin()))
	var size int64
	for _, f := range fsys {
		size += int64(len(f.Data))
	}
	b.SetBytes(size)
	for b.Loop() {
		if _, err := l.Site(context.Background(), fsys); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkPathological checks one file of 100,000 repetitions of each of
// TestLinear's shapes, such as 100,000 unclosed "[a](" on one line.
func BenchmarkPathological(b *testing.B) {
	l := New(NewRules(Builtin()))
	for _, p := range pathological {
		src := []byte(front + p.body(100_000) + "\n")
		b.Run(p.name, func(b *testing.B) {
			b.SetBytes(int64(len(src)))
			for b.Loop() {
				l.File("a.md", src)
			}
		})
	}
}
