package docx

import (
	"archive/zip"
	"bytes"
	"compress/flate"
	"context"
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"strings"
	"testing"
	"time"
)

// simpleDoc is a valid report of a few paragraphs.
func simpleDoc() docSpec {
	return docSpec{body: p(centered, r(titleFont, "关于做好困难群众救助工作的报告")) +
		p(indent, r(bodyFont, "今年以来，我局扎实做好困难群众救助工作，取得明显成效。")) +
		p("", r(bodyFont, "（据西宁市民政局）"))}
}

// withBody is simpleDoc with another body.
func withBody(body string) docSpec {
	d := simpleDoc()
	d.body = body
	return d
}

// replaceEntry returns the entries of d with the entry name's data
// replaced, or added when there is none.
func replaceEntry(d docSpec, name string, data []byte) []entry {
	es := d.entries()
	for i := range es {
		if es[i].name == name {
			es[i].data = data
			return es
		}
	}
	return append(es, entry{name: name, data: data})
}

// ole is the start of an OLE compound file whose directory names the
// streams given, in UTF-16 as there.
func ole(streams ...string) []byte {
	b := []byte("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1")
	b = append(b, make([]byte, 504)...)
	for _, s := range streams {
		name := make([]byte, 128)
		for i, c := range s {
			name[2*i] = byte(c)
		}
		b = append(b, name...)
	}
	return b
}

// deflated is n bytes of c, deflated: a bomb's payload.
func deflated(t testing.TB, c byte, n int) []byte {
	t.Helper()
	var buf bytes.Buffer
	w, _ := flate.NewWriter(&buf, flate.BestCompression)
	chunk := bytes.Repeat([]byte{c}, 1<<20)
	for n > 0 {
		k := min(n, len(chunk))
		w.Write(chunk[:k])
		n -= k
	}
	w.Close()
	return buf.Bytes()
}

// rawZip writes entries whose data is already deflated, with the sizes
// given: what a header claims is up to the test.
func rawZip(t testing.TB, entries []rawEntry) []byte {
	t.Helper()
	var buf bytes.Buffer
	zw := zip.NewWriter(&buf)
	for _, e := range entries {
		h := &zip.FileHeader{Name: e.name, Method: zip.Deflate, CRC32: e.crc, CompressedSize64: uint64(len(e.data)), UncompressedSize64: e.size}
		w, err := zw.CreateRaw(h)
		if err != nil {
			t.Fatal(err)
		}
		w.Write(e.data)
	}
	zw.Close()
	return buf.Bytes()
}

type rawEntry struct {
	name string
	data []byte // deflated
	size uint64 // claimed uncompressed size
	crc  uint32
}

// bigText is a document.xml of n paragraphs of body text.
func bigBody(n int) string {
	var b strings.Builder
	b.WriteString(p(centered, r(titleFont, "关于做好困难群众救助工作的报告")))
	for i := range n {
		b.WriteString(p(indent, r(bodyFont, fmt.Sprintf("第%d段。今年以来，我局坚持以人民为中心的发展思想，扎实做好困难群众救助工作，取得明显成效。", i))))
	}
	return b.String()
}

// nested is depth levels of elements around a paragraph.
func nested(depth int, open, close string) string {
	return strings.Repeat(open, depth) + p("", r("", "深")) + strings.Repeat(close, depth)
}

// hostileCase is a file made to break a reader, and what Read must say.
type hostileCase struct {
	name string
	data func(t testing.TB) []byte
	lim  Limits
	err  string // a *FormatError containing this; "" for a report
	note string // with a report: a note containing this
	slow bool   // takes the reader a second: no seed for the fuzzer
}

