package lint

import (
	"cmp"
	"errors"
	"fmt"
	"io/fs"
	"slices"
	"strconv"
	"strings"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/yamlnode"
)

// Rule is one wording rule: a wrong form and what to write instead.
type Rule struct {
	Wrong string
	// Right is the form to write. When it is empty the rule only reports:
	// there is no single right form.
	Right    string
	Message  string
	Severity diag.Severity
	// Except lists longer phrases that contain Wrong and are correct; a
	// match inside one of them is not a hit.
	Except []string
	// NoFix keeps check --fix from applying the rule even though it has a
	// right form.
	NoFix bool
	// Origin says where the rule comes from: "built-in" or "wording.yaml:12".
	Origin string
}

// fixable reports whether check --fix may replace Wrong by Right. Only a
// right form without Markdown or YAML syntax is safe to put into a file
// whose structure we do not re-parse.
func (r *Rule) fixable() bool {
	return r.Right != "" && !r.NoFix && !strings.ContainsAny(r.Right, unsafeInFix)
}

// unsafeInFix are the characters that are syntax in Markdown or in a YAML
// value, plus line breaks.
const unsafeInFix = "\\`*_~[]()<>!#|&:{}\"'%@,\n\r\t"

// WordingFile is the name of a site's own wording rules, beside site.yaml.
const WordingFile = "wording.yaml"

// Rules is a compiled set of wording rules, safe for concurrent use.
type Rules struct {
	list []Rule
	// byFirst holds the indices of the rules whose wrong form starts with
	// a rune, longest first, so the leftmost-longest match wins.
	byFirst map[rune][]int
	// firstBMP is a bit set of the first runes below U+10000: most runes of
	// a text start no rule, and a bit test is much cheaper than a map
	// lookup.
	firstBMP []uint64
}

// NewRules compiles rules. A later rule with the same wrong form replaces an
// earlier one.
func NewRules(rules []Rule) *Rules {
	r := &Rules{byFirst: map[rune][]int{}, firstBMP: make([]uint64, 1<<16/64)}
	at := map[string]int{}
	for _, rule := range rules {
		if rule.Wrong == "" {
			continue
		}
		if i, ok := at[rule.Wrong]; ok {
			r.list[i] = rule
			continue
		}
		at[rule.Wrong] = len(r.list)
		r.list = append(r.list, rule)
	}
	for i, rule := range r.list {
		first, _ := utf8.DecodeRuneInString(rule.Wrong)
		r.byFirst[first] = append(r.byFirst[first], i)
		if first < 1<<16 {
			r.firstBMP[first/64] |= 1 << (first % 64)
		}
	}
	for _, idx := range r.byFirst {
		slices.SortStableFunc(idx, func(a, b int) int { return cmp.Compare(len(r.list[b].Wrong), len(r.list[a].Wrong)) })
	}
	return r
}

// mayStart reports whether some rule's wrong form starts with c.
func (r *Rules) mayStart(c rune) bool {
	if c >= 0 && c < 1<<16 {
		return r.firstBMP[c/64]&(1<<(c%64)) != 0
	}
	_, ok := r.byFirst[c]
	return ok
}

// matchAt returns the rule whose wrong form starts s[i:], whose first rune
// is c, or nil. Exceptions are checked against all of s, since they may
// start before i.
func (r *Rules) matchAt(s string, i int, c rune) *Rule {
	for _, k := range r.byFirst[c] {
		rule := &r.list[k]
		if strings.HasPrefix(s[i:], rule.Wrong) && !excepted(s, i, rule) {
			return rule
		}
	}
	return nil
}

// excepted reports whether the match of rule at s[i:] lies inside one of
// its exceptions.
func excepted(s string, i int, rule *Rule) bool {
	for _, e := range rule.Except {
		// Try every place where the wrong form sits inside the exception.
		for off := 0; off <= len(e)-len(rule.Wrong); off++ {
			if !strings.HasPrefix(e[off:], rule.Wrong) {
				continue
			}
			if start := i - off; start >= 0 && strings.HasPrefix(s[start:], e) {
				return true
			}
		}
	}
	return false
}

