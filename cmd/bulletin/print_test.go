// The test kills a print with SIGKILL and reads /proc: Linux only.

//go:build linux

package main

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"

	"bulletin/internal/digest"
	"bulletin/internal/sitetest"
	"bulletin/theme"
)

// TestKilledPrintLeavesNoBrowser kills digest -pdf with SIGKILL while
// Chromium prints, and checks that the browser goes with it and that the
// next print removes the profile folder the killed one left.
func TestKilledPrintLeavesNoBrowser(t *testing.T) {
	if runtime.GOOS != "linux" {
		t.Skip("only Linux has a parent-death signal")
	}
	if digest.Chromium() == "" {
		t.Skip("chromium not installed: apt-get install -y chromium")
	}
	if testing.Short() {
		t.Skip("kills a real print; skipped with -short")
	}
	t.Parallel()
	sitetest.TakeTurn(t)
	dir := copySample(t)
	// Everything of the prints lives below root: the profile folders
	// (TMPDIR), the crash reporter's files (HOME), so a process whose
	// command line names root is one of theirs.
	root := t.TempDir()
	tmp, home, out := filepath.Join(root, "tmp"), filepath.Join(root, "home"), filepath.Join(root, "out")
	os.MkdirAll(tmp, 0o755)
	os.MkdirAll(home, 0o755)
	// A theme whose issue page never finishes loading keeps the browser
	// printing until it is killed.
	page, err := theme.FS.ReadFile("digest/issue.html")
	if err != nil {
		t.Fatal(err)
	}
	hang := filepath.Join(root, "theme", "digest", "issue.html")
	os.MkdirAll(filepath.Dir(hang), 0o755)
	os.WriteFile(hang, bytes.Replace(page, []byte("<body>"), []byte("<body><script>for(;;){}</script>"), 1), 0o644)

	printCmd := func(themeArgs ...string) *exec.Cmd {
		args := append([]string{"digest", "-q", "-pdf", "-s", dir, "-o", out, "-from", "2024-01-01", "-to", "2024-06-30", "-date", "2026-01-05"}, themeArgs...)
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "BULLETIN_TEST_MAIN=1", "TMPDIR="+tmp, "HOME="+home)
		return cmd
	}
	cmd := printCmd("-theme", filepath.Join(root, "theme"))
	var stderr bytes.Buffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		// On failure, take down what is left of the browser.
		for _, pid := range processesNaming(root) {
			syscall.Kill(pid, syscall.SIGKILL)
		}
	})
	var browser []int
	for deadline := time.Now().Add(30 * time.Second); ; time.Sleep(100 * time.Millisecond) {
		browser = processesNaming(root)
		// The command names root too; a renderer means the browser is
		// loading the page.
		if strings.Contains(strings.Join(cmdlines(browser), "\n"), "--type=renderer") {
			break
		}
		if time.Now().After(deadline) {
			cmd.Process.Kill()
			cmd.Wait()
			t.Fatalf("no browser was printing after 30 s:\n%s", stderr.String())
		}
	}
	time.Sleep(500 * time.Millisecond) // let it settle into printing
	cmd.Process.Signal(syscall.SIGKILL)
	cmd.Wait()

	var left []int
	for deadline := time.Now().Add(5 * time.Second); time.Now().Before(deadline); time.Sleep(100 * time.Millisecond) {
		if left = processesNaming(root); len(left) == 0 {
			break
		}
	}
	if len(left) > 0 {
		t.Errorf("5 s after digest -pdf was killed, %d browser processes still run:\n%s", len(left), strings.Join(cmdlines(left), "\n"))
	}
	stale, _ := filepath.Glob(filepath.Join(tmp, "bulletin-chromium-*"))
	if len(stale) != 1 {
		t.Fatalf("the killed print left profile folders %v, want the one it was using", stale)
	}

	// The next print, with the usual theme, removes it and its own.
	if b, err := printCmd().CombinedOutput(); err != nil {
		t.Fatalf("digest -pdf after the kill: %v\n%s", err, b)
	}
	if left, _ := filepath.Glob(filepath.Join(tmp, "bulletin-chromium-*")); len(left) != 0 {
		t.Errorf("after the next print the temporary folder holds %v, want no profile folders", left)
	}
}

// processesNaming returns the processes, other than this one, whose
// command line contains s; zombies do not count.
func processesNaming(s string) []int {
	var pids []int
	entries, _ := os.ReadDir("/proc")
	for _, e := range entries {
		pid, err := strconv.Atoi(e.Name())
		if err != nil || pid == os.Getpid() {
			continue
		}
		cmdline, err := os.ReadFile(filepath.Join("/proc", e.Name(), "cmdline"))
		if err != nil || !bytes.Contains(cmdline, []byte(s)) {
			continue
		}
		if stat, err := os.ReadFile(filepath.Join("/proc", e.Name(), "stat")); err == nil {
			if i := bytes.LastIndexByte(stat, ')'); i > 0 && i+2 < len(stat) && stat[i+2] == 'Z' {
				continue
			}
		}
		pids = append(pids, pid)
	}
	return pids
}

// cmdlines returns the command lines of pids, cut short, for a message.
func cmdlines(pids []int) []string {
	var out []string
	for _, pid := range pids {
		b, _ := os.ReadFile(filepath.Join("/proc", strconv.Itoa(pid), "cmdline"))
		s := strings.ReplaceAll(string(b), "\x00", " ")
		if len(s) > 160 {
			s = s[:160] + "…"
		}
		out = append(out, s)
	}
	return out
}
