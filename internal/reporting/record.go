package reporting

import (
	"bytes"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"regexp"
	"slices"
	"strings"
	"time"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/site"
	"bulletin/internal/yamlnode"
)

// Thread is the record of one report, reports/<year>/<id>.yaml: every
// time the bureau sent it and what the editors decided, and, once it is
// published, what higher offices made of it. A report sent back for
// revision and sent again stays one thread.
type Thread struct {
	Path string // site-relative; set when read or created
	ID   string // the file's base name without .yaml

	Bureau, Title string
	Request       string // the request (约稿) it answers, "" for none
	Bulletin      string // the bulletin it became, site-relative; "" until accepted
	Original      string // the report as the bureau sent it, kept beside the bulletin

	Submissions []Submission
	Adoptions   []Adoption
}

// Decisions an editor takes on a submission.
const (
	Accept  = "accept"  // 采用: published as a bulletin
	Return  = "return"  // 退修: sent back for revision
	Decline = "decline" // 退稿
)

// Submission is one sending of the report and the decision on it.
type Submission struct {
	Received time.Time // when the file arrived in the inbox (its modification time)
	File     string    // where it arrived, site-relative: inbox/冬春救助.docx
	Kept     string    // where the file is now, site-relative

	Decision string // Accept, Return or Decline
	By       string // the editor
	At       time.Time
	Reason   string // why it was returned or declined
}

// Adoption is a higher office's adoption of the published report, or a
// leader's instruction on it, as recorded by bulletin adopt.
type Adoption struct {
	Instruction bool
	Level       Level
	By          string // the publication, or the leader
	Issue       string // the publication's issue; "" for an instruction
	Text        string // the instruction's words
	Date        time.Time

	RecordedBy string
	RecordedAt time.Time
}

// Request is a request for reports (约稿), reports/requests/<id>.yaml.
type Request struct {
	Path   string
	ID     string // 2024-003: the year it was issued and its number in it
	Bureau string
	Topic  string
	Due    time.Time // the last day, midnight in the site's zone
	Issued time.Time
	By     string
}

// Book is every record of a site's reporting.
type Book struct {
	Threads  []*Thread  // by path
	Requests []*Request // by ID
}

// ThreadOf returns the thread whose bulletin is src, nil when none.
func (b *Book) ThreadOf(src string) *Thread {
	for _, t := range b.Threads {
		if t.Bulletin == src {
			return t
		}
	}
	return nil
}

// Request returns the request with id, nil when none.
func (b *Book) Request(id string) *Request {
	for _, r := range b.Requests {
		if r.ID == id {
			return r
		}
	}
	return nil
}

// Folders of reports/ that hold other things than threads.
const (
	RequestsDir = Dir + "/requests"
	NoticesDir  = Dir + "/notices"
	OutDir      = Dir + "/out"
)

// timeLayout is how records write a moment: to the second, in the site's
// zone, as an editor reads it.
const timeLayout = "2006-01-02 15:04:05"

var (
	yearDirRE   = regexp.MustCompile(`^\d{4}$`)
	requestIDRE = regexp.MustCompile(`^\d{4}-\d{3,}$`)
	threadIDRE  = regexp.MustCompile(`^[a-z0-9]+(?:[-_][a-z0-9]+)*$`)
)

