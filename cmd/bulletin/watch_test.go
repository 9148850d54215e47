package main

import (
	"bufio"
	"context"
	"io"
	"net/http"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strings"
	"testing"
	"time"
)

// TestServeLiveReload edits the sample site under a running serve and
// watches what an open page would: a reload event after a good change,
// with the page rebuilt; a problems event after a bad one, naming the file
// and line, with the last good page still served; and a reload once the
// file is fixed.
func TestServeLiveReload(t *testing.T) {
	dir := copySample(t)
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base := "http://" + startServeArgs(t, ctx, "-s", dir)
	page := base + "/bulletins/qinghai-dibao-standard-2025/"

	if body := fetch(t, page); !strings.Contains(body, `src="/__bulletin/reload.js"`) {
		t.Fatalf("the page has no reload script")
	}
	events := listen(t, ctx, base+"/__bulletin/events")

	src := filepath.Join(dir, "content", "qinghai", "2025", "relief-standard.md")
	orig, err := os.ReadFile(src)
	if err != nil {
		t.Fatal(err)
	}
	start := time.Now()
	os.WriteFile(src, []byte(strings.Replace(string(orig), "title: 青海省提高", "title: 青海省再次提高", 1)), 0o644)
	expect(t, events, "reload", "/bulletins/qinghai-dibao-standard-2025/")
	t.Logf("edit to reload event: %s", time.Since(start).Round(time.Millisecond))
	if body := fetch(t, page); !strings.Contains(body, "青海省再次提高") {
		t.Errorf("the page was not rebuilt")
	}

	bad := filepath.Join(dir, "content", "bad.md")
	os.WriteFile(bad, []byte("---\ntitle: 错误\ndate: 2024-13-01\nbureau: 青海省民政厅\n---\n正文\n"), 0o644)
	expect(t, events, "problems", `content/bad.md:3: date "2024-13-01" is not a valid date`)
	if body := fetch(t, page); !strings.Contains(body, "青海省再次提高") {
		t.Errorf("the last good page is no longer served after a failed rebuild")
	}

	os.Remove(bad)
	expect(t, events, "reload", "")
	// A new base_url path cannot be served without a restart: say so.
	cfg := filepath.Join(dir, "site.yaml")
	origCfg, err := os.ReadFile(cfg)
	if err != nil {
		t.Fatal(err)
	}
	moved := regexp.MustCompile(`(?m)^base_url: (\S+?)/?$`).ReplaceAllString(string(origCfg), "base_url: $1/news/")
	os.WriteFile(cfg, []byte(moved), 0o644)
	expect(t, events, "problems", "restart bulletin serve")
	os.WriteFile(cfg, origCfg, 0o644)
	expect(t, events, "reload", "")

	// The search index follows the edit.
	deadline := time.Now().Add(5 * time.Second)
	for !strings.Contains(fetch(t, base+"/api/search?q=再次提高"), "/bulletins/qinghai-dibao-standard-2025/") {
		if time.Now().After(deadline) {
			t.Fatalf("search does not find the edited title")
		}
		time.Sleep(20 * time.Millisecond)
	}
}

func fetch(t *testing.T, url string) string {
	t.Helper()
	resp, err := http.Get(url)
	if err != nil {
		t.Fatal(err)
	}
	defer resp.Body.Close()
	body, _ := io.ReadAll(resp.Body)
	return string(body)
}

type sseEvent struct{ name, data string }

// listen reads the server-sent events of url until ctx is done.
func listen(t *testing.T, ctx context.Context, url string) <-chan sseEvent {
	t.Helper()
	req, _ := http.NewRequestWithContext(ctx, "GET", url, nil)
	resp, err := http.DefaultClient.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	if ct := resp.Header.Get("Content-Type"); !strings.HasPrefix(ct, "text/event-stream") {
		t.Fatalf("events: Content-Type %q", ct)
	}
	out := make(chan sseEvent, 16)
	go func() {
		defer resp.Body.Close()
		r := bufio.NewReader(resp.Body)
		var ev sseEvent
		for {
			line, err := r.ReadString('\n')
			if err != nil {
				return
			}
			line = strings.TrimRight(line, "\n")
			switch {
			case strings.HasPrefix(line, "event: "):
				ev.name = strings.TrimPrefix(line, "event: ")
			case strings.HasPrefix(line, "data: "):
				ev.data += strings.TrimPrefix(line, "data: ") + "\n"
			case line == "" && ev.name != "":
				out <- ev
				ev = sseEvent{}
			}
		}
	}()
	return out
}

// expect waits for an event name whose data has the line data, or
// contains it when it is not a reload event. Reload events for other
// pages are passed over: a rebuild tells the pages it changed in two
// rounds, those most likely open first.
func expect(t *testing.T, events <-chan sseEvent, name, data string) {
	t.Helper()
	timeout := time.After(15 * time.Second)
	for {
		select {
		case ev := <-events:
			lines := strings.Split(strings.TrimSuffix(ev.data, "\n"), "\n")
			switch {
			case ev.name == name && name == "reload" && (slices.Contains(lines, data) || slices.Contains(lines, "*")):
				return
			case ev.name == name && name != "reload" && strings.Contains(ev.data, data):
				return
			case ev.name != "reload":
				t.Fatalf("event %s %q, want %s with %q", ev.name, ev.data, name, data)
			}
		case <-timeout:
			t.Fatalf("no %s event with %q within 15 s", name, data)
		}
	}
}
