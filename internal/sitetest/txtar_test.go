package sitetest

import (
	"os"
	"path/filepath"
	"testing"

	// Registers -update, unused here, so that go test ./... -update
	// does not stop at this package with an unknown flag.
	_ "bulletin/internal/golden"
)

func TestFS(t *testing.T) {
	fsys := FS(`A site of one bulletin; this line is a comment.
-- site.yaml --
title: 测试
-- content/a.md --
---
title: 甲
---
正文`)
	if len(fsys) != 2 {
		t.Fatalf("files: %v", fsys)
	}
	if got := string(fsys["site.yaml"].Data); got != "title: 测试\n" {
		t.Errorf("site.yaml = %q", got)
	}
	// Front matter's --- is not a file marker, and the last line gets its newline.
	if got := string(fsys["content/a.md"].Data); got != "---\ntitle: 甲\n---\n正文\n" {
		t.Errorf("content/a.md = %q", got)
	}
	dir := Dir(t, fsys)
	if data, err := os.ReadFile(filepath.Join(dir, "content", "a.md")); err != nil || string(data) != string(fsys["content/a.md"].Data) {
		t.Errorf("Dir wrote %q, %v", data, err)
	}
	if back := ReadDir(t, dir); len(back) != 2 || string(back["site.yaml"].Data) != "title: 测试\n" {
		t.Errorf("ReadDir read %v", back)
	}
}

func TestReadFS(t *testing.T) {
	p := filepath.Join(t.TempDir(), "site.txtar")
	if err := os.WriteFile(p, []byte("-- site.yaml --\ntitle: 测试\n-- content/a.md --\n正文\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	fsys := ReadFS(t, p)
	if len(fsys) != 2 || string(fsys["content/a.md"].Data) != "正文\n" {
		t.Errorf("ReadFS read %v", fsys)
	}
}
