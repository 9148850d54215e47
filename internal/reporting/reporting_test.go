package reporting

import (
	"context"
	"maps"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"bulletin/internal/digest"
	"bulletin/internal/docx"
	"bulletin/internal/site"
	"bulletin/internal/sitetest"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

func at(s string) time.Time {
	for _, layout := range []string{"2006-01-02 15:04", time.DateOnly} {
		if t, err := time.ParseInLocation(layout, s, shanghai); err == nil {
			return t
		}
	}
	panic(s)
}

const registry = `-- site.yaml --
title: 民政信息网
base_url: https://mz.example.cn/
categories: [工作动态, 社会救助]
bureaus:
  - {name: 青海省民政厅, region: 青海省, slug: qinghai}
  - {name: 西宁市民政局, region: 青海省西宁市, slug: qinghai-xining}
  - {name: 海东市民政局, region: 青海省海东市, slug: qinghai-haidong}
`

func TestReadBookProblems(t *testing.T) {
	for _, tc := range []struct {
		name, files string
		want        []string
	}{
		{"unknown key", "-- reports/2024/a.yaml --\nbureau: 西宁市民政局\ntitle: 甲\nbulletn: content/a.md\n",
			[]string{`reports/2024/a.yaml:3: unknown key "bulletn"; did you mean "bulletin"?`}},
		{"bad decision", "-- reports/2024/a.yaml --\nbureau: 西宁市民政局\ntitle: 甲\nsubmissions:\n  - received: 2024-03-01 09:00\n    decision: maybe\n    at: 2024-03-02 09:00\n",
			[]string{`reports/2024/a.yaml:5: decision must be accept, return or decline, not "maybe"`}},
		{"return without reason", "-- reports/2024/a.yaml --\nbureau: 西宁市民政局\ntitle: 甲\nsubmissions:\n  - received: 2024-03-01 09:00\n    decision: return\n    at: 2024-03-02 09:00\n",
			[]string{`reports/2024/a.yaml:4: submission: a report returned needs its reason`}},
		{"bad time", "-- reports/2024/a.yaml --\nbureau: 西宁市民政局\ntitle: 甲\nsubmissions:\n  - received: 3月1日\n    decision: accept\n    at: 2024-03-02 09:00\n",
			[]string{`reports/2024/a.yaml:4: received "3月1日" is not a time such as 2024-03-01 09:30:00`}},
		{"adoption of nothing", "-- reports/2024/a.yaml --\nbureau: 西宁市民政局\ntitle: 甲\nadoptions:\n  - {kind: publication, level: city, by: 某刊, date: 2024-03-01}\n",
			[]string{`reports/2024/a.yaml:1: records adoptions of a report that was never published`, `reports/2024/a.yaml:4: level must be province or state, not "city"`}},
		{"adoption by nobody", "-- reports/2024/a.yaml --\nbureau: 西宁市民政局\ntitle: 甲\nbulletin: content/x/a.md\nadoptions:\n  - {kind: instruction, level: state, by, date: 2024-03-01}\n",
			[]string{`reports/2024/a.yaml:5: adoption: by is missing`}},
		{"request unknown", "-- reports/2024/a.yaml --\nbureau: 西宁市民政局\ntitle: 甲\nrequest: 2024-009\n",
			[]string{`reports/2024/a.yaml: request 2024-009: there is no reports/requests/2024-009.yaml`}},
		{"request misnamed", "-- reports/requests/req1.yaml --\nbureau: 西宁市民政局\n",
			[]string{`reports/requests/req1.yaml: not a request's name`}},
		{"request year", "-- reports/requests/2024-001.yaml --\nbureau: 西宁市民政局\ntopic: 冬春救助\ndue: 2025-01-10\nissued: 2025-01-02\n",
			[]string{`reports/requests/2024-001.yaml:1: issued in 2025, but numbered in 2024`}},
		{"two threads of one bulletin", "-- reports/2024/a.yaml --\nbureau: 西宁市民政局\ntitle: 甲\nbulletin: content/x/a.md\n-- reports/2024/b.yaml --\nbureau: 西宁市民政局\ntitle: 乙\nbulletin: content/x/a.md\n",
			[]string{`reports/2024/b.yaml: content/x/a.md is also the bulletin of reports/2024/a.yaml`}},
		{"record outside a year", "-- reports/a.yaml --\nbureau: x\n",
			[]string{`reports/a.yaml: a record belongs in a year's folder`}},
		{"not yaml", "-- reports/2024/a.yaml --\nbureau: [\n", []string{`reports/2024/a.yaml:`}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ReadBook(sitetest.FS(tc.files), shanghai)
			if err == nil {
				t.Fatal("no problems reported")
			}
			for _, w := range tc.want {
				if !strings.Contains(err.Error(), w) {
					t.Errorf("problems:\n%v\nwant one containing %q", err, w)
				}
			}
		})
	}
}

