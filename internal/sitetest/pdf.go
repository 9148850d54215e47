package sitetest

import (
	"os/exec"
	"strings"
	"testing"
)

// printFonts are the free TrueType faces the print styles fall back to
// where an office's own (仿宋, 黑体, 楷体, 方正小标宋) are missing, with the
// Debian packages that have them. CI installs them.
var printFonts = []struct{ family, pkg string }{
	{"AR PL UMing CN", "fonts-arphic-uming"},
	{"AR PL UKai CN", "fonts-arphic-ukai"},
	{"WenQuanYi Zen Hei", "fonts-wqy-zenhei"},
}

// CheckRealFonts fails t when the PDF embeds Type 3 fonts, which print
// shops reject: Chromium prints the CFF outlines of Noto CJK, and any bold
// it synthesises, that way. Where the fallback faces are not installed it
// says which packages the check needs and checks nothing.
func CheckRealFonts(t testing.TB, pdf string) {
	t.Helper()
	listed, err := exec.Command("fc-list", ":lang=zh", "family").Output()
	if err != nil {
		t.Logf("fonts not checked: fc-list: %v", err)
		return
	}
	var missing []string
	for _, f := range printFonts {
		if !strings.Contains(string(listed), f.family) {
			missing = append(missing, f.pkg)
		}
	}
	if len(missing) > 0 {
		t.Logf("fonts not checked: the print fonts are not installed (apt-get install %s)", strings.Join(missing, " "))
		return
	}
	out, err := exec.Command("pdffonts", pdf).Output()
	if err != nil {
		t.Fatalf("pdffonts %s: %v", pdf, err)
	}
	if strings.Contains(string(out), "Type 3") {
		t.Errorf("the PDF has Type 3 fonts, which print shops reject:\n%s", out)
	}
}
