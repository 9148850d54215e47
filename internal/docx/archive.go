package docx

import (
	"archive/zip"
	"bytes"
	"context"
	"encoding/binary"
	"errors"
	"io"
	"path"
	"strconv"
	"strings"
	"unicode/utf8"

	"bulletin/internal/diag"
)

// archive is the zip file of a .docx, with its entries checked and a
// budget for what reading them may unpack.
type archive struct {
	zr    *zip.Reader
	files map[string]*zip.File // by lower-case name: OPC part names ignore case
	left  int64                // uncompressed bytes that may still be read
	limit int64                // the whole budget, for messages
}

// openArchive checks that r is a zip archive that may safely be read and
// opens it. Anything else is a *FormatError saying what the file is, when
// that is easy to tell.
func openArchive(ctx context.Context, r io.ReaderAt, size int64, lim Limits) (*archive, error) {
	head := make([]byte, min(size, 512))
	if n, err := r.ReadAt(head, 0); n < len(head) {
		if err == nil || err == io.EOF {
			err = io.ErrUnexpectedEOF
		}
		return nil, err
	}
	if !bytes.HasPrefix(head, []byte("PK\x03\x04")) && !bytes.HasPrefix(head, []byte("PK\x05\x06")) {
		return nil, notZip(ctx, r, size, head)
	}
	// archive/zip reads every record of the central directory into
	// memory, however many there are; count them first.
	if n := countEntries(r, size, lim.Entries); n > lim.Entries {
		return nil, formatErr("the file has more than %d entries; a Word document has a few dozen", lim.Entries)
	}
	zr, err := zip.NewReader(r, size)
	if err != nil {
		if errors.Is(err, zip.ErrInsecurePath) {
			return nil, formatErr("the file has an entry whose name leaves the archive; Word and WPS never write such names")
		}
		return nil, formatErr("it is a damaged zip archive, not a readable Word document (%v)", errors.New(strings.TrimPrefix(err.Error(), "zip: ")))
	}
	if len(zr.File) > lim.Entries {
		return nil, formatErr("the file has more than %d entries; a Word document has a few dozen", lim.Entries)
	}
	a := &archive{zr: zr, files: make(map[string]*zip.File, len(zr.File)), left: lim.Uncompressed, limit: lim.Uncompressed}
	for _, f := range zr.File {
		if reason := unsafeName(f.Name); reason != nil {
			return nil, formatErr("the file has an entry named %s, which %s; Word and WPS never write such names", quoteName(f.Name), reason)
		}
		key := strings.ToLower(f.Name)
		if _, dup := a.files[key]; dup {
			return nil, formatErr("the file has two entries named %s; it is damaged or was made to deceive", quoteName(f.Name))
		}
		a.files[key] = f
	}
	return a, nil
}

