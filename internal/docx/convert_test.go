package docx

import (
	"context"
	"errors"
	"net/url"
	"os"
	"os/exec"
	"path/filepath"
	"runtime"
	"strings"
	"testing"

	"bulletin/internal/sitetest"
)

func TestConvertWithoutSoffice(t *testing.T) {
	_, err := Convert(context.Background(), "", "report.doc", t.TempDir())
	if !errors.Is(err, ErrNoSoffice) {
		t.Fatalf("got %v, want ErrNoSoffice", err)
	}
	for _, want := range []string{"apt-get install libreoffice-writer-nogui", "save it as .docx"} {
		if !strings.Contains(err.Error(), want) {
			t.Errorf("%q does not say %q", err, want)
		}
	}
}

// fakeSoffice writes a shell script standing for soffice.
func fakeSoffice(t *testing.T, script string) string {
	t.Helper()
	if runtime.GOOS == "windows" {
		t.Skip("the fake soffice is a shell script")
	}
	name := filepath.Join(t.TempDir(), "soffice")
	if err := os.WriteFile(name, []byte("#!/bin/sh\n"+script), 0o755); err != nil {
		t.Fatal(err)
	}
	return name
}

// leftProfiles lists the profile folders Convert left in the temporary
// folder, which the test points at a folder of its own.
func leftProfiles(t *testing.T, tmp string) []string {
	t.Helper()
	left, err := filepath.Glob(filepath.Join(tmp, "bulletin-soffice-*"))
	if err != nil {
		t.Fatal(err)
	}
	return left
}

