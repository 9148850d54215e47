package main

import (
	"bufio"
	"context"
	"encoding/json"
	"fmt"
	"io"
	"net"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"sync/atomic"
	"testing"
	"time"
)

// TestBehindNginx deploys the sample site as docs/deployment.md says: nginx
// (Debian's package) serves the built folder with deploy/nginx.conf and
// passes /search and /api/search to its upstream, here bulletin serve as
// both of its servers (TestSearchServersBehindNginx runs search-server). It checks pages, feeds
// and search through nginx. It skips where nginx is not installed; CI
// installs it.
func TestBehindNginx(t *testing.T) {
	dir := copySample(t)
	public := filepath.Join(t.TempDir(), "public")
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", public); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	// bulletin serve, for search, on a free port, trusting nginx's
	// X-Forwarded-For as docs/deployment.md says to.
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var log lockedBuffer
	base := startNginx(t, public, startServeStderr(t, ctx, &log, "-s", dir, "-q=false", "-trust-proxy", "127.0.0.1"))

	// Redirects are checked, not followed.
	client := &http.Client{Timeout: 10 * time.Second, CheckRedirect: func(*http.Request, []*http.Request) error { return http.ErrUseLastResponse }}
	const browser = "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8"
	pagePolicy := "script-src " + strings.TrimPrefix(base, "http://") + "/assets/;"
	for _, tc := range []struct {
		path, accept string
		status       int
		ctype        string
		body         string
		policy       string // in Content-Security-Policy
		disposition  string
		location     string // the end of Location
	}{
		{"/", "text/html", 200, "text/html; charset=utf-8", "民政信息网", pagePolicy, "", ""},
		{"/bulletins/qinghai-dibao-standard-2025/", "text/html", 200, "text/html; charset=utf-8", "青海省提高2025年城乡最低生活保障标准", pagePolicy, "", ""},
		{"/bulletins/qinghai-dibao-standard-2025/relief-standard.pdf", "*/*", 200, "application/pdf", "%PDF", "sandbox;", "attachment", ""},
		{"/bulletins/lanzhou-elderly-canteen/canteen.png", "image/*", 200, "image/png", "PNG", "sandbox;", "", ""},
		{"/bulletins/qinghai-dibao-standard-2025/missing.pdf", "*/*", 404, "text/html; charset=utf-8", "页面", pagePolicy, "", ""},
		{"/assets/site.js", "*/*", 200, "application/javascript", "fontSize", pagePolicy, "", ""},
		{"/no/such/page/", "text/html", 404, "text/html; charset=utf-8", "页面", pagePolicy, "", ""},
		{"/feed.xml", "application/rss+xml", 200, "application/rss+xml; charset=utf-8", "<rss", pagePolicy, "", ""},
		{"/feed.xml", browser, 303, "text/html; charset=utf-8", "", pagePolicy, "", "/subscribe/#feed-site"},
		{"/bureaus/qinghai/atom.xml", "text/html", 303, "text/html; charset=utf-8", "", pagePolicy, "", "/subscribe/#feed-bureaus-qinghai"},
		{"/tags/dibao/feed.json", browser, 303, "text/html; charset=utf-8", "", pagePolicy, "", "/subscribe/#feed-tags-dibao"},
		{"/digests/feed.xml", browser, 303, "text/html; charset=utf-8", "", pagePolicy, "", "/subscribe/#feed-digests"},
		{"/atom.xml", "application/atom+xml", 200, "application/atom+xml; charset=utf-8", "<feed", pagePolicy, "", ""},
		{"/feed.json", "application/feed+json", 200, "application/feed+json; charset=utf-8", `"version"`, pagePolicy, "", ""},
		{"/search?q=%E4%BD%8E%E4%BF%9D", "text/html", 200, "text/html; charset=utf-8", "最低生活保障", pagePolicy, "", ""},
		{"/api/search?q=%E4%BD%8E%E4%BF%9D", "application/json", 200, "application/json; charset=utf-8", `"total"`, pagePolicy, "", ""},
		// A search's own feeds and the completions are the search server's.
		{"/search/feed.xml?q=%E4%BD%8E%E4%BF%9D", "application/rss+xml", 200, "application/rss+xml; charset=utf-8", "<rss", pagePolicy, "", ""},
		{"/search/atom.xml?q=%E4%BD%8E%E4%BF%9D", "application/atom+xml", 200, "application/atom+xml; charset=utf-8", "<feed", pagePolicy, "", ""},
		{"/search/feed.json?q=%E4%BD%8E%E4%BF%9D", "application/feed+json", 200, "application/feed+json; charset=utf-8", `"version"`, pagePolicy, "", ""},
		{"/api/suggest?q=%E9%9D%92%E6%B5%B7", "application/json", 200, "application/json; charset=utf-8", `"suggestions"`, pagePolicy, "", ""},
	} {
		req, _ := http.NewRequest("GET", base+tc.path, nil)
		req.Header.Set("Accept", tc.accept)
		resp, err := client.Do(req)
		if err != nil {
			t.Fatalf("GET %s: %v", tc.path, err)
		}
		body, _ := io.ReadAll(resp.Body)
		resp.Body.Close()
		if resp.StatusCode != tc.status || resp.Header.Get("Content-Type") != tc.ctype || !strings.Contains(string(body), tc.body) {
			t.Errorf("GET %s (Accept %s): %d %q, body has %q: %v; want %d %q", tc.path, tc.accept, resp.StatusCode,
				resp.Header.Get("Content-Type"), tc.body, strings.Contains(string(body), tc.body), tc.status, tc.ctype)
		}
		// Every location sends every security header, once: nginx
		// drops the server's add_header lines in a location with its
		// own, and passes serve's beside its own.
		for _, h := range []struct{ name, want string }{
			{"Content-Security-Policy", tc.policy},
			{"X-Content-Type-Options", "nosniff"},
			{"X-Frame-Options", "SAMEORIGIN"},
			{"Referrer-Policy", "strict-origin-when-cross-origin"},
		} {
			got := resp.Header.Values(h.name)
			if len(got) != 1 || !strings.Contains(got[0], h.want) {
				t.Errorf("GET %s (Accept %s): %s %q, want one with %q", tc.path, tc.accept, h.name, got, h.want)
			}
		}
		if got := resp.Header.Get("Location"); !strings.HasSuffix(got, tc.location) || (tc.location == "") != (got == "") {
			t.Errorf("GET %s (Accept %s): Location %q, want it to end in %q", tc.path, tc.accept, got, tc.location)
		}
		if got := resp.Header.Get("Content-Disposition"); got != tc.disposition {
			t.Errorf("GET %s: Content-Disposition %q, want %q", tc.path, got, tc.disposition)
		}
	}
	// serve's rate limit and access log see the reader nginx saw (here
	// from 127.0.0.2), not what the reader claims.
	reader := &http.Client{Timeout: 10 * time.Second, Transport: &http.Transport{
		DialContext: (&net.Dialer{LocalAddr: &net.TCPAddr{IP: net.IPv4(127, 0, 0, 2)}}).DialContext,
	}}
	req, _ := http.NewRequest("GET", base+"/search?q=forged", nil)
	req.Header.Set("X-Forwarded-For", "198.51.100.1")
	resp, err := reader.Do(req)
	if err != nil {
		t.Fatal(err)
	}
	resp.Body.Close()
	if got := log.String(); !strings.Contains(got, `"client":"127.0.0.2","method":"GET","path":"/search?q=forged"`) || strings.Contains(got, "198.51.100.1") {
		t.Errorf("serve's access log does not name the reader nginx saw, 127.0.0.2, for /search?q=forged:\n%s", got)
	}
}

