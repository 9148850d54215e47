package notice

import (
	"cmp"
	"fmt"
	"strconv"
	"strings"
	"time"

	"bulletin/internal/digest"
	"bulletin/internal/reporting"
	"bulletin/internal/site"
)

// Notice is one notice compiled from its record, ready to render: the
// wording of every part, which the HTML, the Markdown and the text share.
type Notice struct {
	*Record
	Config *site.Config

	Title   string // the masthead, reporting.notice_title
	Heading string // 关于2024年第一季度信息报送情况的通报
	Opening string // the period and its totals

	Ranking Ranking
	Higher  *HigherPart  // nil when nothing was adopted higher up or instructed
	Asked   *RequestPart // nil when no request (约稿) fell in the period

	// Note is the record's closing paragraphs; it shadows Record.Note,
	// the text as recorded.
	Note    []string
	Scoring string // the points table as a sentence, for the small print
}

// Ranking is the first part: the table of every bureau.
type Ranking struct {
	Heading string // 一、各单位信息报送情况
	Rows    []Row
	Total   Row
	// Silent names the bureaus that sent nothing, "" when all did: the
	// ones an office must chase.
	Silent string
	Legend string // how the columns are counted, under the table
}

// Row is one line of the ranking table, its cells written out.
type Row struct {
	Rank, Bureau string
	// Figures are the cells after the bureau, in the order of columns.
	Figures []string
}

// columns are the heads of the ranking table in the Markdown and the
// text, which have one row of heads; the HTML groups them under two.
var columns = []string{"名次", "单位", "报送", "网站采用", "简报采用", "省级采用", "国家级采用", "领导批示", "约稿按时", "约稿未按时", "采用率", "得分"}

// HigherPart lists the adoptions by higher offices and the instructions.
type HigherPart struct {
	Heading string // 二、上级采用情况
	// The headings of the two lists, （一）上级采用 and （二）领导批示,
	// when there are both; "" otherwise.
	AdoptionsHeading, InstructionsHeading string
	Adoptions, Instructions               []Entry
}

// Entry is one sentence naming a bulletin: Before《Title》After.
type Entry struct {
	Before, Title, After string
	Source               string // the bulletin's source, when it is on the site
	URL                  string // its page, in the site's copy only
}

func (e Entry) String() string { return e.Before + "《" + e.Title + "》" + e.After }

// RequestPart says how the bureaus answered the requests (约稿).
type RequestPart struct {
	Heading string // 三、约稿完成情况
	Summary string
	Overdue []string // a sentence for each request answered late or not at all
}

// compile words the notice that r records.
func compile(c *site.Config, r *Record) *Notice {
	st := &r.Standing
	t := st.Total
	n := &Notice{Record: r, Config: c, Title: title(c), Heading: heading(st.From, st.To)}
	n.Opening = fmt.Sprintf("%s，共收到各单位报送信息%d篇，网站采用%d篇，简报采用%d篇，上级采用%d篇%s，获领导批示%d次%s。现将有关情况通报如下。",
		PeriodName(st.From, st.To), t.Submitted, t.Site, t.Digest,
		t.Province+t.State, byLevel(t.Province, t.State, "篇"),
		t.InstructionProvince+t.InstructionState, byLevel(t.InstructionProvince, t.InstructionState, "次"))

	part := 0
	heading := func(s string) string {
		part++
		return digest.Numeral(part) + "、" + s
	}
	n.Ranking.Heading = heading("各单位信息报送情况")
	var silent []string
	for _, s := range st.Rows {
		n.Ranking.Rows = append(n.Ranking.Rows, row(strconv.Itoa(s.Rank), s.Bureau, s))
		if s.Submitted == 0 {
			silent = append(silent, s.Bureau)
		}
	}
	n.Ranking.Total = row("", "合计", t)
	if len(silent) > 0 {
		n.Ranking.Silent = "本期未报送信息的单位：" + strings.Join(silent, "、") + "。"
	}
	n.Ranking.Legend = "注：约稿未按时含逾期报送和未报送；采用率为网站采用篇数占报送篇数的比例；得分按文末所附计分标准计算。"

	if len(st.Higher) > 0 {
		h := &HigherPart{}
		for _, x := range st.Higher {
			if x.Instruction {
				h.Instructions = append(h.Instructions, instruction(x))
			} else {
				h.Adoptions = append(h.Adoptions, adoption(x))
			}
		}
		switch {
		case len(h.Instructions) == 0:
			h.Heading = heading("上级采用情况")
		case len(h.Adoptions) == 0:
			h.Heading = heading("领导批示情况")
		default:
			h.Heading = heading("上级采用和领导批示情况")
			h.AdoptionsHeading, h.InstructionsHeading = "（一）上级采用", "（二）领导批示"
		}
		n.Higher = h
	}
	if len(st.Requests) > 0 {
		n.Asked = requests(st.Requests)
		n.Asked.Heading = heading("约稿完成情况")
	}

	for _, line := range strings.Split(r.Note, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			n.Note = append(n.Note, line)
		}
	}
	n.Scoring = scoring(st.Points)
	return n
}

