package docx

import (
	"encoding/xml"
	"strconv"
	"strings"
)

// level is one level of a numbering definition.
type level struct {
	start  int
	format string // w:numFmt: decimal, chineseCounting, …
	text   string // w:lvlText: "%1、", "（%1）"
	suff   string // what follows the number: tab (the default), space, nothing
	isLgl  bool   // numbers of all levels in decimal
	set    bool
}

type abstractNum struct {
	levels   [9]level
	styleRef string // w:numStyleLink: the levels are those of a numbering style
}

type num struct {
	abstract  string
	overrides [9]struct {
		start    int
		hasStart bool
		lvl      level
	}
}

// numbering is numbering.xml, and the counters as the document goes.
type numbering struct {
	abstracts map[string]*abstractNum
	nums      map[string]*num
	counters  map[string]*[9]int // by abstract id: shared by its nums
	seen      map[string]bool    // nums already used, for start overrides
}

const maxNumbering = 20000

func newNumbering() *numbering {
	return &numbering{abstracts: map[string]*abstractNum{}, nums: map[string]*num{}, counters: map[string]*[9]int{}, seen: map[string]bool{}}
}

func parseNumbering(x *xmlReader) (*numbering, error) {
	n := newNumbering()
	err := x.walk(func(se xml.StartElement) error {
		if !isW(se.Name) {
			return nil
		}
		switch se.Name.Local {
		case "numbering":
			return nil // descend
		case "abstractNum":
			return define(x, n.abstracts, attr(se, "abstractNumId"), parseAbstract)
		case "num":
			return define(x, n.nums, attr(se, "numId"), parseNum)
		}
		return x.skip()
	})
	if err != nil {
		return nil, err
	}
	return n, nil
}

// define reads a list definition with parse and keeps it under id,
// unless the id has one already.
func define[T any](x *xmlReader, defs map[string]*T, id string, parse func(*xmlReader, *T) error) error {
	if len(defs) >= maxNumbering {
		return formatErr("%s defines more than %d lists", x.part, maxNumbering)
	}
	def := new(T)
	if err := parse(x, def); err != nil {
		return err
	}
	if defs[id] == nil {
		defs[id] = def
	}
	return nil
}

func parseAbstract(x *xmlReader, a *abstractNum) error {
	return x.children(func(se xml.StartElement) error {
		if !isW(se.Name) {
			return nil
		}
		switch se.Name.Local {
		case "lvl":
			i, err := strconv.Atoi(attr(se, "ilvl"))
			lv, perr := parseLevel(x)
			if perr != nil {
				return perr
			}
			if err == nil && i >= 0 && i < 9 {
				a.levels[i] = lv
			}
		case "numStyleLink":
			a.styleRef = attr(se, "val")
		}
		return nil
	})
}

func parseLevel(x *xmlReader) (level, error) {
	lv := level{start: 1, format: "decimal", set: true}
	err := x.children(func(se xml.StartElement) error {
		if !isW(se.Name) {
			return nil
		}
		switch se.Name.Local {
		case "start":
			if v, err := strconv.Atoi(attr(se, "val")); err == nil && v >= 0 {
				lv.start = v
			}
		case "numFmt":
			lv.format = attr(se, "val")
		case "lvlText":
			lv.text = attr(se, "val")
		case "suff":
			lv.suff = attr(se, "val")
		case "isLgl":
			lv.isLgl = onOff(se)
		}
		return nil
	})
	return lv, err
}

func parseNum(x *xmlReader, nm *num) error {
	ilvl := -1 // the level of the w:lvlOverride being read
	var content func(se xml.StartElement) error
	content = func(se xml.StartElement) error {
		if !isW(se.Name) {
			return nil
		}
		switch se.Name.Local {
		case "abstractNumId":
			nm.abstract = attr(se, "val")
		case "lvlOverride":
			ilvl = -1
			if i, err := strconv.Atoi(attr(se, "ilvl")); err == nil && i >= 0 && i < 9 {
				ilvl = i
			}
			return x.children(content) // its children follow
		case "startOverride":
			if v, err := strconv.Atoi(attr(se, "val")); err == nil && v >= 0 && ilvl >= 0 {
				nm.overrides[ilvl].start, nm.overrides[ilvl].hasStart = v, true
			}
		case "lvl":
			lv, err := parseLevel(x)
			if err != nil {
				return err
			}
			if ilvl >= 0 {
				nm.overrides[ilvl].lvl = lv
			}
		}
		return nil
	}
	return x.children(content)
}

