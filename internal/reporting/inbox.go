package reporting

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/docx"
	"bulletin/internal/importer"
	"bulletin/internal/site"
	"bulletin/internal/yamlnode"
)

// Folders of the inbox that hold what was decided, not what waits.
const (
	ReturnedDir = "returned" // 退修: sent back for revision
	DeclinedDir = "declined" // 退稿
)

// MaxMarkdownSize bounds a Markdown report, as site.DefaultMaxFileSize
// bounds a bulletin.
const MaxMarkdownSize = site.DefaultMaxFileSize

// Item is one report waiting in the inbox.
type Item struct {
	// File is the report's site-relative, slash-separated path as
	// listings and records write it: inbox/西宁市民政局/冬春救助.docx.
	// A name that is not UTF-8 or has control or invisible formatting
	// characters is written with them escaped (see ShownPath); Source is
	// the path on disk.
	File     string
	Format   string // md, docx, doc or wps
	Size     int64
	Received time.Time // the file's modification time, in the site's zone

	Bureau, Title string // "" when they could not be told
	// Request is the request (约稿) the report names; Maybe lists the
	// open requests of its bureau whose topic it seems to answer, for the
	// editor to confirm with review accept -request.
	Request string
	Maybe   []string
	// Thread is the record of the report this one revises (sent back and
	// sent again, or named by replaces:), nil for a new report.
	Thread *Thread

	// Err says in one line, in English, why the file cannot be taken at
	// all: not a report format, not valid Word, too large. The other
	// fields are then as far as they could be told. ErrText is the same
	// as a message, to read in the reader's language; nil when Err is "".
	Err     string
	ErrText *diag.Message
	// Problems are what bulletin check finds in the bulletin the report
	// would become.
	Problems diag.Problems
	// Notes are what reading a Word file left out or doubted, in English;
	// NoteTexts are the same as messages, to read in the reader's
	// language.
	Notes     []string
	NoteTexts []*diag.Message

	draft *draft
	src   string // the path on disk, when File is escaped
}

// Source is the report's site-relative path on disk.
func (it *Item) Source() string { return firstNonEmpty(it.src, it.File) }

// ShownPath writes a file's path so that it shows as what it is and can
// be kept in a record: bytes that are not UTF-8 as \xff, control and
// invisible formatting characters (a line break, a right-to-left
// override) as \u000a and \u202e, and a backslash as \\, so that no
// two paths are written alike. Other paths are written as they are.
func ShownPath(p string) string {
	if utf8.ValidString(p) && !strings.ContainsFunc(p, func(r rune) bool { return hiddenRune(r) || r == '\\' }) {
		return p
	}
	var b strings.Builder
	for i := 0; i < len(p); {
		r, n := utf8.DecodeRuneInString(p[i:])
		switch {
		case r == utf8.RuneError && n == 1:
			fmt.Fprintf(&b, `\x%02x`, p[i])
		case hiddenRune(r):
			fmt.Fprintf(&b, `\u%04x`, r)
		case r == '\\':
			b.WriteString(`\\`)
		default:
			b.WriteString(p[i : i+n])
		}
		i += n
	}
	return b.String()
}

// hiddenRune reports whether r does not show as itself in a name:
// control characters, and formatting ones such as U+202E, which shows
// what follows it right to left.
func hiddenRune(r rune) bool { return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) }

// draft is the bulletin an item would become.
type draft struct {
	item      importer.Item
	images    []docx.Image
	replaces  string
	request   string
	markdown  bool   // the bureau wrote Markdown: Body is their text
	src       []byte // the Markdown as the bureau wrote it
	frontLine int    // for Markdown, the lines of front matter written before the body
	original  string // the file to keep beside the bulletin, absolute
}

// ScanOptions are what reading the inbox needs besides the site.
type ScanOptions struct {
	Dir    string // the site folder
	Config *site.Config
	Book   *Book
	Now    time.Time
	// Soffice is LibreOffice's soffice, to read .doc and .wps; "" when it
	// is not installed.
	Soffice string
	// Work is a folder for converted files; "" means a temporary one.
	Work string
}

