package digest

import (
	"bytes"
	"cmp"
	"fmt"
	"html/template"
	"io/fs"
	"strings"
	"time"
	"unicode/utf8"

	"bulletin/internal/diag"
	"bulletin/internal/site"
	"bulletin/internal/wordbreak"
)

// Theme files of the print HTML.
const (
	themeTemplate = "digest/issue.html"
	themeCSS      = "digest/print.css"
)

// printer renders the print HTML of issues with one theme.
type printer struct {
	tmpl *template.Template
	css  template.CSS
	// pageBreak is where a new page starts: PageBreakItem, PageBreakGroup
	// or "" for wherever the text runs out.
	pageBreak string
}

// Where an issue may start new pages, beside where its text runs out.
const (
	PageBreakNone  = "none"  // the items flow on, the default
	PageBreakItem  = "item"  // every item on a new page
	PageBreakGroup = "group" // every group heading (一、二、…) on a new page
)

func newPrinter(theme fs.FS) (*printer, error) {
	src, err := fs.ReadFile(theme, themeTemplate)
	if err != nil {
		return nil, diag.Errorf("theme: %w", err)
	}
	css, err := fs.ReadFile(theme, themeCSS)
	if err != nil {
		return nil, diag.Errorf("theme: %w", err)
	}
	t, err := template.New("issue").Funcs(template.FuncMap{
		"date": Date,
		"iso":  func(t time.Time) string { return t.Format(time.DateOnly) },
	}).Parse(string(src))
	if err != nil {
		return nil, diag.Errorf("theme: %s: %w", themeTemplate, err)
	}
	// The stylesheet is the theme's own file, inlined so that the issue
	// is one standalone file.
	return &printer{tmpl: t, css: template.CSS(css)}, nil
}

// view is what the print template receives.
type view struct {
	*Issue
	CSS       template.CSS
	TitleSize string // the masthead's font size, smaller for long titles
	Groups    []viewGroup
	Contents  bool // print a table of contents (more than one item)
	Closing   []DistLine
	Web       *webLinks
	PageBreak string // PageBreakItem, PageBreakGroup or ""
}

type viewGroup struct {
	Heading string
	Items   []viewItem
}

type viewItem struct {
	ID          string        // the item's anchor, item-1
	Title       template.HTML // escaped, with <wbr> between its words
	URL         string        // the bulletin's page, in the site archive only
	Body        template.HTML
	Attribution string // "" when the body holds it
	Missing     bool
}

// webLinks lead from an issue in the site archive back to the site, whose
// footer it carries.
type webLinks struct {
	Home, Archive string
	SiteTitle     string
	Footer        template.HTML
	Meta          template.HTML // the site theme's meta tags
}

// html renders the issue. Sources, when not nil, is the site folder, from
// which images are embedded. The warnings name the images left out of the
// standalone file.
func (p *printer) html(is *Issue, sources fs.FS, web *webLinks) ([]byte, diag.Problems, error) {
	l := links{base: is.Config.Base, web: web != nil, sources: sources}
	v := view{Issue: is, CSS: p.css + pageGrid(is.Config.Digest), TitleSize: TitleSize(is.Config.Digest.Title), Web: web,
		Contents: len(is.Items) > 1, Closing: Distribution(is.Config.Digest)}
	if web == nil && p.pageBreak != PageBreakNone {
		v.PageBreak = p.pageBreak // pages are the print copy's alone
	}
	// Item titles are h2, or h3 under group headings; a body's own
	// headings go below them.
	shift := 1
	if is.Group != "" {
		shift = 2
	}
	// Titles break between words, never inside one (see wordbreak).
	words := wordbreak.New(is.Config.Names()...)
	n := 0
	var warnings diag.Problems
	for _, g := range is.Groups() {
		vg := viewGroup{Heading: g.Heading}
		for _, it := range g.Items {
			n++
			vi := viewItem{ID: fmt.Sprintf("item-%d", n), Title: words.HTML(it.Title), Missing: it.Missing()}
			if !it.Missing() {
				body, omitted := l.rewriteBody(it.Body, it.Bulletin, vi.ID+"-", shift)
				vi.Body = template.HTML(body)
				for _, src := range omitted {
					warnings = append(warnings, diag.At(it.Bulletin.Source, l.sourceLine(it.Bulletin, src), diag.Warning,
						"image %s is left out of the issue, which fetches nothing from the network; put the image file beside the bulletin to print it", src))
				}
				if !it.BodyAttributed {
					vi.Attribution = it.Attribution
				}
				if web != nil {
					vi.URL = l.site(it.Bulletin.URL)
				}
			}
			vg.Items = append(vg.Items, vi)
		}
		v.Groups = append(v.Groups, vg)
	}
	var buf bytes.Buffer
	if err := p.tmpl.Execute(&buf, v); err != nil {
		return nil, nil, diag.Errorf("rendering %s: %w", is.Name(), err)
	}
	return buf.Bytes(), warnings, nil
}

// pageGrid sets the page grid site.yaml asks for, after the theme's
// stylesheet, which lays out the default 22 lines of 28 characters from
// --lines and --chars.
func pageGrid(d site.DigestSettings) template.CSS {
	if (d.Lines == 0 || d.Lines == site.DefaultLines) && (d.Chars == 0 || d.Chars == site.DefaultChars) {
		return ""
	}
	lines, chars := cmp.Or(d.Lines, site.DefaultLines), cmp.Or(d.Chars, site.DefaultChars)
	return template.CSS(fmt.Sprintf("\n/* digest.lines and digest.chars in site.yaml */\n:root { --lines: %d; --chars: %d; }\n", lines, chars))
}

