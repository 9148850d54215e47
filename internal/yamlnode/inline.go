package yamlnode

import (
	"strconv"
	"strings"

	"go.yaml.in/yaml/v3"
)

// Inline writes s as a YAML value on one line, quoted only when YAML would
// read it otherwise, for the files bulletin writes for people to edit
// (front matter, site.yaml). Text with line breaks or control characters
// becomes a double-quoted scalar whose escapes (Go's, which YAML shares)
// keep it on its line, so a value can never end the line and start a key
// of its own.
func Inline(s string) string {
	out, err := yaml.Marshal(s)
	if err != nil || strings.Count(strings.TrimSuffix(string(out), "\n"), "\n") > 0 {
		return strconv.Quote(s)
	}
	return strings.TrimSuffix(string(out), "\n")
}
