package importer

import (
	"crypto/sha256"
	"encoding/hex"
	"path"
	"regexp"
	"strings"
	"time"

	"bulletin/internal/site"
	"bulletin/internal/yamlnode"
)

// Item is one bulletin of a compilation.
type Item struct {
	Line       int // source line of its title
	Title      string
	Date       time.Time
	Bureau     site.Bureau
	Category   string   // "" for none
	Paragraphs []string // plain text, one per paragraph
	Closing    string   // the attribution line: （据青海省民政厅）

	// Body, when not empty, is the text as Markdown already (a Word
	// report read by internal/docx, a bureau's Markdown file): it is
	// written as it is, in place of Paragraphs.
	Body      string
	Tags      []string
	Summary   string
	Reporting site.Reporting // the internal fields: 签发人, 执笔人, 联系电话
}

// Slug is the item's file name without .md, and so its URL slug: the
// bureau's slug and a hash of the bureau and title, so the same item
// always gets the same name, whatever its date or file.
func (it *Item) Slug() string {
	sum := sha256.Sum256([]byte(it.Bureau.Name + "\n" + it.Title))
	prefix := it.Bureau.Slug
	if prefix == "" {
		prefix = "item"
	}
	return prefix + "-" + hex.EncodeToString(sum[:4])
}

// Path is where the item goes in the site, slash-separated:
// content/<bureau slug>/<year>/<slug>.md, as bulletin new writes.
func (it *Item) Path() string {
	folder := it.Bureau.Slug
	if folder == "" {
		folder = "bulletins"
	}
	return path.Join(site.ContentDir, folder, it.Date.Format("2006"), it.Slug()+".md")
}

// Markdown returns the bulletin file: front matter with title, date,
// bureau, category and what else the item has, then the paragraphs,
// escaped so that they read as the text they are (or Body as it is), and
// the attribution as the last paragraph.
func (it *Item) Markdown() []byte {
	var b strings.Builder
	b.WriteString("---\n")
	b.WriteString("title: " + yamlnode.Inline(it.Title) + "\n")
	layout := "2006-01-02"
	if it.Date.Hour() != 0 || it.Date.Minute() != 0 {
		layout = "2006-01-02 15:04"
	}
	b.WriteString("date: " + it.Date.Format(layout) + "\n")
	b.WriteString("bureau: " + yamlnode.Inline(it.Bureau.Name) + "\n")
	if it.Category != "" {
		b.WriteString("category: " + yamlnode.Inline(it.Category) + "\n")
	}
	if len(it.Tags) > 0 {
		quoted := make([]string, len(it.Tags))
		for i, t := range it.Tags {
			quoted[i] = yamlnode.Inline(t)
		}
		b.WriteString("tags: [" + strings.Join(quoted, ", ") + "]\n")
	}
	if it.Summary != "" {
		b.WriteString("summary: " + yamlnode.Inline(it.Summary) + "\n")
	}
	for _, f := range []struct{ key, value string }{
		{"signer", it.Reporting.Signer}, {"author", it.Reporting.Author},
		{"contact", it.Reporting.Contact}, {"urgency", it.Reporting.Urgency},
	} {
		if f.value != "" {
			b.WriteString(f.key + ": " + yamlnode.Inline(f.value) + "\n")
		}
	}
	b.WriteString("---\n")
	if it.Body != "" {
		b.WriteString("\n" + strings.TrimRight(it.Body, "\n") + "\n")
	} else {
		for _, p := range it.Paragraphs {
			b.WriteString("\n" + escapeMarkdown(p) + "\n")
		}
	}
	if it.Closing != "" {
		b.WriteString("\n" + escapeMarkdown(it.Closing) + "\n")
	}
	return []byte(b.String())
}

var (
	urlRE = regexp.MustCompile(`(?i)(?:https?://|www\.)[!-~]+`)
	// What makes a line something else than a paragraph in Markdown.
	blockStartRE = regexp.MustCompile(`^(?:[-+](?:[ \t]|$)|\d{1,9}[.)](?:[ \t]|$)|[=\-]+[ \t]*$)`)
)

// escapeMarkdown makes plain text read as itself in Markdown: the inline
// syntax characters get a backslash (except inside URLs, which linkify
// must see whole), and so does a start that would make a list, heading,
// quote or rule.
func escapeMarkdown(s string) string {
	var b strings.Builder
	last := 0
	for _, loc := range urlRE.FindAllStringIndex(s, -1) {
		escapeInline(&b, s[last:loc[0]])
		b.WriteString(s[loc[0]:loc[1]])
		last = loc[1]
	}
	escapeInline(&b, s[last:])
	out := b.String()
	if m := blockStartRE.FindStringIndex(out); m != nil {
		// Escape the character that makes the block: the marker, or the
		// . or ) after a list number.
		at := 0
		for at < len(out) && out[at] >= '0' && out[at] <= '9' {
			at++
		}
		out = out[:at] + `\` + out[at:]
	}
	return out
}

func escapeInline(b *strings.Builder, s string) {
	for _, r := range s {
		if strings.ContainsRune("\\`*_[]<>~&|#", r) {
			b.WriteByte('\\')
		}
		b.WriteRune(r)
	}
}
