package notice

import (
	"bytes"
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/digest"
	"bulletin/internal/stats"
)

// Theme files of the print HTML: the notice's template and stylesheet,
// and the digest's stylesheet, whose masthead, page and closing block the
// notice shares.
const (
	themeTemplate  = "notice/notice.html"
	themeCSS       = "notice/notice.css"
	themeDigestCSS = "digest/print.css"
)

// printer renders the print HTML of notices with one theme.
type printer struct {
	tmpl *template.Template
	css  template.CSS
}

func newPrinter(theme fs.FS) (*printer, error) {
	src, err := fs.ReadFile(theme, themeTemplate)
	if err != nil {
		return nil, diag.Errorf("theme: %w", err)
	}
	var css []byte
	for _, name := range []string{themeDigestCSS, themeCSS} {
		data, err := fs.ReadFile(theme, name)
		if err != nil {
			return nil, diag.Errorf("theme: %w", err)
		}
		css = append(css, data...)
		if !bytes.HasSuffix(css, []byte("\n")) {
			css = append(css, '\n')
		}
	}
	t, err := template.New("notice").Funcs(template.FuncMap{
		"date": digest.Date,
		"iso":  func(t time.Time) string { return t.Format(time.DateOnly) },
	}).Parse(string(src))
	if err != nil {
		return nil, diag.Errorf("theme: %s: %w", themeTemplate, err)
	}
	// The stylesheets are the theme's own files, inlined so that the
	// notice is one standalone file.
	return &printer{tmpl: t, css: template.CSS(css)}, nil
}

// view is what the print template receives.
type view struct {
	*Notice
	CSS       template.CSS
	TitleSize string // the masthead's font size, smaller for long titles
	Closing   []digest.DistLine
	Web       *webLinks
}

// webLinks lead from a notice in the site's archive back to the site,
// whose footer it carries.
type webLinks struct {
	Home, Archive string
	SiteTitle     string
	Footer        template.HTML
	Meta          template.HTML // the site theme's meta tags
}

// html renders the notice; web is nil for the standalone file and holds
// the links of the copy published with the site.
func (p *printer) html(n *Notice, web *webLinks) ([]byte, error) {
	v := view{Notice: n, CSS: p.css, TitleSize: digest.TitleSize(n.Title), Web: web,
		Closing: digest.Distribution(n.Config.Digest)}
	var buf bytes.Buffer
	if err := p.tmpl.Execute(&buf, v); err != nil {
		return nil, diag.Errorf("rendering %s: %w", n.Name(), err)
	}
	return buf.Bytes(), nil
}

// text renders the notice as plain text in the layout of the printed one,
// for pasting into a word processor or a messaging app: each paragraph on
// its own line, a blank line between parts, and the ranking as a table
// aligned for a monospaced font in which Chinese characters take two
// columns.
func text(n *Notice) []byte {
	var b strings.Builder
	d := n.Config.Digest
	fmt.Fprintf(&b, "%s\n%s\n%s　%s\n\n%s\n\n%s\n", n.Title, n.Label(), d.Publisher, digest.Date(n.SignedOff), n.Heading, n.Opening)

	b.WriteString("\n" + n.Ranking.Heading + "\n\n")
	table := [][]string{columns, nil}
	for _, r := range n.Ranking.Rows {
		table = append(table, r.cells())
	}
	table = append(table, nil, n.Ranking.Total.cells())
	b.WriteString(stats.Table(table, 1)) // the bureau; the rank and figures are numbers
	b.WriteString(n.Ranking.Legend + "\n")
	if n.Ranking.Silent != "" {
		b.WriteString(n.Ranking.Silent + "\n")
	}

	if h := n.Higher; h != nil {
		b.WriteString("\n" + h.Heading + "\n")
		for _, l := range []struct {
			heading string
			entries []Entry
		}{{h.AdoptionsHeading, h.Adoptions}, {h.InstructionsHeading, h.Instructions}} {
			if len(l.entries) == 0 {
				continue
			}
			if l.heading != "" {
				b.WriteString(l.heading + "\n")
			}
			for i, e := range l.entries {
				fmt.Fprintf(&b, "%d. %s\n", i+1, e)
			}
		}
	}
	if a := n.Asked; a != nil {
		b.WriteString("\n" + a.Heading + "\n" + a.Summary + "\n")
		for i, s := range a.Overdue {
			fmt.Fprintf(&b, "%d. %s\n", i+1, s)
		}
	}
	if len(n.Note) > 0 {
		b.WriteString("\n")
		for _, p := range n.Note {
			b.WriteString(p + "\n")
		}
	}
	b.WriteString("\n" + n.Scoring + "\n")

	closing := digest.Distribution(d)
	if len(closing) > 0 || d.Copies > 0 {
		b.WriteString("\n")
		for _, l := range closing {
			b.WriteString(l.Label + "：" + l.Names + "\n")
		}
		if d.Copies > 0 {
			fmt.Fprintf(&b, "（共印%d份）\n", d.Copies)
		}
	}
	return []byte(b.String())
}

