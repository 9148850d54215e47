package docx

import (
	"encoding/xml"
	"io"
	"strconv"
	"strings"
	"unicode"
	"unicode/utf8"

	"bulletin/internal/diag"
)

// The model of a document: its body as blocks, paragraphs and tables,
// with what the report needs of their formatting and nothing else.

type block interface{ isBlock() }

type segKind uint8

const (
	segText  segKind = iota
	segBreak         // a line break inside a paragraph
	segImage
)

// seg is a piece of a paragraph: text of one boldness, a line break, or
// an image.
type seg struct {
	kind segKind
	text []byte
	bold bool
	img  *imageRef
}

// imageRef is a picture as the document refers to it.
type imageRef struct {
	rel  string // the relationship of an embedded picture (r:embed, r:id)
	link string // the relationship of a linked one (r:link)
	alt  string
}

type sizeCount struct{ size, n int }

type para struct {
	segs      []seg
	text      string // the plain text, number included, images left out
	fmt       paraFmt
	num       string // the automatic number, as shown
	bullet    bool
	gapBefore bool // empty paragraphs came before it

	// What its letters look like, counted in non-space characters.
	total int
	bold  int
	fonts [numFontClasses]int
	sizes []sizeCount
}

func (*para) isBlock() {}

// size is the font size of most of the paragraph's text, in half-points.
func (p *para) size() int {
	best := sizeCount{}
	for _, s := range p.sizes {
		if s.n > best.n {
			best = s
		}
	}
	return best.size
}

// mostly reports whether at least 90% of the text is in font class f.
func (p *para) mostly(f fontClass) bool {
	return p.total > 0 && p.fonts[f]*10 >= p.total*9
}

func (p *para) allBold() bool { return p.total > 0 && p.bold*10 >= p.total*9 }

type table struct {
	rows []*row
}

func (*table) isBlock() {}

type row struct {
	before int // grid columns left empty before the first cell
	cells  []*cell
}

type cell struct {
	blocks []block
	span   int  // grid columns it covers
	merged bool // continues the cell above (a vertical merge)
}

// maxColumns bounds a table's width: a cell spanning a million columns
// would otherwise be a million empty Markdown cells.
const maxColumns = 64

// docParser reads document.xml (or a header or footer) into blocks.
type docParser struct {
	x      *xmlReader
	st     *styles
	num    *numbering
	notes  *notes // nil: say nothing (headers and footers)
	budget int    // bytes of Markdown the model may still stand for

	pStyle string // the style of the paragraph being read
	fields []bool // open complex fields: true once past their instructions
	gap    bool   // an empty paragraph since the last block
}

func (p *docParser) note(m *diag.Message) {
	if p.notes != nil {
		p.notes.add(m)
	}
}

func (p *docParser) spend(n int) error {
	p.budget -= n
	if p.budget < 0 {
		return errTooLong()
	}
	return nil
}

func errTooLong() error {
	return formatErr("the text of the document is over %s; a report is never that long", byteSize(maxBody))
}

// document reads document.xml down to its body and returns the body's
// blocks.
func (p *docParser) document() ([]block, error) {
	for {
		tok, err := p.x.next()
		if err == io.EOF {
			return nil, formatErr("%s has no document body", p.x.part)
		}
		if err != nil {
			return nil, err
		}
		se, ok := tok.(xml.StartElement)
		if !ok {
			continue
		}
		switch {
		case isW(se.Name) && se.Name.Local == "document":
		case isW(se.Name) && se.Name.Local == "body":
			var blocks []block
			err := p.blocks(&blocks, nil)
			return blocks, err
		case p.x.depth == 1:
			return nil, formatErr("%s is not a Word document body (its root is <%s>)", p.x.part, clip(se.Name.Local, 40))
		default:
			if err := p.x.skip(); err != nil {
				return nil, err
			}
		}
	}
}

