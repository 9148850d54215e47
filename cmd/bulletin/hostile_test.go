package main

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"golang.org/x/net/html"
)

// TestHostileSiteBuildsSafely builds testdata/hostile, bulletins written
// to attack the site (raw script, event attributes, HTML in titles, tags
// and summaries, anchor bombs, deep nesting, CRLF and BOM files), and
// checks every HTML page written: no script but the theme's own, no event
// attributes, no javascript: or data: URLs, no frames or SVG.
func TestHostileSiteBuildsSafely(t *testing.T) {
	out := filepath.Join(t.TempDir(), "public")
	code, _, stderr := run(t, "build", "-s", filepath.Join("testdata", "hostile"), "-o", out, "-now", "2026-01-01")
	if code != 0 {
		t.Fatalf("exit %d: %s", code, stderr)
	}
	if !strings.Contains(stderr, "raw-html.md:8: warning: raw HTML is not allowed and was left out") {
		t.Errorf("raw HTML not reported:\n%s", stderr)
	}
	pages := 0
	err := filepath.WalkDir(out, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() || !strings.HasSuffix(p, ".html") {
			return err
		}
		data, err := os.ReadFile(p)
		if err != nil {
			return err
		}
		pages++
		rel, _ := filepath.Rel(out, p)
		for _, problem := range unsafeHTML(data) {
			t.Errorf("%s: %s", rel, problem)
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if pages < 10 {
		t.Fatalf("only %d pages written", pages)
	}
	page, err := os.ReadFile(filepath.Join(out, "bulletins", "crlf-bom", "index.html"))
	if err != nil || !bytes.Contains(page, []byte("<p>第一段。</p>")) {
		t.Errorf("CRLF and BOM file not rendered cleanly: %v", err)
	}
}

// unsafeHTML lists what in page could run script from content.
func unsafeHTML(page []byte) []string {
	var problems []string
	z := html.NewTokenizer(bytes.NewReader(page))
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			return problems
		}
		if tt != html.StartTagToken && tt != html.SelfClosingTagToken {
			continue
		}
		tok := z.Token()
		switch tok.Data {
		case "script":
			src := attr(tok, "src")
			if !strings.HasSuffix(src, "/assets/site.js") {
				problems = append(problems, "script element "+tok.String())
			}
		case "iframe", "frame", "object", "embed", "svg", "math", "base", "form":
			if tok.Data == "form" && attr(tok, "role") == "search" {
				continue // the theme's search box
			}
			problems = append(problems, "element "+tok.String())
		}
		for _, a := range tok.Attr {
			name := strings.ToLower(a.Key)
			val := strings.ToLower(strings.TrimSpace(a.Val))
			switch {
			case strings.HasPrefix(name, "on"):
				problems = append(problems, "event attribute "+a.Key+" in "+tok.String())
			case (name == "href" || name == "src" || name == "action" || name == "formaction") &&
				(strings.HasPrefix(val, "javascript:") || strings.HasPrefix(val, "vbscript:") || strings.HasPrefix(val, "data:")):
				problems = append(problems, "dangerous URL in "+tok.String())
			}
		}
	}
}

func attr(tok html.Token, key string) string {
	for _, a := range tok.Attr {
		if a.Key == key {
			return a.Val
		}
	}
	return ""
}

// TestHostileBulletinsRejected feeds bulletins that must not build, one at
// a time, and checks each gets a clear error naming it, that nothing
// appears outside the output folder and that the previous site stays.
func TestHostileBulletinsRejected(t *testing.T) {
	front := "---\ntitle: 测试\ndate: 2024-01-01\nbureau: 青海省民政厅\n"
	big := make([]byte, 50<<20)
	copy(big, front+"---\n")
	for i := len(front) + 4; i < len(big); i++ {
		big[i] = 'a'
	}
	for _, tc := range []struct {
		name string
		data []byte
		want string
	}{
		{"javascript link", []byte(front + "---\n[点我](javascript:alert(1))\n"), `evil.md:6: link to "javascript:alert(1)" is not allowed`},
		{"javascript in mixed case", []byte(front + "---\n[点我](JaVaScRiPt:alert(1))\n"), `evil.md:6: link to "JaVaScRiPt:alert(1)" is not allowed`},
		{"javascript as entities", []byte(front + "---\n[点我](&#106;avascript&#58;alert(1))\n"), `evil.md:6: link to "javascript:alert(1)" is not allowed`},
		{"vbscript link", []byte(front + "---\n[点我](vbscript:msgbox)\n"), `evil.md:6: link to "vbscript:msgbox" is not allowed`},
		{"data image", []byte(front + "---\n![图](data:image/svg+xml;base64,PHN2Zz4=)\n"), `evil.md:6: image "data:image/svg+xml;base64,PHN2Zz4=" is not allowed`},
		{"slug escapes", []byte(front + "slug: ../../../tmp/owned\n---\n正文\n"), `evil.md:5: slug "../../../tmp/owned" must be lowercase ASCII`},
		{"absolute slug", []byte(front + "slug: /etc\n---\n正文\n"), `evil.md:5: slug "/etc" must be lowercase ASCII`},
		{"attachment escapes", []byte(front + "---\n[附件](../../../../etc/passwd)\n"), `evil.md:6: link "../../../../etc/passwd" leaves the content folder`},
		{"encoded escape", []byte(front + "---\n[附件](..%2F..%2Fsite.yaml)\n"), `evil.md:6: link "..%2F..%2Fsite.yaml" leaves the content folder`},
		{"invalid UTF-8", []byte(front + "---\n正文\xc3\x28\n"), "evil.md:6: not UTF-8 text"},
		{"NUL byte", []byte(front + "---\n正文\x00\n"), "evil.md:6: not UTF-8 text"},
		{"50 MB file", big, "evil.md: file is 50.0 MB; a bulletin may be at most 2.0 MB"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copySample(t)
			work := filepath.Dir(dir)
			out := filepath.Join(work, "public-"+strings.ReplaceAll(tc.name, " ", "-"))
			if code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", out); code != 0 {
				t.Fatalf("first build: %s", stderr)
			}
			before := listTree(t, work)
			if err := os.WriteFile(filepath.Join(dir, "content", "evil.md"), tc.data, 0o644); err != nil {
				t.Fatal(err)
			}
			code, _, stderr := run(t, "build", "-q", "-s", dir, "-o", out)
			if code != 1 {
				t.Errorf("exit %d, want 1", code)
			}
			if !strings.Contains(stderr, tc.want) {
				t.Errorf("stderr lacks %q:\n%s", tc.want, stderr)
			}
			after := listTree(t, work)
			after = strings.Replace(after, filepath.Base(dir)+"/content/evil.md\n", "", 1)
			if before != after {
				t.Errorf("files changed outside the site's content:\nbefore:\n%s\nafter:\n%s", before, after)
			}
		})
	}
}

// listTree lists the paths below dir, except the scratch folder, which a
// build may change.
func listTree(t *testing.T, dir string) string {
	t.Helper()
	var b strings.Builder
	filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		if d.IsDir() && strings.HasSuffix(d.Name(), ".next") {
			return fs.SkipDir
		}
		b.WriteString(filepath.ToSlash(rel) + "\n")
		return nil
	})
	return b.String()
}
