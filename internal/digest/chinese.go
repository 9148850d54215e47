package digest

import (
	"strconv"
	"strings"
	"time"
)

// Numeral writes n as Chinese headings number it: 一, 十, 十一, 二十一,
// 一百零五. Numbers outside 1–9999 are written in digits; no briefing has
// that many groups.
func Numeral(n int) string {
	if n < 1 || n > 9999 {
		return strconv.Itoa(n)
	}
	const digits = "零一二三四五六七八九"
	digit := func(d int) string { return string([]rune(digits)[d]) }
	units := []string{"千", "百", "十", ""}
	places := []int{n / 1000, n / 100 % 10, n / 10 % 10, n % 10}
	var b strings.Builder
	zero := false
	for i, d := range places {
		if d == 0 {
			zero = b.Len() > 0
			continue
		}
		if zero {
			b.WriteString("零")
			zero = false
		}
		// 十一, not 一十一; but 一百一十.
		if !(i == 2 && d == 1 && n < 20) {
			b.WriteString(digit(d))
		}
		b.WriteString(units[i])
	}
	return b.String()
}

// Date writes a day as official documents do: 2024年1月25日.
func Date(t time.Time) string { return t.Format("2006年1月2日") }
