package docx

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// tri is a property that may be set on or off, or left to the style.
type tri int8

const (
	unset tri = iota
	on
	off
)

func triOf(b bool) tri {
	if b {
		return on
	}
	return off
}

// rProps are the run properties that matter here, as one level (direct
// formatting, a style, the defaults) sets them.
type rProps struct {
	style    string // w:rStyle, a character style (direct formatting only)
	bold     tri
	hidden   tri // w:vanish
	size     int // w:sz in half-points, 0 when unset
	eastAsia string
	latin    string // w:ascii, else w:hAnsi
}

// pProps are the paragraph properties that matter here.
type pProps struct {
	style   string // w:pStyle (direct formatting only)
	jc      string
	numID   string
	ilvl    int
	hasNum  bool // w:numPr with a w:numId
	hasIlvl bool
	outline int // w:outlineLvl + 1, 0 when unset
}

type style struct {
	id, name, typ, basedOn string
	p                      pProps
	r                      rProps
}

// styles is styles.xml: the styles by id, and the document defaults.
type styles struct {
	byID        map[string]*style
	defaultPara string // id of the default paragraph style (Normal)
	defaults    rProps
	defaultP    pProps
}

// maxStyles bounds styles.xml; documents bloated by copying between
// files have a few thousand.
const maxStyles = 20000

func parseStyles(x *xmlReader) (*styles, error) {
	s := &styles{byID: map[string]*style{}}
	err := x.walk(func(se xml.StartElement) error {
		if !isW(se.Name) {
			return nil
		}
		var err error
		switch se.Name.Local {
		case "styles", "docDefaults", "rPrDefault", "pPrDefault":
			// descend
		case "rPr":
			s.defaults, err = parseRPr(x)
		case "pPr":
			s.defaultP, err = parsePPr(x)
		case "style":
			if len(s.byID) >= maxStyles {
				return formatErr("%s defines more than %d styles", x.part, maxStyles)
			}
			st := &style{id: attr(se, "styleId"), typ: attr(se, "type")}
			if err := parseStyle(x, st); err != nil {
				return err
			}
			if _, dup := s.byID[st.id]; !dup {
				s.byID[st.id] = st
			}
			if st.typ == "paragraph" && onOffAttr(se, "default") && s.defaultPara == "" {
				s.defaultPara = st.id
			}
		default:
			err = x.skip()
		}
		return err
	})
	if err != nil {
		return nil, err
	}
	return s, nil
}

func onOffAttr(se xml.StartElement, local string) bool {
	switch attr(se, local) {
	case "1", "true", "on":
		return true
	}
	return false
}

func parseStyle(x *xmlReader, st *style) error {
	return x.children(func(se xml.StartElement) error {
		if !isW(se.Name) {
			return nil
		}
		var err error
		switch se.Name.Local {
		case "name":
			st.name = attr(se, "val")
		case "basedOn":
			st.basedOn = attr(se, "val")
		case "pPr":
			st.p, err = parsePPr(x)
		case "rPr":
			st.r, err = parseRPr(x)
		}
		return err
	})
}

// parsePPr reads a w:pPr whose start was the last token.
func parsePPr(x *xmlReader) (pProps, error) {
	var p pProps
	err := p.read(x)
	return p, err
}

// read reads the properties in a w:pPr, or in the w:numPr of one, into
// p. Everything else, w:rPr of the paragraph mark and w:pPrChange (the
// properties before a tracked change) included, is skipped.
func (p *pProps) read(x *xmlReader) error {
	return x.children(func(se xml.StartElement) error {
		if !isW(se.Name) {
			return nil
		}
		switch se.Name.Local {
		case "pStyle":
			p.style = attr(se, "val")
		case "jc":
			p.jc = attr(se, "val")
		case "outlineLvl":
			if n, err := strconv.Atoi(attr(se, "val")); err == nil && n >= 0 && n < 9 {
				p.outline = n + 1
			} else {
				p.outline = 10 // body text
			}
		case "numPr":
			return p.read(x) // its children follow
		case "ilvl":
			if n, err := strconv.Atoi(attr(se, "val")); err == nil && n >= 0 && n < 9 {
				p.ilvl, p.hasIlvl = n, true
			}
		case "numId":
			p.numID, p.hasNum = attr(se, "val"), true
		}
		return nil
	})
}

// parseRPr reads a w:rPr whose start was the last token.
func parseRPr(x *xmlReader) (rProps, error) {
	var r rProps
	err := x.children(func(se xml.StartElement) error {
		if !isW(se.Name) {
			return nil
		}
		switch se.Name.Local {
		case "rStyle":
			r.style = attr(se, "val")
		case "b":
			r.bold = triOf(onOff(se))
		case "vanish":
			r.hidden = triOf(onOff(se))
		case "sz":
			if n, err := strconv.Atoi(attr(se, "val")); err == nil && n > 0 && n < 10000 {
				r.size = n
			}
		case "rFonts":
			r.eastAsia = attr(se, "eastAsia")
			r.latin = attr(se, "ascii")
			if r.latin == "" {
				r.latin = attr(se, "hAnsi")
			}
		}
		return nil
	})
	return r, err
}

