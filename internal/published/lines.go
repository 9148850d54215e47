package published

import (
	"bytes"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"
)

// parseLines reads a record file written by Write (one entry a line, as
// line makes them, with comments and blank lines) without a YAML parser:
// at a million bulletins the record is some 170 MB, which a YAML node tree
// would hold many times over, on every build. It gives up (ok false) at
// the first line of any other shape, or a slug seen before, and the file is
// then read as YAML, which says what is wrong where. Whatever it accepts,
// the YAML reading accepts the same (FuzzParseLines).
func (r *Record) parseLines(path string, src []byte) (entries []*Entry, ok bool) {
	seen := map[string]bool{}
	for n := 1; len(src) > 0; n++ {
		line := src
		if i := bytes.IndexByte(src, '\n'); i >= 0 {
			line, src = src[:i], src[i+1:]
		} else {
			src = nil
		}
		if len(line) == 0 {
			continue
		}
		if line[0] == '#' {
			if !plainComment(line) {
				return nil, false
			}
			continue
		}
		e, ok := parseLine(string(line))
		if !ok || seen[e.Slug] || r.Entries[e.Slug] != nil {
			return nil, false
		}
		seen[e.Slug] = true
		e.compact()
		e.Path, e.Line = path, n
		entries = append(entries, e)
	}
	return entries, true
}

// compact gives e's strings one copy of their own, in place of the line
// they were read from, of which they are under half: a record of a
// million bulletins is read whole by every build.
func (e *Entry) compact() {
	all := e.Slug + e.Hash + e.Body + e.From
	cut := func(n int) string {
		s := all[:n]
		all = all[n:]
		return s
	}
	e.Slug, e.Hash, e.Body, e.From = cut(len(e.Slug)), cut(len(e.Hash)), cut(len(e.Body)), cut(len(e.From))
}

// parseLine reads `slug: {date: T, first: T, hash: H, body: H[, from: slug]}`.
// The entry's strings are parts of line (see compact).
func parseLine(line string) (*Entry, bool) {
	rest := line
	word := func(valid func(byte) bool) (string, bool) {
		i := 0
		for i < len(rest) && valid(rest[i]) {
			i++
		}
		w := rest[:i]
		rest = rest[i:]
		return w, i > 0
	}
	lit := func(s string) bool {
		if !strings.HasPrefix(rest, s) {
			return false
		}
		rest = rest[len(s):]
		return true
	}
	when := func() (time.Time, bool) {
		w, ok := word(isTimeByte)
		if !ok {
			return time.Time{}, false
		}
		t, err := time.Parse(time.RFC3339, w)
		return t, err == nil
	}
	e := &Entry{}
	var ok bool
	// A slug starts with a letter or digit, so that no YAML indicator
	// (-, ., ?, &, *, !, quotes...) can give the line another meaning.
	if len(rest) == 0 || !isAlnum(rest[0]) {
		return nil, false
	}
	if e.Slug, ok = word(isSlugByte); !ok || !lit(": {date: ") {
		return nil, false
	}
	if e.Date, ok = when(); !ok || !lit(", first: ") {
		return nil, false
	}
	if e.First, ok = when(); !ok || !lit(", hash: ") {
		return nil, false
	}
	if e.Hash, ok = word(isHexByte); !ok || !lit(", body: ") {
		return nil, false
	}
	if e.Body, ok = word(isHexByte); !ok {
		return nil, false
	}
	if lit(", from: ") {
		if len(rest) == 0 || !isAlnum(rest[0]) {
			return nil, false
		}
		if e.From, ok = word(isSlugByte); !ok {
			return nil, false
		}
	}
	// A zero time is no date: the YAML reading passes over such an entry.
	return e, lit("}") && len(rest) == 0 && !e.Date.IsZero() && !e.First.IsZero()
}

func isAlnum(c byte) bool {
	return 'a' <= c && c <= 'z' || 'A' <= c && c <= 'Z' || '0' <= c && c <= '9'
}

func isSlugByte(c byte) bool { return isAlnum(c) || c == '-' || c == '_' || c == '.' }

func isHexByte(c byte) bool { return '0' <= c && c <= '9' || 'a' <= c && c <= 'f' }

func isTimeByte(c byte) bool {
	return '0' <= c && c <= '9' || c == '-' || c == ':' || c == 'T' || c == 'Z' || c == '+' || c == '.'
}

// plainComment reports whether a comment line holds only what YAML allows
// in a comment and reads as one line: no control characters, byte order
// marks or Unicode line separators.
func plainComment(line []byte) bool {
	if !utf8.Valid(line) {
		return false
	}
	for _, r := range string(line) {
		if r != '\t' && unicode.IsControl(r) || r == '\ufeff' || r == '\u2028' || r == '\u2029' {
			return false
		}
	}
	return true
}
