package main

import (
	"context"
	"crypto/sha256"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"os"
	"os/exec"
	"os/signal"
	"path/filepath"
	"sort"
	"strings"
	"syscall"
	"testing"
	"time"

	"bulletin/internal/sitetest"
)

// TestMain lets a test run the command in a child process: the crash test
// needs a build it can kill.
func TestMain(m *testing.M) {
	// The tests read the English messages; TestChineseMessages the Chinese.
	os.Setenv("BULLETIN_LANG", "en")
	if os.Getenv("BULLETIN_TEST_MAIN") == "1" {
		// As main runs it: Ctrl+C and SIGTERM end the command, which
		// then removes what it made.
		ctx, stop := signal.NotifyContext(context.Background(), os.Interrupt, syscall.SIGTERM)
		code := Main(ctx, os.Args[1:], os.Stdout, os.Stderr)
		stop()
		os.Exit(code)
	}
	os.Exit(m.Run())
}

// writeSite writes a generated site of n bulletins into dir.
func writeSite(t *testing.T, dir string, n int) {
	t.Helper()
	if err := os.CopyFS(dir, sitetest.Site(n)); err != nil {
		t.Fatal(err)
	}
}

// treeDigest fingerprints every file below dir, path and content.
func treeDigest(t *testing.T, dir string) string {
	t.Helper()
	var lines []string
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		data, err := os.ReadFile(p)
		rel, _ := filepath.Rel(dir, p)
		lines = append(lines, fmt.Sprintf("%s %x", rel, sha256.Sum256(data)))
		return err
	})
	if err != nil {
		t.Fatal(err)
	}
	sort.Strings(lines)
	return strings.Join(lines, "\n")
}

// TestKilledBuildKeepsSite kills builds with SIGKILL at random moments and
// checks that the published site is byte-identical to the last complete
// build each time, and that nothing piles up beside it.
func TestKilledBuildKeepsSite(t *testing.T) {
	t.Parallel()
	if testing.Short() {
		t.Skip("kills several real builds; skipped with -short")
	}
	dir := t.TempDir()
	siteDir, out := filepath.Join(dir, "site"), filepath.Join(dir, "public")
	writeSite(t, siteDir, 800)
	buildTo := func(out string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "build", "-q", "-no-index", "-s", siteDir, "-o", out, "-now", "2026-01-01")
		cmd.Env = append(os.Environ(), "BULLETIN_TEST_MAIN=1")
		return cmd
	}
	build := func() *exec.Cmd { return buildTo(out) }
	start := time.Now()
	if out, err := build().CombinedOutput(); err != nil {
		t.Fatalf("first build: %v\n%s", err, out)
	}
	full := time.Since(start)
	want := treeDigest(t, out)

	// Change the content, so that a build that got through would show.
	retitle := filepath.Join(siteDir, "content")
	filepath.WalkDir(retitle, func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, "0.md") {
			data, _ := os.ReadFile(p)
			os.WriteFile(p, []byte(strings.Replace(string(data), "title: ", "title: 更新：", 1)), 0o644)
		}
		return nil
	})

	// The changed site, built whole elsewhere: a kill after the build
	// has published its site, while it saves its cache, leaves that.
	other := filepath.Join(dir, "other")
	if out, err := buildTo(other).CombinedOutput(); err != nil {
		t.Fatalf("build of the changed site: %v\n%s", err, out)
	}
	whole := treeDigest(t, other)
	os.RemoveAll(other)
	for _, name := range []string{".other.lock", ".other.built"} {
		os.Remove(filepath.Join(dir, name))
	}

	r := rand.New(rand.NewPCG(1, 2))
	for i := range 5 {
		// Without the build cache, as a first build: a build from the
		// cache updates the site in place, each file whole but not all
		// at once, and a kill makes the next build whole.
		os.RemoveAll(buildCacheDir(siteDir))
		cmd := build()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		// Anywhere from the start to nearly the end of a full build.
		time.Sleep(time.Duration(r.Int64N(int64(full) * 9 / 10)))
		cmd.Process.Signal(syscall.SIGKILL)
		err := cmd.Wait()
		if err == nil {
			// The build finished before the signal: that is a new site,
			// which must then be complete.
			want = treeDigest(t, out)
			continue
		}
		switch got := treeDigest(t, out); got {
		case want:
		case whole:
			want = whole // killed after it published, whole
		default:
			t.Fatalf("kill %d: the published site changed after a killed build, and is not the new site whole", i+1)
		}
		entries, _ := os.ReadDir(dir)
		for _, e := range entries {
			switch e.Name() {
			case "site", "public", ".public.next", ".public.lock", ".public.built":
			default:
				t.Errorf("kill %d: left behind %s", i+1, e.Name())
			}
		}
	}
	// A build after the kills completes and publishes the change.
	if out, err := build().CombinedOutput(); err != nil {
		t.Fatalf("build after kills: %v\n%s", err, out)
	}
	home, err := os.ReadFile(filepath.Join(out, "sitemap.xml"))
	if err != nil {
		t.Fatal(err)
	}
	pages, _ := filepath.Glob(filepath.Join(out, "bulletins", "*", "index.html"))
	changed := 0
	for _, p := range pages {
		if data, _ := os.ReadFile(p); strings.Contains(string(data), "更新：") {
			changed++
		}
	}
	if changed == 0 || len(home) == 0 {
		t.Errorf("the final build did not publish the changed titles")
	}
}