// InboxDir is the inbox folder of the site, absolute.
func InboxDir(dir string, cfg *site.Config) string {
	return filepath.Join(dir, filepath.FromSlash(cfg.Reporting.Inbox))
}

// inboxRoot is the folder to read the inbox from: the inbox, or the
// folder it links to when it is a symbolic link (a shared drive mounted
// elsewhere), which must not be one whose files are published or records.
func inboxRoot(dir string, cfg *site.Config) (string, error) {
	root := InboxDir(dir, cfg)
	if fi, err := os.Lstat(root); err != nil || fi.Mode()&fs.ModeSymlink == 0 {
		return root, nil
	}
	to, err := filepath.EvalSymlinks(root)
	if err != nil {
		return "", diag.Errorf("%s: %w", cfg.Reporting.Inbox, err)
	}
	siteDir, err := filepath.EvalSymlinks(dir)
	if err != nil {
		return "", err
	}
	for _, top := range []string{site.ContentDir, Dir, "digests", "theme"} {
		if rel, err := filepath.Rel(filepath.Join(siteDir, top), to); err == nil && rel != ".." && !strings.HasPrefix(rel, ".."+string(filepath.Separator)) {
			return "", diag.Errorf("%s links to %s, inside %s/: reports waiting for review are neither published nor records", cfg.Reporting.Inbox, to, top)
		}
	}
	return to, nil
}

// Formats are the file extensions the inbox takes.
var Formats = []string{".md", ".docx", ".doc", ".wps"}

// Scan lists and reads the reports waiting in the inbox, sorted by the
// time they arrived, then by name. Reports may lie in the inbox itself or
// in a subfolder per bureau (named by the bureau's name or slug); the
// returned/ and declined/ folders and names starting with a dot are left
// alone.
func Scan(ctx context.Context, opt ScanOptions) ([]*Item, error) {
	root, err := inboxRoot(opt.Dir, opt.Config)
	if err != nil {
		return nil, err
	}
	var items []*Item
	err = filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if p == root && errors.Is(err, fs.ErrNotExist) {
				return fs.SkipAll
			}
			return err
		}
		if err := ctx.Err(); err != nil {
			return err
		}
		rel, _ := filepath.Rel(root, p)
		rel = filepath.ToSlash(rel)
		name := d.Name()
		if d.IsDir() {
			if p != root && (strings.HasPrefix(name, ".") || rel == ReturnedDir || rel == DeclinedDir || strings.Count(rel, "/") > 0) {
				return fs.SkipDir
			}
			return nil
		}
		// Office's lock files (~$report.docx) and editors' swap files.
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "~$") || !d.Type().IsRegular() {
			return nil
		}
		info, err := d.Info()
		if err != nil {
			return err
		}
		file := path.Join(opt.Config.Reporting.Inbox, rel)
		it := &Item{File: ShownPath(file), Size: info.Size(), Received: info.ModTime().In(opt.Config.Location)}
		if it.File != file {
			it.src = file
		}
		it.Format = strings.TrimPrefix(strings.ToLower(filepath.Ext(name)), ".")
		items = append(items, it)
		return nil
	})
	if err != nil {
		return nil, err
	}
	slices.SortFunc(items, func(a, b *Item) int {
		if c := a.Received.Compare(b.Received); c != 0 {
			return c
		}
		return strings.Compare(a.File, b.File)
	})
	work := opt.Work
	if work == "" {
		if work, err = os.MkdirTemp("", "bulletin-inbox-"); err != nil {
			return nil, err
		}
		defer os.RemoveAll(work)
	}
	for i, it := range items {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		read(ctx, it, opt, filepath.Join(work, fmt.Sprint(i)))
	}
	if err := check(ctx, opt, items); err != nil {
		return nil, err
	}
	return items, nil
}

// fail says why the item cannot be taken at all.
func (it *Item) fail(format string, args ...any) {
	m := message(format, args...)
	it.Err, it.ErrText = m.Error(), m
}

