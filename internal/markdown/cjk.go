package markdown

import "unicode"

// cjkWide approximates the characters of East Asian Width W, F or H (UAX #11)
// that are not emoji, plus the rest of Hangul: the "CJK characters" of the
// CommonMark CJK-friendly amendments. The standard library has no East Asian
// Width table, and goldmark's util.EastAsianWidth counts emoji as wide, so
// the blocks are listed here; unassigned code points inside them are
// harmless to include.
var cjkWide = &unicode.RangeTable{
	R16: []unicode.Range16{
		{Lo: 0x1100, Hi: 0x115f, Stride: 1}, // Hangul Jamo initial consonants
		{Lo: 0x2e80, Hi: 0x2fff, Stride: 1}, // CJK radicals, Kangxi radicals, ideographic description
		{Lo: 0x3001, Hi: 0x303e, Stride: 1}, // CJK symbols and punctuation (U+3000 is a space)
		{Lo: 0x3041, Hi: 0x33ff, Stride: 1}, // kana, Bopomofo, Hangul compatibility Jamo, enclosed CJK
		{Lo: 0x3400, Hi: 0x4dbf, Stride: 1}, // CJK extension A
		{Lo: 0x4dc0, Hi: 0x4dff, Stride: 1}, // Yijing hexagram symbols
		{Lo: 0x4e00, Hi: 0x9fff, Stride: 1}, // CJK unified ideographs
		{Lo: 0xa000, Hi: 0xa4cf, Stride: 1}, // Yi
		{Lo: 0xa960, Hi: 0xa97f, Stride: 1}, // Hangul Jamo extended A
		{Lo: 0xac00, Hi: 0xd7ff, Stride: 1}, // Hangul syllables, Jamo extended B
		{Lo: 0xf900, Hi: 0xfaff, Stride: 1}, // CJK compatibility ideographs
		{Lo: 0xfe10, Hi: 0xfe19, Stride: 1}, // vertical forms
		{Lo: 0xfe30, Hi: 0xfe6f, Stride: 1}, // CJK compatibility forms, small form variants
		{Lo: 0xff01, Hi: 0xffee, Stride: 1}, // fullwidth and halfwidth forms
	},
	R32: []unicode.Range32{
		{Lo: 0x16fe0, Hi: 0x18cff, Stride: 1}, // ideographic symbols, Tangut, Khitan
		{Lo: 0x1aff0, Hi: 0x1b2ff, Stride: 1}, // kana supplements, Nushu
		{Lo: 0x20000, Hi: 0x2fffd, Stride: 1}, // CJK extensions B–F, compatibility supplement
		{Lo: 0x30000, Hi: 0x3fffd, Stride: 1}, // CJK extensions G–H
		{Lo: 0xe0100, Hi: 0xe01ef, Stride: 1}, // ideographic variation selectors only follow ideographs
	},
}

// isCJK reports whether r is a CJK character in the sense of the CommonMark
// CJK-friendly amendments: wide or fullwidth (letters and punctuation alike).
func isCJK(r rune) bool {
	if r < 0x1100 {
		return false
	}
	return unicode.Is(cjkWide, r) || unicode.Is(unicode.Hangul, r)
}

// isCJKPunct reports whether r is punctuation that Chinese writers type next
// to emphasis markers. Besides the wide punctuation, the curly quotes, the
// ellipsis and the em dash are included: they are "ambiguous" width in
// Unicode but are fullwidth in Chinese text, and “低保” style quoting is
// everywhere in bulletins.
func isCJKPunct(r rune) bool {
	switch r {
	case '“', '”', '‘', '’', '…', '—':
		return true
	}
	return isCJK(r) && (unicode.IsPunct(r) || unicode.IsSymbol(r))
}