// title is the notice's name, printed red at the top.
func title(c *site.Config) string { return cmp.Or(c.Reporting.NoticeTitle, "信息工作通报") }

// heading is the title of the notice of a period.
func heading(from, to time.Time) string {
	return "关于" + PeriodName(from, to) + "信息报送情况的通报"
}

// row writes out the cells of one line of the ranking.
func row(rank, bureau string, s reporting.Score) Row {
	figures := []int{s.Submitted, s.Site, s.Digest, s.Province, s.State,
		s.InstructionProvince + s.InstructionState, s.RequestsAnswered, s.RequestsMissed}
	r := Row{Rank: rank, Bureau: bureau}
	for _, f := range figures {
		r.Figures = append(r.Figures, strconv.Itoa(f))
	}
	r.Figures = append(r.Figures, s.Rate(), strconv.Itoa(s.Points))
	return r
}

// byLevel breaks a count down by level, when there is one: （省级2篇、国家级1篇）.
func byLevel(province, state int, unit string) string {
	if province+state == 0 {
		return ""
	}
	return fmt.Sprintf("（省级%d%s、国家级%d%s）", province, unit, state, unit)
}

// adoption words an adoption by a higher office's publication:
// 西宁市民政局报送的《…》被《青海信息》2024年第5期采用（省级）。
func adoption(h reporting.Higher) Entry {
	return Entry{Before: h.Bureau + "报送的", Title: h.Title, Source: h.Source,
		After: "被" + publication(h.By) + issueName(h.Issue) + "采用（" + h.Level.Name() + "）。"}
}

// issueName is an issue as a notice names it: a bare number (5, as
// adopt -issue 5 records it) is 第5期; 2024年第5期 stays as written.
func issueName(issue string) string {
	issue = strings.TrimSpace(issue)
	if issue == "" || strings.Trim(issue, "0123456789") != "" {
		return issue
	}
	return "第" + issue + "期"
}

// instruction words a leader's instruction, with the words quoted:
// 海东市民政局报送的《…》获副省长王某某批示（省级）：“…”
func instruction(h reporting.Higher) Entry {
	after := "获" + h.By + "批示（" + h.Level.Name() + "）"
	if text := strings.TrimSpace(h.Text); text != "" {
		after += "：“" + text + "”"
		// A quoted sentence keeps its own full stop inside the marks.
		if !strings.HasSuffix(text, "。") && !strings.HasSuffix(text, "！") && !strings.HasSuffix(text, "？") {
			after += "。"
		}
	} else {
		after += "。"
	}
	return Entry{Before: h.Bureau + "报送的", Title: h.Title, After: after, Source: h.Source}
}

// publication puts a publication's name in title marks, unless it has
// them already (国务院办公厅《政务信息》).
func publication(name string) string {
	if strings.Contains(name, "《") {
		return name
	}
	return "《" + name + "》"
}

