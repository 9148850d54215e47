package digest

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

func TestRecordRoundTrip(t *testing.T) {
	for _, r := range []*Record{
		{Year: 2024, Number: 3, Cumulative: 128, SignedOff: day("2024-01-25"), From: day("2024-01-01"), To: day("2024-01-31"),
			Region: "青海省", Category: "true", Group: "category", Summaries: true,
			Note: "第一段：要点。\n第二段 # 不是注释", Bulletins: []string{"content/a.md", "content/b c.md"}, Titles: []string{"标题一", ""}},
		{Supplement: true, Year: 2025, Number: 1, SignedOff: day("2025-03-01"), From: day("2025-02-01"), To: day("2025-02-28"),
			Bulletins: []string{"content/x/y.md"}, Titles: []string{"标题: 带冒号 # 和井号"}},
	} {
		data, err := r.marshal("民政工作简报")
		if err != nil {
			t.Fatal(err)
		}
		r.Path = IssuesDir + "/" + r.Name() + ".yaml"
		got, _, problems := parseRecord(r.Path, data, shanghai)
		if len(problems) > 0 {
			t.Fatalf("%s:\n%s\nproblems: %v", r.Name(), data, problems)
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("%s: read back\n%+v\nwant\n%+v\nfrom\n%s", r.Name(), got, r, data)
		}
	}
}

func TestBadRecords(t *testing.T) {
	const ok = "kind: regular\nyear: 2024\nnumber: 3\ncumulative: 128\nsigned_off: 2024-01-25\nbulletins: [content/a.md]\n"
	for _, tc := range []struct {
		name  string
		files map[string]string
		want  string
	}{
		{"unknown key", map[string]string{"2024-003.yaml": ok + "numbr: 4\n"},
			`digests/issues/2024-003.yaml:7: unknown key "numbr"; did you mean "number"?`},
		{"name disagrees", map[string]string{"2024-004.yaml": ok},
			"digests/issues/2024-004.yaml:3: holds 2024年第3期（总第128期）, which belongs in 2024-003.yaml"},
		{"not a record name", map[string]string{"issue3.yaml": ok}, "digests/issues/issue3.yaml: not a record name"},
		{"missing cumulative", map[string]string{"2024-003.yaml": strings.Replace(ok, "cumulative: 128\n", "", 1)},
			"digests/issues/2024-003.yaml:1: cumulative is missing"},
		{"bad date", map[string]string{"2024-003.yaml": strings.Replace(ok, "2024-01-25", "2024-1-25", 1)},
			`digests/issues/2024-003.yaml:5: signed_off "2024-1-25" is not a date; use YYYY-MM-DD`},
		{"wrong year", map[string]string{"2024-003.yaml": strings.Replace(ok, "2024-01-25", "2025-01-25", 1)},
			"signed off 2025-01-25, but the issue is numbered in 2024"},
		{"not YAML", map[string]string{"2024-003.yaml": "kind: [regular\n"}, "digests/issues/2024-003.yaml:1: invalid YAML"},
		{"half a period", map[string]string{"2024-003.yaml": ok + "to: 2024-01-31\n"},
			"digests/issues/2024-003.yaml:7: to is given without from; a period needs both days"},
		{"path outside content", map[string]string{"2024-003.yaml": strings.Replace(ok, "content/a.md", "../a.md", 1)},
			`"../a.md" is not a bulletin path`},
		{"one cumulative number twice", map[string]string{"2024-003.yaml": ok,
			"2024-004.yaml": strings.NewReplacer("number: 3", "number: 4", "content/a.md", "content/b.md").Replace(ok)},
			"digests/issues/2024-004.yaml:4: cumulative number 总第128期 is also the number of digests/issues/2024-003.yaml"},
		{"one selection twice", map[string]string{"2024-003.yaml": ok,
			"2024-004.yaml": strings.NewReplacer("number: 3", "number: 4", "128", "129").Replace(ok)},
			"digests/issues/2024-004.yaml:6: holds the same bulletins as digests/issues/2024-003.yaml"},
	} {
		fsys := fstest.MapFS{}
		for name, data := range tc.files {
			fsys[IssuesDir+"/"+name] = &fstest.MapFile{Data: []byte(data)}
		}
		_, err := ReadRecords(fsys, shanghai)
		if err == nil || !strings.Contains(err.Error(), tc.want) {
			t.Errorf("%s: error %v, want one containing %q", tc.name, err, tc.want)
		}
	}
}

