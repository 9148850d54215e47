package yamlnode

import (
	"regexp"
	"slices"
	"testing"
	"testing/fstest"

	"bulletin/internal/diag"
)

func TestReadFolder(t *testing.T) {
	name := regexp.MustCompile(`^\d{4}-\d{3}$`)
	const hint = "named like 2024-001.yaml"
	tests := []struct {
		name     string
		files    fstest.MapFS
		read     []string
		problems []string
	}{
		{"no folder", fstest.MapFS{"other/2024-001.yaml": {}}, nil, nil},
		{"records in name order", fstest.MapFS{
			"recs/2024-002.yaml": {Data: []byte("b")},
			"recs/2024-001.yaml": {Data: []byte("a")},
		}, []string{"recs/2024-001.yaml:a", "recs/2024-002.yaml:b"}, nil},
		{"notes, temporary files and folders left alone", fstest.MapFS{
			"recs/说明.txt":                 {},
			"recs/.2024-001.yaml.123.tmp": {},
			"recs/.hidden.yaml":           {},
			"recs/2023/2024-001.yaml":     {},
			"recs/2024-003.yaml":          {Data: []byte("c")},
		}, []string{"recs/2024-003.yaml:c"}, nil},
		{"a misnamed record is reported, not read", fstest.MapFS{
			"recs/2024-1.yaml":   {},
			"recs/第一期.yaml":      {},
			"recs/2024-001.yaml": {Data: []byte("a")},
		}, []string{"recs/2024-001.yaml:a"}, []string{"recs/2024-1.yaml: " + hint, "recs/第一期.yaml: " + hint}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var read []string
			problems, err := ReadFolder(tt.files, "recs", name, hint, func(p string, src []byte) diag.Problems {
				read = append(read, p+":"+string(src))
				return nil
			})
			if err != nil {
				t.Fatal(err)
			}
			diag.Sort(problems)
			var got []string
			for _, p := range problems {
				got = append(got, p.Path+": "+p.Msg)
			}
			if !slices.Equal(read, tt.read) || !slices.Equal(got, tt.problems) {
				t.Errorf("read %q, problems %q; want %q, %q", read, got, tt.read, tt.problems)
			}
		})
	}
}
