package pager

import (
	"fmt"
	"slices"
	"strconv"
	"testing"

	// Registers -update, unused here, so that go test ./... -update
	// does not stop at this package with an unknown flag.
	_ "bulletin/internal/golden"
)

func TestNew(t *testing.T) {
	url := func(n int) string { return "/p/" + strconv.Itoa(n) }
	for _, tc := range []struct {
		cur, total int
		prev, next string
		bar        []int // page numbers, 0 for a gap
		current    int   // the bar's current page, 0 for none
	}{
		{1, 0, "", "", nil, 0},             // an empty listing
		{1, 1, "", "", nil, 0},             // one page: no bar
		{1, 2, "", "/p/2", []int{1, 2}, 1}, // first
		{2, 2, "/p/1", "", []int{1, 2}, 2}, // last
		{3, 5, "/p/2", "/p/4", []int{1, 2, 3, 4, 5}, 3},
		{1, 7, "", "/p/2", []int{1, 2, 3, 0, 7}, 1},
		{4, 7, "/p/3", "/p/5", []int{1, 2, 3, 4, 5, 6, 7}, 4}, // window touches both ends
		{5, 9, "/p/4", "/p/6", []int{1, 0, 3, 4, 5, 6, 7, 0, 9}, 5},
		{10, 20, "/p/9", "/p/11", []int{1, 0, 8, 9, 10, 11, 12, 0, 20}, 10},
		{20, 20, "/p/19", "", []int{1, 0, 18, 19, 20}, 20},
		// A search asked for a page past the end steps back to the last.
		{9, 3, "/p/3", "", []int{1, 0, 3}, 0},
		{5, 3, "/p/3", "", []int{1, 0, 3}, 0},
		{4, 3, "/p/3", "", []int{1, 2, 3}, 0},
	} {
		t.Run(fmt.Sprintf("%d of %d", tc.cur, tc.total), func(t *testing.T) {
			p := New(tc.cur, tc.total, url)
			if p.Number != tc.cur || p.Total != tc.total || p.PrevURL != tc.prev || p.NextURL != tc.next {
				t.Errorf("got %d of %d, prev %q next %q; want prev %q next %q", p.Number, p.Total, p.PrevURL, p.NextURL, tc.prev, tc.next)
			}
			var bar []int
			current := 0
			for _, l := range p.Pages {
				bar = append(bar, l.Number)
				if l.Number == 0 && l.URL != "" || l.Number != 0 && l.URL != url(l.Number) {
					t.Errorf("link %+v has the wrong URL", l)
				}
				if l.Current {
					if current != 0 {
						t.Errorf("pages %d and %d are both current", current, l.Number)
					}
					current = l.Number
				}
			}
			if !slices.Equal(bar, tc.bar) || current != tc.current {
				t.Errorf("bar %v with %d current, want %v with %d", bar, current, tc.bar, tc.current)
			}
			if got := slow(tc.cur, tc.total); !slices.Equal(bar, got) {
				t.Errorf("bar %v, but walking every page gives %v", bar, got)
			}
		})
	}
}

// slow is the bar as the pagers before this package made it, walking
// every page: New must show the same pages.
func slow(cur, total int) []int {
	if total <= 1 {
		return nil
	}
	var out []int
	last := 0
	for n := 1; n <= total; n++ {
		if n != 1 && n != total && (n < cur-2 || n > cur+2) {
			continue
		}
		if last != 0 && n > last+1 {
			out = append(out, 0)
		}
		out = append(out, n)
		last = n
	}
	return out
}

// TestNewLong: the bar of a long listing is as short as any other, and
// only the pages on it are given URLs.
func TestNewLong(t *testing.T) {
	calls := 0
	p := New(50000, 100000, func(n int) string { calls++; return strconv.Itoa(n) })
	if len(p.Pages) != 9 || calls != 2+7 {
		t.Errorf("page 50000 of 100000: %d links from %d calls of url, want 9 from 9", len(p.Pages), calls)
	}
	for cur := 1; cur <= 12; cur++ {
		for total := 0; total <= 12; total++ {
			var bar []int
			for _, l := range New(cur, total, strconv.Itoa).Pages {
				bar = append(bar, l.Number)
			}
			if want := slow(cur, total); !slices.Equal(bar, want) {
				t.Errorf("page %d of %d: bar %v, want %v", cur, total, bar, want)
			}
		}
	}
}
