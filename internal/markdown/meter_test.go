package markdown

import (
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"golang.org/x/tools/txtar"
)

// pathological lists inputs on which Markdown parsers take quadratic time
// or write quadratic output, each as a function of a repeat count n. Each
// entry was measured on goldmark; the ones marked slow took seconds at
// n = 40,000 before the meter, or wrote hundreds of megabytes.
var pathological = []struct {
	name string
	gen  func(n int) string
}{
	{"unclosed links on a line (slow)", func(n int) string { return strings.Repeat("[a](", n) }},
	{"unclosed images on a line (slow)", func(n int) string { return strings.Repeat("![a](", n) }},
	{"unclosed links a line each (slow)", func(n int) string { return strings.Repeat("[a](\n", n) }},
	{"opening brackets (slow)", func(n int) string { return strings.Repeat("[", n) }},
	{"nested brackets", func(n int) string { return strings.Repeat("[", n) + "a" + strings.Repeat("]", n) }},
	{"nested links", func(n int) string { return strings.Repeat("[a", n) + strings.Repeat("](b)", n) }},
	{"brackets, stars and backticks", func(n int) string { return strings.Repeat("[*`a", n) }},
	{"quotes nested on a line (slow)", func(n int) string { return strings.Repeat(">", n) + " a" }},
	{"quotes nested on every line", func(n int) string { return strings.Repeat(strings.Repeat(">", 100)+" a\n", n/100) }},
	{"lists nested deep (slow)", func(n int) string {
		var b strings.Builder
		for i := range n / 50 {
			b.WriteString(strings.Repeat("  ", i%200) + "- a\n")
		}
		return b.String()
	}},
	{"list markers on a line", func(n int) string { return strings.Repeat("- ", n) + "a" }},
	{"wide header over short rows (slow)", func(n int) string {
		return strings.Repeat("|a", 1000) + "\n" + strings.Repeat("|-", 1000) + "\n" + strings.Repeat("|\n", n/10)
	}},
	{"wide table", func(n int) string { return strings.Repeat("|a", n) + "\n" + strings.Repeat("|-", n) + "\n" }},
	{"long reference used often (big output)", func(n int) string {
		return "[x]: /" + strings.Repeat("x", 1000) + "\n\n" + strings.Repeat("[x]", n)
	}},
	{"reference definitions in one paragraph (slow)", func(n int) string {
		var b strings.Builder
		for i := range n / 8 {
			fmt.Fprintf(&b, "[%d]: /x\n", i)
		}
		return b.String()
	}},
	{"mixed emphasis markers (slow)", func(n int) string { return strings.Repeat("*a_b*c_d**e_f*g**h*i_j**", n/20) }},
	{"emphasis", func(n int) string { return strings.Repeat("*a", n) }},
	{"strong emphasis", func(n int) string { return strings.Repeat("**a", n) }},
	{"underscores opened then closed", func(n int) string { return strings.Repeat("_a ", n) + strings.Repeat(" a_", n) }},
	{"Chinese bold openings", func(n int) string { return strings.Repeat("**一是。", n) }},
	{"strikethrough", func(n int) string { return strings.Repeat("~~a", n) }},
	{"backtick runs of growing length", func(n int) string {
		var b strings.Builder
		for i := 1; b.Len() < n; i++ {
			b.WriteString(strings.Repeat("`", i) + "a")
		}
		return b.String()
	}},
	{"code spans", func(n int) string { return strings.Repeat("`a``", n) }},
	{"stars and backticks", func(n int) string { return strings.Repeat("*`", n) }},
	{"autolinks never closed", func(n int) string { return strings.Repeat("<http://a", n) }},
	{"HTML comments never closed", func(n int) string { return strings.Repeat("<!--", n) }},
	{"a tag with many attributes", func(n int) string { return "<a " + strings.Repeat("b=1 ", n) }},
	{"footnote references", func(n int) string { return strings.Repeat("[^a]", n) + "\n\n[^a]: x\n" }},
	{"footnotes never closed", func(n int) string { return strings.Repeat("[^", n) }},
	{"bare URLs", func(n int) string { return strings.Repeat("www.a ", n) }},
	{"headings", func(n int) string { return strings.Repeat("# a\n", n/4) }},
	{"setext headings", func(n int) string { return strings.Repeat("a\n=\n", n/4) }},
	{"fences", func(n int) string { return strings.Repeat("```\n", n/4) }},
	{"character references", func(n int) string { return strings.Repeat("&#", n) }},
}

