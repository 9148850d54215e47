package notice

import (
	"os"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"bulletin/internal/reporting"
)

func TestRecordRoundTrip(t *testing.T) {
	for _, r := range []*Record{
		{Year: 2024, Number: 1, SignedOff: day("2024-04-08"), Note: "第一段。\n第二段 # 不是注释", Standing: announced(quarter(), shanghai)},
		{Year: 2024, Number: 2, SignedOff: day("2024-05-06"), Standing: announced(april(), shanghai)},
		// An older notice's record keeps only its number and period.
		{Year: 2023, Number: 12, SignedOff: day("2023-12-29"), Standing: announced(&reporting.Standing{From: day("2023-11-01"), To: day("2023-11-30")}, shanghai)},
	} {
		data, err := r.marshal("信息工作通报")
		if err != nil {
			t.Fatal(err)
		}
		r.Path = RecordsDir + "/" + r.Name() + ".yaml"
		got, _, problems := parseRecord(r.Path, data, shanghai)
		if len(problems) > 0 {
			t.Fatalf("%s:\n%s\nproblems: %v", r.Name(), data, problems)
		}
		if !reflect.DeepEqual(got, r) {
			t.Errorf("%s: read back\n%+v\nwant\n%+v\nfrom\n%s", r.Name(), got, r, data)
		}
	}
}

