package docx

import (
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"

	"bulletin/internal/diag"
)

// Limits bound the work of reading one file. Zero fields take the defaults.
type Limits struct {
	FileBytes    int64 // size of the .docx itself; default 50 << 20
	Uncompressed int64 // sum of uncompressed sizes of the entries read; default 200 << 20
	Entries      int   // zip entries; default 5000
	XMLDepth     int   // element nesting in document.xml; default 256
	ImageBytes   int64 // one image; default 20 << 20
}

// The defaults of Limits.
const (
	defaultFileBytes    = 50 << 20
	defaultUncompressed = 200 << 20
	defaultEntries      = 5000
	defaultXMLDepth     = 256
	defaultImageBytes   = 20 << 20
)

// maxBody is the most Markdown a report may make: a 信息 is a few pages,
// and a document that makes more is not one.
const maxBody = 2 << 20

func (l Limits) withDefaults() Limits {
	if l.FileBytes <= 0 {
		l.FileBytes = defaultFileBytes
	}
	if l.Uncompressed <= 0 {
		l.Uncompressed = defaultUncompressed
	}
	if l.Entries <= 0 {
		l.Entries = defaultEntries
	}
	if l.XMLDepth <= 0 {
		l.XMLDepth = defaultXMLDepth
	}
	if l.ImageBytes <= 0 {
		l.ImageBytes = defaultImageBytes
	}
	return l
}

// Report is what a Word report yields.
type Report struct {
	Title       string          // the report's title, one line
	Body        string          // Markdown, without the title, the 报送单 fields and the attribution line; ends with "\n"
	Attribution string          // the closing line as written, e.g. （据西宁市民政局）; "" when none
	Fields      Fields          // what the 报送单 or the header lines say
	Images      []Image         // in order of appearance; Body refers to each as ![](Name) (alt text when the document has one)
	Notes       []*diag.Message // what was dropped or doubtful, one line each (an external image not fetched, a text box, …)
}

// Fields are the entries of a 报送单, as written, "" for those missing.
type Fields struct {
	Bureau, Signer, Author, Contact string // 报送单位, 签发人, 执笔人, 联系电话
	Request                         string // 约稿 it answers (约稿编号 or the text given), "" when none
	Date                            string // 报送日期 as written, "" when none
}

// Image is a picture of the report, to be saved beside the bulletin.
type Image struct {
	Name string // safe ASCII file name unique in the report: image1.png, image2.jpeg
	Data []byte
}

// FormatError says in one line why a file is not a readable Word report.
type FormatError struct {
	Reason string        // in English
	Text   *diag.Message // Reason as a message, to read in the reader's language
}

func (e *FormatError) Error() string { return e.Reason }

func formatErr(format string, a ...any) error {
	m := message(format, a...)
	return &FormatError{Reason: m.Error(), Text: m}
}

// message is a note or a reason for a person, kept as its English format
// and arguments so that it can be read in another language.
func message(format string, a ...any) *diag.Message {
	return diag.Errorf(format, a...).(*diag.Message)
}

// ReadFile reads the Word report in the file name. A *FormatError it
// returns (errors.As finds it) starts with the file's name.
func ReadFile(ctx context.Context, name string, lim Limits) (*Report, error) {
	f, err := os.Open(name)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	info, err := f.Stat()
	if err != nil {
		return nil, err
	}
	if !info.Mode().IsRegular() {
		return nil, diag.Errorf("%s: %w", name, formatErr("it is not a regular file"))
	}
	rep, err := Read(ctx, f, info.Size(), lim)
	if fe := (*FormatError)(nil); errors.As(err, &fe) {
		return nil, diag.Errorf("%s: %w", name, err)
	}
	return rep, err
}

// Read reads a Word report of size bytes from r. A file that is no
// readable Word report gives a *FormatError; the only other errors are
// ctx's and r's.
func Read(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*Report, error) {
	lim = lim.withDefaults()
	if err := ctx.Err(); err != nil {
		return nil, err
	}
	if size > lim.FileBytes {
		return nil, formatErr("the file is %s, more than the %s a report may be", byteSize(size), byteSize(lim.FileBytes))
	}
	if size <= 0 {
		return nil, formatErr("the file is empty")
	}
	pkg, err := openPackage(ctx, r, size, lim)
	if err != nil {
		return nil, err
	}
	doc, err := pkg.readDocument(ctx)
	if err != nil {
		return nil, err
	}
	return pkg.report(ctx, doc)
}

// byteSize writes n for a person: 50 MB, 1.5 GB, 300 bytes.
func byteSize(n int64) *diag.Message {
	switch {
	case n >= 1<<30:
		return message("%s GB", trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<30))))
	case n >= 1<<20:
		return message("%s MB", trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<20))))
	case n >= 1<<10:
		return message("%s KB", trimZero(fmt.Sprintf("%.1f", float64(n)/(1<<10))))
	}
	return message("%d bytes", n)
}

func trimZero(s string) string { return strings.TrimSuffix(s, ".0") }
