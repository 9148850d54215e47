package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"testing"

	"bulletin/internal/sitetest"
)

// auditJSON is the part of audit's JSON the tests read.
type auditJSON struct {
	Pass   bool `json:"pass"`
	Vetoes []struct {
		ID       string `json:"id"`
		Pass     bool   `json:"pass"`
		Count    int    `json:"count"`
		Findings []struct {
			Path    string `json:"path"`
			Line    int    `json:"line"`
			Page    string `json:"page"`
			Message string `json:"message"`
		} `json:"findings"`
	} `json:"vetoes"`
}

// TestAuditFailsEveryVeto: a site made to fail each veto item once
// fails each, names what to fix, and -strict exits 1.
func TestAuditFailsEveryVeto(t *testing.T) {
	dir := sitetest.Dir(t, sitetest.ReadFS(t, filepath.Join("testdata", "audit", "fails.txtar")))
	code, stdout, stderr := run(t, "audit", "-s", dir, "-now", "2025-03-31", "-theme", filepath.Join(dir, "theme"), "-format", "json", "-strict")
	if code != 1 {
		t.Fatalf("exit %d, want 1 (a veto item fails): %s", code, stderr)
	}
	var r auditJSON
	if err := json.Unmarshal([]byte(stdout), &r); err != nil {
		t.Fatalf("%v\n%s", err, stdout)
	}
	want := map[string]string{
		"home-updated":    "content/c.md: the newest bulletin: 测试市开展养老服务检查",
		"columns-updated": "工作动态: last updated 2025-01-05",
		"empty-columns":   "category 婚姻登记 is planned in site.yaml but holds no bulletin",
		"wording":         "content/b.md:7: 中华人民共合国",
		"backdating":      "content/a.md:3: dated 2025-01-05, but first published on 2025-01-10 dated 2025-01-10 (published/2025.yaml:2)",
		"undated":         "/: 5 of 5 listed items show no date",
	}
	seen := map[string]bool{}
	for _, v := range r.Vetoes {
		seen[v.ID] = true
		if v.Pass {
			t.Errorf("%s passes", v.ID)
		}
		var lines []string
		for _, f := range v.Findings {
			at := f.Path
			if f.Line > 0 {
				at += ":" + strconv.Itoa(f.Line)
			}
			if at == "" {
				at = f.Page
			}
			lines = append(lines, at+": "+f.Message)
		}
		if w := want[v.ID]; !strings.Contains(strings.Join(lines, "\n"), w) {
			t.Errorf("%s: findings\n%s\nwant one with %q", v.ID, strings.Join(lines, "\n"), w)
		}
	}
	for id := range want {
		if !seen[id] {
			t.Errorf("no veto item %s", id)
		}
	}
	if r.Pass {
		t.Error("the report passes")
	}
}

// TestAuditSample: the sample site passes every veto item at its own
// -now, as README says, and its report reads in Chinese and English.
func TestAuditSample(t *testing.T) {
	dir := copySample(t)
	code, stdout, stderr := run(t, "audit", "-s", dir, "-now", "2025-11-20", "-strict", "-lang", "zh")
	if code != 0 {
		t.Fatalf("exit %d: %s\n%s", code, stderr, stdout)
	}
	for _, want := range []string{"✓ 首页两周内有更新：最新信息发布于 2025-11-10，距 2025-11-20 10 天", "✓ 无伪造发稿日期", "自查：单项否决项全部通过"} {
		if !strings.Contains(stdout, want) {
			t.Errorf("the report lacks %q:\n%s", want, stdout)
		}
	}
	// The HTML report stands alone: no script, nothing fetched.
	out := filepath.Join(t.TempDir(), "自查报告.html")
	if code, _, stderr := run(t, "audit", "-s", dir, "-now", "2025-11-20", "-q", "-o", out); code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	page, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	if s := string(page); !strings.HasPrefix(s, "<!DOCTYPE html>") || strings.Contains(s, "<script") || strings.Contains(s, "src=") || !strings.Contains(s, "Home page updated within two weeks") {
		t.Errorf("the HTML report:\n%.600s", page)
	}
}

// TestBuildRecordsFirstPublication: build records what it publishes for
// the first time, and build -audit then finds a date moved earlier.
func TestBuildRecordsFirstPublication(t *testing.T) {
	dir := copySample(t)
	out := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", out); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	files, _ := filepath.Glob(filepath.Join(dir, "published", "*.yaml"))
	if len(files) != 1 {
		t.Fatalf("published/ holds %v, want one year's file", files)
	}
	record, _ := os.ReadFile(files[0])
	if !strings.Contains(string(record), "winter-relief-2025: {date: 2025-11-10T") {
		t.Errorf("the record:\n%s", record)
	}
	// A build with -now publishes nothing for the record.
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", out, "-now", "2030-01-01"); code != 0 {
		t.Fatalf("build -now: %s", stderr)
	}
	if again, _ := os.ReadFile(files[0]); string(again) != string(record) {
		t.Errorf("build -now changed the record")
	}
	// The date moved a year earlier.
	src := filepath.Join(dir, "content", "gansu", "2025", "winter-relief-2025.md")
	data, _ := os.ReadFile(src)
	os.WriteFile(src, []byte(strings.Replace(string(data), "date: 2025-11-10", "date: 2024-11-10", 1)), 0o644)
	_, _, stderr := run(t, "check", "-s", dir, "-lang", "zh")
	if want := "content/gansu/2025/winter-relief-2025.md:3：警告：日期 2024-11-10 早于 "; !strings.Contains(stderr, want) || !strings.Contains(stderr, "首次发布时的日期 2025-11-10") {
		t.Errorf("check does not warn of the date moved earlier:\n%s", stderr)
	}
	code, stdout, stderr := run(t, "build", "-s", dir, "-o", out, "-audit", "-lang", "en")
	if code != 0 {
		t.Fatalf("build -audit: %s", stderr)
	}
	if !strings.Contains(stdout, "audit: veto items failing: ") || !strings.Contains(stdout, "No publication date changed to an earlier day") {
		t.Errorf("build -audit said:\n%s", stdout)
	}
}
