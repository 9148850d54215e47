package stats

import (
	"bulletin/internal/golden"
	"bytes"
	"context"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"
	"time"

	"bulletin/internal/digest"
	"bulletin/internal/reporting"
	"bulletin/internal/site"
)

// fixtureNow is after every fixture bulletin but the one dated in July.
var fixtureNow = time.Date(2024, 6, 1, 0, 0, 0, 0, time.UTC)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

func loadFixture(t *testing.T) *site.Site {
	t.Helper()
	s, err := site.Load(context.Background(), os.DirFS("testdata/site"), site.Options{Now: fixtureNow})
	if err != nil {
		t.Fatalf("loading the fixture: %v", err)
	}
	return s
}

// fixtureReport computes the fixture's statistics from a -from and a -to
// value, either of which may be "".
func fixtureReport(t *testing.T, from, to string) *Report {
	t.Helper()
	s := loadFixture(t)
	records, err := digest.ReadRecords(os.DirFS("testdata/site"), shanghai)
	if err != nil {
		t.Fatalf("reading the fixture's records: %v", err)
	}
	var p Period
	if from != "" {
		b, err := ParseBound(from, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		p.Start = b.Start
	}
	if to != "" {
		b, err := ParseBound(to, shanghai)
		if err != nil {
			t.Fatal(err)
		}
		p.End = b.End
	}
	return Compute(s, records, p)
}

// summary prints a row as "bureau month: published [by category]+uncategorized,
// adopted=regular+supplement", for compact wants.
func summary(row Row) string {
	m := "total"
	if !row.Month.IsZero() {
		m = month(row.Month)
	}
	return fmt.Sprintf("%s %s: %d %v+%d, %d=%d+%d", row.Bureau, m, row.Published, row.ByCategory, row.Uncategorized, row.Adopted, row.Regular, row.Supplement)
}

func TestCompute(t *testing.T) {
	for _, tc := range []struct {
		name, from, to string
		period         string // From … To as reported
		rows           []string
		total          string
	}{
		{
			name:   "whole site",
			period: "2024-01-01 … 2024-03-31",
			rows: []string{
				"青海省民政厅 2024-01: 2 [1 1]+0, 3=2+1", // relief is in both issues
				"青海省民政厅 2024-03: 1 [0 1]+0, 1=0+1",
				"西宁市民政局 2024-02: 3 [2 0]+1, 2=1+1", // 00:30 on 1 February in Xining is February
				"甘肃省民政厅 2024-03: 2 [1 1]+0, 1=1+0", // the July one is not published yet
			},
			total: " total: 8 [4 3]+1, 7=4+3",
		},
		{
			name: "two months", from: "2024-01", to: "2024-02",
			period: "2024-01-01 … 2024-02-29",
			rows: []string{
				"青海省民政厅 2024-01: 2 [1 1]+0, 3=2+1",
				"西宁市民政局 2024-02: 3 [2 0]+1, 2=1+1",
			},
			total: " total: 5 [3 1]+1, 5=3+2",
		},
		{
			name: "days across a month's end", from: "2024-01-31", to: "2024-02-01",
			period: "2024-01-31 … 2024-02-01",
			rows: []string{
				"西宁市民政局 2024-02: 1 [1 0]+0, 1=1+0",
			},
			total: " total: 1 [1 0]+0, 1=1+0",
		},
		{
			name: "open start, the last day in the site's zone", to: "2024-01-31",
			period: "2024-01-01 … 2024-01-31",
			rows: []string{
				"青海省民政厅 2024-01: 2 [1 1]+0, 3=2+1",
			},
			total: " total: 2 [1 1]+0, 3=2+1",
		},
		{
			name: "a month", from: "2024-03", to: "2024-03",
			period: "2024-03-01 … 2024-03-31",
			rows: []string{
				"青海省民政厅 2024-03: 1 [0 1]+0, 1=0+1",
				"甘肃省民政厅 2024-03: 2 [1 1]+0, 1=1+0",
			},
			total: " total: 3 [1 2]+0, 2=1+1",
		},
		{
			name: "nothing published after the start: its month", from: "2024-04",
			period: "2024-04-01 … 2024-04-30",
			total:  " total: 0 [0 0]+0, 0=0+0",
		},
		{
			name: "nothing published before the end: its month", to: "2023-06-15",
			period: "2023-06-01 … 2023-06-15",
			total:  " total: 0 [0 0]+0, 0=0+0",
		},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := fixtureReport(t, tc.from, tc.to)
			if got := day(r.From) + " … " + day(r.To); got != tc.period {
				t.Errorf("period = %q, want %q", got, tc.period)
			}
			var got []string
			for _, row := range r.Rows {
				got = append(got, summary(row))
			}
			if !slices.Equal(got, tc.rows) {
				t.Errorf("rows:\n got %q\nwant %q", got, tc.rows)
			}
			total := Row{Counts: r.Total, Month: time.Time{}}
			if got := summary(total); got != tc.total {
				t.Errorf("total = %q, want %q", got, tc.total)
			}
			// The bureaus' totals add up to the grand total.
			sum := Counts{ByCategory: make([]int, len(r.Categories))}
			for _, b := range r.Bureaus {
				sum.add(b.Counts)
			}
			if got, want := summary(Row{Counts: sum}), tc.total; got != want {
				t.Errorf("sum of the bureaus' totals = %q, want %q", got, want)
			}
		})
	}
}

