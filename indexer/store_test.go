package indexer

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"

	"bulletin/internal/site"
)

// storeFiles returns the paths of the current generation's table and its
// packs.
func storeFiles(t testing.TB, dir string) (string, []string) {
	t.Helper()
	gen := currentDir(t, dir)
	packs, _ := filepath.Glob(filepath.Join(gen, packPrefix+"*"+packSuffix))
	return filepath.Join(gen, tableFile), packs
}

// TestStoreUpdateOfOne: an update of one bulletin writes a pack of that
// one and a new table; the packs before are the same files, linked, and
// the search shows the change from the store.
func TestStoreUpdateOfOne(t *testing.T) {
	s := loadFixture(t)
	dir := filepath.Join(t.TempDir(), "search")
	if _, err := Update(context.Background(), dir, s, nil); err != nil {
		t.Fatal(err)
	}
	_, before := storeFiles(t, dir)
	if len(before) != 1 {
		t.Fatalf("a new index has packs %v, want one", before)
	}
	infoBefore, _ := os.Stat(before[0])
	changed := edit(s, addText("仅此一条更新"), 3)
	if _, err := Update(context.Background(), dir, changed, nil); err != nil {
		t.Fatal(err)
	}
	table, after := storeFiles(t, dir)
	if len(after) != 2 {
		t.Fatalf("after an update of one, packs %v, want the old one and a new one", after)
	}
	var kept, fresh os.FileInfo
	for _, p := range after {
		info, _ := os.Stat(p)
		if filepath.Base(p) == filepath.Base(before[0]) {
			kept = info
		} else {
			fresh = info
		}
	}
	if kept == nil || !os.SameFile(kept, infoBefore) {
		t.Errorf("the old pack was not linked into the new generation")
	}
	if fresh == nil || fresh.Size() > int64(len(changed.Bulletins[3].Text))*3+1024 {
		t.Errorf("the new pack is %v bytes, want about one bulletin", fresh)
	}
	if tb, _ := os.Stat(table); tb.Size() > int64(len(s.Bulletins))*100 {
		t.Errorf("the table is %d bytes for %d bulletins", tb.Size(), len(s.Bulletins))
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	res := searchFor(t, ix, Request{Query: "仅此一条更新"})
	if res.Total != 1 || res.Hits[0].URL != changed.Bulletins[3].URL || !strings.Contains(string(res.Hits[0].Snippet), "<mark>仅此一条更新</mark>") {
		t.Errorf("the change is not searched from the store: %+v", res.Hits)
	}
}

// TestStoreDamaged spoils each store file in turn: opening the index
// fails with a message naming the file, and never panics.
func TestStoreDamaged(t *testing.T) {
	s := loadFixture(t)
	dir := filepath.Join(t.TempDir(), "search")
	if _, err := Update(context.Background(), dir, s, nil); err != nil {
		t.Fatal(err)
	}
	table, packs := storeFiles(t, dir)
	for _, tc := range []struct {
		name  string
		file  string
		spoil func([]byte) []byte
	}{
		{"table cut", table, func(b []byte) []byte { return b[:len(b)/2] }},
		{"table flipped", table, func(b []byte) []byte { b[len(b)/2] ^= 0x55; return b }},
		{"table empty", table, func([]byte) []byte { return nil }},
		{"pack cut", packs[0], func(b []byte) []byte { return b[:len(b)-10] }},
		{"pack records flipped", packs[0], func(b []byte) []byte { b[len(b)-footerSize-5] ^= 0x55; return b }},
		{"pack empty", packs[0], func([]byte) []byte { return nil }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			orig, err := os.ReadFile(tc.file)
			if err != nil {
				t.Fatal(err)
			}
			defer os.WriteFile(tc.file, orig, 0o644)
			os.WriteFile(tc.file, tc.spoil(bytes.Clone(orig)), 0o644)
			ix, err := Open(dir)
			if err == nil {
				ix.Close()
				t.Fatalf("opened an index with a spoilt %s", filepath.Base(tc.file))
			}
			if !strings.Contains(err.Error(), filepath.Base(tc.file)) || !strings.Contains(err.Error(), "damaged") {
				t.Errorf("error %q does not say which file is damaged", err)
			}
		})
	}
	// Unspoilt again, it opens.
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	ix.Close()
}

// TestStoreRewrittenWhenMostlyStale: when the packs would hold more than
// twice what the bulletins use (here after most bulletins were taken
// out), the next update writes the store afresh into one pack; while
// they hold less, the pack is kept.
func TestStoreRewrittenWhenMostlyStale(t *testing.T) {
	s := loadFixture(t)
	dir := filepath.Join(t.TempDir(), "search")
	if _, err := Update(context.Background(), dir, s, nil); err != nil {
		t.Fatal(err)
	}
	_, first := storeFiles(t, dir)
	for _, tc := range []struct {
		keep  int
		fresh bool
	}{
		{len(s.Bulletins) - 2, false},
		{len(s.Bulletins)/2 - 1, true},
	} {
		fewer := *s
		fewer.Bulletins = s.Bulletins[:tc.keep]
		if _, err := Update(context.Background(), dir, &fewer, nil); err != nil {
			t.Fatal(err)
		}
		_, packs := storeFiles(t, dir)
		if fresh := len(packs) == 1 && filepath.Base(packs[0]) != filepath.Base(first[0]); fresh != tc.fresh || len(packs) != 1 {
			t.Errorf("with %d of %d bulletins left: packs %v, want written afresh: %v", tc.keep, len(s.Bulletins), packs, tc.fresh)
		}
		ix, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		if got := searchFor(t, ix, everything).Total; got != tc.keep {
			t.Errorf("with %d bulletins left, %d found", tc.keep, got)
		}
		ix.Close()
	}
}

