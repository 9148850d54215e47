package synonyms

import (
	_ "embed"
	"errors"
	"io/fs"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/yamlnode"
)

// File is the site's table, at the site's root.
const File = "synonyms.yaml"

// MaxVariants bounds the variants of one query word.
const MaxVariants = 8

// maxTermRunes bounds a term: a synonym names a thing, it is no sentence.
const maxTermRunes = 32

// maxEntries bounds the groups and expansions one file may hold, so that
// a hostile file cannot make every query slow.
const maxEntries = 10000

//go:embed builtin.yaml
var builtinYAML []byte

// Table maps each term to its alternatives.
type Table struct {
	alts     map[string][]string
	maxRunes int // of the longest term
}

// Variant is a query word with one term replaced by an alternative.
type Variant struct {
	Text      string // the whole word, rewritten
	Term, Alt string // what was replaced, and by what
}

// entries are a file's groups and expansions, as written.
type entries struct {
	groups  [][]term
	expand  []expansion
	disable []term
}

type term struct {
	text string
	line int
}

type expansion struct {
	from term
	to   []term
}

// Load reads the built-in table and the site's synonyms.yaml in fsys, when
// there is one, terms normalized by normalize. The problems name the
// site's file and lines; err is for a file that cannot be read.
func Load(fsys fs.FS, normalize func(string) string) (*Table, diag.Problems, error) {
	builtin, problems := parse("builtin "+File, builtinYAML, normalize)
	if len(problems) > 0 {
		// A test keeps the built-in table clean.
		return nil, problems, nil
	}
	var site entries
	src, err := fs.ReadFile(fsys, File)
	switch {
	case errors.Is(err, fs.ErrNotExist):
	case err != nil:
		return nil, nil, err
	default:
		site, problems = parse(File, src, normalize)
	}
	return build(builtin, site, File, &problems), problems, nil
}

// Check reports the problems of a site's synonyms.yaml, as `check` does.
func Check(fsys fs.FS, normalize func(string) string) (diag.Problems, error) {
	_, problems, err := Load(fsys, normalize)
	return problems, err
}

// parse reads one file's entries.
func parse(path string, src []byte, normalize func(string) string) (entries, diag.Problems) {
	var e entries
	sink := &diag.Sink{Path: path}
	root, _ := yamlnode.Parse(src, 1, sink)
	if root == nil {
		return e, sink.Problems
	}
	if root.Kind != yaml.MappingNode {
		sink.Errorf(root.Line, "expected groups:, expand: and disable:, found %s", yamlnode.Kind(root))
		return e, sink.Problems
	}
	count := 0
	yamlnode.Pairs(root, []string{"groups", "expand", "disable"}, "", diag.Error, sink, func(key string, v *yaml.Node) {
		switch key {
		case "groups":
			if v.Kind != yaml.SequenceNode {
				sink.Errorf(v.Line, "groups must be a list of lists of terms, such as - [最低生活保障, 低保], not %s", yamlnode.Kind(v))
				return
			}
			for _, item := range v.Content {
				item = yamlnode.Deref(item)
				if count++; count > maxEntries {
					sink.Errorf(item.Line, "more than %d groups and expansions: the rest are ignored", maxEntries)
					return
				}
				if item.Kind != yaml.SequenceNode {
					sink.Errorf(item.Line, "a group must be a list of terms, such as [最低生活保障, 低保], not %s", yamlnode.Kind(item))
					continue
				}
				before := len(sink.Problems)
				g := terms(item, "group", sink, normalize)
				if len(g) < 2 && len(sink.Problems) == before {
					sink.Errorf(item.Line, "a group needs two or more different terms")
					continue
				}
				e.groups = append(e.groups, g)
			}
		case "expand":
			if v.Kind != yaml.MappingNode {
				sink.Errorf(v.Line, "expand must map a term to the terms it also finds, such as 五保: [特困人员救助供养], not %s", yamlnode.Kind(v))
				return
			}
			seen := map[string]int{}
			for i := 0; i+1 < len(v.Content); i += 2 {
				k, val := v.Content[i], yamlnode.Deref(v.Content[i+1])
				if count++; count > maxEntries {
					sink.Errorf(k.Line, "more than %d groups and expansions: the rest are ignored", maxEntries)
					return
				}
				from, ok := checkTerm(k, "expand", sink, normalize)
				if !ok {
					continue
				}
				if first, dup := seen[from.text]; dup {
					sink.Errorf(k.Line, "expand: %q is given twice (first on line %d)", k.Value, first)
					continue
				}
				seen[from.text] = k.Line
				if val == nil || val.Kind != yaml.SequenceNode && val.Kind != yaml.ScalarNode {
					sink.Errorf(k.Line, "expand: %q must list the terms it also finds", k.Value)
					continue
				}
				to := terms(val, "expand", sink, normalize)
				to = slices.DeleteFunc(to, func(t term) bool {
					if t.text == from.text {
						sink.Errorf(t.line, "expand: %q lists itself", k.Value)
						return true
					}
					return false
				})
				if len(to) == 0 {
					sink.Errorf(k.Line, "expand: %q must list the terms it also finds", k.Value)
					continue
				}
				e.expand = append(e.expand, expansion{from, to})
			}
		case "disable":
			e.disable = terms(v, "disable", sink, normalize)
		}
	})
	return e, sink.Problems
}

