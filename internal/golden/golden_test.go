package golden

import (
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"strings"
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

// setUpdate sets -update for the rest of the test.
func setUpdate(t *testing.T, v bool) {
	old := *Update
	*Update = v
	t.Cleanup(func() { *Update = old })
}

func TestCheckUpdate(t *testing.T) {
	p := filepath.Join(t.TempDir(), "a", "b.golden")
	setUpdate(t, true)
	Check(t, p, []byte("民政\n"))
	if data, err := os.ReadFile(p); err != nil || string(data) != "民政\n" {
		t.Fatalf("update wrote %q, %v", data, err)
	}
	setUpdate(t, false)
	Check(t, p, []byte("民政\n"))
}

// recorder is a test whose errors are kept for the test of a check.
type recorder struct {
	testing.TB
	errs []string
}

func (r *recorder) Helper()             {}
func (r *recorder) Logf(string, ...any) {}
func (r *recorder) Errorf(format string, a ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, a...))
}

func TestCheckDir(t *testing.T) {
	dir := filepath.Join(t.TempDir(), "golden")
	tree := map[string][]byte{
		"index.html":                []byte("<h1>民政</h1>\n"),
		"bureaus/qinghai/feed.xml":  []byte("<rss>\n<item>一</item>\n</rss>\n"),
		"bureaus/qinghai/feed.json": []byte("{}\n"),
	}
	setUpdate(t, true)
	CheckDir(t, dir, tree)
	if got := ReadDir(t, dir); len(TreeDiff(got, tree)) != 0 {
		t.Fatalf("-update wrote %v", TreeDiff(got, tree))
	}

	setUpdate(t, false)
	CheckDir(t, dir, tree)
	changed := maps.Clone(tree)
	delete(changed, "bureaus/qinghai/feed.json")
	changed["bureaus/qinghai/feed.xml"] = []byte("<rss>\n<item>二</item>\n</rss>\n")
	changed["tags/dibao/feed.xml"] = []byte("<rss/>\n")
	r := &recorder{TB: t}
	CheckDir(r, dir, changed)
	want := []string{
		dir + "/bureaus/qinghai/feed.json: not written, yet in the golden files",
		dir + "/bureaus/qinghai/feed.xml differs from the golden file at line 2:\n got: <item>二</item>\nwant: <item>一</item>",
		dir + "/tags/dibao/feed.xml: written, yet not in the golden files",
	}
	if strings.Join(r.errs, "\n") != strings.Join(want, "\n") {
		t.Errorf("CheckDir reported\n%s\nwant\n%s", strings.Join(r.errs, "\n"), strings.Join(want, "\n"))
	}

	// -update removes the file no longer written and adds the new one.
	setUpdate(t, true)
	CheckDir(t, dir, changed)
	if got := ReadDir(t, dir); len(TreeDiff(got, changed)) != 0 {
		t.Errorf("-update left %v", TreeDiff(got, changed))
	}
}
