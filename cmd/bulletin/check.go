package main

import (
	"context"
	"fmt"
)

func runCheck(ctx context.Context, e *env, args []string) error {
	var sf siteFlags
	fs := newFlags(e, "check", "bulletin check reads site.yaml and every bulletin, drafts and future ones included, and reports every problem as path:line: message. It exits 1 when there are errors, 0 when there are only warnings.",
		"  bulletin check -s .")
	sf.register(fs)
	if err := parseFlags(fs, args); err != nil {
		return err
	}
	sf.drafts, sf.future = true, true
	s, err := sf.load(ctx, e, newProgress(e.stderr, sf.quiet))
	if err != nil {
		return err
	}
	if !sf.quiet {
		fmt.Fprintf(e.stdout, "%s checked: no errors, %s\n", count(len(s.Bulletins), "bulletin", "bulletins"),
			count(len(s.Warnings), "warning", "warnings"))
	}
	return nil
}
