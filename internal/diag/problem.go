package diag

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

// Problems is a list of problems, usually sorted. As an error it reads as
// one problem per line; errors.As(err, &problems) recovers the list.
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

// Sort orders problems by path, line, severity and message.
func Sort(ps []Problem) {
	slices.SortStableFunc(ps, func(a, b Problem) int {
		return cmp.Or(
			cmp.Compare(a.Path, b.Path),
			cmp.Compare(a.Line, b.Line),
			cmp.Compare(a.Severity, b.Severity),
			cmp.Compare(a.Msg, b.Msg),
		)
	})
}

// Sink collects the problems of the file at Path.
type Sink struct {
	Path     string
	Problems Problems
}

// Errorf reports an error at line of the sink's file.
func (s *Sink) Errorf(line int, format string, args ...any) {
	s.Problems = append(s.Problems, Problem{Path: s.Path, Line: line, Severity: Error, Msg: fmt.Sprintf(format, args...)})
}

// Warnf reports a warning at line of the sink's file.
func (s *Sink) Warnf(line int, format string, args ...any) {
	s.Problems = append(s.Problems, Problem{Path: s.Path, Line: line, Severity: Warning, Msg: fmt.Sprintf(format, args...)})
}

// Failed reports whether the sink holds an error.
func (s *Sink) Failed() bool {
	return s.Problems.Errors() > 0
}
