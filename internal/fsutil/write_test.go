package fsutil

import (
	"errors"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
)

func TestWriteFile(t *testing.T) {
	for _, tc := range []struct {
		name  string
		write func(string, []byte, os.FileMode) error
	}{
		{"WriteFile", WriteFile},
		{"ReplaceFile", ReplaceFile},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			p := filepath.Join(dir, "a.md")
			if err := os.WriteFile(p, []byte("old"), 0o600); err != nil {
				t.Fatal(err)
			}
			if err := tc.write(p, []byte("new"), 0o640); err != nil {
				t.Fatal(err)
			}
			got, err := os.ReadFile(p)
			if err != nil || string(got) != "new" {
				t.Fatalf("after the write: %q, %v", got, err)
			}
			if info, _ := os.Stat(p); runtime.GOOS != "windows" && info.Mode().Perm() != 0o640 {
				t.Errorf("mode %v, want 0640", info.Mode().Perm())
			}
			if entries, _ := os.ReadDir(dir); len(entries) != 1 {
				t.Errorf("the folder holds %d entries, want the file alone", len(entries))
			}
			// A write that cannot finish leaves the old file and no
			// temporary one.
			if err := tc.write(filepath.Join(dir, "missing", "b.md"), []byte("x"), 0o644); err == nil {
				t.Error("a write into a missing folder succeeded")
			}
		})
	}
}

func TestRemoveTemps(t *testing.T) {
	dir := t.TempDir()
	for _, name := range []string{".a.md.123.tmp", "a.md", ".keep"} {
		os.WriteFile(filepath.Join(dir, name), nil, 0o644)
	}
	RemoveTemps(dir)
	entries, _ := os.ReadDir(dir)
	var left []string
	for _, e := range entries {
		left = append(left, e.Name())
	}
	if len(left) != 2 || left[0] != ".keep" || left[1] != "a.md" {
		t.Errorf("left %q", left)
	}
}

func TestWriteNew(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "a.md")
	if err := WriteNew(name, []byte("one"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := WriteNew(name, []byte("two"), 0o644); !errors.Is(err, fs.ErrExist) {
		t.Fatalf("second WriteNew: %v, want fs.ErrExist", err)
	}
	got, _ := os.ReadFile(name)
	if string(got) != "one" {
		t.Errorf("file holds %q, want the first write", got)
	}
	entries, _ := os.ReadDir(dir)
	if len(entries) != 1 {
		t.Errorf("left %d files, want only a.md", len(entries))
	}
}

// TestWriteFileUndo: taking a write back removes a new file and restores
// a replaced one, contents and mode.
func TestWriteFileUndo(t *testing.T) {
	dir := t.TempDir()
	fresh := filepath.Join(dir, "2024-001.yaml")
	undo, err := WriteFileUndo(fresh, []byte("new"), 0o644)
	if err != nil {
		t.Fatal(err)
	}
	if err := undo(); err != nil {
		t.Fatal(err)
	}
	if _, err := os.Stat(fresh); !os.IsNotExist(err) {
		t.Errorf("undoing a new file's write left it: %v", err)
	}

	old := filepath.Join(dir, "2024-002.yaml")
	if err := os.WriteFile(old, []byte("old"), 0o600); err != nil {
		t.Fatal(err)
	}
	if undo, err = WriteFileUndo(old, []byte("new"), 0o644); err != nil {
		t.Fatal(err)
	}
	if got, _ := os.ReadFile(old); string(got) != "new" {
		t.Fatalf("after the write: %q", got)
	}
	if err := undo(); err != nil {
		t.Fatal(err)
	}
	got, _ := os.ReadFile(old)
	info, _ := os.Stat(old)
	if string(got) != "old" || runtime.GOOS != "windows" && info.Mode().Perm() != 0o600 {
		t.Errorf("after undoing: %q with mode %v, want \"old\" with 0600", got, info.Mode().Perm())
	}
}

// TestReplaceFileFrom: what fill writes replaces the file whole; a fill
// that fails leaves the file as it was and no temporary file beside it.
func TestReplaceFileFrom(t *testing.T) {
	dir := t.TempDir()
	name := filepath.Join(dir, "cache.gob")
	big := strings.Repeat("缓存", 100000) // past the write buffer
	if err := ReplaceFileFrom(name, 0o644, func(w io.Writer) error {
		_, err := io.WriteString(w, big)
		return err
	}); err != nil {
		t.Fatal(err)
	}
	failed := errors.New("encoding failed")
	err := ReplaceFileFrom(name, 0o644, func(w io.Writer) error {
		io.WriteString(w, "half")
		return failed
	})
	if !errors.Is(err, failed) {
		t.Fatalf("got %v, want the fill's error", err)
	}
	if data, err := os.ReadFile(name); err != nil || string(data) != big {
		t.Fatalf("after a failed fill the file holds %d bytes (%v), want the %d written before", len(data), err, len(big))
	}
	if info, err := os.Stat(name); err != nil || info.Mode().Perm() != 0o644 {
		t.Errorf("mode %v (%v), want 0644", info.Mode(), err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder holds %d files, want the one", len(entries))
	}
}
