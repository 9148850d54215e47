package digest

import (
	"bufio"
	"bytes"
	"context"
	"fmt"
	"io"
	"net/http"
	"net/http/httptest"
	"os"
	"os/exec"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"unicode/utf8"

	"bulletin/internal/sitetest"
)

// TestPrint prints a fixture issue with headless Chromium, as -pdf does,
// and checks the PDF: A4 pages, the masthead and issue line, one
// attribution line per item, page numbers, 28 characters to a line, and a
// red masthead above a red rule across the text block. A PNG golden file
// would depend on the fonts installed, so the masthead is checked by its
// colour and position instead.
func TestPrint(t *testing.T) {
	chromium := needPrint(t, "pdfinfo", "pdftotext", "pdftoppm")
	t.Parallel()
	sitetest.TakeTurn(t)
	dir := copySite(t)
	// A paragraph of Chinese only, to count the characters of a line.
	long := strings.Repeat("全省各级民政部门认真落实救助政策", 4)
	os.WriteFile(filepath.Join(dir, "content", "qinghai", "long.md"), []byte("---\ntitle: 长段落\ndate: 2024-01-26\nbureau: 青海省民政厅\n---\n\n"+long+"\n"), 0o644)
	// A headline of two clauses, too long for a line in the contents and
	// as a title: both break at the space between the clauses.
	const clause1, clause2 = "西宁市老年助餐点覆盖城市社区", "“小饭桌”托起幸福“大民生”"
	os.WriteFile(filepath.Join(dir, "content", "qinghai", "clauses.md"), []byte("---\ntitle: "+clause1+" "+clause2+"\ndate: 2024-01-27\nbureau: 青海省民政厅\n---\n\n正文。\n"), 0o644)
	// A headline with no pause, too long for a line: it breaks between
	// two of its words, never inside one (迅速行/动).
	unpaused := []string{"全省", "民政系统", "迅速", "行动", "做好", "困难群众", "冬季", "保暖", "工作", "情况"}
	os.WriteFile(filepath.Join(dir, "content", "qinghai", "unpaused.md"), []byte("---\ntitle: "+strings.Join(unpaused, "")+"\ndate: 2024-01-28\nbureau: 青海省民政厅\n---\n\n正文。\n"), 0o644)
	opt := options(dir, january(), "2024-01-31")
	opt.PDF = func(ctx context.Context, html, pdf string) error { return PrintPDF(ctx, chromium, html, pdf) }
	res, err := Run(context.Background(), loadSite(t, dir), opt)
	if err != nil {
		t.Fatal(err)
	}
	pdf := res.Files[len(res.Files)-1]
	if filepath.Ext(pdf) != ".pdf" {
		t.Fatalf("wrote %v, want a PDF last", res.Files)
	}

	sitetest.CheckRealFonts(t, pdf)
	info := run(t, "pdfinfo", pdf)
	pages := 0
	fmt.Sscanf(regexp.MustCompile(`Pages:\s+(\d+)`).FindString(info), "Pages: %d", &pages)
	if pages < 2 || !regexp.MustCompile(`Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)`).MatchString(info) {
		t.Errorf("pdfinfo says\n%s\nwant A4 pages, at least 2", info)
	}

	text := run(t, "pdftotext", "-layout", pdf, "-")
	// Letter-spaced text comes out with spaces between characters.
	flat := strings.Join(strings.Fields(text), "")
	for _, tc := range []struct {
		want string
		n    int
	}{
		{"民政工作简报", 1}, {"2024年第1期（总第1期）", 1}, {"青海省民政厅办公室2024年1月31日", 1}, {"内部资料注意保存", 1},
		{"（据青海省民政厅）", 5}, {"（青海省民政厅供稿）", 1}, {"（据西宁市民政局）", 1}, {"（据甘肃省民政厅）", 1},
		{"报：民政部办公厅。", 1}, {"（共印120份）", 1},
		{"—1—", 1}, {fmt.Sprintf("—%d—", pages), 1},
	} {
		if got := strings.Count(flat, tc.want); got != tc.n {
			t.Errorf("the PDF's text has %q %d times, want %d", tc.want, got, tc.n)
		}
	}
	if fonts := run(t, "fc-list", ":lang=zh", "family"); strings.TrimSpace(fonts) != "" {
		var lines []int
		for _, l := range strings.Split(text, "\n") {
			if l = strings.TrimSpace(l); l != "" && strings.Contains(long, l) {
				lines = append(lines, utf8.RuneCountInString(l))
			}
		}
		// 64 characters: 26 after the two-character indent, 28, 10.
		if fmt.Sprint(lines) != "[26 28 10]" {
			t.Errorf("the long paragraph's lines have %v characters, want [26 28 10]", lines)
		}
	}

	checkClosingAtFoot(t, pdf, pages)
	checkBreaksBetweenWords(t, text, unpaused)

	var firsts, seconds int
	for _, l := range strings.Split(text, "\n") {
		switch strings.TrimPrefix(strings.TrimSpace(l), "◎ ") {
		case clause1:
			firsts++
		case clause2:
			seconds++
		}
	}
	if firsts != 2 || seconds != 2 {
		t.Errorf("the two-clause headline breaks elsewhere than between its clauses: lines of each clause alone %d and %d, want 2 and 2 (contents and title):\n%s", firsts, seconds, text)
	}

	w, h, px := firstPage(t, pdf)
	red := func(x, y int) bool {
		i := 3 * (y*w + x)
		return px[i] > 180 && px[i+1] < 90 && px[i+2] < 90
	}
	top, bottom, left, right, widest := h, -1, w, -1, 0
	for y := range h {
		run := 0
		for x := range w {
			if red(x, y) {
				top, bottom, left, right = min(top, y), max(bottom, y), min(left, x), max(right, x)
				run++
			}
		}
		widest = max(widest, run)
	}
	switch {
	case bottom < 0:
		t.Errorf("no red on the first page; the masthead must be printed red")
	case float64(bottom) > 0.45*float64(h):
		t.Errorf("red reaches %d%% down the first page; only the masthead is red", 100*bottom/h)
	case float64(widest) < 0.70*float64(w):
		t.Errorf("the widest red row is %d%% of the page; the red rule spans the 156 mm text block (74%%)", 100*widest/w)
	}
	// The text block runs from 28 mm to 184 mm of the 210 mm page.
	if l, r := float64(left)/float64(w)*210, float64(right)/float64(w)*210; bottom >= 0 && (l < 26 || l > 30 || r < 182 || r > 186) {
		t.Errorf("the red rule runs from %.0f mm to %.0f mm, want 28 mm to 184 mm", l, r)
	}
}

