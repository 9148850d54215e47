package suggest

import (
	"bytes"
	"fmt"
	"slices"
	"strings"
	"testing"
	"time"

	"bulletin/internal/wordbreak"
)

func identity(s string) string { return s }

// sample is a small site: titles and summaries that repeat their phrases,
// as a bureau's bulletins do.
func sample() []Bulletin {
	return []Bulletin{
		{Title: "青海省提高城乡最低生活保障标准", Summary: "最低生活保障标准提高，临时救助同步加强。", Tags: []string{"低保", "社会救助"},
			Category: "社会救助", Bureau: "青海省民政厅", Places: []string{"青海省"}, Rank: 5},
		{Title: "海东市开展临时救助专项行动", Summary: "临时救助覆盖困难群众，最低生活保障应保尽保。", Tags: []string{"临时救助"},
			Category: "社会救助", Bureau: "海东市民政局", Places: []string{"青海省", "海东市"}, Rank: 4},
		{Title: "西宁市养老服务中心投入使用", Summary: "养老服务中心为老年人提供助餐和日间照料。", Tags: []string{"养老服务"},
			Category: "养老服务", Bureau: "西宁市民政局", Places: []string{"青海省", "西宁市"}, Rank: 3},
		{Title: "互助县养老服务中心正式运营", Summary: "养老服务进社区，临时救助有保障，和日间照料相结合。", Tags: []string{"养老服务"},
			Category: "养老服务", Bureau: "互助县民政局", Places: []string{"海东市", "互助县"}, Rank: 2},
	}
}

func build(t testing.TB, bulletins []Bulletin) *Dictionary {
	t.Helper()
	b := NewBuilder(identity, wordbreak.New())
	for _, bl := range bulletins {
		b.Add(bl)
	}
	return b.Dictionary()
}

func keys(es []Entry) []string {
	var out []string
	for _, e := range es {
		out = append(out, e.Display)
	}
	return out
}

func TestDictionaryTerms(t *testing.T) {
	d := build(t, sample())
	for _, tc := range []struct {
		key  string
		kind Kind
		want int
	}{
		{"低保", KindTag, 1},
		{"社会救助", KindCategory, 2},
		{"青海省", KindPlace, 3},
		{"海东市民政局", KindBureau, 1},
		{"临时救助", KindTag, 1 + 3},      // a tag once, a phrase of three bulletins
		{"养老服务", KindCategory, 2 + 2}, // named in two bulletins, a phrase of two
		{"日间照料", KindPhrase, 2},       // 和日间照料: the word without 和
		{"最低生活保障", KindPhrase, 2},
		{"青海省提高城乡最低生活保障标准", KindTitle, 1},
	} {
		i, ok := slices.BinarySearchFunc(d.entries, tc.key, func(e Entry, k string) int { return strings.Compare(e.Key, k) })
		if !ok {
			t.Errorf("%s: not in the dictionary", tc.key)
			continue
		}
		if e := d.entries[i]; e.Kind != tc.kind || e.Weight != tc.want {
			t.Errorf("%s: kind %c weight %d, want %c %d", tc.key, e.Kind, e.Weight, tc.kind, tc.want)
		}
	}
	// Seen in one bulletin only: no phrase.
	for _, key := range []string{"专项行动", "和日间照料", "的"} {
		if d.has(key) {
			t.Errorf("%s: a phrase of one bulletin is in the dictionary", key)
		}
	}
}

func TestComplete(t *testing.T) {
	d := build(t, sample())
	for _, tc := range []struct {
		prefix string
		n      int
		want   []string
	}{
		{"养老", 8, []string{"养老服务", "养老服务中心"}},
		{"青海", 8, []string{"青海省", "青海省民政厅", "青海省提高城乡最低生活保障标准"}},
		{"青海", 1, []string{"青海省"}},
		{"临", 8, []string{"临时救助"}},
		{"海东", 8, []string{"海东市", "海东市民政局", "海东市开展临时救助专项行动"}},
		{"不在", 8, nil},
		{"", 8, nil},
	} {
		if got := keys(d.Complete(tc.prefix, tc.n)); !slices.Equal(got, tc.want) {
			t.Errorf("Complete(%q, %d) = %q, want %q", tc.prefix, tc.n, got, tc.want)
		}
	}
}

