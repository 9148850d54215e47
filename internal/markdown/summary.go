package markdown

import (
	"strings"
	"unicode"
)

// Summary returns the opening of text cut at a sentence end within max
// runes: the longest run of whole sentences that fits. Chinese sentences end
// at 。！？；, Latin ones at . ! ? ; followed by a space; closing quotes and
// brackets right after the end (。” or ！）) belong to the sentence. If the
// first sentence alone is longer than max, it is cut at max runes and "…" is
// appended. Whitespace collapses: none between Chinese characters, one space
// elsewhere. Text that fits in max is returned whole.
func Summary(text string, max int) string {
	if max <= 0 {
		return ""
	}
	// Runes past max only matter to finish a sentence end that straddles
	// it (closers, the space after a Latin full stop).
	s := collapseSpace(text, max+32)
	if len(s) <= max {
		return string(s)
	}
	cut := 0
	for i := 0; i < max; i++ {
		if end := sentenceEnd(s, i); end > 0 && end <= max {
			cut = end
		}
	}
	if cut > 0 {
		return strings.TrimSpace(string(s[:cut]))
	}
	return strings.TrimRightFunc(string(s[:max]), unicode.IsSpace) + "…"
}

// sentenceEnd returns the index just past the sentence that ends at s[i],
// closing quotes and brackets included, or 0 if no sentence ends there.
func sentenceEnd(s []rune, i int) int {
	latin := false
	switch s[i] {
	case '。', '！', '？', '；':
	case '.', '!', '?', ';':
		latin = true
	default:
		return 0
	}
	e := i + 1
	for e < len(s) && (isSentencePunct(s[e]) || isCloser(s[e])) {
		e++
	}
	// "3.5" and "e.g" are not sentence ends; a Latin end needs a space.
	if latin && e < len(s) && s[e] != ' ' {
		return 0
	}
	return e
}

func isSentencePunct(r rune) bool {
	return strings.ContainsRune("。！？；.!?;", r)
}

func isCloser(r rune) bool {
	return strings.ContainsRune("”’\"'）)」』】》〉］]｝}", r)
}

// collapseSpace turns each run of whitespace into one space, or into
// nothing between two CJK characters (a space typed inside Chinese text is
// not a word gap), trims the ends, and stops after limit runes. A line
// break is the end of a block (text has one block a line): after one that
// does not end a sentence, such as a heading or a list item (附件1：…表),
// a space keeps it apart from the next.
func collapseSpace(text string, limit int) []rune {
	out := make([]rune, 0, min(len(text), limit))
	gap, block := false, false
	for _, r := range text {
		if unicode.IsSpace(r) {
			gap = len(out) > 0
			block = block || r == '\n'
			continue
		}
		if len(out) >= limit {
			break
		}
		if gap {
			gap = false
			last := out[len(out)-1]
			ended := isSentencePunct(last) || isCloser(last)
			if !(isCJK(last) && isCJK(r)) || block && !ended {
				out = append(out, ' ')
			}
		}
		block = false
		out = append(out, r)
	}
	return out
}

// ReadingMinutes estimates reading time: Han characters at about 400 a
// minute plus Latin words at about 200 a minute, rounded up, at least 1.
func ReadingMinutes(text string) int {
	han, words := 0, 0
	inWord := false
	for _, r := range text {
		switch {
		case unicode.Is(unicode.Han, r):
			han++
			inWord = false
		case (unicode.IsLetter(r) || unicode.IsDigit(r)) && !isCJK(r):
			if !inWord {
				words++
			}
			inWord = true
		default:
			inWord = false
		}
	}
	// A word reads like two Han characters.
	return max(1, (han+2*words+399)/400)
}

// CountHan counts Han characters (unicode.Han).
func CountHan(text string) int {
	n := 0
	for _, r := range text {
		if unicode.Is(unicode.Han, r) {
			n++
		}
	}
	return n
}
