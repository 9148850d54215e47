package docx

import (
	"bytes"
	"context"
	"fmt"
	"image"
	"image/color"
	"image/png"
	"math/rand"
	"os"
	"path/filepath"
	"strings"
	"testing"
)

// bigReport is a report near the limits a report may reach: 1.5 MB of
// text in 11,000 paragraphs with headings and bold lead sentences, 40
// tables, and 8 pictures of 1 MB each.
func bigReport(t testing.TB) []byte {
	var b strings.Builder
	b.WriteString(p(centered, r(titleFont, "关于全市社会救助工作情况的报告")))
	d := docSpec{}
	for i := range 11000 {
		switch {
		case i%1400 == 700:
			n := i/1400 + 1
			b.WriteString(p(centered, rx("", inlineImage(n, fmt.Sprintf("rIdImg%d", n), "图片", "现场"))))
			d.rels = append(d.rels, relSpec{id: fmt.Sprintf("rIdImg%d", n), typ: "image", target: fmt.Sprintf("media/image%d.png", n)})
			d.parts = append(d.parts, entry{name: fmt.Sprintf("word/media/image%d.png", n), data: noisePNG(t, n), stored: true})
		case i%500 == 0:
			b.WriteString(p("", r(heiFont, fmt.Sprintf("%s、第%d部分", formatNumber(i/500+1, "chineseCounting"), i/500+1))))
		case i%300 == 0:
			b.WriteString(tbl(3, tr(cellText("区县"), cellText("人数"), cellText("资金")), tr(cellText("城东区"), cellText("1,234"), cellText("56.7")), tr(cellText("城中区"), cellText("2,345"), cellText("78.9"))))
		default:
			b.WriteString(p(indent, r(bodyFont+bold, "一是加强组织领导。"), r(bodyFont, fmt.Sprintf("第%d段。今年以来，我局坚持以人民为中心的发展思想，扎实做好困难群众救助工作。", i))))
		}
	}
	b.WriteString(p("", r(bodyFont, "（据西宁市民政局）")))
	d.body = b.String()
	return d.bytes(t)
}

// noisePNG is a picture of about 1 MB that does not compress.
func noisePNG(t testing.TB, seed int) []byte {
	rng := rand.New(rand.NewSource(int64(seed)))
	img := image.NewRGBA(image.Rect(0, 0, 512, 512))
	for i := range img.Pix {
		img.Pix[i] = byte(rng.Intn(256))
	}
	img.Set(0, 0, color.White)
	var buf bytes.Buffer
	if err := png.Encode(&buf, img); err != nil {
		t.Fatal(err)
	}
	return buf.Bytes()
}

func BenchmarkRead(b *testing.B) {
	files := map[string][]byte{"big": bigReport(b)}
	for _, fx := range fixtures {
		data, err := os.ReadFile(filepath.Join("testdata", fx.name))
		if err != nil {
			b.Fatal(err)
		}
		files[fx.name] = data
	}
	for _, name := range append([]string{"big"}, func() []string {
		var names []string
		for _, fx := range fixtures {
			names = append(names, fx.name)
		}
		return names
	}()...) {
		data := files[name]
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			b.SetBytes(int64(len(data)))
			for b.Loop() {
				rep, err := Read(context.Background(), bytes.NewReader(data), int64(len(data)), Limits{})
				if err != nil {
					b.Fatal(err)
				}
				if rep.Title == "" {
					b.Fatal("no title")
				}
			}
		})
	}
}

// TestBigReport reads the big report once: it is within every limit.
func TestBigReport(t *testing.T) {
	if testing.Short() {
		t.Skip("builds 10 MB of pictures")
	}
	data := bigReport(t)
	rep, err, took, alloc := measure(func() (*Report, error) {
		return Read(context.Background(), bytes.NewReader(data), int64(len(data)), Limits{})
	})
	if err != nil {
		t.Fatal(err)
	}
	t.Logf("%s file, %s of Markdown, %d pictures: %v, %s allocated", byteSize(int64(len(data))), byteSize(int64(len(rep.Body))), len(rep.Images), took, byteSize(int64(alloc)))
	if rep.Title != "关于全市社会救助工作情况的报告" || len(rep.Images) != 8 || rep.Attribution != "（据西宁市民政局）" {
		t.Errorf("title %q, %d images, attribution %q", rep.Title, len(rep.Images), rep.Attribution)
	}
}
