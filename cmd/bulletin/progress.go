package main

import (
	"errors"
	"fmt"
	"io"
	"os"
	"runtime"
	"runtime/pprof"
	"sync"
	"time"

	"bulletin/internal/i18n"

	"golang.org/x/term"
)

// progress prints a one-line counter with a rate on a terminal, at most
// ten times a second, and nothing when the output is piped or -q is set.
type progress struct {
	mu    sync.Mutex
	w     io.Writer
	pr    *i18n.Printer // the language of the stage and the rate
	label string
	start time.Time
	last  time.Time
	shown bool
}

func newProgress(w io.Writer, quiet bool) *progress {
	if quiet {
		return nil
	}
	f, ok := w.(*os.File)
	if !ok || !term.IsTerminal(int(f.Fd())) {
		return nil
	}
	return &progress{w: w}
}

// stage starts counting a new stage, named by label in pr's language,
// and returns its callback.
func (p *progress) stage(pr *i18n.Printer, label string) func(done, total int) {
	if p == nil {
		return nil
	}
	p.mu.Lock()
	p.pr, p.label, p.start = pr, pr.Sprintf(label), time.Now()
	p.mu.Unlock()
	return func(done, total int) {
		p.mu.Lock()
		defer p.mu.Unlock()
		now := time.Now()
		if done < total && now.Sub(p.last) < 100*time.Millisecond {
			return
		}
		p.last = now
		rate := float64(done) / max(now.Sub(p.start).Seconds(), 1e-3)
		fmt.Fprint(p.w, "\r\033[K"+p.pr.Sprintf("%s %d/%d (%.0f/s)", p.label, done, total, rate))
		p.shown = true
	}
}

// clear removes the counter line before other output.
func (p *progress) clear() {
	if p == nil {
		return
	}
	p.mu.Lock()
	defer p.mu.Unlock()
	if p.shown {
		fmt.Fprint(p.w, "\r\033[K")
		p.shown = false
	}
}

// writeMemProfile writes a heap profile of what is live now to file, for
// performance reports (-memprofile): called where the build holds the
// most, it shows what holds memory. With no file it does nothing.
func writeMemProfile(file string) error {
	if file == "" {
		return nil
	}
	f, err := os.Create(file)
	if err != nil {
		return err
	}
	runtime.GC() // the profile counts what the last collection found live
	return errors.Join(pprof.WriteHeapProfile(f), f.Close())
}

// startCPUProfile writes a CPU profile to file until stop is called, for
// performance reports (-cpuprofile); with no file it does nothing.
func startCPUProfile(file string) (stop func(), err error) {
	if file == "" {
		return func() {}, nil
	}
	f, err := os.Create(file)
	if err != nil {
		return nil, err
	}
	if err := pprof.StartCPUProfile(f); err != nil {
		f.Close()
		return nil, err
	}
	return func() {
		pprof.StopCPUProfile()
		f.Close()
	}, nil
}
