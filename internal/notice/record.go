package notice

import (
	"bytes"
	"cmp"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/reporting"
	"bulletin/internal/site"
	"bulletin/internal/yamlnode"
)

// RecordsDir holds the records of issued notices, inside the site folder.
const RecordsDir = reporting.Dir + "/notices"

// Record is what SITE/reports/notices/<name>.yaml keeps of one issued
// notice: its number and sign-off day, and the standing as announced, so
// that the notice can be rendered again, byte for byte, long after the
// reports it was counted from have changed. A record without a ranking
// stands for a notice issued before the site used bulletin: it counts for
// the numbering and is not published.
type Record struct {
	Path string // site-relative, e.g. reports/notices/2024-01.yaml; set when read

	Year      int       // the year of SignedOff
	Number    int       // 第N期 within Year
	SignedOff time.Time // a day, midnight in the site's zone
	Note      string    // the closing paragraphs, one a line

	// Standing is the period and what the notice prints of the ranking:
	// From and To, Points, and Rows, Higher and Requests without what the
	// notice does not show (a bureau's region, its declined, returned and
	// pending reports, the records behind an adoption or a request).
	// Dates are days in the site's zone, and Total is the sum of the rows.
	Standing reporting.Standing
}

// Name is the base name of the record: 2024-01 for 2024年第1期.
func (r *Record) Name() string { return fmt.Sprintf("%d-%02d", r.Year, r.Number) }

// Label is the issue line of the masthead: 2024年第1期.
func (r *Record) Label() string { return fmt.Sprintf("%d年第%d期", r.Year, r.Number) }

// Published reports whether the record holds a ranking to render; one
// without stands for an older notice and only keeps its number taken.
func (r *Record) Published() bool { return len(r.Standing.Rows) > 0 }

// samePeriod reports whether o announces the period r does: the period is
// a notice's identity.
func (r *Record) samePeriod(o *Record) bool {
	return r.Standing.From.Equal(o.Standing.From) && r.Standing.To.Equal(o.Standing.To)
}

// changes lists what a re-run would revise in the recorded notice r.
func (r *Record) changes(o *Record) diag.Messages {
	var out diag.Messages
	a, b := &r.Standing, &o.Standing
	if a.Points != b.Points {
		out = append(out, &diag.Message{Format: "points table"})
	}
	bureaus := func(rows []reporting.Score) []string {
		names := make([]string, len(rows))
		for i, s := range rows {
			names[i] = s.Bureau
		}
		return names
	}
	an, bn := bureaus(a.Rows), bureaus(b.Rows)
	sa, sb := slices.Sorted(slices.Values(an)), slices.Sorted(slices.Values(bn))
	if !slices.Equal(sa, sb) {
		out = append(out, &diag.Message{Format: "bureaus"})
	}
	ranks := func(rows []reporting.Score) []string {
		out := make([]string, len(rows))
		for i, s := range rows {
			out[i] = strconv.Itoa(s.Rank) + " " + s.Bureau
		}
		return out
	}
	if !slices.Equal(ranks(a.Rows), ranks(b.Rows)) {
		out = append(out, &diag.Message{Format: "ranking"})
	}
	old := map[string]reporting.Score{}
	for _, s := range a.Rows {
		old[s.Bureau] = s
	}
	for _, s := range b.Rows {
		if prev, ok := old[s.Bureau]; ok {
			prev.Rank = s.Rank
			if prev != s {
				out = append(out, &diag.Message{Format: "figures of %s", Args: []any{s.Bureau}})
			}
		}
	}
	if !slices.EqualFunc(a.Higher, b.Higher, sameHigher) {
		out = append(out, &diag.Message{Format: "higher adoptions and instructions"})
	}
	if !slices.EqualFunc(a.Requests, b.Requests, sameRequest) {
		out = append(out, &diag.Message{Format: "requests"})
	}
	if r.Note != o.Note {
		out = append(out, &diag.Message{Format: "note"})
	}
	return out
}

