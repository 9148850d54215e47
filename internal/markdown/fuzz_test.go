package markdown

import (
	"bytes"
	"context"
	"fmt"
	"html"
	"os"
	"strings"
	"testing"
	"unicode/utf8"

	"golang.org/x/tools/txtar"
)

// FuzzRender checks the promises Render makes about untrusted input: it
// never panics or fails, keeps UTF-8 valid, and its HTML holds only the
// tags and attributes goldmark and this package write, with no script
// URLs and no event handlers.
func FuzzRender(f *testing.F) {
	for _, file := range goldenFiles(f) {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		if input, ok := section(txtar.Parse(data), "input.md"); ok {
			f.Add([]byte(input))
		}
	}
	for _, s := range []string{
		"<script>alert(1)</script>",
		"<iframe src=x></iframe>",
		"<img src=x onerror=alert(1)>",
		"[x](javascript:alert(1))",
		"[x](java\tscript:alert(1))",
		"[x](&#x6A;avascript&colon;alert(1))",
		"[x](javascript&amp;#58;alert(1))",
		"![x](data:text/html;base64,PHNjcmlwdD4=)",
		"<javascript:alert(1)>",
		"[r]\n\n[r]: JAVASCRIPT:alert(1) \"t\"",
		"[a](<javascript:alert(1)> \"x\" onclick=y)",
		"![a\" onerror=\"alert(1)](x.png \"t\\\" onload=\\\"y\")",
		"**一是扎实开展困难群众救助。**正文继续",
		"***“低保”***政策*（一）*_x_",
		"# 标题 {#id onclick=x}",
		"```javascript:\ncode\n```",
		"[^1]\n\n[^1]: [x](javascript:y)",
		"| a |\n|---|\n| [x](vbscript:y) |",
		"- [ ] [x](data:y)",
		"中文\\\n中文  \n~~删~~\n`c`",
		"\xff\xfe**\xe4\xb8**",
	} {
		f.Add([]byte(s))
	}
	// Long inputs of the shapes that make Markdown parsers quadratic: the
	// mutator builds on them, and each must stay within the work meter.
	for _, unit := range []string{"[a](", "[", "*", "**a", "_a ", "`", "<a ", "> ", "- ", "1. ", "[^x]", "![", "\\[", "|", "&#", "<!--"} {
		f.Add([]byte(strings.Repeat(unit, 20000)))
	}
	f.Add([]byte(strings.Repeat("[a]: /x\n", 5000) + strings.Repeat("[a]", 5000)))
	f.Add([]byte("| " + strings.Repeat("a |", 3000) + "\n|" + strings.Repeat("-|", 3000) + "\n" + strings.Repeat("b\n", 3000)))

	r := New()
	f.Fuzz(func(t *testing.T, src []byte) {
		doc, err := r.Render(context.Background(), src, Options{ResolveLink: testResolver})
		if err != nil {
			t.Fatalf("Render(%q) failed: %v", src, err)
		}
		if utf8.Valid(src) {
			if !utf8.Valid(doc.HTML) {
				t.Errorf("Render(%q): HTML is not valid UTF-8: %q", src, doc.HTML)
			}
			if !utf8.ValidString(doc.Text) {
				t.Errorf("Render(%q): Text is not valid UTF-8: %q", src, doc.Text)
			}
		}
		if err := checkHTML(string(doc.HTML)); err != nil {
			t.Errorf("Render(%q): %v\nHTML: %s", src, err, doc.HTML)
		}
		lines := bytes.Count(src, []byte("\n")) + 1
		for _, p := range doc.Problems {
			if p.Line < 1 || p.Line > lines {
				t.Errorf("Render(%q): problem %+v is outside lines 1-%d", src, p, lines)
			}
		}
	})
}

