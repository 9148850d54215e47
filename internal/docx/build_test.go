package docx

import (
	"archive/zip"
	"bytes"
	"encoding/xml"
	"strings"
	"testing"
	"time"
)

// A small writer of .docx files for the tests: the fixtures under
// testdata are made with it (fixtures_test.go), and so are the hostile
// files built in the tests.

// entry is one file of a zip archive.
type entry struct {
	name   string
	data   []byte
	stored bool // no compression
}

// zipBytes writes entries as a zip archive, with fixed times so that the
// same entries make the same bytes.
func zipBytes(t testing.TB, entries []entry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, Modified: time.Date(2024, 3, 15, 9, 0, 0, 0, time.UTC)}
		if e.stored {
			h.Method = zip.Store
		}
		w, err := zw.CreateHeader(h)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := w.Write(e.data); err != nil {
			t.Fatal(err)
		}
	}
	if err := zw.Close(); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// The namespaces a document part declares, as Word writes them.
const docNS = `xmlns:wpc="http://schemas.microsoft.com/office/word/2010/wordprocessingCanvas" ` +
	`xmlns:mc="http://schemas.openxmlformats.org/markup-compatibility/2006" ` +
	`xmlns:o="urn:schemas-microsoft-com:office:office" ` +
	`xmlns:r="http://schemas.openxmlformats.org/officeDocument/2006/relationships" ` +
	`xmlns:m="http://schemas.openxmlformats.org/officeDocument/2006/math" ` +
	`xmlns:v="urn:schemas-microsoft-com:vml" ` +
	`xmlns:wp="http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing" ` +
	`xmlns:w10="urn:schemas-microsoft-com:office:word" ` +
	`xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main" ` +
	`xmlns:w14="http://schemas.microsoft.com/office/word/2010/wordml" ` +
	`xmlns:wpg="http://schemas.microsoft.com/office/word/2010/wordprocessingGroup" ` +
	`xmlns:wps="http://schemas.microsoft.com/office/word/2010/wordprocessingShape" ` +
	`xmlns:a="http://schemas.openxmlformats.org/drawingml/2006/main" ` +
	`xmlns:pic="http://schemas.openxmlformats.org/drawingml/2006/picture" ` +
	`mc:Ignorable="w14"`

const xmlHeader = `<?xml version="1.0" encoding="UTF-8" standalone="yes"?>` + "\n"

// relSpec is a relationship of document.xml.
type relSpec struct {
	id, typ, target string
	external        bool
}

const relBase = "http://schemas.openxmlformats.org/officeDocument/2006/relationships/"

// docSpec describes a .docx.
type docSpec struct {
	body      string // inside w:body
	styles    string // inside w:styles; "" for no styles.xml
	numbering string // inside w:numbering; "" for none
	rels      []relSpec
	parts     []entry           // more parts: media, headers, footnotes
	overrides map[string]string // more content types by part name
	mainType  string            // content type of document.xml; "" for the usual
	sectPr    string            // w:sectPr at the end of the body
}

func (d docSpec) entries() []entry {
	mainType := d.mainType
	if mainType == "" {
		mainType = "application/vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"
	}
	ct := xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types">` +
		`<Default Extension="rels" ContentType="application/vnd.openxmlformats-package.relationships+xml"/>` +
		`<Default Extension="xml" ContentType="application/xml"/>` +
		`<Default Extension="png" ContentType="image/png"/>` +
		`<Default Extension="jpeg" ContentType="image/jpeg"/>` +
		`<Default Extension="emf" ContentType="image/x-emf"/>` +
		`<Override PartName="/word/document.xml" ContentType="` + mainType + `"/>`
	if d.styles != "" {
		ct += `<Override PartName="/word/styles.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.styles+xml"/>`
	}
	if d.numbering != "" {
		ct += `<Override PartName="/word/numbering.xml" ContentType="application/vnd.openxmlformats-officedocument.wordprocessingml.numbering+xml"/>`
	}
	for _, name := range sortedKeys(d.overrides) {
		ct += `<Override PartName="/` + name + `" ContentType="` + d.overrides[name] + `"/>`
	}
	ct += `</Types>`

	rootRels := xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">` +
		`<Relationship Id="rId1" Type="` + relBase + `officeDocument" Target="word/document.xml"/>` +
		`</Relationships>`

	rels := xmlHeader + `<Relationships xmlns="http://schemas.openxmlformats.org/package/2006/relationships">`
	if d.styles != "" {
		rels += `<Relationship Id="rIdStyles" Type="` + relBase + `styles" Target="styles.xml"/>`
	}
	if d.numbering != "" {
		rels += `<Relationship Id="rIdNumbering" Type="` + relBase + `numbering" Target="numbering.xml"/>`
	}
	for _, r := range d.rels {
		mode := ""
		if r.external {
			mode = ` TargetMode="External"`
		}
		rels += `<Relationship Id="` + r.id + `" Type="` + relBase + r.typ + `" Target="` + xmlEscape(r.target) + `"` + mode + `/>`
	}
	rels += `</Relationships>`

	doc := xmlHeader + `<w:document ` + docNS + `><w:body>` + d.body + d.sectPr + `</w:body></w:document>`
	out := []entry{
		{name: "[Content_Types].xml", data: []byte(ct)},
		{name: "_rels/.rels", data: []byte(rootRels)},
		{name: "word/document.xml", data: []byte(doc)},
		{name: "word/_rels/document.xml.rels", data: []byte(rels)},
	}
	if d.styles != "" {
		out = append(out, entry{name: "word/styles.xml", data: []byte(xmlHeader + `<w:styles ` + docNS + `>` + d.styles + `</w:styles>`)})
	}
	if d.numbering != "" {
		out = append(out, entry{name: "word/numbering.xml", data: []byte(xmlHeader + `<w:numbering ` + docNS + `>` + d.numbering + `</w:numbering>`)})
	}
	return append(out, d.parts...)
}

