package markdown

import (
	"bytes"
	"context"
	"errors"

	"github.com/yuin/goldmark/ast"
	"github.com/yuin/goldmark/parser"
	"github.com/yuin/goldmark/text"
)

// Markdown parsers, goldmark included, have inputs on which they take
// quadratic time or write quadratic output: tens of thousands of unclosed
// "[a](" on a line, ">" nested thousands deep, a table header of a
// thousand columns over thousands of one-cell rows, a long reference
// link used a million times. A bulletin is untrusted, so Render bounds
// the work instead of waiting for it: every parser goldmark calls is
// wrapped by a meter that charges each call an upper bound of the
// scanning the call may do, and stops the render (with a Problem on the
// line it reached) once the charges pass a budget proportional to the
// input. The same meter stops the render when its context is done, so
// that a render given up on by its caller does not go on in the
// background.

// workPerByte and workBase make the budget: real bulletins use a few
// units a byte (see TestMeterBudgetOnRealText), the pathological inputs
// above need thousands.
const (
	workPerByte = 32
	workBase    = 1 << 20
)

// outputPerByte and outputBase bound the HTML written for a source: the
// densest real Markdown (footnote references, bare URLs) writes about 20
// bytes a byte.
const (
	outputPerByte = 48
	outputBase    = 1 << 20
)

// meter counts the work of one Render.
type meter struct {
	ctx    context.Context
	budget int64
	used   int64
	calls  int

	// The delimiter runs (emphasis, strikethrough) of the block being
	// parsed: matching them may compare each with those before it.
	block  ast.Node
	delims int
}

// stopRender is the panic that ends a render early; Render recovers it.
type stopRender struct {
	err    error // errTooComplex or the context's error
	offset int   // where in the source the render was, -1 when unknown
}

var errTooComplex = errors.New("too complex")

func newMeter(ctx context.Context, srcLen int) *meter {
	return &meter{ctx: ctx, budget: workPerByte*int64(srcLen) + workBase}
}

// charge adds n units of work done at offset in the source.
func (m *meter) charge(n, offset int) {
	m.used += int64(max(n, 1))
	if m.used > m.budget {
		panic(stopRender{errTooComplex, offset})
	}
	// The context is looked at now and then: most calls cost little.
	m.calls++
	if m.calls%64 == 0 {
		if err := m.ctx.Err(); err != nil {
			panic(stopRender{err, offset})
		}
	}
}

// meterOf returns the meter of the render pc belongs to.
func meterOf(pc parser.Context, key parser.ContextKey) *meter {
	m, _ := pc.Get(key).(*meter)
	if m == nil {
		// Parsers are only reached through Render, which sets one; a
		// meter that never stops is the safe reading of a broken promise.
		m = &meter{ctx: context.Background(), budget: 1<<63 - 1}
		pc.Set(key, m)
	}
	return m
}

// inlineCost says what a call of one inline parser may scan beyond what
// it consumes.
type inlineCost int

const (
	// costConsumed: the parser scans what it consumes and a bounded
	// look-ahead (linkify, task check boxes).
	costConsumed inlineCost = iota
	// costDelimiter: the parser adds a delimiter run (emphasis,
	// strikethrough), which goldmark later matches against the runs
	// before it in the block.
	costDelimiter
	// costLink: a closing bracket scans the rest of the line for the
	// destination and, to look up a reference, every line of the block.
	costLink
	// costRestOfLineOnFailure: the parser scans the rest of the line
	// before it gives up (autolinks).
	costRestOfLineOnFailure
	// costRestOfBlockOnFailure: the parser scans the rest of the block
	// for a closing delimiter before it gives up (code spans, raw HTML).
	costRestOfBlockOnFailure
	// costFootnote: a footnote reference scans the rest of the line for
	// its closing bracket, and each one found makes a numbered note with
	// links there and back (footnoteWork).
	costFootnote
)

// meteredInline wraps an inline parser with the meter.
type meteredInline struct {
	parser.InlineParser
	key  parser.ContextKey
	cost inlineCost
}

func (p *meteredInline) Parse(parent ast.Node, block text.Reader, pc parser.Context) ast.Node {
	m := meterOf(pc, p.key)
	line, seg := block.PeekLine()
	start := seg.Start
	n := 1
	switch {
	case p.cost == costLink && len(line) > 0 && line[0] == ']':
		n += len(line) + parent.Lines().Len()
	case p.cost == costDelimiter:
		if m.block != parent {
			m.block, m.delims = parent, 0
		}
		m.delims++
		n += m.delims
	}
	m.charge(n, start)
	node := p.InlineParser.Parse(parent, block, pc)
	if _, after := block.Position(); after.Start > start {
		m.charge(after.Start-start, start)
	}
	switch {
	case p.cost == costFootnote && node != nil:
		m.charge(footnoteWork, start)
	case node != nil:
		m.charge(inlineWork, start)
	}
	switch {
	case (p.cost == costRestOfLineOnFailure || p.cost == costFootnote) && node == nil:
		m.charge(len(line), start)
	case p.cost == costRestOfBlockOnFailure && !isCodeOrHTML(node):
		m.charge(restOfBlock(parent, start), start)
	}
	return node
}

