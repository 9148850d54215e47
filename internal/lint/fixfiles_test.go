package lint

import (
	"os"
	"path/filepath"
	"testing"
)

// TestFixFiles fixes a file in place and returns what is left of its hits.
func TestFixFiles(t *testing.T) {
	dir := t.TempDir()
	const rel = "content/a.md"
	src := []byte("---\ntitle: 标题\n---\n\n今天开会,明天放假.\n")
	name := filepath.Join(dir, filepath.FromSlash(rel))
	if err := os.MkdirAll(filepath.Dir(name), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(name, src, 0o640); err != nil {
		t.Fatal(err)
	}
	l := New(NewRules(Builtin()))
	hits := l.File(rel, src)
	left, fixed, err := l.FixFiles(dir, hits)
	if err != nil {
		t.Fatal(err)
	}
	if len(fixed) != 1 || fixed[0].Path != rel || fixed[0].Changes == 0 {
		t.Fatalf("fixed %+v, want %s with changes", fixed, rel)
	}
	got, _ := os.ReadFile(name)
	if want, _ := l.Fix(src); string(got) != string(want) {
		t.Errorf("file holds %q, want %q", got, want)
	}
	if info, _ := os.Stat(name); info.Mode().Perm() != 0o640 {
		t.Errorf("mode %v, want 0640 kept", info.Mode().Perm())
	}
	for _, h := range left {
		if h.Fixable {
			t.Errorf("fixable hit left: %+v", h)
		}
	}
}
