package main

import (
	"context"
	"encoding/json"
	"fmt"
	"io"
	"os"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/docx"
	"bulletin/internal/i18n"
	"bulletin/internal/reporting"
	"bulletin/internal/site"
	"bulletin/internal/stats"
)

// cmdUsagef prints a usage mistake of the command name in the person's
// language and returns errUsage.
func (e *env) cmdUsagef(name, format string, args ...any) error {
	e.printf("bulletin %s: %s\n", name, e.p.Sprintf(format, args...))
	return errUsage
}

// desk is what the reporting commands share: the site's configuration
// and records, and the moment they act at.
type desk struct {
	dir  string
	cfg  *site.Config
	book *reporting.Book
	now  time.Time
}

// openDesk reads site.yaml and the records under reports/, printing their
// problems; -now, when given, is the moment of the decisions.
func openDesk(e *env, sf *siteFlags) (*desk, error) {
	fsys := os.DirFS(sf.dir)
	cfg, err := site.ReadConfig(fsys)
	if err != nil {
		return nil, problemsExit(e, sf.dir, err)
	}
	d := &desk{dir: sf.dir, cfg: cfg, now: time.Now().In(cfg.Location)}
	if sf.now != "" {
		t, err := parseNow(sf.now, cfg.Location)
		if err != nil {
			return nil, err
		}
		d.now = t.In(cfg.Location)
	}
	d.book, err = reporting.ReadBook(fsys, cfg.Location)
	if err != nil {
		return nil, problemsExit(e, sf.dir, err)
	}
	return d, nil
}

// scan reads the inbox.
func (d *desk) scan(ctx context.Context) ([]*reporting.Item, error) {
	return reporting.Scan(ctx, reporting.ScanOptions{Dir: d.dir, Config: d.cfg, Book: d.book, Now: d.now, Soffice: docx.Soffice()})
}

func runInbox(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "inbox", `bulletin inbox lists the reports (信息) that bureaus sent and that wait for review in the
site's inbox folder (inbox/, or reporting.inbox in site.yaml): for each, its file, bureau,
title, when it arrived, its size, the request (约稿) it answers, whether it revises a report
sent back earlier, and what bulletin check finds in the bulletin it would become. Reports
may be Word files (.docx; .doc and .wps when LibreOffice is installed) or Markdown, in the
inbox itself or in a folder per bureau. Then it lists the requests that are open or overdue.
Decide on each report with bulletin review.`,
		"  bulletin inbox\n  bulletin inbox -format json > inbox.json")
	var sf siteFlags
	sf.registerSite(fs)
	format := fs.String("format", "text", "output `format`: text or json")
	fs.StringVar(&sf.now, "now", "", "list as if it were `TIME` (YYYY-MM-DD, YYYY-MM-DD HH:MM or RFC 3339): which requests are overdue")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	if *format != "text" && *format != "json" {
		return e.cmdUsagef("inbox", "-format must be text or json, not %q", *format)
	}
	if fs.NArg() > 0 {
		return e.cmdUsagef("inbox", "unexpected argument %q", fs.Arg(0))
	}
	d, err := openDesk(e, &sf)
	if err != nil {
		return err
	}
	items, err := d.scan(ctx)
	if err != nil {
		return err
	}
	var requests []reporting.RequestState
	for _, r := range reporting.RequestStates(d.book, items, d.now) {
		if r.Status == "open" || r.Status == "missed" {
			requests = append(requests, r)
		}
	}
	if *format == "json" {
		return writeInboxJSON(e.stdout, d, items, requests)
	}
	writeInboxText(e, d, items, requests, sf.quiet)
	return nil
}

// writeInboxText lists the items and requests on e's stdout in the
// person's language.
func writeInboxText(e *env, d *desk, items []*reporting.Item, requests []reporting.RequestState, quiet bool) {
	if len(items) == 0 && !quiet {
		e.outf("%s/ is empty: no report waits for review\n", d.cfg.Reporting.Inbox)
	}
	// The labels are aligned by the widest, as a terminal shows them.
	labels := []string{e.p.Sprintf("bureau:"), e.p.Sprintf("title:"), e.p.Sprintf("received:"), e.p.Sprintf("size:"),
		e.p.Sprintf("answers:"), e.p.Sprintf("answers?:"), e.p.Sprintf("revises:"), e.p.Sprintf("error:"),
		e.p.Sprintf("warning:"), e.p.Sprintf("check:"), e.p.Sprintf("note:")}
	width := 9
	for _, l := range labels {
		width = max(width, stats.Width(l))
	}
	field := func(label, value string) {
		if value != "" {
			fmt.Fprintf(e.stdout, "    %s%s %s\n", label, strings.Repeat(" ", max(0, width-stats.Width(label))), value)
		}
	}
	bureau, title, received, size, answers, maybe, revises, errLabel, warnLabel, check, note :=
		labels[0], labels[1], labels[2], labels[3], labels[4], labels[5], labels[6], labels[7], labels[8], labels[9], labels[10]
	for _, it := range items {
		fmt.Fprintf(e.stdout, "%s\n", it.File)
		if it.Bureau != "" {
			field(bureau, it.Bureau)
		} else {
			field(bureau, e.p.Sprintf("unknown: put the file in the bureau's folder, or name the bureau in the report"))
		}
		field(title, it.Title)
		field(received, it.Received.Format("2006-01-02 15:04"))
		field(size, e.p.Sprintf("%v", reporting.SizeText(it.Size)))
		field(answers, requestText(e.p, d.book, it.Request))
		if len(it.Maybe) > 0 {
			field(maybe, e.p.Sprintf("%v (confirm with bulletin review accept -request ID)", diag.List(it.Maybe)))
		}
		if it.Thread != nil {
			last := it.Thread.Submissions[len(it.Thread.Submissions)-1]
			field(revises, e.p.Sprintf("%s (%v %s: %s)", it.Thread.Path, decisionWord(last.Decision), last.At.Format("2006-01-02"), last.Reason))
		}
		switch {
		case it.ErrText != nil:
			field(errLabel, e.p.Error(it.ErrText))
		case it.Err != "":
			field(errLabel, it.Err)
		case len(it.Problems) == 0:
			field(check, e.p.Sprintf("no problems"))
		default:
			for _, p := range it.Problems {
				sev := errLabel
				if p.Severity == diag.Warning {
					sev = warnLabel
				}
				if p.Line > 0 {
					field(sev, e.p.Sprintf("line %d: %s", p.Line, problemText(p)))
				} else {
					field(sev, e.p.Sprintf("%v", problemText(p)))
				}
			}
		}
		for _, n := range it.NoteTexts {
			field(note, e.p.Error(n))
		}
	}
	if len(requests) > 0 {
		e.outf("\nRequests (约稿) open or overdue:\n")
		for _, r := range requests {
			e.outf("  %s  %s  %s  due %s  %v\n", r.ID, r.Bureau, r.Topic, r.Due.Format(time.DateOnly), statusText(r.Status))
		}
	}
}

