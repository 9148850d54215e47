package indexer

import (
	"context"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"testing"
	"time"
	"unicode/utf8"

	"bulletin/internal/site"
)

// The large benchmarks read a generated corpus (see
// /work/shared/bench/gencorpus, or any site folder) named by
// BULLETIN_CORPUS, default /tmp/c10k; they are skipped without it:
//
//	go run ./gencorpus -n 10000 -seed 1 -bad 0 -out /tmp/c10k
//	go test ./indexer -run '^$' -bench . -benchtime 1x
//
// BULLETIN_BENCH_INDEX keeps the searches' index in a folder between runs
// (see openBenchIndex).
func loadCorpus(b *testing.B) *site.Site {
	b.Helper()
	dir := os.Getenv("BULLETIN_CORPUS")
	if dir == "" {
		dir = "/tmp/c10k"
	}
	if _, err := os.Stat(filepath.Join(dir, "site.yaml")); err != nil {
		b.Skipf("no corpus at %s (set BULLETIN_CORPUS)", dir)
	}
	s, err := site.Load(context.Background(), os.DirFS(dir), site.Options{})
	if err != nil {
		b.Fatal(err)
	}
	return s
}

// openBenchIndex opens the index of s for searching: the folder named by
// BULLETIN_BENCH_INDEX, made or brought up to date there first (nothing
// to do the second time, so runs on 100,000 bulletins need not index them
// again), or a fresh one.
func openBenchIndex(b *testing.B, s *site.Site) *Index {
	b.Helper()
	dir := os.Getenv("BULLETIN_BENCH_INDEX")
	if dir == "" {
		return openFixture(b, s)
	}
	if _, err := Update(context.Background(), dir, s, nil); err != nil {
		b.Fatal(err)
	}
	ix, err := Open(dir)
	if err != nil {
		b.Fatal(err)
	}
	b.Cleanup(func() { ix.Close() })
	return ix
}

// BenchmarkUpdate measures building the index of the corpus from scratch,
// and updating it when one bulletin changed.
func BenchmarkUpdate(b *testing.B) {
	s := loadCorpus(b)
	ctx := context.Background()
	b.Run("full", func(b *testing.B) {
		for b.Loop() {
			dir := filepath.Join(b.TempDir(), "search")
			if _, err := Update(ctx, dir, s, nil); err != nil {
				b.Fatal(err)
			}
		}
		b.ReportMetric(float64(len(s.Bulletins)), "bulletins")
	})
	b.Run("one-changed", func(b *testing.B) {
		dir := filepath.Join(b.TempDir(), "search")
		if _, err := Update(ctx, dir, s, nil); err != nil {
			b.Fatal(err)
		}
		orig := *s.Bulletins[0]
		i := 0
		for b.Loop() {
			// A bulletin copied, so the loaded site stays as it was.
			changed := orig
			changed.Text += "\n补充说明" + string(rune('一'+i%9))
			changed.Hash = orig.Hash + "x"
			i++
			s2 := *s
			s2.Bulletins = slices.Clone(s.Bulletins)
			s2.Bulletins[0] = &changed
			st, err := Update(ctx, dir, &s2, nil)
			if err != nil {
				b.Fatal(err)
			}
			if st.Changed != 1 || st.Rebuilt {
				b.Fatalf("update: %+v, want one changed", st)
			}
		}
	})
}

// BenchmarkOpen measures what bulletin serve does before its first
// search: opening the index and preparing the site's texts.
func BenchmarkOpen(b *testing.B) {
	s := loadCorpus(b)
	dir := filepath.Join(b.TempDir(), "search")
	if _, err := Update(context.Background(), dir, s, nil); err != nil {
		b.Fatal(err)
	}
	for b.Loop() {
		ix, err := Open(dir)
		if err != nil {
			b.Fatal(err)
		}
		ix.Close()
	}
}

