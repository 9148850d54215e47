package digest

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
	"bulletin/internal/site"
	"bulletin/internal/yamlnode"
)

// IssuesDir holds the records of issued numbers, inside the site folder.
const IssuesDir = "digests/issues"

// Record is what SITE/digests/issues/<name>.yaml keeps of one issued
// number: enough to reproduce the issue from the site's bulletins. A record
// without bulletins stands for an issue compiled before the site used
// bulletin digest: it counts for the numbering and is not published.
type Record struct {
	Path string // site-relative, e.g. digests/issues/2024-003.yaml; set when read

	Supplement bool
	Year       int // the year of SignedOff
	Number     int // 第N期 within Year (增刊第N期 for a supplement)
	Cumulative int // 总第M期; 0 for a supplement

	SignedOff time.Time // a day, midnight in the site's zone
	From, To  time.Time // the period, both days inclusive

	Region, Category string // the filters used, "" for none
	Group            string // "", "region" or "category"
	Summaries        bool
	Note             string // the 按语, one paragraph a line

	// Bulletins are the site-relative sources of the items, in order.
	// Titles runs alongside: the title each had when the record was
	// written (kept as a comment), for items no longer published.
	Bulletins []string
	Titles    []string
}

// Name is the base name of the issue's files: 2024-003, or 2024-zk01 for
// a supplement.
func (r *Record) Name() string {
	if r.Supplement {
		return fmt.Sprintf("%d-zk%02d", r.Year, r.Number)
	}
	return fmt.Sprintf("%d-%03d", r.Year, r.Number)
}

// Label is the issue line of the masthead: 2024年第3期（总第128期）, or
// 2024年增刊第1期.
func (r *Record) Label() string {
	if r.Supplement {
		return fmt.Sprintf("%d年增刊第%d期", r.Year, r.Number)
	}
	return fmt.Sprintf("%d年第%d期（总第%d期）", r.Year, r.Number, r.Cumulative)
}

// sameIssue reports whether o holds the same selection as r: the same kind
// and the same bulletins. That is an issue's identity; the order of the
// items is part of its presentation, like the grouping, which a re-run may
// revise.
func (r *Record) sameIssue(o *Record) bool {
	if r.Supplement != o.Supplement || len(r.Bulletins) == 0 || len(r.Bulletins) != len(o.Bulletins) {
		return false
	}
	a, b := slices.Clone(r.Bulletins), slices.Clone(o.Bulletins)
	slices.Sort(a)
	slices.Sort(b)
	return slices.Equal(a, b)
}

// changes lists what a re-run would revise in the recorded issue r.
func (r *Record) changes(o *Record) diag.Messages {
	var out diag.Messages
	add := func(differ bool, what *diag.Message) {
		if differ {
			out = append(out, what)
		}
	}
	add(!r.From.Equal(o.From) || !r.To.Equal(o.To), &diag.Message{Format: "period"})
	add(r.Region != o.Region, &diag.Message{Format: "region"})
	add(r.Category != o.Category, &diag.Message{Format: "category"})
	add(r.Group != o.Group, &diag.Message{Format: "grouping"})
	add(!slices.Equal(r.Bulletins, o.Bulletins), &diag.Message{Format: "order"})
	add(r.Summaries != o.Summaries, &diag.Message{Format: "summaries"})
	add(r.Note != o.Note, &diag.Message{Format: "按语"})
	return out
}

var recordKeys = []string{"kind", "year", "number", "cumulative", "signed_off", "from", "to",
	"region", "category", "group", "summaries", "note", "bulletins"}

// recordNameRE matches the names records may have, without .yaml; anything else in the
// folder is a mistake worth reporting.
var recordNameRE = regexp.MustCompile(`^\d{4}-(?:\d{3,}|zk\d{2,})$`)

