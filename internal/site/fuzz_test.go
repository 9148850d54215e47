package site

import (
	"context"
	"errors"
	"strings"
	"testing"
	"testing/fstest"
	"unicode/utf8"

	"bulletin/internal/diag"
)

// FuzzLoad loads a site whose one bulletin is the fuzzed file. Whatever the
// bytes, Load must not panic and must either return a site or diag.Problems
// that name the file; a loaded bulletin's HTML must carry no script.
func FuzzLoad(f *testing.F) {
	for _, seed := range []string{
		"---\n" + goodFront + "---\n" + goodBody,
		"---\ntitle: x\ndate: 2024-13-01\nbureau: 青海省民政厅\n---\n正文\n",
		"---\ntitle: [x\n---\n",
		"---\ntitle: x\n",
		"\uFEFF---\r\ntitle: x\r\ndate: 2024-01-01\r\nbureau: 青海省民政厅\r\n---\r\n正文\r\n",
		"---\na: &a [1,2,3]\nb: &b [*a,*a,*a]\nc: &c [*b,*b,*b]\ntags: *c\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n正文\n",
		"---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\nslug: ../../x\n---\n[a](../../etc/passwd) ![b](javascript:alert(1)) <script>alert(1)</script>\n",
		"---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\ntags: {a: b}\n---\n**一是扎实开展。**正文\n\n（据青海省民政厅）",
		// What an attack on the build found: a tag bomb, a long slug, a
		// disguised name, a closing line from outside the registry, an
		// attachment a browser would run, and input that makes parsers slow.
		"---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\ntags: [" + strings.TrimSuffix(strings.Repeat("t,", 2000), ",") + "]\nslug: " + strings.Repeat("a", 300) + "\n---\n正文\n",
		"---\ntitle: 通知\u202Efdp.exe\ndate: 2024-01-01\nbureau: 青海省民政厅\nrelay: false\n---\n[x](a.html) ![y](b.pdf)\n\n（据国务院办公厅）\n",
		"---\ntitle: x\ndate: 2024-01-01\nbureau: 青海省民政厅\n---\n" + strings.Repeat("[a](", 20000) + "\n" + strings.Repeat("> ", 2000) + "x\n",
	} {
		f.Add([]byte(seed))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		fsys := fstest.MapFS{
			"site.yaml":         {Data: []byte(testConfig)},
			"content/a.md":      {Data: data},
			"content/other.md":  bulletinFile(goodFront, goodBody),
			"content/image.png": {Data: []byte("png")},
		}
		s, err := Load(context.Background(), fsys, Options{Now: testNow})
		var ps diag.Problems
		switch {
		case errors.As(err, &ps):
			for _, p := range ps {
				if p.Path != "content/a.md" && p.Path != "content/other.md" {
					t.Errorf("problem about %q: %v", p.Path, p)
				}
				if p.Path == "content/other.md" && p.Severity == diag.Error {
					t.Errorf("the good file got an error: %v", p)
				}
			}
		case err != nil:
			t.Fatalf("Load: %v", err)
		default:
			for _, b := range s.Bulletins {
				lower := strings.ToLower(b.Body)
				if strings.Contains(lower, "<script") || strings.Contains(lower, "javascript:") {
					t.Errorf("script in HTML: %s", b.Body)
				}
				if !utf8.ValidString(b.Body) || !utf8.ValidString(b.Title) {
					t.Errorf("invalid UTF-8 in the model")
				}
				if strings.Contains(b.URL, "..") {
					t.Errorf("URL %q", b.URL)
				}
			}
		}
	})
}
