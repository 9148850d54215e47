// Package pager numbers the pages of a long list. The site's listings and
// the search results both use it, so that they page alike and a theme
// shows both with one partial.
package pager

// Pager is the position of a page among the pages of a list. Its URLs are
// site-relative (/tags/x/page/2/, /search?q=…&page=2): the theme puts
// them under base_url's path.
type Pager struct {
	Number, Total int
	PrevURL       string // "" on the first page
	NextURL       string // "" on the last page
	Pages         []Link // the page-number bar; nil for a single page
}

// Link is one entry of the page-number bar; a zero Number is a gap (…).
type Link struct {
	Number  int
	URL     string
	Current bool
}

// New is the pager of page cur (from 1) of total, where url(n) is the URL
// of page n. The bar shows the first page, the last and two on each side
// of cur, with gaps between. A cur past the last page, which a search's
// page=9 can ask for, steps back to the last page and marks none current.
func New(cur, total int, url func(n int) string) *Pager {
	p := &Pager{Number: cur, Total: total}
	if cur > 1 && total >= 1 {
		p.PrevURL = url(min(cur-1, total))
	}
	if cur < total {
		p.NextURL = url(cur + 1)
	}
	if total <= 1 {
		return p
	}
	// Only the pages shown are visited, so a listing of thousands of
	// pages costs no more per page than one of ten.
	last := 0
	add := func(n int) {
		if n <= last || n < 1 || n > total {
			return
		}
		if last != 0 && n > last+1 {
			p.Pages = append(p.Pages, Link{})
		}
		p.Pages = append(p.Pages, Link{Number: n, URL: url(n), Current: n == cur})
		last = n
	}
	add(1)
	for n := cur - 2; n <= cur+2; n++ {
		add(n)
	}
	add(total)
	return p
}
