package importer

import (
	"bulletin/internal/golden"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bulletin/internal/site"
)

func testConfig(t testing.TB) *site.Config {
	t.Helper()
	cfg, err := site.ReadConfig(os.DirFS("testdata"))
	if err != nil {
		t.Fatal(err)
	}
	return cfg
}

// render shows a result as the golden files hold it: the notes, then each
// file under a -- path -- line.
func render(r *Result) string {
	var b strings.Builder
	for _, n := range r.Notes {
		b.WriteString("note " + n.String() + "\n")
	}
	for _, it := range r.Items {
		b.WriteString("-- " + it.Path() + " --\n")
		b.Write(it.Markdown())
	}
	return b.String()
}

// TestGolden imports the sample compilations in testdata: a briefing with
// a paragraph per line and one wrapped at the page width, both with the
// marks of PDF extraction.
func TestGolden(t *testing.T) {
	cfg := testConfig(t)
	tests := []struct {
		file string
		opt  Options
	}{
		{"jianbao-2024-03.txt", Options{Category: "社会救助"}},
		{"xinxi-wrapped.txt", Options{Category: "慈善事业"}},
		{"xinxi-wrapped.txt", Options{Category: "慈善事业", Bureau: "杭州市西湖区民政局", Date: time.Date(2024, 9, 12, 10, 0, 0, 0, time.UTC)}},
	}
	for i, tt := range tests {
		src, err := os.ReadFile(filepath.Join("testdata", tt.file))
		if err != nil {
			t.Fatal(err)
		}
		tt.opt.Config = cfg
		got := render(Parse(src, tt.opt))
		name := strings.TrimSuffix(tt.file, ".txt") + ".golden"
		if i == 2 {
			name = strings.TrimSuffix(tt.file, ".txt") + "-flags.golden"
		}
		checkGolden(t, name, got)
	}
}

func readTestdata(t testing.TB, name string) []byte {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// checkGolden compares got with testdata/name, or rewrites it with -update.
func checkGolden(t *testing.T, name, got string) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", name), []byte(got))
}