// ReadBook reads every record under reports/. Problems of all records are
// returned together as diag.Problems, each at its file and line.
func ReadBook(fsys fs.FS, loc *time.Location) (*Book, error) {
	b := &Book{}
	entries, err := fs.ReadDir(fsys, Dir)
	if errors.Is(err, fs.ErrNotExist) {
		return b, nil
	}
	if err != nil {
		return nil, err
	}
	var problems diag.Problems
	for _, e := range entries {
		name := e.Name()
		dir := Dir + "/" + name
		switch {
		case strings.HasPrefix(name, "."), !e.IsDir() && !strings.HasSuffix(name, ".yaml"):
			continue
		case !e.IsDir():
			problems = append(problems, diag.At(dir, 0, diag.Error, "a record belongs in a year's folder, such as reports/2024/"))
			continue
		case dir == NoticesDir || dir == OutDir:
			continue // the notice's own records, and outputs
		case dir != RequestsDir && !yearDirRE.MatchString(name):
			continue // an office's own notes
		}
		var ps diag.Problems
		if dir == RequestsDir {
			ps, err = yamlnode.ReadFolder(fsys, dir, requestIDRE, "not a request's name; requests are named like 2024-003.yaml",
				func(p string, src []byte) diag.Problems {
					r, ps := parseRequest(p, src, loc)
					if r != nil {
						b.Requests = append(b.Requests, r)
					}
					return ps
				})
		} else {
			ps, err = yamlnode.ReadFolder(fsys, dir, threadIDRE, "not a report record's name; they are named by bureau and title, such as qinghai-xining-1a2b3c4d.yaml",
				func(p string, src []byte) diag.Problems {
					t, ps := parseThread(p, src, loc)
					if t != nil {
						b.Threads = append(b.Threads, t)
					}
					return ps
				})
		}
		if err != nil {
			return nil, err
		}
		problems = append(problems, ps...)
	}
	problems = append(problems, b.crossCheck()...)
	if len(problems) > 0 {
		diag.Sort(problems)
		return nil, problems
	}
	slices.SortFunc(b.Threads, func(x, y *Thread) int { return strings.Compare(x.Path, y.Path) })
	slices.SortFunc(b.Requests, func(x, y *Request) int { return strings.Compare(x.ID, y.ID) })
	return b, nil
}

// crossCheck reports records that contradict each other: two threads of
// one bulletin, or of one ID, or a request named by a thread that does
// not exist.
func (b *Book) crossCheck() []diag.Problem {
	var out []diag.Problem
	bulletin, ids := map[string]string{}, map[string]string{}
	for _, t := range b.Threads {
		if other, dup := ids[t.ID]; dup {
			out = append(out, diag.At(t.Path, 0, diag.Error, "has the same name as %s; a report has one record", other))
		}
		ids[t.ID] = t.Path
		if t.Bulletin == "" {
			continue
		}
		if other, dup := bulletin[t.Bulletin]; dup {
			out = append(out, diag.At(t.Path, 0, diag.Error, "%s is also the bulletin of %s; a bulletin has one record", t.Bulletin, other))
		}
		bulletin[t.Bulletin] = t.Path
	}
	for _, t := range b.Threads {
		if t.Request != "" && b.Request(t.Request) == nil {
			out = append(out, diag.At(t.Path, 0, diag.Error, "request %s: there is no %s/%s.yaml", t.Request, RequestsDir, t.Request))
		}
	}
	return out
}

var threadKeys = []string{"bureau", "title", "request", "bulletin", "original", "submissions", "adoptions"}