func (d docSpec) bytes(t testing.TB) []byte { return zipBytes(t, d.entries()) }

func sortedKeys(m map[string]string) []string {
	var keys []string
	for k := range m {
		keys = append(keys, k)
	}
	for i := 1; i < len(keys); i++ {
		for j := i; j > 0 && keys[j] < keys[j-1]; j-- {
			keys[j], keys[j-1] = keys[j-1], keys[j]
		}
	}
	return keys
}

func xmlEscape(s string) string {
	var b strings.Builder
	xml.EscapeText(&b, []byte(s))
	return b.String()
}

// p writes a paragraph with properties ppr (inside w:pPr) and runs.
func p(ppr string, runs ...string) string {
	s := "<w:p>"
	if ppr != "" {
		s += "<w:pPr>" + ppr + "</w:pPr>"
	}
	return s + strings.Join(runs, "") + "</w:p>"
}

// r writes a run of text with properties rpr (inside w:rPr).
func r(rpr, text string) string {
	return rx(rpr, `<w:t xml:space="preserve">`+xmlEscape(text)+`</w:t>`)
}

// rx writes a run of any content.
func rx(rpr, inner string) string {
	s := "<w:r>"
	if rpr != "" {
		s += "<w:rPr>" + rpr + "</w:rPr>"
	}
	return s + inner + "</w:r>"
}

// fonts sets the fonts of a run as Word does: all four slots.
func fonts(name string) string {
	return `<w:rFonts w:ascii="` + name + `" w:eastAsia="` + name + `" w:hAnsi="` + name + `" w:cs="` + name + `"/>`
}

// wpsFonts sets them as WPS does for Chinese text: the East Asian slot
// and a hint.
func wpsFonts(name string) string {
	return `<w:rFonts w:hint="eastAsia" w:eastAsia="` + name + `"/>`
}

func size(halfPoints string) string {
	return `<w:sz w:val="` + halfPoints + `"/><w:szCs w:val="` + halfPoints + `"/>`
}

const (
	bold     = `<w:b/><w:bCs/>`
	centered = `<w:jc w:val="center"/>`
	// 3号仿宋: the body text of official documents.
	bodyFont = `<w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hAnsi="仿宋_GB2312"/><w:sz w:val="32"/><w:szCs w:val="32"/>`
	// 2号方正小标宋简体: their titles.
	titleFont = `<w:rFonts w:ascii="方正小标宋简体" w:eastAsia="方正小标宋简体" w:hAnsi="方正小标宋简体"/><w:sz w:val="44"/><w:szCs w:val="44"/>`
	heiFont   = `<w:rFonts w:ascii="黑体" w:eastAsia="黑体" w:hAnsi="黑体"/><w:sz w:val="32"/><w:szCs w:val="32"/>`
	kaiFont   = `<w:rFonts w:ascii="楷体_GB2312" w:eastAsia="楷体_GB2312" w:hAnsi="楷体_GB2312"/><w:sz w:val="32"/><w:szCs w:val="32"/>`
	indent    = `<w:ind w:firstLine="640"/>`
)

// tc writes a table cell; span > 1 spans grid columns, merge is
// "restart" or "continue" for a vertical merge.
func tc(span int, merge string, paras ...string) string {
	s := "<w:tc><w:tcPr><w:tcW w:w=\"2000\" w:type=\"dxa\"/>"
	if span > 1 {
		s += `<w:gridSpan w:val="` + itoa(span) + `"/>`
	}
	switch merge {
	case "restart":
		s += `<w:vMerge w:val="restart"/>`
	case "continue":
		s += `<w:vMerge/>`
	}
	s += "</w:tcPr>"
	if len(paras) == 0 {
		paras = []string{"<w:p/>"}
	}
	return s + strings.Join(paras, "") + "</w:tc>"
}

// cellText is a cell of one paragraph of body text.
func cellText(text string) string { return tc(1, "", p("", r(bodyFont, text))) }

func tr(cells ...string) string { return "<w:tr>" + strings.Join(cells, "") + "</w:tr>" }

