package build

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/site"
	"bulletin/theme"
)

// TestSharedAttachmentWrittenOnce links one file from many bulletins and
// checks that the output holds it once, hard-linked into each folder, and
// that later builds (whole into the scratch folder, and incremental)
// never write one bulletin's attachment through another's link.
func TestSharedAttachmentWrittenOnce(t *testing.T) {
	ctx := context.Background()
	const n = 6
	form := bytes.Repeat([]byte("%PDF-form "), 100<<10) // 1 MB
	fsys := fstest.MapFS{
		"site.yaml":                {Data: []byte("title: 测试\nbase_url: https://example.org/\nbureaus:\n  - {name: 青海省民政厅, region: 青海省, slug: qinghai}\n")},
		"content/shared/form.pdf":  {Data: form, ModTime: time.Unix(100, 0)},
		"content/qinghai/form.pdf": {Data: []byte("%PDF-own"), ModTime: time.Unix(100, 0)},
	}
	bulletin := func(i int, link string) {
		fsys[fmt.Sprintf("content/qinghai/b%d.md", i)] = &fstest.MapFile{
			Data:    []byte(fmt.Sprintf("---\ntitle: 第%d条\ndate: 2024-01-%02d\nbureau: 青海省民政厅\n---\n见[申请表](%s)。\n", i, i+1, link)),
			ModTime: time.Unix(100, 0),
		}
	}
	for i := range n {
		bulletin(i, "../shared/form.pdf")
	}
	out := filepath.Join(t.TempDir(), "public")
	bd := NewBuilder(Config{Out: out, Theme: theme.FS, Sources: fsys})
	whole := func() { bd.last = nil }

	check := func(step string, own map[int]bool) {
		t.Helper()
		var first os.FileInfo
		for i := range n {
			p := filepath.Join(out, "bulletins", fmt.Sprintf("b%d", i), "form.pdf")
			data, err := os.ReadFile(p)
			if err != nil {
				t.Fatalf("%s: %v", step, err)
			}
			want := form
			if own[i] {
				want = fsys["content/qinghai/form.pdf"].Data
			}
			if !bytes.Equal(data, want) {
				t.Errorf("%s: b%d/form.pdf holds %.20q…, want %.20q…", step, i, data, want)
			}
			if own[i] {
				continue
			}
			info, _ := os.Stat(p)
			if first == nil {
				first = info
			} else if !os.SameFile(first, info) {
				t.Errorf("%s: b%d/form.pdf is a copy, not a link to the one file", step, i)
			}
		}
	}
	for _, step := range []struct {
		name  string
		edit  func()
		whole bool
		own   map[int]bool
	}{
		{"first build", func() {}, true, nil},
		{"scratch build", func() {}, true, nil},
		// b2 now links its own form.pdf: the same name, another file.
		{"whole, one own", func() { bulletin(2, "form.pdf") }, true, map[int]bool{2: true}},
		{"whole, into the linked tree", func() {}, true, map[int]bool{2: true}},
		{"incremental, back to shared", func() { bulletin(2, "../shared/form.pdf") }, false, nil},
		{"incremental, own again", func() { bulletin(2, "form.pdf") }, false, map[int]bool{2: true}},
		{"incremental, shared file edited", func() {
			form = append(bytes.Clone(form), "edited"...)
			fsys["content/shared/form.pdf"] = &fstest.MapFile{Data: form, ModTime: time.Unix(200, 0)}
		}, false, map[int]bool{2: true}},
	} {
		step.edit()
		if step.whole {
			whole()
		}
		s, err := site.Load(ctx, fsys, site.Options{Now: fixtureNow})
		if err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		if _, err := bd.Build(ctx, s); err != nil {
			t.Fatalf("%s: %v", step.name, err)
		}
		check(step.name, step.own)
	}
	if leftovers, _ := filepath.Glob(filepath.Join(out, "bulletins", "*", ".~*")); len(leftovers) > 0 {
		t.Errorf("temporary files left: %s", strings.Join(leftovers, ", "))
	}
}
