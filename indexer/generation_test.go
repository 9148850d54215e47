package indexer

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strings"
	"sync"
	"testing"
	"time"

	"bulletin/internal/site"
	"bulletin/internal/sitetest"
)

// constant returns a load function that gives s.
func constant(s *site.Site) func(context.Context) (*site.Site, error) {
	return func(context.Context) (*site.Site, error) { return s, nil }
}

// TestUpdateWhileSearched publishes a new generation while a process
// searches the index, as bulletin build does under bulletin serve: the
// update succeeds, the searcher keeps its generation until it moves, and
// the old generation goes once nothing uses it.
func TestUpdateWhileSearched(t *testing.T) {
	ctx := context.Background()
	s := loadFixture(t)
	dir, ix := publishedAndOpen(t, s)
	first := genNames(dir)

	changed := edit(s, addText("新一代索引测试"), 0)
	st, err := Update(ctx, dir, changed, nil)
	if err != nil {
		t.Fatalf("Update while the index is searched: %v", err)
	}
	if st.Changed != 1 || st.Rebuilt {
		t.Errorf("Update = %+v, want one changed in place", st)
	}
	if res := searchFor(t, ix, Request{Query: "新一代索引测试"}); res.Total != 0 {
		t.Errorf("before moving, the searcher found the new text %d times", res.Total)
	}
	if names := genNames(dir); len(names) != 2 || names[0] != first[0] {
		t.Errorf("while searched, the folder holds %v; want the searched generation and the new one", names)
	}

	moved, err := ix.Refresh(ctx)
	if err != nil || !moved {
		t.Fatalf("Refresh = %v, %v; want a move", moved, err)
	}
	if res := searchFor(t, ix, Request{Query: "新一代索引测试"}); res.Total != 1 {
		t.Errorf("after moving, the new text is found %d times, want 1", res.Total)
	}
	if names := genNames(dir); len(names) != 1 || names[0] == first[0] {
		t.Errorf("after the move, the folder holds %v; want only the new generation", names)
	}
	if moved, err := ix.Refresh(ctx); moved || err != nil {
		t.Errorf("Refresh with nothing new = %v, %v", moved, err)
	}
}

// TestSearchFinishesOnItsGeneration holds a search on a generation
// across two publications: the generation stays until the search lets
// go, then is removed.
func TestSearchFinishesOnItsGeneration(t *testing.T) {
	ctx := context.Background()
	s := loadFixture(t)
	dir := filepath.Join(t.TempDir(), "search")
	ix, _, err := OpenLive(ctx, dir, s, nil)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	running, err := ix.acquire()
	if err != nil {
		t.Fatal(err)
	}
	held := running.gen.name
	for i, word := range []string{"第一次更新", "第二次更新"} {
		if _, err := ix.Update(ctx, edit(s, addText(word), i)); err != nil {
			t.Fatal(err)
		}
	}
	names := genNames(dir)
	if !slices.Contains(names, held) {
		t.Fatalf("the generation of a running search was removed: %v", names)
	}
	// The running search still works on it.
	if _, err := running.find(ctx, Request{Query: "低保", Page: 1}, false); err != nil {
		t.Errorf("searching the held generation: %v", err)
	}
	running.release()
	if names := genNames(dir); slices.Contains(names, held) || len(names) != 1 {
		t.Errorf("after the search let go, the folder holds %v; want the current generation alone", names)
	}
}