// TestRenderPathologicalIsLinear renders every pathological input at two
// sizes and requires the work to grow in proportion: eight times the input
// may take at most about eight times the work (within a margin for noise),
// and the larger render a bounded time. Before the meter, the slow ones
// grew with the square of the size or did not finish.
func TestRenderPathologicalIsLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("renders megabytes of pathological input")
	}
	r := New()
	const small, large = 20000, 160000
	for _, tc := range pathological {
		t.Run(tc.name, func(t *testing.T) {
			var took [2]time.Duration
			var work [2]int64
			for i, n := range []int{small, large} {
				src := []byte(tc.gen(n))
				took[i], work[i] = timeRender(t, r, src)
			}
			t.Logf("%v, then %v (%.1fx); work %d, then %d", took[0], took[1], float64(took[1])/float64(took[0]), work[0], work[1])
			// Quadratic growth would be 64 times; allow 24 for noise (a
			// shared machine running other packages' tests has been seen
			// to add a factor of 2.7) and the cost of memory growing. A
			// ratio alone misleads on renders of a few milliseconds, where
			// one collection or a busy neighbour doubles the time, so only
			// a large render that is also slow counts: linear renders stay
			// under 200 ms here (500 ms under a load average of 7), quadratic
			// ones take seconds.
			if took[1] > time.Second && took[1] > 24*took[0] {
				t.Errorf("8x the input took %.1fx the time (%v, then %v)", float64(took[1])/float64(took[0]), took[0], took[1])
			}
			if took[1] > 2*time.Second {
				t.Errorf("%d repeats took %v", large, took[1])
			}
			if work[1] > 16*work[0] && work[1] > workBase {
				t.Errorf("8x the input charged %.1fx the work (%d, then %d)", float64(work[1])/float64(work[0]), work[0], work[1])
			}
		})
	}
}

// timeRender measures one render of src the way a benchmark does: it
// repeats the render until a round has lasted long enough for timer and
// scheduler noise to average out, and keeps the best of three rounds, so
// a garbage collection or a busy neighbour in one render does not read
// as superlinear growth. It returns the time per render and the work the
// meter charged.
func timeRender(t *testing.T, r *Renderer, src []byte) (time.Duration, int64) {
	const renderLimit = 5 * time.Second
	t.Helper()
	const round = 30 * time.Millisecond
	best := time.Duration(1 << 62)
	var work int64
	for range 3 {
		renders := 0
		start := time.Now()
		for renders == 0 || time.Since(start) < round {
			// A quadratic render of the larger input takes minutes:
			// give up on it as a failure rather than wait.
			ctx, cancel := context.WithTimeout(context.Background(), renderLimit)
			doc, err := r.Render(ctx, src, Options{})
			cancel()
			if errors.Is(err, context.DeadlineExceeded) {
				t.Fatalf("a render of %d bytes took more than %v", len(src), renderLimit)
			}
			if err != nil {
				t.Fatalf("%d bytes: %v", len(src), err)
			}
			work = doc.work
			renders++
		}
		best = min(best, time.Since(start)/time.Duration(renders))
	}
	return best, work
}