// unsafeName says what is wrong with an entry name that could reach
// outside a folder it were unpacked to, or could name two things; nil
// for a safe name.
func unsafeName(name string) *diag.Message {
	switch {
	case name == "":
		return message("is empty")
	case !utf8.ValidString(name) || strings.IndexFunc(name, invisible) >= 0:
		return message("is not valid text")
	case strings.Contains(name, `\`):
		return message("has a backslash")
	case strings.HasPrefix(name, "/") || len(name) > 1 && name[1] == ':':
		return message("is an absolute path")
	}
	for _, part := range strings.Split(strings.TrimSuffix(name, "/"), "/") {
		switch part {
		case "..":
			return message("has a .. path element")
		case ".":
			return message("has a . path element")
		case "":
			return message("has a empty path element")
		}
	}
	return nil
}

// quoteName quotes an entry name for a message, cut short if long.
func quoteName(name string) string {
	if len(name) > 80 {
		cut := 80
		for cut > 0 && !utf8.RuneStart(name[cut]) {
			cut--
		}
		name = name[:cut] + "…"
	}
	return strconv.Quote(name)
}

// lookup returns the entry of a part name, nil when there is none.
// Directories are no parts.
func (a *archive) lookup(name string) *zip.File {
	f := a.files[strings.ToLower(name)]
	if f == nil || strings.HasSuffix(f.Name, "/") {
		return nil
	}
	return f
}

// open returns the content of the entry f. What it yields is counted
// against the budget of the archive, whatever the entry's header says, and
// at most max bytes are read: one more is an error.
func (a *archive) open(f *zip.File, max int64) (io.ReadCloser, error) {
	if f.Flags&1 != 0 {
		return nil, formatErr("the file is an encrypted zip archive; Word and WPS never write one")
	}
	if f.UncompressedSize64 > uint64(a.left) {
		return nil, a.tooBig(f.Name)
	}
	rc, err := f.Open()
	if err != nil {
		if errors.Is(err, zip.ErrAlgorithm) {
			return nil, formatErr("the entry %s is compressed with method %d, which Word does not use", quoteName(f.Name), f.Method)
		}
		return nil, a.damaged(f.Name, err)
	}
	return &budgetReader{rc: rc, a: a, name: f.Name, max: max}, nil
}

// readAll reads the entry f whole; more than max bytes is an error.
func (a *archive) readAll(ctx context.Context, f *zip.File, max int64) ([]byte, error) {
	rc, err := a.open(f, max)
	if err != nil {
		return nil, err
	}
	defer rc.Close()
	var buf bytes.Buffer
	// archive/zip yields no more than the header says (more is an
	// error), so the header's size is room enough, and never more than
	// max, though it may be more than the entry holds.
	buf.Grow(int(min(f.UncompressedSize64, uint64(max), 64<<20)))
	chunk := make([]byte, 32<<10)
	for {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := rc.Read(chunk)
		buf.Write(chunk[:n])
		if err == io.EOF {
			if data := buf.Bytes(); cap(data) <= 2*len(data)+4096 {
				return data, nil
			}
			// A header that claimed more than there was: keep only
			// what there is.
			return bytes.Clone(buf.Bytes()), nil
		}
		if err != nil {
			return nil, err
		}
	}
}

func (a *archive) tooBig(name string) error {
	return formatErr("the file unpacks to more than %s (at %s); it is no report, or a zip bomb", byteSize(a.limit), quoteName(name))
}

func (a *archive) damaged(name string, err error) error {
	return formatErr("the entry %s of the file is damaged (%v)", quoteName(name), errors.New(strings.TrimPrefix(err.Error(), "zip: ")))
}

// errEntryTooBig is what a budgetReader returns when one entry is over
// its own maximum (the archive's budget is not yet spent).
var errEntryTooBig = errors.New("entry over its size limit")

// budgetReader counts what it reads from an entry against the archive's
// budget and the entry's maximum, which no header can raise.
type budgetReader struct {
	rc   io.ReadCloser
	a    *archive
	name string
	max  int64 // bytes of this entry still allowed
}

func (b *budgetReader) Read(p []byte) (int, error) {
	// Ask for at most one byte more than either allowance: that byte,
	// if it comes, proves the entry is over.
	if lim := min(b.a.left, b.max) + 1; int64(len(p)) > lim {
		p = p[:lim]
	}
	n, err := b.rc.Read(p)
	b.a.left -= int64(n)
	b.max -= int64(n)
	switch {
	case b.a.left < 0:
		return n, b.a.tooBig(b.name)
	case b.max < 0:
		return n, errEntryTooBig
	case err != nil && err != io.EOF:
		if errors.Is(err, zip.ErrChecksum) || errors.Is(err, zip.ErrFormat) || errors.Is(err, io.ErrUnexpectedEOF) || isFlateError(err) {
			return n, b.a.damaged(b.name, err)
		}
	}
	return n, err
}

func (b *budgetReader) Close() error { return b.rc.Close() }

// isFlateError reports a corrupt deflate stream, whose errors have no
// sentinel value.
func isFlateError(err error) bool {
	return strings.HasPrefix(err.Error(), "flate: ")
}

// countEntries counts the records of the central directory the way
// archive/zip will read them, stopping after max+1.
func countEntries(r io.ReaderAt, size int64, max int) int {
	const (
		endLen      = 22
		end64LocLen = 20
		end64Len    = 56
		headerLen   = 46
	)
	// The end of central directory record, in the last 1 KB or 65 KB.
	var buf []byte
	var endOffset int64 = -1
	for _, n := range []int64{1024, 65 * 1024} {
		n = min(n, size)
		buf = make([]byte, n)
		if _, err := r.ReadAt(buf, size-n); err != nil && err != io.EOF {
			return 0
		}
		for i := len(buf) - endLen; i >= 0; i-- {
			if string(buf[i:i+4]) == "PK\x05\x06" {
				if int(binary.LittleEndian.Uint16(buf[i+20:]))+endLen+i > len(buf) {
					break
				}
				endOffset, buf = size-n+int64(i), buf[i:]
				break
			}
		}
		if endOffset >= 0 || n == size {
			break
		}
	}
	if endOffset < 0 {
		return 0
	}
	records := uint64(binary.LittleEndian.Uint16(buf[10:]))
	dirSize := uint64(binary.LittleEndian.Uint32(buf[12:]))
	dirOffset := uint64(binary.LittleEndian.Uint32(buf[16:]))
	if records == 0xffff || dirSize == 0xffff || dirOffset == 0xffffffff {
		loc := make([]byte, end64LocLen)
		if endOffset >= end64LocLen {
			if _, err := r.ReadAt(loc, endOffset-end64LocLen); err == nil && string(loc[:4]) == "PK\x06\x07" &&
				binary.LittleEndian.Uint32(loc[4:]) == 0 && binary.LittleEndian.Uint32(loc[16:]) == 1 {
				p := int64(binary.LittleEndian.Uint64(loc[8:]))
				end64 := make([]byte, end64Len)
				if p < 0 || p > size {
					return 0
				}
				if _, err := r.ReadAt(end64, p); err != nil || string(end64[:4]) != "PK\x06\x06" {
					return 0
				}
				endOffset = p
				records = binary.LittleEndian.Uint64(end64[32:])
				dirSize = binary.LittleEndian.Uint64(end64[40:])
				dirOffset = binary.LittleEndian.Uint64(end64[48:])
			}
		}
	}
	if records > uint64(max) {
		return max + 1
	}
	if dirSize >= 1<<62 || dirOffset >= 1<<62 {
		return 0
	}
	base := endOffset - int64(dirSize) - int64(dirOffset)
	var hdr [headerLen]byte
	if base > 0 {
		// archive/zip takes the offset as written when a record is there.
		if _, err := r.ReadAt(hdr[:], int64(dirOffset)); err == nil && string(hdr[:4]) == "PK\x01\x02" {
			base = 0
		}
	}
	off := base + int64(dirOffset)
	n := 0
	for n <= max && off >= 0 && off < size {
		if _, err := r.ReadAt(hdr[:], off); err != nil || string(hdr[:4]) != "PK\x01\x02" {
			break
		}
		n++
		off += headerLen + int64(binary.LittleEndian.Uint16(hdr[28:])) + int64(binary.LittleEndian.Uint16(hdr[30:])) + int64(binary.LittleEndian.Uint16(hdr[32:]))
	}
	return n
}

// notZip says what a file that is no zip archive looks like.
func notZip(ctx context.Context, r io.ReaderAt, size int64, head []byte) error {
	has := func(p string) bool { return bytes.HasPrefix(head, []byte(p)) }
	switch {
	case has("%PDF"):
		return formatErr("it is a PDF file, not a Word document")
	case has("\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1"):
		return oleFile(ctx, r, size)
	case has("\xFF\xD8\xFF"):
		return formatErr("it is a JPEG image, not a Word document")
	case has("\x89PNG\r\n\x1a\n"):
		return formatErr("it is a PNG image, not a Word document")
	case has("GIF87a"), has("GIF89a"):
		return formatErr("it is a GIF image, not a Word document")
	case has("RIFF") && len(head) >= 12 && string(head[8:12]) == "WEBP":
		return formatErr("it is a WebP image, not a Word document")
	case has(`{\rtf`):
		return formatErr("it is an RTF file, not a .docx; save it as .docx in Word or WPS")
	case has("Rar!\x1a\x07"):
		return formatErr("it is a RAR archive, not a Word document")
	case has("7z\xBC\xAF\x27\x1C"):
		return formatErr("it is a 7-Zip archive, not a Word document")
	case has("\x1f\x8b"):
		return formatErr("it is a gzip archive, not a Word document")
	case has("PK"):
		return formatErr("it is a damaged or split zip archive, not a readable Word document")
	}
	text := bytes.TrimLeft(bytes.TrimPrefix(head, []byte("\xEF\xBB\xBF")), " \t\r\n")
	lower := bytes.ToLower(text)
	switch {
	case bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(lower, []byte("worddocument")):
		return formatErr("it is a Word 2003 XML document, not a .docx; save it as .docx in Word or WPS")
	case bytes.HasPrefix(lower, []byte("<?xml")) && bytes.Contains(lower, []byte("pkg:package")):
		return formatErr("it is a Word XML document, not a .docx; save it as .docx in Word or WPS")
	case bytes.HasPrefix(lower, []byte("<!doctype html")) || bytes.HasPrefix(lower, []byte("<html")):
		return formatErr("it is a web page (HTML), not a .docx; save it as .docx in Word or WPS")
	case bytes.HasPrefix(lower, []byte("mime-version:")):
		return formatErr("it is a web archive (.mht), not a .docx; save it as .docx in Word or WPS")
	case utf8.Valid(head) && !bytes.ContainsRune(head, 0):
		return formatErr("it is a text file, not a Word document")
	}
	return formatErr("it is not a Word document: a .docx file is a zip archive, and this is none")
}

// oleFile tells the kinds of OLE compound file apart by the names of their
// streams, which the directory holds in UTF-16: an encrypted .docx keeps
// its package in EncryptedPackage, a .doc or .wps its text in
// WordDocument.
func oleFile(ctx context.Context, r io.ReaderAt, size int64) error {
	names := []string{"EncryptedPackage", "EncryptionInfo", "WordDocument", "Workbook", "PowerPoint Document"}
	found, err := scanUTF16(ctx, r, size, names)
	if err != nil {
		return err
	}
	switch {
	case found["EncryptedPackage"] || found["EncryptionInfo"]:
		return formatErr("the document is protected by a password; remove the password in Word or WPS and save it again")
	case found["WordDocument"]:
		return formatErr("it is an old Word 97-2003 or WPS document (.doc or .wps) with the wrong name; save it as .docx in Word or WPS, or convert it")
	case found["Workbook"]:
		return formatErr("it is an Excel 97-2003 workbook, not a Word document")
	case found["PowerPoint Document"]:
		return formatErr("it is a PowerPoint 97-2003 presentation, not a Word document")
	}
	return formatErr("it is an old Office file (OLE), not a .docx; save it as .docx in Word or WPS")
}

// scanUTF16 reports which of names occur in r in UTF-16LE.
func scanUTF16(ctx context.Context, r io.ReaderAt, size int64, names []string) (map[string]bool, error) {
	pats := make([][]byte, len(names))
	longest := 0
	for i, n := range names {
		for _, c := range n {
			pats[i] = append(pats[i], byte(c), 0)
		}
		longest = max(longest, len(pats[i]))
	}
	found := map[string]bool{}
	buf := make([]byte, 1<<20)
	for off := int64(0); off < size; off += int64(len(buf) - longest) {
		if err := ctx.Err(); err != nil {
			return nil, err
		}
		n, err := r.ReadAt(buf, off)
		if err != nil && err != io.EOF {
			return nil, err
		}
		for i, p := range pats {
			if bytes.Contains(buf[:n], p) {
				found[names[i]] = true
			}
		}
		if off+int64(n) >= size {
			break
		}
	}
	return found, nil
}

// partDir is the folder of a part name: word for word/document.xml.
func partDir(name string) string { return path.Dir(name) }