func TestCorrections(t *testing.T) {
	d := build(t, sample())
	for _, tc := range []struct {
		word, want string
		same       bool
	}{
		{"最低生活保樟", "最低生活保障", true}, // 樟 and 障: zhang
		{"养老服物", "养老服务", true},     // 物 and 务: wu
		{"临时求助", "临时救助", false},    // 求 for 救: one character off
		{"提高最低生活保樟标准", "提高最低生活保障标准", true},
		{"西宁市养老服务重心", "西宁市养老服务中心", true},
	} {
		got := d.Corrections(tc.word, 3)
		if len(got) == 0 || got[0].Text != tc.want || got[0].SamePinyin != tc.same {
			t.Errorf("Corrections(%q) = %+v, want first %q (same pinyin %v)", tc.word, got, tc.want, tc.same)
		}
	}
	for _, word := range []string{"", "保", "完全不相干的词语"} {
		if got := d.Corrections(word, 3); len(got) > 0 {
			t.Errorf("Corrections(%q) = %+v, want none", word, got)
		}
	}
}

// TestPrepare checks that Prepare makes the lookups of Corrections, so
// that a search does not, and that Corrections then answers as before,
// from several goroutines at once (run with -race).
func TestPrepare(t *testing.T) {
	d := build(t, sample())
	d.Prepare()
	if d.pinyin == nil || len(d.byPinyin) == 0 {
		t.Fatal("Prepare made no lookups")
	}
	want := build(t, sample()).Corrections("养老服物", 3)
	done := make(chan []Correction)
	for range 4 {
		go func() { done <- d.Corrections("养老服物", 3) }()
	}
	for range 4 {
		if got := <-done; !slices.Equal(got, want) {
			t.Errorf("after Prepare, Corrections = %+v, want %+v", got, want)
		}
	}
}

func TestFileRoundTrip(t *testing.T) {
	d := build(t, sample())
	var buf bytes.Buffer
	if _, err := d.WriteTo(&buf); err != nil {
		t.Fatal(err)
	}
	// The same input, the same bytes.
	var again bytes.Buffer
	build(t, sample()).WriteTo(&again)
	if !bytes.Equal(buf.Bytes(), again.Bytes()) {
		t.Errorf("two builds of one input differ")
	}
	r, err := Read(bytes.NewReader(buf.Bytes()), "suggest.txt")
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(r.entries, d.entries) {
		t.Errorf("read back %v, wrote %v", r.entries, d.entries)
	}
}

func TestReadDamaged(t *testing.T) {
	for _, tc := range []struct{ name, file, want string }{
		{"empty", "", "suggest.txt:0: "},
		{"other version", "bulletin suggest 0\n", "suggest.txt:1: "},
		{"short line", fileHeader + "\n低保\tg\n", "suggest.txt:2: "},
		{"bad kind", fileHeader + "\n低保\tx\t1\t\n", "suggest.txt:2: "},
		{"bad weight", fileHeader + "\n低保\tg\t-1\t\n", "suggest.txt:2: "},
		{"out of order", fileHeader + "\n低保\tg\t1\t\n临时\tw\t2\t\n", "suggest.txt:3: "},
		{"repeated", fileHeader + "\n低保\tg\t1\t\n低保\tg\t1\t\n", "suggest.txt:3: "},
		{"too long", fileHeader + "\n" + strings.Repeat("长", 2000) + "\tw\t1\t\n", "suggest.txt:2: "},
	} {
		_, err := Read(strings.NewReader(tc.file), "suggest.txt")
		if err == nil || !strings.HasPrefix(err.Error(), tc.want) {
			t.Errorf("%s: %v, want an error beginning %q", tc.name, err, tc.want)
		}
	}
}