func sameHigher(a, b reporting.Higher) bool {
	return a.Date.Equal(b.Date) && a.Instruction == b.Instruction && a.Level == b.Level && a.By == b.By &&
		a.Issue == b.Issue && a.Text == b.Text && a.Bureau == b.Bureau && a.Title == b.Title && a.Source == b.Source
}

func sameRequest(a, b reporting.RequestState) bool {
	return a.ID == b.ID && a.Bureau == b.Bureau && a.Topic == b.Topic && a.Due.Equal(b.Due) &&
		a.Status == b.Status && a.Answered.Equal(b.Answered)
}

// announced is what a record keeps of st: see Record.Standing.
func announced(st *reporting.Standing, loc *time.Location) reporting.Standing {
	out := reporting.Standing{From: dayOf(st.From, loc), To: dayOf(st.To, loc), Points: st.Points}
	for _, s := range st.Rows {
		s.Region = ""
		s.Declined, s.Returned, s.Pending = 0, 0, 0
		out.Rows = append(out.Rows, s)
	}
	for _, h := range st.Higher {
		h.Date = dayOf(h.Date, loc)
		h.Record = ""
		out.Higher = append(out.Higher, h)
	}
	for _, q := range st.Requests {
		q.Due = dayOf(q.Due, loc)
		if !q.Answered.IsZero() {
			q.Answered = dayOf(q.Answered, loc)
		}
		q.Report = ""
		out.Requests = append(out.Requests, q)
	}
	out.Total = total(out.Rows)
	return out
}

// total sums the figures of rows; its Rank is 0 and its Bureau "".
func total(rows []reporting.Score) reporting.Score {
	var t reporting.Score
	for _, s := range rows {
		t.Submitted += s.Submitted
		t.Taken += s.Taken
		t.Declined += s.Declined
		t.Returned += s.Returned
		t.Pending += s.Pending
		for _, f := range figures {
			*f.count(&t) += *f.count(&s)
		}
		t.Points += s.Points
	}
	return t
}