// FuzzStoreTable feeds docs.table any bytes: parseTable returns a table
// or an error, and a table it accepts encodes back to the same bytes.
func FuzzStoreTable(f *testing.F) {
	s := loadFixture(f)
	dir := filepath.Join(f.TempDir(), "search")
	if _, err := Update(context.Background(), dir, s, nil); err != nil {
		f.Fatal(err)
	}
	tablePath, _ := storeFiles(f, dir)
	data, _ := os.ReadFile(tablePath)
	f.Add(data)
	f.Add([]byte(tableMagic))
	f.Add(encodeTable(&table{zone: "UTC", packs: []string{"docs-1.pack"}, held: []int{1}, docs: []tableDoc{{url: "/a/", digest: "x", off: 1, size: 2}}}))
	f.Fuzz(func(t *testing.T, data []byte) {
		tb, err := parseTable(data)
		if err != nil {
			return
		}
		if again := encodeTable(tb); !bytes.Equal(again, data) {
			t.Errorf("table read back differently")
		}
	})
}

// FuzzStorePack feeds a pack any bytes: reading its records and decoding
// each gives records or errors, never a panic, and a text read is within
// the pack.
func FuzzStorePack(f *testing.F) {
	s := loadFixture(f)
	dir := filepath.Join(f.TempDir(), "search")
	if _, err := Update(context.Background(), dir, s, nil); err != nil {
		f.Fatal(err)
	}
	_, packs := storeFiles(f, dir)
	data, _ := os.ReadFile(packs[0])
	f.Add(data)
	f.Add(data[len(data)-footerSize:])
	f.Add([]byte(packMagic))
	f.Fuzz(func(t *testing.T, data []byte) {
		pm, err := readPackMeta(bytes.NewReader(data))
		if err != nil {
			return
		}
		if off := pm.recordsOff; off < 0 || off+int64(len(pm.records)) > int64(len(data)) || pm.bodiesOff < 0 || pm.bodiesOff > off {
			t.Fatalf("bodies at %d, records at %d+%d: outside a pack of %d bytes", pm.bodiesOff, off, len(pm.records), len(data))
		}
		// Records as they come, each decoded from every offset a table
		// might name; what the pack places lies within it.
		for at := 0; at < len(pm.records) && at < 64; at++ {
			doc, err := decodeDoc(pm.records[at:], time.UTC, map[string]string{})
			if err != nil || pm.place(doc) != nil {
				continue
			}
			if doc.textOff < 0 || doc.bodyOff < 0 || doc.textOff+doc.textSize() > int64(len(data)) || doc.bodyOff+int64(doc.bodyLen) > int64(len(data)) {
				t.Fatalf("a text at %d+%d or a body at %d+%d was accepted in a pack of %d bytes",
					doc.textOff, doc.textSize(), doc.bodyOff, doc.bodyLen, len(data))
			}
		}
	})
}

// TestPackWriterHoldsNoRecords: a pack's records and bodies wait on disk,
// not in memory, until the pack is finished (a million bulletins' records
// are some 500 MB, their bodies gigabytes); the pack reads back whole,
// and no temporary file is left.
func TestPackWriterHoldsNoRecords(t *testing.T) {
	dir := t.TempDir()
	pw, err := newPackWriter(dir, genName(1))
	if err != nil {
		t.Fatal(err)
	}
	bureau := &site.Term{Name: "青海省民政厅"}
	summary := strings.Repeat("民政", 500) // 3,000 bytes
	body := "<p>" + summary + "</p>"
	const n = 4000 // 12 MB of records, as many of bodies
	heap := func() uint64 {
		runtime.GC()
		var m runtime.MemStats
		runtime.ReadMemStats(&m)
		return m.HeapAlloc
	}
	before := heap()
	var lens int64
	for i := range n {
		b := &site.Bulletin{URL: fmt.Sprintf("/bulletins/b%d/", i), Title: "标题", Summary: summary, Bureau: bureau, Region: bureau}
		_, size, err := pw.add(b, &document{Text: "正文", Body: body})
		if err != nil {
			t.Fatal(err)
		}
		lens += size
	}
	if grown := int64(heap()) - int64(before); grown > 4<<20 {
		t.Errorf("the heap grew by %d bytes over %d records (%d bytes) and bodies: the writer holds them", grown, n, lens)
	}
	if _, err := pw.finish(); err != nil {
		t.Fatal(err)
	}
	f, err := os.Open(pw.path)
	if err != nil {
		t.Fatal(err)
	}
	defer f.Close()
	pm, err := readPackMeta(f)
	if err != nil || int64(len(pm.records)) != lens {
		t.Fatalf("the pack's records: %v; want %d bytes", err, lens)
	}
	if bodies := pm.recordsOff - pm.bodiesOff; bodies != n*int64(len(body)) {
		t.Errorf("the pack's bodies: %d bytes, want %d", bodies, n*len(body))
	}
	if left, _ := filepath.Glob(filepath.Join(dir, ".*")); len(left) > 0 {
		t.Errorf("left behind: %v", left)
	}
}
