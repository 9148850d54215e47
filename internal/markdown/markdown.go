// Package markdown is the one goldmark configuration of bulletin, plus
// CJK-aware plain-text helpers (Summary, ReadingMinutes, CountHan).
//
// Bulletin Markdown comes from many bureaus and is untrusted. Render
// promises:
//
//   - no raw HTML in the output: it is left out and reported as a warning;
//   - links, images and autolinks only to http, https, mailto and tel, or
//     to "#fragment" and "/site/path"; any other scheme (javascript:,
//     data:, ...) is reported as an error and the link is replaced by its
//     text (an image by its alt text);
//   - relative destinations go through Options.ResolveLink;
//   - external http(s) links carry rel="noopener noreferrer";
//   - emphasis works the way Chinese writers type it
//     (**一是加强领导。**会议指出), while text without CJK characters
//     follows CommonMark;
//   - headings get ids that keep Chinese (## 工作要求 -> id="工作要求");
//   - bad input never makes Render fail: it becomes a Problem.
package markdown

import (
	"bytes"
	"cmp"
	"fmt"
	"slices"

	"github.com/yuin/goldmark"
	"github.com/yuin/goldmark/extension"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/renderer"
	"github.com/yuin/goldmark/renderer/html"
	"github.com/yuin/goldmark/text"
	"github.com/yuin/goldmark/util"
)

// Renderer is safe for concurrent use; build once per process.
type Renderer struct {
	md    goldmark.Markdown
	state parser.ContextKey // where Render leaves its *renderState for the transformer
}

// LinkResolver is called for every link and image destination that is
// relative: no scheme and not starting with "#" or "/". It returns the
// destination to render, or an error, which is reported as a Problem on the
// link's line; the link is then rendered as its text, the image as its alt
// text.
type LinkResolver func(dest string, image bool) (string, error)

// Options are the per-call settings of Render.
type Options struct {
	ResolveLink LinkResolver // nil: relative links kept as they are
}

// Problem is something wrong in the Markdown, on a 1-based line of the
// source given to Render.
type Problem struct {
	Line    int
	Msg     string
	Warning bool // false: an error
}

// Document is a rendered bulletin body.
type Document struct {
	HTML     []byte    // safe HTML of the body
	Text     string    // plain text, one line per block, no Markdown syntax, no HTML
	Problems []Problem // in source order
}

// New builds the project's goldmark configuration.
func New() *Renderer {
	key := parser.NewContextKey()

	// Inline parsers: goldmark's defaults with the emphasis parser swapped
	// for the CJK-friendly one (see emphasis.go). Ours also sorts before
	// the default's priority, so it wins even if Remove stopped matching.
	inline := util.PrioritizedSlice(parser.DefaultInlineParsers()).Remove(parser.NewEmphasisParser())
	inline = append(inline, util.Prioritized(emphasisParser{}, 499))

	p := parser.NewParser(
		parser.WithBlockParsers(parser.DefaultBlockParsers()...),
		parser.WithInlineParsers(inline...),
		parser.WithParagraphTransformers(parser.DefaultParagraphTransformers()...),
		// Heading ids, the link policy and raw HTML reports. It runs last
		// (footnotes use 999) so it sees the tree that will be rendered.
		// Auto heading ids are not switched on in the parser: those are made
		// from the raw source line, markup included.
		parser.WithASTTransformers(util.Prioritized(&transformer{key: key}, 10000)),
	)

	md := goldmark.New(
		goldmark.WithParser(p),
		goldmark.WithExtensions(
			// GFM, spelled out so that linkify turns only http(s) and
			// www. text into links: a bare "ftp://" stays text instead of
			// becoming a blocked link and an error.
			extension.NewLinkify(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})),
			extension.Table,
			extension.Strikethrough,
			extension.TaskList,
			// [^1] footnotes, rendered at the end of the body.
			extension.Footnote,
			// extension.CJK without its renderer-side East Asian line
			// breaks: "\ " can separate emphasis from Chinese text without
			// showing a space. Dropping a soft line break between two CJK
			// characters is done by the transformer (joinCJKLines), which
			// also knows fullwidth punctuation and keeps the break before a
			// link in Latin text.
			extension.NewCJK(extension.WithEscapedSpace()),
		),
		goldmark.WithRendererOptions(
			// No html.WithUnsafe: raw HTML becomes <!-- raw HTML omitted -->.
			// Links, images and autolinks are written by linkRenderer, which
			// takes over from goldmark's (priority 1000).
			renderer.WithNodeRenderers(util.Prioritized(&linkRenderer{writer: html.NewWriter(html.WithEscapedSpace())}, 100)),
		),
	)
	return &Renderer{md: md, state: key}
}

// Render converts src. The error is only for an internal failure, never for
// bad input, which is reported in Document.Problems.
func (r *Renderer) Render(src []byte, opt Options) (doc *Document, err error) {
	defer func() {
		// A goldmark bug on one bulletin should not take the build down.
		if p := recover(); p != nil {
			doc, err = nil, fmt.Errorf("markdown: internal error: %v", p)
		}
	}()

	st := &renderState{opt: opt, src: src}
	pc := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	pc.Set(r.state, st)
	root := r.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))

	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/4)
	if err := r.md.Renderer().Render(&buf, src, root); err != nil {
		return nil, fmt.Errorf("markdown: rendering: %w", err)
	}
	return &Document{
		HTML:     buf.Bytes(),
		Text:     plainText(root, src),
		Problems: sortProblems(st.problems),
	}, nil
}

// sortProblems puts problems in source order (footnotes are moved to the
// end of the tree, so walk order is not enough) and drops repeated
// warnings, such as those for the opening and closing tag of one inline
// HTML element. Errors are all kept: each names one link to fix.
func sortProblems(ps []Problem) []Problem {
	// Stable, so problems on one line keep the order they were found in.
	slices.SortStableFunc(ps, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	out := ps[:0]
	seen := map[Problem]bool{}
	for _, p := range ps {
		if p.Warning {
			if seen[p] {
				continue
			}
			seen[p] = true
		}
		out = append(out, p)
	}
	if len(out) == 0 {
		return nil
	}
	return out
}

func lineStarts(src []byte) []int {
	starts := make([]int, 1, bytes.Count(src, []byte("\n"))+1)
	for i, c := range src {
		if c == '\n' {
			starts = append(starts, i+1)
		}
	}
	return starts
}