func TestThreadRoundTrip(t *testing.T) {
	th := &Thread{Path: "reports/2024/qinghai-xining-1a2b3c4d.yaml", ID: "qinghai-xining-1a2b3c4d",
		Bureau: "西宁市民政局", Title: "西宁市开展冬春救助: 走访\"困难\"群众", Request: "2024-003",
		Bulletin: "content/qinghai-xining/2024/qinghai-xining-1a2b3c4d.md", Original: "content/qinghai-xining/2024/qinghai-xining-1a2b3c4d-原稿.docx",
		Submissions: []Submission{
			{Received: at("2024-03-01 09:00"), File: "inbox/a.docx", Kept: "inbox/returned/a.docx", Decision: Return, By: "张编辑", At: at("2024-03-02 10:00"), Reason: "请补充数据\n第二行"},
			{Received: at("2024-03-04 09:00"), File: "inbox/a.docx", Kept: "content/qinghai-xining/2024/qinghai-xining-1a2b3c4d-原稿.docx", Decision: Accept, By: "张编辑", At: at("2024-03-05 10:00")},
		},
		Adoptions: []Adoption{
			{Level: Province, By: "省政府办公厅《政务信息》", Issue: "2024年第5期", Date: at("2024-03-20"), RecordedBy: "张编辑", RecordedAt: at("2024-03-21 08:00")},
			{Instruction: true, Level: State, By: "国务院领导", Text: "此做法好。", Date: at("2024-03-25")},
		},
	}
	data, err := th.marshal()
	if err != nil {
		t.Fatal(err)
	}
	fsys := sitetest.FS("-- " + th.Path + " --\n" + string(data) + "-- reports/requests/2024-003.yaml --\nbureau: 西宁市民政局\ntopic: 冬春救助\ndue: 2024-03-10\nissued: 2024-03-01\n")
	b, err := ReadBook(fsys, shanghai)
	if err != nil {
		t.Fatalf("%v\n%s", err, data)
	}
	if !reflect.DeepEqual(b.Threads[0], th) {
		t.Errorf("read back\n%+v\nwant\n%+v\nfrom\n%s", b.Threads[0], th, data)
	}
}

