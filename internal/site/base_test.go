package site

import (
	"net/url"
	"strings"
	"testing"
	"testing/fstest"
	"time"

	"bulletin/internal/diag"
)

// TestBaseURLProblems: every base_url that cannot be an address is
// reported at its line of site.yaml, and the build stops.
func TestBaseURLProblems(t *testing.T) {
	const msg = "must be an absolute http(s) address such as https://news.example.gov.cn/"
	for _, tc := range []struct{ yaml, want string }{
		{"title: x\nbase_url: news.example.org\n", `site.yaml:2: base_url "news.example.org" ` + msg},
		{"title: x\n\nbase_url: ftp://news.example.org/\n", `site.yaml:3: base_url "ftp://news.example.org/" ` + msg},
		{"title: x\nbase_url: https://news.example.org/?a=1\n", `site.yaml:2: base_url "https://news.example.org/?a=1" ` + msg},
		{"title: x\nbase_url: https://news.example.org/#top\n", `site.yaml:2: base_url "https://news.example.org/#top" ` + msg},
		{"title: x\nbase_url: https://editor:secret@news.example.org/\n", `site.yaml:2: base_url "https://editor:secret@news.example.org/" ` + msg},
		{"title: x\nbase_url: https://:8080/\n", `site.yaml:2: base_url "https://:8080/" ` + msg},
		{"title: x\nbase_url: \"https://news.example.org/%zz/\"\n", `site.yaml:2: base_url "https://news.example.org/%zz/" ` + msg},
		{"title: x\nlanguage: zh-CN\nbase_url: \"\"\n", "site.yaml:3: base_url is missing"},
		{"title: x\n", "site.yaml:1: base_url is missing"},
	} {
		_, ps := loadFS(t, fstest.MapFS{"site.yaml": {Data: []byte(tc.yaml)}}, Options{})
		found := false
		for _, p := range ps {
			found = found || strings.HasPrefix(p.String(), tc.want) && p.Severity == diag.Error
		}
		if !found {
			t.Errorf("%q: got %q, want %q", tc.yaml, ps, tc.want)
		}
	}
}

func TestBase(t *testing.T) {
	for _, tc := range []struct {
		in                        string
		str, path, host, rel, abs string
	}{
		{"https://news.example.org", "https://news.example.org/", "/", "news.example.org", "/bulletins/a/", "https://news.example.org/bulletins/a/"},
		{"https://news.example.org/", "https://news.example.org/", "/", "news.example.org", "/bulletins/a/", "https://news.example.org/bulletins/a/"},
		{"http://www.example.gov.cn:8080/news", "http://www.example.gov.cn:8080/news/", "/news/", "www.example.gov.cn", "/news/bulletins/a/", "http://www.example.gov.cn:8080/news/bulletins/a/"},
		// Links are escaped as URLs; the path to serve at is not.
		{"https://example.cn/新闻/", "https://example.cn/%E6%96%B0%E9%97%BB/", "/新闻/", "example.cn", "/%E6%96%B0%E9%97%BB/bulletins/a/", "https://example.cn/%E6%96%B0%E9%97%BB/bulletins/a/"},
	} {
		b, err := ParseBase(tc.in)
		if err != nil {
			t.Errorf("ParseBase(%q): %v", tc.in, err)
			continue
		}
		if got := [5]string{b.String(), b.Path(), b.Host(), b.Rel("/bulletins/a/"), b.Abs("/bulletins/a/")}; got != [5]string{tc.str, tc.path, tc.host, tc.rel, tc.abs} {
			t.Errorf("ParseBase(%q) gives String, Path, Host, Rel, Abs %q", tc.in, got)
		}
	}

	b, _ := ParseBase("https://News.Example.org:8443/news/")
	for _, u := range []string{"mailto:x@example.org", "https://other.org/", "#top", "relief.png", ""} {
		if b.Rel(u) != u || b.Abs(u) != u {
			t.Errorf("%q is not a site path, yet Rel gives %q and Abs %q", u, b.Rel(u), b.Abs(u))
		}
	}
	day := time.Date(2024, 1, 12, 23, 30, 0, 0, time.FixedZone("CST", 8*3600))
	if got, want := b.TagURI(day, "/bulletins/relief/"), "tag:News.Example.org,2024-01-12:/bulletins/relief/"; got != want {
		t.Errorf("TagURI = %q, want %q", got, want)
	}
	for u, want := range map[string]bool{
		"https://news.example.org:8443/news/a/": true,
		"http://NEWS.example.org:8443/x":        true,
		"https://news.example.org/news/a/":      false,
		"https://example.org:8443/news/a/":      false,
	} {
		pu, _ := url.Parse(u)
		if b.Owns(pu) != want {
			t.Errorf("Owns(%s) = %v, want %v", u, !want, want)
		}
	}

	var zero Base
	if !zero.IsZero() || zero.Path() != "/" || zero.Rel("/a/") != "/a/" || zero.Abs("/a/") != "/a/" || zero.Owns(&url.URL{}) {
		t.Errorf("the zero Base is not a site at / with site-relative links")
	}
}
