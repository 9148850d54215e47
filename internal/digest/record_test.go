package digest

import (
	"os"
	"path/filepath"
	"reflect"
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
		got, problems := parseRecord(r.Path, data, shanghai)
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
			"digests/issues/2024-004.yaml: holds 2024年第3期（总第128期）, which belongs in 2024-003.yaml"},
		{"not a record name", map[string]string{"issue3.yaml": ok}, "digests/issues/issue3.yaml: not a record name"},
		{"missing cumulative", map[string]string{"2024-003.yaml": strings.Replace(ok, "cumulative: 128\n", "", 1)},
			"digests/issues/2024-003.yaml: cumulative is missing"},
		{"bad date", map[string]string{"2024-003.yaml": strings.Replace(ok, "2024-01-25", "2024-1-25", 1)},
			`digests/issues/2024-003.yaml:5: signed_off "2024-1-25" is not a date; use YYYY-MM-DD`},
		{"wrong year", map[string]string{"2024-003.yaml": strings.Replace(ok, "2024-01-25", "2025-01-25", 1)},
			"signed off 2025-01-25, but the issue is numbered in 2024"},
		{"not YAML", map[string]string{"2024-003.yaml": "kind: [regular\n"}, "digests/issues/2024-003.yaml: not a valid record"},
		{"half a period", map[string]string{"2024-003.yaml": ok + "to: 2024-01-31\n"},
			"digests/issues/2024-003.yaml:7: to is given without from; a period needs both days"},
		{"path outside content", map[string]string{"2024-003.yaml": strings.Replace(ok, "content/a.md", "../a.md", 1)},
			`"../a.md" is not a bulletin path`},
		{"one cumulative number twice", map[string]string{"2024-003.yaml": ok,
			"2024-004.yaml": strings.NewReplacer("number: 3", "number: 4", "content/a.md", "content/b.md").Replace(ok)},
			"digests/issues/2024-004.yaml: cumulative number 总第128期 is also the number of digests/issues/2024-003.yaml"},
		{"one selection twice", map[string]string{"2024-003.yaml": ok,
			"2024-004.yaml": strings.NewReplacer("number: 3", "number: 4", "128", "129").Replace(ok)},
			"digests/issues/2024-004.yaml: holds the same bulletins as digests/issues/2024-003.yaml"},
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
