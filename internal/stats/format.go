package stats

import (
	"bufio"
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"time"
	"unicode"
)

// The column heads shared by the text table and the CSV.
const (
	headBureau        = "单位"
	headRegion        = "地区"
	headMonth         = "月份"
	headPublished     = "发布数"
	headUncategorized = "未分类"
	headAdopted       = "采用数"
	headRegular       = "正刊采用"
	headSupplement    = "增刊采用"
)

// head lists the column heads of a table of r. The 未分类 column appears
// only when some bulletin needs it, as most sites require a category.
func (r *Report) head() []string {
	h := append([]string{headBureau, headRegion, headMonth, headPublished}, r.Categories...)
	if r.Total.Uncategorized > 0 {
		h = append(h, headUncategorized)
	}
	return append(h, headAdopted, headRegular, headSupplement)
}

// numbers lists c's figures in the order of head.
func (r *Report) numbers(c Counts) []string {
	out := []string{strconv.Itoa(c.Published)}
	for _, n := range c.ByCategory {
		out = append(out, strconv.Itoa(n))
	}
	if r.Total.Uncategorized > 0 {
		out = append(out, strconv.Itoa(c.Uncategorized))
	}
	return append(out, strconv.Itoa(c.Adopted), strconv.Itoa(c.Regular), strconv.Itoa(c.Supplement))
}

func month(t time.Time) string { return t.Format("2006-01") }

func day(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.Format(time.DateOnly)
}

// WriteText writes r as a table for the terminal: a title with the period,
// the rows with each bureau's subtotal (小计) when it spans several months,
// and the grand total (合计). Columns are aligned for a monospaced font in
// which Chinese characters take two columns.
func WriteText(w io.Writer, r *Report) error {
	bw := bufio.NewWriter(w)
	title := "信息报送统计"
	if !r.From.IsZero() && !r.To.IsZero() {
		title += "  " + day(r.From) + " 至 " + day(r.To)
	}
	fmt.Fprintf(bw, "%s\n\n", title)
	if len(r.Rows) == 0 {
		fmt.Fprintln(bw, "本期没有已发布的信息。")
		if r.Ranking != nil {
			fmt.Fprintln(bw)
			if err := bw.Flush(); err != nil {
				return err
			}
			return WriteRankingText(w, r.Ranking)
		}
		return bw.Flush()
	}

	head := r.head()
	// A nil row is a rule across the table, drawn once widths are known.
	table := [][]string{head, nil}
	i := 0
	for _, total := range r.Bureaus {
		start := i
		for ; i < len(r.Rows) && r.Rows[i].Bureau == total.Bureau; i++ {
			row := r.Rows[i]
			name, region := "", ""
			if i == start {
				name, region = row.Bureau, row.Region
			}
			table = append(table, append([]string{name, region, month(row.Month)}, r.numbers(row.Counts)...))
		}
		if i-start > 1 {
			table = append(table, append([]string{"", "", "小计"}, r.numbers(total.Counts)...))
		}
	}
	table = append(table, nil, append([]string{"合计", "", ""}, r.numbers(r.Total)...))

	bw.WriteString(Table(table, 0, 1, 2)) // 单位, 地区, 月份; the rest are numbers
	if len(r.Uncounted) > 0 {
		fmt.Fprintf(bw, "\n另有%d次采用的信息已不在网站发布，未计入。\n", len(r.Uncounted))
	}
	if r.Ranking != nil {
		fmt.Fprintln(bw)
		if err := bw.Flush(); err != nil {
			return err
		}
		return WriteRankingText(w, r.Ranking)
	}
	return bw.Flush()
}

// Width is the number of terminal columns s takes: two for Chinese
// characters and full-width forms (East Asian Wide and Fullwidth), one
// for the rest, which in a statistics table is ASCII. Every aligned text
// table of bulletin (these statistics, the ranking notice) pads by it.
func Width(s string) int {
	n := 0
	for _, c := range s {
		if wide(c) {
			n += 2
		} else {
			n++
		}
	}
	return n
}

func wide(c rune) bool {
	switch {
	case unicode.Is(unicode.Han, c):
		return true
	case c >= 0x1100 && c <= 0x115F, // Hangul leading consonants
		c >= 0x2E80 && c <= 0x303E, // CJK radicals, symbols and punctuation: 、。「」
		c >= 0x3041 && c <= 0x33FF, // kana, bopomofo, CJK compatibility
		c >= 0xAC00 && c <= 0xD7A3, // Hangul syllables
		c >= 0xF900 && c <= 0xFAFF, // CJK compatibility ideographs
		c >= 0xFE30 && c <= 0xFE4F, // CJK compatibility forms
		c >= 0xFF00 && c <= 0xFF60, // full-width forms: （），：
		c >= 0xFFE0 && c <= 0xFFE6: // full-width signs: ￥
		return true
	}
	return false
}

