package diag

import (
	"errors"
	"io/fs"
	"slices"
	"testing"
)

func TestVerbs(t *testing.T) {
	for _, tc := range []struct {
		format string
		want   []Verb
	}{
		{"plain", nil},
		{"100%% done", nil},
		{"%s: %d", []Verb{{0, 's'}, {1, 'd'}}},
		{"%-8s|%+.2f|%#x", []Verb{{0, 's'}, {1, 'f'}, {2, 'x'}}},
		{"%[2]s then %[1]q", []Verb{{1, 's'}, {0, 'q'}}},
		{"%*d", []Verb{{0, '*'}, {1, 'd'}}},
		{"日期“%s”无效（%v）", []Verb{{0, 's'}, {1, 'v'}}},
		{"trailing %", nil},
	} {
		if got := Verbs(tc.format); !slices.Equal(got, tc.want) {
			t.Errorf("Verbs(%q) = %v, want %v", tc.format, got, tc.want)
		}
	}
}

func TestMessageReadsAsFmt(t *testing.T) {
	err := Errorf("reading %s: %w", "a.md", fs.ErrNotExist)
	if got, want := err.Error(), "reading a.md: file does not exist"; got != want {
		t.Errorf("Error() = %q, want %q", got, want)
	}
	if !errors.Is(err, fs.ErrNotExist) {
		t.Error("errors.Is does not see the wrapped error")
	}
	p := At("content/a.md", 3, Warning, "title is %d characters long", 120)
	if got, want := p.String(), "content/a.md:3: warning: title is 120 characters long"; got != want {
		t.Errorf("String() = %q, want %q", got, want)
	}
	if got := p.Localize(upper{}); got != "CONTENT/A.MD:3: WARNING: TITLE IS 120 CHARACTERS LONG" {
		t.Errorf("Localize = %q", got)
	}
	if got := Suggest("x", nil).String(); got != "" {
		t.Errorf("an empty suggestion reads %q", got)
	}
}

// upper is a Localizer whose language is English in capitals.
type upper struct{}

func (upper) Sprintf(format string, args ...any) string {
	out := []rune(Errorf(format, args...).Error())
	for i, r := range out {
		if r >= 'a' && r <= 'z' {
			out[i] = r - 'a' + 'A'
		}
	}
	return string(out)
}
