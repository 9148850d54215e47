package site

import (
	"context"
	"errors"
	"fmt"
	"maps"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/sitetest"
)

const testConfig = `title: 测试民政信息网
base_url: https://news.example.org/
bureaus:
  - {name: 青海省民政厅, region: 青海省, slug: qinghai}
  - {name: 西宁市民政局, region: 青海省, slug: qinghai-xining}
  - {name: 甘肃省民政厅, region: 甘肃省, slug: gansu}
categories: [社会救助, 养老服务]
`

var testNow = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

func bulletinFile(front, body string) *fstest.MapFile {
	return &fstest.MapFile{Data: []byte("---\n" + front + "---\n" + body)}
}

func loadFS(t *testing.T, fsys fstest.MapFS, opt Options) (*Site, diag.Problems) {
	t.Helper()
	if _, ok := fsys["site.yaml"]; !ok {
		fsys["site.yaml"] = &fstest.MapFile{Data: []byte(testConfig)}
	}
	if opt.Now.IsZero() {
		opt.Now = testNow
	}
	s, err := Load(context.Background(), fsys, opt)
	var ps diag.Problems
	if errors.As(err, &ps) {
		return nil, ps
	}
	if err != nil {
		t.Fatalf("Load: %v", err)
	}
	return s, s.Warnings
}

const goodFront = "title: 全省冬春救助工作启动\ndate: 2024-01-12\nbureau: 青海省民政厅\ncategory: 社会救助\ntags: [冬春救助, 低保]\n"
const goodBody = "近日，全省冬春救助工作全面启动。各地按照要求开展排查。\n\n（据青海省民政厅）\n"

// TestLoadPartial: with Options.Partial a load that finds errors returns
// them with the site of what loaded without them, for serve to preview:
// the bulletins that have none, or an empty site still at base_url when
// site.yaml has errors.
func TestLoadPartial(t *testing.T) {
	files := func(cfg string) fstest.MapFS {
		return fstest.MapFS{
			"site.yaml":            {Data: []byte(cfg)},
			"content/good.md":      bulletinFile(goodFront, goodBody),
			"content/bad-date.md":  bulletinFile("title: 日期有误\ndate: 2024-13-01\nbureau: 青海省民政厅\n", "正文。\n"),
			"content/bad-place.md": bulletinFile("title: 单位有误\ndate: 2024-02-01\nbureau: 青海省民正厅\n", "正文。\n"),
		}
	}
	for _, tc := range []struct {
		name, cfg string
		errors    int
		titles    []string
	}{
		{"bulletins with errors", testConfig, 2, []string{"全省冬春救助工作启动"}},
		{"a site.yaml with errors", strings.Replace(testConfig, "categories:", "paginate: 0\ncategories:", 1), 3, nil},
	} {
		s, err := Load(context.Background(), files(tc.cfg), Options{Now: testNow, Partial: true})
		var ps diag.Problems
		if !errors.As(err, &ps) || ps.Errors() != tc.errors {
			t.Errorf("%s: Load returned %v, want %d errors", tc.name, err, tc.errors)
			continue
		}
		if s == nil {
			t.Errorf("%s: no site", tc.name)
			continue
		}
		var titles []string
		for _, b := range s.Bulletins {
			titles = append(titles, b.Title)
		}
		if fmt.Sprint(titles) != fmt.Sprint(tc.titles) {
			t.Errorf("%s: published %q, want %q", tc.name, titles, tc.titles)
		}
		if s.Config == nil || s.Config.Base.String() != "https://news.example.org/" || s.Config.Location == nil || s.Bureaus == nil {
			t.Errorf("%s: the site cannot be built: config %+v, bureaus %v", tc.name, s.Config, s.Bureaus)
		}
	}
	if s, err := Load(context.Background(), files(testConfig), Options{Now: testNow}); s != nil || err == nil {
		t.Errorf("without Partial, Load returned a site with errors: %v", err)
	}
}

func TestLoadGood(t *testing.T) {
	s, ps := loadFS(t, sitetest.FS(`
-- content/qinghai/relief.md --
---
title: 全省冬春救助工作启动
date: 2024-01-12
bureau: 青海省民政厅
category: 社会救助
tags: [冬春救助, 低保]
---
近日，全省冬春救助工作全面启动。各地按照要求开展排查。

（据青海省民政厅）
-- content/qinghai/西宁养老.md --
---
title: 西宁市养老服务中心投入使用
date: 2024-03-05 09:30
bureau: 西宁市民政局
tags: 养老
---
中心正式投入使用。

（西宁市民政局供稿）
-- content/gansu/draft.md --
---
title: 草稿
date: 2024-02-01
bureau: 甘肃省民政厅
draft: true
---
草稿正文。
-- content/gansu/future.md --
---
title: 将来
date: 2026-01-15T09:00:00+08:00
bureau: 甘肃省民政厅
---
将来正文。
-- content/gansu/.swp.md --
---
title: hidden
---
-- content/qinghai/notes.txt --
not a bulletin
`), Options{})
	if len(ps) > 0 {
		t.Fatalf("unexpected problems:\n%v", ps)
	}
	if got := len(s.Bulletins); got != 2 {
		t.Fatalf("published %d bulletins, want 2", got)
	}
	if s.Drafts != 1 || s.Scheduled != 1 {
		t.Errorf("left out %d drafts and %d scheduled, want 1 and 1", s.Drafts, s.Scheduled)
	}
	newest, oldest := s.Bulletins[0], s.Bulletins[1]
	if newest.Title != "西宁市养老服务中心投入使用" {
		t.Errorf("newest = %q, want the March bulletin first", newest.Title)
	}
	if want := time.Date(2024, 3, 5, 9, 30, 0, 0, s.Config.Location); !newest.Date.Equal(want) {
		t.Errorf("date = %v, want %v (site zone)", newest.Date, want)
	}
	if !strings.HasPrefix(newest.Slug, "b") || len(newest.Slug) != 8 {
		t.Errorf("Chinese file name gave slug %q, want a short stable id", newest.Slug)
	}
	if newest.Attribution != "西宁市民政局" || oldest.Attribution != "青海省民政厅" {
		t.Errorf("attributions = %q, %q", newest.Attribution, oldest.Attribution)
	}
	if oldest.URL != "/bulletins/relief/" {
		t.Errorf("URL = %q, want /bulletins/relief/", oldest.URL)
	}
	if oldest.Region.Name != "青海省" || oldest.Region.URL != "/regions/qinghai/" {
		t.Errorf("region = %+v", oldest.Region)
	}
	if oldest.Summary != "近日，全省冬春救助工作全面启动。各地按照要求开展排查。" {
		t.Errorf("summary = %q (the attribution must not be part of it)", oldest.Summary)
	}
	if len(newest.Tags) != 1 || newest.Tags[0].Name != "养老" || newest.Tags[0].URL != "/tags/yanglao/" {
		t.Errorf("single-string tags = %+v", newest.Tags)
	}
	if want := time.Date(2026, 1, 15, 9, 0, 0, 0, time.FixedZone("", 8*3600)); !s.NextDue.Equal(want) {
		t.Errorf("NextDue = %v, want %v", s.NextDue, want)
	}
	if got := len(s.Months.Terms); got != 2 || s.Months.Terms[0].URL != "/archive/2024/03/" {
		t.Errorf("months = %d, first %q", got, s.Months.Terms[0].URL)
	}
	// Terms declared in site.yaml but without bulletins are left out:
	// an empty column fails a government site inspection.
	for _, term := range s.Bureaus.Terms {
		if term.Name == "甘肃省民政厅" {
			t.Errorf("bureau with only a draft and a future bulletin is listed")
		}
	}
}

