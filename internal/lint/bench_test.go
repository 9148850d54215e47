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
