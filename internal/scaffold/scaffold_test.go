package scaffold

import (
	"context"
	"errors"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"testing"

	"bulletin/internal/golden"
	"bulletin/internal/site"
	"bulletin/internal/sitetest"
)

// TestWrite writes new sites and loads them: each passes as it stands, and
// site.yaml reads as the golden file says.
func TestWrite(t *testing.T) {
	for _, tc := range []struct {
		name string
		opt  Options
	}{
		{"empty", Options{}},
		{"registry", Options{
			Title:   "青海民政信息网",
			BaseURL: "https://mz.qinghai.example.cn/",
			Bureaus: []Bureau{
				{Name: "青海省民政厅", Region: "青海省"},
				{Name: "西宁市民政局", Region: "青海省西宁市"},
				{Name: "青海省社会福利院", Region: "青海省"},                   // the region's slug is taken
				{Name: "海东市民政局", Region: "青海省海东市", Slug: "haidong"}, // given
				{Name: "标题: 引号\"#", Region: "青海省海东市"},               // YAML syntax in a name
			},
			Categories: []string{"工作动态", "社会救助"},
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := filepath.Join(t.TempDir(), "site")
			if err := Write(dir, tc.opt); err != nil {
				t.Fatal(err)
			}
			src, err := os.ReadFile(filepath.Join(dir, "site.yaml"))
			if err != nil {
				t.Fatal(err)
			}
			golden.Check(t, filepath.Join("testdata", tc.name+".site.yaml"), src)
			s, err := site.Load(context.Background(), os.DirFS(dir), site.Options{})
			if err != nil {
				t.Fatalf("the new site does not load: %v", err)
			}
			if len(s.Warnings) > 0 {
				t.Errorf("warnings: %v", s.Warnings)
			}
			if len(s.Config.Bureaus) != len(tc.opt.Bureaus) {
				t.Errorf("%d bureaus, want %d", len(s.Config.Bureaus), len(tc.opt.Bureaus))
			}
			for _, b := range tc.opt.Bureaus {
				if _, ok := s.Config.Bureau(b.Name); !ok {
					t.Errorf("bureau %q is not in the registry", b.Name)
				}
			}
			for _, name := range []string{"wording.yaml", ".gitignore", "content/.gitkeep"} {
				if _, err := os.Stat(filepath.Join(dir, name)); err != nil {
					t.Error(err)
				}
			}
			again := filepath.Join(t.TempDir(), "again")
			Write(again, tc.opt)
			if second, _ := os.ReadFile(filepath.Join(again, "site.yaml")); string(second) != string(src) {
				t.Error("the same options wrote another site.yaml")
			}
		})
	}
}

// TestWriteRefuses checks that Write leaves a folder with anything in it
// alone, takes an empty one, and leaves nothing when the options cannot
// make a site.
func TestWriteRefuses(t *testing.T) {
	dir := t.TempDir()
	os.WriteFile(filepath.Join(dir, "notes.txt"), []byte("mine"), 0o644)
	if err := Write(dir, Options{}); !errors.Is(err, ErrNotEmpty) {
		t.Errorf("a folder with a file: got %v", err)
	}
	if entries, _ := os.ReadDir(dir); len(entries) != 1 {
		t.Errorf("the folder now holds %d entries", len(entries))
	}

	empty := filepath.Join(t.TempDir(), "empty")
	os.Mkdir(empty, 0o755)
	if err := Write(empty, Options{}); err != nil {
		t.Errorf("an empty folder: %v", err)
	}
	repo := t.TempDir()
	os.Mkdir(filepath.Join(repo, ".git"), 0o755)
	if err := Write(repo, Options{}); err != nil {
		t.Errorf("a folder holding only .git: %v", err)
	}
	if _, err := os.Stat(filepath.Join(repo, ".git")); err != nil {
		t.Errorf("init lost .git: %v", err)
	}

	parent := t.TempDir()
	twice := Options{Bureaus: []Bureau{{Name: "青海省民政厅", Region: "青海省"}, {Name: "青海省民政厅", Region: "青海省"}}}
	if err := Write(filepath.Join(parent, "bad"), twice); err == nil || !strings.Contains(err.Error(), "listed twice") {
		t.Errorf("a bureau twice: got %v", err)
	}
	if entries, _ := os.ReadDir(parent); len(entries) != 0 {
		t.Errorf("a failed Write left %d entries", len(entries))
	}
}

func TestCorpus(t *testing.T) {
	dir := sitetest.Dir(t, sitetest.FS(`
-- a/1.md --
---
title: 一
date: 2024-01-01
bureau: 西宁市民政局
region: 青海省西宁市
category: 社会救助
---
正文
-- a/2.md --
---
title: 二
date: 2024-01-02
bureau: 西宁市民政局
category: 社会救助
---
正文
-- b/3.md --
---
title: 三
bureau: 青海省民政厅
category: 工作动态
---
正文
-- b/4.md --
no front matter
-- b/5.md --
---
title: [unclosed
---
-- b/6.md --
---
title: 无单位
---
正文
-- .hidden/7.md --
---
bureau: 隐藏单位
---
-- b/notes.txt --
bureau: 不是信息
`))
	bureaus, categories, warnings, err := Corpus(context.Background(), dir)
	if err != nil {
		t.Fatal(err)
	}
	want := []Bureau{{Name: "西宁市民政局", Region: "青海省西宁市"}, {Name: "青海省民政厅", Region: "青海省"}}
	if !slices.Equal(bureaus, want) {
		t.Errorf("bureaus %v, want %v", bureaus, want)
	}
	if !slices.Equal(categories, []string{"社会救助", "工作动态"}) {
		t.Errorf("categories %v", categories)
	}
	var got []string
	for _, w := range warnings {
		got = append(got, w.String())
	}
	wantWarnings := []string{
		"b/4.md:1: warning: no front matter",
		"b/5.md:2: warning: invalid YAML",
		"b/6.md:1: warning: no bureau: in the front matter; left out",
	}
	if len(got) != len(wantWarnings) {
		t.Fatalf("warnings %q", got)
	}
	for i := range got {
		if !strings.HasPrefix(got[i], wantWarnings[i]) {
			t.Errorf("warning %q, want %q...", got[i], wantWarnings[i])
		}
	}
}

// TestWriteHere starts a site in the empty folder the editor is in: the
// folder stays, and the site is written into it.
func TestWriteHere(t *testing.T) {
	dir := t.TempDir()
	t.Chdir(dir)
	if err := Write(".", Options{}); err != nil {
		t.Fatal(err)
	}
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		names = append(names, e.Name())
	}
	if strings.Join(names, " ") != ".gitignore content site.yaml wording.yaml" {
		t.Errorf("the folder holds %v", names)
	}
	if _, err := site.ReadConfig(os.DirFS(".")); err != nil {
		t.Errorf("site.yaml, read from the folder the editor is in: %v", err)
	}
}
