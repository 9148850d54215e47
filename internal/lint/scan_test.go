package lint

import (
	"slices"
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzScan checks the one-pass scanning against the simple searches it
// replaced: the tokens of a line, and the pairs of parentheses with the
// Chinese characters between them, must be the same.
func FuzzScan(f *testing.F) {
	for _, seed := range []string{
		"[a](b) [a](b(c)d) [a](\\)) ![x](y) [^1] [a][b] <a href=x> <b http://x.cn/a,b www.x.cn.",
		"`a` ``b`` ``c` \\`d` ```e``` `` ` `` \\\\`f`",
		"[a](((b)) [c](d\\)e) ](x](y)",
		"(甲(乙)丙) ((汉) (a)(b) )( (汉",
		"汉?!?汉 a?! 汉??",
	} {
		f.Add(seed)
	}
	for _, p := range pathological {
		f.Add(p.body(50))
	}
	var in inline
	c := &checker{}
	f.Fuzz(func(t *testing.T, s string) {
		if !utf8.ValidString(s) || strings.ContainsAny(s, "\r\n") || len(s) > 4096 {
			return // not one line of a file, or long enough to stall the slow searches
		}
		got := in.tokens(nil, s, 0)
		want := markdownTokensRef(nil, s, 0)
		if !slices.Equal(got, want) {
			t.Fatalf("tokens of %q:\n got %v\nwant %v", s, got, want)
		}
		c.matchParentheses(got)
		for i, tk := range got {
			if tk.r != '(' {
				continue
			}
			j, han := parenthesesRef(got, i)
			if int(c.partner[i]) != j || j >= 0 && (c.hanUpTo[j] > c.hanUpTo[i+1]) != han {
				t.Fatalf("%q: ( at %d closes at %d, Chinese inside %v; want %d, %v",
					s, tk.off, c.partner[i], j >= 0 && c.hanUpTo[j] > c.hanUpTo[i+1], j, han)
			}
		}
	})
}

// parenthesesRef is the search checker.parentheses made before it matched
// all parentheses in one pass: the ) where the depth from toks[i] drops to
// zero, or -1, and whether a Chinese character lies between.
func parenthesesRef(toks []tok, i int) (int, bool) {
	depth := 0
	for k := i; k < len(toks); k++ {
		switch toks[k].r {
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return k, slices.ContainsFunc(toks[i+1:k], func(t tok) bool { return isHan(t.r) })
			}
		}
	}
	return -1, false
}

// markdownTokensRef is the scanner as it was before it learnt to keep
// what it found: each opener searches the rest of the line afresh. It is
// the specification inline.tokens must agree with, slow as it is.
func markdownTokensRef(toks []tok, s string, base int) []tok {
	opaque := func(i, j int) {
		toks = append(toks, tok{barrier, int32(base + i), int32(j - i)})
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\' && i+1 < len(s) && (isASCIIPunct(s[i+1]) || s[i+1] == ' '):
			opaque(i, i+2)
			i += 2
			continue
		case c == '`':
			n := runOf(s, i, '`')
			if j := closingBackticksRef(s, i+n, n); j >= 0 {
				opaque(i, j+n)
				i = j + n
			} else {
				opaque(i, i+n)
				i += n
			}
			continue
		case c == '*' || c == '_' || c == '~':
			i += runOf(s, i, c)
			continue
		case c == '!' && i+1 < len(s) && s[i+1] == '[':
			i += 2
			continue
		case c == '[':
			if strings.HasPrefix(s[i:], "[^") {
				if j := strings.IndexByte(s[i:], ']'); j > 0 {
					i += j + 1
					continue
				}
			}
			i++
			continue
		case c == ']':
			i++
			if i < len(s) && s[i] == '(' {
				if j := linkDestEndRef(s, i); j > 0 {
					i = j
				}
			} else if i < len(s) && s[i] == '[' {
				if j := strings.IndexByte(s[i:], ']'); j > 0 {
					i += j + 1
				}
			}
			continue
		case c == '<':
			if j := angleEndRef(s, i); j > 0 {
				opaque(i, j)
				i = j
				continue
			}
		case c == 'h' || c == 'H' || c == 'w' || c == 'W':
			if j := urlEnd(s, i); j > 0 {
				opaque(i, j)
				i = j
				continue
			}
		}
		if c >= 0xe0 && c < 0xf0 && i+2 < len(s) {
			// A three-byte sequence, which is every Chinese character;
			// File has checked that the text is valid UTF-8.
			r := rune(c&0x0f)<<12 | rune(s[i+1]&0x3f)<<6 | rune(s[i+2]&0x3f)
			toks = append(toks, tok{r, int32(base + i), 3})
			i += 3
			continue
		}
		r, size := utf8.DecodeRuneInString(s[i:])
		toks = append(toks, tok{r, int32(base + i), int32(size)})
		i += size
	}
	return toks
}

// closingBackticksRef finds a run of exactly n backticks at or after i.
func closingBackticksRef(s string, i, n int) int {
	for i < len(s) {
		j := strings.IndexByte(s[i:], '`')
		if j < 0 {
			return -1
		}
		j += i
		if m := runOf(s, j, '`'); m == n {
			return j
		} else {
			i = j + m
		}
	}
	return -1
}

// linkDestEndRef returns the index after the ")" that closes the link
// destination opening at s[i] == '(', or -1.
func linkDestEndRef(s string, i int) int {
	depth := 0
	for j := i; j < len(s); j++ {
		switch s[j] {
		case '\\':
			j++
		case '(':
			depth++
		case ')':
			depth--
			if depth == 0 {
				return j + 1
			}
		}
	}
	return -1
}

// angleEndRef returns the index after an autolink or HTML tag starting at
// s[i] == '<', or -1 when the < is text.
func angleEndRef(s string, i int) int {
	if i+1 >= len(s) {
		return -1
	}
	c := s[i+1]
	if !('a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || c == '/' || c == '!' || c == '?') {
		return -1
	}
	if j := strings.IndexByte(s[i:], '>'); j > 0 {
		return i + j + 1
	}
	return -1
}
