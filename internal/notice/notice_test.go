package notice

import (
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"bulletin/internal/golden"
	"bulletin/internal/reporting"
	"bulletin/internal/site"
	"bulletin/internal/sitetest"
	"bulletin/internal/stats"
	"bulletin/theme"
)

// fixtureNow is after every fixture bulletin.
var fixtureNow = time.Date(2025, 6, 1, 0, 0, 0, 0, time.UTC)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		return time.FixedZone("CST", 8*3600)
	}
	return loc
}()

// day is a YYYY-MM-DD day in the fixture's zone.
func day(s string) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// copySite writes testdata/site.txtar into a fresh folder: runs write
// reports/ into the site.
func copySite(t testing.TB) string {
	t.Helper()
	return sitetest.Dir(t, sitetest.ReadFS(t, filepath.Join("testdata", "site.txtar")))
}

func loadSite(t testing.TB, dir string) *site.Site {
	t.Helper()
	s, err := site.Load(context.Background(), os.DirFS(dir), site.Options{Now: fixtureNow})
	if err != nil {
		t.Fatalf("loading %s: %v", dir, err)
	}
	return s
}

// options are a run on the site in dir, signed off on today.
func options(dir, today string) Options {
	return Options{Dir: dir, Today: day(today), Theme: theme.FS}
}

