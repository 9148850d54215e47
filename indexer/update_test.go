package indexer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync/atomic"
	"testing"

	"bulletin/internal/site"

	"github.com/blevesearch/bleve/v2"
)

// edit returns a copy of s with the bulletins at the given indexes changed
// by fn (on copies), leaving s as it was.
func edit(s *site.Site, fn func(b *site.Bulletin), at ...int) *site.Site {
	s2 := *s
	s2.Bulletins = slices.Clone(s.Bulletins)
	for _, i := range at {
		b := *s.Bulletins[i]
		fn(&b)
		s2.Bulletins[i] = &b
	}
	return &s2
}

func addText(text string) func(b *site.Bulletin) {
	return func(b *site.Bulletin) {
		b.Text += "\n" + text
		b.Hash += "+"
	}
}

// found reports the URLs that a search for q finds in the index in dir.
func foundIn(t *testing.T, dir string, s *site.Site, q string) []string {
	t.Helper()
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	urls := hitURLs(searchFor(t, ix, Request{Query: q}))
	slices.Sort(urls)
	return urls
}

func TestUpdate(t *testing.T) {
	ctx := context.Background()
	s := loadFixture(t)
	n := len(s.Bulletins)
	dir := filepath.Join(t.TempDir(), ".bulletin", "search")

	changed := edit(s, addText("新增内容甲乙"), 0)
	removed := edit(s, func(*site.Bulletin) {}) // then drop the last
	removed.Bulletins = removed.Bulletins[:n-1]
	moved := edit(s, func(b *site.Bulletin) {
		r := *b.Region
		r.Name = "青海省新区"
		b.Region = &r
	}, 1)
	steps := []struct {
		name string
		site *site.Site
		want UpdateStats
	}{
		{"create", s, UpdateStats{Docs: n, Added: n, Rebuilt: true}},
		{"unchanged", s, UpdateStats{Docs: n}},
		{"one changed", changed, UpdateStats{Docs: n, Changed: 1}},
		{"changed back", s, UpdateStats{Docs: n, Changed: 1}},
		{"one removed", removed, UpdateStats{Docs: n - 1, Removed: 1}},
		{"added again", s, UpdateStats{Docs: n, Added: 1}},
		// A change from site.yaml, not the bulletin's file.
		{"region renamed", moved, UpdateStats{Docs: n, Changed: 1}},
	}
	for _, step := range steps {
		got, err := Update(ctx, dir, step.site, nil)
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if got != step.want {
			t.Errorf("%s: Update = %+v, want %+v", step.name, got, step.want)
		}
	}

	// What the updates did is what searches find.
	if got, want := foundIn(t, dir, moved, "新区"), []string{moved.Bulletins[1].URL}; !slices.Equal(got, want) {
		t.Errorf("after the region's change, 新区 found %v, want %v", got, want)
	}
	if got := foundIn(t, dir, moved, "新增内容甲乙"); len(got) != 0 {
		t.Errorf("text changed back is still found: %v", got)
	}
	if _, err := Update(ctx, dir, changed, nil); err != nil {
		t.Fatal(err)
	}
	if got, want := foundIn(t, dir, changed, "新增内容甲乙"), []string{s.Bulletins[0].URL}; !slices.Equal(got, want) {
		t.Errorf("changed text found in %v, want %v", got, want)
	}
}

func TestUpdateRebuilds(t *testing.T) {
	ctx := context.Background()
	s := loadFixture(t)
	n := len(s.Bulletins)
	tests := []struct {
		name  string
		spoil func(t *testing.T, dir string)
	}{
		{"mapping changed", func(t *testing.T, dir string) {
			setManifest(t, dir, &manifest{Version: "0-old", Docs: map[string]string{}})
		}},
		// A rebuild killed after its documents but before its manifest.
		{"no manifest", func(t *testing.T, dir string) { setManifest(t, dir, nil) }},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "search")
			if _, err := Update(ctx, dir, s, nil); err != nil {
				t.Fatal(err)
			}
			tt.spoil(t, dir)
			if _, err := Open(dir); err == nil {
				t.Errorf("Open of a spoilt index succeeded")
			}
			got, err := Update(ctx, dir, s, nil)
			if err != nil {
				t.Fatal(err)
			}
			if want := (UpdateStats{Docs: n, Added: n, Rebuilt: true}); got != want {
				t.Errorf("Update = %+v, want %+v", got, want)
			}
			if urls := foundIn(t, dir, s, "低保"); len(urls) == 0 {
				t.Errorf("the rebuilt index finds nothing")
			}
		})
	}
}

// setManifest replaces the manifest of the index in dir (nil deletes it).
func setManifest(t *testing.T, dir string, m *manifest) {
	t.Helper()
	idx, err := openBleve(currentDir(t, dir), false)
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	b := idx.NewBatch()
	if m == nil {
		b.DeleteInternal(manifestKey)
	} else {
		data, _ := json.Marshal(m)
		b.SetInternal(manifestKey, data)
	}
	if err := idx.Batch(b); err != nil {
		t.Fatal(err)
	}
}

