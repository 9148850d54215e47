package main

import (
	"bytes"
	"fmt"
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
	checkHostileOutput(t, out, stderr)
}

// checkHostileOutput checks what the hostile set found in builds and
// serve (issue 11) stays fixed in the site built from it.
func checkHostileOutput(t *testing.T, out, stderr string) {
	t.Helper()
	read := func(p string) string {
		data, err := os.ReadFile(filepath.Join(out, filepath.FromSlash(p)))
		if err != nil {
			t.Error(err)
		}
		return string(data)
	}
	// A closing line never replaces the bureau as the source.
	relay := read("bulletins/relay/index.html")
	if !strings.Contains(relay, `来源：<a href="/bureaus/qinghai/">青海省民政厅</a>`) || !strings.Contains(relay, "转载自：国务院办公厅") {
		t.Errorf("relayed bulletin: want 来源 青海省民政厅 and 转载自 国务院办公厅")
	}
	if other := read("bulletins/other-bureau/index.html"); !strings.Contains(other, `来源：<a href="/bureaus/qinghai/">青海省民政厅</a>`) || strings.Contains(other, "来源：西宁市民政局") {
		t.Errorf("a closing line naming 西宁市民政局 changed the page's 来源")
	}
	if !strings.Contains(stderr, "other-bureau.md:8: warning: the closing line names 西宁市民政局") {
		t.Errorf("no warning for a closing line naming another bureau:\n%s", stderr)
	}
	if feed := read("feed.xml"); strings.Contains(feed, "<author>国务院办公厅") || strings.Contains(feed, "<author>西宁市民政局") {
		t.Errorf("feed names a closing line's office as the author")
	}
	// Tags dibao, dibao-6029 and 低保 get three URLs.
	for _, slug := range []string{"dibao", "dibao-6029", "dibao-6029-2"} {
		if page := read("tags/" + slug + "/index.html"); strings.Count(page, `href="/bulletins/tag-clash-`) != 1 {
			t.Errorf("/tags/%s/ does not list exactly one bulletin", slug)
		}
	}
	// An SVG is published only as an image.
	if page := read("bulletins/svg-image/index.html"); !strings.Contains(page, `<img src="chart.svg"`) {
		t.Errorf("SVG image not shown through <img>")
	}
	// One file linked by three bulletins is stored once.
	var first os.FileInfo
	for i := 1; i <= 3; i++ {
		info, err := os.Stat(filepath.Join(out, "bulletins", fmt.Sprintf("tag-clash-%d", i), "form.pdf"))
		if err != nil {
			t.Fatal(err)
		}
		if first != nil && !os.SameFile(first, info) {
			t.Errorf("tag-clash-%d/form.pdf is a second copy of the shared file", i)
		}
		first = info
	}
	// Output bounded: with tags limited, the set's 14 bulletins (one at
	// every limit) build to 1.3 MB, most of it theme; before, one
	// bulletin with 20,000 tags wrote 37 GB.
	const maxOutput = 2 << 20
	if size := treeSize(t, out); size > maxOutput {
		t.Errorf("the hostile set built to %d bytes; more than %d", size, maxOutput)
	}
}

// treeSize adds up the sizes of the files below dir, each hard-linked
// file once, as the disk holds them.
func treeSize(t *testing.T, dir string) int64 {
	t.Helper()
	var total int64
	var seen []os.FileInfo
	err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || d.IsDir() {
			return err
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		for _, s := range seen {
			if os.SameFile(s, info) {
				return nil
			}
		}
		seen = append(seen, info)
		total += info.Size()
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	return total
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
		// What an attack on the build found (issue 11).
		{"HTML attachment", []byte(front + "---\n[报告](report.html)\n"), `evil.md:6: link "report.html": files of type .html cannot be attachments`},
		{"script attachment", []byte(front + "---\n[脚本](pwn.js)\n"), `evil.md:6: link "pwn.js": files of type .js cannot be attachments`},
		{"SVG opened as a page", []byte(front + "---\n[图](chart.svg)\n"), `evil.md:6: link "chart.svg": an SVG file can only be shown as an image`},
		{"draft folder", []byte(front + "---\n[附件](_drafts/plan.pdf)\n"), `evil.md:6: link "_drafts/plan.pdf": content/_drafts/plan.pdf is hidden or in a draft folder`},
		{"hidden folder", []byte(front + "---\n[附件](.private/plan.pdf)\n"), `evil.md:6: link ".private/plan.pdf": content/.private/plan.pdf is hidden or in a draft folder`},
		{"another bureau's file", []byte(front + "---\n[附件](qinghai/2025/relief-standard.pdf)\n"), `evil.md:6: link "qinghai/2025/relief-standard.pdf": content/qinghai/2025/relief-standard.pdf is outside this bulletin's folder`},
		{"disguised file name", []byte(front + "---\n[通知](通知\u202Efdp.exe)\n"), `evil.md:6: link "通知\u202efdp.exe": the file name "content/通知\u202efdp.exe" contains the invisible character U+202E`},
		{"tag bomb", []byte(front + "tags: [" + strings.TrimSuffix(strings.Repeat("t,", 20000), ",") + "]\n---\n正文\n"), "evil.md:5: 20000 tags; a bulletin may have at most 10"},
		{"long slug", []byte(front + "slug: " + strings.Repeat("a", 300) + "\n---\n正文\n"), "evil.md:5: slug is 300 characters long; at most 80"},
		{"unclosed links", []byte(front + "---\n" + strings.Repeat("[a](", 200000) + "\n"), "evil.md:6: the Markdown from here on is too complex to render"},
		{"lists 500 deep", []byte(front + "---\n" + deepList(500)), "evil.md:240: the Markdown from here on is too complex to render"},
		{"another office's name", []byte(front + "---\n正文。\n\n（据国务院办公厅）\n"), "evil.md:8: the closing line names 国务院办公厅, which is not a bureau in site.yaml"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			dir := copySample(t)
			work := filepath.Dir(dir)
			for name, data := range hostileAttachments {
				p := filepath.Join(dir, "content", filepath.FromSlash(name))
				os.MkdirAll(filepath.Dir(p), 0o755)
				if err := os.WriteFile(p, []byte(data), 0o644); err != nil {
					t.Fatal(err)
				}
			}
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

// hostileAttachments are files beside content/evil.md, in content/, that
// it tries to publish.
var hostileAttachments = map[string]string{
	"report.html":       `<script src="pwn.js"></script>`,
	"pwn.js":            `alert(1)`,
	"chart.svg":         `<svg xmlns="http://www.w3.org/2000/svg"><script href="pwn.js"/></svg>`,
	"_drafts/plan.pdf":  "%PDF-draft",
	".private/plan.pdf": "%PDF-private",
	"通知\u202Efdp.exe":   "MZ",
}

// deepList is a list nested n deep, one item a line.
func deepList(n int) string {
	var b strings.Builder
	for i := range n {
		b.WriteString(strings.Repeat("  ", i) + "- 层\n")
	}
	return b.String()
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
