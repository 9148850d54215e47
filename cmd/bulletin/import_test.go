package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// sampleCompilation is the importer's sample briefing: four items of
// bureaus in the sample site's registry and one of a bureau that is not.
var sampleCompilation = filepath.Join("..", "..", "internal", "importer", "testdata", "jianbao-2024-03.txt")

func TestImportTwice(t *testing.T) {
	dir := copySample(t)
	code, stdout, stderr := run(t, "import", "-s", dir, "-category", "社会救助", sampleCompilation)
	if code != 1 {
		t.Fatalf("exit %d, want 1 for the item that could not be imported\n%s", code, stderr)
	}
	written := strings.Fields(stdout)
	if len(written) != 4 {
		t.Fatalf("wrote %d files, want 4:\n%s\n%s", len(written), stdout, stderr)
	}
	for _, w := range []string{
		"jianbao-2024-03.txt:63: item 「玉树州扎实做好高海拔地区冬季取暖保障」: attribution names 玉树州民政局, which is not a bureau in site.yaml; not imported",
		"jianbao-2024-03.txt: imported 4 items, 1 not imported",
	} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	first := map[string]string{}
	for _, p := range written {
		if !strings.HasPrefix(p, filepath.Join(dir, "content")+string(filepath.Separator)) {
			t.Errorf("wrote %s outside content/", p)
		}
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		first[p] = string(data)
	}
	if want := filepath.Join(dir, "content", "qinghai", "2024"); filepath.Dir(written[0]) != want {
		t.Errorf("first item in %s, want %s", filepath.Dir(written[0]), want)
	}

	// The imported bulletins are a valid part of the site.
	if code, stdout, stderr := run(t, "check", "-s", dir); code != 0 || !strings.Contains(stdout, "20 bulletins checked: no errors, 0 warnings") {
		t.Errorf("check after import: exit %d\n%s%s", code, stdout, stderr)
	}

	// Again: nothing is written and nothing changes.
	code, stdout, stderr = run(t, "import", "-s", dir, "-category", "社会救助", sampleCompilation)
	if stdout != "" {
		t.Errorf("second import wrote:\n%s", stdout)
	}
	if !strings.Contains(stderr, "imported 0 items, 4 already in the site, 1 not imported") || !strings.Contains(stderr, "is unchanged") {
		t.Errorf("second import:\n%s", stderr)
	}
	for p, data := range first {
		if now, _ := os.ReadFile(p); string(now) != data {
			t.Errorf("%s changed", p)
		}
	}

	// An edited import is left alone too.
	os.WriteFile(written[0], []byte(first[written[0]]+"\n编辑补充。\n"), 0o644)
	_, _, stderr = run(t, "import", "-s", dir, "-category", "社会救助", sampleCompilation)
	if !strings.Contains(stderr, "which has changed since; left as it is") {
		t.Errorf("import over an edited file:\n%s", stderr)
	}
}

func TestImportDryRunAndFlags(t *testing.T) {
	dir := copySample(t)
	code, stdout, stderr := run(t, "import", "-s", dir, "-n", "-date", "2024-03-20", sampleCompilation)
	if code != 1 || len(strings.Fields(stdout)) != 4 || !strings.Contains(stderr, "would import 4 items") {
		t.Errorf("-n: exit %d\n%s\n%s", code, stdout, stderr)
	}
	if _, err := os.Stat(strings.Fields(stdout)[0]); err == nil {
		t.Errorf("-n wrote a file")
	}
	if !strings.Contains(stdout, filepath.Join("content", "qinghai", "2024")) {
		t.Errorf("-date: %s", stdout)
	}
	tests := []struct {
		args []string
		code int
		want string
	}{
		{[]string{"import", "-s", dir}, 2, "name the text files to import"},
		{[]string{"import", "-s", dir, "-category", "体育", sampleCompilation}, 1, `-category "体育" is not listed in site.yaml`},
		{[]string{"import", "-s", dir, "-bureau", "青海省民正厅", sampleCompilation}, 1, `did you mean "青海省民政厅"?`},
		{[]string{"import", "-s", dir, "-date", "2024-13-01", sampleCompilation}, 1, `-date "2024-13-01"`},
		{[]string{"import", "-s", dir, "no-such-file.txt"}, 1, "no-such-file.txt"},
	}
	for _, tt := range tests {
		code, _, stderr := run(t, tt.args...)
		if code != tt.code || !strings.Contains(stderr, tt.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tt.args, code, stderr, tt.code, tt.want)
		}
	}
}