func TestComputeUncounted(t *testing.T) {
	r := fixtureReport(t, "", "")
	got := fmt.Sprint(r.Uncounted)
	want := "[{digests/issues/2024-001.yaml content/gansu/withdrawn.md}]"
	if got != want {
		t.Errorf("Uncounted = %s, want %s", got, want)
	}
	if want := []string{"工作动态", "社会救助"}; !slices.Equal(r.Categories, want) {
		t.Errorf("Categories = %q, want %q", r.Categories, want)
	}
}

func TestParseBound(t *testing.T) {
	for _, tc := range []struct {
		in, start, end string // end "" for an error
	}{
		{"2024-01", "2024-01-01", "2024-02-01"},
		{"2024-12", "2024-12-01", "2025-01-01"},
		{"2024-02-29", "2024-02-29", "2024-03-01"},
		{"2024-12-31", "2024-12-31", "2025-01-01"},
		{"2024-13", "", ""},
		{"2024-1", "", ""},
		{"2024/01", "", ""},
		{"2023-02-29", "", ""},
		{"2024-01-01 09:00", "", ""},
		{"", "", ""},
	} {
		p, err := ParseBound(tc.in, shanghai)
		if tc.end == "" {
			if err == nil || !strings.Contains(err.Error(), "use YYYY-MM or YYYY-MM-DD") {
				t.Errorf("ParseBound(%q) = %v, %v; want an error that says what to use", tc.in, p, err)
			}
			continue
		}
		got := day(p.Start) + " " + day(p.End)
		if want := tc.start + " " + tc.end; err != nil || got != want {
			t.Errorf("ParseBound(%q) = %s, %v; want %s", tc.in, got, err, want)
		}
		if p.Start.Location() != shanghai || p.Start.Hour() != 0 {
			t.Errorf("ParseBound(%q) starts at %v, want midnight in the site's zone", tc.in, p.Start)
		}
	}
}

func TestWidth(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want int
	}{
		{"", 0},
		{"2024-01", 7},
		{"单位", 4},
		{"青海省西宁市", 12},
		{"（据青海省民政厅）", 18},
		{"2024年第1期", 11},
		{"、。：", 6},
		{"ＡＢ", 4},
		{"café", 4},
	} {
		if got := Width(tc.in); got != tc.want {
			t.Errorf("Width(%q) = %d, want %d", tc.in, got, tc.want)
		}
	}
}

// TestCSVSpreadsheet checks what spreadsheet software needs: the byte
// order mark, CRLF line ends and quoting that survives commas and quotes
// in names.
func TestCSVSpreadsheet(t *testing.T) {
	r := &Report{
		Categories: []string{`"典型"经验`, "救助,帮扶"},
		Rows: []Row{{Bureau: "青海省民政厅", Region: "青海省", Month: time.Date(2024, 1, 1, 0, 0, 0, 0, shanghai),
			Counts: Counts{Published: 3, ByCategory: []int{1, 2}, Adopted: 1, Regular: 1}}},
	}
	var buf bytes.Buffer
	if err := WriteCSV(&buf, r); err != nil {
		t.Fatal(err)
	}
	out := buf.String()
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Errorf("CSV starts %q, want the UTF-8 byte order mark", out[:min(len(out), 8)])
	}
	if n, crlf := strings.Count(out, "\n"), strings.Count(out, "\r\n"); n != 2 || crlf != 2 {
		t.Errorf("CSV has %d line ends, %d of them CRLF; want 2, all CRLF", n, crlf)
	}
	if want := `"""典型""经验","救助,帮扶"`; !strings.Contains(out, want) {
		t.Errorf("CSV header %q does not quote as RFC 4180: want %s", strings.SplitN(out, "\r\n", 2)[0], want)
	}
	got, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	want := [][]string{
		{"单位", "地区", "月份", "发布数", `"典型"经验`, "救助,帮扶", "采用数", "正刊采用", "增刊采用"},
		{"青海省民政厅", "青海省", "2024-01", "3", "1", "2", "1", "1", "0"},
	}
	if fmt.Sprint(got) != fmt.Sprint(want) {
		t.Errorf("read back:\n got %q\nwant %q", got, want)
	}
}

