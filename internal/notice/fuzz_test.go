package notice

import (
	"os"
	"path/filepath"
	"reflect"
	"testing"
)

// FuzzRecord: no record file, however damaged, makes the reader panic, and
// whatever it accepts is written back as it was read, and renders.
func FuzzRecord(f *testing.F) {
	if golden, err := os.ReadFile(filepath.Join("testdata", "golden", "quarter.record.yaml")); err == nil {
		f.Add(golden)
	}
	f.Add([]byte("year: 2024\nnumber: 1\nsigned_off: 2024-04-08\nfrom: 2024-01-01\nto: 2024-03-31\n"))
	f.Add([]byte("year: 2024\nnumber: 1\nsigned_off: 2024-04-08\nfrom: 2024-01-01\nto: 2024-03-31\npoints: {site: 1}\n" +
		"ranking: [{rank: 1, bureau: 西宁市民政局, points: 1, site: 1}]\nhigher: [{date: 2024-02-01, kind: instruction, level: state, bureau: 西宁市民政局, title: 标题, by: 领导, text: 好}]\n" +
		"requests: [{id: a, bureau: b, due: 2024-03-01, status: open}]\n"))
	f.Add([]byte("ranking: [\n"))
	cfg := loadSite(f, copySite(f)).Config
	f.Fuzz(func(t *testing.T, data []byte) {
		name := RecordsDir + "/2024-01.yaml"
		r, _, problems := parseRecord(name, data, shanghai)
		if r == nil {
			if len(problems) == 0 {
				t.Fatal("no record and no problem")
			}
			return
		}
		out, err := r.marshal("信息工作通报")
		if err != nil {
			t.Fatal(err)
		}
		again, _, problems := parseRecord(name, out, shanghai)
		if !reflect.DeepEqual(again, r) {
			t.Fatalf("read back\n%+v\nwant\n%+v\nproblems %v\nfrom\n%s", again, r, problems, out)
		}
		if r.Published() {
			n := compile(cfg, r)
			text(n)
			markdown(n)
		}
	})
}
