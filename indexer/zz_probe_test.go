package indexer

import (
	"context"
	"net/url"
	"os"
	"slices"
	"strings"
	"syscall"
	"testing"
	"time"
)

func TestZZProbe(t *testing.T) {
	dir := os.Getenv("PROBE_INDEX")
	if dir == "" {
		t.Skip()
	}
	ix, err := Open(dir)
	if err != nil {
		t.Fatal(err)
	}
	defer ix.Close()
	for _, raw := range strings.Split(os.Getenv("PROBE_Q"), ",") {
		v, _ := url.ParseQuery(raw)
		req, _ := ParseRequest(v, ix.Location())
		var took, cpu []time.Duration
		var res *Results
		for range 7 {
			var r0, r1 syscall.Rusage
			syscall.Getrusage(syscall.RUSAGE_SELF, &r0)
			start := time.Now()
			res, err = ix.Search(context.Background(), req, 10)
			if err != nil {
				t.Fatal(err)
			}
			took = append(took, time.Since(start))
			syscall.Getrusage(syscall.RUSAGE_SELF, &r1)
			cpu = append(cpu, time.Duration(r1.Utime.Nano()+r1.Stime.Nano()-r0.Utime.Nano()-r0.Stime.Nano()))
		}
		slices.Sort(took)
		slices.Sort(cpu)
		t.Logf("%s: %.1f %.1f ms; total %d approx %v", raw, float64(took[3].Microseconds())/1000, float64(cpu[3].Microseconds())/1000, res.Total, res.Approximate)
	}
}