// TitleSize fits a publication's name on one line of the 156 mm text
// block (442 pt): 42 pt (初号) for a short name, smaller for a long one.
// Every red masthead (the digest's, the notice's) is sized by it.
func TitleSize(title string) string {
	n := max(utf8.RuneCountInString(title), 1)
	size := min(42, 442*10/(n*11)) // letter-spacing is 0.1em
	return fmt.Sprintf("%dpt", size)
}

// DistLine is one line of the closing block: 报：民政部办公厅。
type DistLine struct {
	Label string // 报, 送 or 发
	Names string // 省委办公厅、省政府办公厅。
}

// Distribution lists the closing block's lines that site.yaml's digest
// section fills in; the office's other printed documents close with the
// same block.
func Distribution(d site.DigestSettings) []DistLine {
	var out []DistLine
	for _, l := range []DistLine{{"报", strings.Join(d.Report, "、")}, {"送", strings.Join(d.Send, "、")}, {"发", strings.Join(d.Issue, "、")}} {
		if l.Names != "" {
			l.Names += "。"
			out = append(out, l)
		}
	}
	return out
}

// text renders the issue as plain text in the layout of a printed
// compilation, for pasting into a word processor or a messaging app: each
// paragraph on its own line, a blank line between parts.
func text(is *Issue) []byte {
	var b strings.Builder
	d := is.Config.Digest
	if d.Marking != "" {
		b.WriteString(d.Marking + "\n\n")
	}
	fmt.Fprintf(&b, "%s\n%s\n%s　%s\n", d.Title, is.Label(), d.Publisher, Date(is.SignedOff))
	groups := is.Groups()
	if len(is.Items) > 1 {
		b.WriteString("\n本期目录\n")
		for _, g := range groups {
			if g.Heading != "" {
				b.WriteString(g.Heading + "\n")
			}
			for _, it := range g.Items {
				b.WriteString(it.Title + "\n")
			}
		}
	}
	for i, p := range is.Note {
		if i == 0 {
			b.WriteString("\n编者按：")
		}
		b.WriteString(p + "\n")
	}
	for _, g := range groups {
		if g.Heading != "" {
			b.WriteString("\n" + g.Heading + "\n")
		}
		for _, it := range g.Items {
			b.WriteString("\n" + it.Title + "\n\n")
			if it.Missing() {
				b.WriteString(missingText + "\n")
				continue
			}
			for _, p := range it.Paragraphs {
				b.WriteString(p + "\n")
			}
			b.WriteString(it.Attribution + "\n")
		}
	}
	closing := Distribution(d)
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

// missingText stands in for an item whose bulletin is no longer published.
const missingText = "（本条信息已不在本网站发布。）"

// markdown renders the issue as Markdown, for editing further.
func markdown(is *Issue) []byte {
	var b strings.Builder
	d := is.Config.Digest
	if d.Marking != "" {
		b.WriteString(EscapeMarkdown(d.Marking) + "\n\n")
	}
	fmt.Fprintf(&b, "# %s\n\n%s\n\n%s　%s\n\n---\n", EscapeMarkdown(d.Title), EscapeMarkdown(is.Label()), EscapeMarkdown(d.Publisher), Date(is.SignedOff))
	groups := is.Groups()
	grouped := is.Group != ""
	if len(is.Items) > 1 {
		b.WriteString("\n## 本期目录\n\n")
		for _, g := range groups {
			indent := ""
			if grouped {
				b.WriteString("- " + EscapeMarkdown(g.Heading) + "\n")
				indent = "  "
			}
			for _, it := range g.Items {
				b.WriteString(indent + "- " + EscapeMarkdown(it.Title) + "\n")
			}
		}
	}
	for i, p := range is.Note {
		b.WriteString("\n")
		if i == 0 {
			b.WriteString("**编者按：**")
		}
		b.WriteString(EscapeMarkdown(p) + "\n")
	}
	itemLevel := "##"
	if grouped {
		itemLevel = "###"
	}
	for _, g := range groups {
		if g.Heading != "" {
			b.WriteString("\n## " + EscapeMarkdown(g.Heading) + "\n")
		}
		for _, it := range g.Items {
			b.WriteString("\n" + itemLevel + " " + EscapeMarkdown(it.Title) + "\n\n")
			if it.Missing() {
				b.WriteString(missingText + "\n")
				continue
			}
			for _, p := range it.Paragraphs {
				b.WriteString(EscapeMarkdown(p) + "\n\n")
			}
			b.WriteString(EscapeMarkdown(it.Attribution) + "\n")
		}
	}
	closing := Distribution(d)
	if len(closing) > 0 || d.Copies > 0 {
		b.WriteString("\n---\n\n")
		for _, l := range closing {
			b.WriteString(l.Label + "：" + EscapeMarkdown(l.Names) + "\n\n")
		}
		if d.Copies > 0 {
			fmt.Fprintf(&b, "（共印%d份）\n", d.Copies)
		}
	}
	return []byte(strings.TrimRight(b.String(), "\n") + "\n")
}

// EscapeMarkdown keeps text literal in Markdown: ASCII punctuation that could
// start markup is escaped, and so is what would open a block at the start
// of a line (# heading, - item, 1. item, > quote).
func EscapeMarkdown(s string) string {
	var b strings.Builder
	for i, r := range s {
		switch r {
		case '\\', '`', '*', '_', '[', ']', '<', '>', '|', '~', '!', '&':
			b.WriteByte('\\')
		case '#', '-', '+', '=':
			if i == 0 {
				b.WriteByte('\\')
			}
		case '.', ')':
			if i > 0 && isDigits(s[:i]) {
				b.WriteByte('\\')
			}
		}
		b.WriteRune(r)
	}
	return b.String()
}

func isDigits(s string) bool {
	for _, r := range s {
		if r < '0' || r > '9' {
			return false
		}
	}
	return s != ""
}