// checkBreaksBetweenWords checks that the headline made of words breaks
// between two of them, in the contents and as a title.
func checkBreaksBetweenWords(t *testing.T, text string, words []string) {
	t.Helper()
	title := strings.Join(words, "")
	boundaries := map[string]bool{}
	for i := 1; i < len(words); i++ {
		boundaries[strings.Join(words[:i], "")] = true
	}
	breaks := 0
	for _, l := range strings.Split(text, "\n") {
		l = strings.TrimPrefix(strings.TrimSpace(l), "◎ ")
		if l == "" || l == title || !strings.HasPrefix(title, l) {
			continue
		}
		breaks++
		if !boundaries[l] {
			t.Errorf("the headline %s breaks inside a word: its first line is %s", title, l)
		}
	}
	if breaks < 2 {
		t.Errorf("the headline %s broke %d times, want in the contents and as a title:\n%s", title, breaks, text)
	}
}

// checkClosingAtFoot checks that the closing block (报、送、发 and 印数)
// is on the last page, below the end of the last item, and ends at the
// foot of the text block, as GB/T 9704 sets it: 35 mm above the page's
// lower edge.
func checkClosingAtFoot(t *testing.T, pdf string, pages int) {
	t.Helper()
	last := strconv.Itoa(pages)
	words := regexp.MustCompile(`<word xMin="[\d.]+" yMin="([\d.]+)" xMax="[\d.]+" yMax="([\d.]+)">([^<]*)</word>`).
		FindAllStringSubmatch(run(t, "pdftotext", "-bbox", "-f", last, "-l", last, pdf, "-"), -1)
	closingTop, closingBottom, itemBottom := 1e9, 0.0, 0.0
	for _, w := range words {
		top, _ := strconv.ParseFloat(w[1], 64)
		bottom, _ := strconv.ParseFloat(w[2], 64)
		switch text := w[3]; {
		case strings.HasPrefix(text, "报：") || strings.HasPrefix(text, "送：") || strings.HasPrefix(text, "发：") || strings.HasPrefix(text, "（共印"):
			closingTop, closingBottom = min(closingTop, top), max(closingBottom, bottom)
		case text == "—" || text == last:
			// the page number, below the text block
		default:
			itemBottom = max(itemBottom, bottom)
		}
	}
	const footOfText = 841.89 - 35/25.4*72 // points from the top of A4
	switch {
	case closingBottom == 0:
		t.Errorf("the closing block is not on the last page (%s)", last)
	case closingTop < itemBottom:
		t.Errorf("the closing block starts at %.0f pt, above the end of the last item at %.0f pt", closingTop, itemBottom)
	case closingBottom < footOfText-20 || closingBottom > footOfText:
		t.Errorf("the closing block ends %.0f pt from the top of the last page, want it at the foot of the text block (%.0f pt)", closingBottom, footOfText)
	}
}

