package digest

import (
	"bulletin/internal/golden"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bulletin/internal/site"
	"bulletin/internal/sitetest"
	"bulletin/theme"
)

// fixtureNow is after every fixture bulletin.
var fixtureNow = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// day is a YYYY-MM-DD day in the fixture's zone.
func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// copySite copies testdata/site into a fresh folder: runs write digests/
// into the site.
func copySite(t testing.TB) string {
	t.Helper()
	return sitetest.Dir(t, os.DirFS("testdata/site"))
}

func loadSite(t testing.TB, dir string) *site.Site {
	t.Helper()
	s, err := site.Load(context.Background(), os.DirFS(dir), site.Options{Now: fixtureNow})
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	return s
}

// january is the fixture's month of bulletins.
func january() Query { return Query{From: day("2024-01-01"), To: day("2024-01-31")} }

// options are a run on the site in dir, signed off on today.
func options(dir string, q Query, today string) Options {
	return Options{Dir: dir, Query: q, Today: day(today), Theme: theme.FS}
}

func readFile(t testing.TB, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestGolden compiles fixture issues and compares all three formats and
// the record with testdata/golden/issues. Run go test -update after an intended change to the
// layout or the theme, and read the diff.
func TestGolden(t *testing.T) {
	got := map[string][]byte{}
	for _, tc := range []struct {
		name  string
		query Query
		edit  func(*Options)
	}{
		{"grouped", Query{From: day("2024-01-01"), To: day("2024-01-31"), Group: "region"}, func(o *Options) {
			o.Note = "本期编发1月份全省民政系统重点工作信息。\n\n请各地结合实际，认真学习借鉴。\n"
		}},
		{"summaries", Query{From: day("2024-01-01"), To: day("2024-01-31"), Region: "青海省"}, func(o *Options) {
			o.Summaries = true
			o.Date = day("2024-02-01")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copySite(t)
			opt := options(dir, tc.query, "2024-01-31")
			tc.edit(&opt)
			res, err := Run(context.Background(), loadSite(t, dir), opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Files) != 3 {
				t.Fatalf("wrote %v, want .html, .md and .txt", res.Files)
			}
			for _, f := range res.Files {
				if base := filepath.Base(f); !strings.HasPrefix(base, "2024-001.") {
					t.Errorf("wrote %s, want 2024-001.*", base)
				}
				got[tc.name+filepath.Ext(f)] = readFile(t, f)
			}
			got[tc.name+".record.yaml"] = readFile(t, res.Record)
		})
	}
	golden.CheckDir(t, filepath.Join("testdata", "golden", "issues"), got)
}

// checkGolden compares got with testdata/golden/name, or rewrites it with -update.
func checkGolden(t *testing.T, name string, got []byte) {
	t.Helper()
	golden.Check(t, filepath.Join("testdata", "golden", name), got)
}

// TestRemoteImageLeftOut checks the standalone HTML without a browser: an
// image on another server is replaced by a note and named in a warning
// with its line, while an image beside the bulletin is still embedded.
func TestRemoteImageLeftOut(t *testing.T) {
	dir := copySite(t)
	md := "---\ntitle: 远程图片\ndate: 2024-01-20\nbureau: 青海省民政厅\n---\n\n正文。\n\n" +
		"![现场照片](http://images.example.com/a.png)\n\n" +
		"![](https://images.example.com/%E5%9B%BE.png)\n"
	os.WriteFile(filepath.Join(dir, "content", "qinghai", "remote.md"), []byte(md), 0o644)
	res, err := Run(context.Background(), loadSite(t, dir), options(dir, january(), "2024-01-31"))
	if err != nil {
		t.Fatal(err)
	}
	html := string(readFile(t, res.Files[0]))
	for _, tc := range []struct {
		what string
		ok   bool
	}{
		{"images.example.com", false},
		{"（图略：现场照片）", true},
		{"（图略）", true},
		{`src="data:image/png;base64,`, true}, // relief.png, beside its bulletin
	} {
		if got := strings.Contains(html, tc.what); got != tc.ok {
			t.Errorf("the issue's HTML has %q: %v, want %v", tc.what, got, tc.ok)
		}
	}
	var got []string
	for _, w := range res.Warnings {
		got = append(got, w.String())
	}
	want := []string{
		"content/qinghai/remote.md:9: warning: image http://images.example.com/a.png is left out of the issue, which fetches nothing from the network; put the image file beside the bulletin to print it",
		"content/qinghai/remote.md:11: warning: image https://images.example.com/%E5%9B%BE.png is left out of the issue, which fetches nothing from the network; put the image file beside the bulletin to print it",
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("warnings:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}
