package notice

import (
	"context"
	"fmt"
	"os/exec"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"bulletin/internal/digest"
	"bulletin/internal/reporting"
	"bulletin/internal/sitetest"
)

// TestPrint prints a notice with headless Chromium through digest.PrintPDF,
// as -pdf does, and reads the PDF back with pdftotext: A4 pages, the
// masthead, the heading and every bureau, and a table long enough to run
// over pages that repeats its heads on each.
func TestPrint(t *testing.T) {
	chromium := digest.Chromium()
	if chromium == "" {
		t.Skip("chromium not installed, so no PDF to check: apt-get install -y chromium")
	}
	for _, tool := range []string{"pdfinfo", "pdftotext"} {
		if _, err := exec.LookPath(tool); err != nil {
			t.Skip("poppler-utils not installed, so the PDF cannot be read back: apt-get install -y poppler-utils")
		}
	}
	t.Parallel()
	sitetest.TakeTurn(t)
	dir := copySite(t)
	// A county-level registry runs to dozens of bureaus: the table goes
	// over at least two pages.
	st := quarter()
	var extra []string
	for i := range 40 {
		name := fmt.Sprintf("测试第%d号民政局", i+1)
		extra = append(extra, name)
		st.Rows = append(st.Rows, reporting.Score{Rank: 9 + i, Bureau: name, Points: -11 - i})
	}
	st.Total = total(st.Rows)
	opt := options(dir, "2024-04-08")
	opt.PDF = func(ctx context.Context, html, pdf string) error { return digest.PrintPDF(ctx, chromium, html, pdf) }
	res, err := Run(context.Background(), loadSite(t, dir), st, opt)
	if err != nil {
		t.Fatal(err)
	}
	pdf := res.Files[len(res.Files)-1]
	if filepath.Base(pdf) != "notice-2024-01.pdf" {
		t.Fatalf("wrote %v, want notice-2024-01.pdf last", res.Files)
	}
	sitetest.CheckRealFonts(t, pdf)
	info := run(t, "pdfinfo", pdf)
	if !regexp.MustCompile(`Page size:\s+59[45]\.\d+ x 841\.\d+ pts \(A4\)`).MatchString(info) {
		t.Errorf("pdfinfo says\n%s\nwant A4 pages", info)
	}

	text := run(t, "pdftotext", "-layout", pdf, "-")
	// Letter-spaced text comes out with spaces between characters.
	flat := strings.Join(strings.Fields(text), "")
	for _, want := range append([]string{"信息工作通报", "2024年第1期", "青海省民政厅办公室2024年4月8日",
		"关于2024年第一季度信息报送情况的通报", "西宁市民政局", "杭州市西湖区民政局", "（共印120份）"}, extra...) {
		if !strings.Contains(flat, want) {
			t.Errorf("the PDF's text lacks %q", want)
		}
	}
	// The heads repeat on every page the table runs over: from the
	// page of the first row to the page of the last.
	pages := strings.Split(text, "\f")
	first, last := -1, -1
	for i, p := range pages {
		if strings.Contains(p, "西宁市民政局") && first < 0 {
			first = i
		}
		if strings.Contains(p, extra[len(extra)-1]) {
			last = i
		}
	}
	if first < 0 || last <= first {
		t.Fatalf("the table runs from page %d to page %d, want over two pages at least", first+1, last+1)
	}
	for i := first; i <= last; i++ {
		if !strings.Contains(strings.Join(strings.Fields(pages[i]), ""), "名次单位报送") {
			t.Errorf("page %d holds rows of the table without its heads", i+1)
		}
	}
}

func run(t *testing.T, name string, args ...string) string {
	t.Helper()
	out, err := exec.Command(name, args...).Output()
	if err != nil {
		t.Fatalf("%s %v: %v", name, args, err)
	}
	return string(out)
}
