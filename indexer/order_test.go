package indexer

import (
	"context"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"
	"unicode/utf8"

	"github.com/blevesearch/bleve/v2/search/query"

	"bulletin/internal/site"
)

// TestOrderFirst checks that the first k hits orderFirst puts in front are
// those a full sort puts there, in the same order, and that no hit is lost,
// for inputs a quicksort finds hard: sorted, reversed, all scores equal.
func TestOrderFirst(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	shapes := []struct {
		name  string
		score func(i, n int) float64
	}{
		{"random", func(i, n int) float64 { return float64(rng.IntN(50)) }},
		{"ascending", func(i, n int) float64 { return float64(i) }},
		{"descending", func(i, n int) float64 { return float64(n - i) }},
		{"equal", func(i, n int) float64 { return 1 }},
		{"organ pipe", func(i, n int) float64 { return float64(min(i, n-i)) }},
	}
	for _, shape := range shapes {
		for _, n := range []int{0, 1, 2, 3, 30, 100, 1000, 5000} {
			for _, k := range []int{0, 1, 7, n / 3, n / 2, n - 1, n} {
				if k < 0 || k > n {
					continue
				}
				for _, byDate := range []bool{false, true} {
					compare := orderOf(byDate)
					h := make([]found, n)
					for i := range h {
						// Ranks in a shuffled order, as bleve's documents are.
						h[i] = found{score: shape.score(i, n), rank: int32(i)}
					}
					rng.Shuffle(n, func(i, j int) { h[i].rank, h[j].rank = h[j].rank, h[i].rank })
					if shape.name != "random" {
						slices.SortFunc(h, byDateOrder)
						for i := range h {
							h[i].score = shape.score(i, n)
						}
					}
					want := slices.Clone(h)
					slices.SortFunc(want, compare)
					orderFirst(h, k, byDate)
					if !slices.Equal(h[:k], want[:k]) {
						t.Fatalf("%s n=%d k=%d: the first k differ from a sort's", shape.name, n, k)
					}
					slices.SortFunc(h, compare)
					if !slices.Equal(h, want) {
						t.Fatalf("%s n=%d k=%d: hits were lost or doubled", shape.name, n, k)
					}
				}
			}
		}
	}
}

// TestResultSetTop checks that pages past the first ordered hits come in
// the order of a full sort, and that tiers come before scores.
func TestResultSetTop(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	n := 3*firstOrdered + 17
	hits := make([]found, n)
	for i := range hits {
		hits[i] = found{score: float64(rng.IntN(100)), rank: int32(i), tier: uint8(rng.IntN(3))}
	}
	rng.Shuffle(n, func(i, j int) { hits[i], hits[j] = hits[j], hits[i] })
	for _, byDate := range []bool{false, true} {
		want := slices.Clone(hits)
		set := &resultSet{}
		set.arrange(slices.Clone(hits), byDate)
		slices.SortFunc(want, orderOf(byDate))
		if set.ordered != firstOrdered {
			t.Fatalf("ordered = %d, want %d", set.ordered, firstOrdered)
		}
		if got := set.first(10); !slices.Equal(got, want[:10]) {
			t.Errorf("byDate=%v: first page differs from a sort's", byDate)
		}
		if got := set.first(n + 5); !slices.Equal(got, want) {
			t.Errorf("byDate=%v: all hits differ from a sort's", byDate)
		}
		if !byDate {
			for i := 1; i < n; i++ {
				if want[i].tier < want[i-1].tier {
					t.Fatalf("tier %d after tier %d", want[i].tier, want[i-1].tier)
				}
			}
		}
	}
}

// TestCharSet checks that a text's set holds the set of every piece of
// it, so that containsShort never rules out a text that has the pattern,
// and that it rules out most that do not.
func TestCharSet(t *testing.T) {
	texts := []string{
		"西宁市民政局召开2026年第一季度最低生活保障工作推进会",
		"海东市 社会救助 covid-19 养老服务",
		"",
		"ａｂｃ全角 ΑΒΓ 𠀀𠀁 emoji 😀",
	}
	for _, text := range texts {
		var set charSet
		set.addAll(text)
		runes := []rune(text)
		for i := range runes {
			for j := i + 1; j <= len(runes) && j <= i+12; j++ {
				p := newPattern(string(runes[i:j]))
				if !set.holds(&p.chars) {
					t.Fatalf("set of %q does not hold %q", text, string(runes[i:j]))
				}
			}
		}
	}
	var set charSet
	set.addAll(texts[0])
	ruled := 0
	others := []string{"殡葬改革", "婚姻登记", "儿童福利", "志愿服务", "地名普查", "慈善组织", "防汛抗旱", "留守儿童"}
	for _, o := range others {
		p := newPattern(o)
		if !set.holds(&p.chars) {
			ruled++
		}
	}
	if ruled < len(others)-2 {
		t.Errorf("the set ruled out %d of %d words with none of its characters", ruled, len(others))
	}
}

