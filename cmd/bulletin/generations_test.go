package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
	"time"
)

// addBulletin writes a new bulletin about word into the site in dir.
func addBulletin(t *testing.T, dir, name, word string) {
	t.Helper()
	p := filepath.Join(dir, "content", "qinghai", "2024", name+".md")
	os.MkdirAll(filepath.Dir(p), 0o755)
	src := "---\ntitle: 西宁市开展" + word + "工作\ndate: 2024-06-03 09:00\nbureau: 西宁市民政局\ncategory: 养老服务\n---\n\n近日，西宁市民政局部署开展" + word + "工作，明确责任分工和完成时限。\n"
	if err := os.WriteFile(p, []byte(src), 0o644); err != nil {
		t.Fatal(err)
	}
}

// searchTotal asks the search API at base for q and returns the total.
func searchTotal(base, q string) (int, error) {
	client := &http.Client{Timeout: 5 * time.Second}
	resp, err := client.Get(base + "/api/search?q=" + url.QueryEscape(q))
	if err != nil {
		return 0, err
	}
	defer resp.Body.Close()
	var r struct{ Total int }
	if resp.StatusCode != 200 {
		return 0, fmt.Errorf("status %d", resp.StatusCode)
	}
	err = json.NewDecoder(resp.Body).Decode(&r)
	return r.Total, err
}

// waitForTotal polls the search API at base until q finds want.
func waitForTotal(t *testing.T, base, q string, want int) {
	t.Helper()
	deadline := time.Now().Add(15 * time.Second)
	var got int
	var err error
	for time.Now().Before(deadline) {
		if got, err = searchTotal(base, q); err == nil && got == want {
			return
		}
		time.Sleep(100 * time.Millisecond)
	}
	t.Errorf("%s: %q found %d (%v), want %d within 15 s", base, q, got, err, want)
}

// TestBuildWhileServing is the production setup docs/deployment.md describes: serve
// runs for search (one with -watch=false, one live), and bulletin build
// runs from cron on the same site. Every build must succeed, and both
// servers must find what it published.
func TestBuildWhileServing(t *testing.T) {
	dir := copySample(t)
	out := filepath.Join(t.TempDir(), "public")
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", out); code != 0 {
		t.Fatalf("first build: exit %d\n%s", code, stderr)
	}
	servers := []string{
		"http://" + startServeArgs(t, ctx, "-s", dir, "-watch=false"),
		"http://" + startServeArgs(t, ctx, "-s", dir),
	}
	for i, word := range []string{"适老化改造入户评估", "居家养老上门巡访"} {
		addBulletin(t, dir, fmt.Sprintf("cron-%d", i), word)
		if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", out); code != 0 {
			t.Fatalf("build %d while two servers run: exit %d\n%s", i+1, code, stderr)
		}
		for _, base := range servers {
			waitForTotal(t, base, word, 1)
		}
	}
}

// TestBuildWhileServingProcesses runs the same as separate processes: two
// servers and builds, as cron and systemd run them.
func TestBuildWhileServingProcesses(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	dir := copySample(t)
	out := filepath.Join(t.TempDir(), "public")
	command := func(args ...string) *exec.Cmd {
		cmd := exec.Command(os.Args[0], args...)
		cmd.Env = append(os.Environ(), "BULLETIN_TEST_MAIN=1")
		return cmd
	}
	var servers []string
	for range 2 {
		cmd := command("serve", "-q", "-s", dir, "-watch=false", "-addr", "127.0.0.1:0")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { stopGently(cmd) })
		line, err := bufio.NewReader(stdout).ReadString('\n')
		_, after, ok := strings.Cut(line, "serving at http://")
		if err != nil || !ok {
			t.Fatalf("serve said %q, %v", line, err)
		}
		addr, _, _ := strings.Cut(after, "/")
		servers = append(servers, "http://"+addr)
	}
	for i, word := range []string{"困难群众冬季走访", "殡葬服务价格公示"} {
		addBulletin(t, dir, fmt.Sprintf("cron-%d", i), word)
		if b, err := command("build", "-q", "-s", dir, "-o", out).CombinedOutput(); err != nil {
			t.Fatalf("build %d while two servers run: %v\n%s", i+1, err, b)
		}
		for _, base := range servers {
			waitForTotal(t, base, word, 1)
		}
	}
	// One generation is left once the servers have moved on.
	deadline := time.Now().Add(10 * time.Second)
	for {
		gens, _ := filepath.Glob(filepath.Join(dir, ".bulletin", "search", "gen-*[0-9]"))
		if len(gens) == 1 {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("the index folder holds %d generations after the servers moved: %v", len(gens), gens)
			break
		}
		time.Sleep(100 * time.Millisecond)
	}
}

// stopGently stops a process as Ctrl+C does, so that it removes what it
// made (serve's preview folder), and kills it if it has not ended in
// ten seconds.
func stopGently(cmd *exec.Cmd) {
	ended := make(chan struct{})
	go func() {
		cmd.Wait()
		close(ended)
	}()
	if cmd.Process.Signal(os.Interrupt) == nil {
		select {
		case <-ended:
			return
		case <-time.After(10 * time.Second):
		}
	}
	cmd.Process.Kill()
	<-ended
}
