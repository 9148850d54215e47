package digest

import (
	"testing"
	"time"
)

func TestNumeral(t *testing.T) {
	for _, tc := range []struct {
		n    int
		want string
	}{
		{1, "一"}, {9, "九"}, {10, "十"}, {11, "十一"}, {19, "十九"}, {20, "二十"},
		{21, "二十一"}, {99, "九十九"}, {100, "一百"}, {101, "一百零一"}, {110, "一百一十"},
		{115, "一百一十五"}, {1001, "一千零一"}, {1010, "一千零一十"}, {2024, "二千零二十四"},
		{9999, "九千九百九十九"}, {0, "0"}, {10000, "10000"},
	} {
		if got := Numeral(tc.n); got != tc.want {
			t.Errorf("Numeral(%d) = %q, want %q", tc.n, got, tc.want)
		}
	}
}

func TestDate(t *testing.T) {
	if got, want := Date(time.Date(2024, 1, 5, 0, 0, 0, 0, time.UTC)), "2024年1月5日"; got != want {
		t.Errorf("Date = %q, want %q", got, want)
	}
}
