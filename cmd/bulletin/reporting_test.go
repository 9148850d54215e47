package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bulletin/internal/sitetest"
)

// reportingSite is a small office: three bureaus, a bulletin one of them
// published straight into content/, and the digest's settings.
const reportingSite = `-- site.yaml --
title: 民政信息网
base_url: https://mz.example.cn/
timezone: Asia/Shanghai
categories: [工作动态, 社会救助, 养老服务]
bureaus:
  - {name: 青海省民政厅, region: 青海省, slug: qinghai}
  - {name: 西宁市民政局, region: 青海省西宁市, slug: qinghai-xining}
  - {name: 海东市民政局, region: 青海省海东市, slug: qinghai-haidong}
digest:
  title: 民政工作简报
  publisher: 青海省民政厅办公室
  distribution: {report: [民政部办公厅], issue: [各市州民政局]}
  copies: 60
-- content/qinghai/2024/direct.md --
---
title: 全省民政系统安全生产工作会议召开
date: 2024-03-12 09:00
bureau: 青海省民政厅
category: 工作动态
---

会议部署全省民政系统安全生产工作。

（据青海省民政厅）
`

// TestReportingLoop runs the whole loop through the command line, as an
// office would in March 2024: three bureaus submit (Word and Markdown),
// one report is returned and sent again, two are accepted, one declined,
// one goes into a digest, one is adopted by a provincial publication and
// draws an instruction, one request is answered and one missed; stats
// shows the points under the default table and the notice ranks them.
func TestReportingLoop(t *testing.T) {
	dir := sitetest.Dir(t, sitetest.FS(reportingSite))
	t.Setenv("BULLETIN_EDITOR", "张编辑")
	must := func(args ...string) string {
		t.Helper()
		code, stdout, stderr := run(t, append(args[:1:1], append([]string{"-s", dir}, args[1:]...)...)...)
		if code != 0 {
			t.Fatalf("bulletin %s: exit %d\n%s%s", strings.Join(args, " "), code, stdout, stderr)
		}
		return stdout
	}
	put := func(name, when string, data []byte) {
		t.Helper()
		p := filepath.Join(dir, filepath.FromSlash(name))
		os.MkdirAll(filepath.Dir(p), 0o755)
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		at, _ := time.ParseInLocation("2006-01-02 15:04", when, shanghaiZone(t))
		os.Chtimes(p, at, at)
	}

	// Requests: 海东 is asked and never answers; 西宁's report names its
	// request (2024-003) in the 报送单.
	must("request", "-bureau", "海东市民政局", "-topic", "养老服务体系建设", "-due", "2024-03-15", "-now", "2024-03-01")
	must("request", "-bureau", "青海省民政厅", "-topic", "二季度工作", "-due", "2024-06-30", "-now", "2024-03-01")
	must("request", "-bureau", "西宁市民政局", "-topic", "冬春救助", "-due", "2024-03-10", "-now", "2024-03-01")

	docx, err := os.ReadFile(filepath.Join("..", "..", "internal", "docx", "testdata", "xining-baosongdan.docx"))
	if err != nil {
		t.Fatal(err)
	}
	put("inbox/西宁市民政局/冬春救助.docx", "2024-03-05 09:00", docx)
	haidong := "---\ntitle: 海东市召开养老服务推进会\nbureau: 海东市民政局\n---\n\n海东市召开养老服务推进会，部署全年工作。\n\n（据海东市民政局）\n"
	put("inbox/海东市民政局/养老.md", "2024-03-04 10:00", []byte(haidong))
	put("inbox/青海省民政厅/党组会.md", "2024-03-06 11:00", []byte("---\ntitle: 省民政厅召开党组会议\nbureau: 青海省民政厅\n---\n\n研究内部事项。\n"))
	put("inbox/renamed.docx", "2024-03-06 12:00", []byte("%PDF-1.7 not a Word file"))

	var inbox struct {
		Items []struct {
			File, Bureau, Title, Request, Error, Revises string
			Problems                                     []struct{ Severity, Message string }
		}
	}
	if err := json.Unmarshal([]byte(must("inbox", "-format", "json", "-now", "2024-03-07")), &inbox); err != nil {
		t.Fatal(err)
	}
	if len(inbox.Items) != 4 {
		t.Fatalf("inbox lists %d reports, want 4: %+v", len(inbox.Items), inbox.Items)
	}
	byFile := map[string]int{}
	for i, it := range inbox.Items {
		byFile[it.File] = i
	}
	xn := inbox.Items[byFile["inbox/西宁市民政局/冬春救助.docx"]]
	if xn.Bureau != "西宁市民政局" || xn.Title != "西宁市多措并举做好困难群众冬春救助工作" || xn.Request != "2024-003" || xn.Error != "" {
		t.Errorf("the Word report: %+v", xn)
	}
	if bad := inbox.Items[byFile["inbox/renamed.docx"]]; !strings.Contains(bad.Error, "PDF") {
		t.Errorf("a renamed PDF: error %q", bad.Error)
	}

	// 海东's report goes back, and comes again revised.
	must("review", "return", "-reason", "请补充推进会部署的具体任务", "-now", "2024-03-07 09:00", "inbox/海东市民政局/养老.md")
	put("inbox/海东市民政局/养老（修改稿）.md", "2024-03-08 09:00", []byte(strings.Replace(haidong, "部署全年工作", "部署全年五项重点任务", 1)))
	if out := must("inbox", "-now", "2024-03-08 10:00"); !strings.Contains(out, "revises:") {
		t.Errorf("the revision is not recognised:\n%s", out)
	}
	must("review", "accept", "-category", "养老服务", "-now", "2024-03-09 10:00", "inbox/海东市民政局/养老（修改稿）.md")
	must("review", "accept", "-category", "社会救助", "-tags", "冬春救助,低保", "-now", "2024-03-06 10:00", "inbox/西宁市民政局/冬春救助.docx")
	must("review", "decline", "-reason", "属内部会议，不宜公开", "-now", "2024-03-07 10:00", "inbox/青海省民政厅/党组会.md")
	must("review", "decline", "-reason", "文件不是Word文档，请重新报送", "-now", "2024-03-07 10:00", "inbox/renamed.docx")
	if code, _, stderr := run(t, "review", "accept", "-s", dir, "inbox/海东市民政局/养老.md"); code == 0 {
		t.Errorf("accepting a file no longer in the inbox succeeded: %s", stderr)
	}

	// The accepted Word report is a bulletin with its picture, and the
	// site checks clean.
	matches, _ := filepath.Glob(filepath.Join(dir, "content", "qinghai-xining", "2024", "*.md"))
	if len(matches) != 1 {
		t.Fatalf("西宁's bulletin: %q", matches)
	}
	xnBulletin, _ := os.ReadFile(matches[0])
	for _, want := range []string{"title: 西宁市多措并举做好困难群众冬春救助工作", "signer: 王某某", "## 一、加强组织领导", "-image1.png)", "（据西宁市民政局）"} {
		if !strings.Contains(string(xnBulletin), want) {
			t.Errorf("西宁's bulletin lacks %q:\n%s", want, xnBulletin)
		}
	}
	must("check")
	xnSource, _ := filepath.Rel(dir, matches[0])
	xnSource = filepath.ToSlash(xnSource)

	// Into the digest, then further up.
	sel := filepath.Join(t.TempDir(), "picks.txt")
	os.WriteFile(sel, []byte(xnSource+"\n"), 0o644)
	must("digest", "-select", sel, "-date", "2024-03-28")
	must("adopt", "-by", "省政府办公厅《政务信息》", "-issue", "2024年第5期", "-date", "2024-03-20", "-now", "2024-03-21", xnSource)
	must("adopt", "-instruction", "西宁市的做法很好，请省民政厅总结推广。", "-by", "省长", "-date", "2024-03-25", "-now", "2024-03-26", xnSource)
	for _, tc := range []struct {
		args []string
		want string
	}{
		{[]string{"-by", "省政府办公厅《政务信息》", "-issue", "2024年第5期", "-date", "2024-03-22"}, "this is recorded already in reports/"},
		{[]string{"-instruction", "西宁市的做法很好，请省民政厅总结推广。", "-by", "省长"}, "(2024-03-25)"},
		{[]string{"-by", "《民政信息》", "-issue", "第1期", "-date", "2024-03-01"}, "the day of the adoption, 2024-03-01, is before the bulletin's own date, 2024-03-06"},
		{[]string{"-by", "《民政信息》", "-issue", "第1期", "-date", "2024-04-01"}, "-date 2024-04-01 is after today (2024-03-27)"},
	} {
		args := append([]string{"adopt", "-s", dir, "-now", "2024-03-27"}, tc.args...)
		if code, _, stderr := run(t, append(args, xnSource)...); code == 0 || !strings.Contains(stderr, tc.want) {
			t.Errorf("adopt %q: exit %d, %s; want a refusal saying %q", tc.args, code, stderr, tc.want)
		}
	}

	// Points under the default table, for March:
	//   西宁 site 1 + digest 3 + provincial publication 10 + instruction 10 + request 5 = 29
	//   青海 site 1 (the bulletin written into content/), one report declined = 1
	//   海东 site 1, request missed −10 = −9
	var st struct {
		Ranking struct {
			Rows []struct {
				Rank                                        int
				Bureau                                      string
				Submitted, Site, Digest, Province, Declined int
				InstructionProvince                         int `json:"instruction_province"`
				RequestsAnswered                            int `json:"requests_answered"`
				RequestsMissed                              int `json:"requests_missed"`
				Points                                      int
			}
		}
	}
	if err := json.Unmarshal([]byte(must("stats", "-format", "json", "-from", "2024-03", "-to", "2024-03", "-now", "2024-04-05")), &st); err != nil {
		t.Fatal(err)
	}
	want := []struct {
		bureau                     string
		rank, submitted, points    int
		answered, missed, declined int
	}{
		{"西宁市民政局", 1, 1, 29, 1, 0, 0},
		{"青海省民政厅", 2, 2, 1, 0, 0, 1},
		{"海东市民政局", 3, 1, -9, 0, 1, 0},
	}
	if len(st.Ranking.Rows) != len(want) {
		t.Fatalf("ranking: %+v", st.Ranking.Rows)
	}
	for i, w := range want {
		r := st.Ranking.Rows[i]
		if r.Bureau != w.bureau || r.Rank != w.rank || r.Submitted != w.submitted || r.Points != w.points ||
			r.RequestsAnswered != w.answered || r.RequestsMissed != w.missed || r.Declined != w.declined {
			t.Errorf("row %d: %+v; want %+v", i+1, r, w)
		}
	}

	// The notice ranks them, names the instruction and the missed request.
	note := filepath.Join(t.TempDir(), "note.txt")
	os.WriteFile(note, []byte("希望各单位进一步提高信息报送的质量和时效。\n"), 0o644)
	files := must("notice", "-from", "2024-03", "-to", "2024-03", "-date", "2024-04-06", "-now", "2024-04-06", "-note", note)
	txt, err := os.ReadFile(strings.TrimSpace(strings.Split(files, "\n")[2]))
	if err != nil {
		t.Fatalf("%v\n%s", err, files)
	}
	text := string(txt)
	for _, want := range []string{"关于2024年3月信息报送情况的通报", "省长", "西宁市的做法很好", "海东市民政局", "希望各单位"} {
		if !strings.Contains(text, want) {
			t.Errorf("the notice lacks %q:\n%s", want, text)
		}
	}
	if i, j, k := strings.Index(text, "  西宁市民政局"), strings.Index(text, "  青海省民政厅"), strings.Index(text, "  海东市民政局"); !(i >= 0 && i < j && j < k) {
		t.Errorf("the notice does not rank 西宁, 青海, 海东 in that order:\n%s", text)
	}
	// Again: the same notice, byte for byte.
	must("notice", "-from", "2024-03", "-to", "2024-03", "-now", "2024-04-06", "-note", note)
	if again, _ := os.ReadFile(strings.TrimSpace(strings.Split(files, "\n")[2])); string(again) != text {
		t.Error("running the notice again changed it")
	}
}