// TestBounded: however many bulletins, the builder holds a bounded number
// of phrases and the dictionary a bounded number of terms.
func TestBounded(t *testing.T) {
	b := NewBuilder(identity, wordbreak.New())
	most := 0
	for i := range 60000 {
		// Distinct phrases, mostly seen once.
		b.Add(Bulletin{Title: fmt.Sprintf("第%d号%c%c%c%c", i, 0x4E00+rune(i%3000), 0x4E00+rune(i/3000), 0x5E00+rune(i%97), 0x6E00+rune(i%89)), Rank: int64(i)})
		most = max(most, len(b.phrases))
	}
	if most > maxHeld {
		t.Errorf("held %d phrases, limit %d", most, maxHeld)
	}
	d := b.Dictionary()
	if d.Len() > maxTitles+maxPhrases {
		t.Errorf("%d terms", d.Len())
	}
	// The newest titles are kept.
	if !d.has(fmt.Sprintf("第%d号%c%c%c%c", 59999, 0x4E00+rune(59999%3000), 0x4E00+rune(59999/3000), 0x5E00+rune(59999%97), 0x6E00+rune(59999%89))) {
		t.Errorf("the newest title was dropped")
	}
}

func FuzzRead(f *testing.F) {
	var buf bytes.Buffer
	build(f, sample()).WriteTo(&buf)
	f.Add(buf.Bytes(), "最低生活保樟")
	f.Add([]byte(fileHeader+"\n低保\tg\t1\t\n"), "低")
	f.Fuzz(func(t *testing.T, src []byte, q string) {
		d, err := Read(bytes.NewReader(src), "suggest.txt")
		if err != nil {
			return
		}
		if got := d.Complete(q, 8); len(got) > 8 {
			t.Fatalf("%d completions", len(got))
		}
		for _, c := range d.Corrections(q, 5) {
			if c.Text == q || !d.has(c.To) {
				t.Fatalf("correction %+v of %q", c, q)
			}
		}
		var out bytes.Buffer
		d.WriteTo(&out)
		if !bytes.Equal(out.Bytes(), src) && bytes.HasSuffix(src, []byte("\n")) && !bytes.Contains(src, []byte("\r")) {
			// What was read writes back the same, but for a display equal
			// to its key written out.
			if d2, err := Read(bytes.NewReader(out.Bytes()), "x"); err != nil || !slices.Equal(d2.entries, d.entries) {
				t.Fatalf("round trip: %v", err)
			}
		}
	})
}

// TestCorrectionsKeepKnownTerms: a stretch inside a term of the site is
// not mended, whatever its neighbours.
func TestCorrectionsKeepKnownTerms(t *testing.T) {
	d := build(t, sample())
	for _, word := range []string{"海东市", "青海省民政厅", "临时救助"} {
		if got := d.Corrections(word, 3); len(got) > 0 {
			t.Errorf("Corrections(%q) = %+v, want none: it is a term", word, got)
		}
	}
}

// BenchmarkCompleteFull completes prefixes on a dictionary as large as a
// Builder makes (its bounds reached, as on a site of 100,000 bulletins or
// more), where one character begins tens of thousands of terms.
func BenchmarkCompleteFull(b *testing.B) {
	var entries []Entry
	chars := []rune("民政低保养老服务救助社会儿童福利婚姻登记殡葬慈善地名志愿困难群众")
	for i := range maxTitles + maxPhrases + 5000 {
		r := []rune{chars[i%len(chars)], chars[(i/7)%len(chars)], chars[(i/49)%len(chars)], chars[(i/343)%len(chars)]}
		key := string(r) + fmt.Sprint(i)
		kind := KindPhrase
		if i%3 == 0 {
			kind = KindTitle
		}
		entries = append(entries, Entry{Key: key, Display: key, Kind: kind, Weight: i % 97})
	}
	slices.SortFunc(entries, func(x, y Entry) int { return strings.Compare(x.Key, y.Key) })
	d := newDictionary(entries)
	prefixes := []string{"民", "低保", "养老服务", "社会救助儿", "婚"}
	var took []time.Duration
	for b.Loop() {
		for _, p := range prefixes {
			start := time.Now()
			d.Complete(p, 8)
			took = append(took, time.Since(start))
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(d.Len()), "terms")
	b.ReportMetric(float64(took[len(took)/2].Nanoseconds())/1e6, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Nanoseconds())/1e6, "p99-ms")
}
