package digest

import (
	"bytes"
	"io/fs"
	"os"
	"path/filepath"

	"bulletin/theme"
)

// printScript is the theme's script for the copy of a briefing or notice
// that is printed to PDF (see theme/digest/print.js): it sets the closing
// block at the foot of the last page.
const printScript = "digest/print.js"

// printCopy writes beside htmlPath the copy of it that Chromium prints:
// the same page with the print script added, so that relative links to
// images still resolve. The copy's name starts with a dot; remove it once
// printed. A page with no </body> is printed as it is.
func printCopy(htmlPath string) (path string, remove func(), err error) {
	page, err := os.ReadFile(htmlPath)
	if err != nil {
		return "", nil, err
	}
	script, err := fs.ReadFile(theme.FS, printScript)
	if err != nil {
		return "", nil, err
	}
	end := bytes.LastIndex(page, []byte("</body>"))
	if end < 0 {
		return htmlPath, func() {}, nil
	}
	f, err := os.CreateTemp(filepath.Dir(htmlPath), ".print-*.html")
	if err != nil {
		return "", nil, err
	}
	var b bytes.Buffer
	b.Write(page[:end])
	b.WriteString("<script>\n")
	b.Write(script)
	b.WriteString("</script>\n")
	b.Write(page[end:])
	_, err = f.Write(b.Bytes())
	if cerr := f.Close(); err == nil {
		err = cerr
	}
	if err != nil {
		os.Remove(f.Name())
		return "", nil, err
	}
	return f.Name(), func() { os.Remove(f.Name()) }, nil
}