// startNginx serves the built site public with deploy/nginx.conf and its
// security headers, as docs/deployment.md says, passing search to the
// upstream of backends (one address, for both of its servers, or two),
// and returns nginx's base URL. It skips the test where nginx is not
// installed; CI installs it.
func startNginx(t *testing.T, public string, backends ...string) string {
	t.Helper()
	nginx, err := exec.LookPath("nginx")
	if err != nil {
		nginx = "/usr/sbin/nginx"
		if _, err := os.Stat(nginx); err != nil {
			t.Skip("nginx not installed (apt-get install -y nginx); the deployment test needs it")
		}
	}
	port := freePort(t)
	conf, err := os.ReadFile(filepath.Join("..", "..", "deploy", "nginx.conf"))
	if err != nil {
		t.Fatal(err)
	}
	server := string(conf)
	for old, repl := range map[string]string{
		"listen 80;":                       fmt.Sprintf("listen 127.0.0.1:%d;", port),
		"root /srv/bulletin/public;":       "root " + public + ";",
		"server 127.0.0.1:8081 ":           "server " + backends[0] + " ",
		"server 127.0.0.1:8082 ":           "server " + backends[len(backends)-1] + " ",
		"server_name minzheng.example.cn;": "server_name localhost;",
	} {
		if !strings.Contains(server, old) {
			t.Fatalf("deploy/nginx.conf no longer has %q, which docs/deployment.md tells users to change", old)
		}
		server = strings.Replace(server, old, repl, 1)
	}
	prefix := t.TempDir()
	// Installed where deploy/nginx.conf includes it from, relative to the
	// main configuration's folder.
	copyFile(t, filepath.Join("..", "..", "deploy", "security-headers.conf"), filepath.Join(prefix, "snippets", "bulletin-security-headers.conf"))
	// Workers run as nobody when nginx starts as root, and the test's
	// folders are private to this user.
	user := ""
	if os.Geteuid() == 0 {
		user = "user root;"
	}
	main := fmt.Sprintf(`daemon off;
%[3]s
pid %[1]s/nginx.pid;
error_log %[1]s/error.log;
events { worker_connections 256; }
http {
    include /etc/nginx/mime.types;
    access_log %[1]s/access.log;
    client_body_temp_path %[1]s/body;
    proxy_temp_path %[1]s/proxy;
    fastcgi_temp_path %[1]s/fastcgi;
    uwsgi_temp_path %[1]s/uwsgi;
    scgi_temp_path %[1]s/scgi;
    %[2]s
}
`, prefix, server, user)
	confPath := filepath.Join(prefix, "nginx.conf")
	os.WriteFile(confPath, []byte(main), 0o644)
	cmd := exec.Command(nginx, "-c", confPath, "-p", prefix)
	var nginxOut strings.Builder
	cmd.Stdout, cmd.Stderr = &nginxOut, &nginxOut
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { stopGently(cmd) })
	base := fmt.Sprintf("http://127.0.0.1:%d", port)
	waitFor(t, base+"/", func() string {
		log, _ := os.ReadFile(filepath.Join(prefix, "error.log"))
		return nginxOut.String() + string(log)
	})
	return base
}

