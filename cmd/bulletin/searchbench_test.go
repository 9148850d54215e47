package main

import (
	"bufio"
	"fmt"
	"io/fs"
	"math/rand/v2"
	"net/http"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"time"
	"unicode"
	"unicode/utf8"
)

// TestSearchServerLatency measures bulletin search-server on an index that
// bulletin build made of a site of your choosing:
//
//	BULLETIN_SEARCH_INDEX=/tmp/idx BULLETIN_SEARCH_SITE=/tmp/corpus-100000 \
//	  go test ./cmd/bulletin -run SearchServerLatency -v
//
// Each of BULLETIN_SEARCH_RUNS runs (default 3) starts a fresh server
// process (no result cache) and times: the start until it answers, every
// query of the mix once over HTTP (the kinds of indexer's BenchmarkSearch:
// words, two words, phrases cut from random bulletins of the site, filters,
// sorting by date on page 3, single characters, sentences), and its
// resident memory after the mix. It prints each run, each kind's median
// and slowest search, and the medians of the runs. scripts/bench.sh search runs it on a generated site. With
// BULLETIN_SEARCH_DUMP=FILE, each run writes FILE.RUN: every query's
// time in milliseconds, its kind and the query, one a line, in the
// mix's order. With BULLETIN_SEARCH_CGROUP=DIR, a memory cgroup (v1 or v2)
// the caller made and limited, each server runs inside it from its start,
// its mapped index files and the system's cache of them charged to it
// (they are dropped from the cache before each run), and
// the run prints the cgroup's peak and how often the limit was reached.
func TestSearchServerLatency(t *testing.T) {
	idx, siteDir := os.Getenv("BULLETIN_SEARCH_INDEX"), os.Getenv("BULLETIN_SEARCH_SITE")
	if idx == "" || siteDir == "" {
		t.Skip("set BULLETIN_SEARCH_INDEX and BULLETIN_SEARCH_SITE to measure search-server")
	}
	runs := 3
	if n, err := strconv.Atoi(os.Getenv("BULLETIN_SEARCH_RUNS")); err == nil && n > 0 {
		runs = n
	}
	queries := searchMix(t, siteDir)
	t.Logf("%d queries", len(queries))
	var starts, p50s, p99s, maxes, rss, anon []float64
	each := make([][]time.Duration, len(queries)) // each query's times, a run each
	for run := range runs {
		cmd := exec.Command(os.Args[0], "search-server", "-q", "-index", idx, "-addr", "127.0.0.1:0", "-rate", "100000", "-burst", "100000")
		cgroup := os.Getenv("BULLETIN_SEARCH_CGROUP")
		if cgroup != "" {
			// The shell joins the cgroup and becomes the server, so that
			// everything the server does is charged to it; the index's
			// files leave the system's cache first, or the pages an earlier
			// run read would stay charged elsewhere.
			if err := evictFromCache(idx); err != nil {
				t.Fatal(err)
			}
			resetCgroupPeak(cgroup)
			cmd = exec.Command("sh", append([]string{"-c", `echo $$ > "$0/cgroup.procs" && shift && exec "$@"`, cgroup, "--"}, cmd.Args...)...)
		}
		cmd.Env = append(os.Environ(), "BULLETIN_TEST_MAIN=1")
		stdout, err := cmd.StdoutPipe()
		if err != nil {
			t.Fatal(err)
		}
		cmd.Stderr = os.Stderr
		began := time.Now()
		if err := cmd.Start(); err != nil {
			t.Fatal(err)
		}
		line, err := bufio.NewReader(stdout).ReadString('\n')
		_, after, ok := strings.Cut(line, "serving at http://")
		if err != nil || !ok {
			cmd.Process.Kill()
			t.Fatalf("search-server said %q, %v", line, err)
		}
		addr, _, _ := strings.Cut(after, "/")
		base := "http://" + addr
		client := &http.Client{Timeout: 30 * time.Second}
		get := func(q string) (time.Duration, error) {
			start := time.Now()
			resp, err := client.Get(base + "/api/search?" + q)
			if err != nil {
				return 0, err
			}
			var buf [4096]byte
			for {
				if _, err := resp.Body.Read(buf[:]); err != nil {
					break
				}
			}
			resp.Body.Close()
			if resp.StatusCode != 200 {
				return 0, fmt.Errorf("%s: status %d", q, resp.StatusCode)
			}
			return time.Since(start), nil
		}
		if _, err := get("q="); err != nil {
			t.Fatal(err)
		}
		start := time.Since(began)
		var took []time.Duration
		var slowest string
		for i, q := range queries {
			d, err := get(q.q)
			if err != nil {
				t.Fatal(err)
			}
			if len(took) == 0 || d > slices.Max(took) {
				slowest = q.q
			}
			took = append(took, d)
			each[i] = append(each[i], d)
		}
		if dump := os.Getenv("BULLETIN_SEARCH_DUMP"); dump != "" {
			f, _ := os.Create(fmt.Sprintf("%s.%d", dump, run))
			for i, q := range queries {
				fmt.Fprintf(f, "%.1f\t%s\t%s\n", float64(took[i].Microseconds())/1000, q.kind, unescape(q.q))
			}
			f.Close()
		}
		status, _ := os.ReadFile(fmt.Sprintf("/proc/%d/status", cmd.Process.Pid))
		cmd.Process.Signal(os.Interrupt)
		cmd.Wait()
		slices.Sort(took)
		ms := func(d time.Duration) float64 { return float64(d.Microseconds()) / 1000 }
		p50, p99, mx := ms(took[len(took)/2]), ms(took[len(took)*99/100]), ms(took[len(took)-1])
		r, a := procKB(string(status), "VmRSS"), procKB(string(status), "RssAnon")
		t.Logf("run %d: start %.0f ms; %d queries p50 %.1f ms, p99 %.1f ms, max %.1f ms (%s); resident %.0f MiB (anonymous %.0f MiB, files %.0f MiB)",
			run+1, ms(start), len(took), p50, p99, mx, unescape(slowest), r/1024, a/1024, (r-a)/1024)
		if cgroup != "" {
			t.Logf("run %d: cgroup %s", run+1, cgroupMemory(cgroup))
		}
		starts, p50s, p99s, maxes, rss, anon = append(starts, ms(start)), append(p50s, p50), append(p99s, p99), append(maxes, mx), append(rss, r/1024), append(anon, a/1024)
	}
	// By kind: the median over the kind's searches of each one's median
	// over the runs, and the slowest such.
	var kinds []string
	byKind := map[string][]float64{}
	for i, q := range queries {
		if _, ok := byKind[q.kind]; !ok {
			kinds = append(kinds, q.kind)
		}
		ms := make([]float64, len(each[i]))
		for r, d := range each[i] {
			ms[r] = float64(d.Microseconds()) / 1000
		}
		byKind[q.kind] = append(byKind[q.kind], medianOf(ms))
	}
	for _, k := range kinds {
		t.Logf("%s (%d): median %.1f ms, slowest %.1f ms", k, len(byKind[k]), medianOf(byKind[k]), slices.Max(byKind[k]))
	}
	load, _ := os.ReadFile("/proc/loadavg")
	t.Logf("medians of %d runs: start %.0f ms; p50 %.1f ms, p99 %.1f ms, max %.1f ms; resident %.0f MiB (anonymous %.0f MiB); load average %s",
		runs, medianOf(starts), medianOf(p50s), medianOf(p99s), medianOf(maxes), medianOf(rss), medianOf(anon), strings.TrimSpace(string(load)))
}