func TestLoadDraftsAndFuture(t *testing.T) {
	fsys := fstest.MapFS{
		"content/a.md": bulletinFile("title: 草稿\ndate: 2024-02-01\nbureau: 甘肃省民政厅\ndraft: true\n", "正文。\n"),
		"content/b.md": bulletinFile("title: 将来\ndate: 2027-01-15\nbureau: 甘肃省民政厅\n", "正文。\n"),
	}
	for _, tc := range []struct {
		opt  Options
		want int
	}{
		{Options{}, 0},
		{Options{Drafts: true}, 1},
		{Options{Future: true}, 1},
		{Options{Drafts: true, Future: true}, 2},
		{Options{Now: time.Date(2027, 2, 1, 0, 0, 0, 0, time.UTC)}, 1},
	} {
		s, ps := loadFS(t, fsys, tc.opt)
		if ps.Errors() > 0 {
			t.Fatal(ps)
		}
		if got := len(s.Bulletins); got != tc.want {
			t.Errorf("%+v: published %d, want %d", tc.opt, got, tc.want)
		}
	}
}

// TestLoadProblems feeds one bad file at a time and checks the message
// and the line it points at.
func TestLoadProblems(t *testing.T) {
	big := strings.Repeat("很长的正文。", DefaultMaxFileSize/10)
	for _, tc := range []struct {
		name string
		file string // content of content/a.md
		want string // path:line: message prefix of the problem
	}{
		{"no front matter", "title: x\n", "content/a.md:1: no front matter"},
		{"unclosed", "---\ntitle: x\ndate: 2024-01-01\n", "content/a.md:1: front matter opened on line 1 is never closed"},
		{"bad yaml", "---\ntitle: [x\ndate: 2024-01-01\n---\n正文\n", "content/a.md:"},
		{"missing title", "---\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n正文\n", "content/a.md:1: title is missing"},
		{"missing date", "---\ntitle: x\nbureau: 青海省民政厅\n---\n正文\n", "content/a.md:1: date is missing"},
		{"missing bureau", "---\ntitle: x\ndate: 2024-01-01\n---\n正文\n", "content/a.md:1: bureau is missing"},
		{"impossible date", "---\ntitle: x\ndate: 2024-13-01\nbureau: 青海省民政厅\n---\n正文\n", `content/a.md:3: date "2024-13-01" is not a valid date: month out of range`},
		{"Chinese date", "---\ntitle: x\ndate: 二〇二四年三月五日\nbureau: 青海省民政厅\n---\n正文\n", `content/a.md:3: date "二〇二四年三月五日" is not a valid date`},
		{"unknown bureau", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民正厅\n---\n正文\n", `content/a.md:4: bureau "青海省民正厅" is not listed in site.yaml; did you mean "青海省民政厅"?`},
		{"unknown category", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\ncategory: 社会求助\n---\n正文\n", `content/a.md:5: category "社会求助" is not listed in site.yaml; did you mean "社会救助"?`},
		{"region disagrees", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\nregion: 甘肃省\n---\n正文\n", `content/a.md:5: region "甘肃省" does not agree with site.yaml`},
		{"empty body", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n\n  \n", "content/a.md:5: body is empty"},
		{"bad slug", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\nslug: ../../etc\n---\n正文\n", `content/a.md:5: slug "../../etc" must be lowercase ASCII`},
		{"invalid UTF-8", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n正文\xff\n", "content/a.md:6: not UTF-8 text"},
		{"NUL byte", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n\n正\x00文\n", "content/a.md:7: not UTF-8 text"},
		{"oversized", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n" + big, "content/a.md: file is"},
		{"missing link target", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n正文\n\n见[附件](missing.pdf)。\n", `content/a.md:8: link "missing.pdf": content/missing.pdf does not exist`},
		{"link leaves content", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n见[文件](../site.yaml)。\n", `content/a.md:6: link "../site.yaml" leaves the content folder`},
		{"link to missing bulletin", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n见[此前报道](old.md)。\n", `content/a.md:6: link "old.md": there is no bulletin content/old.md`},
		{"bad urgency", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\nurgency: 很急\n---\n正文\n", `content/a.md:5: urgency "很急" must be one of`},
		{"updated before date", "---\ntitle: x\ndate: 2024-01-02\nupdated: 2024-01-01\nbureau: 青海省民政厅\n---\n正文\n", "content/a.md:4: updated 2024-01-01 is before date 2024-01-02"},
		{"duplicate key", "---\ntitle: x\ntitle: y\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n正文\n", `content/a.md:3: "title" is given twice`},
		{"long slug", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n" + "slug: " + strings.Repeat("a", 300) + "\n---\n正文\n", "content/a.md:5: slug is 300 characters long; at most 80"},
		{"tag bomb", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n" + "tags: [" + strings.TrimSuffix(strings.Repeat("标签,", 20000), ",") + "]\n---\n正文\n", "content/a.md:5: 20000 tags; a bulletin may have at most 10 (limits.tags in site.yaml)"},
		{"eleven tags", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n" + "tags: [a1, a2, a3, a4, a5, a6, a7, a8, a9, a10, a11]\n---\n正文\n", "content/a.md:5: 11 tags; a bulletin may have at most 10"},
		{"long tag", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n" + "tags:\n  - 低保\n  - " + strings.Repeat("长", 21) + "\n---\n正文\n", "content/a.md:7: tag is 21 characters long; at most 20 (limits.tag_length in site.yaml)"},
		{"long title", "---\ntitle: " + strings.Repeat("题", 101) + "\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n正文\n", "content/a.md:2: title is 101 characters long; at most 100"},
		{"long summary", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n" + "summary: " + strings.Repeat("摘", 301) + "\n---\n正文\n", "content/a.md:5: summary is 301 characters long; at most 300"},
		{"attribution outside registry", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n" + "---\n正文。\n\n（据国务院办公厅）\n", "content/a.md:8: the closing line names 国务院办公厅, which is not a bureau in site.yaml; a bulletin carried from another office says relay: true"},
		{"skeleton text left", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n\n" + Placeholder + "\n\n（据青海省民政厅）\n", `content/a.md:7: still has the paragraph bulletin new wrote, "正文第一段。": write the bulletin's text, or keep draft: true until it is done`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := loadFS(t, fstest.MapFS{"content/a.md": {Data: []byte(tc.file)}}, Options{})
			if ps.Errors() == 0 {
				t.Fatalf("no error; want %q", tc.want)
			}
			if !strings.HasPrefix(ps[0].String(), tc.want) {
				t.Errorf("got  %q\nwant %q...", ps[0].String(), tc.want)
			}
		})
	}
}

func TestLoadWarnings(t *testing.T) {
	for _, tc := range []struct {
		name, file, want string
	}{
		{"unknown key", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\ntitel: y\n---\n正文\n", `content/a.md:5: warning: unknown key "titel"; did you mean "title"?`},
		{"attribution mismatch", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n正文。\n\n（据甘肃省民政厅）\n", "content/a.md:8: warning: the closing line names 甘肃省民政厅, but bureau is 青海省民政厅"},
		{"raw HTML", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n正文。\n\n<script>alert(1)</script>\n", "content/a.md:8: warning: raw HTML"},
		{"override in title", "---\ntitle: 通知\u202Efdp.exe\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n正文\n", "content/a.md:2: warning: title contains the invisible character U+202E"},
		{"zero width in tag", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\ntags: [低\u200B保]\n---\n正文\n", "content/a.md:5: warning: tag contains the invisible character U+200B"},
		{"isolate in summary", "---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\nsummary: 摘要\u2067x\n---\n正文\n", "content/a.md:5: warning: summary contains the invisible character U+2067"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s, ps := loadFS(t, fstest.MapFS{"content/a.md": {Data: []byte(tc.file)}}, Options{})
			if ps.Errors() > 0 {
				t.Fatalf("errors: %v", ps)
			}
			if len(s.Warnings) == 0 || !strings.HasPrefix(s.Warnings[0].String(), tc.want) {
				t.Errorf("warnings %q, want %q...", s.Warnings, tc.want)
			}
		})
	}
}

// TestLoadFarAhead warns of dates more than a year after the build's now,
// with the year the author likely meant, and not of a draft's skeleton.
func TestLoadFarAhead(t *testing.T) {
	now := time.Date(2026, 12, 6, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		date, want string
	}{
		{"2042-01-12", "content/a.md:3: warning: date 2042-01-12 is more than a year ahead: 2042 typed for 2024?"},
		{"2062-03-01", "content/a.md:3: warning: date 2062-03-01 is more than a year ahead: 2062 typed for 2026?"},
		{"3025-05-01", "content/a.md:3: warning: date 3025-05-01 is more than a year ahead; check the year"},
		{"2027-06-30", ""}, // scheduled within a year
		{"2024-01-12", ""},
	} {
		t.Run(tc.date, func(t *testing.T) {
			file := "---\ntitle: x\ndate: " + tc.date + "\nbureau: 青海省民政厅\ndraft: true\n---\n\n" + Placeholder + "\n"
			s, ps := loadFS(t, fstest.MapFS{"content/a.md": {Data: []byte(file)}}, Options{Now: now})
			if ps.Errors() > 0 {
				t.Fatalf("errors: %v", ps)
			}
			var got []string
			for _, w := range s.Warnings {
				got = append(got, w.String())
			}
			if strings.Join(got, "\n") != tc.want {
				t.Errorf("warnings %q, want %q", got, tc.want)
			}
		})
	}
}

// TestLoadAllProblemsAtOnce checks that one run reports the problems of
// every file, sorted by path and line.
func TestLoadAllProblemsAtOnce(t *testing.T) {
	_, ps := loadFS(t, sitetest.FS(`
-- content/b.md --
---
title: x
date: 2024-13-01
bureau: 无此单位
---
正文
-- content/a.md --
---
date: 2024-01-01
bureau: 青海省民政厅
---
正文
-- site.yaml --
title: 测试民政信息网
base_url: https://news.example.org/
bureaus:
  - {name: 青海省民政厅, region: 青海省, slug: qinghai}
  - {name: 西宁市民政局, region: 青海省, slug: qinghai-xining}
  - {name: 甘肃省民政厅, region: 甘肃省, slug: gansu}
categories: [社会救助, 养老服务]
paginat: 10
`), Options{})
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	want := []string{
		"content/a.md:1: title is missing",
		`content/b.md:3: date "2024-13-01" is not a valid date: month out of range; use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339`,
		`content/b.md:4: bureau "无此单位" is not listed in site.yaml`,
		`site.yaml:8: unknown key "paginat"; did you mean "paginate"?`,
	}
	if strings.Join(got, "\n") != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

// TestLoadUnreadableConfig: when site.yaml is not YAML the bulletins' own
// problems are still reported, but not disagreements with the bureaus it
// could not list.
func TestLoadUnreadableConfig(t *testing.T) {
	_, ps := loadFS(t, sitetest.FS(`
-- content/a.md --
---
title: x
date: 2024-13-01
bureau: 青海省民政厅
---
正文
-- content/b.md --
---
title: y
date: 2024-01-01
bureau: 无此单位
---
正文
-- site.yaml --
`+testConfig+`bureaus: [
`), Options{})
	var got []string
	for _, p := range ps {
		got = append(got, p.String())
	}
	want := []string{
		`content/a.md:3: date "2024-13-01" is not a valid date: month out of range; use YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339`,
		"site.yaml:",
	}
	if len(got) != len(want) || got[0] != want[0] || !strings.HasPrefix(got[1], want[1]) {
		t.Errorf("problems:\n%s\nwant:\n%s…", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
}

func TestLoadDuplicateURL(t *testing.T) {
	_, ps := loadFS(t, fstest.MapFS{
		"content/qinghai/relief.md": bulletinFile(goodFront, goodBody),
		"content/gansu/relief.md":   bulletinFile(goodFront, goodBody),
		"content/gansu/other.md":    bulletinFile(goodFront+"slug: relief\n", goodBody),
	}, Options{})
	want := []string{
		"content/gansu/other.md:7: URL /bulletins/relief/ is also the URL of content/gansu/relief.md; give one of them a different slug",
		"content/qinghai/relief.md:1: URL /bulletins/relief/ is also the URL of content/gansu/relief.md; give one of them a different slug",
	}
	if got := ps.Error(); got != strings.Join(want, "\n") {
		t.Errorf("got:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
}

func TestLoadAttachmentsAndLinks(t *testing.T) {
	s, ps := loadFS(t, sitetest.FS(`
-- content/qinghai/2025/standard.md --
---
title: 全省冬春救助工作启动
date: 2024-01-12
bureau: 青海省民政厅
category: 社会救助
tags: [冬春救助, 低保]
slug: standard
---
见[附件：标准表](附件1.pdf)、[图](img/map.png#top)和[此前报道](../2024/relief.md)。

（据青海省民政厅）
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
tags: [冬春救助, 低保]
---
近日，全省冬春救助工作全面启动。各地按照要求开展排查。

（据青海省民政厅）
`), Options{})
	if ps.Errors() > 0 {
		t.Fatal(ps)
	}
	var b *Bulletin
	for _, x := range s.Bulletins {
		if x.Slug == "standard" {
			b = x
		}
	}
	if len(b.Attachments) != 2 {
		t.Fatalf("attachments = %+v", b.Attachments)
	}
	pdf, png := b.Attachments[0], b.Attachments[1]
	if pdf.Source != "content/qinghai/2025/附件1.pdf" || !strings.HasPrefix(pdf.Name, "file-") || !strings.HasSuffix(pdf.Name, ".pdf") {
		t.Errorf("Chinese-named attachment = %+v, want an ASCII name", pdf)
	}
	if png.Name != "map.png" {
		t.Errorf("attachment name = %q, want map.png", png.Name)
	}
	for _, want := range []string{`href="` + pdf.Name + `"`, `href="map.png#top"`, `href="../relief/"`} {
		if !strings.Contains(b.Body, want) {
			t.Errorf("body lacks %s:\n%s", want, b.Body)
		}
	}
}

// TestLoadAttachmentRules checks what a bulletin may publish beside its
// page: documents and images of its own, or from content/shared/; never
// a type a browser runs, another bureau's files, or hidden and draft ones.
func TestLoadAttachmentRules(t *testing.T) {
	files := fstest.MapFS{}
	for _, name := range []string{
		"content/qinghai/2025/报告.pdf", "content/qinghai/2025/表.XLSX", "content/qinghai/2025/材料.wps",
		"content/qinghai/2025/img/图.JPG", "content/qinghai/2025/chart.svg", "content/qinghai/2025/report.html",
		"content/qinghai/2025/pwn.js", "content/qinghai/2025/README", "content/qinghai/2025/a.exe",
		"content/qinghai/2025/.secret.pdf", "content/qinghai/2025/_drafts/x.pdf", "content/qinghai/2025/.git/y.pdf",
		"content/qinghai/2024/old.pdf", "content/gansu/2025/其他.pdf", "content/shared/申请表.docx", "content/root.pdf",
		"content/qinghai/2025/通知\u202Efdp.exe",
	} {
		files[name] = &fstest.MapFile{Data: []byte("x")}
	}
	tests := []struct {
		from, link string
		want       string // "" when the link is allowed
	}{
		{"content/qinghai/2025/a.md", "[x](报告.pdf)", ""},
		{"content/qinghai/2025/a.md", "[x](表.XLSX)", ""},
		{"content/qinghai/2025/a.md", "[x](材料.wps)", ""},
		{"content/qinghai/2025/a.md", "![x](img/图.JPG)", ""},
		{"content/qinghai/2025/a.md", "![x](chart.svg)", ""},
		{"content/qinghai/2025/a.md", "[x](../../shared/申请表.docx)", ""},
		{"content/a.md", "[x](root.pdf)", ""},
		{"content/a.md", "[x](shared/申请表.docx)", ""},
		{"content/qinghai/2025/a.md", "[x](report.html)", `link "report.html": files of type .html cannot be attachments`},
		{"content/qinghai/2025/a.md", "[x](pwn.js)", `link "pwn.js": files of type .js cannot be attachments`},
		{"content/qinghai/2025/a.md", "[x](a.exe)", `files of type .exe cannot be attachments`},
		{"content/qinghai/2025/a.md", "[x](README)", `files without an extension cannot be attachments`},
		{"content/qinghai/2025/a.md", "[x](chart.svg)", `link "chart.svg": an SVG file can only be shown as an image`},
		{"content/qinghai/2025/a.md", "![x](报告.pdf)", `image "报告.pdf": a .pdf file is not an image`},
		{"content/qinghai/2025/a.md", "[x](.secret.pdf)", `content/qinghai/2025/.secret.pdf is hidden or in a draft folder`},
		{"content/qinghai/2025/a.md", "[x](_drafts/x.pdf)", `is hidden or in a draft folder`},
		{"content/qinghai/2025/a.md", "[x](.git/y.pdf)", `is hidden or in a draft folder`},
		{"content/qinghai/2025/a.md", "[x](../2024/old.pdf)", `content/qinghai/2024/old.pdf is outside this bulletin's folder; put attachments in content/qinghai/2025/`},
		{"content/qinghai/2025/a.md", "[x](../../gansu/2025/其他.pdf)", `is outside this bulletin's folder`},
		{"content/a.md", "[x](gansu/2025/其他.pdf)", `content/gansu/2025/其他.pdf is outside this bulletin's folder`},
		{"content/qinghai/2025/a.md", "[x](通知\u202Efdp.exe)", `the file name "content/qinghai/2025/通知\u202efdp.exe" contains the invisible character U+202E`},
	}
	for _, tt := range tests {
		t.Run(tt.link, func(t *testing.T) {
			fsys := maps.Clone(files)
			fsys[tt.from] = bulletinFile(goodFront, "见"+tt.link+"。\n")
			_, ps := loadFS(t, fsys, Options{})
			got := ps.Error()
			if tt.want == "" {
				if ps.Errors() > 0 {
					t.Errorf("refused:\n%s", got)
				}
				return
			}
			if ps.Errors() != 1 || !strings.Contains(got, tt.from+":8: ") || !strings.Contains(got, tt.want) {
				t.Errorf("problems:\n%s\nwant one error at %s:8 with %q", got, tt.from, tt.want)
			}
		})
	}
}

func TestParseDate(t *testing.T) {
	loc, _ := time.LoadLocation("Asia/Shanghai")
	for _, tc := range []struct {
		in   string
		want time.Time
		ok   bool
	}{
		{"2024-01-05", time.Date(2024, 1, 5, 0, 0, 0, 0, loc), true},
		{"2024-01-05 09:30", time.Date(2024, 1, 5, 9, 30, 0, 0, loc), true},
		{"2024-01-05T09:30", time.Date(2024, 1, 5, 9, 30, 0, 0, loc), true},
		{"2024-01-05 09:30:15", time.Date(2024, 1, 5, 9, 30, 15, 0, loc), true},
		{"2024-01-05T09:30:00+08:00", time.Date(2024, 1, 5, 9, 30, 0, 0, loc), true},
		{"2024-01-05T01:30:00Z", time.Date(2024, 1, 5, 9, 30, 0, 0, loc), true},
		{"2024-02-30", time.Time{}, false},
		{"2024-13-01", time.Time{}, false},
		{"2024/01/05", time.Time{}, false},
		{"24-1-5", time.Time{}, false},
		{"", time.Time{}, false},
	} {
		sink := &diag.Sink{Path: "a.md"}
		got, ok := parseDate("date", tc.in, loc, 3, sink)
		if ok != tc.ok || !got.Equal(tc.want) {
			t.Errorf("parseDate(%q) = %v, %v; want %v, %v (%v)", tc.in, got, ok, tc.want, tc.ok, sink.Problems)
		}
		if !ok && (len(sink.Problems) != 1 || sink.Problems[0].Line != 3) {
			t.Errorf("parseDate(%q) problems = %v, want one on line 3", tc.in, sink.Problems)
		}
	}
}

func TestConfigProblems(t *testing.T) {
	for _, tc := range []struct {
		name, yaml, want string
	}{
		{"missing title", "base_url: https://x.org/\n", "site.yaml:1: title is missing"},
		{"bad base_url", "title: x\nbase_url: news.example.org\n", `site.yaml:2: base_url "news.example.org" must be an absolute http(s) address`},
		{"bad timezone", "title: x\nbase_url: https://x.org/\ntimezone: Asia/Beijing\n", `site.yaml:3: timezone "Asia/Beijing" is not a known time zone`},
		{"bad bureau slug", "title: x\nbase_url: https://x.org/\nbureaus:\n  - {name: 青海省民政厅, region: 青海省, slug: 青海}\n", `site.yaml:4: bureau 青海省民政厅: slug "青海" must be lowercase ASCII`},
		{"unknown bureau key", "title: x\nbase_url: https://x.org/\nbureaus:\n  - name: 青海省民政厅\n    region: 青海省\n    slug: qinghai\n    regoin: x\n", `site.yaml:7: unknown key bureau "regoin"; did you mean "region"?`},
		{"paginate", "title: x\nbase_url: https://x.org/\npaginate: 0\n", "site.yaml:3: paginate must be between 1 and 1000"},
		{"feeds content", "title: x\nbase_url: https://x.org/\nfeeds:\n  content: excerpt\n", `site.yaml:4: feeds.content must be full or summary`},
		{"internal digest published", "title: x\nbase_url: https://x.org/\ndigest:\n  marking: 内部资料\n", `site.yaml:4: warning: digest.marking "内部资料" marks the issues as internal, yet every build publishes them`},
		{"digest publish", "title: x\nbase_url: https://x.org/\ndigest:\n  publish: maybe\n", `site.yaml:4: digest.publish`},
		{"inbox outside", "title: x\nbase_url: https://x.org/\nreporting:\n  inbox: ../mail\n", `site.yaml:4: reporting.inbox "../mail" must be a folder inside the site`},
		{"inbox published", "title: x\nbase_url: https://x.org/\nreporting:\n  inbox: content/inbox\n", `site.yaml:4: reporting.inbox "content/inbox" must not be inside content/`},
		{"points key", "title: x\nbase_url: https://x.org/\nreporting:\n  points:\n    sit: 2\n", `site.yaml:5: unknown key reporting.points."sit"; did you mean "site"?`},
		{"points range", "title: x\nbase_url: https://x.org/\nreporting:\n  points:\n    state: 4000\n", `site.yaml:5: reporting.points.state must be between -1000 and 1000`},
		{"points not a number", "title: x\nbase_url: https://x.org/\nreporting:\n  points:\n    site: 一\n", `site.yaml:5: reporting.points.site must be a whole number`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := loadFS(t, fstest.MapFS{"site.yaml": {Data: []byte(tc.yaml)}}, Options{})
			for _, p := range ps {
				if strings.HasPrefix(p.String(), tc.want) {
					return
				}
			}
			t.Errorf("got %q, want %q...", ps, tc.want)
		})
	}
}

// TestReportingSettings: the defaults, and a site's own table taking the
// place of the figures it gives.
func TestReportingSettings(t *testing.T) {
	cfg, err := ReadConfig(fstest.MapFS{"site.yaml": {Data: []byte("title: x\nbase_url: https://x.org/\n")}})
	if err != nil {
		t.Fatal(err)
	}
	if r := cfg.Reporting; r.Inbox != "inbox" || r.PublishNotice || r.Points != DefaultPoints() || r.NoticeTitle == "" {
		t.Errorf("defaults: %+v", r)
	}
	cfg, err = ReadConfig(fstest.MapFS{"site.yaml": {Data: []byte("title: x\nbase_url: https://x.org/\nreporting:\n  inbox: 收件箱/各单位\n  publish_notice: true\n  points: {digest: 5, request_missed: -5}\n")}})
	if err != nil {
		t.Fatal(err)
	}
	want := DefaultPoints()
	want.Digest, want.RequestMissed = 5, -5
	if r := cfg.Reporting; r.Inbox != "收件箱/各单位" || !r.PublishNotice || r.Points != want {
		t.Errorf("site's settings: %+v", r)
	}
}

// TestDigestPublish: issues are published unless site.yaml says not, and
// an internal briefing kept off the site draws no warning.
func TestDigestPublish(t *testing.T) {
	for _, tc := range []struct {
		digest   string
		publish  bool
		warnings int
	}{
		{"", true, 0},
		{"digest:\n  title: 简报\n", true, 0},
		{"digest:\n  publish: false\n  marking: 内部资料 注意保存\n", false, 0},
		{"digest:\n  marking: 内部资料 注意保存\n", true, 1},
	} {
		s, ps := loadFS(t, fstest.MapFS{"site.yaml": {Data: []byte("title: x\nbase_url: https://x.org/\n" + tc.digest)}}, Options{})
		if s == nil {
			t.Fatalf("%q: %v", tc.digest, ps)
		}
		if s.Config.Digest.Publish != tc.publish || len(s.Warnings) != tc.warnings+1 { // +1: no content folder
			t.Errorf("%q: publish %v, warnings %v; want %v and %d about the digest", tc.digest, s.Config.Digest.Publish, s.Warnings, tc.publish, tc.warnings)
		}
	}
}

func TestTermSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"社会救助", "shehuijiuzhu"},
		{"2024年冬春救助", "2024-niandongchunjiuzhu"},
		{"COVID-19 防控", "covid-19-fangkong"},
		{"养老服务", "yanglaofuwu"},
		{"！！", "t-" + shortHash("！！")},
	} {
		if got := termSlug(tc.in); got != tc.want {
			t.Errorf("termSlug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
	if got := regionSlug("陕西省"); got != "shaanxi" {
		t.Errorf("regionSlug(陕西省) = %q", got)
	}
}

// TestTagSlugsUnique checks that tags never share a URL, even when one
// tag is spelled as the suffixed slug another would get.
// TestLoadRelay checks that the bureau stays the source of record when a
// closing line names another office, and that relay: true lets a
// bulletin carried from an office outside the registry say so.
func TestLoadRelay(t *testing.T) {
	s, ps := loadFS(t, fstest.MapFS{
		"content/a.md": bulletinFile(goodFront+"relay: true\n", "转载正文。\n\n（据国务院办公厅）\n"),
		"content/b.md": bulletinFile(goodFront, "正文。\n\n（据甘肃省民政厅）\n"),
	}, Options{})
	if ps.Errors() > 0 {
		t.Fatal(ps)
	}
	for _, b := range s.Bulletins {
		if b.Bureau.Name != "青海省民政厅" {
			t.Errorf("%s: bureau %q, want the registry's 青海省民政厅", b.Source, b.Bureau.Name)
		}
	}
	a := s.Bulletins[0]
	if a.Source != "content/a.md" {
		a = s.Bulletins[1]
	}
	if !a.Relay || a.Attribution != "国务院办公厅" {
		t.Errorf("relayed bulletin: Relay %v, Attribution %q", a.Relay, a.Attribution)
	}
}

// TestLoadInvisibleFileName checks that a bulletin whose file name hides
// its type with a right-to-left override is refused.
func TestLoadInvisibleFileName(t *testing.T) {
	_, ps := loadFS(t, fstest.MapFS{"content/通知\u202Efdp.md": bulletinFile(goodFront, "正文。\n")}, Options{})
	want := `content/通知\u202efdp.md" contains the invisible character U+202E`
	if ps.Errors() != 1 || !strings.Contains(ps.Error(), want) {
		t.Errorf("problems:\n%s\nwant one with %q", ps.Error(), want)
	}
}

// TestLoadLimits checks the limits: section of site.yaml.
func TestLoadLimits(t *testing.T) {
	cfg := testConfig + "limits: {tags: 2, tag_length: 4, title_length: 10, summary_length: 20}\n"
	_, ps := loadFS(t, fstest.MapFS{
		"site.yaml":    {Data: []byte(cfg)},
		"content/a.md": bulletinFile("title: 十一个字的标题不能用了\ndate: 2024-01-01\nbureau: 青海省民政厅\ntags: [低保, 救助, 养老]\n", "正文。\n"),
		"content/b.md": bulletinFile("title: 标题\ndate: 2024-01-01\nbureau: 青海省民政厅\ntags: [五个字标签]\n", "正文。\n"),
	}, Options{})
	want := []string{
		"content/a.md:2: title is 11 characters long; at most 10 (limits.title_length in site.yaml)",
		"content/a.md:5: 3 tags; a bulletin may have at most 2 (limits.tags in site.yaml)",
		"content/b.md:5: tag is 5 characters long; at most 4 (limits.tag_length in site.yaml)",
	}
	if got := ps.Error(); got != strings.Join(want, "\n") {
		t.Errorf("problems:\n%s\nwant:\n%s", got, strings.Join(want, "\n"))
	}
	_, ps = loadFS(t, fstest.MapFS{"site.yaml": {Data: []byte(testConfig + "limits: {tags: 5000, title_lenght: 3}\n")}}, Options{})
	for _, want := range []string{"site.yaml:", "limits.tags must be between 1 and 100, not 5000", `"title_lenght"; did you mean "title_length"?`} {
		if !strings.Contains(ps.Error(), want) {
			t.Errorf("problems lack %q:\n%s", want, ps.Error())
		}
	}
}

func TestTagSlugsUnique(t *testing.T) {
	suffixed := "dibao-" + shortHash("低保")[:4]
	for _, tags := range [][]string{
		{"dibao", suffixed, "低保"},
		{"低保", "dibao", suffixed},
		{"dibao", suffixed, suffixed + "-2", "低保", "DiBao"},
	} {
		t.Run(strings.Join(tags, ","), func(t *testing.T) {
			files := fstest.MapFS{}
			for i, tag := range tags {
				files[fmt.Sprintf("content/qinghai/t%d.md", i)] = bulletinFile(
					"title: 标签\ndate: 2024-01-0"+strconv.Itoa(i+1)+"\nbureau: 青海省民政厅\ntags: ["+tag+"]\n", "正文。\n")
			}
			s, ps := loadFS(t, files, Options{})
			if ps.Errors() > 0 {
				t.Fatal(ps)
			}
			urls := map[string]string{}
			for _, term := range s.Tags.Terms {
				if other, dup := urls[term.URL]; dup {
					t.Errorf("tags %s and %s share %s", other, term.Name, term.URL)
				}
				urls[term.URL] = term.Name
			}
			if len(urls) != len(tags) {
				t.Errorf("%d tag URLs for %d tags: %v", len(urls), len(tags), urls)
			}
			if !strings.HasPrefix(s.Tags.Terms[0].URL, "/tags/") {
				t.Errorf("URL %s", s.Tags.Terms[0].URL)
			}
		})
	}
}

func TestFileSlug(t *testing.T) {
	for _, tc := range []struct{ in, want string }{
		{"qinghai/winter-relief.md", "winter-relief"},
		{"qinghai/Winter Relief.md", "winter-relief"},
		{"qinghai/canteen/index.md", "canteen"},
		{"qinghai/西宁养老.md", "b" + shortHash("qinghai/西宁养老.md")[:7]},
	} {
		if got := fileSlug(tc.in); got != tc.want {
			t.Errorf("fileSlug(%q) = %q, want %q", tc.in, got, tc.want)
		}
	}
}

func TestLoadCancelled(t *testing.T) {
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	_, err := Load(ctx, fstest.MapFS{
		"site.yaml":    {Data: []byte(testConfig)},
		"content/a.md": bulletinFile(goodFront, goodBody),
	}, Options{Now: testNow})
	if !errors.Is(err, context.Canceled) {
		t.Errorf("err = %v, want context.Canceled", err)
	}
}

// TestLoadCancelledMidway cancels a load part way through reading, then
// part way through rendering: each must stop with the files under way,
// not go on through the site.
func TestLoadCancelledMidway(t *testing.T) {
	const n = 400
	fsys := sitetest.Site(n)
	limit := 2 * runtime.GOMAXPROCS(0)   // a file under way per worker, and slack
	for _, at := range []int{1, n + 1} { // the first file read, the first rendered
		ctx, cancel := context.WithCancel(context.Background())
		var calls atomic.Int64
		_, err := Load(ctx, fsys, Options{Now: testNow, Progress: func(done, total int) {
			if calls.Add(1) == int64(at) {
				cancel()
			}
		}})
		cancel()
		if !errors.Is(err, context.Canceled) {
			t.Errorf("cancelled at %d: err = %v, want context.Canceled", at, err)
		}
		if c := calls.Load(); c > int64(at+limit) {
			t.Errorf("cancelled at %d of %d: %d files done, want at most %d", at, 2*n, c, at+limit)
		}
	}
}

// TestLoadSymlinks checks that links out of the site folder are refused:
// a symlinked bulletin, a symlinked folder and a symlinked attachment.
func TestLoadSymlinks(t *testing.T) {
	dir := t.TempDir()
	outside := t.TempDir()
	secret := filepath.Join(outside, "secret.md")
	os.WriteFile(secret, []byte("---\ntitle: 机密\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n机密正文\n"), 0o644)
	os.WriteFile(filepath.Join(dir, "site.yaml"), []byte(testConfig), 0o644)
	os.MkdirAll(filepath.Join(dir, "content"), 0o755)
	os.WriteFile(filepath.Join(dir, "content", "a.md"), []byte("---\n"+goodFront+"---\n见[附件](secret.pdf)。\n"), 0o644)
	for link, target := range map[string]string{
		"content/secret.pdf": secret,
		"content/evil.md":    secret,
		"content/folder":     outside,
	} {
		if err := os.Symlink(target, filepath.Join(dir, link)); err != nil {
			t.Skipf("cannot make symlinks here: %v", err)
		}
	}
	_, err := Load(context.Background(), os.DirFS(dir), Options{Now: testNow})
	var ps diag.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("Load = %v, want problems", err)
	}
	got := ps.Error()
	for _, want := range []string{
		"content/a.md:8: link \"secret.pdf\": content/secret.pdf is a symbolic link",
		"content/evil.md: is a symbolic link",
		"content/folder: is a symbolic link",
	} {
		if !strings.Contains(got, want) {
			t.Errorf("problems lack %q:\n%s", want, got)
		}
	}
	if strings.Contains(got, "机密") {
		t.Errorf("a file outside the site was read:\n%s", got)
	}
}

// TestLoadPathologicalMarkdown checks that input on which Markdown parsers
// take quadratic time is refused at its line, quickly, and that a render
// cut off by the time limit stops rather than running on unseen.
func TestLoadPathologicalMarkdown(t *testing.T) {
	tests := []struct {
		name    string
		body    string
		timeout time.Duration
		want    string
	}{
		{"unclosed links", "正文。\n\n" + strings.Repeat("[a](", 200000) + "\n", 0,
			"content/a.md:10: the Markdown from here on is too complex to render"},
		{"nested quotes", "正文。\n\n" + strings.Repeat(">", 100000) + " 引文\n", 0,
			"content/a.md:10: the Markdown from here on is too complex to render"},
		{"time limit", "正文。\n", time.Nanosecond,
			"content/a.md: the Markdown took longer than 1ns to render and was stopped"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := runtime.NumGoroutine()
			start := time.Now()
			_, ps := loadFS(t, fstest.MapFS{"content/a.md": bulletinFile(goodFront, tt.body)}, Options{RenderTimeout: tt.timeout})
			if took := time.Since(start); took > 3*time.Second {
				t.Errorf("load took %s", took)
			}
			if ps.Errors() != 1 || !strings.Contains(ps[0].String(), tt.want) {
				t.Errorf("problems = %v, want one error with %q", ps, tt.want)
			}
			// The render runs on the loader's own goroutines: nothing is
			// left behind working on the abandoned body. A goroutine that
			// has finished its work may take a moment to exit; one still
			// there after a second is working on.
			after := runtime.NumGoroutine()
			for deadline := time.Now().Add(time.Second); after > before && time.Now().Before(deadline); after = runtime.NumGoroutine() {
				time.Sleep(10 * time.Millisecond)
			}
			if after > before {
				t.Errorf("%d goroutines before the load, %d a second after", before, after)
			}
		})
	}
}

// TestLoadContentFolder: content/ missing is a site without bulletins yet,
// but content as a file is a mistake to name, not an empty site.
func TestLoadContentFolder(t *testing.T) {
	for _, tc := range []struct {
		name string
		fsys fstest.MapFS
		want string
		errs int
	}{
		{"missing", fstest.MapFS{}, "content: warning: folder not found: the site has no bulletins yet", 0},
		{"a file", fstest.MapFS{"content": {Data: []byte("---\ntitle: x\n---\n")}},
			"content: is a file, not a folder: bulletins go in a folder named content beside site.yaml", 1},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, ps := loadFS(t, tc.fsys, Options{})
			if len(ps) != 1 || ps[0].String() != tc.want || ps.Errors() != tc.errs {
				t.Errorf("problems %q (%d errors), want %q (%d errors)", ps, ps.Errors(), tc.want, tc.errs)
			}
		})
	}
}

// TestLoadDownloadName checks that an attachment published under an ASCII
// name is saved under its own: the link carries download="报告.pdf".
func TestLoadDownloadName(t *testing.T) {
	s, ps := loadFS(t, fstest.MapFS{
		"content/qinghai/2025/a.md":         {Data: []byte("---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n见[报告](报告.pdf)、[标准](standard.pdf)和![图](图.png)。\n")},
		"content/qinghai/2025/报告.pdf":       {Data: []byte("x")},
		"content/qinghai/2025/standard.pdf": {Data: []byte("x")},
		"content/qinghai/2025/图.png":        {Data: []byte("x")},
	}, Options{})
	if len(ps) > 0 {
		t.Fatal(ps)
	}
	html := s.Bulletins[0].Body
	for _, want := range []string{`download="报告.pdf">报告</a>`, `<a href="standard.pdf">标准</a>`} {
		if !strings.Contains(html, want) {
			t.Errorf("HTML %s lacks %s", html, want)
		}
	}
	if strings.Count(html, "download=") != 1 {
		t.Errorf("HTML %s: only the renamed document gets a download name", html)
	}
}

// TestLoadStaleNewName warns when a file bulletin new named after one day
// is dated another by hand, before its URL goes out with the wrong day.
func TestLoadStaleNewName(t *testing.T) {
	for _, tc := range []struct {
		path, front, want string
	}{
		{"content/qinghai/2026/20261205-1.md", "date: 2024-01-08", "content/qinghai/2026/20261205-1.md:3: warning: date 2024-01-08 is not the day in the file's name 20261205-1.md, which bulletin new gave it and which makes its URL /bulletins/20261205-1/: before the first build, move it to content/qinghai/2024/20240108-1.md (or give it a slug:)"},
		{"content/qinghai/2026/20261205-2.md", "date: 2026-12-05 18:00", ""},
		{"content/qinghai/2026/20261205-1.md", "date: 2024-01-08\nslug: relief-2024", ""},
		{"content/qinghai/2026/relief.md", "date: 2024-01-08", ""},
		{"content/20261205-3.md", "date: 2025-06-01", "content/20261205-3.md:3: warning: date 2025-06-01 is not the day in the file's name 20261205-3.md, which bulletin new gave it and which makes its URL /bulletins/20261205-3/: before the first build, move it to content/20250601-1.md (or give it a slug:)"},
	} {
		s, ps := loadFS(t, fstest.MapFS{tc.path: {Data: []byte("---\ntitle: x\n" + tc.front + "\nbureau: 青海省民政厅\n---\n正文\n")}}, Options{Now: time.Date(2026, 12, 6, 12, 0, 0, 0, time.UTC)})
		if ps.Errors() > 0 {
			t.Fatalf("%s: %v", tc.path, ps)
		}
		var got []string
		for _, w := range s.Warnings {
			got = append(got, w.String())
		}
		if strings.Join(got, "\n") != tc.want {
			t.Errorf("%s, %s: warnings %q, want %q", tc.path, tc.front, got, tc.want)
		}
	}
}

// TestLoadClosingLineClass marks a closing line that stands alone, so the
// page can set it at the right margin, and nothing else.
func TestLoadClosingLineClass(t *testing.T) {
	for _, tc := range []struct{ body, want string }{
		{"正文。\n\n（据青海省民政厅）\n", `<p>正文。</p>` + "\n" + `<p class="attribution">（据青海省民政厅）</p>`},
		{"正文。\n\n(青海省民政厅供稿)\n", `<p class="attribution">(青海省民政厅供稿)</p>`},
		{"正文。（据青海省民政厅）\n", `<p>正文。（据青海省民政厅）</p>`},
		{"正文。\n\n- （据青海省民政厅）\n", `<li>（据青海省民政厅）</li>`},
		{"正文。\n", `<p>正文。</p>`},
	} {
		s, ps := loadFS(t, fstest.MapFS{"content/a.md": {Data: []byte("---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n" + tc.body)}}, Options{})
		if ps.Errors() > 0 {
			t.Fatal(ps)
		}
		body := s.Bulletins[0].Body
		if !strings.Contains(body, tc.want) || strings.Count(body, "attribution") > strings.Count(tc.want, "attribution") {
			t.Errorf("%q renders as %q, want %q", tc.body, body, tc.want)
		}
	}
}

// TestReadConfigProblemsInOrder: site.yaml's problems read top to bottom,
// as check lists them, whatever order they were found in.
func TestReadConfigProblemsInOrder(t *testing.T) {
	fsys := sitetest.FS(`-- site.yaml --
title: 站
base_url: https://example.gov.cn/
timezone: Asia/Shanghia
paginate: 0
titel: x
bureaus:
  - {name: 青海省民政厅, region: 青海省, slug: qinghai, level: 0}
`)
	_, err := ReadConfig(fsys)
	var ps diag.Problems
	if !errors.As(err, &ps) {
		t.Fatalf("ReadConfig: %v, want problems", err)
	}
	var lines []int
	for _, p := range ps {
		lines = append(lines, p.Line)
	}
	if !slices.IsSorted(lines) || len(lines) != 3 {
		t.Errorf("problems on lines %v, want three in order:\n%v", lines, ps)
	}
}

// TestCadences: a category's update: and audit.bureau_update, with the
// defaults by name, and the problems of bad ones at their lines.
func TestCadences(t *testing.T) {
	cfg, err := ReadConfig(sitetest.FS(`-- site.yaml --
title: 站
base_url: https://example.gov.cn/
categories:
  - 工作动态
  - 通知公告
  - 社会救助
  - {name: 区划地名, update: none}
  - {name: 婚姻登记, update: 3m}
audit:
  bureau_update: 2w
`))
	if err != nil {
		t.Fatal(err)
	}
	var got []string
	for _, c := range cfg.Categories {
		got = append(got, c.Name+" "+c.Update.String()+" "+c.Kind)
	}
	want := []string{"工作动态 2w news", "通知公告 6m notice", "社会救助 1y other", "区划地名 none other", "婚姻登记 3m timed"}
	if !slices.Equal(got, want) || cfg.Audit.BureauUpdate.String() != "2w" {
		t.Errorf("cadences %q, bureaus %s; want %q, 2w", got, cfg.Audit.BureauUpdate, want)
	}
	_, err = ReadConfig(sitetest.FS(`-- site.yaml --
title: 站
base_url: https://example.gov.cn/
categories:
  - {name: 工作动态, update: 2 weeks}
audit:
  bureau_update: 0d
`))
	if err == nil || !strings.Contains(err.Error(), `site.yaml:4: 工作动态: update "2 weeks" is not a cadence: write 2w, 6m, 1y, 30d or none`) ||
		!strings.Contains(err.Error(), `site.yaml:6: audit.bureau_update "0d" is not a cadence`) {
		t.Errorf("got %v", err)
	}
}

func TestCadenceStale(t *testing.T) {
	last := time.Date(2025, 1, 31, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		cadence string
		now     time.Time
		stale   bool
	}{
		{"2w", last.AddDate(0, 0, 14), false},
		{"2w", last.AddDate(0, 0, 14).Add(13 * time.Hour), false},   // still the 14th day
		{"2w", last.AddDate(0, 0, 15).Add(-10 * time.Hour), true},   // the 15th
		{"1m", time.Date(2025, 3, 3, 10, 0, 0, 0, time.UTC), false}, // Go's 31 January + 1 month is 3 March
		{"6m", last.AddDate(0, 6, 1), true},
		{"none", last.AddDate(10, 0, 0), false},
	} {
		c, ok := ParseCadence(tc.cadence)
		if !ok || c.Stale(last, tc.now) != tc.stale {
			t.Errorf("%s at %s: stale %v, want %v", tc.cadence, tc.now, c.Stale(last, tc.now), tc.stale)
		}
	}
	for _, bad := range []string{"", "w", "0w", "2", "2x", "-1d", "1000y", "2 w"} {
		if _, ok := ParseCadence(bad); ok {
			t.Errorf("ParseCadence(%q) accepted", bad)
		}
	}
}