func TestConvertFake(t *testing.T) {
	tmp := t.TempDir()
	t.Setenv("TMPDIR", tmp)
	fixture, err := filepath.Abs(filepath.Join("testdata", "xining-baosongdan.docx"))
	if err != nil {
		t.Fatal(err)
	}
	args := filepath.Join(t.TempDir(), "args")
	// A soffice that records its arguments and "converts" by copying the
	// fixture to OUTDIR/NAME.docx.
	soffice := fakeSoffice(t, `for a in "$@"; do echo "$a"; done > `+args+`
while [ $# -gt 0 ]; do
  case "$1" in --outdir) out="$2"; shift;; esac
  src="$1"; shift
done
base=$(basename "$src"); cp `+fixture+` "$out/${base%.*}.docx"
`)
	src := filepath.Join(t.TempDir(), "湟中区 报告.wps")
	if err := os.WriteFile(src, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	outDir := filepath.Join(t.TempDir(), "not yet made") // made as soffice --outdir makes it
	got, err := Convert(context.Background(), soffice, src, outDir)
	if err != nil {
		t.Fatal(err)
	}
	if want := filepath.Join(outDir, "湟中区 报告.docx"); got != want {
		t.Errorf("Convert returned %s, want %s", got, want)
	}
	rep, err := ReadFile(context.Background(), got, Limits{})
	if err != nil || rep.Title == "" {
		t.Fatalf("reading the converted file: %v", err)
	}
	data, err := os.ReadFile(args)
	if err != nil {
		t.Fatal(err)
	}
	lines := strings.Split(strings.TrimSpace(string(data)), "\n")
	// LibreOffice converts an ASCII-named copy: under a locale that is not
	// installed it cannot open a file with a Chinese name.
	if len(lines) != 8 || lines[0] != "--headless" || lines[1] != "--norestore" || lines[3] != "--convert-to" || lines[4] != "docx" || lines[5] != "--outdir" ||
		filepath.Base(lines[7]) != "report.wps" || filepath.Dir(lines[7]) != lines[6] || !strings.HasPrefix(lines[6], tmp) {
		t.Errorf("soffice was run with %q", lines)
	}
	profile, ok := strings.CutPrefix(lines[2], "-env:UserInstallation=")
	if u, err := url.Parse(profile); !ok || err != nil || u.Scheme != "file" || !strings.HasPrefix(u.Path, filepath.ToSlash(tmp)+"/bulletin-soffice-") {
		t.Errorf("the profile is %q, want a file URL of a fresh folder in %s", lines[2], tmp)
	}
	if left := leftProfiles(t, tmp); len(left) > 0 {
		t.Errorf("the profile was left behind: %v", left)
	}
}

func TestConvertFails(t *testing.T) {
	src := filepath.Join(t.TempDir(), "a.doc")
	if err := os.WriteFile(src, []byte("old"), 0o644); err != nil {
		t.Fatal(err)
	}
	for _, tt := range []struct{ script, want string }{
		{"echo 'Error: source file could not be loaded' >&2\nexit 1\n", "converting a.doc with LibreOffice failed (exit status 1): Error: source file could not be loaded"},
		{"echo 'convert a.doc -> a.docx using filter : MS Word 2007 XML'\n", "LibreOffice wrote no .docx for a.doc: convert a.doc -> a.docx using filter : MS Word 2007 XML"},
	} {
		_, err := Convert(context.Background(), fakeSoffice(t, tt.script), src, t.TempDir())
		if err == nil || err.Error() != tt.want {
			t.Errorf("got %v, want %s", err, tt.want)
		}
	}
}

// TestLibreOffice converts a fixture to .doc with LibreOffice, converts
// that back with Convert, and reads it: the title and the 报送单 survive.
func TestLibreOffice(t *testing.T) {
	soffice := Soffice()
	if soffice == "" {
		t.Skip("LibreOffice is not installed (apt-get install libreoffice-writer-nogui); the conversion of .doc and .wps files is not tested")
	}
	if testing.Short() {
		t.Skip("LibreOffice takes seconds to start")
	}
	sitetest.TakeTurn(t)
	ctx := context.Background()
	dir := t.TempDir()
	profile := t.TempDir()
	src, err := filepath.Abs(filepath.Join("testdata", "xining-baosongdan.docx"))
	if err != nil {
		t.Fatal(err)
	}
	cmd := exec.CommandContext(ctx, soffice, "--headless", "--norestore",
		"-env:UserInstallation="+fileURL(profile),
		"--convert-to", "doc", "--outdir", dir, src)
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("converting the fixture to .doc: %v\n%s", err, out)
	}
	// A Chinese name, read under a Chinese locale this machine may not
	// have: LibreOffice could not load such a file before it was given an
	// ASCII-named copy.
	doc := filepath.Join(dir, "西宁市 冬春救助.doc")
	if err := os.Rename(filepath.Join(dir, "xining-baosongdan.doc"), doc); err != nil {
		t.Fatal(err)
	}
	t.Setenv("LANG", "zh_CN.UTF-8")
	t.Setenv("LC_ALL", "")
	// The .doc is an OLE file, which Read tells apart.
	if _, err := ReadFile(ctx, doc, Limits{}); err == nil || !strings.Contains(err.Error(), "old Word 97-2003 or WPS document") {
		t.Errorf("reading the .doc: got %v", err)
	}
	out := t.TempDir()
	docx, err := Convert(ctx, soffice, doc, out)
	if err != nil {
		t.Fatal(err)
	}
	rep, err := ReadFile(ctx, docx, Limits{})
	if err != nil {
		t.Fatal(err)
	}
	if want := "西宁市多措并举做好困难群众冬春救助工作"; rep.Title != want {
		t.Errorf("title %q, want %q", rep.Title, want)
	}
	want := Fields{Bureau: "西宁市民政局", Signer: "王某某", Author: "李某", Contact: "0971-1234567", Request: "2024-003", Date: "2024年3月15日"}
	if rep.Fields != want {
		t.Errorf("fields %+v, want %+v", rep.Fields, want)
	}
	if rep.Attribution != "（据西宁市民政局）" {
		t.Errorf("attribution %q", rep.Attribution)
	}
	// The .doc format keeps no picture descriptions.
	for _, s := range []string{"## 一、加强组织领导", "**一是健全工作机制**", "| 区县 |", "](image1.png)"} {
		if !strings.Contains(rep.Body, s) {
			t.Errorf("the body lacks %q:\n%s", s, rep.Body)
		}
	}
	t.Logf("notes: %q", rep.Notes)
}
