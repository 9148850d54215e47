package docx

import (
	"bytes"
	"context"
	"errors"
	"io"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"time"

	"bulletin/internal/diag"
)

// ErrNoSoffice is what Convert returns, wrapped with what to do, when
// LibreOffice is not installed.
var ErrNoSoffice = errors.New("LibreOffice is not installed")

// convertTimeout bounds one conversion: LibreOffice converts a report in
// seconds, and a file that takes longer will not finish.
const convertTimeout = 60 * time.Second

// Soffice returns the path of LibreOffice's soffice (or libreoffice)
// found in PATH, "" when not installed.
func Soffice() string {
	for _, name := range []string{"soffice", "libreoffice"} {
		if p, err := exec.LookPath(name); err == nil {
			return p
		}
	}
	return ""
}

// Convert turns a .doc or .wps file into .docx with LibreOffice headless
// and returns the new file's path inside outDir.
//
// LibreOffice runs with a profile of its own, made for the conversion and
// removed afterwards, so that it neither waits for nor disturbs a
// LibreOffice the user has open, and two conversions can run at once. It
// runs within ctx and at most 60 seconds; then, or when ctx ends, its
// whole process group is killed (on Unix), and on Linux it dies with the
// process that started it.
func Convert(ctx context.Context, soffice, src, outDir string) (string, error) {
	if soffice == "" {
		return "", diag.Errorf("%w: install it (on Debian: apt-get install libreoffice-writer-nogui), or open the report in Word or WPS and save it as .docx", ErrNoSoffice)
	}
	absSrc, err := filepath.Abs(src)
	if err != nil {
		return "", err
	}
	if _, err := os.Stat(absSrc); err != nil {
		return "", err
	}
	absOut, err := filepath.Abs(outDir)
	if err != nil {
		return "", err
	}
	profile, err := os.MkdirTemp("", "bulletin-soffice-")
	if err != nil {
		return "", err
	}
	defer os.RemoveAll(profile)

	// LibreOffice reads a Chinese file name through the locale, and under
	// a locale that is not installed (LANG=zh_CN.UTF-8 on a server without
	// it) it cannot load the file at all: it converts an ASCII-named copy
	// in the temporary folder, whose result is copied out.
	work := filepath.Join(profile, "work")
	if err := os.Mkdir(work, 0o700); err != nil {
		return "", err
	}
	asciiSrc := filepath.Join(work, "report"+strings.ToLower(filepath.Ext(absSrc)))
	if err := copyFile(absSrc, asciiSrc); err != nil {
		return "", err
	}

	runCtx, cancel := context.WithTimeout(ctx, convertTimeout)
	defer cancel()
	cmd := exec.CommandContext(runCtx, soffice,
		"--headless", "--norestore",
		"-env:UserInstallation="+fileURL(filepath.Join(profile, "user")),
		"--convert-to", "docx", "--outdir", work, asciiSrc)
	var out bytes.Buffer
	cmd.Stdout, cmd.Stderr = &out, &out
	// LibreOffice starts helpers of its own: the whole group goes.
	ownGroup(cmd)
	cmd.Cancel = func() error { return killGroup(cmd) }
	cmd.WaitDelay = 5 * time.Second
	// The parent-death signal fires when the thread that started the
	// child ends (golang.org/issue/27505): keep this goroutine on its
	// thread until LibreOffice has exited.
	runtime.LockOSThread()
	err = cmd.Run()
	runtime.UnlockOSThread()
	name := filepath.Base(src)
	switch {
	case ctx.Err() != nil:
		return "", ctx.Err()
	case runCtx.Err() != nil:
		return "", diag.Errorf("converting %s with LibreOffice took longer than %v and was stopped", name, convertTimeout)
	case err != nil:
		return "", diag.Errorf("converting %s with LibreOffice failed (%v): %s", name, err, lastLine(out.String()))
	}
	converted := filepath.Join(work, "report.docx")
	if info, err := os.Stat(converted); err != nil || info.Size() == 0 {
		return "", diag.Errorf("LibreOffice wrote no .docx for %s: %s", name, lastLine(out.String()))
	}
	dst := filepath.Join(absOut, strings.TrimSuffix(name, filepath.Ext(name))+".docx")
	if err := os.MkdirAll(absOut, 0o755); err != nil { // as soffice --outdir made it
		return "", err
	}
	if err := copyFile(converted, dst); err != nil {
		return "", err
	}
	return dst, nil
}

// copyFile copies src to dst, which it creates or truncates.
func copyFile(src, dst string) error {
	in, err := os.Open(src)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.Create(dst)
	if err != nil {
		return err
	}
	if _, err := io.Copy(out, in); err != nil {
		out.Close()
		return err
	}
	return out.Close()
}

// fileURL is the file: URL of an absolute path, file:///C:/… on Windows.
func fileURL(path string) string {
	p := filepath.ToSlash(path)
	if !strings.HasPrefix(p, "/") {
		p = "/" + p
	}
	return (&url.URL{Scheme: "file", Path: p}).String()
}

// lastLine is the last line of LibreOffice's chatter, for an error.
func lastLine(s string) *diag.Message {
	s = strings.TrimSpace(s)
	if i := strings.LastIndexByte(s, '\n'); i >= 0 {
		s = s[i+1:]
	}
	if s == "" {
		return message("it said nothing")
	}
	return message("%s", clip(s, 200))
}
