package lint

import (
	"runtime"
	"runtime/debug"
	"strings"
	"testing"
	"time"
)

// pathological lists inputs shaped to make a scanner go back over the
// line: openers that are never closed, runs of marks, many hits on one
// line. Each is n repetitions of a short pattern.
var pathological = []struct {
	name string
	body func(n int) string
}{
	{"link destinations left open", rep("[a](")},
	{"open parentheses", rep("(")},
	{"open parentheses with Chinese", rep("(汉")},
	{"nested parentheses around Chinese", func(n int) string {
		return strings.Repeat("(", n) + "汉" + strings.Repeat(")", n)
	}},
	{"parenthesized Chinese", rep("(汉)")},
	{"footnote marks left open", rep("[^")},
	{"open brackets", rep("[")},
	{"close brackets", rep("]")},
	{"reference links left open", rep("[a][")},
	{"nested brackets", func(n int) string {
		return strings.Repeat("[", n) + "汉" + strings.Repeat("]", n)
	}},
	{"escaped parentheses in destinations", rep("[a](\\(")},
	{"images left open", rep("![")},
	{"asterisks", rep("*")},
	{"underscores", rep("_")},
	{"nested emphasis", func(n int) string {
		return strings.Repeat("*_", n) + "汉" + strings.Repeat("_*", n)
	}},
	{"backticks", rep("`")},
	{"code spans", rep("`a")},
	{"unclosed code spans of growing length", func(n int) string {
		var b strings.Builder
		for k := 1; b.Len() < n; k++ {
			b.WriteString(strings.Repeat("`", k) + "a")
		}
		return b.String()
	}},
	{"escaped backticks", rep("\\``")},
	{"angle brackets", rep("<")},
	{"tags left open", rep("<a")},
	{"question marks", func(n int) string { return "汉" + strings.Repeat("?", n) }},
	{"half-width commas", rep("汉,")},
	{"spaces", rep("汉 ")},
	{"wording", rep("国务苑")},
	{"quotation marks left open", rep("“")},
	{"book titles closing nothing", rep("》")},
	{"backslashes", rep("\\")},
	{"urls", rep("http://a.")},
	{"www", rep("www.")},
	{"Chinese", rep("汉")},
	{"many short lines", rep("[a](汉,(汉\n")},
	{"many paragraphs", rep("“汉\n\n")},
	{"straight quotes", rep("\"汉\"")},
	{"nested straight quotes", func(n int) string { return "\"" + strings.Repeat("'汉'", n) + "\"" }},
	{"spaces beside emphasis", rep("汉** 汉")},
	{"ideographic indents", rep("\u3000汉\n")},
}

func rep(s string) func(int) string {
	return func(n int) string { return strings.Repeat(s, n) }
}

// TestLinear checks that the time to check and fix grows in proportion
// to the input on every pathological shape: sixteen times the input may
// take sixteen times as long, where a scanner that rereads the line takes
// 256 times as long. A ratio rather than a time limit keeps the test
// reliable on a busy machine, and the bound of 64 leaves room for a lot of
// noise either way. Fix checks the file, applies the fixes and checks it
// again, so it covers File.
func TestLinear(t *testing.T) {
	if testing.Short() {
		t.Skip("times 33 large inputs; skipped with -short")
	}
	const n, large = 12_500, 200_000
	l := New(NewRules(Builtin()))
	fix := func(src []byte) { l.Fix(src) }
	// The collector runs between measurements (and when memory runs
	// short), not during them: one collection during a large input's run
	// and none during the small one's made a linear scan's ratio look
	// like 100.
	defer debug.SetGCPercent(debug.SetGCPercent(-1))
	defer debug.SetMemoryLimit(debug.SetMemoryLimit(512 << 20))
	for _, p := range pathological {
		t.Run(p.name, func(t *testing.T) {
			small := perRun(fix, []byte(front+p.body(n)+"\n"))
			src := []byte(front + p.body(large) + "\n")
			runtime.GC()
			// Quadratic work would take minutes here: give up on it
			// early, leaving the run to finish on its own. The first run
			// also pays for fresh memory, hence the ten seconds.
			done := make(chan struct{})
			go func() { fix(src); close(done) }()
			wait := 10*time.Second + 64*small
			select {
			case <-done:
			case <-time.After(wait):
				t.Fatalf("Fix took %v on %d repetitions and more than %v on %d, want about %d times as long", small, n, wait, large, large/n)
			}
			took := perRun(fix, src)
			ratio := float64(took) / float64(small)
			t.Logf("%v on %d, %v on %d (%.1fx)", small, n, took, large, ratio)
			// A ratio alone misleads on runs of a few milliseconds, where
			// the collector or a busy neighbour can double one of them (CI
			// once saw 88 times on a linear scan), so only a large run that
			// is also slow counts: linear scans take at most about 150 ms
			// here, and a rescan of the line takes seconds.
			if ratio > 64 && took > time.Second {
				t.Errorf("Fix took %v on %d repetitions and %.0f times as long (%v) on %d, want about %d times", small, n, ratio, took, large, large/n)
			}
		})
	}
}

// perRun returns the time run takes on src, the least of a few
// measurements: the one least disturbed by other work on the machine. Each
// measurement repeats run for at least 20 ms, so that a short run is not
// lost in the clock's and the scheduler's noise, and starts with a
// collection.
func perRun(run func([]byte), src []byte) time.Duration {
	best := time.Duration(1<<63 - 1)
	for range 3 {
		runtime.GC()
		start, k := time.Now(), 0
		for k == 0 || time.Since(start) < 20*time.Millisecond {
			run(src)
			k++
		}
		best = min(best, time.Since(start)/time.Duration(k))
		if best > 2*time.Second {
			break // far beyond the noise, and another run takes as long
		}
	}
	return best
}