// TestSetsMatchBleve checks that the bitmap search (matchAll) finds the
// bulletins bleve's query of the same words and filters finds, for single
// characters, words, pairs, phrases checked against the text, numbers and
// filters alone, and loosely (half of the terms); and that a hit of words of one or two Han characters
// scores what segmentMatch.score says, computed here from the texts.
func TestSetsMatchBleve(t *testing.T) {
	s := loadFixture(t)
	t.Run("fresh", func(t *testing.T) { checkSetsMatchBleve(t, s, openFixture(t, s)) })
	// Bulletins indexed again batch by batch: several segments, the first
	// with deleted documents, as after updates.
	t.Run("segments", func(t *testing.T) {
		dir := filepath.Join(t.TempDir(), "search")
		if _, err := Update(context.Background(), dir, s, nil); err != nil {
			t.Fatal(err)
		}
		name, use, err := holdCurrent(dir)
		if err != nil {
			t.Fatal(err)
		}
		use.Unlock()
		docs := prepare(s)
		n := len(docs)
		for _, again := range [][]int{{0, 3}, {5, 6, 11}, {1, n - 2}, {7, 8, 9}, {3, 12}} {
			idx, err := openBleve(filepath.Join(dir, name), false)
			if err != nil {
				t.Fatal(err)
			}
			b := idx.NewBatch()
			for _, i := range again {
				if err := b.Index(docs[i].id, *docs[i].doc); err != nil {
					t.Fatal(err)
				}
			}
			if err := errors.Join(idx.Batch(b), idx.Close()); err != nil {
				t.Fatal(err)
			}
		}
		ix, err := Open(dir)
		if err != nil {
			t.Fatal(err)
		}
		t.Cleanup(func() { ix.Close() })
		sn, err := ix.acquire()
		if err != nil {
			t.Fatal(err)
		}
		deleted := uint64(0)
		for _, v := range sn.segments {
			if v.deleted != nil {
				deleted += v.deleted.GetCardinality()
			}
		}
		segments := len(sn.segments)
		sn.release()
		if segments < 2 || deleted == 0 {
			t.Fatalf("%d segments, %d documents deleted: want several and some", segments, deleted)
		}
		checkSetsMatchBleve(t, s, ix)
	})
}

// scored lists hits as URL and score, in the order of their URLs.
func scored(sn *snapshot, hits []found) []string {
	var out []string
	for _, h := range hits {
		out = append(out, fmt.Sprintf("%s %.9g", sn.entries[h.rank].URL, h.score))
	}
	slices.Sort(out)
	return out
}

