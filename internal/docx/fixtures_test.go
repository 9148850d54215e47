package docx

import (
	"archive/zip"
	"bytes"
	"image"
	"image/color"
	"image/jpeg"
	"image/png"
	"io"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"bulletin/internal/golden"
)

// The fixtures under testdata are reports as bureaus send them, written
// by the functions below. go test -update rewrites them; otherwise
// TestFixturesUpToDate checks that the committed files hold what the
// functions write, part by part (pictures aside: their encoders may
// change between Go versions).

type fixture struct {
	name string // file name under testdata
	spec func(t testing.TB) docSpec
}

var fixtures = []fixture{
	{"xining-baosongdan.docx", xiningReport},
	{"haidong-title-style.docx", haidongReport},
	{"huangzhong-wps.docx", huangzhongReport},
}

// xiningReport is a report as Word writes it with an office's direct
// formatting and no heading styles: a 报送单 table on top, a title in
// 2号方正小标宋简体 centred, 3号仿宋 text indented with full-width spaces,
// headings numbered by Word (一、 in 黑体, （一） in 楷体), bold lead
// sentences 一是……二是……, a line broken by w:br, a data table with merged
// cells, a picture, tracked changes, a hyperlink field, invisible
// characters, and the attribution.
func xiningReport(t testing.TB) docSpec {
	styles := `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="Times New Roman" w:eastAsia="宋体" w:hAnsi="Times New Roman" w:cs="Times New Roman"/><w:kern w:val="2"/><w:sz w:val="21"/><w:szCs w:val="24"/><w:lang w:val="en-US" w:eastAsia="zh-CN" w:bidi="ar-SA"/></w:rPr></w:rPrDefault><w:pPrDefault/></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:qFormat/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr></w:style>` +
		`<w:style w:type="character" w:default="1" w:styleId="a0"><w:name w:val="Default Paragraph Font"/><w:uiPriority w:val="1"/><w:semiHidden/></w:style>` +
		`<w:style w:type="table" w:styleId="a3"><w:name w:val="Table Grid"/><w:basedOn w:val="a1"/><w:tblPr><w:tblBorders><w:top w:val="single" w:sz="4" w:space="0" w:color="auto"/></w:tblBorders></w:tblPr></w:style>` +
		`<w:style w:type="character" w:styleId="a4"><w:name w:val="Hyperlink"/><w:rPr><w:color w:val="0563C1"/><w:u w:val="single"/></w:rPr></w:style>`
	numbering := `<w:abstractNum w:abstractNumId="0"><w:multiLevelType w:val="hybridMultilevel"/>` +
		`<w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="%1、"/><w:lvlJc w:val="left"/><w:pPr><w:ind w:left="0" w:firstLine="640"/></w:pPr></w:lvl>` +
		`<w:lvl w:ilvl="1"><w:start w:val="1"/><w:numFmt w:val="chineseCounting"/><w:suff w:val="nothing"/><w:lvlText w:val="（%2）"/><w:lvlJc w:val="left"/></w:lvl>` +
		`</w:abstractNum>` +
		`<w:abstractNum w:abstractNumId="1"><w:lvl w:ilvl="0"><w:start w:val="1"/><w:numFmt w:val="decimal"/><w:lvlText w:val="%1."/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>` +
		`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>` +
		`<w:num w:numId="2"><w:abstractNumId w:val="1"/></w:num>`

	label := func(s string) string { return tc(1, "", p(centered, r(heiFont, s))) }
	baosong := tbl(4,
		tr(tc(4, "", p(centered, r(titleFont, "信息报送单")))),
		tr(label("报送单位"), cellText("西宁市民政局"), label("签 发 人"), cellText("王某某")),
		tr(label("执笔人"), cellText("李某"), label("联系电话"), cellText("0971-1234567")),
		tr(label("约稿编号"), cellText("2024-003"), label("报送日期"), cellText("2024年3月15日")),
	)
	head := func(s string) string { return tc(1, "", p(centered, r(bodyFont+bold, s))) }
	data := tbl(4,
		tr(head("区县"), head("救助人数（人）"), head("发放资金（万元）"), head("备注")),
		tr(cellText("城东区"), cellText("1,234"), cellText("56.7"), tc(1, "restart", p("", r(bodyFont, "含A|B类对象")))),
		tr(cellText("城中区"), cellText("2,345"), cellText("78.9"), tc(1, "continue")),
		tr(tc(2, "", p(centered, r(bodyFont+bold, "合计"))), cellText("135.6"), cellText("")),
	)
	body := baosong +
		p("") +
		p(centered+`<w:spacing w:line="560" w:lineRule="exact"/>`, r(titleFont, "西宁市多措并举做好"), r(titleFont, "困难群众冬春救助工作")) +
		p("") +
		p(indent, r(bodyFont, "　　今年以来，西宁市民政局坚持以人民为中心的发展思想，聚焦困难群众“急难愁盼”问题，扎实做好冬春救助各项工作，取得明显成效。")) +
		p(numPr(1, 0)+indent, r(heiFont, "加强组织领导")) +
		p(indent,
			r(bodyFont+bold, "　　一是"), r(bodyFont+bold, "健全工作机制。"),
			r(bodyFont, "成立由局主要负责同志任组长的工作专班，"),
			`<w:del w:id="1" w:author="王某某" w:date="2024-03-14T10:00:00Z">`+rx(bodyFont, `<w:delText>每月</w:delText>`)+`</w:del>`,
			`<w:ins w:id="2" w:author="王某某" w:date="2024-03-14T10:00:00Z">`+r(bodyFont, "每周")+`</w:ins>`,
			r(bodyFont, "调度一次工作进展。"),
			r(bodyFont+bold, "二是"), r(bodyFont+bold, "　"), r(bodyFont+bold, "压实工作责任。"),
			r(bodyFont, "将冬春救助纳入年度目标考核，层层签订责任书。")) +
		p(numPr(1, 1)+indent, r(kaiFont, "精准识别救助对象")) +
		p(indent,
			r(bodyFont, "　　全市共排查"), rx(bodyFont, `<w:br/>`),
			r(bodyFont, "　　困难群众1.2万人，"), rx(bodyFont, `<w:br/>`),
			r(bodyFont, "其中新纳入低保对象326户、特困供养人员58人。")) +
		p(numPr(2, 0)+indent, r(bodyFont, "城市低保标准提高到每人每月780元。")) +
		p(numPr(2, 0)+indent, r(bodyFont, "农村低保标准提高到每人每年6000元。")) +
		data +
		p(centered, rx("", inlineImage(1, "rId10", "图片 1", "救助物资发放现场"))) +
		p(centered, r(kaiFont+size("28"), "图为救助物资发放现场")) +
		p(numPr(1, 0)+indent, r(heiFont, "强化资金保障")) +
		p(indent,
			r(bodyFont, "　　市财政安排冬春救助资金135.6万元，"),
			r(bodyFont, "资金发放情况在"),
			field(bodyFont, `HYPERLINK "http://mzj.xining.gov.cn/"`, "市民政局网站"),
			r(bodyFont, "公开，接受社会监督\u200b。困难群众可通过“青海民政”小程序查询救助进度，确保救助资金及时足额发放到位。")) +
		p(`<w:jc w:val="right"/>`, r(bodyFont, "（据西宁市民政局）"))
	return docSpec{
		body:      body,
		styles:    styles,
		numbering: numbering,
		sectPr:    sectPr,
		rels:      []relSpec{{id: "rId10", typ: "image", target: "media/image1.png"}},
		parts:     []entry{{name: "word/media/image1.png", data: pngFixture(t), stored: true}},
	}
}

