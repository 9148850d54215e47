package lint

import (
	"flag"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

var update = flag.Bool("update", false, "rewrite the golden files in testdata")

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
	golden(t, "pasted.hits.golden", hits.String())
	golden(t, "pasted.fixed.golden", string(fixed))
	golden(t, "pasted.after-fix.golden", rest.String())
}

func golden(t *testing.T, name, got string) {
	t.Helper()
	path := filepath.Join("testdata", name)
	if *update {
		if err := os.WriteFile(path, []byte(got), 0o644); err != nil {
			t.Fatal(err)
		}
		return
	}
	want, err := os.ReadFile(path)
	if err != nil {
		t.Fatalf("%v (run go test -update to create it)", err)
	}
	if got != string(want) {
		t.Errorf("%s differs (go test -update rewrites it after review):\ngot:\n%s\nwant:\n%s", name, got, want)
	}
}