// read reads one item into its draft, or says why it cannot; work is a
// folder of its own for a converted file.
func read(ctx context.Context, it *Item, opt ScanOptions, work string) {
	abs := filepath.Join(opt.Dir, filepath.FromSlash(it.Source()))
	d := &draft{original: abs}
	cfg := opt.Config
	// A file that cannot be read still came from the bureau whose folder
	// holds it: a decline is then counted for that bureau.
	defer func() {
		if it.Err != "" && it.Bureau == "" {
			if b, ok := bureauOfFolder(it.File, cfg); ok {
				it.Bureau = b.Name
			}
		}
	}()
	switch it.Format {
	case "md":
		if it.Size > MaxMarkdownSize {
			it.fail("the file is %s; a Markdown report may be at most %s", SizeText(it.Size), SizeText(MaxMarkdownSize))
			return
		}
		src, err := os.ReadFile(abs)
		if err != nil {
			it.fail("%v", err)
			return
		}
		d.src = src
		if msg := readMarkdown(src, d, cfg); msg != nil {
			it.fail("%v", msg)
			return
		}
	case "docx", "doc", "wps":
		file := abs
		if it.Format != "docx" {
			if opt.Soffice == "" {
				it.fail("reading .%s files needs LibreOffice (Debian: apt-get install libreoffice-writer-nogui); or save the report as .docx in Word or WPS", it.Format)
				return
			}
			converted, err := docx.Convert(ctx, opt.Soffice, abs, work)
			if err != nil {
				it.fail("%v", err)
				return
			}
			file = converted
		}
		rep, err := docx.ReadFile(ctx, file, docx.Limits{})
		if err != nil {
			var fe *docx.FormatError
			if errors.As(err, &fe) {
				it.fail("%v", fe.Text)
			} else {
				it.fail("%v", err)
			}
			return
		}
		fromWord(rep, d, cfg)
		for _, n := range rep.Notes {
			it.Notes = append(it.Notes, n.Error())
		}
		it.NoteTexts = rep.Notes
	default:
		it.fail("not a report: the inbox takes Word files (.docx, .doc, .wps) and Markdown (.md)")
		return
	}
	// The bureau: as the report names it, else the folder it came in,
	// else the name the file begins with, else the closing line. The
	// folder is where the bureau puts its files, so a report naming
	// another bureau there is suspect: anyone can type any name.
	if b, ok := bureauOfFolder(it.File, cfg); ok {
		switch d.item.Bureau.Name {
		case "":
			d.item.Bureau = b
		case b.Name:
		default:
			it.Problems = append(it.Problems, diag.At(it.File, 0, diag.Error, "the report names %s, but came in the folder of %s; ask which bureau sent it", d.item.Bureau.Name, b.Name))
		}
	}
	if d.item.Bureau.Name == "" {
		for _, b := range cfg.Bureaus {
			if strings.HasPrefix(path.Base(it.File), b.Name) {
				d.item.Bureau = b
			}
		}
	}
	if d.item.Bureau.Name == "" && d.item.Closing != "" {
		for _, b := range cfg.Bureaus {
			if strings.Contains(d.item.Closing, b.Name) {
				d.item.Bureau = b
			}
		}
	}
	it.Bureau, it.Title = d.item.Bureau.Name, d.item.Title
	if d.item.Date.IsZero() {
		d.item.Date = opt.Now.In(cfg.Location).Truncate(time.Minute)
	}
	it.draft = d
	it.Request = d.request
	var msg *diag.Message
	if it.Thread, msg = opt.Book.resubmitted(it, d.replaces); msg != nil {
		it.Problems = append(it.Problems, diag.At(it.File, 0, diag.Error, "%v", msg))
	}
	// A request is answered by the bureau it was sent to.
	if r := opt.Book.Request(it.Request); r != nil && r.Bureau != it.Bureau {
		it.Problems = append(it.Problems, diag.At(it.File, 0, diag.Warning, "names request %s, which was sent to %s; it does not answer it", r.ID, r.Bureau))
		it.Request = ""
	}
	if it.Request == "" && it.Thread != nil {
		it.Request = it.Thread.Request
	}
	if it.Request == "" {
		it.Maybe = opt.Book.maybeAnswers(it, opt.Now)
	}
}

