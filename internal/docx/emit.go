package docx

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"strings"
	"unicode/utf8"

	"bulletin/internal/diag"
)

// emitter writes the blocks of the body as Markdown and gathers the
// images they show.
type emitter struct {
	ctx        context.Context
	pkg        *pkg
	minOutline int // the outline level of the document's highest styled headings, written ##
	images     []Image
	byRel      map[string]string // image name by relationship id, "" for one dropped
	size       int               // bytes written so far
	err        error             // the first error that ends the report (a zip bomb, ctx)
}

// block returns the Markdown blocks of b: one for a paragraph or table,
// more for a table of one cell, whose content is written as it is.
func (e *emitter) block(b block) []string {
	var out []string
	switch b := b.(type) {
	case *para:
		if s := e.paragraph(b); s != "" {
			out = append(out, s)
		}
	case *table:
		out = e.table(b)
	}
	for _, s := range out {
		e.size += len(s) + 2
	}
	return out
}

func (e *emitter) paragraph(p *para) string {
	if level := e.headingLevel(p); level > 0 {
		text := escapeText(collapse(p.text))
		if text != "" {
			return strings.Repeat("#", level) + " " + text
		}
	}
	line := e.inline(p.segs)
	if line == "" {
		return ""
	}
	if p.bullet {
		return "- " + line
	}
	return escapeLineStart(line)
}

// headingLevel returns 2 for a paragraph written as ##, 3 for ###, 4 for
// ####, 0 for text.
func (e *emitter) headingLevel(p *para) int {
	n := utf8.RuneCountInString(p.text)
	if p.text == "" || n > 60 {
		return 0
	}
	// A heading may end with 。, but has no sentence in its middle.
	if strings.ContainsAny(strings.TrimRight(p.text, sentenceEnd), sentenceEnd) {
		return 0
	}
	switch {
	case level1RE.MatchString(p.text) && (n <= 40 || p.allBold() || p.mostly(fontHei)):
		return 2
	case level2RE.MatchString(p.text) && (n <= 40 || p.allBold() || p.mostly(fontKai)):
		return 3
	case p.fmt.outline > 0:
		return min(max(p.fmt.outline-e.minOutline+2, 2), 4)
	case p.mostly(fontHei) && n <= 25 && !p.fmt.centered && !strings.ContainsRune(sentenceEnd+"，,：:", lastRune(p.text)):
		// Offices set first-level headings in 黑体 whether numbered or not.
		return 2
	}
	return 0
}

// inline writes the segments of a paragraph or cell on one line.
func (e *emitter) inline(segs []seg) string {
	var b strings.Builder
	for i, s := range segs {
		switch s.kind {
		case segText:
			if s.bold {
				before, after := rune(-1), rune(-1)
				if b.Len() > 0 {
					before = lastRune(b.String())
				}
				if i+1 < len(segs) {
					after = '!' // an image
					if segs[i+1].kind == segText {
						after, _ = utf8.DecodeRune(segs[i+1].text)
					}
				}
				writeBold(&b, string(s.text), before, after)
			} else {
				b.WriteString(escapeText(string(s.text)))
			}
		case segImage:
			b.WriteString(e.image(s.img))
		}
	}
	return strings.TrimSpace(b.String())
}

// table writes a table as a pipe table. A table of one cell is a frame
// around text, written as that text; a first row of one cell across the
// table is its caption, written as a paragraph above it.
func (e *emitter) table(t *table) []string {
	var rows [][]*cell // by grid column; nil where nothing is
	width := 0
	truncated := false
	for _, r := range t.rows {
		var cols []*cell
		for range r.before {
			cols = append(cols, nil)
		}
		for _, c := range r.cells {
			if c.merged {
				cols = append(cols, nil) // the text is in the cell above
			} else {
				cols = append(cols, c)
			}
			for range c.span - 1 {
				cols = append(cols, nil)
			}
		}
		if len(cols) > maxColumns {
			cols, truncated = cols[:maxColumns], true
		}
		width = max(width, len(cols))
		rows = append(rows, cols)
	}
	if truncated {
		e.pkg.notes.add(message("a table had more than %d columns; the rest was dropped", maxColumns))
	}
	// Text per cell; rows with no text at all are dropped.
	var grid [][]string
	var only *cell
	cells := 0
	for _, cols := range rows {
		line := make([]string, width)
		empty := true
		for j, c := range cols {
			if c == nil {
				continue
			}
			cells++
			only = c
			line[j] = e.cellText(c)
			empty = empty && line[j] == ""
		}
		if !empty {
			grid = append(grid, line)
		}
	}
	if e.err != nil || len(grid) == 0 {
		return nil
	}
	if cells == 1 {
		var out []string
		for _, b := range only.blocks {
			out = append(out, e.block(b)...)
		}
		return out
	}
	var out []string
	if filled(grid[0]) == 1 && grid[0][0] != "" && len(grid) > 1 && width > 1 {
		out = append(out, escapeLineStart(unbold(grid[0][0])))
		grid = grid[1:]
	}
	// The head row is bold anyway.
	for j := range grid[0] {
		grid[0][j] = unbold(grid[0][j])
	}
	var b strings.Builder
	writeRow := func(cells []string) {
		b.WriteString("|")
		for _, c := range cells {
			b.WriteString(" " + c + " |")
		}
		b.WriteString("\n")
	}
	writeRow(grid[0])
	b.WriteString("|" + strings.Repeat(" --- |", width) + "\n")
	for _, r := range grid[1:] {
		writeRow(r)
	}
	return append(out, strings.TrimSuffix(b.String(), "\n"))
}

