package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

const lintFront = "---\ntitle: 测试信息\ndate: 2024-03-01\nbureau: 青海省民政厅\n---\n\n"

func writeBulletin(t *testing.T, dir, rel, content string) string {
	t.Helper()
	path := filepath.Join(dir, filepath.FromSlash(rel))
	os.MkdirAll(filepath.Dir(path), 0o755)
	if err := os.WriteFile(path, []byte(content), 0o644); err != nil {
		t.Fatal(err)
	}
	return path
}

func TestCheckWordingAndTypography(t *testing.T) {
	dir := copySample(t)
	writeBulletin(t, dir, "content/qinghai/2024/lint.md", lintFront+
		"事故发生后,青海省民政厅立即行动。\n\n中华人民共合国民政部指导。学习《条例\n\n（据青海省民政厅）\n")
	code, stdout, stderr := run(t, "check", "-s", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1 for a wording error\n%s", code, stderr)
	}
	p := filepath.ToSlash(dir) + "/content/qinghai/2024/lint.md"
	want := []string{
		p + ":7: warning: 后,青 → 后，青 (half-width comma in Chinese text)",
		p + ":9: 中华人民共合国 → 中华人民共和国 (国名)",
		p + ":9: warning: 《 is not closed in this paragraph",
		"1 error in " + dir,
	}
	if got := strings.Split(strings.TrimSpace(stderr), "\n"); strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("stderr:\n%s\nwant:\n%s", stderr, strings.Join(want, "\n"))
	}
	if stdout != "" {
		t.Errorf("stdout = %q", stdout)
	}
}

func TestCheckJSON(t *testing.T) {
	dir := copySample(t)
	writeBulletin(t, dir, "content/qinghai/2024/lint.md", lintFront+"青海 省民政厅召开会议。\n\n（据西宁市民政局）\n")
	code, stdout, stderr := run(t, "check", "-s", dir, "-format", "json")
	if code != 0 {
		t.Fatalf("exit %d, want 0 with warnings only\n%s", code, stderr)
	}
	var got []map[string]any
	if err := json.Unmarshal([]byte(stdout), &got); err != nil {
		t.Fatalf("stdout is not a JSON array: %v\n%s", err, stdout)
	}
	p := filepath.ToSlash(dir) + "/content/qinghai/2024/lint.md"
	want := []map[string]any{
		{"path": p, "line": 7.0, "column": 3.0, "severity": "warning", "rule": "space",
			"message": "space between Chinese characters", "wrong": "海 省", "right": "海省"},
		{"path": p, "line": 9.0, "severity": "warning", "rule": "site",
			"message": "the closing line names 西宁市民政局, but bureau is 青海省民政厅"},
	}
	if len(got) != len(want) {
		t.Fatalf("got %d findings, want %d:\n%s", len(got), len(want), stdout)
	}
	for i := range want {
		for k, v := range want[i] {
			if got[i][k] != v {
				t.Errorf("finding %d: %s = %v, want %v", i, k, got[i][k], v)
			}
		}
		if len(got[i]) != len(want[i]) {
			t.Errorf("finding %d has fields %v, want %v", i, got[i], want[i])
		}
	}
	if stderr != "" {
		t.Errorf("stderr = %q, want nothing beside the JSON", stderr)
	}
	// A clean site is an empty array, not null.
	clean := copySample(t)
	if _, stdout, _ := run(t, "check", "-s", clean, "-format", "json"); strings.TrimSpace(stdout) != "[]" {
		t.Errorf("clean site: %q", stdout)
	}
	if code, _, _ := run(t, "check", "-s", clean, "-format", "xml"); code != 2 {
		t.Errorf("-format xml: exit %d, want 2", code)
	}
}

