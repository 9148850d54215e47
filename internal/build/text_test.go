package build

import (
	"context"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"testing"
	"testing/fstest"
	"unicode"

	"bulletin/internal/site"
)

// TestReaderTextInTheme: what readers read is the theme's, so that a site
// (or a theme made for another kind of office) can word it; the Go code
// that describes pages to the theme passes data, never Chinese words. The
// files and functions listed make the theme's pages.
func TestReaderTextInTheme(t *testing.T) {
	root := filepath.Join("..", "..")
	for _, tc := range []struct {
		file  string
		funcs []string // only these functions; all of the file when empty
	}{
		{"internal/build/pages.go", nil},
		{"indexer/page.go", nil},
		{"internal/digest/build.go", []string{"ArchivePublisher", "ArchiveSections", "archiveFeedLink"}},
		{"internal/notice/build.go", nil},
		{"internal/preview/search.go", []string{"Handler"}},
	} {
		fset := token.NewFileSet()
		f, err := parser.ParseFile(fset, filepath.Join(root, filepath.FromSlash(tc.file)), nil, parser.SkipObjectResolution)
		if err != nil {
			t.Fatal(err)
		}
		var scope []ast.Node
		for _, d := range f.Decls {
			fd, ok := d.(*ast.FuncDecl)
			if len(tc.funcs) == 0 || ok && slices.Contains(tc.funcs, fd.Name.Name) {
				scope = append(scope, d)
			}
		}
		if len(tc.funcs) > 0 && len(scope) != len(tc.funcs) {
			t.Errorf("%s: found %d of the functions %v", tc.file, len(scope), tc.funcs)
		}
		for _, n := range scope {
			ast.Inspect(n, func(n ast.Node) bool {
				lit, ok := n.(*ast.BasicLit)
				if !ok || lit.Kind != token.STRING {
					return true
				}
				s, err := strconv.Unquote(lit.Value)
				if err == nil && strings.IndexFunc(s, func(r rune) bool { return unicode.Is(unicode.Han, r) }) >= 0 {
					t.Errorf("%s:%d: reader-facing text %s belongs in the theme", tc.file, fset.Position(lit.Pos()).Line, lit.Value)
				}
				return true
			})
		}
	}
}

// TestHomeDescription: the home page's description is site.yaml's
// description, or else the theme's wording, which names no kind of office.
func TestHomeDescription(t *testing.T) {
	const config = "title: 测试信息网\nbase_url: https://news.example.org/\nbureaus: [{name: 测试局, region: 测试市, slug: ceshi}]\n"
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"site.yaml", config + "description: 测试市各部门的工作动态和通知公告\n", `<meta name="description" content="测试市各部门的工作动态和通知公告">`},
		{"theme", config, `<meta name="description" content="测试信息网：最新发布的信息">`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			fsys := fstest.MapFS{
				"site.yaml":    {Data: []byte(tc.yaml)},
				"content/a.md": {Data: []byte("---\ntitle: 一条信息\ndate: 2024-01-12\nbureau: 测试局\n---\n\n正文。\n")},
			}
			s, err := site.Load(context.Background(), fsys, site.Options{Now: fixtureNow})
			if err != nil {
				t.Fatal(err)
			}
			out := filepath.Join(t.TempDir(), "public")
			buildTo(t, s, fsys, out)
			home, err := os.ReadFile(filepath.Join(out, "index.html"))
			if err != nil {
				t.Fatal(err)
			}
			if !strings.Contains(string(home), tc.want) {
				t.Errorf("home page lacks %s", tc.want)
			}
			if strings.Contains(string(home), "民政") {
				t.Errorf("home page speaks of 民政, which this site does not")
			}
		})
	}
}
