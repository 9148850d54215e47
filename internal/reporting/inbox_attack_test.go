package reporting

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bulletin/internal/site"
	"bulletin/internal/sitetest"
)

// scanSite writes the site and reads its records and inbox.
func scanSite(t *testing.T, files string, now time.Time) (string, *Book, map[string]*Item) {
	t.Helper()
	dir := sitetest.Dir(t, sitetest.FS(registry+files))
	book, items := rescan(t, dir, now)
	return dir, book, items
}

func rescan(t *testing.T, dir string, now time.Time) (*Book, map[string]*Item) {
	t.Helper()
	cfg, err := site.ReadConfig(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	book, err := ReadBook(os.DirFS(dir), shanghai)
	if err != nil {
		t.Fatal(err)
	}
	list, err := Scan(context.Background(), ScanOptions{Dir: dir, Config: cfg, Book: book, Now: now})
	if err != nil {
		t.Fatal(err)
	}
	items := map[string]*Item{}
	for _, it := range list {
		items[it.File] = it
	}
	return book, items
}

// A record's name is its bulletin's, which the site shows: replaces:
// must not let a bureau continue another bureau's record, or one already
// published, and so take over its bulletin and adoptions.
func TestReplacesOnlyOwnUnpublished(t *testing.T) {
	const records = `-- reports/2024/qinghai-xining-11111111.yaml --
bureau: 西宁市民政局
title: 西宁市开展冬春救助
bulletin: content/qinghai-xining/2024/qinghai-xining-11111111.md
submissions:
  - {received: 2024-03-01 09:00, decision: accept, at: 2024-03-02 09:00}
adoptions:
  - {kind: publication, level: province, by: 政务信息, issue: 2024年第5期, date: 2024-03-20}
-- content/qinghai-xining/2024/qinghai-xining-11111111.md --
---
title: 西宁市开展冬春救助
date: 2024-03-02
bureau: 西宁市民政局
---

正文。
-- reports/2024/qinghai-xining-22222222.yaml --
bureau: 西宁市民政局
title: 西宁市养老服务
submissions:
  - {received: 2024-03-01 09:00, decision: return, at: 2024-03-02 09:00, reason: 请补充}
`
	for _, tc := range []struct {
		name, folder, replaces string
		thread                 string // the thread continued, "" for none
		problem                string
	}{
		{"own returned report", "西宁市民政局", "qinghai-xining-22222222", "reports/2024/qinghai-xining-22222222.yaml", ""},
		{"another bureau's returned report", "海东市民政局", "qinghai-xining-22222222", "", "a report of 西宁市民政局, not of 海东市民政局"},
		{"another bureau's published report", "海东市民政局", "reports/2024/qinghai-xining-11111111.yaml", "", "a report of 西宁市民政局"},
		{"own published report", "西宁市民政局", "qinghai-xining-11111111", "", "published already as content/qinghai-xining/2024/qinghai-xining-11111111.md"},
		{"another bureau's title", "海东市民政局", "西宁市养老服务", "", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := "inbox/" + tc.folder + "/a.md"
			_, _, items := scanSite(t, records+"-- "+file+" --\n---\ntitle: 关于养老服务的新信息\nreplaces: "+tc.replaces+"\n---\n\n正文。\n", at("2024-03-05 09:00"))
			it := items[file]
			var got string
			if it.Thread != nil {
				got = it.Thread.Path
			}
			if got != tc.thread {
				t.Errorf("continues %q, want %q", got, tc.thread)
			}
			switch {
			case tc.problem == "" && it.Problems.Errors() > 0:
				t.Errorf("problems: %v", it.Problems)
			case tc.problem != "" && (it.Problems.Errors() == 0 || !strings.Contains(it.Problems.Error(), tc.problem)):
				t.Errorf("problems: %v; want one containing %q", it.Problems, tc.problem)
			}
		})
	}
}

var _ = filepath.Join