// bureauOfFolder is the bureau whose name or slug is the folder the file
// arrived in.
func bureauOfFolder(file string, cfg *site.Config) (site.Bureau, bool) {
	folder := path.Base(path.Dir(file))
	for _, b := range cfg.Bureaus {
		if folder == b.Name || folder == b.Slug {
			return b, true
		}
	}
	return site.Bureau{}, false
}

// fromWord takes what a Word report gives.
func fromWord(rep *docx.Report, d *draft, cfg *site.Config) {
	d.item.Title = rep.Title
	d.item.Body = rep.Body
	d.item.Closing = rep.Attribution
	d.images = rep.Images
	d.item.Reporting = site.Reporting{Signer: rep.Fields.Signer, Author: rep.Fields.Author, Contact: rep.Fields.Contact}
	d.request = requestID(rep.Fields.Request)
	if b, ok := cfg.Bureau(strings.TrimSpace(rep.Fields.Bureau)); ok {
		d.item.Bureau = b
	}
}

// requestID takes a request's number out of what a report says of it
// (约稿编号：2024-003, 2024-003号约稿), "" when it names none.
func requestID(s string) string {
	if m := requestInTextRE.FindString(s); m != "" {
		return m
	}
	return ""
}

// readMarkdown takes a bureau's Markdown file: front matter as a
// bulletin's, and request: and replaces: for the reporting. It returns a
// one-line reason when the file is not a bulletin at all, else nil.
func readMarkdown(src []byte, d *draft, cfg *site.Config) *diag.Message {
	if !utf8.Valid(src) {
		return message("the file is not UTF-8 text; save it as UTF-8")
	}
	src = bytes.TrimPrefix(src, []byte("\ufeff"))
	text := strings.ReplaceAll(string(src), "\r\n", "\n")
	rest, ok := strings.CutPrefix(text, "---\n")
	if !ok {
		return message("the file has no front matter: it must begin with a line --- and the title, bureau and date")
	}
	head, body, ok := strings.Cut(rest, "\n---\n")
	if !ok {
		if head, ok = strings.CutSuffix(rest, "\n---"); !ok {
			return message("the front matter is not closed with a line ---")
		}
	}
	sink := &diag.Sink{Path: "front matter"}
	root, ok := yamlnode.Mapping([]byte(head), 2, sink)
	if !ok || root == nil {
		// One problem, which reads "front matter:LINE: reason" in
		// English; in another language, the place reads in it too.
		if ps := sink.Problems; len(ps) == 1 && ps[0].Text != nil {
			return message("the front matter is not YAML: front matter:%d: %v", ps[0].Line, ps[0].Text)
		}
		return message("the front matter is not YAML: %v", sink.Problems)
	}
	it := &d.item
	// Every field is one line: a line break in a title is a slip, or an
	// attempt to write more front matter than the report shows.
	str := func(v *yaml.Node) string {
		if v.Kind != yaml.ScalarNode {
			return ""
		}
		return oneLine(v.Value)
	}
	for i := 0; i+1 < len(root.Content); i += 2 {
		k, v := root.Content[i].Value, yamlnode.Deref(root.Content[i+1])
		switch k {
		case "title":
			it.Title = str(v)
		case "bureau":
			if b, ok := cfg.Bureau(str(v)); ok {
				it.Bureau = b
			} else {
				it.Bureau = site.Bureau{Name: str(v)}
			}
		case "category":
			it.Category = str(v)
		case "summary":
			it.Summary = str(v)
		case "tags":
			for _, t := range v.Content {
				if s := str(t); s != "" {
					it.Tags = append(it.Tags, s)
				}
			}
			if s := str(v); s != "" {
				it.Tags = append(it.Tags, s)
			}
		case "signer":
			it.Reporting.Signer = str(v)
		case "author":
			it.Reporting.Author = str(v)
		case "contact":
			it.Reporting.Contact = str(v)
		case "urgency":
			it.Reporting.Urgency = str(v)
		case "request":
			d.request = requestID(str(v))
		case "replaces":
			d.replaces = str(v)
		}
	}
	it.Body = strings.TrimLeft(body, "\n")
	d.markdown = true
	return nil
}

