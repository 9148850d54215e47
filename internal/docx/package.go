package docx

import (
	"context"
	"encoding/xml"
	"io"
	"net/url"
	"path"
	"slices"
	"strings"

	"bulletin/internal/diag"
)

// pkg is an open .docx: its archive, the main document part and the
// relationships of that part.
type pkg struct {
	lim    Limits
	a      *archive
	main   string         // word/document.xml, as _rels/.rels names it
	rels   map[string]rel // the main part's relationships, by id
	notes  *notes
	tokens int // XML tokens the parts may still have (maxTokens)
}

// rel is a relationship of a part: what it is and where it points.
type rel struct {
	typ      string // the last element of its type: image, styles, header…
	target   string // a part name, or as written when external
	external bool
	ok       bool // target is a safe part name
}

// notes collects the report's notes, each once, in order.
type notes struct {
	list []*diag.Message
	seen map[string]bool // by English text
}

func (n *notes) add(m *diag.Message) {
	s := m.Error()
	if n.seen[s] {
		return
	}
	if n.seen == nil {
		n.seen = map[string]bool{}
	}
	n.seen[s] = true
	n.list = append(n.list, m)
}

// maxRels bounds the relationships of a part: one per picture, link,
// header… A report has dozens.
const maxRels = 50000

func errMacros() error {
	return formatErr("the document holds macros; save it as a plain .docx")
}

func openPackage(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*pkg, error) {
	a, err := openArchive(ctx, r, size, lim)
	if err != nil {
		return nil, err
	}
	p := &pkg{lim: lim, a: a, notes: &notes{}, tokens: maxTokens}
	for name := range a.files {
		if path.Base(name) == "vbaproject.bin" || path.Base(name) == "vbadata.xml" {
			return nil, errMacros()
		}
	}
	types, err := p.contentTypes(ctx)
	if err != nil {
		return nil, err
	}
	root, err := p.readRels(ctx, "_rels/.rels", "")
	if err != nil {
		return nil, err
	}
	for _, rl := range sortedRels(root) {
		if rl.typ == "officeDocument" && rl.ok && a.lookup(rl.target) != nil {
			p.main = rl.target
			break
		}
	}
	if p.main == "" && a.lookup("word/document.xml") != nil {
		p.main = "word/document.xml"
	}
	if p.main == "" {
		return nil, p.notWord(ctx)
	}
	ct := strings.ToLower(types[strings.ToLower(p.main)])
	switch {
	case strings.Contains(ct, "macroenabled"):
		return nil, errMacros()
	case ct != "" && !strings.Contains(ct, "wordprocessingml") && !strings.Contains(ct, "ms-word"):
		return nil, p.notWord(ctx)
	}
	p.rels, err = p.readRels(ctx, relsOf(p.main), partDir(p.main))
	if err != nil {
		return nil, err
	}
	return p, nil
}

// notWord says what a zip archive without a Word document is.
func (p *pkg) notWord(ctx context.Context) error {
	switch {
	case p.a.lookup("xl/workbook.xml") != nil:
		return formatErr("it is an Excel workbook, not a Word document")
	case p.a.lookup("ppt/presentation.xml") != nil:
		return formatErr("it is a PowerPoint presentation, not a Word document")
	}
	if f := p.a.lookup("mimetype"); f != nil {
		if data, err := p.a.readAll(ctx, f, 200); err == nil {
			switch mt := strings.TrimSpace(string(data)); {
			case mt == "application/vnd.oasis.opendocument.text":
				return formatErr("it is an OpenDocument text (.odt), not a .docx; save it as .docx in Word, WPS or LibreOffice")
			case strings.HasPrefix(mt, "application/vnd.oasis.opendocument."):
				return formatErr("it is an OpenDocument file (%s), not a Word document", printable(mt))
			}
		}
	}
	return formatErr("it is a zip archive with no Word document in it (word/document.xml is missing)")
}

// relsOf is the relationships part of a part: word/_rels/document.xml.rels.
func relsOf(part string) string {
	return path.Join(partDir(part), "_rels", path.Base(part)+".rels")
}

// resolve turns a relationship's target into a part name, relative to
// the folder of the part it belongs to; ok is false for a name that
// leaves the package or cannot be a part.
func resolve(base, target string) (name string, ok bool) {
	if u, err := url.PathUnescape(target); err == nil {
		target = u
	}
	if i := strings.IndexAny(target, "?#"); i >= 0 {
		target = target[:i]
	}
	if target == "" || strings.ContainsAny(target, "\\\x00") || strings.Contains(target, "://") {
		return "", false
	}
	if strings.HasPrefix(target, "/") {
		name = path.Clean(target[1:])
	} else {
		name = path.Join(base, target)
	}
	if name == "." || name == ".." || strings.HasPrefix(name, "../") || strings.HasPrefix(name, "/") || unsafeName(name) != nil {
		return "", false
	}
	return name, true
}

// inside reports whether a part name is in the folder dir (word).
func inside(name, dir string) bool {
	return dir == "." || strings.HasPrefix(name, dir+"/")
}