func hostileCases() []hostileCase {
	doc := func(d docSpec) func(t testing.TB) []byte { return d.bytes }
	es := func(f func() []entry) func(t testing.TB) []byte {
		return func(t testing.TB) []byte { return zipBytes(t, f()) }
	}
	raw := func(b []byte) func(t testing.TB) []byte { return func(testing.TB) []byte { return b } }
	xmlDoc := func(inner string) []byte {
		return []byte(xmlHeader + `<w:document ` + docNS + `><w:body>` + inner + `</w:body></w:document>`)
	}
	image := func(target string, external bool) docSpec {
		d := simpleDoc()
		d.body += p("", rx("", inlineImage(1, "rId9", "图片 1", "")))
		d.rels = []relSpec{{id: "rId9", typ: "image", target: target, external: external}}
		return d
	}
	return []hostileCase{
		{name: "PDF", data: raw([]byte("%PDF-1.7\n%\xe2\xe3\xcf\xd3\n1 0 obj\n")), err: "it is a PDF file, not a Word document"},
		{name: "JPEG", data: func(t testing.TB) []byte { return jpegFixture(t) }, err: "it is a JPEG image, not a Word document"},
		{name: "PNG", data: func(t testing.TB) []byte { return pngFixture(t) }, err: "it is a PNG image, not a Word document"},
		{name: "text", data: raw([]byte("报送单位：西宁市民政局\n关于做好困难群众救助工作的报告\n")), err: "it is a text file, not a Word document"},
		{name: "RTF", data: raw([]byte(`{\rtf1\ansi\ansicpg936 报告}`)), err: "it is an RTF file"},
		{name: "HTML", data: raw([]byte("\xEF\xBB\xBF<html xmlns:o=\"urn:schemas-microsoft-com:office:office\"><body>报告</body></html>")), err: "it is a web page (HTML)"},
		{name: "MHT", data: raw([]byte("MIME-Version: 1.0\r\nContent-Type: multipart/related\r\n")), err: "it is a web archive (.mht)"},
		{name: "Word 2003 XML", data: raw([]byte(`<?xml version="1.0"?><?mso-application progid="Word.Document"?><w:wordDocument xmlns:w="http://schemas.microsoft.com/office/word/2003/wordml">`)), err: "it is a Word 2003 XML document"},
		{name: "binary", data: raw([]byte{0, 1, 2, 3, 0xff, 0xfe, 0, 0}), err: "it is not a Word document"},
		{name: "empty", data: raw(nil), err: "the file is empty"},
		{name: "old .doc", data: raw(ole("Root Entry", "WordDocument", "1Table", "SummaryInformation")), err: "it is an old Word 97-2003 or WPS document (.doc or .wps) with the wrong name"},
		{name: "encrypted .docx", data: raw(ole("Root Entry", "EncryptionInfo", "EncryptedPackage", "DataSpaces")), err: "the document is protected by a password"},
		{name: "old .xls", data: raw(ole("Root Entry", "Workbook")), err: "it is an Excel 97-2003 workbook"},
		{name: "truncated zip", data: func(t testing.TB) []byte { b := simpleDoc().bytes(t); return b[:len(b)/2] }, err: "it is a damaged zip archive"},
		{name: "zip bomb in an XML part", data: func(t testing.TB) []byte {
			return rawZip(t, []rawEntry{{name: "[Content_Types].xml", data: deflated(t, ' ', 300<<20), size: 300 << 20}})
		}, err: "[Content_Types].xml unpacks to more than 32 MB"},
		{name: "zip bomb in pictures", slow: true, data: func(t testing.TB) []byte {
			// Eleven pictures of 19 MB, each under the limit of a
			// picture, 209 MB together.
			picture := append([]byte("\x89PNG\r\n\x1a\n"), make([]byte, 19<<20)...)
			var buf bytes.Buffer
			w, _ := flate.NewWriter(&buf, flate.BestSpeed)
			w.Write(picture)
			w.Close()
			d := simpleDoc()
			var out []rawEntry
			for i := 1; i <= 11; i++ {
				id := fmt.Sprintf("rId%d", 100+i)
				d.body += p("", rx("", inlineImage(i, id, "图片", "")))
				d.rels = append(d.rels, relSpec{id: id, typ: "image", target: fmt.Sprintf("media/image%d.png", i)})
				out = append(out, rawEntry{name: fmt.Sprintf("word/media/image%d.png", i), data: buf.Bytes(), size: uint64(len(picture)), crc: crc(picture)})
			}
			for _, e := range d.entries() {
				var b bytes.Buffer
				w, _ := flate.NewWriter(&b, flate.BestSpeed)
				w.Write(e.data)
				w.Close()
				out = append(out, rawEntry{name: e.name, data: b.Bytes(), size: uint64(len(e.data)), crc: crc(e.data)})
			}
			return rawZip(t, out)
		}, err: "the file unpacks to more than 200 MB (at \"word/media/image11.png\"); it is no report, or a zip bomb"},
		{name: "zip bomb under a lying header", data: func(t testing.TB) []byte {
			es := simpleDoc().entries()
			var out []rawEntry
			for _, e := range es {
				var buf bytes.Buffer
				w, _ := flate.NewWriter(&buf, flate.BestSpeed)
				w.Write(e.data)
				w.Close()
				out = append(out, rawEntry{name: e.name, data: buf.Bytes(), size: uint64(len(e.data)), crc: crc(e.data)})
			}
			// document.xml says 100 bytes and holds 300 MB.
			out[2] = rawEntry{name: "word/document.xml", data: deflated(t, ' ', 300<<20), size: 100}
			return rawZip(t, out)
		}, err: "the entry \"word/document.xml\" of the file is damaged"},
		{name: "bomb over a small budget", lim: Limits{Uncompressed: 64 << 10}, data: doc(withBody(bigBody(1000))), err: "the file unpacks to more than 64 KB (at \"word/document.xml\")"},
		{name: "too many entries", data: es(func() []entry {
			es := simpleDoc().entries()
			for i := range 5001 {
				es = append(es, entry{name: fmt.Sprintf("customXml/item%d.xml", i), stored: true})
			}
			return es
		}), err: "the file has more than 5000 entries"},
		{name: "entries beyond the directory's count", data: func(t testing.TB) []byte {
			// 65536 more records than the end of the directory says:
			// archive/zip reads them all unless they are counted first.
			es := simpleDoc().entries()
			for i := range 65536 {
				es = append(es, entry{name: fmt.Sprintf("x/%d", i), stored: true})
			}
			return zipBytes(t, es)
		}, err: "the file has more than 5000 entries"},
		{name: "huge document.xml", data: doc(withBody(bigBody(25000))), err: "the text of the document is over 2 MB"},
		{name: "millions of empty paragraphs", slow: true, data: es(func() []entry {
			return replaceEntry(simpleDoc(), "word/document.xml", xmlDoc(strings.Repeat("<w:p/>", 5_000_000)))
		}), err: "the document has more than 4 million pieces of XML (at word/document.xml)"},
		{name: "a comment of 30 MB", slow: true, data: es(func() []entry {
			return replaceEntry(simpleDoc(), "word/document.xml", xmlDoc(p("", r("", "标题"))+"<!--"+strings.Repeat("<", 30<<20)+"-->"))
		}), note: "the title was taken from the first line"},
		{name: "a text of 30 MB", slow: true, data: es(func() []entry {
			return replaceEntry(simpleDoc(), "word/document.xml", xmlDoc("<w:p><w:r><w:t>"+strings.Repeat("字", 10<<20)+"</w:t></w:r></w:p>"))
		}), err: "the text of the document is over 2 MB"},
		{name: "document.xml over 32 MB", data: es(func() []entry {
			return replaceEntry(simpleDoc(), "word/document.xml", xmlDoc(strings.Repeat(" ", 33<<20)))
		}), err: "word/document.xml unpacks to more than 32 MB"},
		{name: "deep nesting", data: doc(withBody(nested(300, "<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>"))), err: "word/document.xml nests elements more than 256 deep"},
		{name: "deep tables", data: doc(withBody(nested(100, "<w:tbl><w:tr><w:tc>", "</w:tc></w:tr></w:tbl>"))), err: "nests elements more than 256 deep"},
		{name: "deep nesting in styles", data: func(t testing.TB) []byte {
			d := simpleDoc()
			d.styles = strings.Repeat("<w:x>", 300) + strings.Repeat("</w:x>", 300)
			return d.bytes(t)
		}, err: "word/styles.xml nests elements more than 256 deep"},
		{name: "a lower depth limit", lim: Limits{XMLDepth: 20}, data: doc(withBody(nested(10, "<w:sdt><w:sdtContent>", "</w:sdtContent></w:sdt>"))), err: "nests elements more than 20 deep"},
		{name: "invalid UTF-8", data: es(func() []entry {
			return replaceEntry(simpleDoc(), "word/document.xml", xmlDoc("<w:p><w:r><w:t>报告\xff\xfe</w:t></w:r></w:p>"))
		}), err: "word/document.xml is not well-formed XML (line 2: invalid UTF-8)"},
		{name: "GBK declared", data: es(func() []entry {
			return replaceEntry(simpleDoc(), "word/document.xml", []byte(`<?xml version="1.0" encoding="GBK"?><w:document/>`))
		}), err: "word/document.xml cannot be read (opening charset \"GBK\": the encoding GBK is not supported)"},
		{name: "billion laughs", data: es(func() []entry {
			dtd := `<?xml version="1.0"?><!DOCTYPE w:document [<!ENTITY lol "lol"><!ENTITY lol2 "&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;&lol;"><!ENTITY lol3 "&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;&lol2;">]>`
			return replaceEntry(simpleDoc(), "word/document.xml", []byte(dtd+`<w:document `+docNS+`><w:body>`+p("", r("", "x"))+`<w:p><w:r><w:t>&lol3;</w:t></w:r></w:p></w:body></w:document>`))
		}), err: "word/document.xml has a document type declaration (<!DOCTYPE>), which Word never writes"},
		{name: "undeclared entity", data: es(func() []entry {
			return replaceEntry(simpleDoc(), "word/document.xml", xmlDoc(`<w:p><w:r><w:t>&lol;</w:t></w:r></w:p>`))
		}), err: "word/document.xml is not well-formed XML (line 2: invalid character entity &lol;)"},
		{name: "external entity", data: es(func() []entry {
			return replaceEntry(simpleDoc(), "word/document.xml", []byte(`<?xml version="1.0"?><!DOCTYPE d [<!ENTITY x SYSTEM "file:///etc/passwd">]><w:document `+docNS+`><w:body><w:p><w:r><w:t>&x;</w:t></w:r></w:p></w:body></w:document>`))
		}), err: "has a document type declaration"},
		{name: "entry ../", data: es(func() []entry { return append(simpleDoc().entries(), entry{name: "../evil.sh"}) }), err: `the file has an entry named "../evil.sh", which has a .. path element; Word and WPS never write such names`},
		{name: "entry /abs", data: es(func() []entry { return append(simpleDoc().entries(), entry{name: "/etc/cron.d/x"}) }), err: "which is an absolute path"},
		{name: "entry C:", data: es(func() []entry { return append(simpleDoc().entries(), entry{name: "C:/Windows/x"}) }), err: "which is an absolute path"},
		{name: "entry backslash", data: es(func() []entry { return append(simpleDoc().entries(), entry{name: `word\..\..\x`}) }), err: "which has a backslash"},
		{name: "duplicate entry", data: es(func() []entry {
			return append(simpleDoc().entries(), entry{name: "word/document.xml", data: xmlDoc(p("", r("", "另一份")))})
		}), err: `the file has two entries named "word/document.xml"`},
		{name: "duplicate entry differing in case", data: es(func() []entry {
			return append(simpleDoc().entries(), entry{name: "WORD/Document.xml", data: xmlDoc(p("", r("", "另一份")))})
		}), err: `the file has two entries named "WORD/Document.xml"`},
		{name: "no document.xml", data: es(func() []entry {
			return []entry{{name: "[Content_Types].xml", data: []byte(xmlHeader + `<Types xmlns="http://schemas.openxmlformats.org/package/2006/content-types"/>`)}, {name: "docProps/app.xml", data: []byte("<x/>")}}
		}), err: "it is a zip archive with no Word document in it (word/document.xml is missing)"},
		{name: "xlsx", data: es(func() []entry {
			return []entry{{name: "[Content_Types].xml", data: []byte("<Types/>")}, {name: "xl/workbook.xml", data: []byte("<workbook/>")}}
		}), err: "it is an Excel workbook, not a Word document"},
		{name: "odt", data: es(func() []entry {
			return []entry{{name: "mimetype", data: []byte("application/vnd.oasis.opendocument.text"), stored: true}, {name: "content.xml", data: []byte("<x/>")}}
		}), err: "it is an OpenDocument text (.odt), not a .docx"},
		{name: "vbaProject.bin", data: es(func() []entry {
			return append(simpleDoc().entries(), entry{name: "word/vbaProject.bin", data: []byte("\xD0\xCF\x11\xE0")})
		}), err: "the document holds macros; save it as a plain .docx"},
		{name: "macro-enabled content type", data: func(t testing.TB) []byte {
			d := simpleDoc()
			d.mainType = "application/vnd.ms-word.document.macroEnabled.main+xml"
			return d.bytes(t)
		}, err: "the document holds macros"},
		{name: "no body", data: es(func() []entry {
			return replaceEntry(simpleDoc(), "word/document.xml", []byte(xmlHeader+`<w:document `+docNS+`></w:document>`))
		}), err: "word/document.xml has no document body"},
		{name: "not a document", data: es(func() []entry {
			return replaceEntry(simpleDoc(), "word/document.xml", []byte(xmlHeader+`<html><body>x</body></html>`))
		}), err: "word/document.xml is not a Word document body (its root is <html>)"},
		{name: "unclosed XML", data: es(func() []entry {
			return replaceEntry(simpleDoc(), "word/document.xml", xmlDoc(p("", r("", "报告")))[:300])
		}), err: "word/document.xml is not well-formed XML"},
		{name: "empty document", data: doc(withBody(p("", r("", "　　")))), err: "the document has no text"},
		{name: "encrypted entry", data: func(t testing.TB) []byte {
			b := simpleDoc().bytes(t)
			// Set bit 0 of the flags of every header: "encrypted".
			for i := 0; i+8 < len(b); i++ {
				switch string(b[i : i+4]) {
				case "PK\x03\x04":
					b[i+6] |= 1
				case "PK\x01\x02":
					b[i+8] |= 1
				}
			}
			return b
		}, err: "the file is an encrypted zip archive"},
		{name: "unknown compression", data: func(t testing.TB) []byte {
			b := simpleDoc().bytes(t)
			for i := 0; i+12 < len(b); i++ {
				switch string(b[i : i+4]) {
				case "PK\x03\x04":
					binary.LittleEndian.PutUint16(b[i+8:], 99) // AES
				case "PK\x01\x02":
					binary.LittleEndian.PutUint16(b[i+10:], 99)
				}
			}
			return b
		}, err: "is compressed with method 99, which Word does not use"},
		{name: "corrupt deflate", data: func(t testing.TB) []byte {
			return rawZip(t, []rawEntry{{name: "[Content_Types].xml", data: []byte{0xff, 0xff, 0xff, 0xff}, size: 100}})
		}, err: "the entry \"[Content_Types].xml\" of the file is damaged"},
		{name: "external image", data: doc(image("https://tracker.example/pixel.png", true)), note: "a picture linked from outside the document (https://tracker.example/pixel.png) was not fetched"},
		{name: "UNC image", data: doc(image(`\\server\share\x.png`, true)), note: `a picture linked from outside the document (\\server\share\x.png) was not fetched`},
		{name: "image outside word/", data: doc(image("../[Content_Types].xml", false)), note: `a picture at "[Content_Types].xml" lies outside the document's folder; it was dropped`},
		{name: "image escaping the package", data: doc(image("../../../etc/passwd", false)), note: `a picture at "../../../etc/passwd" lies outside the document's folder`},
		{name: "image absolute", data: doc(image("/etc/passwd", false)), note: `a picture at "etc/passwd" lies outside the document's folder`},
		{name: "missing image", data: doc(image("media/none.png", false)), note: `the picture "word/media/none.png" is missing from the file`},
		{name: "image too big", lim: Limits{ImageBytes: 100}, data: func(t testing.TB) []byte {
			d := image("media/image1.png", false)
			d.parts = []entry{{name: "word/media/image1.png", data: pngFixture(t)}}
			return d.bytes(t)
		}, note: `the picture "word/media/image1.png" is over 100 bytes; it was dropped`},
		{name: "image that is a script", data: func(t testing.TB) []byte {
			d := image("media/image1.png", false)
			d.parts = []entry{{name: "word/media/image1.png", data: []byte("<script>alert(1)</script>")}}
			return d.bytes(t)
		}, note: `the picture "word/media/image1.png" is in a format that is not known, which web pages cannot show`},
		{name: "wide span", data: doc(withBody(simpleDoc().body + tbl(2, tr(tc(1000000, "", p("", r("", "宽"))), cellText("窄")), tr(cellText("a"), cellText("b"))))), note: "a table had more than 64 columns; the rest was dropped"},
		{name: "unknown relationship", data: doc(withBody(simpleDoc().body + p("", rx("", inlineImage(1, "rId404", "图片", ""))))), note: `a picture refers to "rId404", which the document does not list`},
	}
}

