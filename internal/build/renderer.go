package build

import (
	"bytes"
	"fmt"
	"io"
	"io/fs"

	"bulletin/internal/site"
)

// Renderer renders theme pages outside a build, for pages a server makes
// per request, such as search results. It is safe for concurrent use.
type Renderer struct {
	site *site.Site
	w    writer
}

// NewRenderer parses theme's templates for s.
func NewRenderer(theme fs.FS, s *site.Site) (*Renderer, error) {
	tmpl, err := parseTemplates(theme, s.Config)
	if err != nil {
		return nil, err
	}
	return &Renderer{site: s, w: writer{tmpl: tmpl}}, nil
}

// Render executes the template of page.Kind into w. page.Site is set when
// nil. Nothing is written to w when the template fails.
func (r *Renderer) Render(w io.Writer, page *Page) error {
	if page.Site == nil {
		page.Site = r.site
	}
	t := r.w.tmpl[page.Kind]
	if t == nil {
		return fmt.Errorf("theme has no template for pages of kind %q (templates/%s.html)", page.Kind, page.Kind)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", page); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