func filled(cells []string) int {
	n := 0
	for _, c := range cells {
		if c != "" {
			n++
		}
	}
	return n
}

// unbold removes the ** that writeBold put around bold text: escaped
// asterisks are \*, so every other ** is a marker.
func unbold(s string) string {
	var b strings.Builder
	for i := 0; i < len(s); i++ {
		switch {
		case s[i] == '\\' && i+1 < len(s):
			b.WriteString(s[i : i+2])
			i++
		case strings.HasPrefix(s[i:], "**"):
			i++
		default:
			b.WriteByte(s[i])
		}
	}
	return b.String()
}

// cellText writes a cell on one line: its paragraphs joined with spaces,
// a table inside it flattened to its text.
func (e *emitter) cellText(c *cell) string {
	var parts []string
	for _, b := range c.blocks {
		switch b := b.(type) {
		case *para:
			if s := e.inline(b.segs); s != "" {
				parts = append(parts, s)
			}
		case *table:
			e.pkg.notes.add(message("a table inside a table was flattened to text"))
			for _, r := range b.rows {
				for _, c := range r.cells {
					if s := e.cellText(c); s != "" {
						parts = append(parts, s)
					}
				}
			}
		}
	}
	return strings.Join(parts, " ")
}

// image returns the Markdown of a picture, reading it from the package
// the first time; "" when it is dropped, with a note saying why.
func (e *emitter) image(ref *imageRef) string {
	if e.err != nil {
		return ""
	}
	md := func(name string) string {
		if name == "" {
			return ""
		}
		return "![" + escapeAlt(ref.alt) + "](" + name + ")"
	}
	if ref.rel == "" {
		e.linkedImage(ref.link)
		return ""
	}
	if name, ok := e.byRel[ref.rel]; ok {
		return md(name)
	}
	e.byRel[ref.rel] = ""
	rl, ok := e.pkg.rels[ref.rel]
	switch {
	case !ok:
		e.pkg.notes.add(message("a picture refers to %s, which the document does not list; it was dropped", quoteName(ref.rel)))
		return ""
	case rl.external:
		e.linkedImage(ref.rel)
		return ""
	case !rl.ok || !inside(rl.target, partDir(e.pkg.main)):
		e.pkg.notes.add(message("a picture at %s lies outside the document's folder; it was dropped", quoteName(rl.target)))
		return ""
	}
	f := e.pkg.a.lookup(rl.target)
	if f == nil {
		e.pkg.notes.add(message("the picture %s is missing from the file; it was dropped", quoteName(rl.target)))
		return ""
	}
	if f.UncompressedSize64 > uint64(e.pkg.lim.ImageBytes) {
		e.pkg.notes.add(message("the picture %s is over %s; it was dropped", quoteName(rl.target), byteSize(e.pkg.lim.ImageBytes)))
		return ""
	}
	data, err := e.pkg.a.readAll(e.ctx, f, e.pkg.lim.ImageBytes)
	switch {
	case errors.Is(err, errEntryTooBig):
		e.pkg.notes.add(message("the picture %s is over %s; it was dropped", quoteName(rl.target), byteSize(e.pkg.lim.ImageBytes)))
		return ""
	case err != nil:
		e.err = err
		return ""
	}
	ext, kind := imageType(data)
	if ext == "" {
		e.pkg.notes.add(message("the picture %s is %s, which web pages cannot show; it was dropped (paste it as PNG or JPEG to keep it)", quoteName(rl.target), kind))
		return ""
	}
	name := fmt.Sprintf("image%d.%s", len(e.images)+1, ext)
	e.images = append(e.images, Image{Name: name, Data: data})
	e.byRel[ref.rel] = name
	return md(name)
}

func (e *emitter) linkedImage(relID string) {
	target := relID
	if rl, ok := e.pkg.rels[relID]; ok {
		target = rl.target
	}
	e.pkg.notes.add(message("a picture linked from outside the document (%s) was not fetched", clip(strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, target), 80)))
}

// imageType tells the format of an image by its first bytes: the
// extension of the four kept, or "" and the name of another. A kept
// format's name (PNG) reads the same in every language.
func imageType(data []byte) (ext string, kind *diag.Message) {
	has := func(p string) bool { return bytes.HasPrefix(data, []byte(p)) }
	switch {
	case has("\x89PNG\r\n\x1a\n"):
		return "png", message("%s", "PNG")
	case has("\xFF\xD8\xFF"):
		return "jpeg", message("%s", "JPEG")
	case has("GIF87a"), has("GIF89a"):
		return "gif", message("%s", "GIF")
	case has("RIFF") && len(data) >= 12 && string(data[8:12]) == "WEBP":
		return "webp", message("%s", "WebP")
	case has("\x01\x00\x00\x00") && len(data) >= 44 && string(data[40:44]) == " EMF":
		return "", message("an EMF drawing")
	case has("\xD7\xCD\xC6\x9A"), has("\x01\x00\x09\x00"), has("\x02\x00\x09\x00"):
		return "", message("a WMF drawing")
	case has("BM"):
		return "", message("a BMP image")
	case has("II*\x00"), has("MM\x00*"):
		return "", message("a TIFF image")
	case has("<svg"), has("<?xml"):
		return "", message("an SVG or XML drawing")
	}
	return "", message("in a format that is not known")
}
