package i18n_test

import (
	"fmt"
	"go/ast"
	"go/constant"
	"go/token"
	"go/types"
	"path/filepath"
	"regexp"
	"slices"
	"sort"
	"strings"
	"sync"
	"testing"

	"bulletin/internal/diag"
	"bulletin/internal/i18n"

	"golang.org/x/tools/go/packages"
	"golang.org/x/tools/go/types/typeutil"
)

// A message is a constant format string passed where a person reads the
// result. messageFuncs names the functions that take one, by the index of
// the argument; -1 is the last. Functions that pass a parameter on as a
// format (argErrorf, usagef) are found by scanMessages itself.
var messageFuncs = map[string][]int{
	"bulletin/internal/diag.Errorf":             {0},
	"bulletin/internal/diag.At":                 {3},
	"bulletin/internal/diag.Choices":            {2},
	"(*bulletin/internal/diag.Sink).Errorf":     {1},
	"(*bulletin/internal/diag.Sink).Warnf":      {1},
	"(*bulletin/internal/i18n.Printer).Sprintf": {0},
	"bulletin/internal/i18n.Plural":             {1, 2},
	"bulletin/cmd/bulletin.newFlags":            {2, 3},
}

// flagUsage is where each flag.FlagSet method takes the usage text.
func flagUsage(name string) (int, bool) {
	switch name {
	case "Func", "BoolFunc":
		return 1, true
	case "Bool", "BoolVar", "Duration", "DurationVar", "Float64", "Float64Var",
		"Int", "IntVar", "Int64", "Int64Var", "String", "StringVar", "TextVar",
		"Uint", "UintVar", "Uint64", "Uint64Var", "Var":
		return -1, true
	}
	return 0, false
}

// use is a message found in the code.
type use struct {
	key string
	pos string // file:line, relative to the module
}

type scan struct {
	uses     []use
	problems []string // formats that are not constants, text that bypasses the catalog
}

var scanOnce = sync.OnceValues(scanMessages)

// scanMessages reads every package of the module, tests left out, for the
// messages it prints.
func scanMessages() (*scan, error) {
	cfg := &packages.Config{
		Mode: packages.NeedName | packages.NeedFiles | packages.NeedSyntax | packages.NeedTypes | packages.NeedTypesInfo,
		Dir:  "../..",
	}
	pkgs, err := packages.Load(cfg, "./...")
	if err != nil {
		return nil, err
	}
	var loadErrs []string
	packages.Visit(pkgs, nil, func(p *packages.Package) {
		for _, e := range p.Errors {
			loadErrs = append(loadErrs, e.Error())
		}
	})
	if len(loadErrs) > 0 {
		return nil, fmt.Errorf("loading the module: %s", strings.Join(loadErrs, "\n"))
	}
	root, _ := filepath.Abs("../..")
	s := &scan{}
	funcs := map[string][]int{}
	for k, v := range messageFuncs {
		funcs[k] = v
	}
	// Wrappers may wrap wrappers: read until no new one is found.
	for pass := 0; ; pass++ {
		s.uses, s.problems = nil, nil
		before := len(funcs)
		for _, p := range pkgs {
			for _, f := range p.Syntax {
				s.file(p, f, root, funcs)
			}
		}
		if len(funcs) == before || pass > 5 {
			break
		}
	}
	return s, nil
}

var wordy = regexp.MustCompile(`[A-Za-z]{2,}|\p{Han}`)