// TestUpdateKilled stops an update between two batches, as a kill would:
// the manifest then lists exactly what the index holds, and the next
// update finishes the work.
func TestUpdateKilled(t *testing.T) {
	s := loadFixture(t)
	dir := filepath.Join(t.TempDir(), "search")
	if _, err := Update(context.Background(), dir, s, nil); err != nil {
		t.Fatal(err)
	}
	changed := edit(s, addText("中途停止测试"), 0, 1, 2, 3, 4, 5)

	// At the level below generations: the batches of one update.
	idx, err := openBleve(currentDir(t, dir), false)
	if err != nil {
		t.Fatal(err)
	}
	m, err := readManifest(idx)
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	_, err = updateInPlace(ctx, idx, m, diff(m, prepare(changed)), len(changed.Bulletins), 2, func(done, total int) { cancel() })
	if !errors.Is(err, context.Canceled) {
		t.Fatalf("updateInPlace = %v, want it stopped", err)
	}
	idx.Close()

	// Two of six were indexed, and the manifest says so.
	idx, err = openBleve(currentDir(t, dir), true)
	if err != nil {
		t.Fatal(err)
	}
	m, err = readManifest(idx)
	idx.Close()
	if err != nil {
		t.Fatal(err)
	}
	var inManifest []string
	for _, d := range prepare(changed)[:6] {
		if m.Docs[d.id] == d.digest {
			inManifest = append(inManifest, d.id)
		}
	}
	slices.Sort(inManifest)
	found := foundIn(t, dir, changed, "中途停止测试")
	if len(found) != 2 || !slices.Equal(found, inManifest) {
		t.Errorf("after the stop, the index holds the change in %v and the manifest says %v; want the same two", found, inManifest)
	}

	st, err := Update(context.Background(), dir, changed, nil)
	if err != nil {
		t.Fatal(err)
	}
	if st.Changed != 4 || st.Rebuilt {
		t.Errorf("the next update did %+v, want the 4 changes left", st)
	}
	if found := foundIn(t, dir, changed, "中途停止测试"); len(found) != 6 {
		t.Errorf("after the next update, the change is in %d bulletins, want 6", len(found))
	}
}

func TestUpdateLeavesOtherFoldersAlone(t *testing.T) {
	s := loadFixture(t)
	dir := t.TempDir()
	keep := filepath.Join(dir, "notes.txt")
	os.WriteFile(keep, []byte("mine"), 0o644)
	if _, err := Update(context.Background(), dir, s, nil); err == nil {
		t.Errorf("Update into a folder of other files succeeded")
	}
	if data, err := os.ReadFile(keep); err != nil || string(data) != "mine" {
		t.Errorf("the folder's file was touched: %q, %v", data, err)
	}
}

func TestUpdateRemovesLeftovers(t *testing.T) {
	s := loadFixture(t)
	parent := t.TempDir()
	dir := filepath.Join(parent, "search")
	// What killed rebuilds of the layout before generations left beside
	// the index, and a killed writer's generation and temporary file.
	for _, name := range []string{".search.new-123/store", ".search.old-456/store", "search/gen-00000009/store"} {
		os.MkdirAll(filepath.Join(parent, name), 0o755)
	}
	os.WriteFile(filepath.Join(dir, ".CURRENT.123.tmp"), nil, 0o644)
	if _, err := Update(context.Background(), dir, s, nil); err != nil {
		t.Fatal(err)
	}
	if names := folderNames(parent); !slices.Equal(names, []string{"search"}) {
		t.Errorf("the parent holds %v, want the index folder alone", names)
	}
	if names := folderNames(dir); !slices.Equal(names, []string{"CURRENT", "gen-00000001", "gen-00000001.lock", "write.lock"}) {
		t.Errorf("the index folder holds %v", names)
	}
}

// TestUpdateReplacesOldLayout updates an index folder that is itself a
// bleve index, as before generations: it becomes a folder of generations.
func TestUpdateReplacesOldLayout(t *testing.T) {
	s := loadFixture(t)
	dir := filepath.Join(t.TempDir(), "search")
	if err := os.MkdirAll(filepath.Dir(dir), 0o755); err != nil {
		t.Fatal(err)
	}
	if _, _, err := rebuild(context.Background(), dir, "", prepare(s), mappingVersion(), nil); err != nil {
		t.Fatal(err)
	}
	os.WriteFile(dir+".lock", nil, 0o644)
	st, err := Update(context.Background(), dir, s, nil)
	if err != nil || !st.Rebuilt {
		t.Fatalf("Update = %+v, %v; want a rebuild", st, err)
	}
	if urls := foundIn(t, dir, s, "低保"); len(urls) == 0 {
		t.Error("the index finds nothing")
	}
	if _, err := os.Stat(dir + ".lock"); err == nil {
		t.Error("the old layout's lock file is still there")
	}
}

