package audit

import (
	"encoding/json"
	"html/template"
	"io"
	"strconv"
	"strings"

	"bulletin/internal/diag"
)

// MaxListed is how many findings of one check the text and HTML reports
// list; JSON lists them all.
const MaxListed = 20

// where is a finding's location as an editor opens it.
func (f Finding) where() string {
	at := f.Path
	if at != "" && f.Line > 0 {
		at += ":" + strconv.Itoa(f.Line)
	}
	if at == "" {
		at = f.Page
		if f.Line > 0 {
			at += " :" + strconv.Itoa(f.Line)
		}
	}
	return at
}

// Summary is the report in one line, for build -audit.
func (r *Report) Summary(l diag.Localizer) string {
	failed := r.Failed()
	if len(failed) == 0 {
		return l.Sprintf("%v", message("audit: every veto item passes; deductions and accessibility findings: %d", r.Problems()))
	}
	var names []string
	for _, c := range failed {
		names = append(names, l.Sprintf("%v", c.Title))
	}
	return l.Sprintf("%v", message("audit: veto items failing: %d (%s); deductions and accessibility findings: %d", len(failed), diag.List(names), r.Problems()))
}

// WriteText writes the report for an editor to read top to bottom: the
// veto items first, each with what to fix.
func (r *Report) WriteText(w io.Writer, l diag.Localizer) error {
	var b strings.Builder
	b.WriteString(l.Sprintf("%v", message("Website inspection self-check, as of %s\n", r.Now.Format("2006-01-02 15:04"))))
	section := func(title string, checks []*Check) {
		b.WriteString("\n" + title + "\n")
		for _, c := range checks {
			mark := "✓"
			if !c.Pass {
				mark = "✗"
			}
			b.WriteString(l.Sprintf("%v", message("%s %v: %v\n", mark, c.Title, c.Summary)))
			for i, f := range c.Findings {
				if i == MaxListed {
					b.WriteString("    " + l.Sprintf("%v", message("… and %d more (-format json lists them all)", len(c.Findings)-MaxListed)) + "\n")
					break
				}
				warn := ""
				if f.Warn {
					warn = l.Sprintf("%v", message("note: "))
				}
				at := f.where()
				if f.Path != "" && f.Page != "" {
					at += " (" + f.Page + ")"
				}
				if at == "" {
					b.WriteString(l.Sprintf("%v", message("    %s%v\n", warn, f.Msg)))
				} else {
					b.WriteString(l.Sprintf("%v", message("    %s: %s%v\n", at, warn, f.Msg)))
				}
			}
		}
	}
	section(l.Sprintf("%v", message("Veto items (any one failing fails the site)")), r.Vetoes)
	section(l.Sprintf("%v", message("Deductions")), r.Deductions)
	section(l.Sprintf("%v", message("Accessibility")), r.Access)
	b.WriteString("\n" + r.Summary(l) + "\n")
	_, err := io.WriteString(w, b.String())
	return err
}

// The JSON report, for tools (add fields, never rename).
type (
	jsonReport struct {
		Now        string      `json:"now"`
		Pass       bool        `json:"pass"`
		Vetoes     []jsonCheck `json:"vetoes"`
		Deductions []jsonCheck `json:"deductions"`
		Access     []jsonCheck `json:"accessibility"`
	}
	jsonCheck struct {
		ID       string        `json:"id"`
		Title    string        `json:"title"`
		Veto     bool          `json:"veto"`
		Pass     bool          `json:"pass"`
		Summary  string        `json:"summary"`
		Count    int           `json:"count"`
		Findings []jsonFinding `json:"findings"`
	}
	jsonFinding struct {
		Path    string `json:"path,omitempty"`
		Line    int    `json:"line,omitempty"`
		Page    string `json:"page,omitempty"`
		Message string `json:"message"`
		Warning bool   `json:"warning,omitempty"`
	}
)

// WriteJSON writes the report for tools; the messages are in English.
func (r *Report) WriteJSON(w io.Writer) error {
	checks := func(cs []*Check) []jsonCheck {
		out := []jsonCheck{}
		for _, c := range cs {
			j := jsonCheck{ID: c.ID, Title: c.Title.Error(), Veto: c.Veto, Pass: c.Pass, Summary: c.Summary.Error(), Count: c.Count, Findings: []jsonFinding{}}
			for _, f := range c.Findings {
				j.Findings = append(j.Findings, jsonFinding{f.Path, f.Line, f.Page, f.Msg.Error(), f.Warn})
			}
			out = append(out, j)
		}
		return out
	}
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(jsonReport{Now: r.Now.Format("2006-01-02T15:04:05Z07:00"), Pass: len(r.Failed()) == 0,
		Vetoes: checks(r.Vetoes), Deductions: checks(r.Deductions), Access: checks(r.Access)})
}

