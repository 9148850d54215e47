package digest

import (
	"reflect"
	"strings"
	"testing"
)

// FuzzRecord: no record file, however damaged, makes the reader panic, and
// whatever it accepts is written back as it was read.
func FuzzRecord(f *testing.F) {
	f.Add([]byte("kind: regular\nyear: 2024\nnumber: 3\ncumulative: 128\nsigned_off: 2024-01-25\nfrom: 2024-01-01\nto: 2024-01-31\nregion: 青海省\nnote: |-\n  按语。\nbulletins:\n  - content/a.md # 标题\n"))
	f.Add([]byte("kind: regular\nyear: 2024\nnumber: 3\ncumulative: 1\nsigned_off: 2024-03-01\nbulletins: []\n"))
	f.Add([]byte("kind: [regular\n"))
	f.Fuzz(func(t *testing.T, data []byte) {
		name := IssuesDir + "/2024-003.yaml"
		r, _, problems := parseRecord(name, data, shanghai)
		if r == nil {
			if len(problems) == 0 {
				t.Fatal("no record and no problem")
			}
			return
		}
		out, err := r.marshal("民政工作简报")
		if err != nil {
			t.Fatal(err)
		}
		again, _, problems := parseRecord(name, out, shanghai)
		if !reflect.DeepEqual(again, r) {
			t.Fatalf("read back\n%+v\nwant\n%+v\nproblems %v\nfrom\n%s", again, r, problems, out)
		}
	})
}

// FuzzSelect: no selection file makes resolving panic, and whatever it
// selects is published and listed once.
func FuzzSelect(f *testing.F) {
	for _, seed := range []string{
		"content/qinghai/relief.md\n/news/bulletins/meeting/\n# 注释\n",
		"https://minzheng.example.cn/news/bulletins/relief/\nqinghai/draft.md",
		`D:\简报\content\gansu\winter.md`,
		"../../etc/passwd.md\n//\n/news/\nhttp://[::1]:namedport",
	} {
		f.Add(seed)
	}
	s := loadSite(f, "testdata/site")
	published := map[string]bool{}
	for _, b := range s.Bulletins {
		published[b.Source] = true
	}
	f.Fuzz(func(t *testing.T, list string) {
		q := Query{Select: strings.Split(list, "\n"), SelectName: "picks"}
		got, err := q.pick(s)
		if err != nil {
			if _, ok := err.(*ArgError); !ok {
				t.Fatalf("error %v is not an ArgError", err)
			}
			return
		}
		seen := map[string]bool{}
		for _, b := range got {
			if !published[b.Source] || seen[b.Source] {
				t.Fatalf("selected %s, unpublished or twice", b.Source)
			}
			seen[b.Source] = true
		}
	})
}