// next advances the counter of level ilvl of list numID and returns the
// number as the paragraph shows it, "" when the list shows none. bullet
// reports a bulleted list. st resolves numbering styles (w:numStyleLink).
func (n *numbering) next(numID string, ilvl int, st *styles) (text string, bullet bool) {
	if n == nil || numID == "" || numID == "0" {
		return "", false
	}
	nm := n.nums[numID]
	if nm == nil {
		return "", false
	}
	absID := nm.abstract
	a := n.abstracts[absID]
	if a != nil && a.styleRef != "" && st != nil {
		// The list's levels are defined by a numbering style, which
		// names the list that has them.
		for _, s := range st.chain(a.styleRef) {
			if s.p.hasNum {
				if linked := n.nums[s.p.numID]; linked != nil && n.abstracts[linked.abstract] != nil {
					absID = linked.abstract
					a = n.abstracts[absID]
				}
				break
			}
		}
	}
	if a == nil {
		return "", false
	}
	levels := a.levels
	for i := range levels {
		if nm.overrides[i].lvl.set {
			levels[i] = nm.overrides[i].lvl
		}
	}
	c := n.counters[absID]
	if c == nil {
		c = new([9]int)
		for i := range c {
			c[i] = -1 // not started
		}
		n.counters[absID] = c
	}
	if !n.seen[numID] {
		n.seen[numID] = true
		for i := range nm.overrides {
			if nm.overrides[i].hasStart {
				c[i] = -1
				levels[i].start = nm.overrides[i].start
			}
		}
	}
	if c[ilvl] < 0 {
		c[ilvl] = levels[ilvl].start
		if nm.overrides[ilvl].hasStart {
			c[ilvl] = nm.overrides[ilvl].start
		}
	} else {
		c[ilvl]++
	}
	for i := ilvl + 1; i < len(c); i++ {
		c[i] = -1
	}
	lv := levels[ilvl]
	switch lv.format {
	case "bullet":
		return "", true
	case "none":
		return "", false
	}
	var b strings.Builder
	t := lv.text
	for len(t) > 0 {
		i := strings.IndexByte(t, '%')
		if i < 0 || i+1 >= len(t) || t[i+1] < '1' || t[i+1] > '9' {
			b.WriteString(t)
			break
		}
		b.WriteString(t[:i])
		k := int(t[i+1] - '1')
		v := c[k]
		if v < 0 {
			v = levels[k].start
		}
		format := levels[k].format
		if lv.isLgl {
			format = "decimal"
		}
		b.WriteString(formatNumber(v, format))
		t = t[i+2:]
	}
	text = b.String()
	if text != "" && lv.suff != "nothing" {
		// A tab or space after the number: needed after "1." so the
		// words do not run into it, not after "一、" or "（一）".
		if r := lastRune(text); !isWide(r) {
			text += " "
		}
	}
	return text, false
}

// formatNumber writes n in one of Word's number formats; those not known
// here are written in decimal.
func formatNumber(n int, format string) string {
	switch format {
	case "upperRoman", "lowerRoman":
		if n > 0 && n < 4000 {
			r := roman(n)
			if format == "lowerRoman" {
				r = strings.ToLower(r)
			}
			return r
		}
	case "upperLetter", "lowerLetter":
		if n > 0 && n <= 780 {
			c := byte('A' + (n-1)%26)
			if format == "lowerLetter" {
				c += 'a' - 'A'
			}
			return strings.Repeat(string(c), (n-1)/26+1)
		}
	case "chineseCounting", "chineseCountingThousand", "japaneseCounting", "taiwaneseCounting", "taiwaneseCountingThousand", "ideographLegalTraditional":
		if n >= 0 && n < 10000 {
			return chineseCounting(n)
		}
	case "ideographDigital", "taiwaneseDigital", "japaneseDigitalTenThousand":
		if n >= 0 {
			var b strings.Builder
			for _, d := range strconv.Itoa(n) {
				b.WriteRune([]rune("〇一二三四五六七八九")[d-'0'])
			}
			return b.String()
		}
	case "chineseLegalSimplified":
		if n >= 0 && n < 10000 {
			r := strings.NewReplacer("一", "壹", "二", "贰", "三", "叁", "四", "肆", "五", "伍", "六", "陆", "七", "柒", "八", "捌", "九", "玖", "十", "拾", "百", "佰", "千", "仟", "〇", "零", "零", "零")
			return r.Replace(chineseCounting(n))
		}
	case "ideographTraditional":
		if n >= 1 && n <= 10 {
			return string([]rune("甲乙丙丁戊己庚辛壬癸")[n-1])
		}
	case "ideographZodiac":
		if n >= 1 && n <= 12 {
			return string([]rune("子丑寅卯辰巳午未申酉戌亥")[n-1])
		}
	case "decimalFullWidth", "decimalFullWidth2":
		var b strings.Builder
		for _, d := range strconv.Itoa(n) {
			if d == '-' {
				b.WriteRune('－')
				continue
			}
			b.WriteRune('０' + d - '0')
		}
		return b.String()
	case "decimalEnclosedCircle", "decimalEnclosedCircleChinese":
		if n >= 1 && n <= 20 {
			return string(rune('①' + n - 1))
		}
	case "decimalEnclosedParen":
		if n >= 1 && n <= 20 {
			return string(rune('⑴' + n - 1))
		}
	case "decimalEnclosedFullstop":
		if n >= 1 && n <= 20 {
			return string(rune('⒈' + n - 1))
		}
	case "decimalZero":
		if n >= 0 && n < 10 {
			return "0" + strconv.Itoa(n)
		}
	}
	return strconv.Itoa(n)
}

func roman(n int) string {
	vals := []int{1000, 900, 500, 400, 100, 90, 50, 40, 10, 9, 5, 4, 1}
	syms := []string{"M", "CM", "D", "CD", "C", "XC", "L", "XL", "X", "IX", "V", "IV", "I"}
	var b strings.Builder
	for i, v := range vals {
		for n >= v {
			b.WriteString(syms[i])
			n -= v
		}
	}
	return b.String()
}

// chineseCounting writes 0 ≤ n < 10000 as Chinese numerals: 十, 十一,
// 二十, 一百零五, 一百一十.
func chineseCounting(n int) string {
	digits := []rune("〇一二三四五六七八九")
	if n < 10 {
		return string(digits[n])
	}
	if n < 20 {
		if n == 10 {
			return "十"
		}
		return "十" + string(digits[n-10])
	}
	units := []string{"千", "百", "十", ""}
	var b strings.Builder
	zero := false
	started := false
	for i, div := range []int{1000, 100, 10, 1} {
		d := n / div % 10
		if d == 0 {
			zero = started
			continue
		}
		if zero {
			b.WriteRune('〇')
			zero = false
		}
		b.WriteRune(digits[d])
		b.WriteString(units[i])
		started = true
	}
	return strings.ReplaceAll(b.String(), "〇", "零")
}
