package yamlnode

import (
	"testing"

	"go.yaml.in/yaml/v3"
)

// TestInline checks that every value reads back as itself and stays on one
// line.
func TestInline(t *testing.T) {
	for _, s := range []string{
		"青海省民政厅", "标题：副标题", "a: b", "#不是注释", "true", "2024-01-01", "", " 前后空格 ",
		"第一行\nbureau: 甘肃省民政厅", "制表\t符", "引号\"和'单引号'", "[列表]", "- 短横线", "\x7f控制",
	} {
		out := Inline(s)
		var m map[string]string
		if err := yaml.Unmarshal([]byte("key: "+out+"\n"), &m); err != nil {
			t.Errorf("Inline(%q) = %s, which is not YAML: %v", s, out, err)
			continue
		}
		if m["key"] != s || len(m) != 1 {
			t.Errorf("Inline(%q) = %s reads back as %q", s, out, m)
		}
	}
}