// folderNames lists the names in dir.
func folderNames(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	return names
}

// currentDir is the current generation's folder in the index folder dir.
func currentDir(t testing.TB, dir string) string {
	t.Helper()
	name, err := readCurrent(dir)
	if err != nil || name == "" {
		t.Fatalf("no current generation in %s: %v", dir, err)
	}
	return filepath.Join(dir, name)
}

// TestIndexAllStops checks that a rebuild's indexing stops with the
// batches under way when it is cancelled, or when a batch fails, and then
// reports the cause: every batch's error, not only the first.
func TestIndexAllStops(t *testing.T) {
	docs := make([]prepared, 30*rebuildBatch)
	for i := range docs {
		docs[i] = prepared{id: fmt.Sprintf("/bulletins/b%05d/", i), doc: &document{Title: "第" + strconv.Itoa(i) + "条"}}
	}
	// A batch under way per worker, and slack.
	limit := int64(1 + 2*runtime.GOMAXPROCS(0))
	idx, err := bleve.New(filepath.Join(t.TempDir(), "search"), newMapping())
	if err != nil {
		t.Fatal(err)
	}
	ctx, cancel := context.WithCancel(context.Background())
	defer cancel()
	var batches atomic.Int64
	err = indexAll(ctx, idx, docs, nil, func(done, total int) {
		if batches.Add(1) == 1 {
			cancel()
		}
	})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled: err = %v, want context.Canceled", err)
	}
	if n := batches.Load(); n > limit {
		t.Errorf("cancelled at the first batch: %d of 30 indexed, want at most %d", n, limit)
	}

	// A closed index fails every batch.
	idx.Close()
	batches.Store(0)
	err = indexAll(context.Background(), idx, docs, nil, func(done, total int) { batches.Add(1) })
	if !errors.Is(err, bleve.ErrorIndexClosed) {
		t.Fatalf("closed index: err = %v, want %v", err, bleve.ErrorIndexClosed)
	}
	errs := err.(interface{ Unwrap() []error }).Unwrap()
	if n := int64(len(errs)); n > limit || batches.Load() > 0 {
		t.Errorf("closed index: %d failed batches reported, %d indexed, want at most %d failed and none indexed", n, batches.Load(), limit)
	}
	for _, e := range errs {
		if !errors.Is(e, bleve.ErrorIndexClosed) {
			t.Errorf("closed index: batch error %v, want %v", e, bleve.ErrorIndexClosed)
		}
	}
}

// TestReadVersion reads the manifest's version without its digests,
// wherever the version is, and reports a damaged manifest.
func TestReadVersion(t *testing.T) {
	idx, err := bleve.NewMemOnly(newMapping())
	if err != nil {
		t.Fatal(err)
	}
	defer idx.Close()
	for _, c := range []struct {
		name, manifest, want string
		bad                  bool
	}{
		{"as written", `{"version":"v9","docs":{"/a/":"x","/b/":"y"}}`, "v9", false},
		{"after the digests", `{"docs":{"/a/":"x","/b/":{"deep":[1,2]}},"version":"v9"}`, "v9", false},
		{"none", `{"docs":{}}`, "", false},
		{"cut short", `{"docs":{"/a/":"x"`, "", true},
		{"not an object", `["v9"]`, "", true},
		{"version not a string", `{"version":9}`, "", true},
	} {
		if err := idx.SetInternal(manifestKey, []byte(c.manifest)); err != nil {
			t.Fatal(err)
		}
		got, err := readVersion(idx)
		if (err != nil) != c.bad || got != c.want {
			t.Errorf("%s: readVersion = %q, %v; want %q, error %v", c.name, got, err, c.want, c.bad)
		}
	}
}

// TestEncodeManifest: the manifest written from the documents is what
// json.Marshal writes of it, whatever the bulletins' URLs hold.
func TestEncodeManifest(t *testing.T) {
	ids := []string{"/b/", "/a/", "/新闻/一/", "/q?a=1&b=<2>", "/q?a=1&b=2", `/"quoted"\/`, "/tab\t/", "/\u2028/", "/bad\xff/", ""}
	for n := range len(ids) + 1 {
		var docs []prepared
		want := manifest{Version: "3-abc<d>", Docs: map[string]string{}}
		for i, id := range ids[:n] {
			digest := fmt.Sprintf("%064x", i)
			docs = append(docs, prepared{id: id, digest: digest})
			want.Docs[id] = digest
		}
		w, err := json.Marshal(want)
		if err != nil {
			t.Fatal(err)
		}
		if got := encodeManifest(want.Version, docs); !bytes.Equal(got, w) {
			t.Errorf("%d documents: encoded\n%s\nwant\n%s", n, got, w)
		}
	}
}