// needPrint skips the test where Chromium or one of the poppler-utils
// tools is missing, and returns the Chromium to print with.
func needPrint(t *testing.T, poppler ...string) string {
	t.Helper()
	chromium := Chromium()
	if chromium == "" {
		t.Skip("chromium not installed: apt-get install -y chromium")
	}
	for _, tool := range poppler {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("poppler-utils not installed: apt-get install -y poppler-utils")
		}
	}
	return chromium
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}

// firstPage renders the PDF's first page at 40 dpi and returns its RGB
// pixels.
func firstPage(t *testing.T, pdf string) (w, h int, px []byte) {
	t.Helper()
	out, err := exec.Command("pdftoppm", "-r", "40", "-f", "1", "-l", "1", pdf).Output()
	if err != nil {
		t.Fatalf("pdftoppm: %v", err)
	}
	r := bufio.NewReader(bytes.NewReader(out))
	var magic string
	var maxVal int
	if _, err := fmt.Fscan(r, &magic, &w, &h, &maxVal); err != nil || magic != "P6" || maxVal != 255 {
		t.Fatalf("pdftoppm wrote no 8-bit PPM: %v", err)
	}
	r.ReadByte() // the single whitespace after the header
	px = make([]byte, 3*w*h)
	if _, err := io.ReadFull(r, px); err != nil {
		t.Fatalf("reading the PPM: %v", err)
	}
	return w, h, px
}

// TestPrintPageBreaks prints an issue with -page-break item: each item
// begins a page, its title the page's first line, where by default they
// flow on.
func TestPrintPageBreaks(t *testing.T) {
	chromium := needPrint(t, "pdftotext")
	t.Parallel()
	sitetest.TakeTurn(t)
	dir := copySite(t)
	atTop, pages := map[string]int{}, map[string]int{}
	items := 0
	for _, mode := range []string{PageBreakItem, PageBreakNone} {
		opt := options(dir, january(), "2024-01-31")
		opt.PageBreak, opt.Out = mode, t.TempDir()
		opt.PDF = func(ctx context.Context, html, pdf string) error { return PrintPDF(ctx, chromium, html, pdf) }
		res, err := Run(context.Background(), loadSite(t, dir), opt)
		if err != nil {
			t.Fatal(err)
		}
		items = len(res.Issue.Items)
		pdf := res.Files[len(res.Files)-1]
		n := 0
		fmt.Sscanf(regexp.MustCompile(`Pages:\s+(\d+)`).FindString(run(t, "pdfinfo", pdf)), "Pages: %d", &n)
		pages[mode] = n
		checkClosingAtFoot(t, pdf, n)
		for p := 2; p <= n; p++ {
			first := strings.TrimSpace(strings.SplitN(strings.TrimLeft(run(t, "pdftotext", "-f", fmt.Sprint(p), "-l", fmt.Sprint(p), pdf, "-"), "\n "), "\n", 2)[0])
			for _, it := range res.Issue.Items {
				if first != "" && strings.HasPrefix(strings.ReplaceAll(it.Title, " ", ""), strings.ReplaceAll(first, " ", "")) {
					atTop[mode]++
				}
			}
		}
	}
	if atTop[PageBreakItem] != items {
		t.Errorf("-page-break item: %d of %d items begin a page (%d pages)", atTop[PageBreakItem], items, pages[PageBreakItem])
	}
	if atTop[PageBreakNone] == items || pages[PageBreakNone] >= pages[PageBreakItem] {
		t.Errorf("-page-break none: %d of %d items begin a page, on %d pages against %d; want them to flow on", atTop[PageBreakNone], items, pages[PageBreakNone], pages[PageBreakItem])
	}
	if _, err := Run(context.Background(), loadSite(t, dir), Options{Dir: dir, PageBreak: "section"}); err == nil || !strings.Contains(err.Error(), "use item, group or none") {
		t.Errorf("-page-break section: %v", err)
	}
}