// TestKilledDigestKeepsNumbers kills digest runs with SIGKILL at random
// moments and checks that the number record stays whole: every record
// reads, numbers have no gaps or repeats, nothing half-written is left, and
// the next run takes the right number.
func TestKilledDigestKeepsNumbers(t *testing.T) {
	if testing.Short() {
		t.Skip("kills real digest runs; skipped with -short")
	}
	t.Parallel()
	dir := copySample(t)
	digest := func(from, to string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], "digest", "-q", "-s", dir, "-from", from, "-to", to, "-date", "2026-01-05")
		cmd.Env = append(os.Environ(), "BULLETIN_TEST_MAIN=1")
		return cmd
	}
	start := time.Now()
	if out, err := digest("2024-01-01", "2024-06-30").CombinedOutput(); err != nil {
		t.Fatalf("first digest: %v\n%s", err, out)
	}
	full := time.Since(start)
	periods := [][2]string{{"2024-07-01", "2024-12-31"}, {"2025-01-01", "2025-06-30"}, {"2025-07-01", "2025-12-31"}}
	r := rand.New(rand.NewPCG(3, 4))
	for i := range 12 {
		p := periods[i%len(periods)]
		cmd := digest(p[0], p[1])
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		time.Sleep(time.Duration(r.Int64N(int64(full))))
		cmd.Process.Signal(syscall.SIGKILL)
		cmd.Wait()
	}
	// Every period once more, to completion: each either reproduces the
	// issue a killed run completed or takes the next number.
	for _, p := range periods {
		if out, err := digest(p[0], p[1]).CombinedOutput(); err != nil {
			t.Fatalf("digest %v after kills: %v\n%s", p, err, out)
		}
	}
	entries, err := os.ReadDir(filepath.Join(dir, "digests", "issues"))
	if err != nil {
		t.Fatal(err)
	}
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	// The four periods make 2026-001 to 2026-004, and nothing else is left.
	want := []string{"2026-001.yaml", "2026-002.yaml", "2026-003.yaml", "2026-004.yaml"}
	if strings.Join(names, " ") != strings.Join(want, " ") {
		t.Errorf("records after kills: %v, want %v", names, want)
	}
	if code, _, stderr := run(t, "stats", "-s", dir, "-format", "json"); code != 0 {
		t.Errorf("records no longer read after kills: %s", stderr)
	}
}