func (s *scan) file(p *packages.Package, f *ast.File, root string, funcs map[string][]int) {
	info := p.TypesInfo
	pos := func(n ast.Node) string {
		at := p.Fset.Position(n.Pos())
		rel, _ := filepath.Rel(root, at.Filename)
		return fmt.Sprintf("%s:%d", filepath.ToSlash(rel), at.Line)
	}
	constString := func(e ast.Expr) (string, bool) {
		tv, ok := info.Types[e]
		if !ok || tv.Value == nil || tv.Value.Kind() != constant.String {
			return "", false
		}
		return constant.StringVal(tv.Value), true
	}
	// Package-level errors.New values are sentinel errors; Printer.Error
	// looks up their text.
	sentinels := map[*ast.CallExpr]bool{}
	for _, d := range f.Decls {
		if g, ok := d.(*ast.GenDecl); ok && g.Tok == token.VAR {
			ast.Inspect(g, func(n ast.Node) bool {
				if c, ok := n.(*ast.CallExpr); ok {
					sentinels[c] = true
				}
				return true
			})
		}
	}
	var enclosing []*ast.FuncDecl
	ast.Inspect(f, func(n ast.Node) bool {
		if n == nil {
			return true
		}
		if fd, ok := n.(*ast.FuncDecl); ok {
			enclosing = append(enclosing[:0], fd)
		}
		switch n := n.(type) {
		case *ast.CompositeLit:
			// A message written as a diag.Message with a constant format.
			if t, ok := info.Types[n].Type.(*types.Named); ok && t.Obj().Pkg() != nil &&
				t.Obj().Pkg().Path() == "bulletin/internal/diag" && t.Obj().Name() == "Message" {
				for _, el := range n.Elts {
					if kv, ok := el.(*ast.KeyValueExpr); ok {
						if id, ok := kv.Key.(*ast.Ident); ok && id.Name == "Format" {
							if k, ok := constString(kv.Value); ok && k != "" {
								s.uses = append(s.uses, use{k, pos(kv.Value)})
							}
						}
					}
				}
			}
			// The overview's command summaries.
			if t, ok := info.Types[n].Type.(*types.Named); ok && t.Obj().Pkg() != nil &&
				t.Obj().Pkg().Path() == "bulletin/cmd/bulletin" && t.Obj().Name() == "command" && len(n.Elts) > 1 {
				if k, ok := constString(n.Elts[1]); ok {
					s.uses = append(s.uses, use{k, pos(n)})
				}
			}
		case *ast.CallExpr:
			fn, _ := typeutil.Callee(info, n).(*types.Func)
			if fn == nil {
				return true
			}
			name := fn.FullName()
			var at []int
			if idx, ok := funcs[name]; ok {
				at = idx
			} else if recv := fn.Signature().Recv(); recv != nil && types.TypeString(recv.Type(), nil) == "*flag.FlagSet" {
				if i, ok := flagUsage(fn.Name()); ok {
					at = []int{i}
				}
			}
			switch name {
			case "fmt.Errorf", "errors.New":
				if k, ok := constString(n.Args[0]); ok && wordy.MatchString(k) {
					if sentinels[n] && name == "errors.New" {
						s.uses = append(s.uses, use{k, pos(n)})
					} else {
						s.problems = append(s.problems, fmt.Sprintf("%s: %s(%q) bypasses the catalog: use diag.Errorf", pos(n), name, k))
					}
				}
			case "fmt.Fprintf", "fmt.Fprint", "fmt.Fprintln":
				// What a command writes to stderr is for a person.
				if sel, ok := n.Args[0].(*ast.SelectorExpr); ok && sel.Sel.Name == "stderr" {
					for _, a := range n.Args[1:] {
						if k, ok := constString(a); ok && wordy.MatchString(k) {
							s.problems = append(s.problems, fmt.Sprintf("%s: %s to stderr with text %q bypasses the catalog: format it with the command's Printer", pos(n), name, k))
						}
					}
				}
			}
			for _, i := range at {
				if i < 0 {
					i = len(n.Args) - 1
				}
				if i >= len(n.Args) {
					continue
				}
				arg := n.Args[i]
				if k, ok := constString(arg); ok {
					if k != "" {
						s.uses = append(s.uses, use{k, pos(arg)})
					}
					continue
				}
				// i18n.Plural picks one of two messages, read above.
				if call, ok := arg.(*ast.CallExpr); ok {
					if f, ok := typeutil.Callee(info, call).(*types.Func); ok && f.FullName() == "bulletin/internal/i18n.Plural" {
						continue
					}
				}
				// A parameter passed on as a format makes its function a
				// message function too.
				if id, ok := arg.(*ast.Ident); ok && len(enclosing) > 0 {
					if v, ok := info.Uses[id].(*types.Var); ok {
						if fnObj, ok := info.Defs[enclosing[0].Name].(*types.Func); ok {
							params := fnObj.Signature().Params()
							found := false
							for j := 0; j < params.Len(); j++ {
								if params.At(j) == v {
									if !slices.Contains(funcs[fnObj.FullName()], j) {
										funcs[fnObj.FullName()] = append(funcs[fnObj.FullName()], j)
									}
									found = true
								}
							}
							if found {
								continue
							}
						}
					}
				}
				if p.PkgPath == "bulletin/internal/i18n" {
					continue // the printer itself formats what it was given
				}
				s.problems = append(s.problems, fmt.Sprintf("%s: the message given to %s is not a constant, so no catalog can hold it", pos(arg), name))
			}
		}
		return true
	})
}

