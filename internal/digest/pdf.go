package digest

import (
	"bytes"
	"context"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strconv"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
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

// printTimeout bounds one print; a profile folder older than
// staleProfileAge cannot belong to a print that is still running.
const (
	printTimeout    = 2 * time.Minute
	staleProfileAge = 5 * printTimeout
)

// PrintPDF prints an HTML file to a PDF with headless Chromium, as the
// browser's print dialog would with "headers and footers" off: the page
// size, margins and page numbers come from the file's @page rules. The
// printed copy runs theme/digest/print.js (see printCopy).
//
// The browser reaches no network: the file is standalone, and a request
// from the office's machine to an image's server would tell that server
// who reads what. It dies with the process that started it (on Linux),
// and a later print removes the profile folders of prints that were
// killed.
func PrintPDF(ctx context.Context, chromium, htmlPath, pdfPath string) error {
	src, err := filepath.Abs(htmlPath)
	if err != nil {
		return err
	}
	dst, err := filepath.Abs(pdfPath)
	if err != nil {
		return err
	}
	// The copy the browser prints runs the theme's print script, which
	// the page on the site does not.
	src, removeCopy, err := printCopy(src)
	if err != nil {
		return err
	}
	defer removeCopy()
	removeStaleProfiles(os.TempDir())
	// A profile of its own: a fresh browser with nothing to sync or
	// restore, which also lets several prints run at once.
	profile, release, err := newProfile(os.TempDir())
	if err != nil {
		return err
	}
	defer release()
	ctx, cancel := context.WithTimeout(ctx, printTimeout)
	defer cancel()
	cmd := exec.CommandContext(ctx, chromium,
		"--headless", "--no-sandbox", "--disable-gpu",
		"--disable-background-networking", "--disable-component-update", "--disable-sync",
		"--no-first-run", "--user-data-dir="+profile,
		// Wider than the A4 page, so that the script measures with the
		// stylesheet's desktop rules, as the page prints.
		"--window-size=1600,1200",
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
	dieWithParent(cmd)
	// The parent-death signal fires when the thread that started the
	// browser ends, not the process (golang.org/issue/27505), and the Go
	// runtime ends a thread whose goroutine exits locked to it. Keeping
	// this goroutine on its thread until the browser has exited means the
	// signal fires only when the process dies.
	runtime.LockOSThread()
	err = cmd.Run()
	runtime.UnlockOSThread()
	if err != nil {
		return diag.Errorf("printing %s with %s: %v\n%s", filepath.Base(htmlPath), chromium, err, tail(out.String(), 10))
	}
	if info, err := os.Stat(dst); err != nil || info.Size() == 0 {
		return diag.Errorf("printing %s with %s wrote no PDF\n%s", filepath.Base(htmlPath), chromium, tail(out.String(), 10))
	}
	return nil
}

// profilePrefix starts the names of the browser profile folders in the
// temporary folder; profileLock is the file inside one that its print
// holds locked while it runs.
const (
	profilePrefix = "bulletin-chromium-"
	profileLock   = "bulletin-print.lock"
)

// newProfile makes a profile folder in dir and locks it as in use until
// release, which also removes it. The lock file holds the process id, for
// a person looking at the folder.
func newProfile(dir string) (profile string, release func(), err error) {
	profile, err = os.MkdirTemp(dir, profilePrefix)
	if err != nil {
		return "", nil, err
	}
	l, err := fsutil.TryLock(filepath.Join(profile, profileLock))
	if errors.Is(err, fsutil.ErrLocked) {
		err = diag.Errorf("%s is locked by another print", profile)
	}
	if err != nil {
		os.RemoveAll(profile)
		return "", nil, err
	}
	l.File().WriteString(strconv.Itoa(os.Getpid()) + "\n")
	return profile, func() {
		os.RemoveAll(profile)
		l.Unlock()
	}, nil
}

// removeStaleProfiles removes the profile folders in dir of prints that
// are gone: the kernel released their lock when they were killed. A folder
// without a lock file is removed once it is older than any print can run,
// not before: it may be a print's that has just made it.
func removeStaleProfiles(dir string) {
	if !fsutil.LocksWork {
		return // no way to tell a live print's folder from a dead one's
	}
	folders, _ := filepath.Glob(filepath.Join(dir, profilePrefix+"*"))
	for _, p := range folders {
		lockName := filepath.Join(p, profileLock)
		if _, err := os.Lstat(lockName); err != nil {
			if info, err := os.Lstat(p); err == nil && info.IsDir() && time.Since(info.ModTime()) > staleProfileAge {
				os.RemoveAll(p)
			}
			continue
		}
		if l, err := fsutil.TryLock(lockName); err == nil {
			os.RemoveAll(p)
			l.Unlock()
		}
	}
}

// tail keeps the last n lines of a browser's chatter for an error message.
func tail(s string, n int) string {
	lines := strings.Split(strings.TrimSpace(s), "\n")
	return strings.Join(lines[max(0, len(lines)-n):], "\n")
}