// dayOf is the day of t in loc, at midnight.
func dayOf(t time.Time, loc *time.Location) time.Time {
	if t.IsZero() {
		return t
	}
	y, m, d := t.In(loc).Date()
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

type figure struct {
	key   string
	point func(*site.Points) *int
	count func(*reporting.Score) *int
}

// figures pairs each key of the points table (as site.yaml names them)
// with its entry in a table of points and in a bureau's score: a score's
// points are the sum of its figures times the table's.
var figures = []figure{
	{"site", func(p *site.Points) *int { return &p.Site }, func(s *reporting.Score) *int { return &s.Site }},
	{"digest", func(p *site.Points) *int { return &p.Digest }, func(s *reporting.Score) *int { return &s.Digest }},
	{"province", func(p *site.Points) *int { return &p.Province }, func(s *reporting.Score) *int { return &s.Province }},
	{"state", func(p *site.Points) *int { return &p.State }, func(s *reporting.Score) *int { return &s.State }},
	{"instruction_province", func(p *site.Points) *int { return &p.InstructionProvince }, func(s *reporting.Score) *int { return &s.InstructionProvince }},
	{"instruction_state", func(p *site.Points) *int { return &p.InstructionState }, func(s *reporting.Score) *int { return &s.InstructionState }},
	{"request_answered", func(p *site.Points) *int { return &p.RequestAnswered }, func(s *reporting.Score) *int { return &s.RequestsAnswered }},
	{"request_missed", func(p *site.Points) *int { return &p.RequestMissed }, func(s *reporting.Score) *int { return &s.RequestsMissed }},
}

func figureKeys() []string {
	keys := make([]string, len(figures))
	for i, f := range figures {
		keys[i] = f.key
	}
	return keys
}

var (
	recordKeys  = []string{"year", "number", "signed_off", "from", "to", "note", "points", "ranking", "higher", "requests"}
	rowKeys     = append([]string{"rank", "bureau", "points", "submitted", "submitted_published"}, figureKeys()...)
	higherKeys  = []string{"date", "kind", "level", "bureau", "title", "by", "issue", "text", "source"}
	requestKeys = []string{"id", "bureau", "topic", "due", "status", "answered"}
)

// requestStatuses are the values of RequestState.Status.
var requestStatuses = []string{"answered", "late", "missed", "open"}

// recordNameRE matches the names records may have, without .yaml; anything else in the
// folder is a mistake worth reporting.
var recordNameRE = regexp.MustCompile(`^\d{4}-\d{2,}$`)

// ReadRecords reads every record of the site in fsys, sorted by year and
// number. Problems of all records are returned together as diag.Problems.
func ReadRecords(fsys fs.FS, loc *time.Location) ([]*Record, error) {
	var records []*Record
	lines := map[*Record]map[string]int{}
	problems, err := yamlnode.ReadFolder(fsys, RecordsDir, recordNameRE,
		"not a record name; records are named like 2024-01.yaml, the year and the number",
		func(p string, src []byte) diag.Problems {
			r, keyLines, ps := parseRecord(p, src, loc)
			if r != nil {
				records = append(records, r)
				lines[r] = keyLines
			}
			return ps
		})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(records, func(a, b *Record) int {
		return cmp.Or(cmp.Compare(a.Year, b.Year), cmp.Compare(a.Number, b.Number))
	})
	// Two notices of one period could not be told apart by a re-run.
	for i, r := range records {
		for _, o := range records[:i] {
			if r.samePeriod(o) {
				problems = append(problems, diag.At(r.Path, lines[r]["from"], diag.Error,
					"announces the period of %s; a notice's period identifies it, so one of the two must go", o.Path))
			}
		}
	}
	if len(problems) > 0 {
		diag.Sort(problems)
		return nil, problems
	}
	return records, nil
}

// parseRecord reads one record; name is its site-relative path. Besides
// the record it returns the line of each key.
func parseRecord(name string, src []byte, loc *time.Location) (*Record, map[string]int, []diag.Problem) {
	sink := &diag.Sink{Path: name}
	root, ok := yamlnode.Parse(src, 1, sink)
	if !ok {
		return nil, nil, sink.Problems
	}
	if root == nil || root.Kind != yaml.MappingNode {
		line := 1
		if root != nil {
			line = root.Line
		}
		sink.Errorf(line, "not a valid record: want a mapping of year, number, signed_off, from, to, … and ranking")
		return nil, nil, sink.Problems
	}
	r := &Record{Path: name}
	lines := map[string]int{}
	yamlnode.Pairs(root, recordKeys, "", diag.Error, sink, func(key string, v *yaml.Node) {
		lines[key] = v.Line
		r.readKey(key, v, loc, sink)
	})
	r.check(lines, root.Line, sink)
	if sink.Failed() {
		return nil, nil, sink.Problems
	}
	r.Standing.Total = total(r.Standing.Rows)
	return r, lines, nil
}

// readKey sets the field of one key of a record.
func (r *Record) readKey(key string, v *yaml.Node, loc *time.Location, sink *diag.Sink) {
	st := &r.Standing
	switch key {
	case "points":
		readMapping(key, v, figureKeys(), sink, func(k string, v *yaml.Node) {
			if n, ok := yamlnode.Int("points."+k, v, sink); ok {
				*figureOf(k).point(&st.Points) = n
			}
		})
		return
	case "ranking":
		st.Rows = readRows(v, sink)
		return
	case "higher":
		readList(key, v, higherKeys, []string{"date", "kind", "level", "bureau", "title", "by"}, sink, func(get func(string) (string, int)) {
			st.Higher = append(st.Higher, readHigher(get, loc, sink))
		})
		return
	case "requests":
		readList(key, v, requestKeys, []string{"id", "bureau", "due", "status"}, sink, func(get func(string) (string, int)) {
			st.Requests = append(st.Requests, readRequest(get, loc, sink))
		})
		return
	}
	s, ok := yamlnode.Scalar(key, v, sink)
	if !ok {
		return
	}
	switch key {
	case "year":
		r.Year = recordNumber(key, s, v.Line, sink)
	case "number":
		r.Number = recordNumber(key, s, v.Line, sink)
	case "signed_off":
		r.SignedOff = recordDay(key, s, v.Line, loc, sink)
	case "from":
		st.From = recordDay(key, s, v.Line, loc, sink)
	case "to":
		st.To = recordDay(key, s, v.Line, loc, sink)
	case "note":
		r.Note = s
	}
}

func figureOf(key string) figure {
	for _, f := range figures {
		if f.key == key {
			return f
		}
	}
	panic("no figure " + key)
}

// readMapping walks the keys of a mapping that must be one.
func readMapping(where string, v *yaml.Node, keys []string, sink *diag.Sink, fn func(key string, v *yaml.Node)) {
	if v.Kind != yaml.MappingNode {
		sink.Errorf(v.Line, "%s must be a mapping of %s, not %s", where, diag.List(keys), yamlnode.Kind(v))
		return
	}
	yamlnode.Pairs(v, keys, where+".", diag.Error, sink, fn)
}

// readList reads a list of mappings with the given keys, of which
// required must be there, and calls fn for each item that has them all
// with a lookup of its scalar values and their lines.
func readList(where string, v *yaml.Node, keys, required []string, sink *diag.Sink, fn func(get func(key string) (string, int))) {
	if v.Kind != yaml.SequenceNode {
		sink.Errorf(v.Line, "%s must be a list, not %s", where, yamlnode.Kind(v))
		return
	}
	for _, item := range v.Content {
		item = yamlnode.Deref(item)
		if item == nil {
			continue
		}
		if item.Kind != yaml.MappingNode {
			sink.Errorf(item.Line, "each of %s must be a mapping of %s, not %s", where, diag.List(keys), yamlnode.Kind(item))
			continue
		}
		values := map[string]string{}
		lines := map[string]int{}
		failed := sink.Problems.Errors()
		yamlnode.Pairs(item, keys, where+" ", diag.Error, sink, func(key string, v *yaml.Node) {
			if s, ok := yamlnode.Scalar(where+" "+key, v, sink); ok {
				values[key], lines[key] = s, v.Line
			}
		})
		for _, key := range required {
			if values[key] == "" {
				sink.Errorf(item.Line, "%s is missing from this entry of %s", key, where)
			}
		}
		if sink.Problems.Errors() > failed {
			continue
		}
		fn(func(key string) (string, int) {
			if l, ok := lines[key]; ok {
				return values[key], l
			}
			return "", item.Line
		})
	}
}

// readRows reads the ranking: every bureau once, the ranks as they run
// down the table.
func readRows(v *yaml.Node, sink *diag.Sink) []reporting.Score {
	var rows []reporting.Score
	first := map[string]int{}
	lastRank := 0
	readList("ranking", v, rowKeys, []string{"rank", "bureau", "points"}, sink, func(get func(string) (string, int)) {
		var s reporting.Score
		s.Bureau, _ = get("bureau")
		rank, line := get("rank")
		s.Rank = recordNumber("rank", rank, line, sink)
		if s.Rank < lastRank {
			sink.Errorf(line, "rank %d comes after rank %d; the ranking runs from the highest points down", s.Rank, lastRank)
		}
		lastRank = max(lastRank, s.Rank)
		points, line := get("points")
		var err error
		if s.Points, err = strconv.Atoi(points); err != nil {
			sink.Errorf(line, "points must be a whole number, not %q", points)
		}
		if text, line := get("submitted"); text != "" {
			s.Submitted = count("submitted", text, line, sink)
		}
		for _, f := range figures {
			if text, line := get(f.key); text != "" {
				*f.count(&s) = count(f.key, text, line, sink)
			}
		}
		// Left out when every report sent in the period was published in
		// it, as in records written before the two figures were told apart.
		s.Taken = s.Site
		if text, line := get("submitted_published"); text != "" {
			s.Taken = count("submitted_published", text, line, sink)
			if s.Taken > s.Submitted {
				sink.Errorf(line, "submitted_published (%d) is more than submitted (%d)", s.Taken, s.Submitted)
			}
		}
		_, line = get("bureau")
		if l, dup := first[s.Bureau]; dup {
			sink.Errorf(line, "%s is ranked twice (first on line %d)", s.Bureau, l)
		}
		first[s.Bureau] = line
		rows = append(rows, s)
	})
	return rows
}

func readHigher(get func(string) (string, int), loc *time.Location, sink *diag.Sink) reporting.Higher {
	var h reporting.Higher
	date, line := get("date")
	h.Date = recordDay("date", date, line, loc, sink)
	switch kind, line := get("kind"); kind {
	case "adoption":
	case "instruction":
		h.Instruction = true
	default:
		sink.Errorf(line, "kind must be adoption (上级采用) or instruction (领导批示), not %q", kind)
	}
	level, line := get("level")
	h.Level = reporting.Level(level)
	if h.Level != reporting.Province && h.Level != reporting.State {
		sink.Errorf(line, "level must be province or state, not %q", level)
	}
	h.Bureau, _ = get("bureau")
	h.Title, _ = get("title")
	h.By, _ = get("by")
	h.Issue, _ = get("issue")
	h.Text, _ = get("text")
	h.Source, line = get("source")
	if h.Source != "" && (!strings.HasPrefix(h.Source, site.ContentDir+"/") || path.Clean(h.Source) != h.Source) {
		sink.Errorf(line, "%q is not a bulletin path such as content/qinghai/2024/relief.md", h.Source)
	}
	return h
}

func readRequest(get func(string) (string, int), loc *time.Location, sink *diag.Sink) reporting.RequestState {
	var q reporting.RequestState
	q.ID, _ = get("id")
	q.Bureau, _ = get("bureau")
	q.Topic, _ = get("topic")
	due, line := get("due")
	q.Due = recordDay("due", due, line, loc, sink)
	q.Status, line = get("status")
	if !slices.Contains(requestStatuses, q.Status) {
		sink.Errorf(line, "status must be one of %s, not %q", diag.List(requestStatuses), q.Status)
	}
	if answered, line := get("answered"); answered != "" {
		q.Answered = recordDay("answered", answered, line, loc, sink)
	}
	return q
}

func recordNumber(key, s string, line int, sink *diag.Sink) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		sink.Errorf(line, "%s must be a whole number from 1, not %q", key, s)
	}
	return n
}

