package markdown

import (
	"bytes"
	"context"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/util"
	"golang.org/x/tools/txtar"

	"bulletin/internal/diag"
	"bulletin/internal/golden"
)

// testResolver stands in for the loader: .md files become bulletin URLs,
// images go under /static/, and anything named "missing" is an error.
func testResolver(dest string, image bool) (Target, error) {
	switch {
	case strings.Contains(dest, "missing"):
		return Target{}, fmt.Errorf("link to %q: no such bulletin", dest)
	case image:
		return Target{URL: "/static/" + dest}, nil
	case strings.HasSuffix(dest, ".md"):
		return Target{URL: "/bulletins/" + strings.TrimSuffix(dest, ".md") + "/"}, nil
	case strings.HasPrefix(dest, "附件"):
		return Target{URL: "file-1.pdf", Download: dest}, nil
	}
	return Target{URL: dest}, nil
}

// A golden file is a txtar archive: a free-form comment, then the files
// input.md, the source, and output.html, problems and text, what Render
// gives for it.

// section returns the data of the named file of a, as a string.
func section(a *txtar.Archive, name string) (string, bool) {
	for _, f := range a.Files {
		if f.Name == name {
			return string(f.Data), true
		}
	}
	return "", false
}

func formatProblems(ps []Problem) string {
	var b strings.Builder
	for _, p := range ps {
		kind := "error"
		if p.Warning {
			kind = "warning"
		}
		fmt.Fprintf(&b, "%d: %s: %s\n", p.Line, kind, p.Msg)
	}
	return b.String()
}

func goldenFiles(t testing.TB) []string {
	files, err := filepath.Glob(filepath.Join("testdata", "render", "*.txtar"))
	if err != nil {
		t.Fatal(err)
	}
	if len(files) == 0 {
		t.Fatal("no golden files in testdata/render")
	}
	return files
}

func TestRenderGolden(t *testing.T) {
	r := New()
	for _, file := range goldenFiles(t) {
		t.Run(strings.TrimSuffix(filepath.Base(file), ".txtar"), func(t *testing.T) {
			data, err := os.ReadFile(file)
			if err != nil {
				t.Fatal(err)
			}
			g := txtar.Parse(data)
			input, ok := section(g, "input.md")
			if !ok {
				t.Fatalf("%s: no input.md section", file)
			}
			doc, err := r.Render(context.Background(), []byte(input), Options{ResolveLink: testResolver})
			if err != nil {
				t.Fatalf("Render: %v", err)
			}
			got := map[string]string{
				"output.html": string(doc.HTML),
				"problems":    formatProblems(doc.Problems),
				"text":        doc.Text + "\n",
			}
			if *golden.Update {
				out := &txtar.Archive{Comment: g.Comment, Files: []txtar.File{{Name: "input.md", Data: []byte(input)}}}
				for _, name := range []string{"output.html", "problems", "text"} {
					out.Files = append(out.Files, txtar.File{Name: name, Data: []byte(got[name])})
				}
				if err := os.WriteFile(file, txtar.Format(out), 0o666); err != nil {
					t.Fatal(err)
				}
				return
			}
			for _, name := range []string{"output.html", "problems", "text"} {
				want, _ := section(g, name)
				if got[name] != want {
					t.Errorf("%s: %s differs (run go test -update to accept)\ngot:\n%s\nwant:\n%s", file, name, got[name], want)
				}
			}
		})
	}
}

// TestEmphasisASCIIMatchesCommonMark checks that the CJK-friendly emphasis
// parser changes nothing for text without CJK characters: every short
// string over an alphabet of delimiters, letters, spaces and punctuation
// must render as goldmark's own CommonMark parser renders it.
func TestEmphasisASCIIMatchesCommonMark(t *testing.T) {
	inline := util.PrioritizedSlice(parser.DefaultInlineParsers()).Remove(parser.NewEmphasisParser())
	inline = append(inline, util.Prioritized(emphasisParser{}, 499))
	ours := goldmark.New(goldmark.WithParser(parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(inline...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
	)))
	commonmark := goldmark.New()

	const alphabet = "*_a .("
	const maxLen = 6
	var check func(prefix []byte)
	n := 0
	check = func(prefix []byte) {
		if len(prefix) > 0 {
			n++
			var got, want bytes.Buffer
			if err := ours.Convert(prefix, &got); err != nil {
				t.Fatal(err)
			}
			if err := commonmark.Convert(prefix, &want); err != nil {
				t.Fatal(err)
			}
			if got.String() != want.String() {
				t.Errorf("%q: got %q, want (CommonMark) %q", prefix, got.String(), want.String())
			}
		}
		if len(prefix) == maxLen {
			return
		}
		for i := 0; i < len(alphabet); i++ {
			check(append(prefix, alphabet[i]))
		}
	}
	check(make([]byte, 0, maxLen))
	if n < 50000 {
		t.Errorf("checked only %d strings", n)
	}
}