// WriteHTML writes a standalone page of the report, to keep or send: no
// script, its style inline, nothing fetched.
func (r *Report) WriteHTML(w io.Writer, l diag.Localizer, lang string) error {
	type row struct {
		Where, Page, Msg string
		Warn             bool
	}
	type check struct {
		Mark, Title, Summary string
		Pass                 bool
		Rows                 []row
		More                 string
	}
	type section struct {
		Title  string
		Checks []check
	}
	conv := func(cs []*Check) []check {
		var out []check
		for _, c := range cs {
			k := check{Title: l.Sprintf("%v", c.Title), Summary: l.Sprintf("%v", c.Summary), Pass: c.Pass, Mark: "✓"}
			if !c.Pass {
				k.Mark = "✗"
			}
			for i, f := range c.Findings {
				if i == MaxListed {
					k.More = l.Sprintf("%v", message("… and %d more (-format json lists them all)", len(c.Findings)-MaxListed))
					break
				}
				page := ""
				if f.Path != "" {
					page = f.Page
				}
				k.Rows = append(k.Rows, row{f.where(), page, l.Sprintf("%v", f.Msg), f.Warn})
			}
			out = append(out, k)
		}
		return out
	}
	data := struct {
		Lang, Title, Summary string
		Pass                 bool
		Sections             []section
	}{
		Lang:    lang,
		Title:   l.Sprintf("%v", message("Website inspection self-check, as of %s", r.Now.Format("2006-01-02 15:04"))),
		Summary: r.Summary(l),
		Pass:    len(r.Failed()) == 0,
		Sections: []section{
			{l.Sprintf("%v", message("Veto items (any one failing fails the site)")), conv(r.Vetoes)},
			{l.Sprintf("%v", message("Deductions")), conv(r.Deductions)},
			{l.Sprintf("%v", message("Accessibility")), conv(r.Access)},
		},
	}
	return reportPage.Execute(w, data)
}

var reportPage = template.Must(template.New("audit").Parse(`<!DOCTYPE html>
<html lang="{{.Lang}}">
<head>
<meta charset="utf-8">
<meta name="viewport" content="width=device-width, initial-scale=1">
<title>{{.Title}}</title>
<style>
body{font:16px/1.6 system-ui,"PingFang SC","Microsoft YaHei","Noto Sans CJK SC",sans-serif;max-width:60rem;margin:2rem auto;padding:0 1rem;color:#1a1a1a}
h1{font-size:1.5rem}h2{font-size:1.25rem;margin-top:2rem;border-bottom:2px solid #1a1a1a}
.verdict{padding:.75rem 1rem;border-left:6px solid #0a7a2f;background:#eef8f1}.verdict.fail{border-color:#b3261e;background:#fdeeee}
h3{font-size:1rem;margin:1.25rem 0 .25rem}.fail h3 .mark{color:#b3261e}.pass h3 .mark{color:#0a7a2f}
table{border-collapse:collapse;width:100%;font-size:.9rem}th,td{text-align:left;vertical-align:top;padding:.25rem .5rem;border-bottom:1px solid #ccc}
td.where{font-family:ui-monospace,Consolas,monospace;word-break:break-all;width:40%}.warn{color:#5a4a00}
@media print{body{margin:0}}
</style>
</head>
<body>
<h1>{{.Title}}</h1>
<p class="verdict{{if not .Pass}} fail{{end}}">{{.Summary}}</p>
{{range .Sections}}<h2>{{.Title}}</h2>
{{range .Checks}}<section class="{{if .Pass}}pass{{else}}fail{{end}}">
<h3><span class="mark" aria-hidden="true">{{.Mark}}</span> {{.Title}}</h3>
<p>{{.Summary}}</p>
{{if .Rows}}<table>
{{range .Rows}}<tr{{if .Warn}} class="warn"{{end}}><td class="where">{{.Where}}{{with .Page}}<br>{{.}}{{end}}</td><td>{{.Msg}}</td></tr>
{{end}}</table>{{end}}
{{with .More}}<p>{{.}}</p>{{end}}
</section>
{{end}}{{end}}
</body>
</html>
`))