// ReadRules returns the built-in rules combined with the site's
// wording.yaml, if it has one. Problems of wording.yaml come back as a list
// (errors and warnings, path wording.yaml) together with the rules that
// could be read, so a check reports them with everything else; the error
// is for failures to read.
func ReadRules(fsys fs.FS) (*Rules, diag.Problems, error) {
	src, err := fs.ReadFile(fsys, WordingFile)
	if errors.Is(err, fs.ErrNotExist) {
		return NewRules(Builtin()), nil, nil
	}
	if err != nil {
		return nil, nil, err
	}
	siteRules, disable, problems := parseWording(src)
	var rules []Rule
	for _, b := range Builtin() {
		if !slices.Contains(disable, b.Wrong) {
			rules = append(rules, b)
		}
	}
	compiled := NewRules(append(rules, siteRules...))
	// A right form that another rule calls wrong would make check -fix
	// undo or redo its own work; such a rule only reports.
	for i := range compiled.list {
		r := &compiled.list[i]
		if r.Origin == "built-in" || r.Right == "" {
			continue
		}
		for k, c := range r.Right {
			if other := compiled.matchAt(r.Right, k, c); other != nil && other != r {
				problems = append(problems, diag.At(WordingFile, originLine(r.Origin), diag.Error,
					"the right form %q contains %q, which %s calls wrong; change one of them", r.Right, other.Wrong, ruleName(other)))
				r.NoFix = true
				break
			}
		}
	}
	return compiled, problems, nil
}

func ruleName(r *Rule) *diag.Message {
	if r.Origin == "built-in" {
		return &diag.Message{Format: "a built-in rule"}
	}
	return &diag.Message{Format: "the rule on line %d", Args: []any{originLine(r.Origin)}}
}

// originLine is the line of a rule from wording.yaml, 0 for a built-in.
func originLine(origin string) int {
	_, n, _ := strings.Cut(origin, ":")
	line, _ := strconv.Atoi(n)
	return line
}

var (
	wordingKeys = []string{"rules", "disable"}
	ruleKeys    = []string{"wrong", "right", "message", "severity", "except", "fix"}
)

// parseWording reads wording.yaml:
//
//	rules:
//	  - wrong: 青海省民正厅
//	    right: 青海省民政厅
//	    message: 单位名称
//	    severity: error   # or warning
//	disable: [截止目前]
func parseWording(src []byte) (rules []Rule, disable []string, problems diag.Problems) {
	sink := &diag.Sink{Path: WordingFile}
	root, _ := yamlnode.Parse(src, 1, sink)
	if root == nil {
		return nil, nil, sink.Problems
	}
	if root.Kind != yaml.MappingNode {
		sink.Errorf(root.Line, "expected rules: and disable:, found %s", yamlnode.Kind(root))
		return nil, nil, sink.Problems
	}
	builtin := map[string]bool{}
	for _, b := range builtinRules {
		builtin[b.wrong] = true
	}
	seen := map[string]int{}
	mapping(root, wordingKeys, false, sink, func(key string, v *yaml.Node) {
		switch key {
		case "disable":
			for _, s := range stringItems(v, "disable", sink) {
				if !builtin[s.value] {
					sink.Warnf(s.line, "disable: %q is not a built-in rule", s.value)
				}
				disable = append(disable, s.value)
			}
		case "rules":
			if v.Kind != yaml.SequenceNode {
				sink.Errorf(v.Line, "rules must be a list of {wrong, right, message, severity}, not %s", yamlnode.Kind(v))
				return
			}
			for _, item := range v.Content {
				if r, ok := parseRule(item, sink); ok {
					if first, dup := seen[r.Wrong]; dup {
						sink.Errorf(item.Line, "wrong form %q is given twice (first on line %d)", r.Wrong, first)
						continue
					}
					seen[r.Wrong] = item.Line
					rules = append(rules, r)
				}
			}
		}
	})
	return rules, disable, sink.Problems
}

type lineString struct {
	value string
	line  int
}

