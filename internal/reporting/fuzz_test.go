package reporting

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/site"
	"bulletin/internal/sitetest"
)

// FuzzInboxMarkdown feeds a bureau's Markdown report to the inbox: it
// never panics, and the bulletin it would become says in its front
// matter exactly the title and bureau read from the report, whatever
// the report tried to smuggle into them.
func FuzzInboxMarkdown(f *testing.F) {
	for _, seed := range []string{
		"---\ntitle: 西宁市开展冬春救助\nbureau: 西宁市民政局\nrequest: 2024-001\n---\n\n正文。\n",
		"---\ntitle: \"a\\n---\\nbureau: 海东市民政局\"\nbureau: 西宁市民政局\n---\n正文\n",
		"---\ntitle: [a, b]\ntags: x\n---\n",
		"---\r\ntitle: x\r\n---\r\n\r\n正文\r\n",
		"\ufeff---\ntitle: '<script>alert(1)</script>'\nsummary: \"一\\u2028二\"\n---\n",
		"---\ntitle: x\n...\n",
		"no front matter",
	} {
		f.Add([]byte(seed))
	}
	cfg, err := site.ReadConfig(sitetest.FS(registry))
	if err != nil {
		f.Fatal(err)
	}
	f.Fuzz(func(t *testing.T, src []byte) {
		d := &draft{}
		if reason := readMarkdown(src, d, cfg); reason != nil {
			if msg := reason.Error(); strings.Contains(msg, "\n") {
				t.Errorf("a reason of more than one line: %q", msg)
			}
			return
		}
		d.item.Date = at("2024-03-01 09:00")
		out := d.item.Markdown()
		head, _, ok := strings.Cut(strings.TrimPrefix(string(out), "---\n"), "\n---\n")
		if !ok {
			t.Fatalf("no front matter in\n%s", out)
		}
		var fm struct{ Title, Bureau string }
		if err := yaml.Unmarshal([]byte(head), &fm); err != nil {
			t.Fatalf("front matter is not YAML: %v\n%s", err, out)
		}
		if fm.Title != d.item.Title || fm.Bureau != d.item.Bureau.Name {
			t.Errorf("front matter says title %q, bureau %q; the report said %q, %q", fm.Title, fm.Bureau, d.item.Title, d.item.Bureau.Name)
		}
	})
}

// FuzzRecord reads any text as a report's record: never a panic, and a
// record read without problems writes back to one that reads the same.
func FuzzRecord(f *testing.F) {
	f.Add([]byte("bureau: 西宁市民政局\ntitle: 甲\nbulletin: content/a.md\nsubmissions:\n  - {received: 2024-03-01 09:00, decision: accept, at: 2024-03-02 10:00}\nadoptions:\n  - {kind: instruction, level: state, by: 领导, text: 好, date: 2024-03-05}\n"))
	f.Add([]byte("bureau: [\n"))
	f.Add([]byte("submissions: &a [*a]\n"))
	f.Fuzz(func(t *testing.T, src []byte) {
		th, ps := parseThread("reports/2024/a.yaml", src, shanghai)
		if th == nil || len(ps) > 0 {
			return
		}
		data, err := th.marshal()
		if err != nil {
			t.Fatal(err)
		}
		again, ps := parseThread("reports/2024/a.yaml", data, shanghai)
		if again == nil || len(ps) > 0 {
			t.Fatalf("written back, it does not read: %v\n%s", ps, data)
		}
		if a, b := mustMarshal(t, th), mustMarshal(t, again); a != b {
			t.Errorf("not the same after a round trip:\n%s\n%s", a, b)
		}
	})
}

func mustMarshal(t *testing.T, th *Thread) string {
	data, err := th.marshal()
	if err != nil {
		t.Fatal(err)
	}
	return string(data)
}