func crc(b []byte) uint32 { return crc32.ChecksumIEEE(b) }

// TestHostile reads files made to break a reader. Each gives its
// FormatError or a report with its note, and the time and memory each
// takes are logged (go test -v -run TestHostile).
func TestHostile(t *testing.T) {
	for _, tc := range hostileCases() {
		t.Run(tc.name, func(t *testing.T) {
			data := tc.data(t)
			rep, err, took, alloc := measure(func() (*Report, error) {
				return Read(context.Background(), bytes.NewReader(data), int64(len(data)), tc.lim)
			})
			t.Logf("%d bytes: %v, %s allocated", len(data), took.Round(time.Millisecond), byteSize(int64(alloc)))
			if tc.err != "" {
				var fe *FormatError
				if !errors.As(err, &fe) {
					t.Fatalf("got %v, %v; want a FormatError saying %q", rep, err, tc.err)
				}
				if !strings.Contains(fe.Reason, tc.err) {
					t.Errorf("got %q, want %q", fe.Reason, tc.err)
				}
				if strings.ContainsAny(fe.Reason, "\n\r") || strings.HasSuffix(fe.Reason, ".") {
					t.Errorf("the reason %q is no one-line message", fe.Reason)
				}
				return
			}
			if err != nil {
				t.Fatal(err)
			}
			found := false
			for _, n := range rep.Notes {
				found = found || strings.Contains(n.Error(), tc.note)
			}
			if !found {
				t.Errorf("notes %q, want one saying %q", rep.Notes, tc.note)
			}
			checkBody(t, rep)
		})
	}
}