// isCodeOrHTML reports whether an inline parser for code spans or raw
// HTML found its closing delimiter; a failed one returns nil or the
// opening backticks as text.
func isCodeOrHTML(n ast.Node) bool {
	switch n.(type) {
	case *ast.CodeSpan, *ast.RawHTML:
		return true
	}
	return false
}

// restOfBlock is an upper bound of the bytes of parent's lines from
// offset on.
func restOfBlock(parent ast.Node, offset int) int {
	lines := parent.Lines()
	if lines.Len() == 0 {
		return 0
	}
	return max(lines.At(lines.Len()-1).Stop-offset, 0)
}

// CloseBlock passes the end of a block on to parsers that keep state
// across it (links do).
func (p *meteredInline) CloseBlock(parent ast.Node, block text.Reader, pc parser.Context) {
	if c, ok := p.InlineParser.(parser.CloseBlocker); ok {
		c.CloseBlock(parent, block, pc)
	}
}

// meteredBlock wraps a block parser with the meter. Opening or
// continuing a block works out the line's indentation from its start, so
// each call is charged the line: containers nested thousands deep on one
// line cost the square of the depth.
type meteredBlock struct {
	parser.BlockParser
	key parser.ContextKey
}

func (p *meteredBlock) Open(parent ast.Node, reader text.Reader, pc parser.Context) (ast.Node, parser.State) {
	m := meterOf(pc, p.key)
	line, seg := reader.PeekLine()
	m.charge(len(line), seg.Start)
	node, state := p.BlockParser.Open(parent, reader, pc)
	if node != nil {
		m.charge(blockWork, seg.Start)
	}
	return node, state
}

func (p *meteredBlock) Continue(node ast.Node, reader text.Reader, pc parser.Context) parser.State {
	line, seg := reader.PeekLine()
	meterOf(pc, p.key).charge(len(line), seg.Start)
	return p.BlockParser.Continue(node, reader, pc)
}

// meteredTable wraps the table paragraph transformer: a table gets as
// many cells in every row as its header has columns, so a wide header
// over many short rows writes far more than its source. The charge is
// an upper bound of the cells: rows times the most cells any line could
// open.
type meteredTable struct {
	parser.ParagraphTransformer
	key parser.ContextKey
}

func (p *meteredTable) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	if lines.Len() >= 2 {
		src := reader.Source()
		widest := 0
		for i := range lines.Len() {
			line := lines.At(i)
			widest = max(widest, bytes.Count(line.Value(src), []byte("|"))+1)
		}
		meterOf(pc, p.key).charge(cellWork*widest*lines.Len(), lines.At(0).Start)
	}
	p.ParagraphTransformer.Transform(node, reader, pc)
}

// blockWork and inlineWork are what making a block or an inline node
// costs next to a byte scanned: a few microseconds for a block, with its
// transformers and rendering.
const (
	blockWork  = 256
	inlineWork = 64
	// A footnote reference is written with its number, a link to the
	// note and one back, and sorted into the notes at the end.
	footnoteWork = 1024
)

// cellWork is what a table cell costs next to a byte scanned: a node
// made and a few tags written.
const cellWork = 100

// meteredLinkRefs wraps the transformer that takes link reference
// definitions ("[1]: https://...") out of a paragraph: it shortens the
// paragraph's lines once for every definition it takes, so each line
// that may start one is charged every line.
type meteredLinkRefs struct {
	parser.ParagraphTransformer
	key parser.ContextKey
}

func (p *meteredLinkRefs) Transform(node *ast.Paragraph, reader text.Reader, pc parser.Context) {
	lines := node.Lines()
	if lines.Len() >= 2 {
		src := reader.Source()
		openers := 0
		for i := range lines.Len() {
			line := lines.At(i)
			if bytes.HasPrefix(bytes.TrimLeft(line.Value(src), " "), []byte("[")) {
				openers++
			}
		}
		meterOf(pc, p.key).charge(openers*lines.Len(), lines.At(0).Start)
	}
	p.ParagraphTransformer.Transform(node, reader, pc)
}

// limitedWriter takes the HTML being written, which may not grow past
// limit.
type limitedWriter struct {
	buf   *bytes.Buffer
	limit int
}

func (w limitedWriter) Write(p []byte) (int, error) {
	if w.buf.Len()+len(p) > w.limit {
		panic(stopRender{errTooComplex, -1})
	}
	return w.buf.Write(p)
}