// terms reads a list of terms (or one), leaving out repeats within it.
func terms(v *yaml.Node, key string, sink *diag.Sink, normalize func(string) string) []term {
	items := []*yaml.Node{v}
	if v.Kind == yaml.SequenceNode {
		items = v.Content
	}
	var out []term
	for _, item := range items {
		t, ok := checkTerm(yamlnode.Deref(item), key, sink, normalize)
		if !ok {
			continue
		}
		if slices.ContainsFunc(out, func(o term) bool { return o.text == t.text }) {
			sink.Warnf(t.line, "%s: %q is listed twice", key, item.Value)
			continue
		}
		out = append(out, t)
	}
	return out
}

// checkTerm reads one term: a single line of words, not too long.
func checkTerm(n *yaml.Node, key string, sink *diag.Sink, normalize func(string) string) (term, bool) {
	if n.Kind != yaml.ScalarNode {
		sink.Errorf(n.Line, "%s: a term must be a single value, not %s", key, yamlnode.Kind(n))
		return term{}, false
	}
	s := strings.TrimSpace(n.Value)
	switch {
	case s == "":
		sink.Errorf(n.Line, "%s: empty term", key)
		return term{}, false
	case strings.ContainsAny(s, "\r\n"):
		sink.Errorf(n.Line, "%s: %q must be on one line", key, s)
		return term{}, false
	case utf8.RuneCountInString(s) > maxTermRunes:
		sink.Errorf(n.Line, "%s: %q is longer than %d characters", key, s, maxTermRunes)
		return term{}, false
	case !strings.ContainsFunc(s, func(r rune) bool { return unicode.IsLetter(r) || unicode.IsDigit(r) }):
		sink.Errorf(n.Line, "%s: %q has no words in it", key, s)
		return term{}, false
	}
	return term{normalize(s), n.Line}, true
}

