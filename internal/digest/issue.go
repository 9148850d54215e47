package digest

import (
	"context"
	"strings"

	"golang.org/x/net/html"

	"bulletin/internal/site"
)

// Issue is one compiled briefing, ready to render.
type Issue struct {
	*Record
	Config *site.Config // the site's settings: digest masthead, base URL, zone

	// Note is the record's 按语 split into paragraphs; it shadows
	// Record.Note, the text as recorded.
	Note  []string
	Items []Item
}

// Item is one bulletin as the briefing prints it.
type Item struct {
	// Bulletin is nil when the recorded bulletin is no longer published
	// (only in the site archive of older issues).
	Bulletin *site.Bulletin
	Source   string
	Title    string
	Group    string // the name of its group (region or category), "" when not grouped

	// Paragraphs is the plain text, one block each, without the
	// attribution line.
	Paragraphs []string
	// Body is the bulletin's safe HTML (or its summary), without the
	// attribution line when it could be taken off.
	Body string
	// Attribution is the closing line, （据青海省民政厅） or the body's own.
	Attribution string
	// BodyAttributed is true when the attribution stays inside Body (it was
	// marked up, so it could not be taken off cleanly): the HTML then
	// prints no second one.
	BodyAttributed bool
}

// Missing reports whether the item's bulletin is no longer published.
func (it *Item) Missing() bool { return it.Bulletin == nil }

// Group is a run of items under one numbered heading.
type Group struct {
	Heading string // 一、青海省; "" when the issue is not grouped
	Items   []Item
}

// Groups returns the items under their headings, numbered 一、二、三、 in
// order; an issue that is not grouped is one group without a heading.
func (is *Issue) Groups() []Group {
	if is.Group == "" {
		return []Group{{Items: is.Items}}
	}
	var out []Group
	for i, it := range is.Items {
		if i == 0 || it.Group != is.Items[i-1].Group {
			out = append(out, Group{Heading: Numeral(len(out)+1) + "、" + it.Group})
		}
		out[len(out)-1].Items = append(out[len(out)-1].Items, it)
	}
	return out
}

// compile builds the issue that r records from the bulletins of s. The
// bodies of its bulletins come from s.Content, which a lean site renders
// again; an error is that of rendering one.
func compile(ctx context.Context, s *site.Site, r *Record) (*Issue, error) {
	is := &Issue{Record: r, Config: s.Config}
	for _, line := range strings.Split(r.Note, "\n") {
		if line = strings.TrimSpace(line); line != "" {
			is.Note = append(is.Note, line)
		}
	}
	bySource := make(map[string]*site.Bulletin, len(s.Bulletins))
	for _, b := range s.Bulletins {
		bySource[b.Source] = b
	}
	for i, src := range r.Bulletins {
		b := bySource[src]
		if b == nil {
			title := src
			if i < len(r.Titles) && r.Titles[i] != "" {
				title = r.Titles[i]
			}
			is.Items = append(is.Items, Item{Source: src, Title: title})
			continue
		}
		c, err := s.Content(ctx, b)
		if err != nil {
			return nil, err
		}
		is.Items = append(is.Items, newItem(b, c, r.Summaries, groupOf(b, r.Group)))
	}
	return is, nil
}

// groupOf names the group a bulletin goes under.
func groupOf(b *site.Bulletin, by string) string {
	switch by {
	case "region":
		return b.Region.Name
	case "category":
		if b.Category == nil {
			return "其他"
		}
		return b.Category.Name
	}
	return ""
}

// newItem prepares one bulletin. Its closing line is printed once: when the
// body ends with （据…） or （…供稿）, that line is kept as the bureau wrote
// it and taken off the paragraphs; otherwise （据<bureau>） is added.
func newItem(b *site.Bulletin, c site.Content, summary bool, group string) Item {
	it := Item{Bulletin: b, Source: b.Source, Title: b.Title, Group: group}
	lines := strings.Split(strings.TrimSpace(c.Text), "\n")
	attr, inBody := attributionLine(b, lines[len(lines)-1])
	it.Attribution = attr
	if summary {
		it.Paragraphs = []string{b.Summary}
		it.Body = "<p>" + escapeText(b.Summary) + "</p>\n"
		return it
	}
	if inBody {
		last := strings.TrimSpace(strings.TrimSuffix(lines[len(lines)-1], attr))
		lines = lines[:len(lines)-1]
		if last != "" {
			lines = append(lines, last)
		}
	}
	for _, l := range lines {
		if l = strings.TrimSpace(l); l != "" {
			it.Paragraphs = append(it.Paragraphs, l)
		}
	}
	it.Body = c.Body
	if inBody {
		it.Body, it.BodyAttributed = cutAttribution(c.Body, attr)
	}
	return it
}

// attributionLine returns the closing line of b: the body's own when it has
// one (inBody), else （据<bureau>）. last is the last line of the text.
func attributionLine(b *site.Bulletin, last string) (line string, inBody bool) {
	if b.Attribution != "" {
		// The site recognised （据X） or （X供稿） at the end of the last
		// line, in full-width or ASCII parentheses, and the name cannot
		// hold a parenthesis: it starts at the last opening one.
		i := max(strings.LastIndex(last, "（"), strings.LastIndex(last, "("))
		if i >= 0 && strings.Contains(last[i:], b.Attribution) {
			return strings.TrimSpace(last[i:]), true
		}
	}
	return "（据" + b.Bureau.Name + "）", false
}

// cutAttribution takes the attribution off the end of the body's last
// paragraph, dropping the paragraph when nothing else is in it. When the
// attribution shares the paragraph with other text and is marked up there
// (bold, say), the body is kept whole and attributed reports that it still
// holds it.
func cutAttribution(body, attr string) (out string, attributed bool) {
	// The site marks a closing line that stands alone; here it is taken
	// off and printed apart, so it is read as any last paragraph.
	if i := strings.LastIndex(body, `<p class="attribution">`); i >= 0 {
		body = body[:i] + "<p>" + body[i+len(`<p class="attribution">`):]
	}
	trimmed := strings.TrimRight(body, " \n")
	start := strings.LastIndex(trimmed, "<p>")
	if start < 0 || !strings.HasSuffix(trimmed, "</p>") {
		return body, true
	}
	head, inner := trimmed[:start], trimmed[start+len("<p>"):len(trimmed)-len("</p>")]
	if strings.TrimSpace(textOf(inner)) == attr {
		return strings.TrimRight(head, " \n") + "\n", false
	}
	esc := escapeText(attr)
	if !strings.HasSuffix(inner, esc) {
		return body, true
	}
	return head + "<p>" + strings.TrimSpace(strings.TrimSuffix(inner, esc)) + "</p>\n", false
}

// textOf is the text of an HTML fragment, without its tags.
func textOf(fragment string) string {
	z := html.NewTokenizer(strings.NewReader(fragment))
	var b strings.Builder
	for {
		switch z.Next() {
		case html.ErrorToken:
			return b.String()
		case html.TextToken:
			b.Write(z.Text())
		}
	}
}

// escapeText escapes text as goldmark does in paragraphs, so that the
// body's HTML can be compared with the text.
func escapeText(s string) string {
	return strings.NewReplacer("&", "&amp;", "<", "&lt;", ">", "&gt;", `"`, "&quot;").Replace(s)
}
