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
	"context"
	"slices"

	"bulletin/internal/diag"

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
	meter parser.ContextKey // where Render leaves its *meter for the metered parsers
}

// LinkResolver is called for every link and image destination that is
// relative: no scheme and not starting with "#" or "/". It returns the
// destination to render, or an error, which is reported as a Problem on the
// link's line; the link is then rendered as its text, the image as its alt
// text.
type LinkResolver func(dest string, image bool) (Target, error)

// Target is where a relative link or image goes once resolved.
type Target struct {
	URL string
	// Download, when set on a link, is the name a browser saves the linked
	// file under: the name its author gave it, where URL has had to use
	// an ASCII one (关于做好冬春救助工作的通知.pdf published as
	// file-1a2b3c4d.pdf).
	Download string
}

// Options are the per-call settings of Render.
type Options struct {
	ResolveLink LinkResolver // nil: relative links kept as they are
}

// Problem is something wrong in the Markdown, on a 1-based line of the
// source given to Render.
type Problem struct {
	Line    int
	Msg     *diag.Message // reads in English as a string; a Printer reads it in the person's language
	Warning bool          // false: an error
}

// Document is a rendered bulletin body.
type Document struct {
	HTML     []byte    // safe HTML of the body
	Text     string    // plain text, one line per block, no Markdown syntax, no HTML
	Problems []Problem // in source order

	work int64 // what the render cost, in the meter's units
}

// The keys of the renderer's and the meter's state in a parse's context.
// goldmark counts keys in a package variable that sizes every new parse
// context, so they are made once when the program starts: made in New,
// they raced with renders already running (serve rebuilding while a build
// loads the site).
var renderKey, meterKey = parser.NewContextKey(), parser.NewContextKey()

// New builds the project's goldmark configuration. GFM, footnotes and
// the CJK options are assembled here from their parts rather than added
// as goldmark extensions, so that every parser can be wrapped by the
// meter (meter.go); the priorities are the extensions' own.
func New() *Renderer {
	inline := func(p parser.InlineParser, priority int, cost inlineCost) util.PrioritizedValue {
		return util.Prioritized(&meteredInline{InlineParser: p, key: meterKey, cost: cost}, priority)
	}
	block := func(v util.PrioritizedValue) util.PrioritizedValue {
		return util.Prioritized(&meteredBlock{BlockParser: v.Value.(parser.BlockParser), key: meterKey}, v.Priority)
	}
	var blocks []util.PrioritizedValue
	for _, v := range parser.DefaultBlockParsers() {
		blocks = append(blocks, block(v))
	}
	// [^1]: footnote definitions.
	blocks = append(blocks, block(util.Prioritized(extension.NewFootnoteBlockParser(), 999)))

	p := parser.NewParser(
		parser.WithBlockParsers(blocks...),
		parser.WithInlineParsers(
			// goldmark's defaults, with the emphasis parser swapped for
			// the CJK-friendly one (see emphasis.go).
			inline(parser.NewCodeSpanParser(), 100, costRestOfBlockOnFailure),
			inline(parser.NewLinkParser(), 200, costLink),
			inline(parser.NewAutoLinkParser(), 300, costRestOfLineOnFailure),
			inline(parser.NewRawHTMLParser(), 400, costRestOfBlockOnFailure),
			inline(emphasisParser{}, 499, costDelimiter),
			// GFM: linkify turns only http(s) and www. text into links,
			// so a bare "ftp://" stays text instead of becoming a blocked
			// link and an error.
			inline(extension.NewLinkifyParser(extension.WithLinkifyAllowedProtocols([]string{"http:", "https:"})), 999, costConsumed),
			inline(extension.NewStrikethroughParser(), 500, costDelimiter),
			inline(extension.NewTaskCheckBoxParser(), 0, costConsumed),
			// [^1] footnote references, rendered at the end of the body.
			inline(extension.NewFootnoteParser(), 101, costFootnote),
		),
		parser.WithParagraphTransformers(
			util.Prioritized(&meteredLinkRefs{ParagraphTransformer: parser.LinkReferenceParagraphTransformer, key: meterKey}, 100),
			util.Prioritized(&meteredTable{ParagraphTransformer: extension.NewTableParagraphTransformer(), key: meterKey}, 200),
		),
		parser.WithASTTransformers(
			util.Prioritized(extension.NewTableASTTransformer(), 0),
			util.Prioritized(extension.NewFootnoteASTTransformer(), 999),
			// Heading ids, the link policy and raw HTML reports. It runs
			// last so it sees the tree that will be rendered. Auto heading
			// ids are not switched on in the parser: those are made from
			// the raw source line, markup included.
			util.Prioritized(&transformer{key: renderKey, meter: meterKey}, 10000),
		),
		// From extension.CJK: "\ " can separate emphasis from Chinese
		// text without showing a space. Its renderer-side East Asian line
		// breaks are left off: dropping a soft line break between two
		// CJK characters is done by the transformer (joinCJKLines), which
		// also knows fullwidth punctuation and keeps the break before a
		// link in Latin text.
		parser.WithEscapedSpace(),
	)

	md := goldmark.New(
		goldmark.WithParser(p),
		goldmark.WithRendererOptions(
			// No html.WithUnsafe: raw HTML becomes <!-- raw HTML omitted -->.
			html.WithWriter(html.NewWriter(html.WithEscapedSpace())),
			renderer.WithNodeRenderers(
				util.Prioritized(extension.NewTableHTMLRenderer(), 500),
				util.Prioritized(extension.NewStrikethroughHTMLRenderer(), 500),
				util.Prioritized(extension.NewTaskCheckBoxHTMLRenderer(), 500),
				util.Prioritized(extension.NewFootnoteHTMLRenderer(), 500),
				// Links, images and autolinks are written by linkRenderer,
				// which takes over from goldmark's (priority 1000).
				util.Prioritized(&linkRenderer{writer: html.NewWriter(html.WithEscapedSpace())}, 100),
			),
		),
	)
	return &Renderer{md: md, state: renderKey, meter: meterKey}
}