// build joins the built-in entries and the site's: groups sharing a term
// become one, a term in two of the site's groups is reported.
func build(builtin, site entries, path string, problems *diag.Problems) *Table {
	disabled := map[string]bool{}
	known := map[string]bool{}
	for _, g := range builtin.groups {
		for _, t := range g {
			known[t.text] = true
		}
	}
	for _, x := range builtin.expand {
		known[x.from.text] = true
	}
	for _, t := range site.disable {
		if !known[t.text] {
			*problems = append(*problems, diag.At(path, t.line, diag.Warning, "disable: %q is not a built-in term", t.text))
		}
		disabled[t.text] = true
	}
	// Equivalence classes: class[term] is the index of its group in merged.
	class := map[string]int{}
	var merged [][]string
	add := func(g []term, siteGroup bool, firstLine map[string]int) {
		target := -1
		for _, t := range g {
			if c, ok := class[t.text]; ok {
				if siteGroup && firstLine[t.text] > 0 {
					*problems = append(*problems, diag.At(path, t.line, diag.Error,
						"%q is in two groups (first on line %d): merge them into one", t.text, firstLine[t.text]))
					return
				}
				target = c
			}
		}
		if target < 0 {
			target = len(merged)
			merged = append(merged, nil)
		}
		for _, t := range g {
			if disabled[t.text] && !siteGroup {
				continue
			}
			if c, ok := class[t.text]; ok && c != target {
				// A term of another built-in group: move that group in.
				for _, u := range merged[c] {
					class[u] = target
				}
				merged[target] = append(merged[target], merged[c]...)
				merged[c] = nil
			}
			if _, ok := class[t.text]; !ok {
				class[t.text] = target
				merged[target] = append(merged[target], t.text)
			}
			if siteGroup {
				firstLine[t.text] = t.line
			}
		}
	}
	for _, g := range builtin.groups {
		add(g, false, nil)
	}
	siteLines := map[string]int{}
	for _, g := range site.groups {
		add(g, true, siteLines)
	}
	t := &Table{alts: map[string][]string{}}
	for _, g := range merged {
		for _, a := range g {
			for _, b := range g {
				if a != b {
					t.alts[a] = append(t.alts[a], b)
				}
			}
		}
	}
	expand := func(xs []expansion, siteEntries bool) {
		for _, x := range xs {
			if disabled[x.from.text] && !siteEntries {
				continue
			}
			for _, to := range x.to {
				if !slices.Contains(t.alts[x.from.text], to.text) {
					t.alts[x.from.text] = append(t.alts[x.from.text], to.text)
				}
			}
		}
	}
	expand(builtin.expand, false)
	expand(site.expand, true)
	for k, v := range t.alts {
		if len(v) == 0 {
			delete(t.alts, k)
			continue
		}
		t.maxRunes = max(t.maxRunes, utf8.RuneCountInString(k))
	}
	return t
}

// Alternatives gives the terms a term also finds, in the table's order.
func (t *Table) Alternatives(term string) []string {
	if t == nil {
		return nil
	}
	return t.alts[term]
}

// Variants gives the rewritings of a query word (normalized as the terms
// are): the leftmost longest term found in it replaced by each of its
// alternatives in turn, then the next term found after it, and so on, up
// to MaxVariants.
func (t *Table) Variants(word string) []Variant {
	if t == nil || len(t.alts) == 0 {
		return nil
	}
	var out []Variant
	for i := 0; i < len(word) && len(out) < MaxVariants; {
		n := t.longestAt(word[i:])
		if n == 0 {
			_, size := utf8.DecodeRuneInString(word[i:])
			i += size
			continue
		}
		found := word[i : i+n]
		for _, alt := range t.alts[found] {
			text := word[:i] + alt + word[i+n:]
			// Its matches are among the word's own.
			if strings.Contains(text, word) || slices.ContainsFunc(out, func(v Variant) bool { return v.Text == text }) {
				continue
			}
			out = append(out, Variant{Text: text, Term: found, Alt: alt})
			if len(out) == MaxVariants {
				break
			}
		}
		i += n
	}
	return out
}

// longestAt gives the byte length of the longest term at the start of s.
func (t *Table) longestAt(s string) int {
	best, runes := 0, 0
	for j := 0; j < len(s) && runes < t.maxRunes; {
		_, size := utf8.DecodeRuneInString(s[j:])
		j += size
		runes++
		if _, ok := t.alts[s[:j]]; ok {
			best = j
		}
	}
	return best
}