func shanghaiZone(t *testing.T) *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}

// TestReviewFileNames: a report whose name has a line break or is not
// UTF-8 is listed with those escaped, and review takes either the name as
// listed or the name on disk.
func TestReviewFileNames(t *testing.T) {
	t.Setenv("BULLETIN_EDITOR", "张编辑")
	for _, tc := range []struct {
		name, disk, listed string
		arg                func(dir string) string
	}{
		{"as listed", "a\nb.md", `inbox/西宁市民政局/a\u000ab.md`, func(string) string { return `inbox/西宁市民政局/a\u000ab.md` }},
		{"on disk", "\xb6\xac.md", `inbox/西宁市民政局/\xb6\xac.md`, func(dir string) string { return filepath.Join(dir, "inbox", "西宁市民政局", "\xb6\xac.md") }},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := sitetest.Dir(t, sitetest.FS(reportingSite))
			p := filepath.Join(dir, "inbox", "西宁市民政局", tc.disk)
			os.MkdirAll(filepath.Dir(p), 0o755)
			if err := os.WriteFile(p, []byte("---\ntitle: 西宁市开展冬春救助\n---\n\n正文。\n"), 0o644); err != nil {
				t.Fatal(err)
			}
			code, stdout, stderr := run(t, "inbox", "-s", dir)
			if code != 0 || !strings.HasPrefix(stdout, tc.listed+"\n") {
				t.Fatalf("inbox: exit %d\n%s%s", code, stdout, stderr)
			}
			code, stdout, stderr = run(t, "review", "decline", "-s", dir, "-reason", "重复", tc.arg(dir))
			if code != 0 {
				t.Fatalf("review: exit %d\n%s%s", code, stdout, stderr)
			}
		})
	}
}