// startServe runs bulletin serve on the site in dir and returns its
// address once it listens.
func startServe(t *testing.T, ctx context.Context, dir string) string {
	t.Helper()
	return startServeArgs(t, ctx, "-s", dir)
}

func freePort(t *testing.T) int {
	t.Helper()
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	defer ln.Close()
	return ln.Addr().(*net.TCPAddr).Port
}

// waitFor polls url until it answers, failing with diag() after 10 s.
func waitFor(t *testing.T, url string, diag func() string) {
	t.Helper()
	deadline := time.Now().Add(10 * time.Second)
	for time.Now().Before(deadline) {
		if resp, err := http.Get(url); err == nil {
			resp.Body.Close()
			return
		}
		time.Sleep(50 * time.Millisecond)
	}
	t.Fatalf("%s did not answer:\n%s", url, diag())
}

// startSearchProcess runs bulletin search-server as a process of its own
// on the index in idx, and returns it with its address.
func startSearchProcess(t *testing.T, idx string) (*exec.Cmd, string) {
	t.Helper()
	cmd := exec.Command(os.Args[0], "search-server", "-q", "-index", idx, "-addr", "127.0.0.1:0", "-trust-proxy", "127.0.0.1",
		"-rate", "10000", "-burst", "10000")
	return cmd, runSearchProcess(t, cmd)
}

// runSearchProcess starts cmd, a search-server of the test binary that
// listens where it says, stops it when the test ends, and returns its
// address.
func runSearchProcess(t *testing.T, cmd *exec.Cmd) string {
	t.Helper()
	cmd.Env = append(os.Environ(), "BULLETIN_TEST_MAIN=1")
	stdout, err := cmd.StdoutPipe()
	if err != nil {
		t.Fatal(err)
	}
	var stderr lockedBuffer
	cmd.Stderr = &stderr
	if err := cmd.Start(); err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() {
		cmd.Process.Kill()
		cmd.Wait()
	})
	line, err := bufio.NewReader(stdout).ReadString('\n')
	_, after, ok := strings.Cut(line, "http://")
	if err != nil || !ok {
		cmd.Wait() // for all it wrote to stderr
		t.Fatalf("search-server said %q, %v\n%s", line, err, stderr.String())
	}
	addr, _, _ := strings.Cut(after, "/")
	go io.Copy(io.Discard, stdout)
	return addr
}