// BenchmarkSearch measures searches by kind of query, reporting the median
// and the 99th percentile over a set of queries taken from the corpus.
func BenchmarkSearch(b *testing.B) {
	s := loadCorpus(b)
	ix := openBenchIndex(b, s)
	rng := rand.New(rand.NewPCG(1, 2))

	// Phrases: 4 to 10 Han characters cut from random bulletins, so each
	// is found at least once.
	var phrases []string
	for len(phrases) < 200 {
		text := []rune(s.Bulletins[rng.IntN(len(s.Bulletins))].Text)
		n := 4 + rng.IntN(7)
		if len(text) <= n {
			continue
		}
		at := rng.IntN(len(text) - n)
		p := string(text[at : at+n])
		if isHanString(p) {
			phrases = append(phrases, p)
		}
	}
	words := []string{"低保", "养老服务", "殡葬", "儿童福利", "社会组织", "婚姻登记", "慈善", "地名", "志愿服务", "救助",
		"困难群众", "社区", "西宁市", "海东市", "应急", "补贴", "留守儿童", "特困人员", "公益性公墓", "信息化"}
	var bureaus, years []string
	for _, t := range s.Bureaus.Terms[:min(20, len(s.Bureaus.Terms))] {
		bureaus = append(bureaus, t.Name)
	}
	for _, t := range s.Months.Terms {
		years = append(years, t.Name[:4])
	}

	cases := []struct {
		name string
		reqs []Request
	}{
		{"word", requests(words, func(q string, i int) Request { return Request{Query: q} })},
		{"phrase", requests(phrases, func(q string, i int) Request { return Request{Query: q} })},
		{"two-words", requests(words, func(q string, i int) Request { return Request{Query: q + " " + words[(i+7)%len(words)]} })},
		{"filtered", requests(words, func(q string, i int) Request {
			r := Request{Query: q, Bureau: bureaus[i%len(bureaus)]}
			if i%2 == 0 {
				r = Request{Query: q, Region: s.Bureaus.Terms[i%len(s.Bureaus.Terms)].Bulletins[0].Region.Name}
			}
			y, _, _ := yearRange(years[i%len(years)], s.Config.Location)
			r.From, r.To = y, y.AddDate(1, 0, -1)
			return r
		})},
		{"by-date-page-3", requests(words, func(q string, i int) Request { return Request{Query: q, Sort: SortDate, Page: 3} })},
		{"single-char", requests([]string{"婚", "养", "救", "儿", "的", "民", "葬", "网", "站", "水"}, func(q string, i int) Request { return Request{Query: q} })},
		// Words with synonyms (widened), and slips (mended).
		{"synonym", requests([]string{"低保", "最低生活保障", "特困供养", "五保", "两项补贴", "居委会", "高龄补贴", "低保边缘家庭", "事实孤儿", "城乡低保"},
			func(q string, i int) Request { return Request{Query: q} })},
		{"slip", requests([]string{"最低生活保樟", "养老服物", "临时求助", "婚姻登纪", "殡葬改格", "儿童福力", "社会主织", "志愿服雾", "困难群重", "留守儿通"},
			func(q string, i int) Request { return Request{Query: q} })},
		{"sentence", requests([]string{
			"困难群众冬天取暖有没有补助", "怎样申请城乡最低生活保障", "养老机构消防安全检查发现了哪些问题",
			"殡葬服务收费标准是多少", "留守儿童关爱保护怎么做",
		}, func(q string, i int) Request { return Request{Query: q} })},
	}
	// The whole mix, every kind above once: what a reader meets.
	var all []Request
	for _, c := range cases {
		all = append(all, c.reqs...)
	}
	cases = append(cases, struct {
		name string
		reqs []Request
	}{"all", all})
	ctx := context.Background()
	for _, c := range cases {
		b.Run(c.name, func(b *testing.B) {
			var took []time.Duration
			total := 0
			for b.Loop() {
				for _, r := range c.reqs {
					if r.Page == 0 {
						r.Page = 1
					}
					start := time.Now()
					res, err := ix.Search(ctx, r, 10)
					if err != nil {
						b.Fatal(err)
					}
					took = append(took, time.Since(start))
					total += res.Total
				}
			}
			slices.Sort(took)
			b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
			b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
			b.ReportMetric(float64(total)/float64(len(took)), "hits/query")
			b.ReportMetric(0, "ns/op")
		})
	}
}

// BenchmarkSuggest measures completions (/api/suggest) of one- and
// two-character prefixes and longer ones, reporting the median and the
// 99th percentile.
func BenchmarkSuggest(b *testing.B) {
	s := loadCorpus(b)
	ix := openBenchIndex(b, s)
	var prefixes []string
	for _, w := range []string{"低保", "养老服务", "殡葬", "儿童福利", "社会组织", "婚姻登记", "慈善", "地名", "志愿服务", "救助",
		"困难群众", "社区", "西宁市", "海东市", "应急", "补贴", "留守儿童", "特困人员", "公益性公墓", "信息化"} {
		r := []rune(w)
		for n := 1; n <= len(r); n++ {
			prefixes = append(prefixes, string(r[:n]))
		}
	}
	var took []time.Duration
	found := 0
	for b.Loop() {
		for _, p := range prefixes {
			start := time.Now()
			found += len(ix.Suggest(p, 8))
			took = append(took, time.Since(start))
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[len(took)*99/100].Microseconds())/1000, "p99-ms")
	b.ReportMetric(float64(found)/float64(len(took)), "suggestions/prefix")
	b.ReportMetric(0, "ns/op")
}

func requests(qs []string, f func(q string, i int) Request) []Request {
	out := make([]Request, len(qs))
	for i, q := range qs {
		out[i] = f(q, i)
	}
	return out
}

func isHanString(s string) bool {
	for _, r := range s {
		if !isHan(r) {
			return false
		}
	}
	return utf8.RuneCountInString(s) > 0
}

// BenchmarkLiveUpdate measures what bulletin serve does when a bulletin
// is saved: updating the open index with a new load of the site in which
// one bulletin changed. Each load has bulletins of its own, as serve's
// have (two loads, taken in turn).
func BenchmarkLiveUpdate(b *testing.B) {
	loads := []*site.Site{loadCorpus(b), loadCorpus(b)}
	ctx := context.Background()
	ix, _, err := OpenLive(ctx, filepath.Join(b.TempDir(), "search"), loads[0], nil)
	if err != nil {
		b.Fatal(err)
	}
	defer ix.Close()
	var took []time.Duration
	i := 0
	for b.Loop() {
		s := *loads[i%2]
		s.Bulletins = slices.Clone(s.Bulletins)
		changed := *s.Bulletins[0]
		changed.Text += "\n补充说明" + strconv.Itoa(i)
		changed.Hash += strconv.Itoa(i)
		s.Bulletins[0] = &changed
		i++
		start := time.Now()
		st, err := ix.Update(ctx, &s)
		took = append(took, time.Since(start))
		if err != nil {
			b.Fatal(err)
		}
		if st.Changed != 1 || st.Docs != len(s.Bulletins) {
			b.Fatalf("update: %+v, want one changed", st)
		}
	}
	slices.Sort(took)
	b.ReportMetric(float64(took[len(took)/2].Microseconds())/1000, "p50-ms")
	b.ReportMetric(float64(took[0].Microseconds())/1000, "min-ms")
	b.ReportMetric(float64(took[len(took)-1].Microseconds())/1000, "max-ms")
}
