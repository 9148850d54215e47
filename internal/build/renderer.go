package build

import (
	"bytes"
	"io"
	"io/fs"

	"bulletin/internal/diag"
	"bulletin/internal/site"
)

// Renderer renders theme pages outside a build, for pages a server makes
// per request, such as search results. It is safe for concurrent use.
type Renderer struct {
	site     *site.Site
	sections []Section
	w        writer
}

// NewRenderer parses theme's templates for s, whose built pages link
// sections (see Config.Sections).
func NewRenderer(theme fs.FS, s *site.Site, sections []Section) (*Renderer, error) {
	tmpl, err := parseTemplates(theme, s.Config)
	if err != nil {
		return nil, err
	}
	return &Renderer{site: s, sections: sections, w: writer{tmpl: tmpl}}, nil
}

// Site is the site the Renderer renders pages of.
func (r *Renderer) Site() *site.Site { return r.site }

// Render executes the template of page.Kind into w. page.Site and
// page.Sections are set when nil. Nothing is written to w when the
// template fails.
func (r *Renderer) Render(w io.Writer, page *Page) error {
	if page.Site == nil {
		page.Site = r.site
	}
	if page.Sections == nil {
		page.Sections = r.sections
	}
	t := r.w.tmpl[page.Kind]
	if t == nil {
		return diag.Errorf("theme has no template for pages of kind %q (templates/%s.html)", page.Kind, page.Kind)
	}
	var buf bytes.Buffer
	if err := t.ExecuteTemplate(&buf, "base", page); err != nil {
		return err
	}
	_, err := w.Write(buf.Bytes())
	return err
}
