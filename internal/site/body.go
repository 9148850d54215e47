package site

import (
	"context"
	"io/fs"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/markdown"
)

// Content is what a bulletin's Markdown body renders to.
type Content struct {
	// Body is the rendered, sanitised HTML of the body.
	Body string
	// Text is the body as plain text, one block per line.
	Text string
}

// Content returns what b's body renders to; b is one of s's bulletins.
//
// A site loaded with Options.Lean holds no bodies (a million of them do not
// fit in memory): Content reads b's file again and renders it, resolving its
// links against the bulletins of the same load, so that the result is what
// the load rendered. It fails when the file cannot be read any more or no
// longer renders to what the load saw (it was edited since, or a file it
// links to came or went): a caller writing a site stops then, rather than
// mix two versions. Otherwise Content returns what the load kept in b.
// Safe for concurrent use.
func (s *Site) Content(ctx context.Context, b *Bulletin) (Content, error) {
	if s.bodies == nil {
		return Content{Body: b.Body, Text: b.Text}, nil
	}
	return s.bodies.render(ctx, b)
}

// Lean reports whether s was loaded with Options.Lean: its bulletins' Body
// and Text are empty, and only Content gives them.
func (s *Site) Lean() bool { return s.bodies != nil }

// bodySource renders the bodies of a lean site on demand. It keeps what
// link resolution needs of the load: every readable bulletin's slug.
type bodySource struct {
	fsys    fs.FS
	md      *markdown.Renderer
	timeout time.Duration
	maxSize int64
	slugs   map[string]string // by source path, as the load's links resolved them
}

func (bs *bodySource) render(ctx context.Context, b *Bulletin) (Content, error) {
	src, err := readLimited(bs.fsys, b.Source, bs.maxSize)
	if err != nil {
		return Content{}, diag.Errorf("%s: cannot read: %v", b.Source, unwrapPathError(err))
	}
	hash := fileHash(src)
	src = normalizeText(src)
	var sink diag.Sink
	_, body, _, ok := SplitFrontMatter(src, &sink)
	if !ok {
		return Content{}, bs.changed(b)
	}
	links := &linkResolver{fsys: bs.fsys, from: b.Source, slug: func(p string) (string, bool) {
		s, ok := bs.slugs[p]
		return s, ok
	}}
	doc, err := renderWithin(ctx, bs.md, bs.timeout, body, markdown.Options{ResolveLink: links.resolve})
	if err != nil {
		return Content{}, err
	}
	// The file and the outcome of every link are what the load hashed,
	// or the page would not be the one the listings describe.
	if bulletinHash(hash, links.calls) != b.Hash {
		return Content{}, bs.changed(b)
	}
	return Content{Body: pageBody(doc), Text: doc.Text}, nil
}

func (bs *bodySource) changed(b *Bulletin) error {
	return diag.Errorf("%s changed while the site was being built; build again", b.Source)
}

// readLimited reads the file p, refusing one larger than max as the load
// did.
func readLimited(fsys fs.FS, p string, max int64) ([]byte, error) {
	info, err := fs.Stat(fsys, p)
	if err != nil {
		return nil, err
	}
	if info.Size() > max {
		return nil, diag.Errorf("file is %s; a bulletin may be at most %s (put large documents in an attachment)",
			byteSize(info.Size()), byteSize(max))
	}
	return fs.ReadFile(fsys, p)
}

// pageBody is the HTML a bulletin's page shows of its rendered body: the
// closing line, when it stands alone, is marked (see markClosingLine).
func pageBody(doc *markdown.Document) string {
	body := string(doc.HTML)
	if _, _, alone, ok := findAttribution(doc.Text); ok && alone {
		body = markClosingLine(body)
	}
	return body
}