// TestRenderTooComplex checks that what the meter stops is one error on
// the line where the trouble is, with no HTML.
func TestRenderTooComplex(t *testing.T) {
	r := New()
	for _, tc := range []struct {
		name    string
		src     string
		line    int
		atLeast bool // the line is where the render stopped, somewhere in a repeated part
	}{
		{"unclosed links", "# 标题\n\n正文。\n\n" + strings.Repeat("[a](", 200000) + "\n", 5, false},
		{"nested quotes", "正文。\n\n" + strings.Repeat(">", 100000) + " a\n", 3, false},
		{"wide header", "正文。\n\n" + strings.Repeat("|a", 2000) + "\n" + strings.Repeat("|-", 2000) + "\n" + strings.Repeat("|\n", 20000), 3, false},
		{"reference bomb", "[x]: /" + strings.Repeat("x", 5000) + "\n\n" + strings.Repeat("[x]", 100000), 3, false},
		{"footnote references", "正文。\n\n" + strings.Repeat("[^a]", 400000) + "\n\n[^a]: 注释\n", 3, false},
		{"reference bomb in paragraphs", "[x]: /" + strings.Repeat("x", 5000) + "\n\n" + strings.Repeat("[x]\n\n", 300000), 3, true},
	} {
		t.Run(tc.name, func(t *testing.T) {
			start := time.Now()
			doc, err := r.Render(context.Background(), []byte(tc.src), Options{})
			if err != nil {
				t.Fatal(err)
			}
			// Unmetered, these take minutes; metered, well under a second.
			// The bound leaves room for a machine busy with other tests.
			if took := time.Since(start); took > 5*time.Second {
				t.Errorf("took %v", took)
			}
			if len(doc.Problems) != 1 || doc.Problems[0].Msg.String() != tooComplexMsg || doc.Problems[0].Warning {
				t.Fatalf("problems = %+v, want one error %q", doc.Problems, tooComplexMsg)
			}
			if got := doc.Problems[0].Line; got != tc.line && !(tc.atLeast && got > tc.line) {
				t.Errorf("line = %d, want %d", got, tc.line)
			}
			if len(doc.HTML) != 0 {
				t.Errorf("HTML written: %.100s…", doc.HTML)
			}
		})
	}
}

// TestRenderStopsWhenCancelled checks that a render whose context ends
// stops at once with the context's error, instead of running on after
// its caller gave up.
func TestRenderStopsWhenCancelled(t *testing.T) {
	src := []byte(strings.Repeat("*a_b*c_d**e_f*g**h*i_j**\n", 20000))
	ctx, cancel := context.WithCancel(context.Background())
	cancel()
	start := time.Now()
	doc, err := New().Render(ctx, src, Options{})
	if !errors.Is(err, context.Canceled) || doc != nil {
		t.Fatalf("Render = %v, %v; want context.Canceled", doc, err)
	}
	if took := time.Since(start); took > 100*time.Millisecond {
		t.Errorf("a cancelled render took %v", took)
	}
}

// TestMeterBudgetOnRealText renders real bulletins, the site's sample
// content and this package's test inputs, and checks that each uses at
// most a quarter of its budget, so that no real bulletin comes near it. BULLETIN_CORPUS names a folder of more (such as a generated corpus).
func TestMeterBudgetOnRealText(t *testing.T) {
	dirs := []string{filepath.Join("..", "..", "content"), "testdata"}
	if d := os.Getenv("BULLETIN_CORPUS"); d != "" {
		dirs = append(dirs, d)
	}
	r := New()
	files, worst, worstName, perByte := 0, 0.0, "", 0.0
	for _, dir := range dirs {
		err := filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
			if err != nil || d.IsDir() || !strings.HasSuffix(p, ".md") && !strings.HasSuffix(p, ".txtar") {
				return err
			}
			src, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if strings.HasSuffix(p, ".txtar") {
				input, ok := section(txtar.Parse(src), "input.md")
				if !ok {
					return nil
				}
				src = []byte(input)
			}
			doc, err := r.Render(context.Background(), src, Options{})
			if err != nil {
				return err
			}
			files++
			if share := float64(doc.work) / float64(newMeter(context.Background(), len(src)).budget); share > worst {
				worst, worstName = share, p
			}
			if len(src) >= 4096 {
				perByte = max(perByte, float64(doc.work)/float64(len(src)))
			}
			return nil
		})
		if err != nil {
			t.Fatal(err)
		}
	}
	if files < 20 {
		t.Fatalf("only %d files rendered", files)
	}
	t.Logf("%d files; the most of its budget a file used: %.1f%% (%s); the most work a byte in files of 4 KB or more: %.1f units",
		files, 100*worst, worstName, perByte)
	if worst > 0.25 {
		t.Errorf("%s used %.1f%% of its budget", worstName, 100*worst)
	}
}
