package site

import (
	"context"
	"maps"
	"slices"
	"strings"
	"testing"
	"testing/fstest"

	"bulletin/internal/sitetest"
)

// linkedSite has links to another bulletin, attachments, a draft linked
// from a published bulletin, CRLF line ends, a byte order mark and closing
// lines of both kinds: everything a lean site's Content must render again
// as the load did.
const linkedSite = `
-- content/qinghai/2025/standard.md --
---
title: 全省冬春救助工作启动
date: 2024-01-12
bureau: 青海省民政厅
category: 社会救助
tags: [冬春救助, 低保]
slug: standard
---
见[附件：标准表](附件1.pdf)、[图](img/map.png#top)、[此前报道](../2024/relief.md)和[草稿](draft.md)。

（据青海省民政厅）
-- content/qinghai/2025/draft.md --
---
title: 草稿
date: 2024-01-13
bureau: 青海省民政厅
draft: true
---
草稿正文。
-- content/qinghai/2025/附件1.pdf --
%PDF-1.4
-- content/qinghai/2025/img/map.png --
png
-- content/qinghai/2024/relief.md --
---
title: 全省冬春救助工作启动
date: 2024-01-12
bureau: 青海省民政厅
category: 社会救助
---
近日，全省冬春救助工作全面启动。

(青海省民政厅供稿)
`

// TestLeanContent: a lean load keeps no bodies, and Content renders each
// again exactly as a load that keeps them has it; everything else about
// the bulletins is the same.
func TestLeanContent(t *testing.T) {
	crlf := sitetest.FS(linkedSite)
	for p, f := range crlf {
		if strings.HasSuffix(p, ".md") {
			f.Data = append([]byte("\uFEFF"), []byte(strings.ReplaceAll(string(f.Data), "\n", "\r\n"))...)
		}
	}
	for name, fsys := range map[string]fstest.MapFS{
		"generated": sitetest.Site(60),
		"links":     sitetest.FS(linkedSite),
		"crlf":      crlf,
	} {
		t.Run(name, func(t *testing.T) {
			full, ps := loadFS(t, fsys, Options{})
			if ps.Errors() > 0 {
				t.Fatal(ps)
			}
			lean, ps := loadFS(t, fsys, Options{Lean: true})
			if ps.Errors() > 0 {
				t.Fatal(ps)
			}
			if full.Lean() || !lean.Lean() || len(lean.Bulletins) != len(full.Bulletins) || len(full.Bulletins) == 0 {
				t.Fatalf("%d bulletins lean, %d full", len(lean.Bulletins), len(full.Bulletins))
			}
			for i, b := range lean.Bulletins {
				want := full.Bulletins[i]
				if b.Body != "" || b.Text != "" {
					t.Errorf("%s: a lean site holds its body", b.Source)
				}
				c, err := lean.Content(context.Background(), b)
				if err != nil {
					t.Fatalf("Content(%s): %v", b.Source, err)
				}
				if c.Body != want.Body || c.Text != want.Text {
					t.Errorf("%s: Content = %q, %q; the load rendered %q, %q", b.Source, c.Body, c.Text, want.Body, want.Text)
				}
				same := *b
				same.Body, same.Text = want.Body, want.Text
				if same.Summary != want.Summary || same.Hash != want.Hash || same.Attribution != want.Attribution ||
					same.HanChars != want.HanChars || !slices.Equal(same.Attachments, want.Attachments) || same.URL != want.URL {
					t.Errorf("%s: lean %+v, full %+v", b.Source, same, *want)
				}
				fc, err := full.Content(context.Background(), want)
				if err != nil || fc.Body != want.Body || fc.Text != want.Text {
					t.Errorf("%s: Content of a full site = %q, %v; want its Body", b.Source, fc.Body, err)
				}
			}
		})
	}
}

// TestLeanContentChanged: a body that no longer renders to what the load
// saw, because its file or a link's target changed, is an error rather
// than a page that disagrees with its listings.
func TestLeanContentChanged(t *testing.T) {
	for name, change := range map[string]func(fstest.MapFS){
		"edited": func(fsys fstest.MapFS) {
			f := fsys["content/qinghai/2025/standard.md"]
			f.Data = []byte(strings.Replace(string(f.Data), "见", "另见", 1))
		},
		"removed":         func(fsys fstest.MapFS) { delete(fsys, "content/qinghai/2025/standard.md") },
		"attachment gone": func(fsys fstest.MapFS) { delete(fsys, "content/qinghai/2025/img/map.png") },
	} {
		t.Run(name, func(t *testing.T) {
			fsys := sitetest.FS(linkedSite)
			s, ps := loadFS(t, fsys, Options{Lean: true})
			if ps.Errors() > 0 {
				t.Fatal(ps)
			}
			var b *Bulletin
			for _, x := range s.Bulletins {
				if x.Slug == "standard" {
					b = x
				}
			}
			if _, err := s.Content(context.Background(), b); err != nil {
				t.Fatalf("before the change: %v", err)
			}
			change(fsys)
			if c, err := s.Content(context.Background(), b); err == nil {
				t.Errorf("after the change: %q, no error", c.Body)
			}
		})
	}
}

// TestLeanCache: a lean load with a Cache reuses it as a full one does,
// and its cache holds no bodies.
func TestLeanCache(t *testing.T) {
	fsys := sitetest.FS(linkedSite)
	c := NewCache()
	for range 2 {
		s, ps := loadFS(t, fsys, Options{Lean: true, Cache: c})
		if ps.Errors() > 0 {
			t.Fatal(ps)
		}
		for _, b := range s.Bulletins {
			if _, err := s.Content(context.Background(), b); err != nil {
				t.Fatal(err)
			}
		}
	}
	if st := c.Stats(); st.Rendered != 0 {
		t.Errorf("second lean load rendered %d files, want 0", st.Rendered)
	}
	for _, p := range slices.Sorted(maps.Keys(c.files)) {
		if r := c.files[p].rendered; r != nil && (r.b.Body != "" || r.b.Text != "") {
			t.Errorf("%s: the cache of lean loads holds its body", p)
		}
	}
}