// TestReviewLoop runs a report through the inbox on disk: returned, sent
// again, accepted; another declined; a third refused for its errors.
func TestReviewLoop(t *testing.T) {
	dir := sitetest.Dir(t, sitetest.FS(registry+`-- content/qinghai/2024/old.md --
---
title: 青海省民政厅召开全省民政工作会议
date: 2024-02-01
bureau: 青海省民政厅
---

会议部署全年工作。
-- inbox/西宁市民政局/冬春救助.md --
---
title: 西宁市开展冬春救助专项行动
request: 2024-001
---

近日，西宁市民政局开展冬春救助专项行动。

（据西宁市民政局）
-- inbox/海东市民政局-重复.md --
---
title: 海东市召开养老服务推进会
---

海东市召开养老服务推进会。
-- inbox/broken.md --
---
title: 无单位的信息
bureau: 某某局
---

正文。
-- inbox/西宁市民政局/冒名.md --
---
title: 海东市冒名报送的信息
bureau: 海东市民政局
---

正文。
-- inbox/~$lock.docx --
-- inbox/returned/old.md --
-- reports/requests/2024-001.yaml --
bureau: 西宁市民政局
topic: 冬春救助专项行动
due: 2024-03-10
issued: 2024-03-01
`))
	cfg, err := site.ReadConfig(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	// A report's arrival is its file's modification time.
	arrive := func(file, when string) {
		t.Helper()
		if err := os.Chtimes(filepath.Join(dir, file), at(when), at(when)); err != nil {
			t.Fatal(err)
		}
	}
	arrive("inbox/西宁市民政局/冬春救助.md", "2024-03-01 09:00")
	arrive("inbox/海东市民政局-重复.md", "2024-03-01 10:00")
	ctx := context.Background()
	scan := func(now time.Time) (*Book, map[string]*Item) {
		t.Helper()
		book, err := ReadBook(os.DirFS(dir), shanghai)
		if err != nil {
			t.Fatal(err)
		}
		items, err := Scan(ctx, ScanOptions{Dir: dir, Config: cfg, Book: book, Now: now})
		if err != nil {
			t.Fatal(err)
		}
		m := map[string]*Item{}
		for _, it := range items {
			m[it.File] = it
		}
		return book, m
	}
	book, items := scan(at("2024-03-02 09:00"))
	if got := slices.Sorted(maps.Keys(items)); !slices.Equal(got, []string{"inbox/broken.md", "inbox/海东市民政局-重复.md", "inbox/西宁市民政局/冒名.md", "inbox/西宁市民政局/冬春救助.md"}) {
		t.Fatalf("inbox lists %q", got)
	}
	if p := items["inbox/西宁市民政局/冒名.md"].Problems; p.Errors() != 1 || !strings.Contains(p.Error(), "came in the folder of 西宁市民政局") {
		t.Errorf("a report naming another bureau than its folder's: %v", p)
	}
	delete(items, "inbox/西宁市民政局/冒名.md")
	os.Remove(filepath.Join(dir, "inbox/西宁市民政局/冒名.md"))
	first := items["inbox/西宁市民政局/冬春救助.md"]
	if first.Bureau != "西宁市民政局" || first.Request != "2024-001" || len(first.Problems) != 0 || first.Thread != nil {
		t.Fatalf("first report: bureau %q, request %q, problems %v, thread %v", first.Bureau, first.Request, first.Problems, first.Thread)
	}
	if hd := items["inbox/海东市民政局-重复.md"]; hd.Bureau != "海东市民政局" {
		t.Errorf("bureau from the file name: %q", hd.Bureau)
	}
	broken := items["inbox/broken.md"]
	if broken.Problems.Errors() == 0 {
		t.Fatalf("an unknown bureau is no error: %v", broken.Problems)
	}

	// Refused: nothing is written, the file stays.
	dec := Decision{Dir: dir, By: "张编辑", At: at("2024-03-02 10:00")}
	if _, err := book.AcceptItem(broken, dec); err == nil {
		t.Fatal("a report with errors was accepted")
	}
	if _, err := os.Stat(filepath.Join(dir, "inbox/broken.md")); err != nil {
		t.Fatal("a refused report left the inbox")
	}

	// Returned with its reason, beside it for the bureau.
	ret := dec
	ret.Reason = "请补充走访户数"
	out, err := book.ReturnItem(first, Return, ret, "inbox")
	if err != nil {
		t.Fatal(err)
	}
	if out.Files[0] != "inbox/returned/冬春救助.md" {
		t.Errorf("returned to %s", out.Files[0])
	}
	note, err := os.ReadFile(filepath.Join(dir, "inbox/returned/冬春救助.md.退修意见.txt"))
	if err != nil || !strings.Contains(string(note), "请补充走访户数") {
		t.Errorf("reason note: %q, %v", note, err)
	}

	// Sent again: the same thread, and the request is answered on the
	// day the report first came.
	again := filepath.Join(dir, "inbox/西宁市民政局/冬春救助（修改稿）.md")
	src, _ := os.ReadFile(filepath.Join(dir, "inbox/returned/冬春救助.md"))
	os.WriteFile(again, []byte(strings.Replace(string(src), "行动。", "行动，走访困难群众1200户。", 1)), 0o644)
	arrive("inbox/西宁市民政局/冬春救助（修改稿）.md", "2024-03-04 08:00")
	book, items = scan(at("2024-03-04 09:00"))
	second := items["inbox/西宁市民政局/冬春救助（修改稿）.md"]
	if second.Thread == nil || second.Thread.Path != out.Thread.Path {
		t.Fatalf("the revision is not recognised: thread %v", second.Thread)
	}
	acc := dec
	acc.At, acc.Category = at("2024-03-05 10:00"), "社会救助"
	out, err = book.AcceptItem(second, acc)
	if err != nil {
		t.Fatal(err)
	}
	th := out.Thread
	if len(th.Submissions) != 2 || th.Submissions[1].Decision != Accept || th.Bulletin != "content/qinghai-xining/2024/"+th.ID+".md" {
		t.Fatalf("thread after acceptance: %+v", th)
	}
	bulletin, err := os.ReadFile(filepath.Join(dir, th.Bulletin))
	if err != nil {
		t.Fatal(err)
	}
	for _, want := range []string{"date: 2024-03-05 10:00\n", "category: 社会救助\n", "走访困难群众1200户", "（据西宁市民政局）"} {
		if !strings.Contains(string(bulletin), want) {
			t.Errorf("bulletin lacks %q:\n%s", want, bulletin)
		}
	}
	if strings.Contains(string(bulletin), "request:") {
		t.Errorf("the bulletin keeps the reporting field request:\n%s", bulletin)
	}
	if _, err := os.Stat(filepath.Join(dir, th.Original)); err != nil {
		t.Errorf("the report as it came is not kept: %v", err)
	}
	// The site loads with the new bulletin, and does not take the kept
	// report for one.
	s, err := site.Load(ctx, os.DirFS(dir), site.Options{Now: at("2024-04-01")})
	if err != nil {
		t.Fatal(err)
	}
	if len(s.Bulletins) != 2 {
		t.Errorf("site has %d bulletins, want 2", len(s.Bulletins))
	}

	// Declined.
	book, items = scan(at("2024-03-06 09:00"))
	decl := dec
	decl.Reason = "与已发信息重复"
	if _, err := book.ReturnItem(items["inbox/海东市民政局-重复.md"], Decline, decl, "inbox"); err != nil {
		t.Fatal(err)
	}
	book, items = scan(at("2024-03-06 09:00"))
	if len(items) != 1 {
		t.Errorf("inbox holds %d reports after the decisions, want 1 (broken.md)", len(items))
	}
	if len(book.Threads) != 2 {
		t.Errorf("%d threads, want 2", len(book.Threads))
	}

	// The standing of March: 西宁 submitted one report (sent twice),
	// published it and answered the request in time.
	st := Compute(s, nil, book, mapValues(items), Period{at("2024-03-01"), at("2024-03-31")}, at("2024-04-01"))
	got := map[string]Score{}
	for _, r := range st.Rows {
		got[r.Bureau] = r
	}
	xn := got["西宁市民政局"]
	if xn.Rank != 1 || xn.Submitted != 1 || xn.Site != 1 || xn.RequestsAnswered != 1 || xn.Points != 1+5 {
		t.Errorf("西宁: %+v", xn)
	}
	if hd := got["海东市民政局"]; hd.Submitted != 1 || hd.Declined != 1 || hd.Points != 0 || hd.Rank != 2 {
		t.Errorf("海东: %+v", hd)
	}
	if qh := got["青海省民政厅"]; qh.Submitted != 0 || qh.Rank != 2 {
		t.Errorf("青海 (nothing in March): %+v", qh)
	}
}

func mapValues(m map[string]*Item) []*Item {
	var out []*Item
	for _, k := range slices.Sorted(maps.Keys(m)) {
		out = append(out, m[k])
	}
	return out
}

// TestCompute scores a small site under the default table and under a
// site's own, with digest adoptions, higher adoptions and requests.
func TestCompute(t *testing.T) {
	fsys := sitetest.FS(registry + `-- content/a.md --
---
title: 甲
date: 2024-01-05
bureau: 西宁市民政局
---
甲。
-- content/b.md --
---
title: 乙
date: 2024-01-06
bureau: 海东市民政局
---
乙。
-- content/c.md --
---
title: 丙
date: 2024-02-06
bureau: 海东市民政局
---
丙。
`)
	s, err := site.Load(context.Background(), fsys, site.Options{Now: at("2024-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	digests := []*digest.Record{{Bulletins: []string{"content/a.md", "content/b.md"}}, {Supplement: true, Bulletins: []string{"content/a.md", "content/a.md"}}}
	book := &Book{
		Threads: []*Thread{{Bureau: "西宁市民政局", Title: "甲", Bulletin: "content/a.md", Adoptions: []Adoption{
			{Level: Province, By: "《政务信息》", Issue: "第5期", Date: at("2024-01-20")},
			{Level: State, By: "《国务院信息》", Issue: "第2期", Date: at("2024-02-02")}, // outside January
			{Instruction: true, Level: Province, By: "省长", Text: "好", Date: at("2024-01-25")},
		}}},
		Requests: []*Request{
			{ID: "2024-001", Bureau: "海东市民政局", Topic: "养老", Due: at("2024-01-10")},
			{ID: "2024-002", Bureau: "青海省民政厅", Topic: "救助", Due: at("2024-01-31")},
		},
	}
	jan := Period{at("2024-01-01"), at("2024-01-31")}
	for _, tc := range []struct {
		name   string
		points *site.Points
		want   map[string][2]int // bureau: rank, points
	}{
		// 西宁: site 1 + digest 3×2 + province 10 + instruction 10 = 27;
		// 海东: site 1 + digest 3 = 4, request 2024-001 missed −10 = −6;
		// 青海: request missed −10.
		{"default", nil, map[string][2]int{"西宁市民政局": {1, 27}, "海东市民政局": {2, -6}, "青海省民政厅": {3, -10}}},
		{"site's table", &site.Points{Site: 2, Digest: 1}, map[string][2]int{"西宁市民政局": {1, 4}, "海东市民政局": {2, 3}, "青海省民政厅": {3, 0}}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			if tc.points != nil {
				cfg := *s.Config
				cfg.Reporting.Points = *tc.points
				s2 := *s
				s2.Config = &cfg
				s = &s2
			}
			st := Compute(s, digests, book, nil, jan, at("2024-06-01"))
			for _, r := range st.Rows {
				if w := tc.want[r.Bureau]; r.Rank != w[0] || r.Points != w[1] {
					t.Errorf("%s: rank %d, %d points; want rank %d, %d points (%+v)", r.Bureau, r.Rank, r.Points, w[0], w[1], r)
				}
			}
			if len(st.Higher) != 2 || len(st.Requests) != 2 {
				t.Errorf("higher %d, requests %d; want 2 and 2", len(st.Higher), len(st.Requests))
			}
		})
	}
}

func TestRequestStatus(t *testing.T) {
	req := &Request{ID: "2024-001", Bureau: "西宁市民政局", Due: at("2024-03-10")}
	thread := func(received string) *Thread {
		return &Thread{Bureau: "西宁市民政局", Request: "2024-001", Submissions: []Submission{{Received: at(received), Decision: Return}}}
	}
	for _, tc := range []struct {
		name    string
		threads []*Thread
		pending []*Item
		now     string
		want    string
	}{
		{"answered on the day", []*Thread{thread("2024-03-10 23:59")}, nil, "2024-04-01", "answered"},
		{"late", []*Thread{thread("2024-03-11 00:00")}, nil, "2024-04-01", "late"},
		{"waiting in the inbox", nil, []*Item{{Bureau: "西宁市民政局", Request: "2024-001", Received: at("2024-03-09 10:00")}}, "2024-04-01", "answered"},
		{"unreadable answer", nil, []*Item{{Bureau: "西宁市民政局", Request: "2024-001", Received: at("2024-03-09 10:00"), Err: "not Word"}}, "2024-04-01", "missed"},
		{"another bureau's record", []*Thread{{Bureau: "海东市民政局", Request: "2024-001", Submissions: []Submission{{Received: at("2024-03-02 09:00"), Decision: Accept}}}}, nil, "2024-04-01", "missed"},
		{"another bureau's report waiting", nil, []*Item{{Bureau: "海东市民政局", Request: "2024-001", Received: at("2024-03-09 10:00")}}, "2024-04-01", "missed"},
		{"open", nil, nil, "2024-03-10 18:00", "open"},
		{"missed", nil, nil, "2024-03-11", "missed"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			b := &Book{Threads: tc.threads, Requests: []*Request{req}}
			if got := requestState(req, b, tc.pending, at(tc.now)).Status; got != tc.want {
				t.Errorf("status %q, want %q", got, tc.want)
			}
		})
	}
}

// TestTwoEditorsAtOnce: two editors accepting the same report at once;
// under the lock one publishes it and the other finds it gone, and the
// record holds one decision.
func TestTwoEditorsAtOnce(t *testing.T) {
	dir := sitetest.Dir(t, sitetest.FS(registry+"-- inbox/西宁市民政局/a.md --\n---\ntitle: 西宁市开展冬春救助\n---\n\n正文。\n"))
	cfg, err := site.ReadConfig(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	results := make(chan error, 2)
	for _, editor := range []string{"张编辑", "李编辑"} {
		go func() {
			unlock, err := Lock(ctx, dir)
			if err != nil {
				results <- err
				return
			}
			defer unlock()
			book, err := ReadBook(os.DirFS(dir), shanghai)
			if err != nil {
				results <- err
				return
			}
			items, err := Scan(ctx, ScanOptions{Dir: dir, Config: cfg, Book: book, Now: at("2024-03-02 09:00")})
			if err != nil {
				results <- err
				return
			}
			if len(items) == 0 {
				results <- os.ErrNotExist
				return
			}
			_, err = book.AcceptItem(items[0], Decision{Dir: dir, By: editor, At: at("2024-03-02 10:00")})
			results <- err
		}()
	}
	var ok, gone int
	for range 2 {
		switch err := <-results; {
		case err == nil:
			ok++
		case err == os.ErrNotExist:
			gone++
		default:
			t.Error(err)
		}
	}
	if ok != 1 || gone != 1 {
		t.Errorf("%d accepted, %d found it gone; want 1 and 1", ok, gone)
	}
	book, err := ReadBook(os.DirFS(dir), shanghai)
	if err != nil {
		t.Fatal(err)
	}
	if len(book.Threads) != 1 || len(book.Threads[0].Submissions) != 1 {
		t.Errorf("records: %+v", book.Threads)
	}
}

// TestScanOldWord reads .doc and .wps reports through LibreOffice, and
// says what to do where it is missing.
func TestScanOldWord(t *testing.T) {
	dir := sitetest.Dir(t, sitetest.FS(registry))
	cfg, err := site.ReadConfig(os.DirFS(dir))
	if err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	inbox := filepath.Join(dir, "inbox", "西宁市民政局")
	os.MkdirAll(inbox, 0o755)
	// Without LibreOffice: a one-line reason naming the package and the
	// way round it.
	os.WriteFile(filepath.Join(inbox, "old.doc"), []byte("\xd0\xcf\x11\xe0\xa1\xb1\x1a\xe1"), 0o644)
	items, err := Scan(ctx, ScanOptions{Dir: dir, Config: cfg, Book: &Book{}, Now: at("2024-03-02 09:00")})
	if err != nil {
		t.Fatal(err)
	}
	if len(items) != 1 || !strings.Contains(items[0].Err, "libreoffice-writer-nogui") || !strings.Contains(items[0].Err, ".docx") || items[0].Bureau != "西宁市民政局" {
		t.Fatalf("a .doc without LibreOffice: %+v", items)
	}

	soffice := docx.Soffice()
	if soffice == "" {
		t.Skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui); reading .doc and .wps reports is not tested")
	}
	if testing.Short() {
		t.Skip("LibreOffice takes seconds to start")
	}
	sitetest.TakeTurn(t)
	src, err := filepath.Abs(filepath.Join("..", "docx", "testdata", "xining-baosongdan.docx"))
	if err != nil {
		t.Fatal(err)
	}
	work := t.TempDir()
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore", "-env:UserInstallation=file://"+filepath.ToSlash(t.TempDir()),
		"--convert-to", "doc", "--outdir", work, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("making a .doc: %v\n%s", err, out)
	}
	doc, err := os.ReadFile(filepath.Join(work, "xining-baosongdan.doc"))
	if err != nil {
		t.Fatal(err)
	}
	// A WPS file in Word's format, as WPS Office saves one.
	os.WriteFile(filepath.Join(inbox, "old.doc"), doc, 0o644)
	os.WriteFile(filepath.Join(inbox, "old.wps"), doc, 0o644)
	items, err = Scan(ctx, ScanOptions{Dir: dir, Config: cfg, Book: &Book{}, Now: at("2024-03-02 09:00"), Soffice: soffice})
	if err != nil {
		t.Fatal(err)
	}
	for _, it := range items {
		if it.Err != "" || it.Title != "西宁市多措并举做好困难群众冬春救助工作" || it.Bureau != "西宁市民政局" {
			t.Errorf("%s: title %q, bureau %q, error %q", it.File, it.Title, it.Bureau, it.Err)
		}
	}
	if len(items) != 2 {
		t.Errorf("%d items, want 2", len(items))
	}
}

// TestRateAcrossPeriods: a report sent at the end of one month and
// published in the next counts for the month it was sent in, so no rate
// passes 100% and a month with nothing sent reads "—".
func TestRateAcrossPeriods(t *testing.T) {
	fsys := sitetest.FS(registry + `-- content/a.md --
---
title: 甲
date: 2024-02-02
bureau: 西宁市民政局
---
甲。
-- content/b.md --
---
title: 乙
date: 2024-02-05
bureau: 西宁市民政局
---
乙。
`)
	s, err := site.Load(context.Background(), fsys, site.Options{Now: at("2024-06-01")})
	if err != nil {
		t.Fatal(err)
	}
	book := &Book{Threads: []*Thread{
		{Bureau: "西宁市民政局", Title: "甲", Bulletin: "content/a.md",
			Submissions: []Submission{{Received: at("2024-01-30"), Decision: Accept, At: at("2024-02-02")}}},
		{Bureau: "西宁市民政局", Title: "丁",
			Submissions: []Submission{{Received: at("2024-02-10"), Decision: Decline, At: at("2024-02-11")}}},
	}}
	for _, tc := range []struct {
		period         Period
		submitted, tak int
		rate           string
	}{
		// January: 甲 sent, published in February.
		{Period{at("2024-01-01"), at("2024-01-31")}, 1, 1, "100.0%"},
		// February: 乙 (written into content/) and 丁 (declined); 甲 is
		// published in it but was sent in January.
		{Period{at("2024-02-01"), at("2024-02-29")}, 2, 1, "50.0%"},
		{Period{at("2024-03-01"), at("2024-03-31")}, 0, 0, "—"},
	} {
		st := Compute(s, nil, book, nil, tc.period, at("2024-06-01"))
		for _, r := range st.Rows {
			if r.Bureau != "西宁市民政局" {
				continue
			}
			if r.Submitted != tc.submitted || r.Taken != tc.tak || r.Rate() != tc.rate {
				t.Errorf("%s: submitted %d, published %d, rate %s; want %d, %d, %s",
					tc.period.From.Format("2006-01"), r.Submitted, r.Taken, r.Rate(), tc.submitted, tc.tak, tc.rate)
			}
		}
	}
}