func tbl(cols int, rows ...string) string {
	s := `<w:tbl><w:tblPr><w:tblStyle w:val="TableGrid"/><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid>`
	for range cols {
		s += `<w:gridCol w:w="2000"/>`
	}
	return s + "</w:tblGrid>" + strings.Join(rows, "") + "</w:tbl>"
}

func itoa(n int) string {
	if n == 0 {
		return "0"
	}
	var b []byte
	for n > 0 {
		b = append([]byte{byte('0' + n%10)}, b...)
		n /= 10
	}
	return string(b)
}

// inlineImage writes a picture as Word does: DrawingML, inline.
func inlineImage(id int, relID, name, descr string) string {
	return `<w:drawing><wp:inline distT="0" distB="0" distL="0" distR="0">` +
		`<wp:extent cx="3048000" cy="2032000"/><wp:effectExtent l="0" t="0" r="0" b="0"/>` +
		`<wp:docPr id="` + itoa(id) + `" name="` + xmlEscape(name) + `" descr="` + xmlEscape(descr) + `"/>` +
		`<wp:cNvGraphicFramePr><a:graphicFrameLocks noChangeAspect="1"/></wp:cNvGraphicFramePr>` +
		`<a:graphic><a:graphicData uri="http://schemas.openxmlformats.org/drawingml/2006/picture"><pic:pic>` +
		`<pic:nvPicPr><pic:cNvPr id="` + itoa(id) + `" name="` + xmlEscape(name) + `"/><pic:cNvPicPr/></pic:nvPicPr>` +
		`<pic:blipFill><a:blip r:embed="` + relID + `"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill>` +
		`<pic:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="3048000" cy="2032000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></pic:spPr>` +
		`</pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing>`
}

// linkedImage writes a picture linked to a file outside the document.
func linkedImage(id int, relID string) string {
	return strings.Replace(inlineImage(id, "", "链接图片", ""), `r:embed=""`, `r:link="`+relID+`"`, 1)
}

// vmlImage writes a picture as WPS and old Word do: VML.
func vmlImage(relID string) string {
	return `<w:pict><v:shape id="_x0000_i1025" o:spt="75" type="#_x0000_t75" style="height:120pt;width:180pt;"><v:imagedata r:id="` + relID + `" o:title=""/></v:shape></w:pict>`
}

// textBox writes a text box as Word 2010 and later do: a DrawingML shape,
// with the VML one as the fallback for older readers.
func textBox(text string) string {
	content := `<w:txbxContent>` + p("", r("", text)) + `</w:txbxContent>`
	return `<mc:AlternateContent><mc:Choice Requires="wps"><w:drawing><wp:anchor distT="0" distB="0" distL="114300" distR="114300" simplePos="0" relativeHeight="251659264" behindDoc="0" locked="0" layoutInCell="1" allowOverlap="1">` +
		`<wp:simplePos x="0" y="0"/><wp:positionH relativeFrom="column"><wp:posOffset>4000000</wp:posOffset></wp:positionH><wp:positionV relativeFrom="paragraph"><wp:posOffset>-500000</wp:posOffset></wp:positionV>` +
		`<wp:extent cx="1000000" cy="400000"/><wp:effectExtent l="0" t="0" r="0" b="0"/><wp:wrapNone/><wp:docPr id="90" name="文本框 90"/><wp:cNvGraphicFramePr/>` +
		`<a:graphic><a:graphicData uri="http://schemas.microsoft.com/office/word/2010/wordprocessingShape"><wps:wsp><wps:cNvSpPr txBox="1"/><wps:spPr><a:xfrm><a:off x="0" y="0"/><a:ext cx="1000000" cy="400000"/></a:xfrm><a:prstGeom prst="rect"><a:avLst/></a:prstGeom></wps:spPr>` +
		`<wps:txbx>` + content + `</wps:txbx><wps:bodyPr/></wps:wsp></a:graphicData></a:graphic></wp:anchor></w:drawing></mc:Choice>` +
		`<mc:Fallback><w:pict><v:shape id="文本框 90" o:spid="_x0000_s1026" type="#_x0000_t202" style="position:absolute;width:80pt;height:30pt"><v:textbox>` + content + `</v:textbox></v:shape></w:pict></mc:Fallback></mc:AlternateContent>`
}

// field writes a complex field: its instructions, then its result.
func field(rpr, instr, result string) string {
	return rx(rpr, `<w:fldChar w:fldCharType="begin"/>`) +
		rx(rpr, `<w:instrText xml:space="preserve"> `+xmlEscape(instr)+` </w:instrText>`) +
		rx(rpr, `<w:fldChar w:fldCharType="separate"/>`) +
		r(rpr, result) +
		rx(rpr, `<w:fldChar w:fldCharType="end"/>`)
}

// numPr puts a paragraph in list numID at level ilvl.
func numPr(numID, ilvl int) string {
	return `<w:numPr><w:ilvl w:val="` + itoa(ilvl) + `"/><w:numId w:val="` + itoa(numID) + `"/></w:numPr>`
}

const sectPr = `<w:sectPr><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/></w:sectPr>`
