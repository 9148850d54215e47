package linkcheck

import (
	"bytes"
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/golden"
)

// TestCacheExpiry runs a daily check over days: a link's result is used
// while fresh (7 days for a good one, 1 day for a bad one) without a
// request, and checked again when due.
func TestCacheExpiry(t *testing.T) {
	w := govWorld(t)
	clk := &clock{}
	cache := filepath.Join(t.TempDir(), ".bulletin", "linkcheck.json")
	c := New(Options{Client: w.client(), Interval: -1, Cache: cache, Now: clk.Now})
	urls := []string{"http://gov.test/ok", "http://gov.test/chain/1", "http://gov.test/missing", "http://gov.test/away", "http://nowhere.test/"}
	requests := map[string][]string{
		"http://gov.test/ok":      {"HEAD gov.test/ok"},
		"http://gov.test/chain/1": {"HEAD gov.test/chain/1", "HEAD gov.test/chain/2", "HEAD www.gov.test/chain/3"},
		"http://gov.test/missing": {"HEAD gov.test/missing", "GET gov.test/missing"},
		"http://gov.test/away":    {"HEAD gov.test/away", "HEAD other.test/casino"},
		"http://nowhere.test/":    nil,
	}
	const day = 24 * time.Hour
	for _, step := range []struct {
		at     time.Duration
		cached []bool          // by link
		since  []time.Duration // when each result was checked
	}{
		{0, []bool{false, false, false, false, false}, []time.Duration{0, 0, 0, 0, 0}},
		// The good results are used; the bad ones are a day old: due.
		{2 * day, []bool{true, true, false, false, false}, []time.Duration{0, 0, 2 * day, 2 * day, 2 * day}},
		{2*day + 23*time.Hour, []bool{true, true, true, true, true}, []time.Duration{0, 0, 2 * day, 2 * day, 2 * day}},
		// A week after the first check all are due.
		{7 * day, []bool{false, false, false, false, false}, []time.Duration{7 * day, 7 * day, 7 * day, 7 * day, 7 * day}},
		{7*day + 6*day, []bool{true, true, false, false, false}, []time.Duration{7 * day, 7 * day, 13 * day, 13 * day, 13 * day}},
	} {
		clk.set(day0.Add(step.at))
		rs, err := c.Check(context.Background(), urls)
		if err != nil {
			t.Fatal(err)
		}
		var want []string
		for i, r := range rs {
			if r.Cached != step.cached[i] || !r.Checked.Equal(day0.Add(step.since[i])) {
				t.Errorf("day %v: %s cached %v checked %v, want %v %v", step.at, r.URL, r.Cached, r.Checked, step.cached[i], day0.Add(step.since[i]))
			}
			if !step.cached[i] {
				want = append(want, requests[r.URL]...)
			}
		}
		got := w.requests()
		slices.Sort(got)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("day %v: requests %q, want %q", step.at, got, want)
		}
		if step.at == 0 {
			data, err := os.ReadFile(cache)
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, "testdata/cache.json", data)
		}
	}
}

// TestCachedReadsAsChecked checks that a result from the cache is the
// result the check made, its reason and hops included.
func TestCachedReadsAsChecked(t *testing.T) {
	w := govWorld(t)
	urls := []string{"http://gov.test/ok", "http://gov.test/chain/1", "http://gov.test/missing", "http://gov.test/away",
		"http://nowhere.test/", "http://gov.test/slow", "http://gov.test/loop", "https://badcert.test/", "http://gov.test/tomail"}
	opt := Options{Client: w.client(), Interval: -1, Timeout: 200 * time.Millisecond, Cache: filepath.Join(t.TempDir(), "c.json"), Now: (&clock{t: day0}).Now}
	first, err := New(opt).Check(context.Background(), urls)
	if err != nil {
		t.Fatal(err)
	}
	w.requests()
	again, err := New(opt).Check(context.Background(), urls)
	if err != nil {
		t.Fatal(err)
	}
	if log := w.requests(); len(log) > 0 {
		t.Errorf("requests with every result fresh: %q", log)
	}
	for i := range urls {
		a, b := first[i], again[i]
		if !b.Cached {
			t.Errorf("%s: not from the cache", b.URL)
		}
		b.Cached = false
		if a.URL != b.URL || a.Status != b.Status || a.Code != b.Code || a.Final != b.Final ||
			!slices.Equal(a.Hops, b.Hops) || !a.Checked.Equal(b.Checked) || msg(a.Reason) != msg(b.Reason) {
			t.Errorf("checked: %+v\ncached:  %+v", a, b)
		}
	}
}