// cells are the row's cells in the order of columns.
func (r Row) cells() []string { return append([]string{r.Rank, r.Bureau}, r.Figures...) }

// markdown renders the notice as Markdown, for editing further: the
// ranking as a table (GitHub's pipe tables), the lists numbered.
func markdown(n *Notice) []byte {
	var b strings.Builder
	esc := digest.EscapeMarkdown
	d := n.Config.Digest
	fmt.Fprintf(&b, "# %s\n\n%s\n\n%s　%s\n\n---\n\n## %s\n\n%s\n", esc(n.Title), esc(n.Label()), esc(d.Publisher), digest.Date(n.SignedOff), esc(n.Heading), esc(n.Opening))

	b.WriteString("\n### " + esc(n.Ranking.Heading) + "\n\n")
	mdRow := func(cells []string, bold bool) {
		for j, c := range cells {
			c = esc(c)
			if bold && j == 1 {
				c = "**" + c + "**"
			}
			b.WriteString("| " + c + " ")
		}
		b.WriteString("|\n")
	}
	mdRow(columns, false)
	for j := range columns {
		if j == 1 {
			b.WriteString("| --- ")
		} else {
			b.WriteString("| ---: ")
		}
	}
	b.WriteString("|\n")
	for _, r := range n.Ranking.Rows {
		mdRow(r.cells(), false)
	}
	mdRow(n.Ranking.Total.cells(), true)
	b.WriteString("\n" + esc(n.Ranking.Legend) + "\n")
	if n.Ranking.Silent != "" {
		b.WriteString("\n" + esc(n.Ranking.Silent) + "\n")
	}

	if h := n.Higher; h != nil {
		b.WriteString("\n### " + esc(h.Heading) + "\n")
		for _, l := range []struct {
			heading string
			entries []Entry
		}{{h.AdoptionsHeading, h.Adoptions}, {h.InstructionsHeading, h.Instructions}} {
			if len(l.entries) == 0 {
				continue
			}
			if l.heading != "" {
				b.WriteString("\n#### " + esc(l.heading) + "\n")
			}
			b.WriteString("\n")
			for i, e := range l.entries {
				fmt.Fprintf(&b, "%d. %s\n", i+1, esc(e.String()))
			}
		}
	}
	if a := n.Asked; a != nil {
		b.WriteString("\n### " + esc(a.Heading) + "\n\n" + esc(a.Summary) + "\n")
		if len(a.Overdue) > 0 {
			b.WriteString("\n")
		}
		for i, s := range a.Overdue {
			fmt.Fprintf(&b, "%d. %s\n", i+1, esc(s))
		}
	}
	for _, p := range n.Note {
		b.WriteString("\n" + esc(p) + "\n")
	}
	b.WriteString("\n" + esc(n.Scoring) + "\n")

	closing := digest.Distribution(d)
	if len(closing) > 0 || d.Copies > 0 {
		b.WriteString("\n---\n\n")
		for _, l := range closing {
			b.WriteString(l.Label + "：" + esc(l.Names) + "\n\n")
		}
		if d.Copies > 0 {
			fmt.Fprintf(&b, "（共印%d份）\n", d.Copies)
		}
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}