func readFile(t testing.TB, p string) []byte {
	t.Helper()
	data, err := os.ReadFile(p)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// score is a bureau's row; figures are submitted, site, digest,
// province, state, instruction_province, instruction_state,
// request_answered and request_missed; the fixture's reports were all
// published in the period they were sent in.
func score(rank int, bureau string, points int, figures ...int) reporting.Score {
	f := make([]int, 9)
	copy(f, figures)
	return reporting.Score{Rank: rank, Bureau: bureau, Points: points,
		Submitted: f[0], Taken: f[1], Site: f[1], Digest: f[2], Province: f[3], State: f[4],
		InstructionProvince: f[5], InstructionState: f[6], RequestsAnswered: f[7], RequestsMissed: f[8]}
}

// quarter is the standing of 2024年第一季度 as reporting would compute
// it for the fixture's registry: every bureau, two of them tied, two that
// sent nothing, adoptions at both levels, instructions with and without
// their words, and requests answered, late and missed.
func quarter() *reporting.Standing {
	st := &reporting.Standing{
		From: day("2024-01-01"), To: day("2024-03-31"), Points: site.DefaultPoints(),
		Rows: []reporting.Score{
			score(1, "西宁市民政局", 99, 14, 10, 3, 2, 1, 1, 0, 2, 0),
			score(2, "青海省民政厅", 56, 12, 9, 4, 1, 0, 0, 1, 1, 0),
			score(3, "杭州市民政局", 18, 10, 7, 2, 1, 0, 0, 0, 1, 1),
			score(4, "甘肃省民政厅", 17, 9, 6, 2, 0, 0, 0, 0, 1, 0),
			score(4, "兰州市民政局", 17, 8, 6, 2, 0, 0, 0, 0, 1, 0),
			score(6, "浙江省民政厅", 2, 3, 2),
			score(7, "杭州市西湖区民政局", 0),
			score(8, "海东市民政局", -10, 0, 0, 0, 0, 0, 0, 0, 0, 1),
		},
		Higher: []reporting.Higher{
			{Level: reporting.Province, By: "青海信息", Issue: "2024年第3期", Date: day("2024-01-18"),
				Bureau: "西宁市民政局", Title: "西宁市“一门受理”打通救助服务最后一公里", Source: "content/xining/yimen.md", Record: "reports/higher/2024-01-18.yaml"},
			{Level: reporting.State, By: "国务院办公厅《政务信息》", Issue: "第128期", Date: day("2024-02-06"),
				Bureau: "西宁市民政局", Title: "西宁市探索“物业+养老”服务新模式"},
			{Level: reporting.Province, By: "青海信息", Issue: "2024年第9期", Date: day("2024-02-20"),
				Bureau: "青海省民政厅", Title: "全省冬春救助工作全面启动"},
			{Instruction: true, Level: reporting.Province, By: "副省长王某某", Text: "西宁市的做法值得肯定，请省民政厅总结推广。", Date: day("2024-03-05"),
				Bureau: "西宁市民政局", Title: "西宁市“一门受理”打通救助服务最后一公里", Source: "content/xining/yimen.md"},
			{Instruction: true, Level: reporting.State, By: "国务院领导同志", Date: day("2024-03-12"),
				Bureau: "青海省民政厅", Title: "青海省建立低收入人口动态监测机制", Source: "content/qinghai/monitor.md"},
			{Level: reporting.Province, By: "浙江信息", Issue: "2024年第12期", Date: day("2024-03-20"),
				Bureau: "杭州市民政局", Title: "杭州市推进老年助餐服务扩面提质"},
			{Level: reporting.Province, By: "青海信息", Issue: "2024年第14期", Date: day("2024-03-28"),
				Bureau: "西宁市民政局", Title: "西宁市开展困难群众冬季走访慰问"},
		},
		Requests: []reporting.RequestState{
			{ID: "2024-001", Bureau: "西宁市民政局", Topic: "春节期间困难群众走访慰问情况", Due: day("2024-01-31"), Status: "answered", Answered: day("2024-01-29")},
			{ID: "2024-002", Bureau: "青海省民政厅", Topic: "冬春救助资金发放进度", Due: day("2024-02-10"), Status: "answered", Answered: day("2024-02-08")},
			{ID: "2024-003", Bureau: "杭州市民政局", Topic: "老年助餐服务开展情况", Due: day("2024-02-29"), Status: "answered", Answered: day("2024-02-26")},
			{ID: "2024-007", Bureau: "甘肃省民政厅", Topic: "城乡低保标准调整情况", Due: day("2024-03-10"), Status: "answered", Answered: day("2024-03-08")},
			{ID: "2024-004", Bureau: "杭州市民政局", Topic: "养老服务消费券发放情况", Due: day("2024-03-15"), Status: "late", Answered: day("2024-03-19"), Report: "inbox/done/hangzhou-0319.docx"},
			{ID: "2024-005", Bureau: "海东市民政局", Topic: "社会救助兜底保障情况", Due: day("2024-03-20"), Status: "missed"},
			{ID: "2024-006", Bureau: "西宁市民政局", Topic: "社区养老服务设施建设进展", Due: day("2024-03-25"), Status: "answered", Answered: day("2024-03-22")},
			{ID: "2024-008", Bureau: "兰州市民政局", Topic: "临时救助“先行救助”落实情况", Due: day("2024-03-29"), Status: "answered", Answered: day("2024-03-27")},
		},
	}
	// What the notice does not print, and so does not record.
	st.Rows[0].Region, st.Rows[0].Pending = "青海省西宁市", 2
	st.Rows[5].Declined, st.Rows[5].Returned = 1, 1
	st.Total = total(st.Rows)
	return st
}

// april is a month in which nothing went higher up and nothing was asked
// for: the notice is the table alone.
func april() *reporting.Standing {
	st := &reporting.Standing{
		From: day("2024-04-01"), To: day("2024-04-30"), Points: site.DefaultPoints(),
		Rows: []reporting.Score{
			score(1, "青海省民政厅", 7, 5, 4, 1),
			score(2, "西宁市民政局", 3, 4, 3),
			score(3, "甘肃省民政厅", 1, 2, 1),
			score(4, "海东市民政局", 0),
			score(4, "兰州市民政局", 0, 1),
			score(4, "浙江省民政厅", 0),
			score(4, "杭州市民政局", 0),
			score(4, "杭州市西湖区民政局", 0),
		},
	}
	st.Total = total(st.Rows)
	return st
}

const quarterNote = "请各单位对照排名，查找差距，进一步提高信息报送的质量和时效。\n\n" +
	"  未报送信息的单位要高度重视，明确专人负责，切实扭转被动局面。\r\n"

// TestGolden renders fixture notices and compares all three formats and
// the record with testdata/golden. Run go test -update after an intended
// change to the wording, the layout or the theme, and read the diff.
func TestGolden(t *testing.T) {
	got := map[string][]byte{}
	for _, tc := range []struct {
		name     string
		standing *reporting.Standing
		today    string
		note     string
	}{
		{"quarter", quarter(), "2024-04-08", quarterNote},
		{"month", april(), "2024-05-06", ""},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copySite(t)
			opt := options(dir, tc.today)
			opt.Note = tc.note
			res, err := Run(context.Background(), loadSite(t, dir), tc.standing, opt)
			if err != nil {
				t.Fatal(err)
			}
			if len(res.Files) != 3 {
				t.Fatalf("wrote %v, want .html, .md and .txt", res.Files)
			}
			for _, f := range res.Files {
				if base := filepath.Base(f); !strings.HasPrefix(base, "notice-2024-01.") || filepath.Dir(f) != filepath.Join(dir, "reports", "out") {
					t.Errorf("wrote %s, want reports/out/notice-2024-01.*", f)
				}
				got[tc.name+filepath.Ext(f)] = readFile(t, f)
			}
			if want := filepath.Join(dir, "reports", "notices", "2024-01.yaml"); res.Record != want {
				t.Errorf("record %s, want %s", res.Record, want)
			}
			got[tc.name+".record.yaml"] = readFile(t, res.Record)
		})
	}
	golden.CheckDir(t, filepath.Join("testdata", "golden"), got)
}