// TestUpdateStoppedKeepsCurrent stops an update halfway, as a kill would:
// the generation before stays current and whole, and the next update
// removes what the stopped one left.
func TestUpdateStoppedKeepsCurrent(t *testing.T) {
	s := loadFixture(t)
	dir := filepath.Join(t.TempDir(), "search")
	if _, err := Update(context.Background(), dir, s, nil); err != nil {
		t.Fatal(err)
	}
	before, _ := readCurrent(dir)
	changed := edit(s, addText("中途停止测试"), 0, 1, 2, 3, 4, 5)
	for _, whole := range []bool{false, true} {
		next := changed
		if whole {
			next = edit(changed, func(b *site.Bulletin) { b.Title += "（改）"; b.Hash += "+" }, allIndexes(changed)...)
		}
		ctx, cancel := context.WithCancel(context.Background())
		_, err := Update(ctx, dir, next, func(done, total int) { cancel() })
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Fatalf("stopped Update (rebuild %v) = %v", whole, err)
		}
		if now, _ := readCurrent(dir); now != before {
			t.Errorf("a stopped update moved CURRENT from %s to %s", before, now)
		}
		if found := foundIn(t, dir, s, "中途停止测试"); len(found) != 0 {
			t.Errorf("a stopped update published %d changes", len(found))
		}
	}
	if _, err := Update(context.Background(), dir, changed, nil); err != nil {
		t.Fatal(err)
	}
	if found := foundIn(t, dir, changed, "中途停止测试"); len(found) != 6 {
		t.Errorf("after the next update, the change is in %d bulletins, want 6", len(found))
	}
	if names := genNames(dir); len(names) != 1 {
		t.Errorf("the folder holds %v, want one generation", names)
	}
}

func allIndexes(s *site.Site) []int {
	var at []int
	for i := range s.Bulletins {
		at = append(at, i)
	}
	return at
}

// TestOpenWithoutIndex says what to do when nothing was built.
func TestOpenWithoutIndex(t *testing.T) {
	_, err := Open(filepath.Join(t.TempDir(), "search"))
	if !errors.Is(err, errNoIndex) {
		t.Errorf("Open of a missing index = %v", err)
	}
}

// TestServersAndBuildsAtOnce runs what a site in production runs at once
// on one index folder: two search servers that follow what is published
// (one of them live, publishing as it goes), and builds publishing back
// and forth between two versions of the site. Every search must see one
// version whole, every update must succeed, and at the end one generation
// (plus any still searched) remains. Run it with -race.
func TestServersAndBuildsAtOnce(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	base := sitetest.Site(30)
	paths := sources(t, base)
	a := withWord(base, "珊瑚礁", paths[0], paths[1], paths[2])
	b := withWord(base, "珊瑚礁", paths[3])
	sites := []*site.Site{loadFS(t, a), loadFS(t, b)}
	want := make([][]string, 2)
	for i, s := range sites {
		for _, b := range s.Bulletins {
			if strings.Contains(b.Text, "珊瑚礁") {
				want[i] = append(want[i], b.URL)
			}
		}
		slices.Sort(want[i])
	}
	dir := filepath.Join(t.TempDir(), "search")
	if _, err := Update(ctx, dir, sites[0], nil); err != nil {
		t.Fatal(err)
	}
	// latest is the version last published, for a server that follows.
	var mu sync.Mutex
	latest := 0
	load := func(context.Context) (*site.Site, error) {
		mu.Lock()
		defer mu.Unlock()
		return sites[latest], nil
	}
	var problems []string
	report := func(format string, args ...any) {
		mu.Lock()
		defer mu.Unlock()
		if len(problems) < 10 {
			problems = append(problems, fmt.Sprintf(format, args...))
		}
	}

	reader, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer reader.Close()
	live, _, err := OpenLive(ctx, dir, sites[0], nil)
	if err != nil {
		t.Fatal(err)
	}
	defer live.Close()
	var wg sync.WaitGroup
	for _, ix := range []*Index{reader, live} {
		wg.Go(func() { ix.Follow(ctx, time.Millisecond, nil, func(err error) { report("Follow: %v", err) }) })
		wg.Go(func() {
			for ctx.Err() == nil {
				res, err := ix.Search(ctx, Request{Query: "珊瑚礁", Page: 1}, 1000)
				if err != nil {
					if ctx.Err() == nil {
						report("Search: %v", err)
					}
					return
				}
				if got := sortedURLs(res); !slices.Equal(got, want[0]) && !slices.Equal(got, want[1]) {
					report("珊瑚礁 found %v, want %v or %v", got, want[0], want[1])
				}
			}
		})
	}
	wg.Go(func() {
		// The live server publishes edits too.
		for i := 0; ctx.Err() == nil; i++ {
			s, _ := load(ctx)
			if _, err := live.Update(ctx, s); err != nil && ctx.Err() == nil {
				report("live Update: %v", err)
			}
			time.Sleep(time.Millisecond)
		}
	})
	for i := range 12 {
		mu.Lock()
		latest = (i + 1) % 2
		s := sites[latest]
		mu.Unlock()
		if _, err := Update(ctx, dir, s, nil); err != nil {
			t.Errorf("build %d: %v", i, err)
		}
		time.Sleep(2 * time.Millisecond)
	}
	// Both servers catch up with what was published last (the live one
	// may publish once more on the last version).
	for deadline := time.Now().Add(5 * time.Second); ; time.Sleep(time.Millisecond) {
		final, _ := readCurrent(dir)
		r, l := reader.cur.Load(), live.cur.Load()
		if r.gen.name == final && l.gen.name == final {
			break
		}
		if time.Now().After(deadline) {
			t.Errorf("the servers search %s and %s, not the current %s", r.gen.name, l.gen.name, final)
			break
		}
	}
	cancel()
	wg.Wait()
	for _, p := range problems {
		t.Error(p)
	}
	if names := genNames(dir); len(names) > 3 {
		t.Errorf("the folder holds %d generations: %v", len(names), names)
	}
	entries, _ := os.ReadDir(dir)
	for _, e := range entries {
		if strings.HasSuffix(e.Name(), ".tmp") {
			t.Errorf("a temporary file is left: %s", e.Name())
		}
	}
}