// measure runs f and returns what it took.
func measure(f func() (*Report, error)) (rep *Report, err error, took time.Duration, alloc uint64) {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	start := time.Now()
	rep, err = f()
	took = time.Since(start)
	runtime.ReadMemStats(&after)
	return rep, err, took, after.TotalAlloc - before.TotalAlloc
}

// sizedReader is a file of a size it cannot be read at.
type sizedReader struct{}

func (sizedReader) ReadAt([]byte, int64) (int, error) {
	return 0, errors.New("the file was read")
}

func TestTooLarge(t *testing.T) {
	_, err := Read(context.Background(), sizedReader{}, 2<<30, Limits{})
	if err == nil || err.Error() != "the file is 2 GB, more than the 50 MB a report may be" {
		t.Errorf("got %v", err)
	}
	// ReadFile of a sparse file of 2 GB, which costs no disk.
	name := filepath.Join(t.TempDir(), "大文件.docx")
	f, err := os.Create(name)
	if err != nil {
		t.Fatal(err)
	}
	if err := f.Truncate(2 << 30); err != nil {
		t.Skip("no sparse files here:", err)
	}
	f.Close()
	_, err = ReadFile(context.Background(), name, Limits{})
	var fe *FormatError
	if !errors.As(err, &fe) || err.Error() != name+": the file is 2 GB, more than the 50 MB a report may be" {
		t.Errorf("got %v", err)
	}
}