// TestSearchServersBehindNginx is the scale-out of deploy/nginx.conf: two
// search servers, separate processes, serve one index behind nginx. Under
// a steady load of searches through nginx, one server is killed and a
// build publishes a new generation of the index: no search may fail, and
// the new bulletin is found afterwards.
func TestSearchServersBehindNginx(t *testing.T) {
	if testing.Short() {
		t.Skip("starts real processes; skipped with -short")
	}
	dir := copySample(t)
	public := filepath.Join(t.TempDir(), "public")
	idx := filepath.Join(t.TempDir(), "search")
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", public, "-index", idx); code != 0 {
		t.Fatalf("build: %s", stderr)
	}
	first, addr1 := startSearchProcess(t, idx)
	_, addr2 := startSearchProcess(t, idx)
	// Two processes have the one index open read-only at once.
	for _, addr := range []string{addr1, addr2} {
		if total, err := searchTotal("http://"+addr, "低保"); err != nil || total == 0 {
			t.Fatalf("search-server at %s: 低保 found %d, %v", addr, total, err)
		}
	}
	base := startNginx(t, public, addr1, addr2)

	const word = "适老化改造入户评估"
	queries := []string{"低保", "养老", "救助 标准", "民", word}
	var mu sync.Mutex
	var failures []string
	var done, newFound atomic.Int64
	stop := make(chan struct{})
	var wg sync.WaitGroup
	client := &http.Client{Timeout: 10 * time.Second}
	for g := range 4 {
		wg.Go(func() {
			for i := g; ; i++ {
				select {
				case <-stop:
					return
				default:
				}
				q := queries[i%len(queries)]
				resp, err := client.Get(base + "/api/search?q=" + url.QueryEscape(q))
				if err == nil {
					var r struct{ Total int }
					err = json.NewDecoder(resp.Body).Decode(&r)
					resp.Body.Close()
					if err == nil && resp.StatusCode != 200 {
						err = fmt.Errorf("status %d", resp.StatusCode)
					}
					if err == nil && q == word && r.Total > 0 {
						newFound.Add(1)
					}
				}
				done.Add(1)
				if err != nil {
					mu.Lock()
					if len(failures) < 10 {
						failures = append(failures, fmt.Sprintf("%s: %v", q, err))
					}
					mu.Unlock()
				}
			}
		})
	}
	waitUntil := func(what string, ok func() bool) {
		t.Helper()
		deadline := time.Now().Add(20 * time.Second)
		for !ok() {
			if time.Now().After(deadline) {
				t.Errorf("%s did not happen within 20 s", what)
				return
			}
			time.Sleep(20 * time.Millisecond)
		}
	}
	waitUntil("200 searches", func() bool { return done.Load() >= 200 })
	// One server dies mid-load, with no warning.
	first.Process.Kill()
	first.Wait()
	atKill := done.Load()
	waitUntil("200 searches after the kill", func() bool { return done.Load() >= atKill+200 })
	// A build publishes a new generation meanwhile.
	addBulletin(t, dir, "scale-out", word)
	if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", public, "-index", idx); code != 0 {
		t.Fatalf("build under load: %s", stderr)
	}
	waitUntil("the new bulletin found through nginx", func() bool { return newFound.Load() > 0 })
	atFound := done.Load()
	waitUntil("200 searches after the new generation", func() bool { return done.Load() >= atFound+200 })
	close(stop)
	wg.Wait()
	for _, f := range failures {
		t.Errorf("a search through nginx failed: %s", f)
	}
	if total, err := searchTotal(base, word); err != nil || total != 1 {
		t.Errorf("after the build, %s found %d (%v) through nginx, want 1", word, total, err)
	}
	t.Logf("%d searches through nginx, %d failed", done.Load(), len(failures))
}
