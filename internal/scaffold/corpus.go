package scaffold

import (
	"cmp"
	"context"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/site"
	"bulletin/internal/yamlnode"
)

// Corpus reads the front matter of the Markdown bulletins below root, an
// existing collection, and returns the registry they imply: each bureau
// named by bureau:, with the region its bulletins give (else the one its
// name begins with), in the order of how many bulletins each has, then by
// name; and the categories they use, in the same order. Files that cannot
// be read as bulletins are reported as warnings and left out; files over
// site.DefaultMaxFileSize are not read.
func Corpus(ctx context.Context, root string) (bureaus []Bureau, categories []string, warnings diag.Problems, err error) {
	type count struct {
		n      int
		region map[string]int
	}
	byBureau, byCategory := map[string]*count{}, map[string]int{}
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		name := d.Name()
		if p != root && strings.HasPrefix(name, ".") {
			if d.IsDir() {
				return filepath.SkipDir
			}
			return nil
		}
		if d.IsDir() || !strings.HasSuffix(name, ".md") || !d.Type().IsRegular() {
			return nil
		}
		rel, _ := filepath.Rel(root, p)
		sink := &diag.Sink{Path: filepath.ToSlash(rel)}
		defer func() { warnings = append(warnings, asWarnings(sink.Problems)...) }()
		info, err := d.Info()
		if err != nil {
			return err
		}
		if info.Size() > site.DefaultMaxFileSize {
			sink.Errorf(0, "file is %d bytes, over the %d a bulletin may have; left out", info.Size(), site.DefaultMaxFileSize)
			return nil
		}
		src, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		fm, _, _, ok := site.SplitFrontMatter(src, sink)
		if !ok {
			return nil
		}
		root, ok := yamlnode.Mapping(fm, 2, sink)
		if !ok || root == nil {
			return nil
		}
		var bureau, region, category string
		// Only three keys matter here; the rest is for check to judge.
		for i := 0; i+1 < len(root.Content); i += 2 {
			key, v := root.Content[i].Value, yamlnode.Deref(root.Content[i+1])
			if v == nil || v.Kind != yaml.ScalarNode {
				continue
			}
			switch key {
			case "bureau":
				bureau = v.Value
			case "region":
				region = v.Value
			case "category":
				category = v.Value
			}
		}
		if bureau = strings.TrimSpace(bureau); bureau == "" {
			sink.Errorf(1, "no bureau: in the front matter; left out")
			return nil
		}
		c := byBureau[bureau]
		if c == nil {
			c = &count{region: map[string]int{}}
			byBureau[bureau] = c
		}
		c.n++
		if region = strings.TrimSpace(region); region != "" {
			c.region[region]++
		}
		if category = strings.TrimSpace(category); category != "" {
			byCategory[category]++
		}
		return nil
	})
	if err != nil {
		return nil, nil, nil, err
	}
	for name, c := range byBureau {
		b := Bureau{Name: name, Region: mostUsed(c.region)}
		if b.Region == "" {
			b.Region = site.RegionOfName(name)
		}
		bureaus = append(bureaus, b)
	}
	slices.SortFunc(bureaus, func(a, b Bureau) int {
		return cmp.Or(cmp.Compare(byBureau[b.Name].n, byBureau[a.Name].n), strings.Compare(a.Name, b.Name))
	})
	for name := range byCategory {
		categories = append(categories, name)
	}
	slices.SortFunc(categories, func(a, b string) int {
		return cmp.Or(cmp.Compare(byCategory[b], byCategory[a]), strings.Compare(a, b))
	})
	diag.Sort(warnings)
	return bureaus, categories, warnings, nil
}

// mostUsed returns the key with the highest count, the first by name of a
// tie, "" for none.
func mostUsed(counts map[string]int) string {
	best := ""
	for k, n := range counts {
		if best == "" || n > counts[best] || n == counts[best] && k < best {
			best = k
		}
	}
	return best
}

func asWarnings(ps diag.Problems) diag.Problems {
	for i := range ps {
		ps[i].Severity = diag.Warning
	}
	return ps
}
