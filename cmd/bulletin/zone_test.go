package main

import (
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"
)

// TestTimesInSiteZone: a time given on the command line without an offset
// (-now, -date) is read in the zone site.yaml names, as the bulletins'
// dates are, not in China Standard Time. New York is 12 or 13 hours behind
// Shanghai, so a time read in the wrong zone lands on another day.
func TestTimesInSiteZone(t *testing.T) {
	newYork := func(t *testing.T) string {
		dir := copySample(t)
		p := filepath.Join(dir, "site.yaml")
		data, err := os.ReadFile(p)
		if err != nil {
			t.Fatal(err)
		}
		zone := regexp.MustCompile(`(?m)^timezone: .*$`)
		if !zone.Match(data) {
			t.Fatal("the sample site.yaml has no timezone line")
		}
		os.WriteFile(p, zone.ReplaceAll(data, []byte("timezone: America/New_York")), 0o644)
		return dir
	}
	dateLine := func(t *testing.T, path string) string {
		data, err := os.ReadFile(path)
		if err != nil {
			t.Fatal(err)
		}
		return regexp.MustCompile(`(?m)^date: .*$`).FindString(string(data))
	}

	t.Run("build -now", func(t *testing.T) {
		dir := newYork(t)
		writeBulletin(t, dir, "content/qinghai/2030/zone.md",
			"---\ntitle: 时区测试\ndate: 2030-06-01 10:00\nbureau: 青海省民政厅\nslug: zone-test\n---\n\n正文。\n")
		for _, tc := range []struct {
			now       string
			published bool
		}{
			{"2030-06-01 09:00", false},
			{"2030-06-01 11:00", true},
		} {
			out := filepath.Join(t.TempDir(), "public")
			code, stdout, stderr := run(t, "build", "-s", dir, "-o", out, "-no-index", "-now", tc.now)
			if code != 0 {
				t.Fatalf("-now %s: exit %d\n%s", tc.now, code, stderr)
			}
			_, err := os.Stat(filepath.Join(out, "bulletins", "zone-test", "index.html"))
			if published := err == nil; published != tc.published {
				t.Errorf("-now %s: published %v, want %v\n%s", tc.now, published, tc.published, stdout)
			}
			if !tc.published && !strings.Contains(stdout, "due 2030-06-01 10:00 EDT") {
				t.Errorf("-now %s: stdout lacks the due time:\n%s", tc.now, stdout)
			}
		}
	})

	t.Run("stats -now", func(t *testing.T) {
		dir := newYork(t)
		writeBulletin(t, dir, "content/qinghai/2030/zone.md",
			"---\ntitle: 时区测试\ndate: 2030-06-01 10:00\nbureau: 青海省民政厅\n---\n\n正文。\n")
		code, stdout, stderr := run(t, "stats", "-s", dir, "-format", "csv", "-from", "2030-06", "-to", "2030-06", "-now", "2030-06-01 11:00")
		if code != 0 || !strings.Contains(stdout, "青海省民政厅,青海省,2030-06,1,") {
			t.Errorf("exit %d, the bulletin due at 10:00 is not counted at 11:00:\n%s%s", code, stdout, stderr)
		}
	})

	t.Run("new -date", func(t *testing.T) {
		dir := newYork(t)
		code, stdout, stderr := run(t, "new", "-s", dir, "-bureau", "青海省民政厅", "-date", "2030-06-01 05:00", "时区测试")
		if code != 0 {
			t.Fatalf("exit %d: %s", code, stderr)
		}
		path := strings.TrimSpace(stdout)
		if want := filepath.Join(dir, "content", "qinghai", "2030", "20300601-1.md"); path != want {
			t.Errorf("wrote %s, want %s", path, want)
		}
		if got := dateLine(t, path); got != "date: 2030-06-01 05:00" {
			t.Errorf("%q, want date: 2030-06-01 05:00", got)
		}
	})

	t.Run("import -date", func(t *testing.T) {
		dir := newYork(t)
		_, stdout, stderr := run(t, "import", "-s", dir, "-date", "2030-06-01 05:00", sampleCompilation)
		written := strings.Fields(stdout)
		if len(written) == 0 {
			t.Fatalf("nothing imported:\n%s", stderr)
		}
		if got := dateLine(t, written[0]); got != "date: 2030-06-01 05:00" {
			t.Errorf("%s: %q, want date: 2030-06-01 05:00", written[0], got)
		}
	})
}