// Render converts src. The error is only for an internal failure or the
// end of ctx, never for bad input, which is reported in
// Document.Problems: a source whose parsing or output would take more
// than a budget proportional to its size is one Problem, on the line the
// render had reached, and no HTML.
func (r *Renderer) Render(ctx context.Context, src []byte, opt Options) (doc *Document, err error) {
	st := &renderState{opt: opt, src: src}
	defer func() {
		p := recover()
		if p == nil {
			return
		}
		stop, ok := p.(stopRender)
		switch {
		case !ok:
			// A goldmark bug on one bulletin should not take the build down.
			doc, err = nil, diag.Errorf("markdown: internal error: %v", p)
		case stop.err == errTooComplex:
			doc, err = &Document{Problems: []Problem{{Line: st.offsetLine(stop.offset), Msg: &diag.Message{Format: tooComplexMsg}}}}, nil
		default:
			doc, err = nil, stop.err
		}
	}()

	pc := parser.NewContext(parser.WithIDs(newHeadingIDs()))
	pc.Set(r.state, st)
	m := newMeter(ctx, len(src))
	pc.Set(r.meter, m)
	root := r.md.Parser().Parse(text.NewReader(src), parser.WithContext(pc))
	if err := ctx.Err(); err != nil {
		return nil, err
	}

	var buf bytes.Buffer
	buf.Grow(len(src) + len(src)/4)
	out := limitedWriter{buf: &buf, limit: outputPerByte*len(src) + outputBase}
	if err := r.md.Renderer().Render(out, src, root); err != nil {
		return nil, diag.Errorf("markdown: rendering: %w", err)
	}
	return &Document{
		HTML:     buf.Bytes(),
		Text:     plainText(root, src),
		Problems: sortProblems(st.problems),
		work:     m.used,
	}, nil
}

// tooComplexMsg tells the editor what makes a source too costly; the
// line is where the render stopped, at or after the cause.
const tooComplexMsg = "the Markdown from here on is too complex to render: look for brackets or links " +
	"that are never closed, quotes or lists nested very deep, a table header far wider than its rows, " +
	"or one long link repeated many times"

// sortProblems puts problems in source order (footnotes are moved to the
// end of the tree, so walk order is not enough) and drops repeated
// warnings, such as those for the opening and closing tag of one inline
// HTML element. Errors are all kept: each names one link to fix.
func sortProblems(ps []Problem) []Problem {
	// Stable, so problems on one line keep the order they were found in.
	slices.SortStableFunc(ps, func(a, b Problem) int { return cmp.Compare(a.Line, b.Line) })
	out := ps[:0]
	type key struct {
		line int
		msg  string
	}
	seen := map[key]bool{}
	for _, p := range ps {
		if p.Warning {
			k := key{p.Line, p.Msg.String()}
			if seen[k] {
				continue
			}
			seen[k] = true
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
