package docx

import (
	"context"
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"bulletin/internal/golden"
	"bulletin/internal/markdown"
)

// renderReport shows a report as its golden file holds it.
func renderReport(rep *Report) string {
	var b strings.Builder
	line := func(k, v string) { fmt.Fprintf(&b, "%s: %s\n", k, v) }
	line("title", rep.Title)
	line("attribution", rep.Attribution)
	line("bureau", rep.Fields.Bureau)
	line("signer", rep.Fields.Signer)
	line("author", rep.Fields.Author)
	line("contact", rep.Fields.Contact)
	line("request", rep.Fields.Request)
	line("date", rep.Fields.Date)
	for _, img := range rep.Images {
		line("image", fmt.Sprintf("%s %s", img.Name, imageKind(img.Data)))
	}
	for _, n := range rep.Notes {
		line("note", n.Error())
	}
	return b.String()
}

func imageKind(data []byte) string {
	_, kind := imageType(data)
	return kind.Error()
}

var renderer = markdown.New()

// renderBody renders a body with the project's Markdown, as the site
// will, and returns its HTML and the problems found.
func renderBody(t testing.TB, body string) (string, []markdown.Problem) {
	t.Helper()
	doc, err := renderer.Render(context.Background(), []byte(body), markdown.Options{})
	if err != nil {
		t.Fatal(err)
	}
	return string(doc.HTML), doc.Problems
}

// TestGolden reads each fixture and compares the report, its body and
// the body rendered to HTML with testdata/golden/NAME/.
func TestGolden(t *testing.T) {
	for _, fx := range fixtures {
		t.Run(fx.name, func(t *testing.T) {
			rep, err := ReadFile(context.Background(), filepath.Join("testdata", fx.name), Limits{})
			if err != nil {
				t.Fatal(err)
			}
			html, problems := renderBody(t, rep.Body)
			report := renderReport(rep)
			for _, p := range problems {
				report += fmt.Sprintf("markdown problem: line %d: %s\n", p.Line, p.Msg)
			}
			golden.CheckDir(t, filepath.Join("testdata", "golden", strings.TrimSuffix(fx.name, ".docx")), map[string][]byte{
				"report.txt": []byte(report),
				"body.md":    []byte(rep.Body),
				"body.html":  []byte(html),
			})
			if len(problems) > 0 {
				t.Errorf("the body has Markdown problems: %v", problems)
			}
		})
	}
}