func count(key, s string, line int, sink *diag.Sink) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 0 {
		sink.Errorf(line, "%s must be a whole number from 0, not %q", key, s)
	}
	return n
}

func recordDay(key, s string, line int, loc *time.Location, sink *diag.Sink) time.Time {
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		sink.Errorf(line, "%s %q is not a date; use YYYY-MM-DD", key, s)
	}
	return t
}

// check reports what the keys of a record say wrong together; lines has
// the line of each key given, top the line of the first, where a missing
// key belongs.
func (r *Record) check(lines map[string]int, top int, sink *diag.Sink) {
	for _, key := range []string{"year", "number", "signed_off", "from", "to"} {
		if _, ok := lines[key]; !ok {
			sink.Errorf(top, "%s is missing", key)
		}
	}
	if _, ok := lines["ranking"]; ok {
		if _, ok := lines["points"]; !ok {
			sink.Errorf(lines["ranking"], "a ranking needs the points table it was counted with; add points")
		}
	}
	st := &r.Standing
	if !r.SignedOff.IsZero() && r.Year != 0 && r.SignedOff.Year() != r.Year {
		sink.Errorf(lines["signed_off"], "signed off %s, but the notice is numbered in %d", r.SignedOff.Format(time.DateOnly), r.Year)
	}
	if !st.From.IsZero() && !st.To.IsZero() && st.From.After(st.To) {
		sink.Errorf(lines["from"], "the period starts after it ends")
	}
	if !sink.Failed() && path.Base(r.Path) != r.Name()+".yaml" {
		sink.Errorf(lines["number"], "holds %s, which belongs in %s.yaml; a record's file name is its number", r.Label(), r.Name())
	}
}