func TestHeadingIDs(t *testing.T) {
	ids := newHeadingIDs()
	ids.Put([]byte("taken"))
	tests := []struct {
		in, want string
	}{
		{"关于做好困难群众帮扶工作的通知", "关于做好困难群众帮扶工作的通知"},
		{"一、总体要求", "一-总体要求"},
		{"一、总体要求", "一-总体要求-1"},
		{"一、总体要求", "一-总体要求-2"},
		{"  Hello,  World! ", "hello-world"},
		{"2024年 GDP 增长", "2024年-gdp-增长"},
		{"——", "section"},
		{"", "section-1"},
		{"Taken", "taken-1"},
		{"Ünïcode Café", "ünïcode-café"},
		{"Привет мир", "Привет-мир"}, // only Latin is lowercased,
		{"a_b-c.d", "a-b-c-d"},
	}
	for _, tt := range tests {
		if got := string(ids.Generate([]byte(tt.in), 0)); got != tt.want {
			t.Errorf("Generate(%q) = %q, want %q", tt.in, got, tt.want)
		}
	}
}

func TestClassifyDest(t *testing.T) {
	tests := []struct {
		dest string
		want destKind
	}{
		{"https://www.gov.cn/", destAllowed},
		{"HTTP://WWW.GOV.CN/", destAllowed},
		{" http://x", destAllowed},
		{"mailto:a@b.cn", destAllowed},
		{"tel:+861012345678", destAllowed},
		{"#section", destLocal},
		{"/bulletins/a/", destLocal},
		{"//cdn.example.com/a.png", destLocal},
		{"a.md", destRelative},
		{"../2024/a.md#x", destRelative},
		{"img/a.png?x=1:2", destRelative},
		{"", destRelative},
		{"javascript:alert(1)", destBlocked},
		{"JaVaScRiPt:alert(1)", destBlocked},
		{"java\tscript:alert(1)", destBlocked},
		{"java\nscript:alert(1)", destBlocked},
		{"\x01javascript:alert(1)", destBlocked},
		{"vbscript:msgbox(1)", destBlocked},
		{"data:text/html,<script>", destBlocked},
		{"file:///etc/passwd", destBlocked},
		{"ftp://files.example.com/", destBlocked},
		{"a:b.md", destBlocked},
		{"\\javascript:alert(1)", destBlocked},
		{"\\x\\y.md", destRelative},
		{"ｊａｖａｓｃｒｉｐｔ:x", destBlocked},
		{"http\x18:", destAllowed},
		{"ht tp://x", destBlocked},
		{"java script:alert(1)", destBlocked},
		{" https://x ", destAllowed},
	}
	for _, tt := range tests {
		if got := classifyDest([]byte(tt.dest)); got != tt.want {
			t.Errorf("classifyDest(%q) = %d, want %d", tt.dest, got, tt.want)
		}
	}
}

func TestRenderProblemLines(t *testing.T) {
	src := "第一段。\n\n第二段第一行\n第二行有[坏链接](missing.md)。\n\n> 引用\n> ![图](javascript:x)\n\n- 列表\n- 项目 <b>粗</b>\n"
	doc, err := New().Render(context.Background(), []byte(src), Options{ResolveLink: testResolver})
	if err != nil {
		t.Fatal(err)
	}
	msg := func(s string) *diag.Message { return &diag.Message{Format: "%s", Args: []any{s}} }
	want := []Problem{
		{Line: 4, Msg: msg(`link to "missing.md": no such bulletin`)},
		{Line: 7, Msg: msg(`image "javascript:x" is not allowed; use http(s) or a relative path`)},
		{Line: 10, Msg: msg("raw HTML is not allowed and was left out"), Warning: true},
	}
	if fmt.Sprint(doc.Problems) != fmt.Sprint(want) {
		t.Errorf("Problems:\ngot  %+v\nwant %+v", doc.Problems, want)
	}
}