// runFmt is the formatting of a run once styles are applied.
type runFmt struct {
	bold, hidden bool
	size         int
	font         fontClass
}

// fontClass sorts the fonts of official documents (GB/T 9704) by role.
type fontClass uint8

const (
	fontOther      fontClass = iota
	fontTitle                // 方正小标宋简体: titles
	fontHei                  // 黑体: first-level headings
	fontKai                  // 楷体: second-level headings
	fontFangsong             // 仿宋: body text
	fontSong                 // 宋体
	numFontClasses           // count
)

func classifyFont(name string) fontClass {
	n := strings.ToLower(name)
	switch {
	case n == "":
		return fontOther
	case strings.Contains(n, "小标宋") || strings.Contains(n, "xiaobiaosong") || strings.Contains(n, "fzxbs"):
		return fontTitle
	case strings.Contains(n, "黑体") || strings.Contains(n, "simhei") || strings.Contains(n, "heiti"):
		return fontHei
	case strings.Contains(n, "楷") || strings.Contains(n, "kaiti"):
		return fontKai
	case strings.Contains(n, "仿宋") || strings.Contains(n, "fangsong"):
		return fontFangsong
	case strings.Contains(n, "宋") || strings.Contains(n, "simsun") || strings.Contains(n, "songti"):
		return fontSong
	}
	return fontOther
}

// chain returns the style id and the styles it is based on, nearest
// first, without cycles.
func (s *styles) chain(id string) []*style {
	var out []*style
	for id != "" && len(out) < 16 {
		st := s.byID[id]
		if st == nil {
			break
		}
		for _, seen := range out {
			if seen == st {
				return out
			}
		}
		out = append(out, st)
		id = st.basedOn
	}
	return out
}

func (s *styles) paraStyle(id string) string {
	if id == "" || s.byID[id] == nil {
		return s.defaultPara
	}
	return id
}

// run applies the styles to the direct formatting of a run in a
// paragraph of style pStyle: direct formatting, then the character style,
// then the paragraph style, then the defaults, each level filling what
// the one before left unset.
func (s *styles) run(pStyle string, direct rProps) runFmt {
	levels := []rProps{direct}
	for _, st := range s.chain(direct.style) {
		levels = append(levels, st.r)
	}
	for _, st := range s.chain(s.paraStyle(pStyle)) {
		levels = append(levels, st.r)
	}
	levels = append(levels, s.defaults)
	var f runFmt
	var bold, hidden tri
	var eastAsia, latin string
	for _, l := range levels {
		if bold == unset {
			bold = l.bold
		}
		if hidden == unset {
			hidden = l.hidden
		}
		if f.size == 0 {
			f.size = l.size
		}
		if eastAsia == "" {
			eastAsia = l.eastAsia
		}
		if latin == "" {
			latin = l.latin
		}
	}
	f.bold, f.hidden = bold == on, hidden == on
	if f.size == 0 {
		f.size = 20 // Word's 10 pt when nothing says otherwise
	}
	if eastAsia == "" {
		eastAsia = latin
	}
	f.font = classifyFont(eastAsia)
	return f
}

// paraFmt is the formatting of a paragraph once styles are applied.
type paraFmt struct {
	centered bool
	numID    string
	ilvl     int
	outline  int    // 1 for a heading 1, …; 0 for none
	role     string // "title" for the style Title or 标题, "heading1" for heading 1
}

func (s *styles) para(direct pProps) paraFmt {
	var f paraFmt
	jc := direct.jc
	f.numID, f.ilvl = direct.numID, direct.ilvl
	hasNum, hasIlvl := direct.hasNum, direct.hasIlvl
	outline := direct.outline
	chain := s.chain(s.paraStyle(direct.style))
	for _, st := range chain {
		if jc == "" {
			jc = st.p.jc
		}
		if !hasNum && st.p.hasNum {
			f.numID, hasNum = st.p.numID, true
			if !hasIlvl {
				f.ilvl, hasIlvl = st.p.ilvl, st.p.hasIlvl
			}
		}
		if outline == 0 {
			outline = st.p.outline
		}
	}
	if jc == "" {
		jc = s.defaultP.jc
	}
	f.centered = jc == "center"
	if !hasNum {
		f.numID = ""
	}
	if len(chain) > 0 {
		name := strings.ToLower(strings.Join(strings.Fields(chain[0].name), ""))
		switch {
		case name == "title" || name == "标题":
			f.role = "title"
		case strings.HasPrefix(name, "heading") || strings.HasPrefix(name, "标题"):
			if n, err := strconv.Atoi(strings.TrimPrefix(strings.TrimPrefix(name, "heading"), "标题")); err == nil && n >= 1 && n <= 9 {
				outline = n
			}
		}
	}
	if outline >= 1 && outline <= 9 {
		f.outline = outline
	}
	if f.outline == 1 && f.role == "" {
		f.role = "heading1"
	}
	return f
}