// cgroupMemory says what a memory cgroup holds now and at its peak, its
// limit and how often memory was reclaimed or refused at the limit, from
// the files of cgroup v2 or, failing those, v1.
func cgroupMemory(dir string) string {
	read := func(name string) string {
		b, err := os.ReadFile(filepath.Join(dir, name))
		if err != nil {
			return "?"
		}
		return strings.TrimSpace(string(b))
	}
	mib := func(s string) string {
		n, err := strconv.ParseFloat(s, 64)
		switch {
		case err != nil:
			return s
		case n >= 1<<60: // cgroup v1's "no limit"
			return "none"
		}
		return fmt.Sprintf("%.0f MiB", n/(1<<20))
	}
	if _, err := os.Stat(filepath.Join(dir, "memory.max")); err == nil {
		events := strings.ReplaceAll(read("memory.events"), "\n", ", ")
		return fmt.Sprintf("limit %s, now %s, peak %s; %s", mib(read("memory.max")), mib(read("memory.current")), mib(read("memory.peak")), events)
	}
	return fmt.Sprintf("limit %s, now %s, peak %s; limit reached %s times", mib(read("memory.limit_in_bytes")), mib(read("memory.usage_in_bytes")), mib(read("memory.max_usage_in_bytes")), read("memory.failcnt"))
}