// WriteCSV writes r for spreadsheet software: a byte order mark, so that
// Excel reads UTF-8 rather than the local code page, a header row in
// Chinese, one row per bureau and month, CRLF line ends and RFC 4180
// quoting. It holds no total rows, which would be counted twice by a
// spreadsheet's own sums and pivot tables.
func WriteCSV(w io.Writer, r *Report) error {
	if _, err := io.WriteString(w, "\uFEFF"); err != nil {
		return err
	}
	cw := csv.NewWriter(w)
	cw.UseCRLF = true
	cw.Write(r.head())
	for _, row := range r.Rows {
		cw.Write(append([]string{row.Bureau, row.Region, month(row.Month)}, r.numbers(row.Counts)...))
	}
	cw.Flush()
	return cw.Error()
}

// The JSON schema. Field names are part of the promise to tools: add
// fields, never rename them.
type (
	jsonReport struct {
		From       string      `json:"from"` // YYYY-MM-DD, "" for an open period without bulletins
		To         string      `json:"to"`
		Categories []string    `json:"categories"` // the keys of by_category, in site.yaml's order
		Rows       []jsonRow   `json:"rows"`
		Bureaus    []jsonRow   `json:"bureaus"` // each bureau's totals, without month
		Totals     jsonCounts  `json:"totals"`
		Uncounted  []jsonEntry `json:"uncounted"` // adoptions of bulletins the site does not publish
		// Ranking is the bureaus' points and ranks (reporting.Standing);
		// absent when the report was computed without it.
		Ranking *jsonRanking `json:"ranking,omitempty"`
	}
	jsonRow struct {
		Bureau string `json:"bureau"`
		Region string `json:"region"`
		Month  string `json:"month,omitempty"` // YYYY-MM
		jsonCounts
	}
	jsonCounts struct {
		Published         int            `json:"published"`
		ByCategory        categoryCounts `json:"by_category"`
		Uncategorized     int            `json:"uncategorized"`
		Adopted           int            `json:"adopted"`
		AdoptedRegular    int            `json:"adopted_regular"`
		AdoptedSupplement int            `json:"adopted_supplement"`
	}
	jsonEntry struct {
		Record   string `json:"record"`
		Bulletin string `json:"bulletin"`
	}
)

// categoryCounts is by_category: an object whose keys keep site.yaml's
// order, which a Go map would lose to byte order.
type categoryCounts struct {
	names []string
	n     []int
}

func (c categoryCounts) MarshalJSON() ([]byte, error) {
	b := []byte{'{'}
	for i, name := range c.names {
		if i > 0 {
			b = append(b, ',')
		}
		key, err := json.Marshal(name)
		if err != nil {
			return nil, err
		}
		b = append(b, key...)
		b = append(b, ':')
		b = strconv.AppendInt(b, int64(c.n[i]), 10)
	}
	return append(b, '}'), nil
}

// WriteJSON writes r as one indented JSON object, for tools.
func WriteJSON(w io.Writer, r *Report) error {
	counts := func(c Counts) jsonCounts {
		return jsonCounts{
			Published:         c.Published,
			ByCategory:        categoryCounts{r.Categories, c.ByCategory},
			Uncategorized:     c.Uncategorized,
			Adopted:           c.Adopted,
			AdoptedRegular:    c.Regular,
			AdoptedSupplement: c.Supplement,
		}
	}
	// Empty lists are [] rather than null, so tools need not tell the two
	// apart.
	out := jsonReport{
		From: day(r.From), To: day(r.To),
		Categories: append([]string{}, r.Categories...),
		Rows:       []jsonRow{},
		Bureaus:    []jsonRow{},
		Totals:     counts(r.Total),
		Uncounted:  []jsonEntry{},
	}
	for _, row := range r.Rows {
		out.Rows = append(out.Rows, jsonRow{row.Bureau, row.Region, month(row.Month), counts(row.Counts)})
	}
	for _, row := range r.Bureaus {
		out.Bureaus = append(out.Bureaus, jsonRow{row.Bureau, row.Region, "", counts(row.Counts)})
	}
	for _, e := range r.Uncounted {
		out.Uncounted = append(out.Uncounted, jsonEntry{e.Record, e.Source})
	}
	if r.Ranking != nil {
		out.Ranking = rankingJSON(r.Ranking)
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false) // names stay readable; nothing here is HTML
	return enc.Encode(out)
}