// headerFooter reads a header or footer part.
func (p *docParser) headerFooter() ([]block, error) {
	for {
		tok, err := p.x.next()
		if err == io.EOF {
			return nil, nil
		}
		if err != nil {
			return nil, err
		}
		if se, ok := tok.(xml.StartElement); ok {
			var blocks []block
			if !isW(se.Name) || (se.Name.Local != "hdr" && se.Name.Local != "ftr") {
				return nil, nil
			}
			err := p.blocks(&blocks, nil)
			return blocks, err
		}
	}
}

// blocks reads the block-level content of the element whose start was
// the last token, to its end. In a table cell, c gets the cell's
// properties.
func (p *docParser) blocks(dst *[]block, c *cell) error {
	return p.x.children(func(se xml.StartElement) error {
		if isMC(se.Name) && se.Name.Local == "AlternateContent" {
			return p.alternate(func() error { return p.blocks(dst, c) })
		}
		if !isW(se.Name) {
			return nil
		}
		switch se.Name.Local {
		case "p":
			para, err := p.paragraph()
			if err != nil {
				return err
			}
			if para == nil {
				p.gap = true
				return nil
			}
			para.gapBefore, p.gap = p.gap, false
			*dst = append(*dst, para)
		case "tbl":
			t, err := p.table()
			if err != nil {
				return err
			}
			p.gap = false
			if t != nil {
				*dst = append(*dst, t)
			}
		case "sdt", "sdtContent", "customXml", "ins", "moveTo", "smartTag":
			// Content controls, custom XML and tracked insertions hold
			// ordinary content.
			return p.blocks(dst, c)
		case "tcPr":
			if c != nil {
				return p.cellProps(c)
			}
		case "altChunk":
			p.note(message("a piece of another document embedded in the report (altChunk) was dropped"))
		}
		// w:del and w:moveFrom (deleted), w:sectPr, bookmarks.
		return nil
	})
}

// alternate reads mc:AlternateContent: the first choice, or else the
// fallback, never both, since they are two forms of the same thing.
func (p *docParser) alternate(content func() error) error {
	taken := false
	return p.x.children(func(se xml.StartElement) error {
		if isMC(se.Name) && (se.Name.Local == "Choice" || se.Name.Local == "Fallback") && !taken {
			taken = true
			return content()
		}
		return nil
	})
}

// paragraph reads a w:p; nil when it shows nothing.
func (p *docParser) paragraph() (*para, error) {
	para := &para{}
	var pp pProps
	p.pStyle = ""
	if err := p.inline(para, &pp); err != nil {
		return nil, err
	}
	para.fmt = p.st.para(pp)
	para.segs = normalize(para.segs)
	if para.fmt.numID != "" {
		para.num, para.bullet = p.num.next(para.fmt.numID, para.fmt.ilvl, p.st)
	}
	if len(para.segs) == 0 {
		return nil, nil
	}
	if para.num != "" {
		first := seg{kind: segText, text: []byte(para.num), bold: para.segs[0].kind == segText && para.segs[0].bold}
		para.segs = normalize(append([]seg{first}, para.segs...))
	}
	para.text = plain(para.segs)
	return para, p.spend(2)
}

// inline reads the content of a paragraph, or of an element inside one
// that holds runs (a hyperlink, an insertion, a content control…); pp
// gets the paragraph's properties.
func (p *docParser) inline(para *para, pp *pProps) error {
	return p.x.children(func(se xml.StartElement) error {
		switch {
		case isW(se.Name):
			switch se.Name.Local {
			case "pPr":
				if pp != nil {
					var err error
					if *pp, err = parsePPr(p.x); err != nil {
						return err
					}
					p.pStyle = pp.style
				}
			case "r":
				var rp rProps
				return p.runContent(para, &rp)
			case "hyperlink", "ins", "moveTo", "smartTag", "customXml", "sdt", "sdtContent", "fldSimple", "dir", "bdo", "rubyBase":
				// Links keep their text. A simple field holds the runs
				// of its result.
				return p.inline(para, nil)
			}
		case isMC(se.Name) && se.Name.Local == "AlternateContent":
			return p.alternate(func() error { return p.inline(para, nil) })
		case (se.Name.Space == nsMath || se.Name.Space == nsMStrict) && (se.Name.Local == "oMath" || se.Name.Local == "oMathPara"):
			p.note(message("a formula was dropped"))
		}
		// w:del, w:moveFrom (deleted text), bookmarks, proofing marks.
		return nil
	})
}