// The tags and attributes the renderer may write. Checking the markup
// token by token, rather than grepping the whole output, lets text such
// as "javascript:" or "onclick=" appear as escaped prose, as it should.
var (
	safeTags = map[string]bool{
		"a": true, "blockquote": true, "br": true, "code": true, "del": true,
		"div": true, "em": true, "h1": true, "h2": true, "h3": true, "h4": true,
		"h5": true, "h6": true, "hr": true, "img": true, "input": true, "li": true,
		"ol": true, "p": true, "pre": true, "strong": true, "sup": true,
		"table": true, "tbody": true, "td": true, "th": true, "thead": true,
		"tr": true, "ul": true,
	}
	safeAttrs = map[string]bool{
		"alt": true, "checked": true, "class": true, "disabled": true, "href": true,
		"id": true, "rel": true, "role": true, "src": true, "start": true,
		"style": true, "title": true, "type": true,
	}
	safeStyles = map[string]bool{
		"text-align:left": true, "text-align:right": true, "text-align:center": true,
	}
)

func checkHTML(h string) error {
	const omitted = "<!-- raw HTML omitted -->"
	lower := strings.ToLower(h)
	for _, bad := range []string{"<script", "<iframe", "<object", "<embed", "<style", "<svg"} {
		if strings.Contains(lower, bad) {
			return fmt.Errorf("output contains %q", bad)
		}
	}
	for {
		i := strings.IndexByte(h, '<')
		if i < 0 {
			return nil
		}
		h = h[i:]
		if strings.HasPrefix(h, "<!--") {
			if !strings.HasPrefix(h, omitted) {
				return fmt.Errorf("unexpected comment %.40q", h)
			}
			h = h[len(omitted):]
			continue
		}
		end := strings.IndexByte(h, '>')
		if end < 0 {
			return fmt.Errorf("unterminated tag %.40q", h)
		}
		if err := checkTag(h[1:end]); err != nil {
			return err
		}
		h = h[end+1:]
	}
}

func checkTag(tag string) error {
	name, rest, _ := strings.Cut(strings.TrimPrefix(tag, "/"), " ")
	if !safeTags[name] {
		return fmt.Errorf("tag <%s> is not expected", tag)
	}
	for {
		rest = strings.TrimLeft(rest, " ")
		if rest == "" || rest == "/" {
			return nil
		}
		attr, val := rest, ""
		if k := strings.IndexAny(rest, "= "); k >= 0 && rest[k] == ' ' {
			attr, rest = rest[:k], rest[k:]
		} else if k >= 0 {
			attr, rest = rest[:k], rest[k+1:]
			if !strings.HasPrefix(rest, `"`) {
				return fmt.Errorf("unquoted value of %s in <%s>", attr, tag)
			}
			q := strings.IndexByte(rest[1:], '"')
			if q < 0 {
				return fmt.Errorf("unterminated value of %s in <%s>", attr, tag)
			}
			val, rest = rest[1:1+q], rest[q+2:]
		} else {
			rest = ""
		}
		attr = strings.ToLower(attr)
		if strings.HasPrefix(attr, "on") || !safeAttrs[attr] {
			return fmt.Errorf("attribute %q is not expected in <%s>", attr, tag)
		}
		switch attr {
		case "href", "src":
			if err := checkURL(html.UnescapeString(val)); err != nil {
				return fmt.Errorf("<%s>: %v", tag, err)
			}
		case "style":
			if !safeStyles[val] {
				return fmt.Errorf("style %q is not expected", val)
			}
		}
	}
}

// checkURL is written independently of classifyDest so that a mistake in
// one is not repeated in the other.
func checkURL(u string) error {
	clean := strings.Map(func(r rune) rune {
		if r <= ' ' || r == 0x7f {
			return -1
		}
		return r
	}, strings.ToLower(u))
	// "https://x/?q=javascript:" is harmless; a URL that starts with a
	// script scheme is not.
	if strings.HasPrefix(clean, "javascript:") || strings.HasPrefix(clean, "vbscript:") {
		return fmt.Errorf("script URL %q", u)
	}
	scheme, _, found := strings.Cut(clean, ":")
	if !found || strings.ContainsAny(scheme, "/?#") {
		return nil
	}
	switch scheme {
	case "http", "https", "mailto", "tel":
		return nil
	}
	return fmt.Errorf("URL scheme %q in %q", scheme, u)
}
