package docx

import (
	"bytes"
	"context"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"
	"unicode/utf8"
)

// checkRead checks what Read gave: a refusal that is a FormatError
// with a reason of one line, or a report as checkBody wants it.
func checkRead(t *testing.T, rep *Report, err error) {
	t.Helper()
	if err != nil {
		if _, ok := err.(*FormatError); !ok {
			t.Fatalf("an error that is no FormatError: %v", err)
		}
		if strings.ContainsAny(err.Error(), "\n\r") || !utf8.ValidString(err.Error()) {
			t.Fatalf("a bad reason: %q", err)
		}
		return
	}
	checkBody(t, rep)
}

// checkBody checks what every report promises: valid UTF-8, a body that
// ends with a newline and renders without raw HTML or a link, and
// images that the body refers to, each once, under safe names.
func checkBody(t testing.TB, rep *Report) {
	t.Helper()
	for name, s := range map[string]string{"title": rep.Title, "body": rep.Body, "attribution": rep.Attribution,
		"bureau": rep.Fields.Bureau, "signer": rep.Fields.Signer, "author": rep.Fields.Author,
		"contact": rep.Fields.Contact, "request": rep.Fields.Request, "date": rep.Fields.Date} {
		if !utf8.ValidString(s) {
			t.Fatalf("the %s is not valid UTF-8: %q", name, s)
		}
		if name != "body" && strings.ContainsAny(s, "\n\r") {
			t.Fatalf("the %s has more than one line: %q", name, s)
		}
	}
	for _, m := range rep.Notes {
		n := m.Error()
		if !utf8.ValidString(n) || strings.ContainsAny(n, "\n\r") {
			t.Fatalf("bad note %q", n)
		}
	}
	if rep.Body != "" && !strings.HasSuffix(rep.Body, "\n") {
		t.Fatalf("the body does not end with a newline: %q", rep.Body)
	}
	if strings.Contains(rep.Body, "****") {
		t.Fatalf("the body has empty bold: %q", rep.Body)
	}
	if len(rep.Body) > maxBody {
		t.Fatalf("the body is %d bytes", len(rep.Body))
	}
	html, problems := renderBody(t, rep.Body)
	if len(problems) > 0 {
		t.Fatalf("the body has problems %v:\n%s", problems, rep.Body)
	}
	if strings.Contains(html, "raw HTML omitted") || strings.Contains(html, "<a ") || strings.Contains(html, "<script") {
		// linkify makes links of http:// and www. text, which is fine;
		// any other link came from the document's markup.
		if !onlyLinkified(html) {
			t.Fatalf("the body renders markup of its own:\n%s\n%s", rep.Body, html)
		}
	}
	names := map[string]bool{}
	for _, img := range rep.Images {
		if names[img.Name] {
			t.Fatalf("two images named %s", img.Name)
		}
		names[img.Name] = true
		ext, _ := imageType(img.Data)
		if ext == "" || img.Name != "image"+strings.TrimSuffix(strings.TrimPrefix(img.Name, "image"), "."+ext)+"."+ext {
			t.Fatalf("image %s holds %s", img.Name, imageKind(img.Data))
		}
		if !strings.Contains(rep.Body, "]("+img.Name+")") {
			t.Fatalf("the body does not show %s", img.Name)
		}
	}
	if n := strings.Count(html, "<img "); n < len(rep.Images) {
		t.Fatalf("%d images, %d shown", len(rep.Images), n)
	}
}

// onlyLinkified reports whether every link of html is one linkify made
// of a URL in the text (its text is its address), and nothing else is
// markup of the document's.
func onlyLinkified(html string) bool {
	if strings.Contains(html, "raw HTML omitted") || strings.Contains(html, "<script") {
		return false
	}
	for _, part := range strings.Split(html, "<a href=\"")[1:] {
		href, rest, _ := strings.Cut(part, "\"")
		_, rest, _ = strings.Cut(rest, ">")
		text, _, _ := strings.Cut(rest, "</a>")
		if !strings.HasPrefix(href, "http://") && !strings.HasPrefix(href, "https://") ||
			strings.TrimPrefix(strings.TrimPrefix(href, "http://"), "https://") != strings.TrimPrefix(strings.TrimPrefix(unhtml(text), "http://"), "https://") {
			return false
		}
	}
	return true
}

