package digest

import (
	"bytes"
	"cmp"
	"errors"
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
func (r *Record) changes(o *Record) []string {
	var out []string
	add := func(differ bool, what string) {
		if differ {
			out = append(out, what)
		}
	}
	add(!r.From.Equal(o.From) || !r.To.Equal(o.To), "period")
	add(r.Region != o.Region, "region")
	add(r.Category != o.Category, "category")
	add(r.Group != o.Group, "grouping")
	add(!slices.Equal(r.Bulletins, o.Bulletins), "order")
	add(r.Summaries != o.Summaries, "summaries")
	add(r.Note != o.Note, "按语")
	return out
}

var recordKeys = []string{"kind", "year", "number", "cumulative", "signed_off", "from", "to",
	"region", "category", "group", "summaries", "note", "bulletins"}

// recordNameRE matches the names records may have; anything else in the
// folder is a mistake worth reporting.
var recordNameRE = regexp.MustCompile(`^\d{4}-(?:\d{3,}|zk\d{2,})\.yaml$`)

// ReadRecords reads every record of the site in fsys, sorted regular issues
// first, then by year and number. Problems of all records are returned
// together as diag.Problems.
func ReadRecords(fsys fs.FS, loc *time.Location) ([]*Record, error) {
	entries, err := fs.ReadDir(fsys, IssuesDir)
	if errors.Is(err, fs.ErrNotExist) {
		return nil, nil
	}
	if err != nil {
		return nil, err
	}
	var records []*Record
	var problems diag.Problems
	for _, e := range entries {
		name := e.Name()
		if e.IsDir() || strings.HasPrefix(name, ".") || !strings.HasSuffix(name, ".yaml") {
			continue // temporary files of a run in progress, notes, …
		}
		p := IssuesDir + "/" + name
		if !recordNameRE.MatchString(name) {
			problems = append(problems, diag.Problem{Path: p, Msg: "not a record name; records are named like 2024-003.yaml or 2024-zk01.yaml"})
			continue
		}
		src, err := fs.ReadFile(fsys, p)
		if err != nil {
			return nil, err
		}
		r, ps := parseRecord(p, src, loc)
		problems = append(problems, ps...)
		if r != nil {
			records = append(records, r)
		}
	}
	problems = append(problems, crossCheck(records)...)
	if len(problems) > 0 {
		slices.SortFunc(problems, func(a, b diag.Problem) int {
			return cmp.Or(cmp.Compare(a.Path, b.Path), cmp.Compare(a.Line, b.Line))
		})
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
// tell apart).
func crossCheck(records []*Record) []diag.Problem {
	var out []diag.Problem
	cumulative := map[int]string{}
	for _, r := range records {
		if r.Supplement {
			continue
		}
		if other, dup := cumulative[r.Cumulative]; dup {
			out = append(out, diag.Problem{Path: r.Path, Msg: fmt.Sprintf("cumulative number 总第%d期 is also the number of %s", r.Cumulative, other)})
		}
		cumulative[r.Cumulative] = r.Path
	}
	for i, r := range records {
		for _, o := range records[:i] {
			if r.sameIssue(o) {
				out = append(out, diag.Problem{Path: r.Path, Msg: "holds the same bulletins as " + o.Path + "; an issue's bulletins identify it, so one of the two must go"})
			}
		}
	}
	return out
}

// parseRecord reads one record; name is its site-relative path.
func parseRecord(name string, src []byte, loc *time.Location) (*Record, []diag.Problem) {
	var problems []diag.Problem
	errorf := func(line int, format string, args ...any) {
		problems = append(problems, diag.Problem{Path: name, Line: line, Msg: fmt.Sprintf(format, args...)})
	}
	var doc yaml.Node
	if err := yaml.Unmarshal(src, &doc); err != nil {
		errorf(0, "not a valid record: %v", strings.TrimPrefix(err.Error(), "yaml: "))
		return nil, problems
	}
	if len(doc.Content) == 0 || doc.Content[0].Kind != yaml.MappingNode {
		errorf(0, "not a valid record: want a mapping of kind, year, number, … and bulletins")
		return nil, problems
	}
	root := doc.Content[0]
	r := &Record{Path: name}
	seen := map[string]int{}
	str := func(v *yaml.Node, key string) string {
		if v.Kind != yaml.ScalarNode {
			errorf(v.Line, "%s must be a single value", key)
			return ""
		}
		return v.Value
	}
	num := func(v *yaml.Node, key string) int {
		n, err := strconv.Atoi(str(v, key))
		if err != nil || n < 1 {
			errorf(v.Line, "%s must be a whole number from 1, not %q", key, v.Value)
		}
		return n
	}
	day := func(v *yaml.Node, key string) time.Time {
		t, err := time.ParseInLocation(time.DateOnly, str(v, key), loc)
		if err != nil {
			errorf(v.Line, "%s %q is not a date; use YYYY-MM-DD", key, v.Value)
		}
		return t
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i], root.Content[i+1]
		key := k.Value
		if first, dup := seen[key]; dup {
			errorf(k.Line, "%s is given twice (first on line %d)", key, first)
			continue
		}
		seen[key] = k.Line
		switch key {
		case "kind":
			switch s := str(v, key); s {
			case "regular":
			case "supplement":
				r.Supplement = true
			default:
				errorf(v.Line, "kind must be regular or supplement, not %q", s)
			}
		case "year":
			r.Year = num(v, key)
		case "number":
			r.Number = num(v, key)
		case "cumulative":
			r.Cumulative = num(v, key)
		case "signed_off":
			r.SignedOff = day(v, key)
		case "from":
			r.From = day(v, key)
		case "to":
			r.To = day(v, key)
		case "region":
			r.Region = str(v, key)
		case "category":
			r.Category = str(v, key)
		case "group":
			r.Group = str(v, key)
			if r.Group != "region" && r.Group != "category" {
				errorf(v.Line, "group must be region or category, not %q", r.Group)
			}
		case "summaries":
			s := str(v, key)
			if s != "true" && s != "false" {
				errorf(v.Line, "summaries must be true or false, not %q", s)
			}
			r.Summaries = s == "true"
		case "note":
			r.Note = strings.TrimSpace(str(v, key))
		case "bulletins":
			if v.Kind != yaml.SequenceNode {
				errorf(v.Line, "bulletins must be a list of site-relative paths")
				continue
			}
			dup := map[string]int{}
			for _, item := range v.Content {
				p := str(item, "each of bulletins")
				if !strings.HasPrefix(p, site.ContentDir+"/") || path.Clean(p) != p {
					errorf(item.Line, "%q is not a bulletin path such as content/qinghai/2024/relief.md", p)
				}
				if first, ok := dup[p]; ok {
					errorf(item.Line, "%s is listed twice (first on line %d)", p, first)
				}
				dup[p] = item.Line
				r.Bulletins = append(r.Bulletins, p)
				r.Titles = append(r.Titles, strings.TrimSpace(strings.TrimPrefix(item.LineComment, "#")))
			}
		default:
			errorf(k.Line, "unknown key %q%s", key, diag.Suggest(key, recordKeys))
		}
	}
	for _, key := range []string{"kind", "year", "number", "signed_off", "bulletins"} {
		if _, ok := seen[key]; !ok {
			errorf(0, "%s is missing", key)
		}
	}
	if _, ok := seen["cumulative"]; !ok && !r.Supplement {
		errorf(0, "cumulative is missing: a regular issue has a cumulative number (总第M期)")
	}
	if r.Supplement && r.Cumulative != 0 {
		errorf(seen["cumulative"], "a supplement has no cumulative number; remove cumulative")
	}
	if !r.SignedOff.IsZero() && r.Year != 0 && r.SignedOff.Year() != r.Year {
		errorf(seen["signed_off"], "signed off %s, but the issue is numbered in %d", r.SignedOff.Format(time.DateOnly), r.Year)
	}
	if !r.From.IsZero() && !r.To.IsZero() && r.From.After(r.To) {
		errorf(seen["from"], "the period starts after it ends")
	}
	// A period is both days or none; half of one could not be written
	// back as it was read.
	fromLine, hasFrom := seen["from"]
	toLine, hasTo := seen["to"]
	switch {
	case hasFrom && !hasTo:
		errorf(fromLine, "from is given without to; a period needs both days")
	case hasTo && !hasFrom:
		errorf(toLine, "to is given without from; a period needs both days")
	}
	if len(problems) == 0 && path.Base(name) != r.Name()+".yaml" {
		errorf(0, "holds %s, which belongs in %s.yaml; a record's file name is its number", r.Label(), r.Name())
	}
	if len(problems) > 0 {
		return nil, problems
	}
	return r, nil
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