// requests sums up the requests and words those answered late or not at
// all.
func requests(qs []reporting.RequestState) *RequestPart {
	p := &RequestPart{}
	n := map[string]int{}
	for _, q := range qs {
		n[q.Status]++
		topic := "约稿"
		if q.Topic != "" {
			topic = "约稿“" + q.Topic + "”"
		}
		if q.ID != "" {
			topic += "（" + q.ID + "）"
		}
		switch q.Status {
		case "missed":
			p.Overdue = append(p.Overdue, fmt.Sprintf("%s：%s，%s截止，未报送。", q.Bureau, topic, digest.Date(q.Due)))
		case "late":
			late := ""
			if !q.Answered.IsZero() {
				days := int(q.Answered.Sub(q.Due).Hours()+12) / 24 // a day may be 23 or 25 hours long
				late = fmt.Sprintf("，%s报送，逾期%d天", digest.Date(q.Answered), days)
			}
			p.Overdue = append(p.Overdue, fmt.Sprintf("%s：%s，%s截止%s。", q.Bureau, topic, digest.Date(q.Due), late))
		}
	}
	if n["answered"] == len(qs) {
		p.Summary = fmt.Sprintf("本期共有约稿%d篇，均按时完成。", len(qs))
		return p
	}
	var parts []string
	for _, c := range []struct {
		status, words string
	}{{"answered", "按时完成"}, {"late", "逾期报送"}, {"missed", "未报送"}, {"open", "尚未到期"}} {
		if n[c.status] > 0 {
			parts = append(parts, fmt.Sprintf("%s%d篇", c.words, n[c.status]))
		}
	}
	p.Summary = fmt.Sprintf("本期共有约稿%d篇，其中%s。", len(qs), strings.Join(parts, "、"))
	return p
}

// scoring writes the points table as the sentence of the small print.
func scoring(p site.Points) string {
	var parts []string
	for _, f := range []struct {
		what, per string
		n         int
	}{
		{"网站采用", "每篇", p.Site},
		{"简报采用", "每篇次", p.Digest},
		{"省级刊物采用", "每篇", p.Province},
		{"国家级刊物采用", "每篇", p.State},
		{"获省级领导批示", "每次", p.InstructionProvince},
		{"获国家级领导批示", "每次", p.InstructionState},
		{"按时完成约稿", "每篇", p.RequestAnswered},
		{"约稿逾期或未报送", "每篇", p.RequestMissed},
	} {
		switch {
		case f.n > 0:
			parts = append(parts, fmt.Sprintf("%s%s%d分", f.what, f.per, f.n))
		case f.n < 0:
			parts = append(parts, fmt.Sprintf("%s%s扣%d分", f.what, f.per, -f.n))
		default:
			parts = append(parts, f.what+"不计分")
		}
	}
	return "计分标准：" + strings.Join(parts, "；") + "。"
}

// PeriodName names a period, both days inclusive, as notices title it: a
// month (2024年1月), a quarter (2024年第一季度), a half year (2024年上半年),
// a year (2024年度), a run of whole months (2024年1月至5月, 2023年11月至
// 2024年2月), or else its days (2024年1月1日至15日, 2024年1月15日至2月14日).
func PeriodName(from, to time.Time) string {
	fy, fm, fd := from.Date()
	ty, tm, td := to.Date()
	wholeMonths := fd == 1 && to.AddDate(0, 0, 1).Day() == 1
	switch {
	case wholeMonths && fy == ty && fm == tm:
		return fmt.Sprintf("%d年%d月", fy, fm)
	case wholeMonths && fy == ty && fm == 1 && tm == 12:
		return fmt.Sprintf("%d年度", fy)
	case wholeMonths && fy == ty && fm == 1 && tm == 6:
		return fmt.Sprintf("%d年上半年", fy)
	case wholeMonths && fy == ty && fm == 7 && tm == 12:
		return fmt.Sprintf("%d年下半年", fy)
	case wholeMonths && fy == ty && fm%3 == 1 && tm == fm+2:
		return fmt.Sprintf("%d年第%s季度", fy, digest.Numeral(int(fm+2)/3))
	case wholeMonths && fy == ty:
		return fmt.Sprintf("%d年%d月至%d月", fy, fm, tm)
	case wholeMonths:
		return fmt.Sprintf("%d年%d月至%d年%d月", fy, fm, ty, tm)
	case fy == ty && fm == tm && fd == td:
		return fmt.Sprintf("%d年%d月%d日", fy, fm, fd)
	case fy == ty && fm == tm:
		return fmt.Sprintf("%d年%d月%d日至%d日", fy, fm, fd, td)
	case fy == ty:
		return fmt.Sprintf("%d年%d月%d日至%d月%d日", fy, fm, fd, tm, td)
	}
	return fmt.Sprintf("%d年%d月%d日至%d年%d月%d日", fy, fm, fd, ty, tm, td)
}