func parseThread(p string, src []byte, loc *time.Location) (*Thread, []diag.Problem) {
	sink := &diag.Sink{Path: p}
	root, ok := yamlnode.Mapping(src, 1, sink)
	if !ok {
		return nil, sink.Problems
	}
	t := &Thread{Path: p, ID: strings.TrimSuffix(path.Base(p), ".yaml")}
	yamlnode.Pairs(root, threadKeys, "", diag.Error, sink, func(key string, v *yaml.Node) {
		switch key {
		case "bureau":
			t.Bureau, _ = yamlnode.Scalar(key, v, sink)
		case "title":
			t.Title, _ = yamlnode.Scalar(key, v, sink)
		case "request":
			t.Request, _ = yamlnode.Scalar(key, v, sink)
			if t.Request != "" && !requestIDRE.MatchString(t.Request) {
				sink.Errorf(v.Line, "request %q is not a request's number such as 2024-003", t.Request)
			}
		case "bulletin", "original":
			s, _ := yamlnode.Scalar(key, v, sink)
			if s != "" && (!strings.HasPrefix(s, site.ContentDir+"/") || path.Clean(s) != s) {
				sink.Errorf(v.Line, "%s %q is not a path under content/ such as content/qinghai/2024/relief.md", key, s)
			}
			if key == "bulletin" {
				t.Bulletin = s
			} else {
				t.Original = s
			}
		case "submissions":
			eachMapping(key, v, sink, func(m *yaml.Node) { t.Submissions = append(t.Submissions, parseSubmission(m, loc, sink)) })
		case "adoptions":
			eachMapping(key, v, sink, func(m *yaml.Node) { t.Adoptions = append(t.Adoptions, parseAdoption(m, loc, sink)) })
		}
	})
	// A report that could not be read may have been declined without
	// anyone knowing its bureau; a published one always has it.
	if t.Bureau == "" && t.Bulletin != "" {
		sink.Errorf(1, "bureau is missing")
	}
	if t.Title == "" {
		sink.Errorf(1, "title is missing")
	}
	if len(t.Adoptions) > 0 && t.Bulletin == "" {
		sink.Errorf(1, "records adoptions of a report that was never published: bulletin is missing")
	}
	if sink.Failed() {
		return nil, sink.Problems
	}
	return t, sink.Problems
}

func eachMapping(key string, v *yaml.Node, sink *diag.Sink, fn func(m *yaml.Node)) {
	if v.Kind != yaml.SequenceNode {
		sink.Errorf(v.Line, "%s must be a list, not %s", key, yamlnode.Kind(v))
		return
	}
	for _, item := range v.Content {
		item = yamlnode.Deref(item)
		if item.Kind != yaml.MappingNode {
			sink.Errorf(item.Line, "each of %s must be a mapping, not %s", key, yamlnode.Kind(item))
			continue
		}
		fn(item)
	}
}

func parseSubmission(m *yaml.Node, loc *time.Location, sink *diag.Sink) Submission {
	var s Submission
	seen := map[string]bool{}
	yamlnode.Pairs(m, []string{"received", "file", "kept", "decision", "by", "at", "reason"}, "submission ", diag.Error, sink, func(key string, v *yaml.Node) {
		seen[key] = present(v)
		switch key {
		case "received":
			s.Received = readTime(key, v, loc, sink)
		case "at":
			s.At = readTime(key, v, loc, sink)
		case "file":
			s.File, _ = yamlnode.Scalar(key, v, sink)
		case "kept":
			s.Kept, _ = yamlnode.Scalar(key, v, sink)
		case "by":
			s.By, _ = yamlnode.Scalar(key, v, sink)
		case "reason":
			s.Reason, _ = yamlnode.Scalar(key, v, sink)
		case "decision":
			s.Decision, _ = yamlnode.Scalar(key, v, sink)
			if s.Decision != Accept && s.Decision != Return && s.Decision != Decline {
				sink.Errorf(v.Line, "decision must be accept, return or decline, not %q", s.Decision)
			}
		}
	})
	for _, key := range []string{"received", "decision", "at"} {
		if !seen[key] {
			sink.Errorf(m.Line, "submission: %s is missing", key)
		}
	}
	if s.Reason == "" {
		switch s.Decision {
		case Return:
			sink.Errorf(m.Line, "submission: a report returned needs its reason")
		case Decline:
			sink.Errorf(m.Line, "submission: a report declined needs its reason")
		}
	}
	return s
}

