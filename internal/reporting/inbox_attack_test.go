package reporting

import (
	"archive/zip"
	"bytes"
	"context"
	"errors"
	"io"
	"io/fs"
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

// A request is answered by the bureau it was sent to: another bureau's
// report naming its number, or confirmed for it by the editor, neither
// answers it nor spares the bureau asked its missed request.
func TestRequestOfAnotherBureau(t *testing.T) {
	const request = `-- reports/requests/2024-001.yaml --
bureau: 海东市民政局
topic: 养老服务工作进展
due: 2024-03-10
issued: 2024-03-01
`
	for _, tc := range []struct {
		name, named, confirmed string
		refused                string
	}{
		{"named in the report", "request: 2024-001\n", "", ""},
		{"confirmed by the editor", "", "2024-001", "request 2024-001 was sent to 海东市民政局, not to 西宁市民政局"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := "inbox/西宁市民政局/a.md"
			src := strings.ReplaceAll("---\ntitle: 西宁市养老服务工作进展\n"+tc.named+"---\n\n养老服务工作进展顺利。\n", `\n`, "\n")
			dir, book, items := scanSite(t, request+"-- "+file+" --\n"+src, at("2024-03-05 09:00"))
			it := items[file]
			if it.Request != "" {
				t.Errorf("the report answers %s", it.Request)
			}
			if st := RequestStates(book, []*Item{it}, at("2024-03-20")); st[0].Status != "missed" {
				t.Errorf("the request to 海东 is %s while waiting", st[0].Status)
			}
			_, err := book.AcceptItem(it, Decision{Dir: dir, By: "张编辑", At: at("2024-03-05 10:00"), Request: tc.confirmed})
			if tc.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refused) {
					t.Fatalf("accepted with -request of another bureau: %v", err)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			book, _ = rescan(t, dir, at("2024-03-20"))
			if st := RequestStates(book, nil, at("2024-03-20")); st[0].Status != "missed" {
				t.Errorf("the request to 海东 is %s after 西宁's report was accepted", st[0].Status)
			}
		})
	}
}