func TestReadFileErrors(t *testing.T) {
	_, err := ReadFile(context.Background(), filepath.Join(t.TempDir(), "none.docx"), Limits{})
	if !errors.Is(err, os.ErrNotExist) {
		t.Errorf("got %v, want a missing file", err)
	}
	_, err = ReadFile(context.Background(), t.TempDir(), Limits{})
	if err == nil || !strings.HasSuffix(err.Error(), ": it is not a regular file") {
		t.Errorf("reading a folder: got %v", err)
	}
}

// cancelReader cancels its context when read past a point: the reading
// must stop with ctx's error.
type cancelReader struct {
	r      io.ReaderAt
	at     int64
	cancel context.CancelFunc
}

func (c cancelReader) ReadAt(p []byte, off int64) (int, error) {
	if off+int64(len(p)) > c.at {
		c.cancel()
	}
	return c.r.ReadAt(p, off)
}

func TestCancel(t *testing.T) {
	data := withBody(bigBody(3000)).bytes(t)
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	if _, err := Read(ctx, bytes.NewReader(data), int64(len(data)), Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("a cancelled context: got %v", err)
	}
	// Cancelled while reading document.xml.
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	r := cancelReader{r: bytes.NewReader(data), at: 2000, cancel: cancel}
	if _, err := Read(ctx, r, int64(len(data)), Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while reading: got %v", err)
	}
	// Cancelled while reading the directory of an OLE file.
	big := append(ole("Root Entry"), make([]byte, 8<<20)...)
	ctx, cancel = context.WithCancel(context.Background())
	defer cancel()
	r = cancelReader{r: bytes.NewReader(big), at: 1 << 20, cancel: cancel}
	if _, err := Read(ctx, r, int64(len(big)), Limits{}); !errors.Is(err, context.Canceled) {
		t.Errorf("cancelled while scanning an OLE file: got %v", err)
	}
}

