package lint

import (
	"bulletin/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestGolden checks a bulletin pasted from a PDF, with the marks such
// text has, against the expected hits and the expected fixed file.
func TestGolden(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "pasted.md"))
	if err != nil {
		t.Fatal(err)
	}
	l := New(NewRules(Builtin()))
	var hits strings.Builder
	for _, h := range l.File("pasted.md", src) {
		hits.WriteString(h.Problem().String() + "\n")
	}
	fixed, _ := l.Fix(src)
	var rest strings.Builder
	for _, h := range l.File("pasted.md", fixed) {
		rest.WriteString(h.Problem().String() + "\n")
	}
	checkGolden(t, "pasted.hits.golden", hits.String())
	checkGolden(t, "pasted.fixed.golden", string(fixed))
	checkGolden(t, "pasted.after-fix.golden", rest.String())
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got))
}
