package digest

import (
	"bytes"
	"context"
	"fmt"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"time"
)

// Chromium returns the path of a Chromium or Chrome to print with, "" when
// none is installed.
func Chromium() string {
	for _, name := range []string{"chromium", "chromium-browser", "google-chrome", "google-chrome-stable"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// PrintPDF prints an HTML file to a PDF with headless Chromium, as the
// browser's print dialog would with "headers and footers" off: the page
// size, margins and page numbers come from the file's @page rules.
//
// The browser reaches no network: the file is standalone, and a request
// from the office's machine to an image's server would tell that server
// who reads what.
func PrintPDF(ctx context.Context, chromium, htmlPath, pdfPath string) error {
	src, err := filepath.Abs(htmlPath)
	if err != nil {
		return err
	}
	dst, err := filepath.Abs(pdfPath)
	if err != nil {
		return err
	}
	// A profile of its own: a fresh browser with nothing to sync or
	// restore, which also lets several prints run at once.
	profile, err := os.MkdirTemp("", "bulletin-chromium-")
	if err != nil {
		return err
	}
	defer os.RemoveAll(profile)
	ctx, cancel := context.WithTimeout(ctx, 2*time.Minute)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--no-first-run", "--user-data-dir="+profile,
		// Every http(s) request goes to a proxy that is not there, the
		// loopback addresses included (<-loopback> takes them off the
		// implicit bypass list), and no name resolves: file: and data:
		// URLs are all a print needs.
		"--proxy-server=127.0.0.1:9", "--proxy-bypass-list=<-loopback>",
		"--host-resolver-rules=MAP * ~NOTFOUND",
		"--print-to-pdf="+dst, "--no-pdf-header-footer",
		(&url.URL{Scheme: "file", Path: filepath.ToSlash(src)}).String())
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	if err := cmd.Run(); err != nil {
		return fmt.Errorf("printing %s with %s: %v\n%s", filepath.Base(htmlPath), chromium, err, tail(out.String(), 10))
	}
	if info, err := os.Stat(dst); err != nil || info.Size() == 0 {
		return fmt.Errorf("printing %s with %s wrote no PDF\n%s", filepath.Base(htmlPath), chromium, tail(out.String(), 10))
	}
	return nil
}

// tail keeps the last n lines of a browser's chatter for an error message.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
