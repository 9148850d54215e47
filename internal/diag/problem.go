package diag

import (
	"cmp"
	"fmt"
	"slices"
	"strconv"
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
	Msg      string   // in English
	Text     *Message // Msg as format and arguments, to read in another language; nil for text that is no message
}

// At makes a problem whose message is read in the reader's language.
func At(path string, line int, sev Severity, format string, args ...any) Problem {
	m := &Message{Format: format, Args: args}
	return Problem{Path: path, Line: line, Severity: sev, Msg: m.Error(), Text: m}
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

// Localize reads the problem in l's language: the location, then a
// warning's mark, then the message.
func (p Problem) Localize(l Localizer) string {
	at := p.Path
	if p.Line > 0 {
		at += ":" + strconv.Itoa(p.Line)
	}
	msg := p.Msg
	if p.Text != nil {
		msg = l.Sprintf(p.Text.Format, p.Text.Args...)
	}
	if p.Severity == Warning {
		return l.Sprintf("%s: warning: %s", at, msg)
	}
	return l.Sprintf("%s: %s", at, msg)
}

// Localize reads the problems one a line in l's language.
func (ps Problems) Localize(l Localizer) string {
	lines := make([]string, len(ps))
	for i, p := range ps {
		lines[i] = p.Localize(l)
	}
	return strings.Join(lines, "\n")
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
	s.Problems = append(s.Problems, At(s.Path, line, Error, format, args...))
}

// Warnf reports a warning at line of the sink's file.
func (s *Sink) Warnf(line int, format string, args ...any) {
	s.Problems = append(s.Problems, At(s.Path, line, Warning, format, args...))
}

// Failed reports whether the sink holds an error.
func (s *Sink) Failed() bool {
	return s.Problems.Errors() > 0
}