// haidongReport is a report whose office used styles: the title in the
// style Title over two paragraphs, headings in heading 2, the 报送单 as
// lines above the title (fields separated by full-width spaces), a
// footnote, a text box, a picture linked from a web server, and the
// attribution at the end of the last paragraph.
func haidongReport(t testing.TB) docSpec {
	styles := `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:ascii="仿宋_GB2312" w:eastAsia="仿宋_GB2312" w:hAnsi="仿宋_GB2312"/><w:sz w:val="32"/><w:szCs w:val="32"/></w:rPr></w:rPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="a"><w:name w:val="Normal"/><w:pPr><w:ind w:firstLineChars="200" w:firstLine="640"/><w:jc w:val="both"/></w:pPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="a3"><w:name w:val="Title"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:qFormat/><w:pPr><w:ind w:firstLineChars="0" w:firstLine="0"/><w:jc w:val="center"/><w:outlineLvl w:val="0"/></w:pPr><w:rPr><w:rFonts w:ascii="方正小标宋简体" w:eastAsia="方正小标宋简体" w:hAnsi="方正小标宋简体"/><w:sz w:val="44"/></w:rPr></w:style>` +
		`<w:style w:type="paragraph" w:styleId="2"><w:name w:val="heading 2"/><w:basedOn w:val="a"/><w:next w:val="a"/><w:qFormat/><w:pPr><w:keepNext/><w:outlineLvl w:val="1"/></w:pPr><w:rPr><w:rFonts w:ascii="黑体" w:eastAsia="黑体" w:hAnsi="黑体"/></w:rPr></w:style>` +
		`<w:style w:type="character" w:styleId="a5"><w:name w:val="footnote reference"/><w:rPr><w:vertAlign w:val="superscript"/></w:rPr></w:style>`
	footnotes := xmlHeader + `<w:footnotes ` + docNS + `><w:footnote w:type="separator" w:id="-1"><w:p><w:r><w:separator/></w:r></w:p></w:footnote>` +
		`<w:footnote w:id="1"><w:p><w:r><w:rPr><w:rStyle w:val="a5"/></w:rPr><w:footnoteRef/></w:r><w:r><w:t xml:space="preserve"> 数据来源：海东市社会救助信息系统。</w:t></w:r></w:p></w:footnote></w:footnotes>`
	header := xmlHeader + `<w:hdr ` + docNS + `>` + p(centered, r("", "海东市民政局")) + `</w:hdr>`
	body := p("", r("", "报送单位：海东市民政局　　签发人：张某")) +
		p("", r("", "执笔人：赵某　联系电话：0972-8765432　报送日期：2024年4月2日")) +
		p("", r("", "约稿：关于社会救助政策落实情况的约稿")) +
		p(`<w:pStyle w:val="a3"/>`, r("", "海东市推进“一门受理、协同办理”")) +
		p(`<w:pStyle w:val="a3"/>`, r("", "提升社会救助服务效能"), rx("", textBox("内部资料 注意保存"))) +
		p("", r("", "今年以来，海东市以“一门受理、协同办理”改革为抓手，推动社会救助由“人找政策”向“政策找人”转变。"), rx(`<w:rStyle w:val="a5"/>`, `<w:footnoteReference w:id="1"/>`)) +
		p(`<w:pStyle w:val="2"/>`, r("", "一、基本做法")) +
		p("", r(bold, "（一）整合窗口。"), r("", "在全市6个县区、102个乡镇（街道）设立社会救助“一门受理”窗口。")) +
		p("", r(bold, "（二）信息共享。"), r("", "依托社会救助信息系统，实现民政、医保、教育等部门数据实时比对，2 * 3 = 6 项指标自动核查。")) +
		p(`<w:pStyle w:val="2"/>`, r("", "二、取得成效")) +
		p(centered, rx("", linkedImage(3, "rId20"))) +
		p("", r("", "截至3月底，全市累计受理救助申请1.8万件，办结率达99.2%，群众满意度达98%。（海东市民政局供稿）"))
	return docSpec{
		body:   body,
		styles: styles,
		sectPr: `<w:sectPr><w:headerReference w:type="default" r:id="rId30"/><w:pgSz w:w="11906" w:h="16838"/></w:sectPr>`,
		rels: []relSpec{
			{id: "rId20", typ: "image", target: "http://www.haidong.gov.cn/images/chuangkou.jpg", external: true},
			{id: "rId21", typ: "footnotes", target: "footnotes.xml"},
			{id: "rId30", typ: "header", target: "header1.xml"},
		},
		parts: []entry{
			{name: "word/footnotes.xml", data: []byte(footnotes)},
			{name: "word/header1.xml", data: []byte(header)},
		},
		overrides: map[string]string{
			"word/footnotes.xml": "application/vnd.openxmlformats-officedocument.wordprocessingml.footnotes+xml",
			"word/header1.xml":   "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
		},
	}
}