func TestPeriodName(t *testing.T) {
	for _, tc := range []struct{ from, to, want string }{
		{"2024-01-01", "2024-01-31", "2024年1月"},
		{"2024-02-01", "2024-02-29", "2024年2月"},
		{"2024-01-01", "2024-03-31", "2024年第一季度"},
		{"2024-10-01", "2024-12-31", "2024年第四季度"},
		{"2024-01-01", "2024-06-30", "2024年上半年"},
		{"2024-07-01", "2024-12-31", "2024年下半年"},
		{"2024-01-01", "2024-12-31", "2024年度"},
		{"2024-01-01", "2024-05-31", "2024年1月至5月"},
		{"2024-02-01", "2024-04-30", "2024年2月至4月"}, // three months, not a quarter
		{"2023-11-01", "2024-02-29", "2023年11月至2024年2月"},
		{"2024-01-15", "2024-01-15", "2024年1月15日"},
		{"2024-01-01", "2024-01-15", "2024年1月1日至15日"},
		{"2024-01-15", "2024-02-14", "2024年1月15日至2月14日"},
		{"2023-12-15", "2024-01-14", "2023年12月15日至2024年1月14日"},
		{"2024-01-01", "2024-02-28", "2024年1月1日至2月28日"}, // not the whole of February
	} {
		if got := PeriodName(day(tc.from), day(tc.to)); got != tc.want {
			t.Errorf("PeriodName(%s, %s) = %s, want %s", tc.from, tc.to, got, tc.want)
		}
	}
}

// TestTextAligned: the ranking's columns line up in the text, counting
// Chinese characters as two columns.
func TestTextAligned(t *testing.T) {
	n := compile(loadSite(t, copySite(t)).Config, &Record{Year: 2024, Number: 1, SignedOff: day("2024-04-08"), Standing: announced(quarter(), shanghai)})
	lines := strings.Split(string(text(n)), "\n")
	var table []string
	for i, l := range lines {
		if strings.HasPrefix(l, "名次") {
			for _, l := range lines[i:] {
				if l == "" || strings.HasPrefix(l, "注：") {
					break
				}
				table = append(table, l)
			}
			break
		}
	}
	if len(table) != 12 { // heads, rule, 8 bureaus, rule, total
		t.Fatalf("found a table of %d lines, want 12:\n%s", len(table), strings.Join(table, "\n"))
	}
	// The last column is aligned right, so every line of an aligned
	// table is as wide as the rules.
	for _, l := range table {
		if w, want := stats.Width(l), stats.Width(table[1]); w != want {
			t.Errorf("line %q is %d columns wide, want %d", l, w, want)
		}
	}
}

// TestIssueName: an issue recorded as a bare number reads 第5期 in the
// notice; one written out stays as written.
func TestIssueName(t *testing.T) {
	for in, want := range map[string]string{"5": "第5期", " 12 ": "第12期", "2024年第5期": "2024年第5期", "第3期": "第3期", "": "", "总第101期": "总第101期"} {
		if got := issueName(in); got != want {
			t.Errorf("issueName(%q) = %q, want %q", in, got, want)
		}
	}
	e := adoption(reporting.Higher{Bureau: "西宁市民政局", Title: "标题", By: "政务信息", Issue: "1", Level: reporting.Province})
	if e.After != "被《政务信息》第1期采用（省级）。" {
		t.Errorf("adoption: %q", e.After)
	}
}
