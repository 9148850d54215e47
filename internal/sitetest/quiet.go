package sitetest

import (
	"bytes"
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
)

// WaitQuiet waits, up to most, until the machine's processors are mostly
// idle: for a test that holds a server to a latency budget, which next to
// another package's tests (go test runs several test binaries at once)
// would measure its neighbour. TakeTurn keeps the known heavy tests
// apart; this waits for the others, such as a package compiling and
// running its own tests. It reads /proc/stat, so elsewhere it returns at
// once; when the machine stays busy it says so and returns.
func WaitQuiet(t testing.TB, most time.Duration) {
	t.Helper()
	const (
		window = 500 * time.Millisecond
		calm   = 4    // windows in a row
		idle   = 0.75 // of all processors' time
	)
	start := time.Now()
	prev, ok := cpuTimes()
	if !ok {
		return // not Linux: nothing to read
	}
	quiet, last := 0, 0.0
	for time.Since(start) < most {
		select {
		case <-t.Context().Done():
			return
		case <-time.After(window):
		}
		cur, ok := cpuTimes()
		if !ok {
			return
		}
		last = cur.idleSince(prev)
		prev = cur
		if last < idle {
			quiet = 0
			continue
		}
		if quiet++; quiet == calm {
			if waited := time.Since(start); waited > 5*time.Second {
				t.Logf("waited %s for the machine to be quiet", waited.Round(time.Second))
			}
			return
		}
	}
	t.Logf("the machine stayed busy for %s (last %.0f%% idle); measuring anyway", most, 100*last)
}

// cpuTime is the time all processors spent, and spent idle, since boot,
// in the kernel's ticks.
type cpuTime struct{ total, idle uint64 }

func (c cpuTime) idleSince(before cpuTime) float64 {
	if c.total <= before.total {
		return 1
	}
	return float64(c.idle-before.idle) / float64(c.total-before.total)
}

// cpuTimes reads the processors' times from /proc/stat, reporting
// whether it could.
func cpuTimes() (cpuTime, bool) {
	data, err := os.ReadFile("/proc/stat")
	if err != nil {
		return cpuTime{}, false
	}
	line, _, _ := bytes.Cut(data, []byte("\n"))
	return parseCPULine(string(line))
}

// parseCPULine reads the first line of /proc/stat: "cpu user nice system
// idle iowait irq softirq steal guest guest_nice", in ticks. Waiting for
// the disk counts as idle; guests' time is counted in user and nice
// already.
func parseCPULine(line string) (cpuTime, bool) {
	f := strings.Fields(line)
	if len(f) < 5 || f[0] != "cpu" {
		return cpuTime{}, false
	}
	var c cpuTime
	for i, s := range f[1:min(len(f), 9)] {
		n, err := strconv.ParseUint(s, 10, 64)
		if err != nil {
			return cpuTime{}, false
		}
		c.total += n
		if i == 3 || i == 4 { // idle, iowait
			c.idle += n
		}
	}
	return c, true
}