func parseAdoption(m *yaml.Node, loc *time.Location, sink *diag.Sink) Adoption {
	var a Adoption
	seen := map[string]bool{}
	yamlnode.Pairs(m, []string{"kind", "level", "by", "issue", "text", "date", "recorded_by", "recorded_at"}, "adoption ", diag.Error, sink, func(key string, v *yaml.Node) {
		seen[key] = present(v)
		switch key {
		case "kind":
			s, _ := yamlnode.Scalar(key, v, sink)
			switch s {
			case "publication":
			case "instruction":
				a.Instruction = true
			default:
				sink.Errorf(v.Line, "kind must be publication or instruction, not %q", s)
			}
		case "level":
			s, _ := yamlnode.Scalar(key, v, sink)
			a.Level = Level(s)
			if a.Level != Province && a.Level != State {
				sink.Errorf(v.Line, "level must be province or state, not %q", s)
			}
		case "by":
			a.By, _ = yamlnode.Scalar(key, v, sink)
		case "issue":
			a.Issue, _ = yamlnode.Scalar(key, v, sink)
		case "text":
			a.Text, _ = yamlnode.Scalar(key, v, sink)
		case "date":
			a.Date = readDay(key, v, loc, sink)
		case "recorded_by":
			a.RecordedBy, _ = yamlnode.Scalar(key, v, sink)
		case "recorded_at":
			a.RecordedAt = readTime(key, v, loc, sink)
		}
	})
	for _, key := range []string{"kind", "level", "by", "date"} {
		if !seen[key] {
			sink.Errorf(m.Line, "adoption: %s is missing", key)
		}
	}
	return a
}

var requestKeys = []string{"bureau", "topic", "due", "issued", "by"}

func parseRequest(p string, src []byte, loc *time.Location) (*Request, []diag.Problem) {
	sink := &diag.Sink{Path: p}
	root, ok := yamlnode.Mapping(src, 1, sink)
	if !ok {
		return nil, sink.Problems
	}
	r := &Request{Path: p, ID: strings.TrimSuffix(path.Base(p), ".yaml")}
	seen := map[string]bool{}
	yamlnode.Pairs(root, requestKeys, "", diag.Error, sink, func(key string, v *yaml.Node) {
		seen[key] = present(v)
		switch key {
		case "bureau":
			r.Bureau, _ = yamlnode.Scalar(key, v, sink)
		case "topic":
			r.Topic, _ = yamlnode.Scalar(key, v, sink)
		case "due":
			r.Due = readDay(key, v, loc, sink)
		case "issued":
			r.Issued = readDay(key, v, loc, sink)
		case "by":
			r.By, _ = yamlnode.Scalar(key, v, sink)
		}
	})
	for _, key := range []string{"bureau", "topic", "due", "issued"} {
		if !seen[key] {
			sink.Errorf(1, "%s is missing", key)
		}
	}
	if !r.Issued.IsZero() && fmt.Sprint(r.Issued.Year()) != r.ID[:4] {
		sink.Errorf(1, "issued in %d, but numbered in %s; a request's number begins with the year it was issued", r.Issued.Year(), r.ID[:4])
	}
	if sink.Failed() {
		return nil, sink.Problems
	}
	return r, sink.Problems
}

func readTime(key string, v *yaml.Node, loc *time.Location, sink *diag.Sink) time.Time {
	s, ok := yamlnode.Scalar(key, v, sink)
	if !ok {
		return time.Time{}
	}
	for _, layout := range []string{timeLayout, "2006-01-02 15:04", time.RFC3339} {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t.In(loc)
		}
	}
	sink.Errorf(v.Line, "%s %q is not a time such as 2024-03-01 09:30:00", key, s)
	return time.Time{}
}

func readDay(key string, v *yaml.Node, loc *time.Location, sink *diag.Sink) time.Time {
	s, ok := yamlnode.Scalar(key, v, sink)
	if !ok {
		return time.Time{}
	}
	t, err := time.ParseInLocation(time.DateOnly, s, loc)
	if err != nil {
		sink.Errorf(v.Line, "%s %q is not a day such as 2024-03-01", key, s)
	}
	return t
}

// The writing side: records are YAML with a comment at the top saying what
// the file is, for the editor who finds it in the site folder.

type mapping struct{ n yaml.Node }

func newMapping() *mapping { return &mapping{n: yaml.Node{Kind: yaml.MappingNode}} }

