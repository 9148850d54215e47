package main

import (
	"context"
	"encoding/json"
	"io"
	"net/http"
	"net/url"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
	"time"
)

// startSearchServer runs bulletin search-server in-process with args and
// returns its address once it listens.
func startSearchServer(t *testing.T, ctx context.Context, args ...string) string {
	t.Helper()
	pr, pw := io.Pipe()
	done := make(chan int, 1)
	var stderr lockedBuffer
	go func() {
		done <- Main(ctx, append([]string{"search-server", "-access-log=false", "-addr", "127.0.0.1:0"}, args...), pw, &stderr)
		pw.Close()
	}()
	t.Cleanup(func() {
		select {
		case code := <-done:
			if code != 0 && ctx.Err() != nil {
				t.Errorf("search-server exited %d after it was stopped:\n%s", code, stderr.String())
			}
		case <-time.After(20 * time.Second):
			t.Error("search-server did not stop within 20 s")
		}
	})
	var out strings.Builder
	buf := make([]byte, 1024)
	for !strings.Contains(out.String(), "serving at http://") {
		n, err := pr.Read(buf)
		out.Write(buf[:n])
		if err != nil {
			t.Fatalf("search-server stopped: %s%s", out.String(), stderr.String())
		}
	}
	go io.Copy(io.Discard, pr)
	_, after, _ := strings.Cut(out.String(), "serving at http://")
	addr, _, _ := strings.Cut(after, "/")
	return addr
}

// get returns the status and body of base+path.
func getBody(t *testing.T, base, path string) (int, string) {
	t.Helper()
	resp, err := (&http.Client{Timeout: 10 * time.Second}).Get(base + path)
	if err != nil {
		t.Fatalf("GET %s: %v", path, err)
	}
	defer resp.Body.Close()
	body, err := io.ReadAll(resp.Body)
	if err != nil {
		t.Fatal(err)
	}
	return resp.StatusCode, string(body)
}

// searchPaths are what serve and search-server answer alike for each
// query: the API, the page, the topic feeds and the completions.
var searchPaths = []string{"/api/search?", "/search?", "/search/feed.xml?", "/search/atom.xml?", "/search/feed.json?", "/api/suggest?"}

// tookMS is the time a search took, which differs from run to run.
var tookMS = regexp.MustCompile(`"took_ms": [0-9.e-]+`)

// TestSearchServerMatchesServe builds the sample site (with its digest
// archive, a section of the navigation) with the index outside the site,
// asks bulletin serve, the editor's preview, a table of searches, then
// deletes the site folder and the built pages and asks bulletin
// search-server the same from the index alone: the API's answers and the
// search pages, look included, must be the same.
func TestSearchServerMatchesServe(t *testing.T) {
	dir := copySampleWithDigests(t)
	idx := filepath.Join(t.TempDir(), "search")
	public := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", public, "-index", idx); code != 0 {
		t.Fatalf("build: exit %d\n%s", code, stderr)
	}
	queries := []string{
		"q=" + url.QueryEscape("低保"),
		"q=" + url.QueryEscape("养老 服务"),
		"q=" + url.QueryEscape("最低生活保障标准"),
		"q=" + url.QueryEscape("民"),
		"q=" + url.QueryEscape("困难群众冬天取暖有没有补助"),
		"q=" + url.QueryEscape("低保") + "&sort=date&page=2",
		"q=" + url.QueryEscape("救助") + "&bureau=" + url.QueryEscape("青海省民政厅"),
		"q=" + url.QueryEscape("养老") + "&region=" + url.QueryEscape("甘肃省") + "&from=2024-01-01&to=2025-12-31",
		"category=" + url.QueryEscape("社会救助"),
		"q=" + url.QueryEscape("没有这个词语的信息"),
		"q=" + url.QueryEscape("低保") + "&from=bad",
		"q=" + url.QueryEscape("臨時救助"),
		"q=" + url.QueryEscape("最低生活保樟"),
		"q=" + url.QueryEscape("青海"),
		"",
	}
	ask := func(base string) map[string]string {
		out := map[string]string{}
		for _, q := range queries {
			for _, path := range searchPaths {
				code, body := getBody(t, base, path+q)
				out[path+q] = strings.TrimSpace(tookMS.ReplaceAllString(body, `"took_ms": 0`)) + "\n" + http.StatusText(code)
			}
		}
		return out
	}
	ctx, cancel := context.WithCancel(context.Background())
	serveBase := "http://" + startServeArgs(t, ctx, "-s", dir, "-index", idx, "-watch=false", "-rate", "1000", "-burst", "1000")
	fromServe := ask(serveBase)
	cancel()

	if err := os.RemoveAll(dir); err != nil {
		t.Fatal(err)
	}
	os.RemoveAll(public)
	ctx2, cancel2 := context.WithCancel(context.Background())
	defer cancel2()
	base := "http://" + startSearchServer(t, ctx2, "-index", idx, "-q", "-rate", "1000", "-burst", "1000")
	fromIndex := ask(base)
	for _, q := range queries {
		for _, path := range searchPaths {
			k := path + q
			if fromServe[k] != fromIndex[k] {
				t.Errorf("GET %s: search-server answers\n%s\n\nserve answers\n%s", k, fromIndex[k], fromServe[k])
			}
		}
	}
	// The API found something, so the comparison compares hits.
	var r struct{ Total int }
	if err := json.Unmarshal([]byte(strings.SplitN(fromIndex["/api/search?"+queries[0]], "\n}", 2)[0]+"}"), &r); err != nil || r.Total == 0 {
		t.Errorf("低保 found %d (%v) from the index alone", r.Total, err)
	}
	// The page is the site's: its name, navigation with the digest
	// archive, and the theme's stylesheet, which the server serves too.
	_, page := getBody(t, base, "/search?q="+url.QueryEscape("低保"))
	for _, want := range []string{"<title>“低保”的搜索结果 - 民政信息网</title>", `href="/digests/"`, `href="/assets/style.css"`} {
		if !strings.Contains(page, want) {
			t.Errorf("the search page from the index alone lacks %s", want)
		}
	}
	if code, css := getBody(t, base, "/assets/style.css"); code != 200 || !strings.Contains(css, "{") {
		t.Errorf("GET /assets/style.css: %d", code)
	}
	for _, path := range []string{"/", "/bulletins/qinghai-dibao-standard-2025/", "/templates/search.html", "/assets/../templates/base.html"} {
		if code, _ := getBody(t, base, path); code != 404 && code != 400 {
			t.Errorf("GET %s: %d from search-server, want it not found", path, code)
		}
	}
}

// TestSearchServerUsage: -index is required, and -h shows an example.
func TestSearchServerUsage(t *testing.T) {
	if code, _, stderr := run(t, "search-server", "-lang", "en"); code != 2 || !strings.Contains(stderr, "-index is required") {
		t.Errorf("search-server without -index: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := run(t, "search-server", "-lang", "en", "-h"); code != 0 || !strings.Contains(stderr, "bulletin search-server -index") {
		t.Errorf("search-server -h: exit %d\n%s", code, stderr)
	}
	if code, _, stderr := run(t, "search-server", "-lang", "en", "-index", t.TempDir()); code == 0 || !strings.Contains(stderr, "no search index yet") {
		t.Errorf("search-server on an empty folder: exit %d\n%s", code, stderr)
	}
}