// scanned is the module's messages and the catalog's entries; reading the
// module with its types takes seconds, so -short skips the tests that
// need it.
func scanned(t *testing.T) (*scan, []i18n.Entry) {
	t.Helper()
	if testing.Short() {
		t.Skip("reads the whole module with its types; not in -short")
	}
	s, err := scanOnce()
	if err != nil {
		t.Fatal(err)
	}
	entries, err := i18n.Entries()
	if err != nil {
		t.Fatal(err)
	}
	return s, entries
}

// TestCatalogCoversMessages fails for each message in the code that has
// no Chinese text, and for person-facing text that bypasses the catalog.
func TestCatalogCoversMessages(t *testing.T) {
	s, entries := scanned(t)
	have := map[string]bool{}
	for _, e := range entries {
		have[e.Key] = true
	}
	var missing []string
	seen := map[string]bool{}
	for _, u := range s.uses {
		// A format with no words ("%s: %w") reads the same in Chinese
		// unless the catalog says otherwise.
		if !have[u.key] && !seen[u.key] && wordy.MatchString(u.key) {
			seen[u.key] = true
			missing = append(missing, fmt.Sprintf("%s: no Chinese text for %q", u.pos, u.key))
		}
	}
	sort.Strings(missing)
	for _, m := range missing {
		t.Error(m)
	}
	for _, p := range s.problems {
		t.Error(p)
	}
	if len(s.uses) < 100 {
		t.Errorf("found only %d messages in the code; the scanner has lost them", len(s.uses))
	}
}

// TestCatalogHasNoUnusedEntries fails for a translation whose English text
// the code no longer prints; zh/system.yaml holds the texts of system
// errors, which are not in the code.
func TestCatalogHasNoUnusedEntries(t *testing.T) {
	s, entries := scanned(t)
	used := map[string]bool{
		// How every problem and list reads, formatted by diag and i18n.
		"%s: %s": true, "%s: warning: %s": true, ", ": true, "%s → %s: %s": true,
	}
	for _, u := range s.uses {
		used[u.key] = true
	}
	for _, e := range entries {
		if !used[e.Key] && e.Path != "zh/system.yaml" {
			t.Errorf("%s:%d: %q is no longer in the code; remove it", e.Path, e.Line, e.Key)
		}
	}
}

// verbClass groups the verbs that may stand for one another in a
// translation: a Chinese text quotes with “%s” where the English has %q.
func verbClass(v rune) string {
	switch v {
	case 's', 'q', 'v', 'w':
		return "text"
	case 'd', 'c', 'x', 'X', 'o', 'b', 'U':
		return "integer"
	case 'f', 'g', 'e', 'G', 'E':
		return "float"
	case '*':
		return "width"
	}
	return string(v)
}

// TestTranslationsKeepVerbs fails for a translation that drops an
// argument, adds one, or formats it as another kind of value.
func TestTranslationsKeepVerbs(t *testing.T) {
	entries, err := i18n.Entries()
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range entries {
		want := map[int]string{}
		for _, v := range diag.Verbs(e.Key) {
			want[v.Arg] = verbClass(v.Verb)
		}
		got := map[int]string{}
		for _, v := range diag.Verbs(e.Text) {
			if c, ok := got[v.Arg]; ok && c != verbClass(v.Verb) {
				t.Errorf("%s:%d: argument %d is formatted as %s and %s", e.Path, e.Line, v.Arg+1, c, verbClass(v.Verb))
			}
			got[v.Arg] = verbClass(v.Verb)
		}
		for arg, class := range want {
			if got[arg] == "" {
				t.Errorf("%s:%d: %q leaves out argument %d of %q", e.Path, e.Line, e.Text, arg+1, e.Key)
			} else if got[arg] != class {
				t.Errorf("%s:%d: %q formats argument %d as %s, %q as %s", e.Path, e.Line, e.Text, arg+1, got[arg], e.Key, class)
			}
		}
		for arg := range got {
			if _, ok := want[arg]; !ok {
				t.Errorf("%s:%d: %q has an argument %d that %q has not", e.Path, e.Line, e.Text, arg+1, e.Key)
			}
		}
		if strings.TrimSpace(e.Text) == "" && strings.TrimSpace(e.Key) != "" {
			t.Errorf("%s:%d: %q has an empty translation", e.Path, e.Line, e.Key)
		}
	}
}