// huangzhongReport is a report as WPS writes it: fonts in the East Asian
// slot only with a hint, explicit w:b w:val="0", no sizes in the styles,
// a title over two consecutive paragraphs of the same size, headings
// typed by hand (一、 in 黑体, （一） in 楷体), a list numbered ①②, a
// picture in VML, a simple field, a table inside a table and a table
// with gridBefore, an EMF picture, the 报送单 fields in the page header,
// and the attribution （供稿：…）.
func huangzhongReport(t testing.TB) docSpec {
	ns := `xmlns:wpsCustomData="http://www.wps.cn/officeDocument/2013/wpsCustomData"`
	body := func(text string) string {
		return p(`<w:keepNext w:val="0"/><w:keepLines w:val="0"/><w:widowControl/><w:suppressLineNumbers w:val="0"/><w:spacing w:line="560" w:lineRule="exact"/><w:ind w:firstLine="640" w:firstLineChars="200"/><w:jc w:val="both"/>`,
			r(wpsFonts("仿宋_GB2312")+`<w:b w:val="0"/><w:bCs w:val="0"/><w:kern w:val="2"/>`+size("32")+`<w:lang w:val="en-US" w:eastAsia="zh-CN"/>`, text))
	}
	wpsTitle := wpsFonts("方正小标宋简体") + `<w:b w:val="0"/>` + size("44")
	styles := `<w:docDefaults><w:rPrDefault><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia" w:hAnsiTheme="minorHAnsi"/></w:rPr></w:rPrDefault></w:docDefaults>` +
		`<w:style w:type="paragraph" w:default="1" w:styleId="1"><w:name w:val="Normal"/><w:qFormat/><w:uiPriority w:val="0"/><w:pPr><w:widowControl w:val="0"/><w:jc w:val="both"/></w:pPr><w:rPr><w:rFonts w:asciiTheme="minorHAnsi" w:eastAsiaTheme="minorEastAsia"/><w:kern w:val="2"/></w:rPr></w:style>`
	numbering := `<w:abstractNum w:abstractNumId="0"><w:nsid w:val="3E4F2A10"/><w:multiLevelType w:val="singleLevel"/><w:tmpl w:val="3E4F2A10"/>` +
		`<w:lvl w:ilvl="0" w:tentative="0"><w:start w:val="1"/><w:numFmt w:val="decimalEnclosedCircleChinese"/><w:suff w:val="nothing"/><w:lvlText w:val="%1"/><w:lvlJc w:val="left"/></w:lvl></w:abstractNum>` +
		`<w:num w:numId="1"><w:abstractNumId w:val="0"/></w:num>`
	header := xmlHeader + `<w:hdr ` + docNS + ` ` + ns + `>` +
		p(`<w:jc w:val="left"/>`, r(wpsFonts("仿宋_GB2312")+size("24"), "报送单位：湟中区民政局　　签发人：马某")) +
		p(`<w:jc w:val="left"/>`, r(wpsFonts("仿宋_GB2312")+size("24"), "执笔人：韩某　　电话：0971-2234567")) +
		`</w:hdr>`
	nested := tbl(2,
		tr(cellText("项目"), cellText("情况")),
		tr(cellText("走访"), tc(1, "", tbl(2, tr(cellText("入户"), cellText("1200户")), tr(cellText("电话"), cellText("300户"))))),
	)
	offset := `<w:tbl><w:tblPr><w:tblW w:w="0" w:type="auto"/></w:tblPr><w:tblGrid><w:gridCol w:w="1000"/><w:gridCol w:w="2000"/><w:gridCol w:w="2000"/></w:tblGrid>` +
		`<w:tr><w:trPr><w:gridBefore w:val="1"/><w:wBefore w:w="1000" w:type="dxa"/></w:trPr>` + cellText("乡镇") + cellText("临时救助（人次）") + `</w:tr>` +
		tr(cellText("1"), cellText("鲁沙尔镇"), cellText("86")) +
		tr(cellText("2"), cellText("多巴镇"), cellText("64")) +
		`</w:tbl>`
	doc := p(centered+`<w:spacing w:line="600" w:lineRule="exact"/>`, r(wpsTitle, "湟中区“暖心行动”")) +
		p(centered+`<w:spacing w:line="600" w:lineRule="exact"/>`, r(wpsTitle, "温暖困难群众过冬")) +
		p("", r(wpsFonts("仿宋_GB2312")+size("32"), "　　　　")) +
		body("入冬以来，湟中区民政局开展“暖心行动”，确保困难群众温暖过冬。") +
		p(`<w:ind w:firstLine="640" w:firstLineChars="200"/>`, r(wpsFonts("黑体")+size("32"), "一、摸清底数")) +
		p(`<w:ind w:firstLine="640" w:firstLineChars="200"/>`, r(wpsFonts("楷体_GB2312")+size("32"), "（一）入户走访")) +
		p(`<w:ind w:firstLine="640" w:firstLineChars="200"/>`,
			r(wpsFonts("仿宋_GB2312")+`<w:b/><w:bCs/>`+size("32"), "一是"),
			r(wpsFonts("仿宋_GB2312")+`<w:b/><w:bCs/>`+size("32"), "全面排查。"),
			r(wpsFonts("仿宋_GB2312")+`<w:b w:val="0"/><w:bCs w:val="0"/>`+size("32"), "组织干部入户走访，建立"),
			r(wpsFonts("仿宋_GB2312")+`<w:b/>`+size("32"), "“一户一档”"),
			r(wpsFonts("仿宋_GB2312")+`<w:b w:val="0"/>`+size("32"), "台账。")) +
		nested +
		p(`<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>`, r(wpsFonts("仿宋_GB2312")+size("32"), "发放棉衣棉被1200套；")) +
		p(`<w:numPr><w:ilvl w:val="0"/><w:numId w:val="1"/></w:numPr>`, r(wpsFonts("仿宋_GB2312")+size("32"), "发放取暖煤300吨。")) +
		offset +
		p(centered, rx(wpsFonts("仿宋_GB2312"), vmlImage("rId7"))) +
		p(centered, rx(wpsFonts("仿宋_GB2312"), vmlImage("rId8"))) +
		p(`<w:ind w:firstLine="640" w:firstLineChars="200"/>`, r(wpsFonts("黑体")+size("32"), "二、下一步打算")) +
		p(`<w:ind w:firstLine="640" w:firstLineChars="200"/>`,
			r(wpsFonts("仿宋_GB2312")+size("32"), "详见"),
			`<w:fldSimple w:instr=" HYPERLINK &quot;http://www.huangzhong.gov.cn/&quot; ">`+r(wpsFonts("仿宋_GB2312")+size("32"), "湟中区人民政府网")+`</w:fldSimple>`,
			r(wpsFonts("仿宋_GB2312")+size("32"), "。下一步，将持续跟踪救助效果，做到应救尽救\u00ad、应保尽保。")) +
		p(`<w:jc w:val="right"/>`, r(wpsFonts("仿宋_GB2312")+size("32"), "（供稿：湟中区民政局）"))
	custom := xmlHeader + `<Properties xmlns="http://schemas.openxmlformats.org/officeDocument/2006/custom-properties" xmlns:vt="http://schemas.openxmlformats.org/officeDocument/2006/docPropsVTypes"><property fmtid="{D5CDD505-2E9C-101B-9397-08002B2CF9AE}" pid="2" name="KSOProductBuildVer"><vt:lpwstr>2052-12.1.0.16120</vt:lpwstr></property></Properties>`
	return docSpec{
		body:      doc,
		styles:    styles,
		numbering: numbering,
		sectPr:    `<w:sectPr><w:headerReference w:type="default" r:id="rId9"/><w:pgSz w:w="11906" w:h="16838"/><w:pgMar w:top="2098" w:right="1474" w:bottom="1984" w:left="1588" w:header="851" w:footer="992" w:gutter="0"/><w:cols w:space="0" w:num="1"/><w:docGrid w:type="lines" w:linePitch="312" w:charSpace="0"/></w:sectPr>`,
		rels: []relSpec{
			{id: "rId7", typ: "image", target: "media/image1.jpeg"},
			{id: "rId8", typ: "image", target: "media/image2.emf"},
			{id: "rId9", typ: "header", target: "header1.xml"},
		},
		parts: []entry{
			{name: "word/media/image1.jpeg", data: jpegFixture(t), stored: true},
			{name: "word/media/image2.emf", data: emfFixture()},
			{name: "word/header1.xml", data: []byte(header)},
			{name: "docProps/custom.xml", data: []byte(custom)},
		},
		overrides: map[string]string{
			"word/header1.xml":    "application/vnd.openxmlformats-officedocument.wordprocessingml.header+xml",
			"docProps/custom.xml": "application/vnd.openxmlformats-officedocument.custom-properties+xml",
		},
	}
}

