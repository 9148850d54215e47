package main

import (
	"errors"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"bulletin/internal/fsutil"
)

// TestSearchServerAsAnotherUser is the production setup where the build
// runs as the site's owner and the search servers as an unprivileged user
// (as nginx runs), who may read the index folder but not write in it,
// the owner's umask 077: a server opens every generation, searches it and
// moves to the next the build publishes, holding each through its lock
// file; and a server on a copy made without lock files does the same.
func TestSearchServerAsAnotherUser(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	if os.Geteuid() != 0 {
		t.Skip("needs root, to run the search server as the user nobody")
	}
	base := t.TempDir()
	// t.TempDir's folders are their owner's alone.
	for p := base; p != os.TempDir() && p != "/"; p = filepath.Dir(p) {
		os.Chmod(p, 0o755)
	}
	// The owner keeps what it writes to itself; readers must still be
	// able to open the index.
	defer syscall.Umask(syscall.Umask(0o077))
	dir := copySample(t)
	idx := filepath.Join(base, "search")
	public := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", public, "-index", idx); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	bin := filepath.Join(base, "bulletin.test")
	self, err := os.ReadFile(os.Args[0])
	if err != nil {
		t.Fatal(err)
	}
	if err := errors.Join(os.WriteFile(bin, self, 0o755), os.Chmod(bin, 0o755)); err != nil {
		t.Fatal(err)
	}
	start := func(idx string) string {
		t.Helper()
		cmd := exec.Command(bin, "search-server", "-q", "-index", idx, "-addr", "127.0.0.1:0")
		cmd.SysProcAttr = &syscall.SysProcAttr{Credential: &syscall.Credential{Uid: 65534, Gid: 65534}}
		return "http://" + runSearchProcess(t, cmd)
	}
	withLock := start(idx)
	waitForTotal(t, withLock, "低保", 7)
	// It holds its generation through the lock file it could only read,
	// so a build would not remove the generation under it.
	current, _ := os.ReadFile(filepath.Join(idx, "CURRENT"))
	if l, err := fsutil.TryLock(filepath.Join(idx, strings.TrimSpace(string(current))+".lock")); !errors.Is(err, fsutil.ErrLocked) {
		t.Errorf("the generation in use could be locked by a writer (%v)", err)
		l.Unlock()
	}
	// A copy on another machine, made without the lock files or the
	// writer's, where the server may not write either.
	copied := filepath.Join(base, "copy")
	copyGeneration := func() {
		t.Helper()
		current, _ := os.ReadFile(filepath.Join(idx, "CURRENT"))
		gen := strings.TrimSpace(string(current))
		os.MkdirAll(copied, 0o755)
		os.Chmod(copied, 0o755)
		if out, err := exec.Command("cp", "-a", filepath.Join(idx, gen), copied).CombinedOutput(); err != nil {
			t.Fatalf("cp: %v\n%s", err, out)
		}
		os.WriteFile(filepath.Join(copied, ".CURRENT.new"), current, 0o644)
		os.Chmod(filepath.Join(copied, ".CURRENT.new"), 0o644)
		os.Rename(filepath.Join(copied, ".CURRENT.new"), filepath.Join(copied, "CURRENT"))
	}
	copyGeneration()
	onCopy := start(copied)
	waitForTotal(t, onCopy, "低保", 7)

	addBulletin(t, dir, "other-user", "换代巡查")
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", public, "-index", idx); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	copyGeneration()
	for _, base := range []string{withLock, onCopy} {
		waitForTotal(t, base, "换代巡查", 1)
	}
	if locks, _ := filepath.Glob(filepath.Join(copied, "*.lock")); len(locks) != 0 {
		t.Errorf("a server that may not write left %v", locks)
	}
}
