package yamlnode

import (
	"errors"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
)

var lineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// Parse parses one YAML document and returns its root, nil when the
// document is empty, with lines counted from firstLine, the file line of
// the document's first line. A syntax error is reported and returns false.
func Parse(src []byte, firstLine int, sink *diag.Sink) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		msg := err.Error()
		line := firstLine
		if m := lineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = firstLine + n - 1
			msg = m[2]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		// The reason is the YAML library's text, which the catalog
		// may hold: an error is read in the reader's language.
		sink.Errorf(line, "invalid YAML: %s", errors.New(msg))
		return nil, false
	}
	if len(doc.Content) == 0 {
		return nil, true
	}
	root := doc.Content[0]
	shiftLines(root, firstLine-1)
	return root, true
}

// Mapping parses one YAML document of key: value lines, as Parse does. An
// empty document is an empty mapping; any other kind of root is reported.
func Mapping(src []byte, firstLine int, sink *diag.Sink) (*yaml.Node, bool) {
	root, ok := Parse(src, firstLine, sink)
	if !ok {
		return nil, false
	}
	if root == nil {
		return &yaml.Node{Kind: yaml.MappingNode, Line: firstLine}, true
	}
	if root.Kind != yaml.MappingNode {
		sink.Errorf(root.Line, "expected key: value lines, found %s", Kind(root))
		return nil, false
	}
	return root, true
}

func shiftLines(n *yaml.Node, by int) {
	// Aliases point back into the tree; visiting them again would shift
	// twice and, for an anchor bomb, take forever.
	if n == nil || n.Kind == yaml.AliasNode {
		return
	}
	n.Line += by
	for _, c := range n.Content {
		shiftLines(c, by)
	}
}

// Deref returns the node an alias stands for, nil for a chain of aliases
// too long to be meant.
func Deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

// Kind names a node for messages: a mapping, a list, "its text". It is a
// message, read in the reader's language when given to one.
func Kind(n *yaml.Node) *diag.Message {
	switch n.Kind {
	case yaml.MappingNode:
		return &diag.Message{Format: "a mapping"}
	case yaml.SequenceNode:
		return &diag.Message{Format: "a list"}
	case yaml.ScalarNode:
		return &diag.Message{Format: "%q", Args: []any{n.Value}}
	case yaml.AliasNode:
		return &diag.Message{Format: "an alias"}
	}
	return &diag.Message{Format: "nothing"}
}

// Pairs walks a mapping's keys in order, reporting duplicate keys and keys
// that are not in known (with a did-you-mean, at severity unknown), and
// calls fn for the rest with the value, aliases followed. where prefixes
// the key in messages ("bureau ", "limits.").
func Pairs(m *yaml.Node, known []string, where string, unknown diag.Severity, sink *diag.Sink, fn func(key string, v *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], Deref(m.Content[i+1])
		key := k.Value
		if first, dup := seen[key]; dup {
			sink.Errorf(k.Line, "%s%q is given twice (first on line %d)", where, key, first)
			continue
		}
		seen[key] = k.Line
		if !slices.Contains(known, key) {
			if unknown == diag.Error {
				sink.Errorf(k.Line, "unknown key %s%q%s", where, key, diag.Suggest(key, known))
			} else {
				sink.Warnf(k.Line, "unknown key %s%q%s", where, key, diag.Suggest(key, known))
			}
			continue
		}
		if v == nil {
			continue
		}
		fn(key, v)
	}
}

// Scalar returns a scalar's text, trimmed, and "" for null; anything else
// is reported.
func Scalar(key string, v *yaml.Node, sink *diag.Sink) (string, bool) {
	if v.Kind != yaml.ScalarNode {
		sink.Errorf(v.Line, "%s must be a single value, not %s", key, Kind(v))
		return "", false
	}
	if v.Tag == "!!null" {
		return "", true
	}
	return strings.TrimSpace(v.Value), true
}

// Bool reads true, yes, on or false, no, off (any case); empty is false.
func Bool(key string, v *yaml.Node, sink *diag.Sink) bool {
	s, ok := Scalar(key, v, sink)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true
	case "false", "no", "off", "":
		return false
	}
	sink.Errorf(v.Line, "%s must be true or false, not %q", key, s)
	return false
}

// Int reads a whole number.
func Int(key string, v *yaml.Node, sink *diag.Sink) (int, bool) {
	s, ok := Scalar(key, v, sink)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		sink.Errorf(v.Line, "%s must be a whole number, not %q", key, s)
		return 0, false
	}
	return n, true
}

// StringList accepts a list of scalars or a single scalar (tags: 养老),
// leaving out empty items.
func StringList(key string, v *yaml.Node, sink *diag.Sink) []string {
	if v.Kind == yaml.ScalarNode {
		s, _ := Scalar(key, v, sink)
		if s == "" {
			return nil
		}
		return []string{s}
	}
	if v.Kind != yaml.SequenceNode {
		sink.Errorf(v.Line, "%s must be a list, not %s", key, Kind(v))
		return nil
	}
	var out []string
	for _, item := range v.Content {
		item = Deref(item)
		if s, ok := Scalar(key+" item", item, sink); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}