// SizeText writes a size as people read it, as a message to read in the
// reader's language.
func SizeText(n int64) *diag.Message {
	switch {
	case n >= 1<<20:
		return &diag.Message{Format: "%s MB", Args: []any{fmt.Sprintf("%.1f", float64(n)/(1<<20))}}
	case n >= 1<<10:
		return &diag.Message{Format: "%s KB", Args: []any{fmt.Sprintf("%.1f", float64(n)/(1<<10))}}
	}
	return &diag.Message{Format: "%d bytes", Args: []any{n}}
}

// normalTitle is a title as reports are matched by: without spaces and
// with full-width and half-width punctuation alike.
func normalTitle(s string) string {
	var b strings.Builder
	for _, r := range s {
		if unicode.IsSpace(r) || unicode.IsPunct(r) || unicode.IsSymbol(r) {
			continue
		}
		b.WriteRune(r)
	}
	return b.String()
}

// resubmitted finds the thread a new arrival continues: the one named by
// replaces: (a record's name, or the title of the earlier report), else
// the one of the same bureau and title that is not published yet. Only a
// report of the same bureau that is not published can be continued: a
// record's name is its bulletin's, which anyone can read on the site. The
// message says why a record replaces: names cannot be continued.
func (b *Book) resubmitted(it *Item, replaces string) (*Thread, *diag.Message) {
	if it.Bureau == "" {
		return nil, nil
	}
	want := normalTitle(it.Title)
	if replaces != "" {
		want = normalTitle(replaces)
		for _, t := range b.Threads {
			if t.ID == replaces || strings.TrimSuffix(path.Base(replaces), ".yaml") == t.ID {
				switch {
				case t.Bureau == "":
					return nil, message("replaces: names %s, a report of no bureau, not of %s", t.Path, it.Bureau)
				case t.Bureau != it.Bureau:
					return nil, message("replaces: names %s, a report of %s, not of %s", t.Path, t.Bureau, it.Bureau)
				case t.Bulletin != "":
					return nil, message("replaces: names %s, a report published already as %s", t.Path, t.Bulletin)
				}
				return t, nil
			}
		}
	}
	for _, t := range b.Threads {
		if t.Bureau == it.Bureau && normalTitle(t.Title) == want && t.Bulletin == "" {
			return t, nil
		}
	}
	return nil, nil
}

// maybeAnswers lists the open requests to the item's bureau whose topic
// the title shares most of its words with: two-character pieces of the
// topic found in the title or the text.
func (b *Book) maybeAnswers(it *Item, now time.Time) []string {
	var out []string
	for _, r := range b.Requests {
		if r.Bureau != it.Bureau || b.answered(r) {
			continue
		}
		if overlap(r.Topic, it.Title+"\n"+it.draft.item.Body) >= 0.5 {
			out = append(out, r.ID)
		}
	}
	return out
}

// answered reports whether a thread of the request's bureau names it.
func (b *Book) answered(r *Request) bool {
	for _, t := range b.Threads {
		if t.Request == r.ID && t.Bureau == r.Bureau {
			return true
		}
	}
	return false
}

// overlap is the share of the topic's two-character pieces found in text.
func overlap(topic, text string) float64 {
	rs := []rune(normalTitle(topic))
	if len(rs) < 2 {
		return 0
	}
	found := 0
	for i := 0; i+1 < len(rs); i++ {
		if strings.Contains(text, string(rs[i:i+2])) {
			found++
		}
	}
	return float64(found) / float64(len(rs)-1)
}