// TestRecordProblemLines: every problem of a record points at the line to
// change, including a file that is not YAML, not a mapping or lacks keys.
func TestRecordProblemLines(t *testing.T) {
	const (
		header = "# 信息工作通报 2024年第1期\n# 本文件由 bulletin notice 写入\n"
		ok     = "year: 2024\nnumber: 1\nsigned_off: 2024-04-08\nfrom: 2024-01-01\nto: 2024-03-31\n"
		p      = "reports/notices/2024-01.yaml"
		points = "points: {site: 1, digest: 3}\n"
	)
	for _, tc := range []struct {
		name, src string
		want      []string
	}{
		{"not YAML", "year: 2024\nnumber: 1: x\n",
			[]string{p + ":2: invalid YAML: mapping values are not allowed in this context"}},
		{"empty", "", []string{p + ":1: not a valid record: want a mapping of year, number, signed_off, from, to, … and ranking"}},
		{"a list", header + "- 西宁市民政局\n", []string{p + ":3: not a valid record: want a mapping of year, number, signed_off, from, to, … and ranking"}},
		{"keys missing", header + "year: 2024\nnumber: 1\n", []string{
			p + ":3: from is missing",
			p + ":3: signed_off is missing",
			p + ":3: to is missing",
		}},
		{"key twice", ok + "year: 2025\n", []string{p + `:6: "year" is given twice (first on line 1)`}},
		{"unknown key", header + ok + "numbr: 4\n", []string{p + `:8: unknown key "numbr"; did you mean "number"?`}},
		{"not a number", strings.Replace(ok, "number: 1", "number: 一", 1), []string{p + `:2: number must be a whole number from 1, not "一"`}},
		{"bad date", strings.Replace(ok, "2024-04-08", "2024-4-8", 1), []string{p + `:3: signed_off "2024-4-8" is not a date; use YYYY-MM-DD`}},
		{"signed off in another year", strings.Replace(ok, "2024-04-08", "2025-01-08", 1),
			[]string{p + ":3: signed off 2025-01-08, but the notice is numbered in 2024"}},
		{"period backwards", strings.Replace(ok, "to: 2024-03-31", "to: 2023-12-31", 1), []string{p + ":4: the period starts after it ends"}},
		{"name disagrees", strings.Replace(ok, "number: 1", "number: 2", 1),
			[]string{p + ":2: holds 2024年第2期, which belongs in 2024-02.yaml; a record's file name is its number"}},
		{"ranking without points", ok + "ranking:\n  - {rank: 1, bureau: 西宁市民政局, points: 9}\n",
			[]string{p + ":7: a ranking needs the points table it was counted with; add points"}},
		{"bad points", ok + "points: {site: 一}\n", []string{p + `:6: points.site must be a whole number, not "一"`}},
		{"bad rows", ok + points + "ranking:\n" +
			"  - rank: 1\n    bureau: 西宁市民政局\n    points: 9\n    site: -1\n" +
			"  - {rank: 2, bureau: 青海省民政厅}\n" +
			"  - {rank: 1, bureau: 西宁市民政局, points: 5, sight: 3}\n" +
			"  - 海东市民政局\n", []string{
			p + `:11: site must be a whole number from 0, not "-1"`,
			p + ":12: points is missing from this entry of ranking",
			p + `:13: unknown key ranking "sight"`,
			p + ":14: each of ranking must be a mapping of rank, bureau, points, submitted, submitted_published, site, digest, province, state, instruction_province, instruction_state, request_answered, request_missed, not \"海东市民政局\"",
		}},
		{"more published than sent", ok + points + "ranking:\n" +
			"  - {rank: 1, bureau: 西宁市民政局, points: 2, submitted: 1, submitted_published: 2, site: 2}\n", []string{
			p + ":8: submitted_published (2) is more than submitted (1)",
		}},
		{"rows out of order", ok + points + "ranking:\n" +
			"  - {rank: 2, bureau: 青海省民政厅, points: 5}\n" +
			"  - {rank: 1, bureau: 西宁市民政局, points: 9}\n" +
			"  - {rank: 3, bureau: 西宁市民政局, points: 1}\n", []string{
			p + ":10: 西宁市民政局 is ranked twice (first on line 9)",
			p + ":9: rank 1 comes after rank 2; the ranking runs from the highest points down",
		}},
		{"bad higher", ok + "higher:\n" +
			"  - {date: 2024-02-01, kind: adopted, level: city, bureau: 西宁市民政局, title: 标题, by: 青海信息, source: ../a.md}\n" +
			"  - {date: 2024-02-30, kind: instruction, level: state, bureau: 西宁市民政局, title: 标题}\n", []string{
			p + `:7: "../a.md" is not a bulletin path such as content/qinghai/2024/relief.md`,
			p + `:7: kind must be adoption (上级采用) or instruction (领导批示), not "adopted"`,
			p + `:7: level must be province or state, not "city"`,
			p + ":8: by is missing from this entry of higher",
		}},
		{"bad requests", ok + "requests:\n" +
			"  - {id: 2024-001, bureau: 西宁市民政局, due: 2024-01-31, status: done}\n" +
			"  - {id: 2024-002, bureau: 西宁市民政局, due: 2024-02-31, status: late, answered: yesterday}\n", []string{
			p + `:7: status must be one of answered, late, missed, open, not "done"`,
			p + `:8: answered "yesterday" is not a date; use YYYY-MM-DD`,
			p + `:8: due "2024-02-31" is not a date; use YYYY-MM-DD`,
		}},
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

// TestReadRecords: the problems of every record come together, sorted,
// each naming its file and line; a file that is no record's name and two
// records of one period are problems too.
func TestReadRecords(t *testing.T) {
	const ok = "year: 2024\nnumber: 1\nsigned_off: 2024-04-08\nfrom: 2024-01-01\nto: 2024-03-31\n"
	fsys := fstest.MapFS{
		RecordsDir + "/2024-01.yaml":      {Data: []byte(ok)},
		RecordsDir + "/2024-02.yaml":      {Data: []byte(strings.Replace(ok, "number: 1", "number: 2", 1))},
		RecordsDir + "/2024-03.yaml":      {Data: []byte("year: 2024\nnumber: 3\nsigned_off: 2024-07-05\nfrom: 2024-04-01\nto: 2024-06-31\n")},
		RecordsDir + "/第一季度.yaml":         {Data: []byte(ok)},
		RecordsDir + "/.2024-04.yaml.tmp": {Data: []byte("half")},
		RecordsDir + "/README.txt":        {Data: []byte("说明")},
	}
	_, err := ReadRecords(fsys, shanghai)
	want := strings.Join([]string{
		"reports/notices/2024-02.yaml:4: announces the period of reports/notices/2024-01.yaml; a notice's period identifies it, so one of the two must go",
		`reports/notices/2024-03.yaml:5: to "2024-06-31" is not a date; use YYYY-MM-DD`,
		"reports/notices/第一季度.yaml: not a record name; records are named like 2024-01.yaml, the year and the number",
	}, "\n")
	if err == nil || err.Error() != want {
		t.Errorf("error:\n%v\nwant:\n%s", err, want)
	}

	// A run's temporary files and an editor's notes beside the records
	// are not records.
	dir := t.TempDir()
	notices := filepath.Join(dir, filepath.FromSlash(RecordsDir))
	os.MkdirAll(notices, 0o755)
	os.WriteFile(filepath.Join(notices, ".2024-01.yaml.123.tmp"), []byte("half"), 0o644)
	os.WriteFile(filepath.Join(notices, "README.txt"), []byte("说明"), 0o644)
	records, err := ReadRecords(os.DirFS(dir), shanghai)
	if err != nil || len(records) != 0 {
		t.Errorf("got %v, %v; want no records and no error", records, err)
	}
}