// marshal writes the record as YAML with a header that says what the file
// is, for the editor who finds it in the site folder. title is the
// notice's name, for the header.
func (r *Record) marshal(title string) ([]byte, error) {
	// An empty tag leaves numbers and dates plain; !!str quotes a string
	// only when YAML would otherwise read it as something else.
	plain := func(s string) *yaml.Node { return &yaml.Node{Kind: yaml.ScalarNode, Value: s} }
	text := func(s string) *yaml.Node {
		n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
		if strings.Contains(s, "\n") {
			n.Style = yaml.LiteralStyle
		}
		return n
	}
	number := func(n int) *yaml.Node { return plain(strconv.Itoa(n)) }
	date := func(t time.Time) *yaml.Node { return plain(t.Format(time.DateOnly)) }
	mapping := func() *yaml.Node { return &yaml.Node{Kind: yaml.MappingNode} }
	add := func(m *yaml.Node, key string, v *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	}
	addText := func(m *yaml.Node, key, s string) {
		if s != "" {
			add(m, key, text(s))
		}
	}

	st := &r.Standing
	m := mapping()
	add(m, "year", number(r.Year))
	add(m, "number", number(r.Number))
	add(m, "signed_off", date(r.SignedOff))
	add(m, "from", date(st.From))
	add(m, "to", date(st.To))
	addText(m, "note", r.Note)
	if r.Published() || st.Points != (site.Points{}) {
		points := mapping()
		for _, f := range figures {
			add(points, f.key, number(*f.point(&st.Points)))
		}
		add(m, "points", points)
	}
	if r.Published() {
		ranking := &yaml.Node{Kind: yaml.SequenceNode}
		for _, s := range st.Rows {
			row := mapping()
			add(row, "rank", number(s.Rank))
			add(row, "bureau", text(s.Bureau))
			add(row, "points", number(s.Points))
			// Zeros are left out: most bureaus have few kinds of figures.
			if s.Submitted != 0 {
				add(row, "submitted", number(s.Submitted))
			}
			if s.Taken != s.Site {
				add(row, "submitted_published", number(s.Taken))
			}
			for _, f := range figures {
				if n := *f.count(&s); n != 0 {
					add(row, f.key, number(n))
				}
			}
			ranking.Content = append(ranking.Content, row)
		}
		add(m, "ranking", ranking)
	}
	if len(st.Higher) > 0 {
		list := &yaml.Node{Kind: yaml.SequenceNode}
		for _, h := range st.Higher {
			e := mapping()
			add(e, "date", date(h.Date))
			kind := "adoption"
			if h.Instruction {
				kind = "instruction"
			}
			add(e, "kind", plain(kind))
			add(e, "level", plain(string(h.Level)))
			addText(e, "bureau", h.Bureau)
			addText(e, "title", h.Title)
			addText(e, "by", h.By)
			addText(e, "issue", h.Issue)
			addText(e, "text", h.Text)
			addText(e, "source", h.Source)
			list.Content = append(list.Content, e)
		}
		add(m, "higher", list)
	}
	if len(st.Requests) > 0 {
		list := &yaml.Node{Kind: yaml.SequenceNode}
		for _, q := range st.Requests {
			e := mapping()
			addText(e, "id", q.ID)
			addText(e, "bureau", q.Bureau)
			addText(e, "topic", q.Topic)
			add(e, "due", date(q.Due))
			add(e, "status", plain(q.Status))
			if !q.Answered.IsZero() {
				add(e, "answered", date(q.Answered))
			}
			list.Content = append(list.Content, e)
		}
		add(m, "requests", list)
	}
	m.Content[0].HeadComment = fmt.Sprintf(`%s %s
本文件由 bulletin notice 写入，是本期编号已经使用的记录，请随内容一并纳入版本管理。
编号一经使用不再收回。对同一期间再次运行 bulletin notice 会重现本期，沿用本期的编号和
签发日期；排名、数据或结束语有变化时，在原编号下修订本文件。网站上公开的通报按本文件
所记的排名和数据生成，不再重新统计。`, title, r.Label())

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(m); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}
