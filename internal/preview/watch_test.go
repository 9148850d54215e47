package preview

import (
	"context"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"testing"
	"time"
)

func TestWatchIgnored(t *testing.T) {
	dir := filepath.Join("sites", "qinghai")
	for name, want := range map[string]bool{
		filepath.Join(dir, "site.yaml"):                  false,
		filepath.Join(dir, "wording.yaml"):               false,
		filepath.Join(dir, "content"):                    false, // created after serve started
		filepath.Join(dir, "digests"):                    false,
		filepath.Join(dir, "public"):                     true, // the output
		filepath.Join(dir, "notes.txt"):                  true,
		filepath.Join(dir, "content", "a.md"):            false,
		filepath.Join(dir, "content", ".a.md.swp"):       true,
		filepath.Join(dir, "content", "a.md~"):           true,
		filepath.Join(dir, "content", "q", "附件1.pdf"):    false,
		filepath.Join(dir, "digests", "issues", "x.tmp"): true,
	} {
		if got := ignored(dir, name); got != want {
			t.Errorf("ignored(%q) = %v, want %v", name, got, want)
		}
	}
}

// TestWatchBeforeRun checks that every folder is watched once
// Watch returns, before anything reads its events: serve starts the
// watcher before its first load, and an edit made while the site loads,
// in any folder, must reach the first rebuild.
func TestWatchBeforeRun(t *testing.T) {
	dir := t.TempDir()
	var deep []string
	for i := range 40 {
		d := filepath.Join(dir, "content", "bulletins", fmt.Sprintf("r%02d", i), "2025", "12")
		if err := os.MkdirAll(d, 0o755); err != nil {
			t.Fatal(err)
		}
		deep = append(deep, d)
	}
	w, err := Watch(dir, "")
	if err != nil {
		t.Fatal(err)
	}
	defer w.Close()
	// Edits before run: the kernel queues them.
	edited := filepath.Join(deep[len(deep)-1], "a.md")
	if err := os.WriteFile(edited, []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(filepath.Join(dir, "site.yaml"), []byte("x"), 0o644); err != nil {
		t.Fatal(err)
	}

	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	got := make(chan []string, 10)
	go w.Run(ctx, func(changed []string, known bool) {
		if !known {
			t.Errorf("the watcher says it may have missed changes")
		}
		got <- changed
	})
	want := []string{"content/bulletins/r39/2025/12/a.md", "site.yaml"}
	var seen []string
	timeout := time.After(5 * time.Second)
	for !slices.Contains(seen, want[0]) || !slices.Contains(seen, want[1]) {
		select {
		case changed := <-got:
			seen = append(seen, changed...)
		case <-timeout:
			t.Fatalf("rebuilds were told %q, want %q among them", seen, want)
		}
	}
}