// ReadRecords reads every record of the site in fsys, sorted regular issues
// first, then by year and number. Problems of all records are returned
// together as diag.Problems.
func ReadRecords(fsys fs.FS, loc *time.Location) ([]*Record, error) {
	var records []*Record
	lines := map[*Record]map[string]int{}
	problems, err := yamlnode.ReadFolder(fsys, IssuesDir, recordNameRE,
		"not a record name; records are named like 2024-003.yaml or 2024-zk01.yaml",
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
	problems = append(problems, crossCheck(records, lines)...)
	if len(problems) > 0 {
		diag.Sort(problems)
		return nil, problems
	}
	slices.SortFunc(records, func(a, b *Record) int {
		return cmp.Or(compareBool(a.Supplement, b.Supplement), cmp.Compare(a.Year, b.Year), cmp.Compare(a.Number, b.Number))
	})
	return records, nil
}

func compareBool(a, b bool) int {
	switch {
	case a == b:
		return 0
	case !a:
		return -1
	}
	return 1
}

// crossCheck reports records that contradict each other: two issues with
// one cumulative number, or with one selection (which a re-run could not
// tell apart). lines has the lines of each record's keys.
func crossCheck(records []*Record, lines map[*Record]map[string]int) []diag.Problem {
	var out []diag.Problem
	cumulative := map[int]string{}
	for _, r := range records {
		if r.Supplement {
			continue
		}
		if other, dup := cumulative[r.Cumulative]; dup {
			out = append(out, diag.At(r.Path, lines[r]["cumulative"], diag.Error, "cumulative number 总第%d期 is also the number of %s", r.Cumulative, other))
		}
		cumulative[r.Cumulative] = r.Path
	}
	for i, r := range records {
		for _, o := range records[:i] {
			if r.sameIssue(o) {
				out = append(out, diag.At(r.Path, lines[r]["bulletins"], diag.Error, "holds the same bulletins as %s; an issue's bulletins identify it, so one of the two must go", o.Path))
			}
		}
	}
	return out
}

// parseRecord reads one record; name is its site-relative path. Besides
// the record it returns the line of each key, for crossCheck.
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
		sink.Errorf(line, "not a valid record: want a mapping of kind, year, number, … and bulletins")
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
	return r, lines, nil
}

// readKey sets the field of one key of a record.
func (r *Record) readKey(key string, v *yaml.Node, loc *time.Location, sink *diag.Sink) {
	if key == "bulletins" {
		r.readBulletins(v, sink)
		return
	}
	s, ok := yamlnode.Scalar(key, v, sink)
	if !ok {
		return
	}
	switch key {
	case "kind":
		r.Supplement = s == "supplement"
		if s != "regular" && s != "supplement" {
			sink.Errorf(v.Line, "kind must be regular or supplement, not %q", s)
		}
	case "year":
		r.Year = recordNumber(key, s, v.Line, sink)
	case "number":
		r.Number = recordNumber(key, s, v.Line, sink)
	case "cumulative":
		r.Cumulative = recordNumber(key, s, v.Line, sink)
	case "signed_off":
		r.SignedOff = recordDay(key, s, v.Line, loc, sink)
	case "from":
		r.From = recordDay(key, s, v.Line, loc, sink)
	case "to":
		r.To = recordDay(key, s, v.Line, loc, sink)
	case "region":
		r.Region = s
	case "category":
		r.Category = s
	case "group":
		r.Group = s
		if s != "region" && s != "category" {
			sink.Errorf(v.Line, "group must be region or category, not %q", s)
		}
	case "summaries":
		r.Summaries = yamlnode.Bool(key, v, sink)
	case "note":
		r.Note = s
	}
}

