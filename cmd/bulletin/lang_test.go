package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// TestChineseMessages runs commands in Chinese, chosen each way a person
// chooses it, and reads the messages an office would.
func TestChineseMessages(t *testing.T) {
	dir := copySample(t)
	os.MkdirAll(filepath.Join(dir, "content", "qinghai"), 0o755)
	bad := filepath.Join(dir, "content", "qinghai", "a.md")
	if err := os.WriteFile(bad, []byte("---\ntitle: 错误示例\ndate: 2024-13-01\nbureau: 青海省民正厅\n---\n正文\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	want := []string{
		filepath.ToSlash(dir) + `/content/qinghai/a.md:3：日期“2024-13-01”无效（月份超出范围），请写成 YYYY-MM-DD、YYYY-MM-DD HH:MM 或 RFC 3339 格式`,
		filepath.ToSlash(dir) + `/content/qinghai/a.md:4：报送单位“青海省民正厅”不在 site.yaml 的单位名单中；是不是“青海省民政厅”？`,
	}
	for _, tc := range []struct {
		name string
		env  map[string]string
		args []string
	}{
		{"flag", nil, []string{"check", "-lang", "zh", "-s", dir}},
		{"flag after", nil, []string{"check", "-s", dir, "-lang=zh"}},
		{"flag before the command", nil, []string{"-lang", "zh", "check", "-s", dir}},
		{"variable", map[string]string{"BULLETIN_LANG": "zh"}, []string{"check", "-s", dir}},
		{"locale", map[string]string{"BULLETIN_LANG": "", "LANG": "zh_CN.UTF-8"}, []string{"check", "-s", dir}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			t.Setenv("LC_ALL", "")
			t.Setenv("LC_MESSAGES", "")
			for k, v := range tc.env {
				t.Setenv(k, v)
			}
			code, _, stderr := run(t, tc.args...)
			if code != 1 {
				t.Fatalf("exit %d, want 1:\n%s", code, stderr)
			}
			for _, w := range want {
				if !strings.Contains(stderr, w) {
					t.Errorf("stderr lacks\n%s\n in:\n%s", w, stderr)
				}
			}
		})
	}
	// The sample site is in Chinese, so with no choice made its messages
	// are too; -lang en overrides.
	t.Run("site language", func(t *testing.T) {
		t.Setenv("BULLETIN_LANG", "")
		t.Setenv("LC_ALL", "C")
		if _, _, stderr := run(t, "check", "-s", dir); !strings.Contains(stderr, want[0]) {
			t.Errorf("a Chinese site's messages are not Chinese:\n%s", stderr)
		}
		if _, _, stderr := run(t, "check", "-s", dir, "-lang", "en"); !strings.Contains(stderr, `a.md:3: date "2024-13-01" is not a valid date: month out of range`) {
			t.Errorf("-lang en is not English:\n%s", stderr)
		}
	})
	// The inbox's listing: sizes, reasons and notes, not only labels.
	t.Run("inbox", func(t *testing.T) {
		inbox := filepath.Join(dir, "inbox", "西宁市民政局")
		os.MkdirAll(inbox, 0o755)
		os.WriteFile(filepath.Join(inbox, "坏文件.docx"), []byte("PK\x03\x04garbage"), 0o644)
		os.WriteFile(filepath.Join(inbox, "坏文件头.md"), []byte("---\ntitle: [坏\n---\n正文\n"), 0o644)
		defer os.RemoveAll(filepath.Join(dir, "inbox"))
		_, stdout, stderr := run(t, "inbox", "-s", dir, "-lang", "zh")
		for _, w := range []string{"大小：     11 字节", "（不是有效的 zip 压缩包）", "文件头第2行有误：YAML 格式错误："} {
			if !strings.Contains(stdout, w) {
				t.Errorf("inbox in Chinese lacks %q:\n%s%s", w, stdout, stderr)
			}
		}
	})
	t.Run("a flag's own reason", func(t *testing.T) {
		_, _, stderr := run(t, "serve", "-s", dir, "-lang", "zh", "-trust-proxy", "localhost")
		if w := "选项 -trust-proxy 的值“localhost”无效：“localhost”既不是 IP 地址"; !strings.Contains(stderr, w) {
			t.Errorf("stderr lacks %q:\n%s", w, stderr)
		}
	})
	t.Run("help", func(t *testing.T) {
		_, _, stderr := run(t, "build", "-h", "-lang", "zh")
		for _, w := range []string{"示例", "站点文件夹"} {
			if !strings.Contains(stderr, w) {
				t.Errorf("build -h in Chinese lacks %q:\n%s", w, stderr)
			}
		}
	})
}

// TestSearchServerSpeaksTheIndexLanguage: a search server in production
// runs where there is no site.yaml, as a service with no Chinese locale;
// its messages follow the language of the site its index was built from.
func TestSearchServerSpeaksTheIndexLanguage(t *testing.T) {
	dir := copySample(t)
	idx := filepath.Join(t.TempDir(), "search")
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", filepath.Join(t.TempDir(), "public"), "-index", idx); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	t.Setenv("BULLETIN_LANG", "")
	t.Setenv("LANG", "C.UTF-8")
	t.Setenv("LC_ALL", "")
	t.Setenv("LC_MESSAGES", "")
	t.Chdir(t.TempDir()) // no site.yaml here
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"search-server", "-index", idx}, "zh"},
		{[]string{"search-server", "-index=" + idx, "-addr", "127.0.0.1:0"}, "zh"},
		{[]string{"search-server", "-index", idx, "-lang", "en"}, "en"},
		{[]string{"search-server", "-index", filepath.Join(t.TempDir(), "none")}, "en"},
		{[]string{"search-server"}, "en"},
	} {
		if got, err := language(tc.args); err != nil || got != tc.want {
			t.Errorf("language(%q) = %q, %v; want %q", tc.args, got, err, tc.want)
		}
	}
	// What it says when it cannot listen.
	code, _, stderr := run(t, "search-server", "-index", idx, "-addr", "256.0.0.1:1")
	if code == 0 || !strings.Contains(stderr, "无法开始 tcp 监听") {
		t.Errorf("search-server on a bad address said, exit %d:\n%s", code, stderr)
	}
}