// TestGenerationsReadableByAll: every folder and file of a published
// generation, made afresh or as an updated copy, can be read by a search
// server running as another user than the build.
func TestGenerationsReadableByAll(t *testing.T) {
	if runtime.GOOS == "windows" {
		t.Skip("Windows keeps no permission bits for others")
	}
	s := loadFixture(t)
	dir := filepath.Join(t.TempDir(), "search")
	for i, next := range []*site.Site{s, edit(s, addText("换代权限测试"), 0)} {
		st, err := Update(context.Background(), dir, next, nil)
		if err != nil {
			t.Fatal(err)
		}
		if i == 1 && st.Rebuilt {
			t.Fatal("the second update rebuilt the index; it should update a copy")
		}
		current, _ := readCurrent(dir)
		filepath.WalkDir(filepath.Join(dir, current), func(p string, d fs.DirEntry, err error) error {
			if err != nil {
				t.Fatal(err)
			}
			info, err := d.Info()
			if err != nil {
				t.Fatal(err)
			}
			if want := fs.FileMode(0o044); d.IsDir() {
				want = 0o055
				if info.Mode().Perm()&want != want {
					t.Errorf("update %d: folder %s is %v, not open to others", i+1, p, info.Mode().Perm())
				}
			} else if info.Mode().Perm()&want != want {
				t.Errorf("update %d: %s is %v, not readable by others", i+1, p, info.Mode().Perm())
			}
			return nil
		})
	}
}

// TestReadCurrentWrittenByHand: a CURRENT an operator wrote on Windows,
// with a byte-order mark, in UTF-16 or with CRLF, names its generation.
func TestReadCurrentWrittenByHand(t *testing.T) {
	utf16le := []byte{0xFF, 0xFE}
	utf16be := []byte{0xFE, 0xFF}
	for _, r := range "gen-00000004\r\n" {
		utf16le = append(utf16le, byte(r), 0)
		utf16be = append(utf16be, 0, byte(r))
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"plain", []byte("gen-00000004\n"), "gen-00000004"},
		{"CRLF", []byte("gen-00000004\r\n"), "gen-00000004"},
		{"UTF-8 with a mark", []byte("\ufeffgen-00000004\r\n"), "gen-00000004"},
		{"UTF-16 LE", utf16le, "gen-00000004"},
		{"UTF-16 BE", utf16be, "gen-00000004"},
		{"odd UTF-16", append(slices.Clone(utf16le), 'x'), "gen-00000004"},
		{"not a generation", []byte("gen-4a\n"), ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			os.WriteFile(filepath.Join(dir, currentFile), tc.data, 0o644)
			got, err := readCurrent(dir)
			if got != tc.want || (tc.want == "") != (err != nil) {
				t.Errorf("readCurrent = %q, %v; want %q", got, err, tc.want)
			}
		})
	}
}
