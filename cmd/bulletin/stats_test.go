package main

import (
	"encoding/csv"
	"encoding/json"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
)

// sampleWithDigest is the sample site with its digest record: the one
// issue adopts three 2025 bulletins of 青海省民政厅, 海东市民政局 and
// 西宁市民政局.
func sampleWithDigest(t *testing.T) string {
	t.Helper()
	dir := copySample(t)
	rec := filepath.Join("digests", "issues", "2025-001.yaml")
	copyFile(t, filepath.Join("..", "..", rec), filepath.Join(dir, rec))
	return dir
}

// adoptedRows reads stats CSV and returns its rows with adoptions as
// "bureau month adopted=regular+supplement", and the total published.
func adoptedRows(t *testing.T, out string) (rows []string, published int) {
	t.Helper()
	if !strings.HasPrefix(out, "\uFEFF") {
		t.Fatalf("CSV starts %q, want the UTF-8 byte order mark", out[:min(len(out), 12)])
	}
	if strings.Count(out, "\n") != strings.Count(out, "\r\n") {
		t.Errorf("CSV has line ends other than CRLF")
	}
	records, err := csv.NewReader(strings.NewReader(strings.TrimPrefix(out, "\uFEFF"))).ReadAll()
	if err != nil {
		t.Fatal(err)
	}
	head := records[0]
	col := func(name string) int {
		i := slices.Index(head, name)
		if i < 0 {
			t.Fatalf("header %q has no %s column", head, name)
		}
		return i
	}
	if want := []string{"单位", "地区", "月份", "发布数", "工作动态"}; !slices.Equal(head[:5], want) {
		t.Errorf("header starts %q, want %q", head[:5], want)
	}
	pub, adopted, regular, supplement := col("发布数"), col("采用数"), col("正刊采用"), col("增刊采用")
	for _, r := range records[1:] {
		n, err := strconv.Atoi(r[pub])
		if err != nil {
			t.Errorf("发布数 %q is not a number", r[pub])
		}
		published += n
		if r[adopted] != "0" {
			rows = append(rows, r[0]+" "+r[2]+" "+r[adopted]+"="+r[regular]+"+"+r[supplement])
		}
	}
	return rows, published
}

func TestStatsSample(t *testing.T) {
	dir := sampleWithDigest(t)
	code, stdout, stderr := run(t, "stats", "-s", dir, "-now", "2026-01-01", "-format", "csv")
	if code != 0 {
		t.Fatalf("exit %d\n%s", code, stderr)
	}
	rows, published := adoptedRows(t, stdout)
	want := []string{"青海省民政厅 2025-01 1=1+0", "西宁市民政局 2025-09 1=1+0", "海东市民政局 2025-05 1=1+0"}
	if !slices.Equal(rows, want) {
		t.Errorf("adopted rows = %q, want %q", rows, want)
	}
	if published != 14 {
		t.Errorf("published = %d, want the sample's 14 published bulletins", published)
	}

	// The same figures as JSON, and the period as given.
	code, stdout, stderr = run(t, "stats", "-s", dir, "-now", "2026-01-01", "-format", "json", "-from", "2025-01", "-to", "2025-12-31")
	if code != 0 {
		t.Fatalf("json: exit %d\n%s", code, stderr)
	}
	var doc struct {
		From, To string
		Totals   struct{ Published, Adopted int }
	}
	if err := json.Unmarshal([]byte(stdout), &doc); err != nil {
		t.Fatalf("json: %v\n%s", err, stdout)
	}
	if doc.From != "2025-01-01" || doc.To != "2025-12-31" || doc.Totals.Adopted != 3 {
		t.Errorf("json: from %q, to %q, %d adopted; want 2025-01-01, 2025-12-31, 3", doc.From, doc.To, doc.Totals.Adopted)
	}

	// The monthly table ends with the grand total, and the ranking
	// follows with a row for every bureau of the registry.
	code, stdout, _ = run(t, "stats", "-s", dir, "-now", "2026-01-01")
	monthly, ranking, ok := strings.Cut(stdout, "信息报送得分排名")
	if !ok {
		t.Fatalf("text: no ranking after the monthly table:\n%s", stdout)
	}
	lines := strings.Split(strings.TrimSpace(monthly), "\n")
	if last := strings.Fields(lines[len(lines)-1]); code != 0 || last[0] != "合计" || last[1] != "14" {
		t.Errorf("text: exit %d, last line %q; want 合计 14 …", code, last)
	}
	for _, b := range []string{"青海省民政厅", "杭州市西湖区民政局"} {
		if !strings.Contains(ranking, b) {
			t.Errorf("text: the ranking has no row for %s:\n%s", b, ranking)
		}
	}
}