// TestPrintFetchesNothing prints an issue with a bulletin whose image is
// on another server, and checks that the server hears nothing: the issue
// leaves the image out, with a note and a warning naming the bulletin's
// line, and the browser would not fetch it anyway.
func TestPrintFetchesNothing(t *testing.T) {
	chromium := needPrint(t)
	t.Parallel()
	sitetest.TakeTurn(t)
	var requests atomic.Int32
	srv := httptest.NewServer(http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		requests.Add(1)
		w.Header().Set("Content-Type", "image/png")
	}))
	defer srv.Close()
	localhost := strings.Replace(srv.URL, "127.0.0.1", "localhost", 1)

	t.Run("the browser reaches no server", func(t *testing.T) {
		dir := t.TempDir()
		page := filepath.Join(dir, "page.html")
		os.WriteFile(page, []byte(`<!doctype html><meta charset="utf-8"><p>图片：<img src="`+srv.URL+`/by-address.png"><img src="`+localhost+`/by-name.png">`), 0o644)
		if err := PrintPDF(context.Background(), chromium, page, filepath.Join(dir, "page.pdf")); err != nil {
			t.Fatal(err)
		}
		if n := requests.Load(); n != 0 {
			t.Errorf("printing a page with images on %s made %d requests, want none", srv.URL, n)
		}
	})

	t.Run("the issue leaves remote images out", func(t *testing.T) {
		requests.Store(0)
		dir := copySite(t)
		md := "---\ntitle: 远程图片\ndate: 2024-01-20\nbureau: 青海省民政厅\n---\n\n正文。\n\n![现场照片](" + srv.URL + "/track.png?id=1&x=2)\n"
		os.WriteFile(filepath.Join(dir, "content", "qinghai", "remote.md"), []byte(md), 0o644)
		opt := options(dir, january(), "2024-01-31")
		opt.PDF = func(ctx context.Context, html, pdf string) error { return PrintPDF(ctx, chromium, html, pdf) }
		res, err := Run(context.Background(), loadSite(t, dir), opt)
		if err != nil {
			t.Fatal(err)
		}
		if n := requests.Load(); n != 0 {
			t.Errorf("printing the issue made %d requests to the image's server, want none", n)
		}
		html := string(readFile(t, res.Files[0]))
		host := strings.TrimPrefix(srv.URL, "http://")
		if strings.Contains(html, host) {
			t.Errorf("the issue's HTML still names %s", host)
		}
		if !strings.Contains(html, "（图略：现场照片）") {
			t.Errorf("the issue's HTML has no note （图略：现场照片） where the image was")
		}
		var got []string
		for _, w := range res.Warnings {
			got = append(got, w.String())
		}
		want := "content/qinghai/remote.md:9: warning: image " + srv.URL + "/track.png?id=1&x=2 is left out of the issue"
		if len(got) != 1 || !strings.HasPrefix(got[0], want) {
			t.Errorf("warnings:\n%s\nwant one starting %q", strings.Join(got, "\n"), want)
		}
	})
}

// TestPrintPageGrid prints an issue on a page grid of 20 lines of 24
// characters (digest.lines and digest.chars): the long paragraph's lines
// hold 24 characters, and the lines are 225 mm / 20 apart.
func TestPrintPageGrid(t *testing.T) {
	chromium := needPrint(t, "pdftotext")
	if fonts := run(t, "fc-list", ":lang=zh", "family"); strings.TrimSpace(fonts) == "" {
		t.Skip("no Chinese fonts installed: apt-get install -y fonts-arphic-uming")
	}
	t.Parallel()
	sitetest.TakeTurn(t)
	dir := copySite(t)
	long := strings.Repeat("全省各级民政部门认真落实救助政策", 4)
	os.WriteFile(filepath.Join(dir, "content", "qinghai", "long.md"), []byte("---\ntitle: 长段落\ndate: 2024-01-26\nbureau: 青海省民政厅\n---\n\n"+long+"\n"), 0o644)
	s := loadSite(t, dir)
	s.Config.Digest.Lines, s.Config.Digest.Chars = 20, 24
	opt := options(dir, january(), "2024-01-31")
	opt.PDF = func(ctx context.Context, html, pdf string) error { return PrintPDF(ctx, chromium, html, pdf) }
	res, err := Run(context.Background(), s, opt)
	if err != nil {
		t.Fatal(err)
	}
	pdf := res.Files[len(res.Files)-1]
	words := regexp.MustCompile(`yMin="([\d.]+)"[^>]*>([^<]*)</word>`).FindAllStringSubmatch(run(t, "pdftotext", "-bbox", pdf, "-"), -1)
	var lengths []int
	var tops []float64
	for _, w := range words {
		if w[2] != "" && strings.Contains(long, w[2]) && utf8.RuneCountInString(w[2]) > 4 {
			lengths = append(lengths, utf8.RuneCountInString(w[2]))
			top, _ := strconv.ParseFloat(w[1], 64)
			tops = append(tops, top)
		}
	}
	// 64 characters: 22 after the two-character indent, 24, 18.
	if fmt.Sprint(lengths) != "[22 24 18]" {
		t.Fatalf("the long paragraph's lines have %v characters, want [22 24 18]", lengths)
	}
	const pitch = 225 / 25.4 * 72 / 20 // points
	for i := 1; i < len(tops); i++ {
		if d := tops[i] - tops[i-1]; d < pitch-0.5 || d > pitch+0.5 {
			t.Errorf("lines %d and %d are %.1f pt apart, want %.1f", i, i+1, d, pitch)
		}
	}
	sitetest.CheckRealFonts(t, pdf)
}
