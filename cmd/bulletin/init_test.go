package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestInit starts sites as a newcomer would and goes on with the commands
// init prints: each new site checks clean and builds, and a bulletin
// written with new checks clean too.
func TestInit(t *testing.T) {
	for _, tc := range []struct {
		name   string
		args   []string
		bureau string // the bureau init suggests for new
	}{
		{"empty registry", nil, "单位全称"},
		{"bureaus and regions", []string{"-title", "青海民政信息网", "-bureau", "青海省民政厅", "-bureau", "西宁市民政局", "-region", "青海省", "-region", "青海省西宁市", "-bureau", "杭州市西湖区民政局"}, "青海省民政厅"},
		{"from a corpus", []string{"-from-corpus", filepath.Join("..", "..", "content")}, "甘肃省民政厅"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "新站点")
			code, stdout, stderr := run(t, append([]string{"init", dir}, tc.args...)...)
			if code != 0 {
				t.Fatalf("init: exit %d\n%s", code, stderr)
			}
			next := "  cd " + shellQuote(dir) + "\n  bulletin new -bureau " + tc.bureau + " \"第一篇信息的标题\"\n  bulletin serve\n"
			if !strings.HasSuffix(stdout, next) {
				t.Errorf("init printed\n%s\nwant it to end with\n%s", stdout, next)
			}
			if code, out, errs := run(t, "check", "-s", dir); code != 0 || !strings.Contains(out+errs, "no errors, 0 warnings") {
				t.Errorf("check of the new site: exit %d\n%s%s", code, out, errs)
			}
			if len(tc.args) > 0 { // new needs a registry to place a bulletin
				if code, _, errs := run(t, "new", "-s", dir, "-bureau", tc.bureau, "第一篇信息的标题"); code != 0 {
					t.Errorf("new: exit %d\n%s", code, errs)
				}
			}
			if code, _, errs := run(t, "build", "-q", "-s", dir, "-o", filepath.Join(t.TempDir(), "public")); code != 0 {
				t.Errorf("build of the new site: exit %d\n%s", code, errs)
			}
		})
	}

	// The sample's bulletins check clean in the site init made from them.
	dir := filepath.Join(t.TempDir(), "corpus")
	if code, _, errs := run(t, "init", "-q", "-from-corpus", filepath.Join("..", "..", "content"), dir); code != 0 {
		t.Fatalf("init -from-corpus: exit %d\n%s", code, errs)
	}
	sample := copySample(t)
	os.RemoveAll(filepath.Join(dir, "content"))
	if err := os.Rename(filepath.Join(sample, "content"), filepath.Join(dir, "content")); err != nil {
		t.Fatal(err)
	}
	if code, out, errs := run(t, "check", "-s", dir); code != 0 || !strings.Contains(out+errs, "no errors") {
		t.Errorf("the corpus in its new site: exit %d\n%s%s", code, out, errs)
	}
}

func TestInitRefuses(t *testing.T) {
	taken := t.TempDir()
	os.WriteFile(filepath.Join(taken, "site.yaml"), []byte("title: 已有站点\n"), 0o644)
	for _, tc := range []struct {
		name string
		args []string
		code int
		want string
	}{
		{"a folder with files", []string{"init", taken}, 1, "not empty"},
		{"more regions than bureaus", []string{"init", filepath.Join(t.TempDir(), "a"), "-bureau", "青海省民政厅", "-region", "青海省", "-region", "甘肃省"}, 1, "2 -region for 1 -bureau"},
		{"a bureau without a region", []string{"init", filepath.Join(t.TempDir(), "b"), "-bureau", "民政部"}, 1, "-bureau 民政部: give its -region"},
		{"two folders", []string{"init", "a", "b"}, 2, "give one folder"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			code, _, stderr := run(t, tc.args...)
			if code != tc.code || !strings.Contains(stderr, tc.want) {
				t.Errorf("exit %d, %q; want %d and %q", code, stderr, tc.code, tc.want)
			}
		})
	}
	if data, _ := os.ReadFile(filepath.Join(taken, "site.yaml")); string(data) != "title: 已有站点\n" {
		t.Error("init changed a site.yaml that was there")
	}
}

func TestShellQuote(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"qinghai-news", "qinghai-news"},
		{"青海省民政厅", "青海省民政厅"},
		{"/tmp/my site", `"/tmp/my site"`},
		{"青海省民政厅: #1", `"青海省民政厅: #1"`},
		{`a"b$c`, `'a"b$c'`},
		{"it's", `"it's"`},
	} {
		if got := shellQuote(tc.in); got != tc.want {
			t.Errorf("shellQuote(%q) = %s, want %s", tc.in, got, tc.want)
		}
	}
}
