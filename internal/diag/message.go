package diag

import (
	"fmt"
)

// Message is text for a person kept as its English format and arguments,
// so that it can be read in another language than the one it was written
// in (see package i18n). As an error it reads in English.
type Message struct {
	Format string
	Args   []any
}

// Errorf returns a Message error. As with fmt.Errorf, %w wraps an
// argument, which errors.Is and errors.As then see.
func Errorf(format string, args ...any) error {
	return &Message{Format: format, Args: args}
}

// Error reads the message in English, as fmt.Errorf would.
func (m *Message) Error() string { return fmt.Errorf(m.Format, m.Args...).Error() }

// String is Error, for a Message that is no error.
func (m *Message) String() string { return m.Error() }

// Unwrap returns the arguments the format wraps with %w.
func (m *Message) Unwrap() []error {
	var errs []error
	for _, v := range Verbs(m.Format) {
		if v.Verb == 'w' && v.Arg < len(m.Args) {
			if err, ok := m.Args[v.Arg].(error); ok {
				errs = append(errs, err)
			}
		}
	}
	return errs
}

// Localizer reads a message in a person's language; *i18n.Printer is one.
type Localizer interface {
	Sprintf(format string, args ...any) string
}

// Verb is one formatting verb of a format string and the index of the
// argument it formats.
type Verb struct {
	Arg  int
	Verb rune
}

// Verbs lists the verbs of a format string as fmt reads them, with
// explicit argument indexes ([n]) and * widths; %% is no verb. A format
// fmt would reject gives what could be read of it.
func Verbs(format string) []Verb {
	var out []Verb
	arg := 0
	rs := []rune(format)
	for i := 0; i < len(rs); i++ {
		if rs[i] != '%' {
			continue
		}
		i++
		for i < len(rs) && (rs[i] == '+' || rs[i] == '-' || rs[i] == '#' || rs[i] == ' ' || rs[i] == '0') {
			i++
		}
		index := func() {
			if i < len(rs) && rs[i] == '[' {
				j := i + 1
				n := 0
				for j < len(rs) && rs[j] >= '0' && rs[j] <= '9' {
					n = n*10 + int(rs[j]-'0')
					j++
				}
				if j < len(rs) && rs[j] == ']' && n > 0 {
					arg = n - 1
					i = j + 1
				}
			}
		}
		number := func() {
			index()
			if i < len(rs) && rs[i] == '*' {
				out = append(out, Verb{Arg: arg, Verb: '*'})
				arg++
				i++
				return
			}
			for i < len(rs) && rs[i] >= '0' && rs[i] <= '9' {
				i++
			}
		}
		number()
		if i < len(rs) && rs[i] == '.' {
			i++
			number()
		}
		index()
		if i >= len(rs) {
			break
		}
		if rs[i] == '%' {
			continue
		}
		out = append(out, Verb{Arg: arg, Verb: rs[i]})
		arg++
	}
	return out
}
