package indexer

import (
	"context"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"
	"time"
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
				for _, compare := range []func(a, b found) int{byRelevance, byDate} {
					h := make([]found, n)
					for i := range h {
						// Ranks in a shuffled order, as bleve's documents are.
						h[i] = found{score: shape.score(i, n), rank: int32(i)}
					}
					rng.Shuffle(n, func(i, j int) { h[i].rank, h[j].rank = h[j].rank, h[i].rank })
					if shape.name != "random" {
						slices.SortFunc(h, byDate)
						for i := range h {
							h[i].score = shape.score(i, n)
						}
					}
					want := slices.Clone(h)
					slices.SortFunc(want, compare)
					orderFirst(h, k, compare)
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
		slices.SortFunc(want, set.order())
		if set.ordered != firstOrdered {
			t.Fatalf("ordered = %d, want %d", set.ordered, firstOrdered)
		}
		if got := set.top(10); !slices.Equal(got, want[:10]) {
			t.Errorf("byDate=%v: first page differs from a sort's", byDate)
		}
		if got := set.top(n + 5); !slices.Equal(got, want) {
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

// TestSingleCharacterByFields checks that a single character searched by
// its fields finds the bulletins bleve's scored query finds, with filters
// and dates too, each scored by the boosts of the fields holding it.
func TestSingleCharacterByFields(t *testing.T) {
	s := loadFixture(t)
	ix := openFixture(t, s)
	sn, err := ix.acquire()
	if err != nil {
		t.Fatal(err)
	}
	defer sn.release()
	var chars []string
	for _, b := range s.Bulletins {
		for _, r := range b.Title {
			if isHan(r) && !slices.Contains(chars, string(r)) && len(chars) < 60 {
				chars = append(chars, string(r))
			}
		}
	}
	b := s.Bulletins[len(s.Bulletins)/2]
	year := time.Date(b.Date.Year(), 1, 1, 0, 0, 0, 0, s.Config.Location)
	reqs := []Request{
		{},
		{Region: b.Region.Name},
		{Bureau: b.Bureau.Name},
		{From: year, To: year.AddDate(1, 0, -1)},
	}
	ctx := context.Background()
	checked := 0
	for _, c := range chars {
		w, ok := parseWord(c)
		if !ok || !w.exact() || len(w.prefixes) != 1 {
			t.Fatalf("%q is not a single character word", c)
		}
		for _, req := range reqs {
			req.Query = c
			byFields, err := sn.collectByFields(ctx, c, req.filters(), req)
			if err != nil {
				t.Fatal(err)
			}
			scored, err := sn.collect(ctx, and(strictQuery([]word{w}), req.filters()), nil, req, true)
			if err != nil {
				t.Fatal(err)
			}
			urls := func(hits []found) []string {
				var out []string
				for _, h := range hits {
					out = append(out, h.e.URL)
				}
				slices.Sort(out)
				return out
			}
			if got, want := urls(byFields), urls(scored); !slices.Equal(got, want) {
				t.Errorf("%q %+v: by fields found %v, bleve %v", c, req, got, want)
			}
			for _, h := range byFields {
				want := 0.0
				var inText bool
				if err := h.e.withText(func(_, folded string) { inText = strings.Contains(folded, c) }); err != nil {
					t.Fatal(err)
				}
				for i, in := range []bool{strings.Contains(h.e.title, c), strings.Contains(h.e.summary, c), strings.Contains(h.e.meta, c), inText} {
					if in {
						want += textFields[i].boost
					}
				}
				if h.score != want {
					t.Errorf("%q: %s scores %v, want %v from the fields holding it", c, h.e.URL, h.score, want)
				}
			}
			checked += len(byFields)
		}
	}
	if checked == 0 {
		t.Fatal("no character found anything")
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
	go func() { done <- set.top(len(hits)) }()
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
