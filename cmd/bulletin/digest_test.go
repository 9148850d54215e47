package main

import (
	"bytes"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestDigest runs bulletin digest on the sample site as an editor would:
// once, again (the same issue), then a build that publishes it.
func TestDigest(t *testing.T) {
	dir := copySample(t)
	args := []string{"digest", "-s", dir, "-from", "2025-01-01", "-to", "2025-12-31", "-region", "青海省", "-date", "2025-12-31"}
	code, stdout, stderr := run(t, args...)
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	out := filepath.Join(dir, "digests", "out")
	want := strings.Join([]string{filepath.Join(out, "2025-001.html"), filepath.Join(out, "2025-001.md"), filepath.Join(out, "2025-001.txt")}, "\n") + "\n"
	if stdout != want {
		t.Errorf("stdout = %q, want the paths written:\n%s", stdout, want)
	}
	if !strings.Contains(stderr, "民政工作简报 2025年第1期（总第1期）: 3 bulletins, signed off 2025年12月31日; new number") {
		t.Errorf("stderr = %q, want the issue and its number", stderr)
	}
	first, err := os.ReadFile(filepath.Join(out, "2025-001.txt"))
	if err != nil {
		t.Fatal(err)
	}

	// Again, on another day: the same issue, byte for byte.
	code, stdout2, stderr := run(t, args[:len(args)-2]...)
	if code != 0 || stdout2 != stdout || !strings.Contains(stderr, "reproduced from") {
		t.Errorf("re-run: exit %d, stdout %q, stderr %q; want the same paths, reproduced", code, stdout2, stderr)
	}
	if again, _ := os.ReadFile(filepath.Join(out, "2025-001.txt")); !bytes.Equal(again, first) {
		t.Errorf("the re-run changed 2025-001.txt")
	}

	// A dry run of another selection says which number it would take.
	code, stdout, _ = run(t, "digest", "-s", dir, "-from", "2025-01-01", "-to", "2025-12-31", "-region", "甘肃省", "-date", "2025-12-31", "-dry-run")
	if code != 0 || !strings.Contains(stdout, "2025年第2期（总第2期）") || !strings.Contains(stdout, "dry run: nothing written, no number taken") {
		t.Errorf("dry run: exit %d, stdout %q", code, stdout)
	}
	if _, err := os.Stat(filepath.Join(dir, "digests", "issues", "2025-002.yaml")); err == nil {
		t.Errorf("the dry run took a number")
	}

	public := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := run(t, "build", "-s", dir, "-o", public, "-q", "-now", "2026-01-01"); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	for name, want := range map[string]string{
		"digests/index.html":          "2025年第1期（总第1期）",
		"digests/2025-001/index.html": "（据青海省民政厅）",
		"digests/feed.xml":            "tag:minzheng.example.cn,2025-12-31:/digests/2025-001/",
	} {
		data, err := os.ReadFile(filepath.Join(public, name))
		if err != nil || !strings.Contains(string(data), want) {
			t.Errorf("%s: %v; want it to hold %q", name, err, want)
		}
	}
	// The issue's page carries the site's meta tags, as every page must
	// for the monitoring tools of website inspections.
	if issue, _ := os.ReadFile(filepath.Join(public, "digests", "2025-001", "index.html")); !strings.Contains(string(issue), `<meta name="SiteIDCode" content="6300000001">`) ||
		!strings.Contains(string(issue), `<meta name="ColumnName" content="民政工作简报">`) {
		t.Errorf("the issue's page lacks the meta tags:\n%.1500s", issue)
	}

	// A briefing for internal circulation stays off the site.
	cfg := filepath.Join(dir, "site.yaml")
	src, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	os.WriteFile(cfg, []byte(strings.Replace(string(src), "\ndigest:\n", "\ndigest:\n  publish: false\n", 1)), 0o644)
	if code, _, stderr := run(t, "build", "-s", dir, "-o", public, "-q", "-now", "2026-01-01"); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	if _, err := os.Stat(filepath.Join(public, "digests")); err == nil {
		t.Errorf("digest.publish: false, yet the site has /digests/")
	}
}

func TestDigestBadArguments(t *testing.T) {
	dir := copySample(t)
	period := []string{"-from", "2025-01-01", "-to", "2025-12-31"}
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-h"}, 0, "Example:"},
		{[]string{"-from", "2025-13-01", "-to", "2025-12-31"}, 2, `-from "2025-13-01" is not a day; use YYYY-MM-DD`},
		{[]string{"-from", "2025-02-01", "-to", "2025-01-01"}, 2, "the period starts (2025-02-01) after it ends (2025-01-01)"},
		{append(period, "-region", "青海"), 2, `did you mean "青海省"?`},
		{append(period, "-group", "bureau"), 2, `group by region or category, not "bureau"`},
		{append(period, "extra"), 2, `unexpected argument "extra"`},
		{[]string{"-select", filepath.Join(dir, "none.txt")}, 2, "-select: open"},
		{[]string{}, 2, "give the period"},
		{[]string{"-from", "2023-01-01", "-to", "2023-01-31"}, 1, "no published bulletins to compile from 2023-01-01 to 2023-01-31; no number was taken"},
		{[]string{"-nosuchflag"}, 2, "flag provided but not defined"},
	} {
		code, _, stderr := run(t, append([]string{"digest", "-s", dir}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) {
			t.Errorf("%v: exit %d, stderr %q; want exit %d and %q", tc.args, code, stderr, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "digests", "issues")); err == nil {
		t.Errorf("bad arguments created digests/issues")
	}

	// A site without a digest: section is told what to add.
	os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("title: 示例\nbase_url: https://example.cn/\n"), 0o644)
	os.RemoveAll(filepath.Join(dir, "content"))
	code, _, stderr := run(t, append([]string{"digest", "-s", dir}, period...)...)
	if code != 1 || !strings.Contains(stderr, "site.yaml names no digest title and publisher") {
		t.Errorf("no digest settings: exit %d, stderr %q", code, stderr)
	}
}

// TestDigestWarnsOfLeftOutImage checks that digest names, on stderr with
// its line, an image the standalone issue leaves out.
func TestDigestWarnsOfLeftOutImage(t *testing.T) {
	dir := copySample(t)
	md := "---\ntitle: 远程图片\ndate: 2025-06-01\nbureau: 青海省民政厅\n---\n\n正文。\n\n![照片](https://images.example.com/a.png)\n"
	os.WriteFile(filepath.Join(dir, "content", "qinghai", "remote.md"), []byte(md), 0o644)
	code, _, stderr := run(t, "digest", "-s", dir, "-from", "2025-06-01", "-to", "2025-06-01", "-date", "2025-12-31")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	want := filepath.ToSlash(dir) + "/content/qinghai/remote.md:9: warning: image https://images.example.com/a.png is left out of the issue"
	if !strings.Contains(stderr, want) {
		t.Errorf("stderr lacks %q:\n%s", want, stderr)
	}
}