func recordNumber(key, s string, line int, sink *diag.Sink) int {
	n, err := strconv.Atoi(s)
	if err != nil || n < 1 {
		sink.Errorf(line, "%s must be a whole number from 1, not %q", key, s)
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

// readBulletins reads the list of bulletins with the titles kept beside
// them as comments.
func (r *Record) readBulletins(v *yaml.Node, sink *diag.Sink) {
	if v.Kind != yaml.SequenceNode {
		sink.Errorf(v.Line, "bulletins must be a list of site-relative paths")
		return
	}
	first := map[string]int{}
	for _, item := range v.Content {
		p, ok := yamlnode.Scalar("each of bulletins", item, sink)
		if !ok {
			continue
		}
		if !strings.HasPrefix(p, site.ContentDir+"/") || path.Clean(p) != p {
			sink.Errorf(item.Line, "%q is not a bulletin path such as content/qinghai/2024/relief.md", p)
		}
		if line, dup := first[p]; dup {
			sink.Errorf(item.Line, "%s is listed twice (first on line %d)", p, line)
		}
		first[p] = item.Line
		r.Bulletins = append(r.Bulletins, p)
		r.Titles = append(r.Titles, strings.TrimSpace(strings.TrimPrefix(item.LineComment, "#")))
	}
}

// check reports what the keys of a record say wrong together; lines has
// the line of each key given, top the line of the first, where a missing
// key belongs.
func (r *Record) check(lines map[string]int, top int, sink *diag.Sink) {
	for _, key := range []string{"kind", "year", "number", "signed_off", "bulletins"} {
		if _, ok := lines[key]; !ok {
			sink.Errorf(top, "%s is missing", key)
		}
	}
	if _, ok := lines["cumulative"]; !ok && !r.Supplement {
		sink.Errorf(top, "cumulative is missing: a regular issue has a cumulative number (总第M期)")
	}
	if r.Supplement && r.Cumulative != 0 {
		sink.Errorf(lines["cumulative"], "a supplement has no cumulative number; remove cumulative")
	}
	if !r.SignedOff.IsZero() && r.Year != 0 && r.SignedOff.Year() != r.Year {
		sink.Errorf(lines["signed_off"], "signed off %s, but the issue is numbered in %d", r.SignedOff.Format(time.DateOnly), r.Year)
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.From.After(r.To) {
		sink.Errorf(lines["from"], "the period starts after it ends")
	}
	// A period is both days or none; half of one could not be written
	// back as it was read.
	fromLine, hasFrom := lines["from"]
	toLine, hasTo := lines["to"]
	switch {
	case hasFrom && !hasTo:
		sink.Errorf(fromLine, "from is given without to; a period needs both days")
	case hasTo && !hasFrom:
		sink.Errorf(toLine, "to is given without from; a period needs both days")
	}
	if !sink.Failed() && path.Base(r.Path) != r.Name()+".yaml" {
		sink.Errorf(lines["number"], "holds %s, which belongs in %s.yaml; a record's file name is its number", r.Label(), r.Name())
	}
}

// marshal writes the record as YAML with a header that says what the file
// is, for the editor who finds it in the site folder. title is the
// publication's name, for the header.
func (r *Record) marshal(title string) ([]byte, error) {
	var m yaml.Node
	m.Kind = yaml.MappingNode
	add := func(key string, v *yaml.Node) {
		m.Content = append(m.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
	}
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
	kind := "regular"
	if r.Supplement {
		kind = "supplement"
	}
	add("kind", plain(kind))
	add("year", plain(strconv.Itoa(r.Year)))
	add("number", plain(strconv.Itoa(r.Number)))
	if !r.Supplement {
		add("cumulative", plain(strconv.Itoa(r.Cumulative)))
	}
	add("signed_off", plain(r.SignedOff.Format(time.DateOnly)))
	if !r.From.IsZero() {
		add("from", plain(r.From.Format(time.DateOnly)))
		add("to", plain(r.To.Format(time.DateOnly)))
	}
	for _, kv := range [][2]string{{"region", r.Region}, {"category", r.Category}, {"group", r.Group}} {
		if kv[1] != "" {
			add(kv[0], text(kv[1]))
		}
	}
	if r.Summaries {
		add("summaries", plain("true"))
	}
	if r.Note != "" {
		add("note", text(r.Note))
	}
	list := &yaml.Node{Kind: yaml.SequenceNode}
	for i, b := range r.Bulletins {
		n := text(b)
		if i < len(r.Titles) && r.Titles[i] != "" {
			n.LineComment = "# " + r.Titles[i]
		}
		list.Content = append(list.Content, n)
	}
	add("bulletins", list)
	m.Content[0].HeadComment = fmt.Sprintf(`%s %s
本文件由 bulletin digest 写入，是本期编号已经使用的记录，请随内容一并纳入版本管理。
编号一经使用不再收回。以同样的信息篇目（同为正刊或同为增刊）再次运行 bulletin digest
会重现本期，沿用本期的编号和签发日期，不会占用新的编号。`, title, r.Label())

	var buf bytes.Buffer
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&m); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	out := buf.Bytes()
	if !bytes.HasSuffix(out, []byte("\n")) {
		out = append(out, '\n') // the encoder leaves a closing comment unended
	}
	return out, nil
}