// pngFixture is a small picture: a blue sky over a red roof.
func pngFixture(t testing.TB) []byte {
	img := image.NewRGBA(image.Rect(0, 0, 32, 24))
	for y := range 24 {
		for x := range 32 {
			c := color.RGBA{0x4a, 0x90, 0xd9, 0xff}
			if y > 12 {
				c = color.RGBA{0xc0, 0x39, 0x2b, 0xff}
			}
			img.Set(x, y, c)
		}
	}
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func jpegFixture(t testing.TB) []byte {
	img := image.NewGray(image.Rect(0, 0, 24, 16))
	for y := range 16 {
		for x := range 24 {
			img.SetGray(x, y, color.Gray{uint8(x * 10)})
		}
	}
	var buf bytes.Buffer
	if err := jpeg.Encode(&buf, img, &jpeg.Options{Quality: 50}); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

// emfFixture is the start of an EMF file: enough for its signature.
func emfFixture() []byte {
	b := make([]byte, 88)
	b[0] = 1
	copy(b[40:], " EMF")
	return b
}

func TestFixturesUpToDate(t *testing.T) {
	for _, fx := range fixtures {
		path := filepath.Join("testdata", fx.name)
		want := fx.spec(t).entries()
		if *golden.Update {
			if err := os.WriteFile(path, zipBytes(t, want), 0o644); err != nil {
				t.Fatal(err)
			}
			continue
		}
		zr, err := zip.OpenReader(path)
		if err != nil {
			t.Fatalf("%v (run go test -update to write the fixtures)", err)
		}
		got := map[string][]byte{}
		for _, f := range zr.File {
			rc, err := f.Open()
			if err != nil {
				t.Fatal(err)
			}
			got[f.Name], _ = io.ReadAll(rc)
			rc.Close()
		}
		zr.Close()
		for _, e := range want {
			if strings.HasPrefix(e.name, "word/media/") {
				if got[e.name] == nil {
					t.Errorf("%s: %s is missing", path, e.name)
				}
				continue
			}
			if !bytes.Equal(got[e.name], e.data) {
				t.Errorf("%s: %s differs from what %s writes; run go test -update", path, e.name, fx.name)
			}
		}
		if len(got) != len(want) {
			t.Errorf("%s has %d entries, the fixture writes %d; run go test -update", path, len(got), len(want))
		}
	}
}