func checkSetsMatchBleve(t *testing.T, s *site.Site, ix *Index) {
	sn, err := ix.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer sn.release()
	if sn.segments == nil {
		t.Fatal("the index is not read as bitmaps")
	}
	var queries []string
	for _, b := range s.Bulletins {
		title := []rune(b.Title)
		for i, r := range title {
			if isHan(r) && len(queries) < 40 && !slices.Contains(queries, string(r)) {
				queries = append(queries, string(r))
			}
			if i+2 <= len(title) && isHanString(string(title[i:i+2])) && len(queries) < 70 {
				queries = append(queries, string(title[i:i+2]))
			}
		}
	}
	// Phrases (checked against the texts) from titles and summaries,
	// which the body need not repeat.
	for _, b := range s.Bulletins {
		for _, field := range []string{b.Title, b.Summary} {
			r := []rune(field)
			if len(r) >= 6 && isHanString(string(r[2:6])) && len(queries) < 100 {
				queries = append(queries, string(r[2:6]))
			}
		}
	}
	queries = append(queries, "低保 养老", "婚 登记", "民政 2024年", "最低生活保障", "困难群众的基本生活",
		"2024年", "3800万元", "app", "跨省通办 婚姻登记", "海东市 低保", "量子计算", "")
	b := s.Bulletins[len(s.Bulletins)/2]
	year := time.Date(b.Date.Year(), 1, 1, 0, 0, 0, 0, s.Config.Location)
	reqs := []Request{
		{},
		{Region: b.Region.Name},
		{Region: strings.SplitAfter(b.Region.Name, "省")[0]},
		{Bureau: b.Bureau.Name},
		{From: year, To: year.AddDate(1, 0, -1)},
	}
	if b.Category != nil {
		reqs = append(reqs, Request{Category: b.Category.Name})
	}
	if len(b.Tags) > 0 {
		reqs = append(reqs, Request{Tag: b.Tags[0].Name})
	}
	// The fields of each bulletin as the index holds them, folded.
	type fields [len(textFields)]string
	var all []fields
	for _, e := range sn.entries {
		var f fields
		if err := e.withText(func(_, folded string) { f = fields{e.title, e.summary, e.meta, folded} }); err != nil {
			t.Fatal(err)
		}
		all = append(all, f)
	}
	// idf is a term's weight in field k: 1 + ln(N/(df+1)).
	idf := func(k int, term string) float64 {
		df := 0
		for _, f := range all {
			if strings.Contains(f[k], term) {
				df++
			}
		}
		return 1 + math.Log(float64(len(all))/float64(df+1))
	}
	// norm is 1/√(the terms of a field), as the index stores it.
	norm := func(text string) float64 {
		return float64(float32(1 / math.Sqrt(float64(len(analyzer{}.Analyze([]byte(text)))))))
	}
	ctx := context.Background()
	checked := 0
	for _, q := range queries {
		words := parseQuery(q)
		var check []pattern
		exact := true
		for _, w := range words {
			if !w.exact() {
				check = append(check, w.pattern)
			}
			// Han words only: a Latin word's term is the whole word,
			// which a substring of the text does not tell.
			exact = exact && w.exact() && isHanString(w.text) && utf8.RuneCountInString(w.text) <= 2
		}
		for _, req := range reqs {
			req.Query = q
			if len(words) == 0 && !req.Filtered() {
				continue
			}
			sets, err := sn.collectSets(ctx, words, len(words), check, req, true)
			if err != nil {
				t.Fatal(err)
			}
			// Cut in parts of a few documents, as a large index's hits
			// are: the same hits, the same scores.
			sn.split.workers, sn.split.least = 3, 2
			cut, err := sn.collectSets(ctx, words, len(words), check, req, true)
			sn.split.workers = 0
			if err != nil {
				t.Fatal(err)
			}
			if got, want := scored(sn, cut), scored(sn, sets); !slices.Equal(got, want) {
				t.Errorf("%q %+v: cut in parts, found %v, whole %v", q, req, got, want)
			}
			var bq query.Query = query.NewMatchAllQuery()
			if len(words) > 0 {
				bq = strictQuery(words)
			}
			bleve, err := sn.collect(ctx, and(bq, req.filters()), check, req, true)
			if err != nil {
				t.Fatal(err)
			}
			urls := func(hits []found) []string {
				var out []string
				for _, h := range hits {
					out = append(out, sn.entries[h.rank].URL)
				}
				slices.Sort(out)
				return out
			}
			if got, want := urls(sets), urls(bleve); !slices.Equal(got, want) {
				t.Errorf("%q %+v: bitmaps found %v, bleve %v", q, req, got, want)
			}
			checked += len(sets)
			// The fallback: at least half of the words' terms.
			if parts := looseParts(words); len(parts) > 1 {
				looseSets, err := sn.collectSets(ctx, parts, (len(parts)+1)/2, nil, req, true)
				if err != nil {
					t.Fatal(err)
				}
				lq, _ := looseQuery(words)
				looseBleve, err := sn.collect(ctx, and(lq, req.filters()), nil, req, true)
				if err != nil {
					t.Fatal(err)
				}
				if got, want := urls(looseSets), urls(looseBleve); !slices.Equal(got, want) {
					t.Errorf("%q %+v loosely: bitmaps found %v, bleve %v", q, req, got, want)
				}
				checked += len(looseSets)
			}
			if !exact || len(words) == 0 {
				continue
			}
			for _, h := range sets {
				f := all[h.rank]
				want := 0.0
				for _, w := range words {
					for k, text := range f {
						if !strings.Contains(text, w.text) {
							continue
						}
						switch utf8.RuneCountInString(w.text) {
						case 1: // the field's boost alone
							want += textFields[k].boost
						case 2: // one term, the word
							tf := float64(strings.Count(text, w.text))
							weight := idf(k, w.text)
							want += textFields[k].boost * weight * weight * math.Sqrt(tf) * norm(text)
						}
					}
				}
				if math.Abs(h.score-want) > 1e-6*want {
					t.Errorf("%q: %s scores %v, want %v from the fields holding its words", q, sn.entries[h.rank].URL, h.score, want)
				}
			}
		}
	}
	if checked == 0 {
		t.Fatal("no query found anything")
	}
}

// TestResultSetTopWhileRead pages deep into a set while another search
// reads its hits, as widen does with a cached set: the hits must not move
// under it (run with -race, as .ci/run does).
func TestResultSetTopWhileRead(t *testing.T) {
	hits := make([]found, 4*firstOrdered)
	for i := range hits {
		hits[i] = found{score: float64(i % 7), rank: int32(len(hits) - i)}
	}
	set := &resultSet{}
	set.arrange(hits, false)
	before := slices.Clone(set.hits)
	done := make(chan []found)
	go func() { done <- set.first(len(hits)) }()
	for range 100 {
		if !slices.Equal(set.hits, before) {
			t.Fatal("the hits moved while a deep page was sorted")
		}
	}
	all := <-done
	if !slices.IsSortedFunc(all, byRelevance) || len(all) != len(hits) {
		t.Error("a deep page's hits are not all the hits in order")
	}
}

// BenchmarkOrderFirst puts the first page's worth of 100,000 hits, as a
// common word finds at 100,000 bulletins, in order.
func BenchmarkOrderFirst(b *testing.B) {
	rng := rand.New(rand.NewPCG(7, 8))
	hits := make([]found, 100_000)
	for i := range hits {
		hits[i] = found{score: rng.Float64() * 10, rank: int32(i)}
	}
	rng.Shuffle(len(hits), func(i, j int) { hits[i].rank, hits[j].rank = hits[j].rank, hits[i].rank })
	h := make([]found, len(hits))
	for b.Loop() {
		copy(h, hits)
		orderFirst(h, firstOrdered, false)
	}
}