// FuzzDocx reads any bytes: no panic, a bounded time, and any report
// keeps the promises checkBody checks.
func FuzzDocx(f *testing.F) {
	for _, fx := range fixtures {
		data, err := os.ReadFile(filepath.Join("testdata", fx.name))
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	for _, tc := range hostileCases() {
		// The bombs and the archives of thousands of entries are left
		// out: the mutator would spend its seconds unpacking them.
		if data := tc.data(f); len(data) < 64<<10 && !tc.slow {
			f.Add(data)
		}
	}
	// Documents whose XML the mutator can work on: stored, not deflated.
	stored := func(d docSpec) []byte {
		es := d.entries()
		for i := range es {
			es[i].stored = true
		}
		return zipBytes(f, es)
	}
	for _, body := range []string{
		p(centered, r(titleFont, "标题")) + p("", r(bold, "一是<b>加粗</b>。"), r("", "[x](javascript:alert(1))")),
		p("", r("", "报送单位：某局　签发人：某某")) + p(`<w:pStyle w:val="Title"/>`, r("", "标题")) + tbl(2, tr(cellText("a|b"), cellText("*c*"))),
		p("", rx("", textBox("框")), field("", "PAGE", "1"), `<w:del><w:r><w:delText>删</w:delText></w:r></w:del>`) + p("", r("", "（据某局）")),
	} {
		f.Add(stored(withBody(body)))
	}
	// Smaller limits than the defaults, so that a mutated bomb is
	// refused after megabytes, not hundreds of them: the bounds are the
	// same code whatever their values.
	lim := Limits{Uncompressed: 8 << 20, ImageBytes: 1 << 20}
	f.Fuzz(func(t *testing.T, data []byte) {
		start := time.Now()
		rep, err := Read(context.Background(), bytes.NewReader(data), int64(len(data)), lim)
		if took := time.Since(start); took > 10*time.Second {
			t.Fatalf("reading %d bytes took %v", len(data), took)
		}
		checkRead(t, rep, err)
	})
}

// FuzzDocumentXML reads documents whose document.xml is any text, in a
// package that is otherwise valid (the styles and lists of the first
// fixture): FuzzDocx's mutations mostly break the zip, these reach the
// reading of the document itself.
func FuzzDocumentXML(f *testing.F) {
	for _, fx := range fixtures {
		for _, e := range fx.spec(f).entries() {
			if e.name == "word/document.xml" {
				f.Add(e.data)
			}
		}
	}
	for _, body := range []string{
		p(centered, r(titleFont, "标题")) + p("", r(bold, "一是<b>加粗</b>。"), r("", "[x](javascript:alert(1))")),
		p("", r("", "报送单位：某局　签发人：某某")) + p(`<w:pStyle w:val="Title"/>`, r("", "标题")) + tbl(2, tr(cellText("a|b"), cellText("*c*"))),
		p("", rx("", textBox("框")), field("", "PAGE", "1"), `<w:del><w:r><w:delText>删</w:delText></w:r></w:del>`) + p("", r("", "（据某局）")),
		p(numPr(1, 0), r(heiFont, "标题")) + p(numPr(1, 1), r(kaiFont, "小标题")) + p(numPr(2, 0), r("", "第一条")),
	} {
		f.Add([]byte(xmlHeader + `<w:document ` + docNS + `><w:body>` + body + `</w:body></w:document>`))
	}
	base := xiningReport(f)
	f.Fuzz(func(t *testing.T, doc []byte) {
		es := base.entries()
		for i := range es {
			if es[i].name == "word/document.xml" {
				es[i].data = doc
			}
			es[i].stored = true
		}
		data := zipBytes(t, es)
		rep, err := Read(context.Background(), bytes.NewReader(data), int64(len(data)), Limits{})
		checkRead(t, rep, err)
	})
}
