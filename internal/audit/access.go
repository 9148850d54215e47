package audit

import (
	"bytes"
	"context"
	"io/fs"
	"path"
	"strings"

	"golang.org/x/net/html"

	"bulletin/internal/diag"
	"bulletin/internal/site"
)

// vagueLinks are link texts that say nothing of where they lead, read
// aloud out of context by a screen reader (GB/T 37668).
var vagueLinks = map[string]bool{"点击这里": true, "点击此处": true, "请点击": true, "点击": true, "这里": true, "此处": true,
	"更多": true, "详情": true, "查看": true, "查看详情": true, "链接": true, "网址": true, "click here": true, "here": true, "more": true, "link": true}

// maxLocated is how many findings of one bulletin are given their own line.
const maxLocated = 50

// accessibility checks the bulletins' bodies for what a screen reader
// cannot make sense of: images without alt text, headings that skip a
// level, links named only 点击这里 or 更多, tables without a header row.
func accessibility(ctx context.Context, s *site.Site, sources fs.FS) ([]*Check, error) {
	alt := &Check{ID: "img-alt", Title: message("Images have alt text")}
	headings := &Check{ID: "headings", Title: message("Headings do not skip a level")}
	names := &Check{ID: "link-names", Title: message("Links say where they lead")}
	tables := &Check{ID: "table-headers", Title: message("Tables have a header row")}
	for _, b := range s.Bulletins {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		c, err := s.Content(ctx, b) // a lean site renders it again
		if err != nil {
			return nil, err
		}
		lines := sourceLines(sources, b.Source)
		// Each finding's line is found by a scan of the file: past a
		// few dozen in one bulletin (a hostile body of images) the rest
		// point at the body, so the work stays linear in its size.
		located := 0
		at := func(key string) int {
			if located++; located > maxLocated {
				return lines.first
			}
			return lines.find(key)
		}
		add := func(c *Check, line int, m *diag.Message) {
			c.Count++
			c.Findings = append(c.Findings, Finding{Path: b.Source, Line: line, Page: b.URL, Msg: m})
		}
		z := html.NewTokenizer(strings.NewReader(c.Body))
		level := 1 // the page's h1 is the title
		var linkText strings.Builder
		var linkHref string
		inLink, inTable, tableHead, inTh := false, false, false, false
		var tableText strings.Builder
		var heading strings.Builder
		headingLevel := 0
		for {
			tt := z.Next()
			if tt == html.ErrorToken {
				break
			}
			name, _ := z.TagName()
			tag := string(name)
			switch tt {
			case html.TextToken:
				t := string(z.Text())
				if inLink {
					linkText.WriteString(t)
				}
				if inTable && tableText.Len() == 0 {
					tableText.WriteString(strings.TrimSpace(t)) // the first cell with text, to find its line
				}
				// A header row of empty cells is no header: GFM needs
				// one, so a table pasted without writes blank ones.
				if inTh && strings.TrimSpace(t) != "" {
					tableHead = true
				}
				if headingLevel > 0 {
					heading.WriteString(t)
				}
			case html.StartTagToken, html.SelfClosingTagToken:
				attrs := attrMap(z)
				switch tag {
				case "img":
					if strings.TrimSpace(attrs["alt"]) == "" {
						// By the name the bureau gave the file, not the
						// one the build gave it on the site.
						name := path.Base(attrs["src"])
						for _, a := range b.Attachments {
							if a.Name == name {
								name = a.Title
							}
						}
						add(alt, at(name), message("the image %s has no alt text: describe it in ![…](…)", name))
					}
				case "h2", "h3", "h4", "h5", "h6":
					headingLevel = int(tag[1] - '0')
					heading.Reset()
				case "a":
					inLink, linkHref = true, attrs["href"]
					linkText.Reset()
				case "table":
					inTable, tableHead = true, false
					tableText.Reset()
				case "th":
					inTh = true
				}
			case html.EndTagToken:
				switch tag {
				case "h2", "h3", "h4", "h5", "h6":
					if headingLevel > level+1 {
						text := strings.TrimSpace(heading.String())
						add(headings, at(text), message("the heading %s is level %d after level %d: use %s", text, headingLevel, level, strings.Repeat("#", level+1)))
					}
					level, headingLevel = headingLevel, 0
				case "a":
					text := strings.ToLower(strings.TrimSpace(linkText.String()))
					if inLink && vagueLinks[text] && !strings.HasPrefix(linkHref, "#") {
						add(names, at("["+strings.TrimSpace(linkText.String())+"]"), message("the link named only %s: name what it leads to", strings.TrimSpace(linkText.String())))
					}
					inLink = false
				case "th":
					inTh = false
				case "table":
					if inTable && !tableHead {
						add(tables, at(strings.TrimSpace(tableText.String())), message("a table without a header row"))
					}
					inTable = false
				}
			}
		}
	}
	out := []*Check{alt, headings, names, tables}
	for _, c := range out {
		c.Pass = c.Count == 0
		c.Summary = message("found: %d", c.Count)
	}
	return out, nil
}

func attrMap(z *html.Tokenizer) map[string]string {
	m := map[string]string{}
	for {
		k, v, more := z.TagAttr()
		if len(k) > 0 {
			m[string(k)] = string(v)
		}
		if !more {
			return m
		}
	}
}

// lines is a bulletin's file as lines, to point a finding at the line
// of its Markdown.
type lines struct {
	text  [][]byte
	first int // the line the body starts on
}

func sourceLines(sources fs.FS, p string) lines {
	src, err := fs.ReadFile(sources, p)
	if err != nil {
		return lines{}
	}
	_, body, bodyLine, ok := site.SplitFrontMatter(src, &diag.Sink{Path: p})
	if !ok {
		body, bodyLine = src, 1
	}
	return lines{text: bytes.Split(body, []byte{'\n'}), first: bodyLine}
}

// find is the line holding key first, or the body's first line.
func (l lines) find(key string) int {
	if n := l.index(key); n > 0 {
		return n
	}
	return l.first
}

// index is the line holding key first, or 0.
func (l lines) index(key string) int {
	if key != "" {
		for i, t := range l.text {
			if bytes.Contains(t, []byte(key)) {
				return l.first + i
			}
		}
	}
	return 0
}
