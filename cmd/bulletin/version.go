package main

import (
	"context"
	"fmt"
	"os"
	"runtime"
	"runtime/debug"
	"strings"
)

func runVersion(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "version", "bulletin version prints the version of this program and the Go release it was built with.", "  bulletin version")
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	version, revision := "(devel)", ""
	if info, ok := debug.ReadBuildInfo(); ok {
		if info.Main.Version != "" {
			version = info.Main.Version
		}
		for _, s := range info.Settings {
			if s.Key == "vcs.revision" && len(s.Value) >= 12 {
				revision = " " + s.Value[:12]
			}
		}
	}
	fmt.Fprintf(e.stdout, "bulletin %s%s %s %s/%s\n", version, revision, runtime.Version(), runtime.GOOS, runtime.GOARCH)
	return nil
}

// programID identifies this build of the program for caches that what it
// does decides (how Markdown renders, what a page holds): its version and
// revision, and the executable's size and time, since a development build
// keeps the revision of the commit it was changed from.
func programID() string {
	var b strings.Builder
	b.WriteString(runtime.Version())
	if info, ok := debug.ReadBuildInfo(); ok {
		b.WriteString(" " + info.Main.Version)
		for _, s := range info.Settings {
			if strings.HasPrefix(s.Key, "vcs.") {
				b.WriteString(" " + s.Key + "=" + s.Value)
			}
		}
	}
	if exe, err := os.Executable(); err == nil {
		if info, err := os.Stat(exe); err == nil {
			fmt.Fprintf(&b, " %d %d", info.Size(), info.ModTime().UnixNano())
		}
	}
	return b.String()
}
