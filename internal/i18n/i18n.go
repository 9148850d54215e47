package i18n

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"strings"

	"bulletin/internal/diag"

	"go.yaml.in/yaml/v3"
	"golang.org/x/text/language"
	"golang.org/x/text/message/catalog"
)

//go:embed zh/*.yaml
var catalogFiles embed.FS

// Printer reads messages in one language. A nil Printer, and one for
// English, prints the English text as fmt would.
type Printer struct {
	tag language.Tag
	cat *catalog.Builder
}

// English is the printer for English, which needs no catalog.
func English() *Printer { return nil }

// New returns the printer for lang, "en" or "zh".
func New(lang string) (*Printer, error) {
	switch lang {
	case "en":
		return nil, nil
	case "zh":
	default:
		return nil, diag.Errorf("unknown language %q: use en or zh", lang)
	}
	cat, err := Catalog()
	if err != nil {
		return nil, err
	}
	return &Printer{tag: language.Chinese, cat: cat}, nil
}

// Lang is "zh" or "en".
func (p *Printer) Lang() string {
	if p == nil {
		return "en"
	}
	return "zh"
}

// Catalog reads the translations embedded in the program, every file's
// problems at once.
func Catalog() (*catalog.Builder, error) {
	entries, err := Entries()
	if err != nil {
		return nil, err
	}
	b := catalog.NewBuilder(catalog.Fallback(language.English))
	for _, e := range entries {
		if err := b.SetString(language.Chinese, e.Key, e.Text); err != nil {
			return nil, fmt.Errorf("%s:%d: %w", e.Path, e.Line, err)
		}
	}
	return b, nil
}

// Entry is one translation as its catalog file holds it.
type Entry struct {
	Path      string // e.g. zh/site.yaml
	Line      int
	Key, Text string
}

// Entries lists the translations of every catalog file, in file order.
// A key given twice, in one file or two, is an error.
func Entries() ([]Entry, error) {
	names, err := fs.Glob(catalogFiles, "zh/*.yaml")
	if err != nil {
		return nil, err
	}
	var out []Entry
	var errs []error
	seen := map[string]string{}
	for _, name := range names {
		data, err := catalogFiles.ReadFile(name)
		if err != nil {
			return nil, err
		}
		var doc yaml.Node
		if err := yaml.Unmarshal(data, &doc); err != nil {
			errs = append(errs, fmt.Errorf("%s: %w", name, err))
			continue
		}
		if len(doc.Content) == 0 {
			continue
		}
		m := doc.Content[0]
		if m.Kind != yaml.MappingNode {
			errs = append(errs, diag.Errorf("%s:%d: a catalog is a mapping of English text to Chinese text", name, m.Line))
			continue
		}
		for i := 0; i+1 < len(m.Content); i += 2 {
			k, v := m.Content[i], m.Content[i+1]
			if k.Kind != yaml.ScalarNode || v.Kind != yaml.ScalarNode {
				errs = append(errs, diag.Errorf("%s:%d: each entry is English text: Chinese text", name, k.Line))
				continue
			}
			if first, dup := seen[k.Value]; dup {
				errs = append(errs, diag.Errorf("%s:%d: %q is translated already in %s", name, k.Line, k.Value, first))
				continue
			}
			seen[k.Value] = fmt.Sprintf("%s:%d", name, k.Line)
			out = append(out, Entry{Path: path.Clean(name), Line: k.Line, Key: k.Value, Text: v.Value})
		}
	}
	return out, errors.Join(errs...)
}

// renderer captures the text a catalog holds for a key, so that it is
// formatted by fmt: golang.org/x/text/message would group digits, and a
// line number reads 1234, not 1,234.
type renderer struct{ b strings.Builder }

func (r *renderer) Render(s string) { r.b.WriteString(s) }
func (r *renderer) Arg(i int) any   { return nil }
func (p *Printer) text(key string) (string, bool) {
	if p == nil {
		return key, false
	}
	var r renderer
	if err := p.cat.Context(p.tag, &r).Execute(key); err != nil {
		return key, false
	}
	return r.b.String(), true
}

// Sprintf formats format's text in the printer's language. Arguments that
// are messages, problems, lists or errors are read in that language too;
// %w formats as fmt.Errorf formats it.
func (p *Printer) Sprintf(format string, args ...any) string {
	text, _ := p.text(format)
	local := make([]any, len(args))
	for i, a := range args {
		local[i] = p.arg(a)
	}
	return fmt.Errorf(text, local...).Error()
}

// Plural is one when n is 1, else many: Plural(n, "%d error", "%d errors").
// Both are messages; Chinese gives them the same text.
func Plural(n int, one, many string) string {
	if n == 1 {
		return one
	}
	return many
}

func (p *Printer) arg(a any) any {
	switch a := a.(type) {
	case *diag.Message:
		if a == nil {
			return a
		}
	case diag.Problem:
		return a.Localize(p)
	case diag.List:
		return strings.Join(a, p.Sprintf(", "))
	case diag.Messages:
		texts := make([]string, len(a))
		for i, m := range a {
			texts[i] = p.Error(m)
		}
		return strings.Join(texts, p.Sprintf(", "))
	}
	if err, ok := a.(error); ok {
		// Still an error, for a %w.
		return errors.New(p.Error(err))
	}
	return a
}

// Error reads err in the printer's language: a message in its catalog
// text, a list of problems one a line, a joined error each on its line,
// a file system error as the file and the reason, and another error as
// its catalog text when the catalog has its English text, else as it is.
func (p *Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	switch e := err.(type) {
	case *diag.Message:
		return p.Sprintf(e.Format, e.Args...)
	case diag.Problems:
		return e.Localize(p)
	case interface{ Unwrap() []error }:
		if p != nil && isJoin(err, e.Unwrap()) {
			var lines []string
			for _, e := range e.Unwrap() {
				if e != nil {
					lines = append(lines, p.Error(e))
				}
			}
			return strings.Join(lines, "\n")
		}
	}
	if p == nil {
		return err.Error()
	}
	var pe *fs.PathError
	if errors.As(err, &pe) && err == error(pe) {
		return p.Sprintf("%s: %s", pe.Path, p.Error(pe.Err))
	}
	var le *os.LinkError
	if errors.As(err, &le) && err == error(le) {
		return p.Sprintf("%s → %s: %s", le.Old, le.New, p.Error(le.Err))
	}
	if text, ok := p.text(err.Error()); ok {
		return text
	}
	return err.Error()
}

// isJoin reports whether err reads as its parts one a line, as
// errors.Join makes it; fmt.Errorf with two %w unwraps to a list too, but
// has words of its own.
func isJoin(err error, parts []error) bool {
	var texts []string
	for _, e := range parts {
		if e != nil {
			texts = append(texts, e.Error())
		}
	}
	return len(texts) > 0 && strings.Join(texts, "\n") == err.Error()
}