// resetCgroupPeak starts cgroup v1's peak and count of reaching the limit
// afresh, so that each run reports its own; cgroup v2 has no such files.
func resetCgroupPeak(dir string) {
	for _, name := range []string{"memory.max_usage_in_bytes", "memory.failcnt"} {
		os.WriteFile(filepath.Join(dir, name), []byte("0"), 0o644)
	}
}

func medianOf(v []float64) float64 {
	v = slices.Clone(v)
	slices.Sort(v)
	return v[(len(v)-1)/2]
}

func unescape(q string) string {
	if u, err := url.QueryUnescape(q); err == nil {
		return u
	}
	return q
}

// procKB reads a "Name:   123 kB" line of /proc/PID/status.
func procKB(status, name string) float64 {
	for _, line := range strings.Split(status, "\n") {
		if rest, ok := strings.CutPrefix(line, name+":"); ok {
			n, _ := strconv.ParseFloat(strings.TrimSuffix(strings.TrimSpace(rest), " kB"), 64)
			return n
		}
	}
	return 0
}

// mixQuery is a search of the mix: its kind and its query string.
type mixQuery struct{ kind, q string }

// searchMix is the query mix of indexer's BenchmarkSearch, as query
// strings of the API, with 100 phrases cut from random bulletin files of
// the site in siteDir (seeded, so the same each time).
func searchMix(t *testing.T, siteDir string) []mixQuery {
	t.Helper()
	words := []string{"低保", "养老服务", "殡葬", "儿童福利", "社会组织", "婚姻登记", "慈善", "地名", "志愿服务", "救助",
		"困难群众", "社区", "西宁市", "海东市", "应急", "补贴", "留守儿童", "特困人员", "公益性公墓", "信息化"}
	var qs []mixQuery
	add := func(kind, q, extra string) { qs = append(qs, mixQuery{kind, "q=" + url.QueryEscape(q) + extra}) }
	for i, w := range words {
		add("word", w, "")
		add("two words", w+" "+words[(i+7)%len(words)], "")
		y := 2020 + i%5
		if i%2 == 0 {
			add("filtered", w, fmt.Sprintf("&region=%s&from=%d-01-01&to=%d-12-31", url.QueryEscape("青海省"), y, y))
		} else {
			add("filtered", w, fmt.Sprintf("&category=%s&from=%d-01-01&to=%d-12-31", url.QueryEscape("社会救助"), y, y))
		}
		add("by date, page 3", w, "&sort=date&page=3")
	}
	for _, c := range []string{"婚", "养", "救", "儿", "的", "民", "葬", "网", "站", "水", "工", "省"} {
		add("character", c, "")
	}
	for _, s := range []string{"困难群众冬天取暖有没有补助", "怎样申请城乡最低生活保障", "养老机构消防安全检查发现了哪些问题",
		"殡葬服务收费标准是多少", "留守儿童关爱保护怎么做"} {
		add("sentence", s, "")
	}
	var files []string
	filepath.WalkDir(filepath.Join(siteDir, "content"), func(p string, d fs.DirEntry, err error) error {
		if err == nil && !d.IsDir() && strings.HasSuffix(p, ".md") {
			files = append(files, p)
		}
		return nil
	})
	if len(files) == 0 {
		t.Fatalf("no bulletins in %s", siteDir)
	}
	rng := rand.New(rand.NewPCG(1, 2))
	for n := 0; n < 100; {
		data, err := os.ReadFile(files[rng.IntN(len(files))])
		if err != nil {
			t.Fatal(err)
		}
		_, body, _ := strings.Cut(strings.SplitN(string(data), "\n---\n", 2)[len(strings.SplitN(string(data), "\n---\n", 2))-1], "\n")
		text := []rune(body)
		k := 4 + rng.IntN(7)
		if len(text) <= k {
			continue
		}
		at := rng.IntN(len(text) - k)
		p := string(text[at : at+k])
		if utf8.RuneCountInString(p) == k && !strings.ContainsFunc(p, func(r rune) bool { return !unicode.Is(unicode.Han, r) }) {
			add("phrase", p, "")
			n++
		}
	}
	return qs
}