// problemText is a problem's message without its place, to read in the
// person's language.
func problemText(p diag.Problem) any {
	if p.Text != nil {
		return p.Text
	}
	return p.Msg
}

// requestText is the request id, its topic and due day, "" for none.
func requestText(p *i18n.Printer, b *reporting.Book, id string) string {
	if id == "" {
		return ""
	}
	if r := b.Request(id); r != nil {
		return p.Sprintf("%s %s (due %s)", id, r.Topic, r.Due.Format(time.DateOnly))
	}
	return p.Sprintf("%s (no such request)", id)
}

// decisionWord says what a review decided, as a past participle.
func decisionWord(d string) *diag.Message {
	switch d {
	case reporting.Accept:
		return &diag.Message{Format: "accepted"}
	case reporting.Return:
		return &diag.Message{Format: "returned"}
	case reporting.Decline:
		return &diag.Message{Format: "declined"}
	}
	return &diag.Message{}
}

// statusWord is a request's status as the JSON listing gives it.
func statusWord(s string) string {
	return map[string]string{"open": "open", "missed": "overdue", "late": "answered late", "answered": "answered"}[s]
}

// statusText is a request's status for a person to read.
func statusText(s string) *diag.Message {
	switch s {
	case "open":
		return &diag.Message{Format: "open"}
	case "missed":
		return &diag.Message{Format: "overdue"}
	case "late":
		return &diag.Message{Format: "answered late"}
	case "answered":
		return &diag.Message{Format: "answered"}
	}
	return &diag.Message{}
}

type inboxJSON struct {
	Inbox    string             `json:"inbox"`
	Items    []inboxItemJSON    `json:"items"`
	Requests []inboxRequestJSON `json:"requests"`
}

type inboxItemJSON struct {
	File     string        `json:"file"`
	Format   string        `json:"format"`
	Size     int64         `json:"size"`
	Received string        `json:"received"`
	Bureau   string        `json:"bureau"`
	Title    string        `json:"title"`
	Request  string        `json:"request,omitempty"`
	Maybe    []string      `json:"maybe_request,omitempty"`
	Revises  string        `json:"revises,omitempty"`
	Error    string        `json:"error,omitempty"`
	Problems []problemJSON `json:"problems"`
	Notes    []string      `json:"notes,omitempty"`
}

type problemJSON struct {
	Line     int    `json:"line,omitempty"`
	Severity string `json:"severity"`
	Message  string `json:"message"`
}

type inboxRequestJSON struct {
	ID     string `json:"id"`
	Bureau string `json:"bureau"`
	Topic  string `json:"topic"`
	Due    string `json:"due"`
	Status string `json:"status"`
}

func writeInboxJSON(w io.Writer, d *desk, items []*reporting.Item, requests []reporting.RequestState) error {
	out := inboxJSON{Inbox: d.cfg.Reporting.Inbox, Items: []inboxItemJSON{}, Requests: []inboxRequestJSON{}}
	for _, it := range items {
		j := inboxItemJSON{File: it.File, Format: it.Format, Size: it.Size, Received: it.Received.Format(time.RFC3339),
			Bureau: it.Bureau, Title: it.Title, Request: it.Request, Maybe: it.Maybe, Error: it.Err, Notes: it.Notes, Problems: []problemJSON{}}
		if it.Thread != nil {
			j.Revises = it.Thread.Path
		}
		for _, p := range it.Problems {
			sev := "error"
			if p.Severity == diag.Warning {
				sev = "warning"
			}
			j.Problems = append(j.Problems, problemJSON{p.Line, sev, p.Msg})
		}
		out.Items = append(out.Items, j)
	}
	for _, r := range requests {
		out.Requests = append(out.Requests, inboxRequestJSON{r.ID, r.Bureau, r.Topic, r.Due.Format(time.DateOnly), statusWord(r.Status)})
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	return enc.Encode(out)
}
