package synonyms

import (
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"bulletin/internal/diag"
)

func identity(s string) string { return s }

func load(t testing.TB, site string) (*Table, diag.Problems) {
	t.Helper()
	fsys := fstest.MapFS{}
	if site != "" {
		fsys[File] = &fstest.MapFile{Data: []byte(site)}
	}
	table, problems, err := Load(fsys, identity)
	if err != nil {
		t.Fatal(err)
	}
	return table, problems
}

func texts(vs []Variant) []string {
	var out []string
	for _, v := range vs {
		out = append(out, v.Text)
	}
	return out
}

func TestBuiltinIsClean(t *testing.T) {
	table, problems := load(t, "")
	if len(problems) > 0 {
		t.Fatalf("built-in table: %v", problems)
	}
	if len(table.alts) < 20 {
		t.Errorf("built-in table has %d terms", len(table.alts))
	}
}

func TestVariants(t *testing.T) {
	table, _ := load(t, "")
	for _, tc := range []struct {
		word string
		want []string
	}{
		{"低保", []string{"最低生活保障"}},
		{"最低生活保障", []string{"低保"}},
		{"低保标准", []string{"最低生活保障标准"}},
		{"提高低保标准", []string{"提高最低生活保障标准"}},
		// The longest term wins: not 最低生活保障边缘家庭.
		{"低保边缘家庭", []string{"低边家庭"}},
		// One way: the full form does not find the abbreviation.
		{"五保", []string{"特困人员救助供养", "特困供养"}},
		{"特困人员救助供养", []string{"特困供养", "五保供养"}},
		// 残疾人两项补贴 contains the word: nothing more to find.
		{"两项补贴", []string{"困难残疾人生活补贴", "重度残疾人护理补贴"}},
		// Two terms in one word: each replaced in turn.
		{"低保和五保", []string{"最低生活保障和五保", "低保和特困人员救助供养", "低保和特困供养"}},
		{"养老服务", nil},
		{"", nil},
		{"保", nil},
	} {
		if got := texts(table.Variants(tc.word)); !slices.Equal(got, tc.want) {
			t.Errorf("Variants(%q) = %q, want %q", tc.word, got, tc.want)
		}
	}
	if n := len(table.Variants(strings.Repeat("低保", 100))); n != MaxVariants {
		t.Errorf("a word with 100 terms has %d variants, want %d", n, MaxVariants)
	}
}

func TestSiteTable(t *testing.T) {
	table, problems := load(t, `# 本站的同义词
groups:
  - [低保, 低保金]
  - [社区服务中心, 社区综合服务设施]
expand:
  民政通: [民政一网通办]
disable: [高龄补贴]
`)
	if len(problems) > 0 {
		t.Fatalf("problems: %v", problems)
	}
	for _, tc := range []struct {
		term string
		want []string
	}{
		// Joined with the built-in group of 低保.
		{"低保金", []string{"最低生活保障", "低保"}},
		{"社区服务中心", []string{"社区综合服务设施"}},
		{"民政通", []string{"民政一网通办"}},
		{"民政一网通办", nil},
		{"高龄津贴", nil},
		{"高龄补贴", nil},
	} {
		got := table.Alternatives(tc.term)
		slices.Sort(got)
		want := slices.Clone(tc.want)
		slices.Sort(want)
		if !slices.Equal(got, want) {
			t.Errorf("Alternatives(%q) = %q, want %q", tc.term, got, want)
		}
	}
}

func TestProblems(t *testing.T) {
	for _, tc := range []struct {
		name, file string
		want       []string
	}{
		{"not a mapping", "- 低保\n", []string{"synonyms.yaml:1: expected groups:, expand: and disable:, found a list"}},
		{"syntax", "groups: [\n", []string{"synonyms.yaml:1: invalid YAML"}},
		{"unknown key", "group:\n  - [a, b]\n", []string{`synonyms.yaml:1: unknown key "group"`}},
		{"group of one", "groups:\n  - [低保]\n", []string{"synonyms.yaml:2: a group needs two or more different terms"}},
		{"group not a list", "groups:\n  - 低保\n", []string{"synonyms.yaml:2: a group must be a list of terms"}},
		{"twice in the site's groups", "groups:\n  - [甲乙, 丙丁]\n  - [戊己, 甲乙]\n",
			[]string{`synonyms.yaml:3: "甲乙" is in two groups (first on line 2): merge them into one`}},
		{"empty term", "groups:\n  - [甲乙, '']\n", []string{"synonyms.yaml:2: group: empty term"}},
		{"punctuation only", "groups:\n  - [甲乙, '，']\n", []string{`synonyms.yaml:2: group: "，" has no words in it`}},
		{"too long", "groups:\n  - [甲乙, " + strings.Repeat("长", 40) + "]\n", []string{"synonyms.yaml:2: group: \"" + strings.Repeat("长", 40) + "\" is longer than 32 characters"}},
		{"expand itself", "expand:\n  甲乙: [甲乙]\n", []string{`synonyms.yaml:2: expand: "甲乙" lists itself`, `synonyms.yaml:2: expand: "甲乙" must list the terms it also finds`}},
		{"expand twice", "expand:\n  甲乙: [丙丁]\n  甲乙: [戊己]\n", []string{`synonyms.yaml:3: expand: "甲乙" is given twice (first on line 2)`}},
		{"expand of a list", "expand:\n  - 甲乙\n", []string{"synonyms.yaml:2: expand must map a term"}},
		{"disable unknown", "disable: [甲乙]\n", []string{`synonyms.yaml:1: warning: disable: "甲乙" is not a built-in term`}},
		{"all at once", "groups:\n  - [低保]\n  - x\nexpand:\n  甲乙: []\n", []string{
			"synonyms.yaml:2: a group needs", "synonyms.yaml:3: a group must be a list", `synonyms.yaml:5: expand: "甲乙" must list`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, problems := load(t, tc.file)
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if len(got) != len(tc.want) {
				t.Fatalf("problems %q, want %d like %q", got, len(tc.want), tc.want)
			}
			for i := range got {
				if !strings.HasPrefix(got[i], tc.want[i]) {
					t.Errorf("problem %q, want it to start %q", got[i], tc.want[i])
				}
			}
		})
	}
}

// TestNormalized: terms and queries meet in the caller's normal form.
func TestNormalized(t *testing.T) {
	table, problems, err := Load(fstest.MapFS{File: {Data: []byte("groups:\n  - [COVID, 新冠]\n")}}, strings.ToLower)
	if err != nil || len(problems) > 0 {
		t.Fatal(err, problems)
	}
	if got := texts(table.Variants("covid疫苗")); !slices.Equal(got, []string{"新冠疫苗"}) {
		t.Errorf("Variants(covid疫苗) = %q", got)
	}
}

func FuzzLoad(f *testing.F) {
	f.Add([]byte("groups:\n  - [低保, 低保金]\nexpand:\n  民政通: [民政一网通办]\ndisable: [高龄补贴]\n"), "低保标准")
	f.Add([]byte("groups: &a [*a]\n"), "低保")
	f.Fuzz(func(t *testing.T, src []byte, word string) {
		table, _, err := Load(fstest.MapFS{File: {Data: src}}, identity)
		if err != nil {
			t.Fatal(err)
		}
		vs := table.Variants(word)
		if len(vs) > MaxVariants {
			t.Fatalf("%d variants", len(vs))
		}
		for _, v := range vs {
			if v.Text == word || !strings.Contains(v.Text, v.Alt) {
				t.Fatalf("variant %+v of %q", v, word)
			}
		}
	})
}
