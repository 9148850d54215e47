package diag

import (
	"errors"
	"fmt"
	"testing"

	// Registers -update, unused here, so that go test ./... -update
	// does not stop at this package with an unknown flag.
	_ "bulletin/internal/golden"
)

func TestProblemString(t *testing.T) {
	for _, tc := range []struct {
		p    Problem
		want string
	}{
		{Problem{Path: "content/a.md", Line: 3, Msg: "title is missing"}, "content/a.md:3: title is missing"},
		{Problem{Path: "content", Severity: Warning, Msg: "folder not found"}, "content: warning: folder not found"},
	} {
		if got := tc.p.String(); got != tc.want {
			t.Errorf("%+v reads %q, want %q", tc.p, got, tc.want)
		}
	}
}

func TestSinkAndSort(t *testing.T) {
	s := &Sink{Path: "site.yaml"}
	s.Warnf(2, "b")
	if s.Failed() {
		t.Error("a warning failed the sink")
	}
	s.Errorf(2, "a %d", 1)
	s.Errorf(1, "c")
	if !s.Failed() || s.Problems.Errors() != 2 {
		t.Errorf("%d errors, failed %v; want 2, true", s.Problems.Errors(), s.Failed())
	}
	Sort(s.Problems)
	var err error = s.Problems
	var ps Problems
	if !errors.As(fmt.Errorf("load: %w", err), &ps) {
		t.Fatal("errors.As does not recover the problems")
	}
	want := "site.yaml:1: c\nsite.yaml:2: a 1\nsite.yaml:2: warning: b"
	if got := ps.Error(); got != want {
		t.Errorf("sorted:\n%s\nwant\n%s", got, want)
	}
}

func TestSuggest(t *testing.T) {
	keys := []string{"title", "date", "bureau", "summary"}
	for _, tc := range []struct {
		got        string
		candidates []string
		want       string
	}{
		{"titel", keys, `; did you mean "title"?`}, // a swap is one edit
		{"bueau", keys, `; did you mean "bureau"?`},
		{"dat", keys, `; did you mean "date"?`},
		{"colour", keys, ""},
		{"青海省民正厅", []string{"青海省民政厅", "甘肃省民政厅"}, `; did you mean "青海省民政厅"?`},
		{"吉林省民政厅", []string{"青海省民政厅", "甘肃省民政厅"}, ""}, // another province, not a typo
		{"杭州市上城区民政局", []string{"杭州市西湖区民政局"}, ""},
		{"社会求助", []string{"社会救助", "养老服务"}, `; did you mean "社会救助"?`},
		{"x", nil, ""},
		// A Chinese name written short or long: the one that holds it.
		{"西宁市", []string{"青海省", "青海省西宁市", "青海省海东市"}, `; did you mean "青海省西宁市"?`},
		{"养老", []string{"社会救助", "养老服务"}, `; did you mean "养老服务"?`},
		{"青海省西宁市城东区", []string{"青海省", "青海省西宁市"}, ""}, // held by two: no guess
		{"民政", []string{"青海省民政厅", "甘肃省民政厅"}, ""},
	} {
		if got := Suggest(tc.got, tc.candidates).String(); got != tc.want {
			t.Errorf("Suggest(%q) = %q, want %q", tc.got, got, tc.want)
		}
	}
}

func TestChoices(t *testing.T) {
	many := []string{"甲", "乙", "丙", "丁", "戊", "己", "庚", "辛", "壬", "癸", "子", "丑", "寅", "卯"}
	for _, tc := range []struct {
		got        string
		candidates []string
		want       string
	}{
		{"青海省民正厅", []string{"青海省民政厅", "甘肃省民政厅"}, `; did you mean "青海省民政厅"? (site.yaml lists 青海省民政厅, 甘肃省民政厅)`},
		{"吉林省民政厅", []string{"青海省民政厅", "甘肃省民政厅"}, ` (site.yaml lists 青海省民政厅, 甘肃省民政厅)`},
		{"未", many, ` (site.yaml lists 甲, 乙, 丙, 丁, 戊, 己, 庚, 辛, 壬, 癸, 子, 丑 and 2 more)`},
		{"x", nil, ""},
	} {
		if got := Choices(tc.got, tc.candidates, "site.yaml lists").String(); got != tc.want {
			t.Errorf("Choices(%q) = %q, want %q", tc.got, got, tc.want)
		}
	}
}