// runContent reads the content of a w:r, or of an element inside one
// that holds run content; rp is the run's formatting.
func (p *docParser) runContent(para *para, rp *rProps) error {
	return p.x.children(func(se xml.StartElement) error {
		if isMC(se.Name) && se.Name.Local == "AlternateContent" {
			return p.alternate(func() error { return p.runContent(para, rp) })
		}
		if !isW(se.Name) {
			return nil
		}
		switch se.Name.Local {
		case "rPr":
			var err error
			*rp, err = parseRPr(p.x)
			return err
		case "t":
			s, err := p.x.text()
			if err != nil {
				return err
			}
			return p.addText(para, rp, s)
		case "tab", "ptab":
			return p.addText(para, rp, " ")
		case "noBreakHyphen":
			return p.addText(para, rp, "-")
		case "br", "cr":
			if t := attr(se, "type"); t != "page" && t != "column" && !p.inFieldCode() {
				para.segs = append(para.segs, seg{kind: segBreak})
			}
		case "sym":
			p.note(message("a character of a symbol font (Wingdings or the like) was dropped"))
		case "fldChar":
			p.fieldChar(attr(se, "fldCharType"))
		case "drawing", "pict":
			var g graphic
			if err := p.graphicContent(&g); err != nil {
				return err
			}
			return p.addGraphic(para, &g)
		case "object":
			p.note(message("an embedded object (an Excel sheet or the like) was dropped; paste it as a table or a picture to keep it"))
		case "footnoteReference":
			p.note(message("footnotes were dropped"))
		case "endnoteReference":
			p.note(message("endnotes were dropped"))
		case "commentReference":
			p.note(message("comments were dropped"))
		case "ruby":
			// Phonetic guides: the base text is kept, the guide (w:rt)
			// dropped.
			return p.inline(para, nil)
		}
		// w:instrText, w:delText, and whatever else a run may hold.
		return nil
	})
}

// fieldChar follows complex fields: between begin and separate are the
// field's instructions (HYPERLINK "…", PAGE), dropped; between separate
// and end its result, the text Word shows, kept.
func (p *docParser) fieldChar(typ string) {
	switch typ {
	case "begin":
		if len(p.fields) < 64 {
			p.fields = append(p.fields, false)
		}
	case "separate":
		if n := len(p.fields); n > 0 {
			p.fields[n-1] = true
		}
	case "end":
		if n := len(p.fields); n > 0 {
			p.fields = p.fields[:n-1]
		}
	}
}

func (p *docParser) inFieldCode() bool {
	for _, result := range p.fields {
		if !result {
			return true
		}
	}
	return false
}

// addText adds the text of a run to the paragraph, without the
// characters that show nothing or could disguise the text.
func (p *docParser) addText(para *para, rp *rProps, s string) error {
	if s == "" || p.inFieldCode() {
		return nil
	}
	if len(s) > p.budget {
		return errTooLong()
	}
	f := p.st.run(p.pStyle, *rp)
	if f.hidden {
		return nil
	}
	var b []byte
	flush := func() {
		if len(b) == 0 {
			return
		}
		if n := len(para.segs); n > 0 && para.segs[n-1].kind == segText && para.segs[n-1].bold == f.bold {
			para.segs[n-1].text = append(para.segs[n-1].text, b...)
		} else {
			para.segs = append(para.segs, seg{kind: segText, text: b, bold: f.bold})
		}
		b = nil
	}
	for _, r := range s {
		switch {
		case r == '\v' || r == '\f' || r == '\u2028' || r == '\u2029':
			flush()
			para.segs = append(para.segs, seg{kind: segBreak})
			continue
		case r == '\t' || r == '\n' || r == '\r' || r == '\u0085':
			r = ' '
		case invisible(r):
			continue
		}
		b = utf8.AppendRune(b, r)
		if !unicode.IsSpace(r) {
			para.total++
			para.fonts[f.font]++
			if f.bold {
				para.bold++
			}
			para.addSize(f.size)
		}
	}
	if err := p.spend(len(b)); err != nil {
		return err
	}
	flush()
	return nil
}

