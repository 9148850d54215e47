package build

import (
	"encoding/xml"
	"fmt"
	"strings"
	"testing"
	"time"
)

// TestSitemapIndex writes sitemaps of sizes around the protocol's limit of
// 50,000 URLs a file, and reads them back as a crawler would: every URL
// once, in order, no file over the limit, and an index naming each file
// with its newest date.
func TestSitemapIndex(t *testing.T) {
	abs := func(p string) string { return "https://mz.example.cn" + p }
	day := time.Date(2025, 1, 1, 8, 0, 0, 0, time.FixedZone("CST", 8*3600))
	for _, tc := range []struct {
		urls  int
		files int // 0: a single urlset
	}{
		{1, 0},
		{sitemapLimit, 0},
		{sitemapLimit + 1, 2},
		{2 * sitemapLimit, 2},
		{2*sitemapLimit + 7, 3},
	} {
		t.Run(fmt.Sprint(tc.urls), func(t *testing.T) {
			urls := make([]sitemapURL, tc.urls)
			for i := range urls {
				// Dates go up and down so the newest is not simply the last.
				d := day.Add(time.Duration(i%977) * time.Hour)
				urls[i] = sitemapURL{Loc: abs(fmt.Sprintf("/bulletins/b%d/", i)), LastMod: d.Format(time.RFC3339)}
			}
			written := map[string][]byte{}
			put := func(name string, data []byte) error {
				if _, ok := written[name]; ok {
					t.Errorf("%s written twice", name)
				}
				written[name] = data
				return nil
			}
			names := sitemapNames(len(urls), sitemapLimit)
			if err := writeSitemaps(urls, names, sitemapLimit, abs, put); err != nil {
				t.Fatal(err)
			}
			if len(written) != len(names) {
				t.Fatalf("wrote %d files, want %d", len(written), len(names))
			}
			type set struct {
				XMLName xml.Name
				URLs    []sitemapURL `xml:"url"`
				Maps    []sitemapURL `xml:"sitemap"`
			}
			read := func(name string) set {
				var s set
				if err := xml.Unmarshal(written[name], &s); err != nil {
					t.Fatalf("%s: %v", name, err)
				}
				return s
			}
			top := read("/sitemap.xml")
			if tc.files == 0 {
				if top.XMLName.Local != "urlset" || len(top.URLs) != tc.urls {
					t.Fatalf("sitemap.xml: <%s> with %d URLs, want a urlset of %d", top.XMLName.Local, len(top.URLs), tc.urls)
				}
				return
			}
			if top.XMLName.Local != "sitemapindex" || len(top.Maps) != tc.files {
				t.Fatalf("sitemap.xml: <%s> naming %d files, want a sitemapindex of %d", top.XMLName.Local, len(top.Maps), tc.files)
			}
			var all []sitemapURL
			for i, m := range top.Maps {
				name := fmt.Sprintf("/sitemap-%d.xml", i+1)
				if m.Loc != abs(name) {
					t.Errorf("index entry %d: %s, want %s", i, m.Loc, abs(name))
				}
				part := read(name)
				if part.XMLName.Local != "urlset" || len(part.URLs) == 0 || len(part.URLs) > sitemapLimit {
					t.Fatalf("%s: <%s> with %d URLs", name, part.XMLName.Local, len(part.URLs))
				}
				newest := ""
				for _, u := range part.URLs {
					newest = max(newest, u.LastMod) // one zone: text order is time order
				}
				if m.LastMod != newest {
					t.Errorf("index entry %s dated %s, its newest URL %s", name, m.LastMod, newest)
				}
				if !strings.HasPrefix(string(written[name]), xml.Header) {
					t.Errorf("%s has no XML declaration", name)
				}
				all = append(all, part.URLs...)
			}
			if len(all) != len(urls) {
				t.Fatalf("the files list %d URLs, want %d", len(all), len(urls))
			}
			for i := range all {
				if all[i] != urls[i] {
					t.Fatalf("URL %d is %v, want %v", i, all[i], urls[i])
				}
			}
		})
	}
}