// Anyone can name a file in the inbox: a name that is not UTF-8 (a GBK
// name through a misconfigured share), with a line break or a
// right-to-left override, or as long as a file system allows, is listed
// so that it shows as what it is, and can be accepted, returned and
// declined, with records that stay text.
func TestInboxFileNames(t *testing.T) {
	long := strings.Repeat("冬", 82) + ".md" // 249 bytes
	for _, tc := range []struct {
		test        string
		name, shown string // on disk, and as the inbox lists it
		decide      string
		kept        string // where a returned or declined report goes
	}{
		{"not utf-8", "\xb6\xac\xb4\xba.md", `\xb6\xac\xb4\xba.md`, Accept, ""},
		{"not utf-8 returned", "\xb6\xac\xb4\xba.md", `\xb6\xac\xb4\xba.md`, Return, "inbox/returned/_.md"},
		{"line break", "a\n    check:    no problems.md", `a\u000a    check:    no problems.md`, Decline, "inbox/declined/a_    check:    no problems.md"},
		{"right-to-left override", "报告\u202excod.md", `报告\u202excod.md`, Return, "inbox/returned/报告_xcod.md"},
		{"backslash", `a\xff.md`, `a\\xff.md`, Return, `inbox/returned/a\xff.md`},
		{"long", long, long, Return, "inbox/returned/" + strings.Repeat("冬", 49) + ".md"},
	} {
		t.Run(tc.test, func(t *testing.T) {
			dir := sitetest.Dir(t, sitetest.FS(registry))
			folder := filepath.Join(dir, "inbox", "西宁市民政局")
			os.MkdirAll(folder, 0o755)
			if err := os.WriteFile(filepath.Join(folder, tc.name), []byte("---\ntitle: 西宁市开展冬春救助\n---\n\n正文。\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			book, items := rescan(t, dir, at("2024-03-02 09:00"))
			it := items["inbox/西宁市民政局/"+tc.shown]
			if it == nil {
				t.Fatalf("the inbox lists %v", items)
			}
			d := Decision{Dir: dir, By: "张编辑", At: at("2024-03-02 10:00"), Reason: "请补充"}
			var out *Outcome
			var err error
			if tc.decide == Accept {
				out, err = book.AcceptItem(it, Decision{Dir: dir, By: "张编辑", At: at("2024-03-02 10:00")})
			} else {
				out, err = book.ReturnItem(it, tc.decide, d, "inbox")
			}
			if err != nil {
				t.Fatal(err)
			}
			if tc.kept != "" {
				if out.Files[0] != tc.kept {
					t.Errorf("kept as %q, want %q", out.Files[0], tc.kept)
				}
				if _, err := os.Stat(filepath.Join(dir, tc.kept)); err != nil {
					t.Error(err)
				}
			}
			book, items = rescan(t, dir, at("2024-03-02 11:00"))
			if len(items) != 0 || len(book.Threads) != 1 || book.Threads[0].Submissions[0].File != it.File {
				t.Errorf("after the decision: inbox %v, records %+v", items, book.Threads)
			}
		})
	}
}

// An inbox on another volume is moved by copying: when the report cannot
// then be removed from the inbox (a drop folder the office may not
// change), the decision fails whole, and the report is not also
// published or kept in returned/.
func TestMoveAcrossVolumes(t *testing.T) {
	for _, tc := range []struct {
		name, decision string
		removable      bool
	}{
		{"accept", Accept, true},
		{"accept, inbox read-only", Accept, false},
		{"return", Return, true},
		{"return, inbox read-only", Return, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			file := "inbox/西宁市民政局/a.md"
			dir, book, items := scanSite(t, "-- "+file+" --\n---\ntitle: 西宁市开展冬春救助\n---\n\n正文。\n", at("2024-03-02 09:00"))
			defer func(rn func(string, string) error, rm func(string) error) { renameFile, removeFile = rn, rm }(renameFile, removeFile)
			renameFile = func(src, dst string) error {
				return &os.LinkError{Op: "rename", Old: src, New: dst, Err: errors.New("invalid cross-device link")}
			}
			if !tc.removable {
				removeFile = func(string) error { return os.ErrPermission }
			}
			d := Decision{Dir: dir, By: "张编辑", At: at("2024-03-02 10:00"), Reason: "请补充"}
			var err error
			if tc.decision == Accept {
				_, err = book.AcceptItem(items[file], d)
			} else {
				_, err = book.ReturnItem(items[file], tc.decision, d, "inbox")
			}
			_, inInbox := os.Stat(filepath.Join(dir, file))
			var elsewhere []string
			for _, top := range []string{"content", "reports", "inbox/returned"} {
				filepath.WalkDir(filepath.Join(dir, top), func(p string, e fs.DirEntry, _ error) error {
					if e != nil && !e.IsDir() && e.Name() != ".lock" {
						elsewhere = append(elsewhere, p)
					}
					return nil
				})
			}
			switch {
			case tc.removable && (err != nil || inInbox == nil || len(elsewhere) == 0):
				t.Errorf("moved across volumes: %v; in the inbox still: %v; written: %q", err, inInbox == nil, elsewhere)
			case !tc.removable && (err == nil || inInbox != nil || len(elsewhere) > 0):
				t.Errorf("the inbox file could not be removed, yet: error %v; in the inbox still: %v; written: %q", err, inInbox == nil, elsewhere)
			}
		})
	}
}

// The inbox may be a symbolic link to a shared drive mounted elsewhere:
// its reports are read and decided on as if it were a folder; a link
// into content/ or reports/ is refused.
func TestInboxSymlink(t *testing.T) {
	for _, tc := range []struct {
		name, to string // where inbox/ links, relative to the site ("" for a folder outside it)
		refused  string
	}{
		{"shared drive", "", ""},
		{"into content", "content/qinghai-xining", "inside content/"},
		{"into reports", "reports", "inside reports/"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := sitetest.Dir(t, sitetest.FS(registry+"-- content/qinghai-xining/a.md --\n-- reports/2024/.keep --\n"))
			share := filepath.Join(t.TempDir(), "share")
			if tc.to != "" {
				share = filepath.Join(dir, tc.to)
			}
			os.MkdirAll(filepath.Join(share, "西宁市民政局"), 0o755)
			os.WriteFile(filepath.Join(share, "西宁市民政局", "a.md"), []byte("---\ntitle: 西宁市开展冬春救助\n---\n\n正文。\n"), 0o644)
			if err := os.Symlink(share, filepath.Join(dir, "inbox")); err != nil {
				t.Skip(err)
			}
			cfg, _ := site.ReadConfig(os.DirFS(dir))
			items, err := Scan(context.Background(), ScanOptions{Dir: dir, Config: cfg, Book: &Book{}, Now: at("2024-03-02 09:00")})
			if tc.refused != "" {
				if err == nil || !strings.Contains(err.Error(), tc.refused) {
					t.Errorf("scan: %v; want an error saying %q", err, tc.refused)
				}
				return
			}
			if err != nil || len(items) != 1 || items[0].File != "inbox/西宁市民政局/a.md" {
				t.Fatalf("scan: %v, %v", items, err)
			}
			if _, err := (&Book{}).AcceptItem(items[0], Decision{Dir: dir, By: "张编辑", At: at("2024-03-02 10:00")}); err != nil {
				t.Fatal(err)
			}
			if _, err := os.Stat(filepath.Join(share, "西宁市民政局", "a.md")); err == nil {
				t.Error("the report is still in the shared inbox")
			}
		})
	}
}