func msg(m *diag.Message) string {
	if m == nil {
		return ""
	}
	return m.Error()
}

const goodEntry = `{"url": "http://gov.test/ok", "status": "ok", "code": 200, "checked": "2025-03-10T08:00:00Z"}`

// TestCacheIgnored checks that a cache file that cannot be read, or an
// entry in it that makes no sense, is checked afresh without an error,
// and that the file is then written anew.
func TestCacheIgnored(t *testing.T) {
	w := govWorld(t)
	file := func(links ...string) string { return `{"format": 1, "links": [` + strings.Join(links, ",") + `]}` }
	entry := func(fields string) string { return `{"url": "http://gov.test/ok", ` + fields + `}` }
	for _, tc := range []struct {
		name, data string
		cached     bool
	}{
		{"valid", file(goodEntry), true}, // the control: a fresh entry is used
		{"missing", "", false},
		{"empty", " ", false},
		{"garbage", "<html>not json", false},
		{"binary", "\x00\xff\xfe{", false},
		{"truncated", file(goodEntry)[:40], false},
		{"null", "null", false},
		{"array", "[1, 2]", false},
		{"links null", `{"format": 1, "links": null}`, false},
		{"no format", `{"links": [` + goodEntry + `]}`, false},
		{"other format", `{"format": 2, "links": [` + goodEntry + `]}`, false},
		{"format as text", `{"format": "1", "links": [` + goodEntry + `]}`, false},
		{"unknown status", file(entry(`"status": "fine", "code": 200, "checked": "2025-03-10T08:00:00Z"`)), false},
		{"skipped status", file(entry(`"status": "skipped", "checked": "2025-03-10T08:00:00Z"`)), false},
		{"unknown why", file(entry(`"status": "error", "why": "gremlins", "checked": "2025-03-10T08:00:00Z"`)), false},
		{"ok with a 404", file(entry(`"status": "ok", "code": 404, "checked": "2025-03-10T08:00:00Z"`)), false},
		{"ok with hops", file(entry(`"status": "ok", "code": 200, "hops": [{"code": 301, "to": "http://gov.test/b"}], "checked": "2025-03-10T08:00:00Z"`)), false},
		{"redirected without hops", file(entry(`"status": "redirected", "code": 200, "checked": "2025-03-10T08:00:00Z"`)), false},
		{"hop that is no redirect", file(entry(`"status": "redirected", "code": 200, "hops": [{"code": 200, "to": "http://gov.test/b"}], "checked": "2025-03-10T08:00:00Z"`)), false},
		{"hop to nowhere", file(entry(`"status": "moved", "code": 200, "hops": [{"code": 301, "to": "mailto:x"}], "checked": "2025-03-10T08:00:00Z"`)), false},
		{"no date", file(entry(`"status": "ok", "code": 200`)), false},
		{"bad date", file(entry(`"status": "ok", "code": 200, "checked": "yesterday"`)), false},
		{"future date", file(entry(`"status": "ok", "code": 200, "checked": "2025-04-10T08:00:00Z"`)), false},
		{"far date", file(entry(`"status": "ok", "code": 200, "checked": "9999-12-31T23:00:00-23:00"`)), false},
		{"wrong types", file(`{"url": 5, "status": ["ok"]}`), false},
		{"fragment", file(`{"url": "http://gov.test/ok#x", "status": "ok", "code": 200, "checked": "2025-03-10T08:00:00Z"}`), false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			cache := filepath.Join(t.TempDir(), "linkcheck.json")
			if tc.name != "missing" {
				if err := os.WriteFile(cache, []byte(tc.data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
			c := New(Options{Client: w.client(), Interval: -1, Cache: cache, Now: (&clock{t: day0.Add(time.Hour)}).Now})
			rs, err := c.Check(context.Background(), []string{"http://gov.test/ok"})
			if err != nil {
				t.Fatal(err)
			}
			if rs[0].Status != OK || rs[0].Cached != tc.cached {
				t.Errorf("%s cached %v, want ok cached %v", rs[0].Status, rs[0].Cached, tc.cached)
			}
			if log := w.requests(); len(log) != 0 == tc.cached {
				t.Errorf("requests %q", log)
			}
			data, err := os.ReadFile(cache)
			if err != nil {
				t.Fatal(err)
			}
			if e := parseCache(data); len(e) != 1 || e["http://gov.test/ok"].Status != OK {
				t.Errorf("the cache file reads %v:\n%s", e, data)
			}
		})
	}
}

// TestCacheForgets checks that the file keeps only fresh entries: a link
// no longer on the site goes once its result has expired.
func TestCacheForgets(t *testing.T) {
	w := govWorld(t)
	cache := filepath.Join(t.TempDir(), "linkcheck.json")
	data, err := encodeCache(map[string]entry{
		"http://gov.test/ok":      {Status: OK, Code: 200, Checked: day0.Add(-6 * 24 * time.Hour)},
		"http://gov.test/gone":    {Status: OK, Code: 200, Checked: day0.Add(-8 * 24 * time.Hour)},
		"http://gov.test/missing": {Status: Broken, Code: 404, Checked: day0.Add(-2 * time.Hour)},
		"http://gov.test/old404":  {Status: Broken, Code: 404, Checked: day0.Add(-25 * time.Hour)},
	})
	if err != nil {
		t.Fatal(err)
	}
	if err := os.WriteFile(cache, data, 0o644); err != nil {
		t.Fatal(err)
	}
	c := New(Options{Client: w.client(), Interval: -1, Cache: cache, Now: (&clock{t: day0}).Now})
	if _, err := c.Check(context.Background(), nil); err != nil {
		t.Fatal(err)
	}
	data, err = os.ReadFile(cache)
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for k := range parseCache(data) {
		got = append(got, k)
	}
	slices.Sort(got)
	if want := []string{"http://gov.test/missing", "http://gov.test/ok"}; !slices.Equal(got, want) {
		t.Errorf("the cache keeps %q, want %q", got, want)
	}
}

// TestCacheUnwritable checks that a cache that cannot be written is an
// error that says so, with the results complete.
func TestCacheUnwritable(t *testing.T) {
	w := govWorld(t)
	cache := filepath.Join(t.TempDir(), "linkcheck.json")
	if err := os.Mkdir(cache, 0o755); err != nil { // a folder where the file should be
		t.Fatal(err)
	}
	c := New(Options{Client: w.client(), Interval: -1, Cache: cache})
	rs, err := c.Check(context.Background(), []string{"http://gov.test/ok", "http://gov.test/missing"})
	var m *diag.Message
	if !errors.As(err, &m) || m.Format != "cannot write the link cache %s: %w" {
		t.Errorf("error %v, want the cache's", err)
	}
	if rs[0].Status != OK || rs[1].Status != Broken {
		t.Errorf("results %s, %s", rs[0].Status, rs[1].Status)
	}
}

// FuzzCache reads arbitrary bytes as a cache file: it must never panic,
// every entry it keeps must read as a result with a reason where one is
// due, and writing what it kept and reading that again must keep the
// same.
func FuzzCache(f *testing.F) {
	if data, err := os.ReadFile("testdata/cache.json"); err == nil {
		f.Add(data)
	}
	f.Add([]byte(`{"format": 1, "links": [` + goodEntry + `]}`))
	f.Add([]byte(`{"format": 1, "links": [{"url": "http://a.test/", "status": "error", "why": "dns", "detail": "a.test", "checked": "2025-03-10T08:00:00+08:00"}]}`))
	f.Add([]byte(`{"format": 1, "links": [{"url": "http://a.test/", "status": "moved", "code": 200, "hops": [{"code": 301, "to": "http://b.test/"}], "checked": "2025-03-10T08:00:00.5Z"}]}`))
	f.Add([]byte(`{"format": 1, "links": [{"url": "http://a.test/", "status": "timeout", "detail": "%!s(MISSING)", "checked": "9999-12-31T23:59:59-23:59"}]}`))
	f.Add([]byte("null"))
	f.Add([]byte(""))
	f.Fuzz(func(t *testing.T, data []byte) {
		entries := parseCache(data)
		for k, e := range entries {
			r := e.result(k)
			if (r.Reason == nil) != (r.Status == OK) || !r.Cached || r.Status.Bad() != e.Status.Bad() {
				t.Errorf("%s reads as %+v", k, r)
			}
		}
		out, err := encodeCache(entries)
		if err != nil {
			t.Fatalf("writing what was read: %v", err)
		}
		again := parseCache(out)
		if len(again) != len(entries) {
			t.Fatalf("read %d entries, then %d after writing them:\n%s", len(entries), len(again), out)
		}
		out2, err := encodeCache(again)
		if err != nil || !bytes.Equal(out, out2) {
			t.Fatalf("writing again changes the file (%v):\n%s\n%s", err, out, out2)
		}
	})
}
