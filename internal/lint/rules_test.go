package lint

import (
	"os"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"bulletin/internal/diag"
)

func TestReadRules(t *testing.T) {
	tests := []struct {
		name     string
		yaml     string
		problems []string
		// hits of the body "青海省民正厅截止目前国务苑" with the rules read
		want []string
	}{
		{"no wording.yaml", "", nil, []string{
			"7:4 wording 民正厅 → 民政厅 (机关名称) [fix]",
			"7:7 wording 截止目前 → 截至目前 (“截至”表示到某一时间为止) [fix]",
			"7:11 wording 国务苑 → 国务院 (国家机关名称) [fix]",
		}},
		{"site rule, override, disable", `rules:
  - wrong: 青海省民正厅
    right: 青海省民政厅
    message: 单位名称
  - wrong: 国务苑
    right: 国务院
    message: 本站说明
    severity: warning
disable: [截止目前]
`, nil, []string{
			"7:1 wording 青海省民正厅 → 青海省民政厅 (单位名称) [fix]",
			"7:11 wording 国务苑 → 国务院 (本站说明) [fix]",
		}},
		{"report-only and fix false", `rules:
  - {wrong: 民正厅, message: 核实}
  - {wrong: 国务苑, right: 国务院, fix: false}
`, nil, []string{
			"7:4 wording 民正厅 (核实)",
			"7:7 wording 截止目前 → 截至目前 (“截至”表示到某一时间为止) [fix]",
			"7:11 wording 国务苑 → 国务院",
		}},
		{"except", `rules:
  - {wrong: 目前国, right: 目前的国, except: [截止目前国务苑]}
`, nil, []string{
			"7:4 wording 民正厅 → 民政厅 (机关名称) [fix]",
			"7:7 wording 截止目前 → 截至目前 (“截至”表示到某一时间为止) [fix]",
			"7:11 wording 国务苑 → 国务院 (国家机关名称) [fix]",
		}},
		{"mistakes", `rules:
  - wrong: 甲
    rigth: 乙
  - wrong: 丙
    right: 丙
  - right: 丁
  - wrong: 戊
    severity: fatal
  - wrong: 己
    except: [庚]
  - wrong: 甲
    right: 辛
  - 壬
disable: [不存在]
colour: red
`, []string{
			`wording.yaml:3: unknown key rule "rigth"; did you mean "right"?`,
			`wording.yaml:4: rule "丙": the right form is the same as the wrong one`,
			`wording.yaml:6: rule has no wrong form`,
			`wording.yaml:8: severity must be error or warning, not "fatal"`,
			`wording.yaml:10: except "庚" does not contain the wrong form "己"`,
			`wording.yaml:11: wrong form "甲" is given twice (first on line 2)`,
			`wording.yaml:13: each rule must be a mapping with wrong, right and message, not "壬"`,
			`wording.yaml:14: warning: disable: "不存在" is not a built-in rule`,
			`wording.yaml:15: unknown key "colour"`,
		}, []string{
			"7:4 wording 民正厅 → 民政厅 (机关名称) [fix]",
			"7:7 wording 截止目前 → 截至目前 (“截至”表示到某一时间为止) [fix]",
			"7:11 wording 国务苑 → 国务院 (国家机关名称) [fix]",
		}},
		{"rules that undo each other", `rules:
  - {wrong: 民正厅, right: 国务苑}
`, []string{`wording.yaml:2: the right form "国务苑" contains "国务苑", which a built-in rule calls wrong; change one of them`}, []string{
			"7:4 wording 民正厅 → 国务苑",
			"7:7 wording 截止目前 → 截至目前 (“截至”表示到某一时间为止) [fix]",
			"7:11 wording 国务苑 → 国务院 (国家机关名称) [fix]",
		}},
		{"bad yaml", "rules: [\n", []string{"wording.yaml:1: invalid YAML: did not find expected node content"}, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			fsys := fstest.MapFS{}
			if tt.yaml != "" {
				fsys[WordingFile] = &fstest.MapFile{Data: []byte(tt.yaml)}
			}
			rules, problems, err := ReadRules(fsys)
			if err != nil {
				t.Fatal(err)
			}
			var got []string
			for _, p := range problems {
				got = append(got, p.String())
			}
			if strings.Join(got, "\n") != strings.Join(tt.problems, "\n") {
				t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(tt.problems, "\n"))
			}
			if tt.want == nil {
				return
			}
			hits := hitLines(New(rules).File("a.md", []byte(front+"青海省民正厅截止目前国务苑\n")))
			if strings.Join(hits, "\n") != strings.Join(tt.want, "\n") {
				t.Errorf("hits:\n%s\nwant:\n%s", strings.Join(hits, "\n"), strings.Join(tt.want, "\n"))
			}
		})
	}
}

func TestSiteRuleSeverity(t *testing.T) {
	rules, _, _ := ReadRules(fstest.MapFS{WordingFile: {Data: []byte("rules:\n  - {wrong: 甲乙, right: 乙甲, severity: warning}\n")}})
	hits := New(rules).File("a.md", []byte(front+"甲乙\n"))
	if len(hits) != 1 || hits[0].Severity != diag.Warning || hits[0].Problem().String() != "a.md:7: warning: 甲乙 → 乙甲" {
		t.Errorf("hits = %+v", hits)
	}
}

// TestBuiltinRules checks the built-in list for entries that would fire on
// their own right form or that contradict each other, and that
// docs/wording.md lists every entry.
func TestBuiltinRules(t *testing.T) {
	doc, err := os.ReadFile("../../docs/wording.md")
	if err != nil {
		t.Fatal(err)
	}
	rules := NewRules(Builtin())
	l := New(rules)
	seen := map[string]bool{}
	for _, r := range Builtin() {
		if seen[r.Wrong] {
			t.Errorf("%s is listed twice", r.Wrong)
		}
		seen[r.Wrong] = true
		if !r.fixable() || r.Severity != diag.Error {
			t.Errorf("%s: built-in rules are errors with a right form that check -fix may apply", r.Wrong)
		}
		if !utf8.ValidString(r.Wrong) || strings.ContainsAny(r.Wrong, " \t") {
			t.Errorf("%q: not a plain wrong form", r.Wrong)
		}
		for _, e := range r.Except {
			if !strings.Contains(e, r.Wrong) {
				t.Errorf("%s: exception %s does not contain it", r.Wrong, e)
			}
			if hits := l.File("a.md", []byte(front+e+"\n")); len(hits) != 0 {
				t.Errorf("%s: exception %s is still reported: %v", r.Wrong, e, hitLines(hits))
			}
		}
		// Correct text never fires: the right form, on its own, is clean.
		if hits := l.File("a.md", []byte(front+r.Right+"\n")); len(hits) != 0 {
			t.Errorf("the right form %s is reported: %v", r.Right, hitLines(hits))
		}
		if hits := l.File("a.md", []byte(front+r.Wrong+"\n")); len(hits) != 1 || hits[0].Wrong != r.Wrong {
			t.Errorf("%s is not reported as itself: %v", r.Wrong, hitLines(hits))
		}
		row := "| " + r.Wrong + " | " + r.Right + " | " + r.Message + " |"
		if !strings.Contains(string(doc), row) {
			t.Errorf("docs/wording.md lacks the row %q", row)
		}
	}
	if n := len(Builtin()); n < 40 {
		t.Errorf("%d built-in rules; the documented list has more", n)
	}
}