// TestRecordsIgnoreOtherFiles: a run's temporary files and an editor's
// notes beside the records are not records.
func TestRecordsIgnoreOtherFiles(t *testing.T) {
	dir := t.TempDir()
	issues := filepath.Join(dir, filepath.FromSlash(IssuesDir))
	os.MkdirAll(issues, 0o755)
	os.WriteFile(filepath.Join(issues, ".2024-001.yaml.123.tmp"), []byte("half"), 0o644)
	os.WriteFile(filepath.Join(issues, "README.txt"), []byte("说明"), 0o644)
	records, err := ReadRecords(os.DirFS(dir), shanghai)
	if err != nil || len(records) != 0 {
		t.Errorf("got %v, %v; want no records and no error", records, err)
	}
}

// TestRecordProblemLines: every problem of a record points at the line to
// change, including a file that is not YAML, not a mapping or lacks keys.
func TestRecordProblemLines(t *testing.T) {
	const (
		header = "# 民政工作简报 2024年第3期（总第128期）\n# 本文件由 bulletin digest 写入\n"
		ok     = "kind: regular\nyear: 2024\nnumber: 3\ncumulative: 128\nsigned_off: 2024-01-25\nbulletins: [content/a.md]\n"
		p      = "digests/issues/2024-003.yaml"
	)
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"not YAML", "kind: regular\nyear: 2024\nnumber: 3: x\n",
			[]string{p + ":3: invalid YAML: mapping values are not allowed in this context"}},
		{"empty", "", []string{p + ":1: not a valid record: want a mapping of kind, year, number, … and bulletins"}},
		{"a list", header + "- content/a.md\n", []string{p + ":3: not a valid record: want a mapping of kind, year, number, … and bulletins"}},
		{"keys missing", header + "kind: regular\nyear: 2024\n", []string{
			p + ":3: bulletins is missing",
			p + ":3: cumulative is missing: a regular issue has a cumulative number (总第M期)",
			p + ":3: number is missing",
			p + ":3: signed_off is missing",
		}},
		{"key twice", ok + "year: 2025\n", []string{p + `:7: "year" is given twice (first on line 2)`}},
		{"unknown key", header + ok + "numbr: 4\n", []string{p + `:9: unknown key "numbr"; did you mean "number"?`}},
		{"not a number", strings.Replace(ok, "number: 3", "number: 三", 1), []string{p + `:3: number must be a whole number from 1, not "三"`}},
		{"a list for a value", strings.Replace(ok, "kind: regular", "kind: [regular]", 1), []string{
			p + ":1: kind must be a single value, not a list",
		}},
		{"bad item", strings.Replace(ok, "bulletins: [content/a.md]", "bulletins:\n  - content/a.md\n  - {a: b}\n  - content/a.md", 1), []string{
			p + ":8: each of bulletins must be a single value, not a mapping",
			p + ":9: content/a.md is listed twice (first on line 7)",
		}},
		{"supplement with a cumulative number", strings.Replace(ok, "regular", "supplement", 1),
			[]string{p + ":4: a supplement has no cumulative number; remove cumulative"}},
		{"signed off in another year", strings.Replace(ok, "2024-01-25", "2025-01-25", 1),
			[]string{p + ":5: signed off 2025-01-25, but the issue is numbered in 2024"}},
		{"period backwards", ok + "from: 2024-02-01\nto: 2024-01-01\n", []string{p + ":7: the period starts after it ends"}},
		{"name disagrees", strings.Replace(ok, "number: 3", "number: 4", 1),
			[]string{p + ":3: holds 2024年第4期（总第128期）, which belongs in 2024-004.yaml; a record's file name is its number"}},
	} {
		r, _, problems := parseRecord(p, []byte(tc.src), shanghai)
		if r != nil {
			t.Errorf("%s: read a record", tc.name)
		}
		var got []string
		for _, p := range problems {
			got = append(got, p.String())
		}
		slices.Sort(got)
		if !slices.Equal(got, tc.want) {
			t.Errorf("%s: problems\n%s\nwant\n%s", tc.name, strings.Join(got, "\n"), strings.Join(tc.want, "\n"))
		}
	}
}