// TestStatsFileAndSupplement writes to a file, whose extension chooses
// CSV, with a supplement that adopts a bulletin again and one that is no
// longer published.
func TestStatsFileAndSupplement(t *testing.T) {
	dir := sampleWithDigest(t)
	zk := "kind: supplement\nyear: 2025\nnumber: 1\nsigned_off: 2025-12-31\nbulletins:\n" +
		"  - content/qinghai/2025/relief-standard.md\n  - content/qinghai/2025/taken-down.md\n"
	if err := os.WriteFile(filepath.Join(dir, "digests", "issues", "2025-zk01.yaml"), []byte(zk), 0o644); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "2025年信息报送统计.csv")
	code, stdout, stderr := run(t, "stats", "-s", dir, "-now", "2026-01-01", "-from", "2025-01", "-to", "2025-12", "-o", out)
	if code != 0 || stdout != "" {
		t.Fatalf("exit %d, stdout %q\n%s", code, stdout, stderr)
	}
	if want := "2025-zk01.yaml lists content/qinghai/2025/taken-down.md, which the site does not publish"; !strings.Contains(stderr, want) {
		t.Errorf("stderr = %q, want a warning that %s", stderr, want)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	rows, _ := adoptedRows(t, string(data))
	want := []string{"青海省民政厅 2025-01 2=1+1", "西宁市民政局 2025-09 1=1+0", "海东市民政局 2025-05 1=1+0"}
	if !slices.Equal(rows, want) {
		t.Errorf("adopted rows = %q, want %q", rows, want)
	}
}

func TestStatsBadArguments(t *testing.T) {
	dir := sampleWithDigest(t)
	for _, tc := range []struct {
		args []string
		code int
		want string
	}{
		{[]string{"-h"}, 0, "Example:"},
		{[]string{"-format", "xlsx"}, 2, `-format "xlsx": use text, csv or json`},
		{[]string{"-from", "2024-13"}, 2, `-from "2024-13" is not a month or a day; use YYYY-MM or YYYY-MM-DD`},
		{[]string{"-to", "2024/01"}, 2, `-to "2024/01" is not a month or a day`},
		{[]string{"-from", "2024-03", "-to", "2024-01-31"}, 2, "-from 2024-03 is after -to 2024-01-31"},
		{[]string{"2024-01"}, 2, `unexpected argument "2024-01"`},
		{[]string{"-now", "tomorrow"}, 1, `-now "tomorrow"`},
		{[]string{"-o", filepath.Join(dir, "排名.xlsx")}, 2, "-o " + filepath.Join(dir, "排名.xlsx") + ": stats writes a text table (.txt), CSV (.csv, which Excel and WPS open) or JSON (.json), not .xlsx"},
	} {
		code, stdout, stderr := run(t, append([]string{"stats", "-s", dir}, tc.args...)...)
		if code != tc.code || !strings.Contains(stderr, tc.want) || (code != 0 && stdout != "") {
			t.Errorf("%q: exit %d, stdout %q, stderr %q; want exit %d and %q", tc.args, code, stdout, stderr, tc.code, tc.want)
		}
	}
	if _, err := os.Stat(filepath.Join(dir, "排名.xlsx")); err == nil {
		t.Error("stats -o 排名.xlsx wrote the file")
	}
}

func TestStatsBadRecord(t *testing.T) {
	dir := sampleWithDigest(t)
	if err := os.WriteFile(filepath.Join(dir, "digests", "issues", "2025-002.yaml"), []byte("kind: special\nbulletins: []\n"), 0o644); err != nil {
		t.Fatal(err)
	}
	code, stdout, stderr := run(t, "stats", "-s", dir, "-now", "2026-01-01")
	want := filepath.ToSlash(filepath.Join(dir, "digests/issues/2025-002.yaml")) + `:1: kind must be regular or supplement, not "special"`
	if code != 1 || stdout != "" || !strings.Contains(stderr, want) {
		t.Errorf("exit %d, stdout %q, stderr %q; want exit 1 and %q", code, stdout, stderr, want)
	}
}
