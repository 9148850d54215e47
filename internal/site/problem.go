package site

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// Severity says whether a problem stops the build.
type Severity int

const (
	Error Severity = iota
	Warning
)

// Problem is one thing wrong with the input, pointing at the file and line
// an editor has to change. Line is 0 when the problem is about a whole file.
type Problem struct {
	Path     string // slash-separated, relative to the site root, e.g. content/qinghai/a.md
	Line     int
	Severity Severity
	Msg      string
}

func (p Problem) String() string {
	var b strings.Builder
	b.WriteString(p.Path)
	if p.Line > 0 {
		fmt.Fprintf(&b, ":%d", p.Line)
	}
	b.WriteString(": ")
	if p.Severity == Warning {
		b.WriteString("warning: ")
	}
	b.WriteString(p.Msg)
	return b.String()
}

// Problems is the sorted list of everything Load found wrong. As an error it
// reads as one problem per line; errors.As(err, &problems) recovers the list.
type Problems []Problem

func (ps Problems) Error() string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.String()
	}
	return strings.Join(lines, "\n")
}

// Errors counts the problems that stop a build.
func (ps Problems) Errors() int {
	n := 0
	for _, p := range ps {
		if p.Severity == Error {
			n++
		}
	}
	return n
}

func sortProblems(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
}

// problemSink collects the problems of one file.
type problemSink struct {
	path string
	list []Problem
}

func (s *problemSink) errorf(line int, format string, args ...any) {
	s.list = append(s.list, Problem{Path: s.path, Line: line, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

func (s *problemSink) warnf(line int, format string, args ...any) {
	s.list = append(s.list, Problem{Path: s.path, Line: line, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

func (s *problemSink) failed() bool {
	for _, p := range s.list {
		if p.Severity == Error {
			return true
		}
	}
	return false
}

// didYouMean suggests the candidate closest to got, or "" when none is close
// enough to be a likely typo. Distance counts runes, so it works for Chinese
// names (青海省民正厅 → 青海省民政厅) as well as for keys.
func didYouMean(got string, candidates []string) string {
	best, bestDist := "", -1
	g := []rune(got)
	for _, c := range candidates {
		d := editDistance(g, []rune(c))
		limit := max(1, min(len(g), len([]rune(c)))/3)
		if d <= limit && (bestDist < 0 || d < bestDist) {
			best, bestDist = c, d
		}
	}
	if best == "" {
		return ""
	}
	return fmt.Sprintf("; did you mean %q?", best)
}

// editDistance counts insertions, deletions, substitutions and swaps of
// neighbours (titel → title is one edit).
func editDistance(a, b []rune) int {
	d := make([][]int, len(a)+1)
	for i := range d {
		d[i] = make([]int, len(b)+1)
		d[i][0] = i
	}
	for j := range d[0] {
		d[0][j] = j
	}
	for i := 1; i <= len(a); i++ {
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			d[i][j] = min(d[i-1][j]+1, d[i][j-1]+1, d[i-1][j-1]+cost)
			if i > 1 && j > 1 && a[i-1] == b[j-2] && a[i-2] == b[j-1] {
				d[i][j] = min(d[i][j], d[i-2][j-2]+1)
			}
		}
	}
	return d[len(a)][len(b)]
}