func TestCheckFix(t *testing.T) {
	dir := copySample(t)
	src := "\uFEFF---\r\ntitle: 发生后,青海行动\r\ndate: 2024-03-01\r\nbureau: 青海省民政厅\r\ntags: [冬春救助,低保]\r\n---\r\n\r\n" +
		"事故发生后,青海省民政厅立即行动;各县(市、区) 迅速响应。截止目前,已救助 群众1,000人。\r\n\r\n" +
		"```\r\n原始数据:青海,西宁\r\n```\r\n\r\n学习《条例\r\n\r\n(据青海省民政厅)\r\n"
	want := "\uFEFF---\r\ntitle: 发生后，青海行动\r\ndate: 2024-03-01\r\nbureau: 青海省民政厅\r\ntags: [冬春救助,低保]\r\n---\r\n\r\n" +
		"事故发生后，青海省民政厅立即行动；各县（市、区）迅速响应。截至目前，已救助群众1,000人。\r\n\r\n" +
		"```\r\n原始数据:青海,西宁\r\n```\r\n\r\n学习《条例\r\n\r\n（据青海省民政厅）\r\n"
	path := writeBulletin(t, dir, "content/qinghai/2024/fix.md", src)
	os.Chmod(path, 0o600)
	code, stdout, stderr := run(t, "check", "-s", dir, "-fix")
	if code != 0 {
		t.Fatalf("exit %d after fixing\n%s", code, stderr)
	}
	got, _ := os.ReadFile(path)
	if string(got) != want {
		t.Errorf("fixed file:\n%q\nwant:\n%q", got, want)
	}
	if info, _ := os.Stat(path); info.Mode().Perm() != 0o600 {
		t.Errorf("mode %v, want 0600 kept", info.Mode().Perm())
	}
	p := filepath.ToSlash(dir) + "/content/qinghai/2024/fix.md"
	for _, w := range []string{"fixed " + p + ": 9 changes", "fixed 9 problems in 1 file", "17 bulletins checked: no errors, 1 warning"} {
		if !strings.Contains(stdout, w) {
			t.Errorf("stdout lacks %q:\n%s", w, stdout)
		}
	}
	if strings.TrimSpace(stderr) != p+":14: warning: 《 is not closed in this paragraph" {
		t.Errorf("stderr after fix:\n%s", stderr)
	}
	entries, _ := os.ReadDir(filepath.Dir(path))
	for _, e := range entries {
		if strings.HasPrefix(e.Name(), ".") {
			t.Errorf("temporary file left: %s", e.Name())
		}
	}
	// Nothing left to fix.
	if _, stdout, _ := run(t, "check", "-s", dir, "-fix"); strings.Contains(stdout, "fixed") {
		t.Errorf("second -fix: %s", stdout)
	}
}

func TestCheckWordingFile(t *testing.T) {
	dir := copySample(t)
	writeBulletin(t, dir, "wording.yaml", `rules:
  - wrong: 民政信息网站
    right: 民政信息网
    message: 网站名称
    severity: warning
  - wrong: 青海省民政厅
    rigth: x
disable: [中华人民共合国]
`)
	writeBulletin(t, dir, "content/qinghai/2024/w.md", lintFront+"欢迎访问民政信息网站。中华人民共合国。\n")
	code, _, stderr := run(t, "check", "-s", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1 for the mistake in wording.yaml\n%s", code, stderr)
	}
	p := filepath.ToSlash(dir)
	for _, w := range []string{
		p + `/wording.yaml:7: unknown key rule "rigth"; did you mean "right"?`,
		p + "/content/qinghai/2024/w.md:7: warning: 民政信息网站 → 民政信息网 (网站名称)",
	} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	if strings.Contains(stderr, "中华人民共和国") {
		t.Errorf("a disabled rule was applied:\n%s", stderr)
	}
}

// TestCheckSynonymsFile: check reports every problem of the search's
// synonyms.yaml at its line, and a good one passes.
func TestCheckSynonymsFile(t *testing.T) {
	dir := copySample(t)
	writeBulletin(t, dir, "synonyms.yaml", `groups:
  - [低保, 低保金]
  - [社区服务中心]
  - [甲乙, 丙丁]
  - [戊己, 甲乙]
expand:
  民政通: [民政通]
disable: [不是内置的词]
`)
	code, _, stderr := run(t, "check", "-s", dir)
	if code != 1 {
		t.Fatalf("exit %d, want 1 for the mistakes in synonyms.yaml\n%s", code, stderr)
	}
	p := filepath.ToSlash(dir)
	for _, w := range []string{
		p + "/synonyms.yaml:3: a group needs two or more different terms",
		p + `/synonyms.yaml:5: "甲乙" is in two groups (first on line 4): merge them into one`,
		p + `/synonyms.yaml:7: expand: "民政通" lists itself`,
		p + `/synonyms.yaml:8: warning: disable: "不是内置的词" is not a built-in term`,
	} {
		if !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	}
	writeBulletin(t, dir, "synonyms.yaml", "groups:\n  - [低保, 低保金]\n")
	if code, _, stderr := run(t, "check", "-s", dir); code != 0 || strings.Contains(stderr, "synonyms.yaml") {
		t.Errorf("a good synonyms.yaml: exit %d\n%s", code, stderr)
	}
}

// TestCheckHasNoPublishingFlags: check reads every bulletin, drafts and
// future ones included, whatever build would publish, so the flags that
// choose what build publishes have nothing to choose there and are not
// offered.
func TestCheckHasNoPublishingFlags(t *testing.T) {
	dir := copySample(t)
	for _, args := range [][]string{{"-drafts"}, {"-future"}, {"-now", "2024-01-01"}} {
		code, _, stderr := run(t, append([]string{"check", "-s", dir}, args...)...)
		if code != 2 || !strings.Contains(stderr, "flag provided but not defined: "+args[0]) {
			t.Errorf("check %s: exit %d, stderr %q; want exit 2, flag not defined", strings.Join(args, " "), code, stderr)
		}
	}
	_, _, help := run(t, "check", "-h")
	for _, name := range []string{"-drafts", "-future", "-now"} {
		if strings.Contains(help, "  "+name+" ") || strings.Contains(help, "  "+name+"\n") {
			t.Errorf("check -h lists %s:\n%s", name, help)
		}
	}
}