func parseRule(item *yaml.Node, sink *diag.Sink) (Rule, bool) {
	if item.Kind != yaml.MappingNode {
		sink.Errorf(item.Line, "each rule must be a mapping with wrong, right and message, not %s", yamlnode.Kind(item))
		return Rule{}, false
	}
	r := Rule{Origin: fmt.Sprintf("%s:%d", WordingFile, item.Line)}
	ok := true
	var exceptLines []lineString
	mapping(item, ruleKeys, true, sink, func(key string, v *yaml.Node) {
		if key == "except" {
			exceptLines = stringItems(v, "except", sink)
			return
		}
		if v.Kind != yaml.ScalarNode {
			sink.Errorf(v.Line, "%s must be a single value, not %s", key, yamlnode.Kind(v))
			ok = false
			return
		}
		switch key {
		case "wrong":
			r.Wrong = v.Value
		case "right":
			r.Right = v.Value
		case "message":
			r.Message = strings.TrimSpace(v.Value)
		case "severity":
			switch v.Value {
			case "error", "":
				r.Severity = diag.Error
			case "warning":
				r.Severity = diag.Warning
			default:
				sink.Errorf(v.Line, "severity must be error or warning, not %q", v.Value)
				ok = false
			}
		case "fix":
			switch v.Value {
			case "true":
			case "false":
				r.NoFix = true
			default:
				sink.Errorf(v.Line, "fix must be true or false, not %q", v.Value)
				ok = false
			}
		}
	})
	switch {
	case strings.TrimSpace(r.Wrong) == "":
		sink.Errorf(item.Line, "rule has no wrong form")
		return Rule{}, false
	case strings.ContainsAny(r.Wrong, "\n\r") || strings.ContainsAny(r.Right, "\n\r"):
		sink.Errorf(item.Line, "rule %q: wrong and right forms must be on one line", r.Wrong)
		return Rule{}, false
	case r.Wrong == r.Right:
		sink.Errorf(item.Line, "rule %q: the right form is the same as the wrong one", r.Wrong)
		return Rule{}, false
	}
	for _, e := range exceptLines {
		if !strings.Contains(e.value, r.Wrong) {
			sink.Errorf(e.line, "except %q does not contain the wrong form %q", e.value, r.Wrong)
			ok = false
			continue
		}
		r.Except = append(r.Except, e.value)
	}
	if r.Right != "" && strings.Contains(r.Right, r.Wrong) && !slices.Contains(r.Except, r.Right) {
		// 民政 → 民政厅 would match its own fix again: the right form is an
		// exception by nature.
		r.Except = append(r.Except, r.Right)
	}
	return r, ok
}

// mapping walks the keys of m, reporting duplicates and unknown keys; rule
// says that m is a rule, whose keys the messages call rule keys.
func mapping(m *yaml.Node, known []string, rule bool, sink *diag.Sink, fn func(key string, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], m.Content[i+1]
		if first, dup := seen[k.Value]; dup {
			if rule {
				sink.Errorf(k.Line, "rule %q is given twice (first on line %d)", k.Value, first)
			} else {
				sink.Errorf(k.Line, "%q is given twice (first on line %d)", k.Value, first)
			}
			continue
		}
		seen[k.Value] = k.Line
		if !slices.Contains(known, k.Value) {
			if rule {
				sink.Errorf(k.Line, "unknown key rule %q%s", k.Value, diag.Suggest(k.Value, known))
			} else {
				sink.Errorf(k.Line, "unknown key %q%s", k.Value, diag.Suggest(k.Value, known))
			}
			continue
		}
		if v.Kind == yaml.AliasNode {
			if rule {
				sink.Errorf(v.Line, "rule %s: aliases are not supported here", k.Value)
			} else {
				sink.Errorf(v.Line, "%s: aliases are not supported here", k.Value)
			}
			continue
		}
		fn(k.Value, v)
	}
}

// stringItems reads a list of strings, or a single one.
func stringItems(v *yaml.Node, key string, sink *diag.Sink) []lineString {
	if v.Kind == yaml.ScalarNode {
		if v.Value == "" {
			return nil
		}
		return []lineString{{v.Value, v.Line}}
	}
	if v.Kind != yaml.SequenceNode {
		sink.Errorf(v.Line, "%s must be a list, not %s", key, yamlnode.Kind(v))
		return nil
	}
	var out []lineString
	for _, item := range v.Content {
		if item.Kind != yaml.ScalarNode || item.Value == "" {
			sink.Errorf(item.Line, "each of %s must be a non-empty text, not %s", key, yamlnode.Kind(item))
			continue
		}
		out = append(out, lineString{item.Value, item.Line})
	}
	return out
}
