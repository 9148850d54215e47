package yamlnode

import (
	"strings"
	"testing"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"

	// Registers -update, unused here, so that go test ./... -update
	// does not stop at this package with an unknown flag.
	_ "bulletin/internal/golden"
)

// TestLines: every problem points at its file line, counting from where
// the document starts (front matter starts on line 2).
func TestLines(t *testing.T) {
	for _, tc := range []struct {
		name, src string
		firstLine int
		want      string
	}{
		{"syntax error", "title: 1\ncount: c: d\n", 2, "f:3: invalid YAML: mapping values are not allowed in this context"},
		{"not a mapping", "- a\n- b\n", 2, "f:2: expected key: value lines, found a list"},
		{"duplicate key", "title: 1\ntitle: 2\n", 1, `f:2: "title" is given twice (first on line 1)`},
		{"unknown key", "titel: x\n", 5, `f:5: unknown key "titel"; did you mean "title"?`},
		{"list for a value", "title:\n  - x\n", 1, "f:2: title must be a single value, not a list"},
		{"not a number", "count: many\n", 1, `f:1: count must be a whole number, not "many"`},
		{"not a bool", "draft: maybe\n", 1, `f:1: draft must be true or false, not "maybe"`},
		{"list item", "tags:\n  - a\n  - [b]\n", 1, "f:3: tags item must be a single value, not a list"},
	} {
		sink := &diag.Sink{Path: "f"}
		if root, ok := Mapping([]byte(tc.src), tc.firstLine, sink); ok {
			Pairs(root, []string{"title", "count", "draft", "tags"}, "", diag.Error, sink, func(key string, v *yaml.Node) {
				switch key {
				case "title":
					Scalar(key, v, sink)
				case "count":
					Int(key, v, sink)
				case "draft":
					Bool(key, v, sink)
				case "tags":
					StringList(key, v, sink)
				}
			})
		}
		if got := sink.Problems.Error(); got != tc.want {
			t.Errorf("%s: got %q, want %q", tc.name, got, tc.want)
		}
	}
}

func TestValues(t *testing.T) {
	sink := &diag.Sink{Path: "f"}
	root, _ := Mapping([]byte("a: &x  yes \nb: *x\nc: ~\nd: [p, '', q]\ne: 养老\nf:\n"), 1, sink)
	got := map[string]string{}
	Pairs(root, []string{"a", "b", "c", "d", "e", "f"}, "", diag.Error, sink, func(key string, v *yaml.Node) {
		switch key {
		case "a", "c":
			got[key], _ = Scalar(key, v, sink)
		case "b":
			if Bool(key, v, sink) {
				got[key] = "true"
			}
		default:
			got[key] = strings.Join(StringList(key, v, sink), ",")
		}
	})
	want := map[string]string{"a": "yes", "b": "true", "c": "", "d": "p,q", "e": "养老", "f": ""}
	for k, w := range want {
		if got[k] != w {
			t.Errorf("%s = %q, want %q", k, got[k], w)
		}
	}
	if len(sink.Problems) > 0 {
		t.Errorf("problems: %v", sink.Problems)
	}
	if root, ok := Mapping(nil, 2, sink); !ok || root.Kind != yaml.MappingNode || len(root.Content) != 0 {
		t.Errorf("an empty document is %v, %v; want an empty mapping", root, ok)
	}
}