func (para *para) addSize(size int) {
	for i := range para.sizes {
		if para.sizes[i].size == size {
			para.sizes[i].n++
			return
		}
	}
	para.sizes = append(para.sizes, sizeCount{size, 1})
}

// invisible reports characters that show nothing, or change the order in
// which text shows, or are no text at all: they are dropped.
func invisible(r rune) bool {
	switch {
	case r < 0x20 || r >= 0x7f && r < 0xa0:
		return true // controls (tab, newline are handled before)
	case r == 0xad: // soft hyphen
		return true
	case r >= 0x200b && r <= 0x200f, r >= 0x202a && r <= 0x202e, r >= 0x2060 && r <= 0x2064, r >= 0x2066 && r <= 0x2069:
		return true // zero-width characters and direction marks
	case r == 0xfeff, r == 0xfffe, r == 0xffff, r == utf8.RuneError:
		return true
	}
	return false
}

// graphic is what a w:drawing or w:pict holds.
type graphic struct {
	alt   string
	refs  []imageRef
	chart bool
	smart bool
}

// graphicContent reads a w:drawing or w:pict (and a group or
// alternative inside one).
func (p *docParser) graphicContent(g *graphic) error {
	return p.x.walk(func(se xml.StartElement) error {
		switch {
		case isMC(se.Name) && se.Name.Local == "AlternateContent":
			if err := p.alternate(func() error { return p.graphicContent(g) }); err != nil {
				return err
			}
		case isW(se.Name) && se.Name.Local == "txbxContent":
			if err := p.textbox(); err != nil {
				return err
			}
		case se.Name.Local == "docPr":
			g.alt = attr(se, "descr")
		case se.Name.Local == "blip":
			if ref := (imageRef{rel: relAttr(se, "embed"), link: relAttr(se, "link")}); ref.rel != "" || ref.link != "" {
				g.refs = append(g.refs, ref)
			}
		case se.Name.Local == "imagedata":
			// VML, as WPS and old Word write pictures.
			id := relAttr(se, "id")
			if id == "" {
				id = attr(se, "relid")
			}
			if id != "" {
				g.refs = append(g.refs, imageRef{rel: id})
			}
			if t := attr(se, "title"); t != "" && g.alt == "" {
				g.alt = t
			}
		case se.Name.Local == "shape" && attr(se, "alt") != "":
			g.alt = attr(se, "alt")
		case se.Name.Local == "chart" && relAttr(se, "id") != "":
			g.chart = true
		case se.Name.Local == "relIds":
			g.smart = true
		}
		if len(g.refs) > 1000 {
			return formatErr("%s has a drawing of more than 1000 pictures", p.x.part)
		}
		return nil
	})
}

func (p *docParser) addGraphic(para *para, g *graphic) error {
	alt := cleanAlt(g.alt)
	for _, ref := range g.refs {
		ref.alt = alt
		para.segs = append(para.segs, seg{kind: segImage, img: &ref})
		if err := p.spend(16); err != nil {
			return err
		}
	}
	if g.chart {
		p.note(message("a chart was dropped; paste it as a picture to keep it"))
	}
	if g.smart {
		p.note(message("a SmartArt graphic was dropped; paste it as a picture to keep it"))
	}
	return nil
}