// TestInboxWarnsAlone: a report whose only problems are warnings shows
// them, also when no other report in the inbox has an error (the load
// then succeeds and its warnings came back another way).
func TestInboxWarnsAlone(t *testing.T) {
	file := "inbox/海东市民政局/a.md"
	src := "---\ntitle: \"海东市\u200b养老服务\"\ncategory: 工作动态\n---\n\n养老服务工作进展顺利。\n"
	_, _, items := scanSite(t, "-- "+file+" --\n"+src, at("2024-03-05 09:00"))
	it := items[file]
	if it == nil {
		t.Fatalf("the report is not listed: %v", items)
	}
	found := false
	for _, p := range it.Problems {
		found = found || strings.Contains(p.Msg, "U+200B")
	}
	if !found {
		t.Errorf("the invisible character in the title is not reported: %v", it.Problems)
	}
}

// TestWordReportWithoutBureau: a Word report at the inbox's top that
// names no bureau is told where a Word user names one, not to write a
// bureau: line it does not have.
func TestWordReportWithoutBureau(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("..", "docx", "testdata", "xining-baosongdan.docx"))
	if err != nil {
		t.Fatal(err)
	}
	zr, err := zip.NewReader(bytes.NewReader(src), int64(len(src)))
	if err != nil {
		t.Fatal(err)
	}
	var out bytes.Buffer
	zw := zip.NewWriter(&out)
	for _, f := range zr.File {
		rc, err := f.Open()
		if err != nil {
			t.Fatal(err)
		}
		data, _ := io.ReadAll(rc)
		rc.Close()
		if f.Name == "word/document.xml" {
			// No 报送单位 field, and a closing line naming no bureau of
			// the registry.
			data = bytes.ReplaceAll(data, []byte("报送单位"), []byte("来文单位"))
			data = bytes.ReplaceAll(data, []byte("西宁市民政局"), []byte("某某单位"))
		}
		w, err := zw.Create(f.Name)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(data)
	}
	zw.Close()
	file := "inbox/无单位.docx"
	dir := sitetest.Dir(t, sitetest.FS(registry))
	os.MkdirAll(filepath.Join(dir, "inbox"), 0o755)
	os.WriteFile(filepath.Join(dir, file), out.Bytes(), 0o644)
	_, items := rescan(t, dir, at("2024-03-05 09:00"))
	it := items[file]
	if it == nil || it.Bureau != "" {
		t.Fatalf("the report: %+v", it)
	}
	var msgs []string
	for _, p := range it.Problems {
		msgs = append(msgs, p.Msg)
	}
	joined := strings.Join(msgs, "\n")
	if !strings.Contains(joined, "names no bureau: put it in its bureau's folder of the inbox") || strings.Contains(joined, "bureau is missing") {
		t.Errorf("problems:\n%s", joined)
	}
}
