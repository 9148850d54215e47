package stats

import (
	"bufio"
	"encoding/csv"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"

	"bulletin/internal/reporting"
)

// rankingHead is the ranking table's header: the kinds of adoption in the
// order of the points table.
var rankingHead = []string{"名次", "单位", "报送", "网站采用", "简报采用", "省级刊物采用", "国家级刊物采用",
	"省级批示", "国家级批示", "约稿按时", "约稿未按时", "采用率", "得分"}

func rankingCells(s reporting.Score) []string {
	rank := ""
	if s.Rank > 0 {
		rank = strconv.Itoa(s.Rank)
	}
	name := s.Bureau
	if s.Rank == 0 {
		name = "合计"
	}
	out := []string{rank, name}
	for _, n := range []int{s.Submitted, s.Site, s.Digest, s.Province, s.State, s.InstructionProvince,
		s.InstructionState, s.RequestsAnswered, s.RequestsMissed} {
		out = append(out, strconv.Itoa(n))
	}
	return append(out, s.Rate(), strconv.Itoa(s.Points))
}

// WriteRankingText writes the standing as an aligned table with the total,
// the points table it was counted with, and the requests (约稿) that are
// overdue.
func WriteRankingText(w io.Writer, st *reporting.Standing) error {
	bw := bufio.NewWriter(w)
	fmt.Fprintf(bw, "信息报送得分排名  %s 至 %s\n\n", day(st.From), day(st.To))
	table := [][]string{rankingHead, nil}
	for _, r := range st.Rows {
		table = append(table, rankingCells(r))
	}
	table = append(table, nil, rankingCells(st.Total))
	bw.WriteString(Table(table, 0, 1))
	p := st.Points
	fmt.Fprintf(bw, "\n计分标准：网站采用%d分，简报采用%d分，省级刊物采用%d分，国家级刊物采用%d分，省级领导批示%d分，国家级领导批示%d分，按时报送约稿%d分，约稿缺报或迟报%d分。\n",
		p.Site, p.Digest, p.Province, p.State, p.InstructionProvince, p.InstructionState, p.RequestAnswered, p.RequestMissed)
	var overdue, open []string
	for _, q := range st.Requests {
		line := fmt.Sprintf("  %s  %s  %s  截止%s", q.ID, q.Bureau, q.Topic, day(q.Due))
		switch q.Status {
		case "missed":
			overdue = append(overdue, line+"  未报送")
		case "late":
			overdue = append(overdue, line+"  逾期报送（"+day(q.Answered)+"）")
		case "open":
			open = append(open, line)
		}
	}
	if len(overdue) > 0 {
		fmt.Fprintf(bw, "\n约稿缺报、迟报：\n%s\n", strings.Join(overdue, "\n"))
	}
	if len(open) > 0 {
		fmt.Fprintf(bw, "\n约稿尚未到期：\n%s\n", strings.Join(open, "\n"))
	}
	return bw.Flush()
}

// Table lays out rows in columns for a monospaced font in which Chinese
// characters take two columns: the columns listed in left aligned left,
// the others (figures) right. A nil row is a rule across the table. It is
// the one table layout of the statistics and the notice.
func Table(rows [][]string, left ...int) string {
	var widths []int
	for _, row := range rows {
		for j, cell := range row {
			if j == len(widths) {
				widths = append(widths, 0)
			}
			widths[j] = max(widths[j], Width(cell))
		}
	}
	var b strings.Builder
	for _, row := range rows {
		var line strings.Builder
		if row == nil {
			for j, w := range widths {
				if j > 0 {
					line.WriteString("  ")
				}
				line.WriteString(strings.Repeat("-", w))
			}
		}
		for j, cell := range row {
			if j > 0 {
				line.WriteString("  ")
			}
			pad := strings.Repeat(" ", widths[j]-Width(cell))
			if slices.Contains(left, j) {
				line.WriteString(cell + pad)
			} else {
				line.WriteString(pad + cell)
			}
		}
		b.WriteString(strings.TrimRight(line.String(), " ") + "\n")
	}
	return b.String()
}

