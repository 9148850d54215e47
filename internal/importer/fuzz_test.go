package importer

import (
	"context"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/site"
)

// FuzzImport parses any text: no panic, the same result every time, and
// every item it returns is a bulletin that loads without a problem and
// keeps its title and bureau.
func FuzzImport(f *testing.F) {
	for _, name := range []string{"jianbao-2024-03.txt", "xinxi-wrapped.txt"} {
		f.Add(readTestdata(f, name))
	}
	for _, seed := range []string{
		"民政工作简报\n第3期\n2024年3月15日\n全省低保标准提高\n\n全省各地切实保障困难群\n\n— 2 —\n\n众基本生活。（据青海省民政厅）\n",
		"标题标题标题\n\n# 1. - * _x_ [a](javascript:alert(1)) <script>x</script> `y` --- |a|b|\n（据青海省民政厅）",
		"2024年1月1日\n\f标题：冒号\"引号\"\n\n---\n\n(据西宁市民政局)\n",
		"目录\n甲乙丙丁……1\n甲乙丙丁\n\n正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文正文。\n报：某某\n",
	} {
		f.Add([]byte(seed))
	}
	cfg := testConfig(f)
	siteYAML := readTestdata(f, "site.yaml")
	f.Fuzz(func(t *testing.T, src []byte) {
		opt := Options{Config: cfg, Date: time.Date(2024, 3, 15, 0, 0, 0, 0, cfg.Location), Bureau: "青海省民政厅"}
		r := Parse(src, opt)
		if again := Parse(src, opt); render(again) != render(r) {
			t.Fatalf("two parses differ")
		}
		lines := strings.Count(string(src), "\n") + strings.Count(string(src), "\r") + 1
		for _, n := range r.Notes {
			if n.Line < 1 || n.Line > lines {
				t.Fatalf("note outside the text: %v", n)
			}
		}
		fsys := fstest.MapFS{"site.yaml": {Data: siteYAML}}
		byPath := map[string]*Item{}
		for _, it := range r.Items {
			if it.Title == "" || strings.ContainsAny(it.Title, "\r\n") || len(it.Paragraphs) == 0 {
				t.Fatalf("bad item %+v", it)
			}
			for _, p := range it.Paragraphs {
				if strings.TrimSpace(p) == "" || strings.ContainsAny(p, "\r\n") {
					t.Fatalf("bad paragraph %q", p)
				}
			}
			fsys[it.Path()] = &fstest.MapFile{Data: it.Markdown()}
			byPath[it.Path()] = it
		}
		s, err := site.Load(context.Background(), fsys, site.Options{Drafts: true, Future: true, Now: opt.Date})
		if err != nil {
			t.Fatalf("imported files do not load: %v\n%s", err, render(r))
		}
		for _, w := range s.Warnings {
			if w.Path != site.ContentDir {
				t.Fatalf("warning: %v\n%s", w, render(r))
			}
		}
		for _, b := range s.Bulletins {
			it := byPath[b.Source]
			if b.Title != it.Title || b.Bureau.Name != it.Bureau.Name || b.Attribution != it.Bureau.Name {
				t.Fatalf("%s loads as %q by %s (%s), imported as %q by %s", b.Source, b.Title, b.Bureau.Name, b.Attribution, it.Title, it.Bureau.Name)
			}
		}
	})
}
