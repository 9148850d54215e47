package golden

import (
	"os"
	"path/filepath"
	"testing"
)

func TestFirstDiff(t *testing.T) {
	for _, tc := range []struct{ got, want, diff string }{
		{"a\nb\n", "a\nb\n", ""},
		{"a\nb\n", "a\nc\n", "line 2:\n got: b\nwant: c"},
		{"a\n", "a\nb\n", "line 2:\n got: \nwant: b"},
	} {
		if got := FirstDiff([]byte(tc.got), []byte(tc.want)); got != tc.diff {
			t.Errorf("FirstDiff(%q, %q) = %q, want %q", tc.got, tc.want, got, tc.diff)
		}
	}
}

func TestCheckUpdate(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a", "b.golden")
	Check(t, p, []byte("民政\n"), true)
	if data, err := os.ReadFile(p); err != nil || string(data) != "民政\n" {
		t.Fatalf("update wrote %q, %v", data, err)
	}
	Check(t, p, []byte("民政\n"), false)
}