// WriteRankingCSV writes the standing for spreadsheet software, as
// WriteCSV does, one row per bureau and no total row.
func WriteRankingCSV(w io.Writer, st *reporting.Standing) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(append(rankingHead[:2:2], append([]string{"地区"}, rankingHead[2:]...)...))
	for _, r := range st.Rows {
		c := rankingCells(r)
		cw.Write(append(c[:2:2], append([]string{r.Region}, c[2:]...)...))
	}
	cw.Flush()
	return cw.Error()
}

// The ranking's JSON, part of the stats schema (add fields, never rename).
type (
	jsonRanking struct {
		From     string        `json:"from"`
		To       string        `json:"to"`
		Points   jsonPoints    `json:"points"`
		Rows     []jsonScore   `json:"rows"`
		Total    jsonScore     `json:"total"`
		Higher   []jsonHigher  `json:"higher"`
		Requests []jsonRequest `json:"requests"`
	}
	jsonPoints struct {
		Site                int `json:"site"`
		Digest              int `json:"digest"`
		Province            int `json:"province"`
		State               int `json:"state"`
		InstructionProvince int `json:"instruction_province"`
		InstructionState    int `json:"instruction_state"`
		RequestAnswered     int `json:"request_answered"`
		RequestMissed       int `json:"request_missed"`
	}
	jsonScore struct {
		Rank                int    `json:"rank,omitempty"`
		Bureau              string `json:"bureau,omitempty"`
		Region              string `json:"region,omitempty"`
		Submitted           int    `json:"submitted"`
		Pending             int    `json:"pending"`
		Returned            int    `json:"returned"`
		Declined            int    `json:"declined"`
		Site                int    `json:"site"`
		Digest              int    `json:"digest"`
		Province            int    `json:"province"`
		State               int    `json:"state"`
		InstructionProvince int    `json:"instruction_province"`
		InstructionState    int    `json:"instruction_state"`
		RequestsAnswered    int    `json:"requests_answered"`
		RequestsMissed      int    `json:"requests_missed"`
		Rate                string `json:"adoption_rate"`
		Points              int    `json:"points"`
	}
	jsonHigher struct {
		Kind     string `json:"kind"` // publication or instruction
		Level    string `json:"level"`
		By       string `json:"by"`
		Issue    string `json:"issue,omitempty"`
		Text     string `json:"text,omitempty"`
		Date     string `json:"date"`
		Bureau   string `json:"bureau"`
		Title    string `json:"title"`
		Bulletin string `json:"bulletin,omitempty"`
	}
	jsonRequest struct {
		ID       string `json:"id"`
		Bureau   string `json:"bureau"`
		Topic    string `json:"topic"`
		Due      string `json:"due"`
		Status   string `json:"status"`
		Answered string `json:"answered,omitempty"`
	}
)

func rankingJSON(st *reporting.Standing) *jsonRanking {
	score := func(s reporting.Score) jsonScore {
		return jsonScore{s.Rank, s.Bureau, s.Region, s.Submitted, s.Pending, s.Returned, s.Declined, s.Site, s.Digest,
			s.Province, s.State, s.InstructionProvince, s.InstructionState, s.RequestsAnswered, s.RequestsMissed, s.Rate(), s.Points}
	}
	p := st.Points
	out := &jsonRanking{From: day(st.From), To: day(st.To),
		Points: jsonPoints{p.Site, p.Digest, p.Province, p.State, p.InstructionProvince, p.InstructionState, p.RequestAnswered, p.RequestMissed},
		Rows:   []jsonScore{}, Total: score(st.Total), Higher: []jsonHigher{}, Requests: []jsonRequest{}}
	for _, r := range st.Rows {
		out.Rows = append(out.Rows, score(r))
	}
	for _, h := range st.Higher {
		kind := "publication"
		if h.Instruction {
			kind = "instruction"
		}
		out.Higher = append(out.Higher, jsonHigher{kind, string(h.Level), h.By, h.Issue, h.Text, day(h.Date), h.Bureau, h.Title, h.Source})
	}
	for _, q := range st.Requests {
		out.Requests = append(out.Requests, jsonRequest{q.ID, q.Bureau, q.Topic, day(q.Due), q.Status, day(q.Answered)})
	}
	return out
}