// cleanAlt keeps the description of a picture when a person wrote it:
// not a file name, not Word's "generated automatically" captions.
func cleanAlt(s string) string {
	s = visibleWords(s)
	lower := strings.ToLower(s)
	switch {
	case s == "",
		strings.ContainsAny(s, `/\`),
		strings.Contains(s, "自动生成"), strings.Contains(lower, "automatically generated"), strings.Contains(lower, "description automatically"):
		return ""
	}
	for _, ext := range []string{".png", ".jpg", ".jpeg", ".gif", ".bmp", ".emf", ".wmf", ".tif", ".tiff", ".webp"} {
		if strings.HasSuffix(lower, ext) {
			return ""
		}
	}
	if r := []rune(s); len(r) > 100 {
		s = string(r[:100])
	}
	return s
}

// textbox reads a w:txbxContent and drops it with a note quoting its
// start: text boxes in reports hold stamps, marks and captions laid over
// the page, seldom the report's own text.
func (p *docParser) textbox() error {
	var text []rune
	err := p.x.walk(func(se xml.StartElement) error {
		if !isW(se.Name) {
			return nil
		}
		switch se.Name.Local {
		case "t":
			s, err := p.x.text()
			if err != nil {
				return err
			}
			if len(text) < 40 {
				text = append(text, []rune(s)...)
			}
		case "instrText", "delText":
			return p.x.skip()
		}
		return nil
	})
	if err != nil {
		return err
	}
	if quote := visibleWords(string(text)); quote != "" {
		p.note(message("a text box was dropped: “%s”", clip(quote, 30)))
	}
	return nil
}

// visibleWords is s on one line: its words joined by single spaces, the
// characters that show nothing dropped.
func visibleWords(s string) string {
	return strings.Join(strings.Fields(strings.Map(func(r rune) rune {
		if invisible(r) {
			return -1
		}
		return r
	}, s)), " ")
}

func (p *docParser) table() (*table, error) {
	t := &table{}
	if err := p.tableContent(t); err != nil {
		return nil, err
	}
	if len(t.rows) == 0 {
		return nil, nil
	}
	return t, nil
}

func (p *docParser) tableContent(t *table) error {
	return p.x.children(func(se xml.StartElement) error {
		if !isW(se.Name) {
			return nil
		}
		switch se.Name.Local {
		case "tr":
			r := &row{}
			if err := p.rowContent(r); err != nil {
				return err
			}
			t.rows = append(t.rows, r)
		case "sdt", "sdtContent", "customXml", "ins", "moveTo":
			return p.tableContent(t)
		}
		return nil
	})
}

func (p *docParser) rowContent(r *row) error {
	return p.x.children(func(se xml.StartElement) error {
		if !isW(se.Name) {
			return nil
		}
		switch se.Name.Local {
		case "gridBefore":
			if n, err := strconv.Atoi(attr(se, "val")); err == nil && n > 0 {
				r.before = min(n, maxColumns)
			}
		case "trPr", "sdt", "sdtContent", "customXml", "ins", "moveTo":
			// gridBefore is inside w:trPr; the others hold cells.
			return p.rowContent(r)
		case "tc":
			c := &cell{span: 1}
			if err := p.blocks(&c.blocks, c); err != nil {
				return err
			}
			if err := p.spend(3 * c.span); err != nil {
				return err
			}
			r.cells = append(r.cells, c)
		}
		return nil
	})
}

func (p *docParser) cellProps(c *cell) error {
	return p.x.children(func(se xml.StartElement) error {
		if isW(se.Name) {
			switch se.Name.Local {
			case "gridSpan":
				if n, err := strconv.Atoi(attr(se, "val")); err == nil && n > 1 {
					c.span = min(n, maxColumns)
				}
			case "vMerge":
				c.merged = attr(se, "val") != "restart"
			}
		}
		return nil
	})
}