// readRels reads a relationships part; none is no error.
func (p *pkg) readRels(ctx context.Context, name, base string) (map[string]rel, error) {
	rels := map[string]rel{}
	err := p.parseElements(ctx, name, "Relationship", func(se xml.StartElement) error {
		if len(rels) >= maxRels {
			return formatErr("%s lists more than %d relationships", name, maxRels)
		}
		id, typ, target := attr(se, "Id"), attr(se, "Type"), attr(se, "Target")
		rl := rel{typ: path.Base(typ), target: target, external: strings.EqualFold(attr(se, "TargetMode"), "External")}
		if !rl.external {
			rl.target, rl.ok = resolve(base, target)
			if !rl.ok {
				rl.target = target
			}
		}
		if _, dup := rels[id]; !dup && id != "" {
			rels[id] = rl
		}
		return nil
	})
	return rels, err
}

// sortedRels returns the relationships in the order of their ids, so
// that a choice among them does not depend on map order.
func sortedRels(rels map[string]rel) []rel {
	ids := make([]string, 0, len(rels))
	for id := range rels {
		ids = append(ids, id)
	}
	slices.Sort(ids)
	out := make([]rel, len(ids))
	for i, id := range ids {
		out[i] = rels[id]
	}
	return out
}

// contentTypes reads [Content_Types].xml: the content type of each part
// named there, by lower-case part name.
func (p *pkg) contentTypes(ctx context.Context) (map[string]string, error) {
	types := map[string]string{}
	err := p.parseElements(ctx, "[Content_Types].xml", "Override", func(se xml.StartElement) error {
		if len(types) >= maxRels {
			return formatErr("[Content_Types].xml lists more than %d parts", maxRels)
		}
		name := strings.ToLower(strings.TrimPrefix(attr(se, "PartName"), "/"))
		types[name] = attr(se, "ContentType")
		return nil
	})
	return types, err
}

// parsePart reads the XML part name with fn; a missing part is no error
// and fn is not called.
func (p *pkg) parsePart(ctx context.Context, name string, fn func(*xmlReader) error) error {
	f := p.a.lookup(name)
	if f == nil {
		return nil
	}
	if f.UncompressedSize64 > maxXMLPart {
		return formatErr("%s unpacks to more than %s; a report's is far smaller", f.Name, byteSize(maxXMLPart))
	}
	rc, err := p.a.open(f, maxXMLPart)
	if err != nil {
		return err
	}
	defer rc.Close()
	return fn(newXMLReader(ctx, rc, f.Name, p.lim.XMLDepth, &p.tokens))
}

// parseElements reads the XML part name, calling fn with each element
// whose local name is local, wherever it stands; a missing part is no
// error.
func (p *pkg) parseElements(ctx context.Context, name, local string, fn func(xml.StartElement) error) error {
	return p.parsePart(ctx, name, func(x *xmlReader) error {
		return x.walk(func(se xml.StartElement) error {
			if se.Name.Local != local {
				return nil
			}
			return fn(se)
		})
	})
}

// partOf returns the part of the main document's first relationship of
// type typ, or fallback when there is none; "" when that part is not
// there or not in the document's folder.
func (p *pkg) partOf(typ, fallback string) string {
	name := fallback
	for _, rl := range sortedRels(p.rels) {
		if rl.typ == typ && !rl.external {
			name = ""
			if rl.ok {
				name = rl.target
			}
			break
		}
	}
	if name == "" || !inside(name, partDir(p.main)) || p.a.lookup(name) == nil {
		return ""
	}
	return name
}

// document is what the parts of a .docx say.
type document struct {
	blocks  []block   // the body
	headers [][]block // page headers and footers
}

// readPart reads with parse the main document's part of relationship
// type typ, or the one named file in its folder when no relationship
// names one; v when there is no such part.
func readPart[T any](ctx context.Context, p *pkg, typ, file string, parse func(*xmlReader) (T, error), v T) (T, error) {
	name := p.partOf(typ, path.Join(partDir(p.main), file))
	if name == "" {
		return v, nil
	}
	err := p.parsePart(ctx, name, func(x *xmlReader) error {
		var err error
		v, err = parse(x)
		return err
	})
	return v, err
}

func (p *pkg) readDocument(ctx context.Context) (*document, error) {
	st, err := readPart(ctx, p, "styles", "styles.xml", parseStyles, &styles{byID: map[string]*style{}})
	if err != nil {
		return nil, err
	}
	num, err := readPart(ctx, p, "numbering", "numbering.xml", parseNumbering, newNumbering())
	if err != nil {
		return nil, err
	}
	doc := &document{}
	err = p.parsePart(ctx, p.main, func(x *xmlReader) error {
		dp := &docParser{x: x, st: st, num: num, notes: p.notes, budget: maxBody}
		var err error
		doc.blocks, err = dp.document()
		return err
	})
	if err != nil {
		return nil, err
	}
	// Page headers and footers are no part of the report, but a 报送单
	// line may be there.
	for _, rl := range sortedRels(p.rels) {
		if (rl.typ != "header" && rl.typ != "footer") || !rl.ok || !inside(rl.target, partDir(p.main)) {
			continue
		}
		if len(doc.headers) >= 12 {
			break
		}
		err := p.parsePart(ctx, rl.target, func(x *xmlReader) error {
			dp := &docParser{x: x, st: st, num: newNumbering(), budget: maxBody}
			blocks, err := dp.headerFooter()
			doc.headers = append(doc.headers, blocks)
			return err
		})
		if err != nil {
			return nil, err
		}
	}
	return doc, nil
}
