package audit

import (
	"bytes"
	"context"
	"io/fs"
	"net/url"
	"path"
	"runtime"
	"slices"
	"strings"

	"golang.org/x/net/html"

	"bulletin/internal/parallel"
	"bulletin/internal/site"
)

// page is what the audit reads of one built HTML page.
type page struct {
	url  string // site path: /, /bulletins/a/, /404.html
	file string // in the output: index.html, bulletins/a/index.html

	ids   map[string]bool
	links []link
	meta  map[string]string

	items, undated int    // listed bulletins (li.item), and those without <time datetime>
	empty          bool   // a listing that shows nothing (p.empty)
	searchForm     bool   // a form whose action is the search page
	text           string // the footer's text, for the identity checks
}

// link is one reference of a page to a URL.
type link struct {
	href string
	tag  string // a, link, img, script, source, form
	line int
}

// scan reads every HTML page of out, the pages on all cores.
func scan(ctx context.Context, out fs.FS, base site.Base) (map[string]*page, error) {
	var files []string
	err := fs.WalkDir(out, ".", func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		if !d.IsDir() && strings.HasSuffix(p, ".html") {
			files = append(files, p)
		}
		return nil
	})
	if err != nil {
		return nil, err
	}
	read := make([]*page, len(files))
	err = parallel.For(ctx, runtime.GOMAXPROCS(0), len(files), func(_, i int) error {
		data, err := fs.ReadFile(out, files[i])
		if err != nil {
			return err
		}
		pg := parsePage(data)
		pg.file = files[i]
		pg.url = "/" + files[i]
		if path.Base(files[i]) == "index.html" {
			pg.url = "/" + strings.TrimSuffix(files[i], "index.html")
		}
		read[i] = pg
		return nil
	})
	if err != nil {
		return nil, err
	}
	pages := make(map[string]*page, len(read))
	for _, pg := range read {
		pages[pg.url] = pg
	}
	return pages, nil
}

// parsePage reads a page with the tokenizer: linear in the page's size
// whatever it holds.
func parsePage(data []byte) *page {
	pg := &page{ids: map[string]bool{}, meta: map[string]string{}}
	z := html.NewTokenizer(bytes.NewReader(data))
	line := 1
	itemAt, itemDated := -1, false // where in stack the listed item opens
	footerAt := -1                 // where in stack the footer opens
	var footer strings.Builder
	var stack []string
	for {
		tt := z.Next()
		if tt == html.ErrorToken {
			break
		}
		raw := z.Raw()
		tokLine := line
		line += bytes.Count(raw, []byte{'\n'})
		switch tt {
		case html.TextToken:
			if footerAt >= 0 {
				footer.Write(z.Text())
				footer.WriteByte(' ')
			}
		case html.StartTagToken, html.SelfClosingTagToken:
			name, hasAttr := z.TagName()
			tag := string(name)
			attrs := map[string]string{}
			for hasAttr {
				var k, v []byte
				k, v, hasAttr = z.TagAttr()
				attrs[string(k)] = string(v)
			}
			if id := attrs["id"]; id != "" {
				pg.ids[id] = true
			}
			if n := attrs["name"]; n != "" && tag == "a" {
				pg.ids[n] = true
			}
			classes := strings.Fields(attrs["class"])
			switch tag {
			case "a", "link":
				if h, ok := attrs["href"]; ok {
					pg.links = append(pg.links, link{href: h, tag: tag, line: tokLine})
				}
			case "img", "script", "source", "iframe":
				if s, ok := attrs["src"]; ok {
					pg.links = append(pg.links, link{href: s, tag: tag, line: tokLine})
				}
			case "form":
				if a := attrs["action"]; strings.Contains(a, "search") {
					pg.searchForm = true
				}
			case "meta":
				if n := attrs["name"]; n != "" {
					pg.meta[n] = attrs["content"]
				}
			case "time":
				if itemAt >= 0 && attrs["datetime"] != "" {
					itemDated = true
				}
			case "p":
				if slices.Contains(classes, "empty") {
					pg.empty = true
				}
			}
			if tt == html.SelfClosingTagToken || voidElements[tag] {
				continue
			}
			switch {
			case tag == "li" && itemAt < 0 && slices.Contains(classes, "item"):
				itemAt, itemDated = len(stack), false
				pg.items++
			case tag == "footer" && footerAt < 0:
				footerAt = len(stack)
			}
			stack = append(stack, tag)
		case html.EndTagToken:
			name, _ := z.TagName()
			tag := string(name)
			// Close up to the matching start tag: the pages are the
			// theme's, but a bulletin's body may leave one open.
			i := len(stack) - 1
			for i >= 0 && stack[i] != tag {
				i--
			}
			if i < 0 {
				continue
			}
			if itemAt >= i {
				if !itemDated {
					pg.undated++
				}
				itemAt = -1
			}
			if footerAt >= i {
				footerAt = -1
			}
			stack = stack[:i]
		}
	}
	pg.text = footer.String()
	return pg
}

var voidElements = map[string]bool{"area": true, "base": true, "br": true, "col": true, "embed": true, "hr": true,
	"img": true, "input": true, "link": true, "meta": true, "source": true, "track": true, "wbr": true}

// target is where a link of pg leads in the site: the site path of the
// file and the fragment; internal is false for a link elsewhere (another
// host, mailto:, tel:), ok false for one that cannot be in the site.
func target(pg *page, href string, base site.Base) (p, frag string, internal, ok bool) {
	u, err := url.Parse(strings.TrimSpace(href))
	if err != nil {
		return "", "", true, false
	}
	switch {
	case u.Scheme == "http" || u.Scheme == "https":
		if !base.Owns(u) {
			return "", "", false, true
		}
	case u.Scheme != "" || u.Opaque != "":
		return "", "", false, true // mailto:, tel:, data:
	case u.Host != "":
		if !base.Owns(u) {
			return "", "", false, true
		}
	}
	// Resolved as a browser resolves it, from the page's path as served
	// (under base_url's path), and cleaned: /news//tags/ and
	// /news/a/../tags/ are /news/tags/.
	bp := base.Path()
	served := path.Join(bp, pg.url)
	if strings.HasSuffix(pg.url, "/") && served != "/" {
		served += "/"
	}
	abs := u.Path
	switch {
	case abs == "":
		abs = served // #fragment, ?query: this page
	case !strings.HasPrefix(abs, "/"):
		abs = path.Join(path.Dir(served+"x"), abs)
		if strings.HasSuffix(u.Path, "/") {
			abs += "/"
		}
	}
	clean := path.Clean(abs)
	if strings.HasSuffix(abs, "/") && clean != "/" {
		clean += "/"
	}
	switch {
	case clean+"/" == bp || clean == bp:
		p = "/" // /news for /news/
	case strings.HasPrefix(clean, bp):
		p = "/" + strings.TrimPrefix(clean, bp)
	default:
		return "", "", true, false
	}
	return p, u.Fragment, true, true
}

// linkedPages is the set of pages some other page links to, by their key
// in pages.
func linkedPages(pages map[string]*page, base site.Base) map[string]bool {
	linked := map[string]bool{}
	for _, pg := range pages {
		for _, l := range pg.links {
			p, _, internal, ok := target(pg, l.href, base)
			if !internal || !ok || p == pg.url {
				continue
			}
			if !strings.HasSuffix(p, "/") && pages[p] == nil {
				p += "/"
			}
			linked[p] = true
		}
	}
	return linked
}
