package build

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"testing"

	"bulletin/internal/site"
	"bulletin/theme"
)

// TestRecordMatchesWhole: each step is a new Builder, as each run of
// bulletin build is a new process, sharing only the record file. After the
// first, every build updates the output in place, and leaves it as a whole
// build of the same site.
func TestRecordMatchesWhole(t *testing.T) {
	ctx := context.Background()
	fsys := editableFixture(t)
	r := rand.New(rand.NewPCG(3, 4))
	dir := t.TempDir()
	live, whole, rec := dir+"/live", dir+"/whole", dir+"/cache/record"
	for step := range 20 {
		name := "first build"
		if step > 0 {
			e := edits[r.IntN(len(edits))]
			if step <= len(edits) {
				e = edits[step-1]
			}
			e.do(fsys, r, step)
			name = e.name
		}
		s, err := site.Load(ctx, fsys, site.Options{Now: fixtureNow, Lean: true})
		if err != nil {
			t.Fatalf("step %d (%s): %v", step, name, err)
		}
		st, err := NewBuilder(Config{Out: live, Theme: theme.FS, Sources: fsys, Record: rec, RecordKey: "k"}).Build(ctx, s)
		if err != nil {
			t.Fatalf("step %d (%s): %v", step, name, err)
		}
		if st.Whole != (step == 0) {
			t.Errorf("step %d (%s): whole = %v", step, name, st.Whole)
		}
		buildTo(t, s, fsys, whole)
		if diff := compareTrees(readTree(t, live), readTree(t, whole)); diff != "" {
			t.Fatalf("step %d (%s, %d pages rendered): build from the record differs from a whole one:\n%s", step, name, st.Pages, diff)
		}
		if name == "body" && st.Pages > 8 {
			t.Errorf("step %d: a body edit rendered %d pages", step, st.Pages)
		}
	}
}

// TestRecordNotTrusted: the record is not used for an output that may not
// be as the build that wrote the record left it; the build is then whole.
func TestRecordNotTrusted(t *testing.T) {
	ctx := context.Background()
	for _, tc := range []struct {
		name   string
		change func(t *testing.T, out, rec string, s *site.Site)
		key    string
		whole  bool
	}{
		{"nothing", func(*testing.T, string, string, *site.Site) {}, "k", false},
		{"another version", func(*testing.T, string, string, *site.Site) {}, "k2", true},
		{"another build", func(t *testing.T, out, rec string, s *site.Site) {
			// serve's, or a build keeping no record
			if _, err := NewBuilder(Config{Out: out, Theme: theme.FS, Sources: os.DirFS("testdata/site")}).Build(ctx, s); err != nil {
				t.Fatal(err)
			}
		}, "k", true},
		{"record spoilt", func(t *testing.T, out, rec string, s *site.Site) {
			os.WriteFile(rec, []byte("not a record"), 0o644)
		}, "k", true},
		{"record gone", func(t *testing.T, out, rec string, s *site.Site) { os.Remove(rec) }, "k", true},
		{"build failed part way", func(t *testing.T, out, rec string, s *site.Site) { unstamp(out) }, "k", true},
		{"file added to the output", func(t *testing.T, out, rec string, s *site.Site) {
			os.WriteFile(filepath.Join(out, "extra.html"), []byte("x"), 0o644)
		}, "k", true},
		{"output replaced", func(t *testing.T, out, rec string, s *site.Site) {
			os.Rename(out, out+".old")
			os.Mkdir(out, 0o755)
		}, "k", true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, sources := loadFixtureWith(t, "testdata/site", site.Options{Lean: true})
			dir := t.TempDir()
			out, rec := dir+"/public", dir+"/record"
			if _, err := NewBuilder(Config{Out: out, Theme: theme.FS, Sources: sources, Record: rec, RecordKey: "k"}).Build(ctx, s); err != nil {
				t.Fatal(err)
			}
			tc.change(t, out, rec, s)
			st, err := NewBuilder(Config{Out: out, Theme: theme.FS, Sources: sources, Record: rec, RecordKey: tc.key}).Build(ctx, s)
			if err != nil {
				t.Fatal(err)
			}
			if st.Whole != tc.whole {
				t.Errorf("whole = %v, want %v", st.Whole, tc.whole)
			}
			want := dir + "/want"
			buildTo(t, s, sources, want)
			if diff := compareTrees(readTree(t, out), readTree(t, want)); diff != "" {
				t.Errorf("output differs from a whole build:\n%s", diff)
			}
		})
	}
}