func TestRenderNilResolverKeepsRelative(t *testing.T) {
	doc, err := New().Render(context.Background(), []byte("[a](b/c.md) ![d](e.png)"), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := `<p><a href="b/c.md">a</a> <img src="e.png" alt="d"></p>` + "\n"
	if string(doc.HTML) != want || doc.Problems != nil {
		t.Errorf("got %q %v, want %q and no problems", doc.HTML, doc.Problems, want)
	}
}

// The href written is the destination the policy judged: control
// characters the policy ignores are not written either, or a browser
// would read a different URL from the one that was allowed.
func TestRenderWrittenDest(t *testing.T) {
	tests := []struct {
		src, want string
	}{
		{"[a](http\x18:)", `<p><a href="http:" rel="noopener noreferrer">a</a></p>`},
		{"[a](<https://x/\x01a b>)", `<p><a href="https://x/a%20b" rel="noopener noreferrer">a</a></p>`},
		{"![a](<b\x7f.png>)", `<p><img src="b.png" alt="a"></p>`},
		{"[a](<ht tp://x>)", `<p>a</p>`},
	}
	for _, tt := range tests {
		doc, err := New().Render(context.Background(), []byte(tt.src), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSuffix(string(doc.HTML), "\n"); got != tt.want {
			t.Errorf("Render(%q) = %q, want %q", tt.src, got, tt.want)
		}
	}
}

func TestRenderEmpty(t *testing.T) {
	doc, err := New().Render(context.Background(), nil, Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(doc.HTML) != 0 || doc.Text != "" || doc.Problems != nil {
		t.Errorf("Render(nil) = %q, %q, %v; want all empty", doc.HTML, doc.Text, doc.Problems)
	}
}

// TestRenderConcurrent shares one Renderer between goroutines; run with
// -race it shows Render keeps no state between calls.
func TestRenderConcurrent(t *testing.T) {
	src, err := os.ReadFile(filepath.Join("testdata", "bench", "bulletin.md"))
	if err != nil {
		t.Fatal(err)
	}
	r := New()
	want, err := r.Render(context.Background(), src, Options{ResolveLink: testResolver})
	if err != nil {
		t.Fatal(err)
	}
	var wg sync.WaitGroup
	errs := make([]string, 8)
	for i := range errs {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for range 20 {
				got, err := r.Render(context.Background(), src, Options{ResolveLink: testResolver})
				if err != nil {
					errs[i] = err.Error()
					return
				}
				if !bytes.Equal(got.HTML, want.HTML) || got.Text != want.Text {
					errs[i] = "output differs between calls"
					return
				}
			}
		}()
	}
	wg.Wait()
	for i, e := range errs {
		if e != "" {
			t.Errorf("goroutine %d: %s", i, e)
		}
	}
}

func BenchmarkRender(b *testing.B) {
	src, err := os.ReadFile(filepath.Join("testdata", "bench", "bulletin.md"))
	if err != nil {
		b.Fatal(err)
	}
	r := New()
	opt := Options{ResolveLink: testResolver}
	b.SetBytes(int64(len(src)))
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Render(context.Background(), src, opt); err != nil {
			b.Fatal(err)
		}
	}
}

// TestRenderManyDuplicateHeadings guards against numbering repeats by
// trying "-1", "-2"... from the start each time, which is quadratic.
func TestRenderManyDuplicateHeadings(t *testing.T) {
	const n = 5000
	doc, err := New().Render(context.Background(), []byte(strings.Repeat("## 重复\n", n)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	want := fmt.Sprintf(`<h2 id="重复-%d">重复</h2>`+"\n", n-1)
	if !bytes.HasSuffix(doc.HTML, []byte(want)) {
		t.Errorf("last heading: got %q, want %q", doc.HTML[max(0, len(doc.HTML)-40):], want)
	}
}

func TestIsExternal(t *testing.T) {
	tests := []struct {
		dest string
		want bool
	}{
		{"https://www.gov.cn/", true},
		{"HTTP://x", true},
		{"ht\ttp://x", true},
		{"//cdn.example.com/a", true},
		{"mailto:a@b.cn", false},
		{"tel:123", false},
		{"/bulletins/a/", false},
		{"#top", false},
		{"a.md", false},
	}
	for _, tt := range tests {
		if got := isExternal([]byte(tt.dest)); got != tt.want {
			t.Errorf("isExternal(%q) = %v, want %v", tt.dest, got, tt.want)
		}
	}
}

// TestNewWhileRendering makes renderers while others render, as serve
// does when it rebuilds the site during a build in the same process. Run
// under the race detector (CI does), it fails when New touches state that
// a render reads.
func TestNewWhileRendering(t *testing.T) {
	src := []byte("# 标题\n\n**一是**健全机制[^1]。\n\n[^1]: 注释。\n")
	var wg sync.WaitGroup
	for range 4 {
		wg.Go(func() {
			r := New()
			for range 20 {
				if _, err := r.Render(context.Background(), src, Options{}); err != nil {
					t.Error(err)
				}
				New()
			}
		})
	}
	wg.Wait()
}

// TestRenderDownloadName checks that a link the resolver gives a download
// name carries it, escaped, and that other links and images do not.
func TestRenderDownloadName(t *testing.T) {
	for _, tc := range []struct{ src, want string }{
		{"[通知](附件通知.pdf)", `<a href="file-1.pdf" download="附件通知.pdf">通知</a>`},
		{`[通知](附件"><b>.pdf)`, `<a href="file-1.pdf" download="附件&quot;&gt;&lt;b&gt;.pdf">通知</a>`},
		{"[标准](standard.pdf)", `<a href="standard.pdf">标准</a>`},
		{"![图](附件图.png)", `<img src="/static/%E9%99%84%E4%BB%B6%E5%9B%BE.png" alt="图">`},
	} {
		doc, err := New().Render(context.Background(), []byte(tc.src), Options{ResolveLink: testResolver})
		if err != nil {
			t.Fatal(err)
		}
		if !strings.Contains(string(doc.HTML), tc.want) {
			t.Errorf("%s rendered as %s, want %s", tc.src, doc.HTML, tc.want)
		}
	}
}
