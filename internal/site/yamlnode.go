package site

import (
	"fmt"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// The YAML of site.yaml and of front matter is read as a node tree rather
// than decoded into structs: nodes keep line numbers for messages, unknown
// keys can be reported with a suggestion, and aliases are never expanded, so
// an anchor bomb costs nothing.

var yamlLineRE = regexp.MustCompile(`^yaml: line (\d+): (.*)$`)

// ParseYAML parses a YAML file of the site other than site.yaml and the
// bulletins (wording.yaml), as those are parsed: a syntax error is a
// Problem at its line of path. The root is nil for an empty document;
// what it should hold is for the caller to check, with YAMLKind for
// messages.
func ParseYAML(path string, src []byte) (*yaml.Node, Problems) {
	sink := &problemSink{path: path}
	root, _ := parseDocument(src, 1, sink)
	return root, sink.list
}

// YAMLKind names a node for messages: a mapping, a list, "its text".
func YAMLKind(n *yaml.Node) string { return kindName(n) }

// parseYAML parses one YAML document, a mapping. firstLine is the file
// line of the document's first line, so messages point into the file.
func parseYAML(src []byte, firstLine int, sink *problemSink) (*yaml.Node, bool) {
	root, ok := parseDocument(src, firstLine, sink)
	if !ok {
		return nil, false
	}
	if root == nil {
		return &yaml.Node{Kind: yaml.MappingNode, Line: 1}, true
	}
	if root.Kind != yaml.MappingNode {
		sink.errorf(root.Line, "expected key: value lines, found %s", kindName(root))
		return nil, false
	}
	return root, true
}

// parseDocument parses one YAML document and returns its root, nil when
// the document is empty, with lines counted from firstLine.
func parseDocument(src []byte, firstLine int, sink *problemSink) (*yaml.Node, bool) {
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		msg := err.Error()
		line := firstLine
		if m := yamlLineRE.FindStringSubmatch(msg); m != nil {
			n, _ := strconv.Atoi(m[1])
			line = firstLine + n - 1
			msg = m[2]
		} else {
			msg = strings.TrimPrefix(msg, "yaml: ")
		}
		sink.errorf(line, "invalid YAML: %s", msg)
		return nil, false
	}
	if len(doc.Content) == 0 {
		return nil, true
	}
	root := doc.Content[0]
	shiftLines(root, firstLine-1)
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

func deref(n *yaml.Node) *yaml.Node {
	for i := 0; n != nil && n.Kind == yaml.AliasNode && i < 8; i++ {
		n = n.Alias
	}
	return n
}

func kindName(n *yaml.Node) string {
	switch n.Kind {
	case yaml.MappingNode:
		return "a mapping"
	case yaml.SequenceNode:
		return "a list"
	case yaml.ScalarNode:
		return fmt.Sprintf("%q", n.Value)
	case yaml.AliasNode:
		return "an alias"
	}
	return "nothing"
}

// pairs walks a mapping's keys in order, reporting duplicate keys and keys
// that are not in known (with a did-you-mean), and calls fn for the rest.
// unknownIsError decides whether an unknown key stops the build.
func pairs(m *yaml.Node, known []string, where string, unknownIsError bool, sink *problemSink, fn func(key string, val *yaml.Node)) {
	seen := map[string]int{}
	for i := 0; i+1 < len(m.Content); i += 2 {
		k, v := m.Content[i], deref(m.Content[i+1])
		key := k.Value
		if first, dup := seen[key]; dup {
			sink.errorf(k.Line, "%s%q is given twice (first on line %d)", where, key, first)
			continue
		}
		seen[key] = k.Line
		if !slices.Contains(known, key) {
			msg := fmt.Sprintf("unknown key %s%q%s", where, key, didYouMean(key, known))
			if unknownIsError {
				sink.errorf(k.Line, "%s", msg)
			} else {
				sink.warnf(k.Line, "%s", msg)
			}
			continue
		}
		if v == nil {
			continue
		}
		fn(key, v)
	}
}

// scalar returns a scalar's text; anything else is reported.
func scalar(key string, v *yaml.Node, sink *problemSink) (string, bool) {
	if v.Kind != yaml.ScalarNode {
		sink.errorf(v.Line, "%s must be a single value, not %s", key, kindName(v))
		return "", false
	}
	if v.Tag == "!!null" {
		return "", true
	}
	return strings.TrimSpace(v.Value), true
}

func boolean(key string, v *yaml.Node, sink *problemSink) bool {
	s, ok := scalar(key, v, sink)
	if !ok {
		return false
	}
	switch strings.ToLower(s) {
	case "true", "yes", "on":
		return true
	case "false", "no", "off", "":
		return false
	}
	sink.errorf(v.Line, "%s must be true or false, not %q", key, s)
	return false
}

func integer(key string, v *yaml.Node, sink *problemSink) (int, bool) {
	s, ok := scalar(key, v, sink)
	if !ok {
		return 0, false
	}
	n, err := strconv.Atoi(s)
	if err != nil {
		sink.errorf(v.Line, "%s must be a whole number, not %q", key, s)
		return 0, false
	}
	return n, true
}

// stringList accepts a list of scalars or a single scalar (tags: 养老).
func stringList(key string, v *yaml.Node, sink *problemSink) []string {
	if v.Kind == yaml.ScalarNode {
		s, _ := scalar(key, v, sink)
		if s == "" {
			return nil
		}
		return []string{s}
	}
	if v.Kind != yaml.SequenceNode {
		sink.errorf(v.Line, "%s must be a list, not %s", key, kindName(v))
		return nil
	}
	var out []string
	for _, item := range v.Content {
		item = deref(item)
		if s, ok := scalar(key+" item", item, sink); ok && s != "" {
			out = append(out, s)
		}
	}
	return out
}
