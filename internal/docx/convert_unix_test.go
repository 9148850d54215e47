//go:build unix

package docx

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"syscall"
	"testing"
	"time"
)

// TestConvertTimeout runs a soffice that never finishes and starts a
// helper: at the deadline both are killed, at once, and the profile is
// removed.
func TestConvertTimeout(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	pids := filepath.Join(t.TempDir(), "pids")
	soffice := fakeSoffice(t, "sleep 300 &\necho $$ $! > "+pids+"\nwait\n")
	src := filepath.Join(t.TempDir(), "a.doc")
	if err := os.WriteFile(src, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithTimeout(context.Background(), time.Second)
	defer cancel()
	start := time.Now()
	_, err := Convert(ctx, soffice, src, t.TempDir())
	took := time.Since(start)
	if !errors.Is(err, context.DeadlineExceeded) {
		t.Errorf("got %v, want the deadline", err)
	}
	if took > 4*time.Second {
		t.Errorf("Convert took %v after a deadline of 1s", took)
	}
	data, err := os.ReadFile(pids)
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range strings.Fields(string(data)) {
		pid, _ := strconv.Atoi(f)
		if alive(pid) {
			t.Errorf("process %d outlived the deadline", pid)
			syscall.Kill(pid, syscall.SIGKILL)
		}
	}
	if left := leftProfiles(t, tmp); len(left) > 0 {
		t.Errorf("the profile was left behind: %v", left)
	}
}

// alive reports whether process pid runs (a zombie does not), giving a
// killed process a moment to go.
func alive(pid int) bool {
	for range 50 {
		data, err := os.ReadFile("/proc/" + strconv.Itoa(pid) + "/stat")
		if err != nil {
			if os.IsNotExist(err) {
				return false
			}
			// No /proc: ask the kernel.
			return syscall.Kill(pid, 0) == nil
		}
		if _, rest, ok := strings.Cut(string(data), ") "); ok && strings.HasPrefix(rest, "Z") {
			return false
		}
		time.Sleep(20 * time.Millisecond)
	}
	return true
}