// TestBudgetReader counts what is read, not what a header says.
func TestBudgetReader(t *testing.T) {
	a := &archive{left: 10, limit: 10}
	b := &budgetReader{rc: io.NopCloser(strings.NewReader(strings.Repeat("x", 11))), a: a, name: "word/document.xml", max: 1 << 30}
	_, err := io.ReadAll(b)
	if err == nil || err.Error() != `the file unpacks to more than 10 bytes (at "word/document.xml"); it is no report, or a zip bomb` {
		t.Errorf("got %v", err)
	}
	a = &archive{left: 100, limit: 100}
	b = &budgetReader{rc: io.NopCloser(strings.NewReader(strings.Repeat("x", 11))), a: a, name: "word/media/image1.png", max: 10}
	if _, err := io.ReadAll(b); !errors.Is(err, errEntryTooBig) {
		t.Errorf("got %v, want the entry over its limit", err)
	}
	a = &archive{left: 100, limit: 100}
	b = &budgetReader{rc: io.NopCloser(strings.NewReader(strings.Repeat("x", 10))), a: a, name: "word/media/image1.png", max: 10}
	if data, err := io.ReadAll(b); err != nil || len(data) != 10 || a.left != 90 {
		t.Errorf("read %d bytes, %v, %d left", len(data), err, a.left)
	}
}