func (m *mapping) add(key string, v *yaml.Node) {
	m.n.Content = append(m.n.Content, &yaml.Node{Kind: yaml.ScalarNode, Value: key}, v)
}

// text adds a string, left out when empty.
func (m *mapping) text(key, s string) {
	if s == "" {
		return
	}
	n := &yaml.Node{Kind: yaml.ScalarNode, Tag: "!!str", Value: s}
	if strings.Contains(s, "\n") {
		n.Style = yaml.LiteralStyle
	}
	m.add(key, n)
}

// plain adds a value YAML reads as a string anyway (times, days, words).
func (m *mapping) plain(key, s string) {
	if s != "" {
		m.add(key, &yaml.Node{Kind: yaml.ScalarNode, Value: s})
	}
}

func (m *mapping) moment(key string, t time.Time) {
	if !t.IsZero() {
		m.plain(key, t.Format(timeLayout))
	}
}

func (m *mapping) day(key string, t time.Time) {
	if !t.IsZero() {
		m.plain(key, t.Format(time.DateOnly))
	}
}

func encode(head string, m *mapping) ([]byte, error) {
	var buf bytes.Buffer
	buf.WriteString(head)
	enc := yaml.NewEncoder(&buf)
	enc.SetIndent(2)
	if err := enc.Encode(&m.n); err != nil {
		return nil, err
	}
	if err := enc.Close(); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

func (t *Thread) marshal() ([]byte, error) {
	m := newMapping()
	m.text("bureau", t.Bureau)
	m.text("title", t.Title)
	m.plain("request", t.Request)
	m.text("bulletin", t.Bulletin)
	m.text("original", t.Original)
	if len(t.Submissions) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, s := range t.Submissions {
			e := newMapping()
			e.moment("received", s.Received)
			e.text("file", s.File)
			e.text("kept", s.Kept)
			e.plain("decision", s.Decision)
			e.text("by", s.By)
			e.moment("at", s.At)
			e.text("reason", s.Reason)
			seq.Content = append(seq.Content, &e.n)
		}
		m.add("submissions", seq)
	}
	if len(t.Adoptions) > 0 {
		seq := &yaml.Node{Kind: yaml.SequenceNode}
		for _, a := range t.Adoptions {
			e := newMapping()
			kind := "publication"
			if a.Instruction {
				kind = "instruction"
			}
			e.plain("kind", kind)
			e.plain("level", string(a.Level))
			e.text("by", a.By)
			e.text("issue", a.Issue)
			e.text("text", a.Text)
			e.day("date", a.Date)
			e.text("recorded_by", a.RecordedBy)
			e.moment("recorded_at", a.RecordedAt)
			seq.Content = append(seq.Content, &e.n)
		}
		m.add("adoptions", seq)
	}
	head := "# 报送信息记录：" + oneLine(t.Title) + "\n# 由 bulletin review / adopt 写入；每次报送、审核决定和上级采用各占一项。\n"
	return encode(head, m)
}

func (r *Request) marshal() ([]byte, error) {
	m := newMapping()
	m.text("bureau", r.Bureau)
	m.text("topic", r.Topic)
	m.day("due", r.Due)
	m.day("issued", r.Issued)
	m.text("by", r.By)
	head := "# 约稿 " + r.ID + "：" + oneLine(r.Topic) + "\n# 由 bulletin request 写入；报送时在 request 中写明此编号即为应约稿件。\n"
	return encode(head, m)
}

func oneLine(s string) string { return strings.Join(strings.Fields(s), " ") }

// requestInTextRE finds a request's number in what a report writes of it.
var requestInTextRE = regexp.MustCompile(`\d{4}-\d{3,}`)

// present reports whether a key's value says anything: a key written with
// no value (by:) is as missing as one left out, and a record written back
// leaves it out.
func present(v *yaml.Node) bool {
	return v.Kind != yaml.ScalarNode || v.Tag != "!!null" && strings.TrimSpace(v.Value) != ""
}