// TestJSONSchema decodes the JSON as a tool would and checks the keys and
// that by_category keeps site.yaml's order.
func TestJSONSchema(t *testing.T) {
	r := fixtureReport(t, "2024-01", "2024-03")
	var buf bytes.Buffer
	if err := WriteJSON(&buf, r); err != nil {
		t.Fatal(err)
	}
	var doc struct {
		From, To string
		Rows     []map[string]json.RawMessage
		Totals   map[string]json.RawMessage
	}
	if err := json.Unmarshal(buf.Bytes(), &doc); err != nil {
		t.Fatalf("not JSON: %v", err)
	}
	if doc.From != "2024-01-01" || doc.To != "2024-03-31" {
		t.Errorf("from, to = %q, %q; want 2024-01-01, 2024-03-31", doc.From, doc.To)
	}
	var keys []string
	for k := range doc.Rows[0] {
		keys = append(keys, k)
	}
	slices.Sort(keys)
	want := []string{"adopted", "adopted_regular", "adopted_supplement", "bureau", "by_category", "month", "published", "region", "uncategorized"}
	if !slices.Equal(keys, want) {
		t.Errorf("row keys = %q, want %q", keys, want)
	}
	var compact bytes.Buffer
	json.Compact(&compact, doc.Totals["by_category"])
	if got, want := compact.String(), `{"工作动态":4,"社会救助":3}`; got != want {
		t.Errorf("totals.by_category = %s, want %s in this order", got, want)
	}
	if got := string(doc.Totals["adopted"]); got != "7" {
		t.Errorf("totals.adopted = %s, want 7", got)
	}
}

// TestGolden renders the fixture's statistics in every format and compares
// them with testdata/golden. Run go test -update after an intended change
// and read the diff.
func TestGolden(t *testing.T) {
	got := map[string][]byte{}
	for _, tc := range []struct {
		name, from, to string
		ranking        bool
	}{
		{"all", "", "", false},
		{"january-february", "2024-01", "2024-02", false},
		{"ranking-january-february", "2024-01", "2024-02", true},
	} {
		r := fixtureReport(t, tc.from, tc.to)
		if tc.ranking {
			r.Ranking = fixtureRanking(t, r)
		}
		for _, f := range []struct {
			ext   string
			write func(*bytes.Buffer, *Report) error
		}{
			{"txt", func(b *bytes.Buffer, r *Report) error { return WriteText(b, r) }},
			{"csv", func(b *bytes.Buffer, r *Report) error {
				if r.Ranking != nil {
					return WriteRankingCSV(b, r.Ranking)
				}
				return WriteCSV(b, r)
			}},
			{"json", func(b *bytes.Buffer, r *Report) error { return WriteJSON(b, r) }},
		} {
			var buf bytes.Buffer
			if err := f.write(&buf, r); err != nil {
				t.Fatal(err)
			}
			got[tc.name+"."+f.ext] = buf.Bytes()
		}
	}
	golden.CheckDir(t, filepath.Join("testdata", "golden"), got)
}

// fixtureRanking ranks the fixture's bureaus with its reporting records:
// 西宁 had a report returned and then accepted, adopted by a provincial
// publication and instructed on, and answered its request in time; 甘肃
// had one declined and missed its request; 青海 only published.
func fixtureRanking(t *testing.T, r *Report) *reporting.Standing {
	t.Helper()
	s := loadFixture(t)
	fsys := os.DirFS("testdata/site")
	book, err := reporting.ReadBook(fsys, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	records, err := digest.ReadRecords(fsys, shanghai)
	if err != nil {
		t.Fatal(err)
	}
	return reporting.Compute(s, records, book, nil, reporting.Period{From: r.From, To: r.To}, fixtureNow)
}

// TestTextAligned checks that every line of the table puts its columns at
// the same display positions: the last figure of each line ends at the
// same column.
func TestTextAligned(t *testing.T) {
	var buf bytes.Buffer
	if err := WriteText(&buf, fixtureReport(t, "", "")); err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(buf.String(), "\n")
	var widths []int
	for _, l := range lines[2:] { // after the title and the blank line
		if l == "" {
			break
		}
		widths = append(widths, Width(l))
	}
	if len(widths) < 5 || slices.Min(widths) != slices.Max(widths) {
		t.Errorf("table lines have display widths %v, want all the same\n%s", widths, buf.String())
	}
}
