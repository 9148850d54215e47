package sitetest

import "testing"

func TestParseCPULine(t *testing.T) {
	tests := []struct {
		line        string
		total, idle uint64
		bad         bool
	}{
		{line: "cpu  100 5 50 800 40 1 2 2 7 0", total: 1000, idle: 840},
		{line: "cpu 10 0 10 80", total: 100, idle: 80},
		{line: "cpu0 10 0 10 80", bad: true},
		{line: "intr 1 2 3 4 5", bad: true},
		{line: "cpu 10 x 10 80", bad: true},
		{line: "", bad: true},
	}
	for _, tt := range tests {
		c, ok := parseCPULine(tt.line)
		if ok == tt.bad {
			t.Errorf("%q: read %v, want %v", tt.line, ok, !tt.bad)
			continue
		}
		if !tt.bad && (c.total != tt.total || c.idle != tt.idle) {
			t.Errorf("%q: total %d idle %d, want %d and %d", tt.line, c.total, c.idle, tt.total, tt.idle)
		}
	}
	if got := (cpuTime{total: 300, idle: 150}).idleSince(cpuTime{total: 100, idle: 100}); got != 0.25 {
		t.Errorf("idle since = %v, want 0.25", got)
	}
}
