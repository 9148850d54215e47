package indexer

import (
	"bufio"
	"context"
	"crypto/rand"
	"encoding/binary"
	"encoding/hex"
	"errors"
	"hash/crc32"
	"io"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"time"
	"unsafe"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/site"

	"github.com/blevesearch/mmap-go"
)

// The document store is what a search shows and checks, kept beside the
// bleve index in each generation, so that a process searching needs no
// site: per bulletin its URL, title, date, names and summary (read into
// memory when a generation is opened), its text, folded and as written
// (read from disk for each candidate that needs it, never held), and its
// body, the HTML its page shows (read for topic feeds).
//
//	gen-00000007/docs.table      this generation's bulletins, in the site's order
//	gen-00000007/docs-00000003-1a2b3c4d.pack
//	gen-00000007/docs-00000007-5e6f7a8b.pack
//	gen-00000007/site.json       the caller's description of the site (SiteInfo)
//
// A pack never changes once written: texts first, then bodies, then the
// metadata records, then a footer that locates the bodies and locates and
// checksums the records. Texts lie together, apart from the bodies, so
// that a search reading the texts of neighbouring candidates reads little
// else. The
// next generation links the packs it keeps (as cloneGeneration links
// bleve's segments) and writes one new pack with the bulletins that
// changed, so an update of one bulletin writes one small pack and a new
// table (some tens of bytes per bulletin), never the whole store. Once
// the packs hold more than twice what the table uses, or too many of
// them pile up, the next update writes the store afresh into one pack.
//
// Every file is checked as it is read: a store file that is cut short or
// spoilt gives an error naming it, never a panic or a wrong bulletin.
const (
	tableFile  = "docs.table"
	siteFile   = "site.json"
	packPrefix = "docs-"
	packSuffix = ".pack"

	tableMagic = "BLTABLE1"
	packMagic  = "BLPACK02"
	footerSize = 8 + 8 + 8 + 8 + 4 // magic, bodies' offset, records' offset, length, CRC

	// maxPacks is how many packs a generation may use before an update
	// writes the store afresh: each is an open file in every server.
	maxPacks = 32
	// Bounds a reader of the files checks, far above real values.
	maxStoreString = 1 << 20
	maxStoreText   = 1 << 30
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

// storedDoc is what the store holds of a bulletin besides its text. It
// never changes once read, and snapshots of later generations share it
// while its record stays the same.
type storedDoc struct {
	URL, Title, Summary string
	// Bureau, Region and Category are names; Category is "" for none.
	Bureau, Region, Category string
	// Meta is bureau, region, category and tags, one a line, as indexed
	// (document.Meta).
	Meta string
	Date time.Time
	// Updated is when the bulletin last changed; zero when never.
	Updated time.Time

	// The text's place in its pack: textLen bytes as written, then
	// foldedLen bytes of the text folded, or none when folding changes
	// nothing (foldedLen 0); and the body's, bodyLen bytes from bodyOff.
	pack               *packFile
	textOff, bodyOff   int64
	textLen, foldedLen uint32
	bodyLen            uint32
}

// docRef locates a bulletin's record: a pack and the offset of the record
// in it. Equal refs are equal records, since packs never change and their
// names are never reused.
type docRef struct {
	pack string
	off  int64
}

// tableDoc is one row of the table: a bulletin's URL, the digest of its
// document (see document.digest), and its record.
type tableDoc struct {
	url, digest string
	pack        int // in table.packs
	off, size   int64
}

// table is a generation's docs.table.
type table struct {
	zone  string // the site's time zone, in which dates are days
	packs []string
	// held counts the records each pack holds, used or not, to tell when
	// the store is worth writing afresh.
	held []int
	docs []tableDoc // in the site's order, newest first
}

// packFile is an open pack.
type packFile struct {
	name string
	f    *os.File
	// seq is the pack's place among its store's packs, for ordering
	// reads.
	seq int
	// data maps the file, nil where that failed: a search scans the
	// texts of thousands of candidates, and copying them out of the
	// system's cache took longer than the scan.
	data mmap.MMap
}

// store is a generation's document store, open for reading.
type store struct {
	dir  string
	loc  *time.Location
	docs []*storedDoc // in the site's order
	refs []docRef     // of docs
	// packs are open until close; texts are read from them on demand.
	packs []*packFile
	// site is site.json, as the generation's writer gave it.
	site []byte
}

func (st *store) close() error {
	var errs []error
	for _, p := range st.packs {
		if p.data != nil {
			errs = append(errs, p.data.Unmap())
		}
		errs = append(errs, p.f.Close())
	}
	return errors.Join(errs...)
}

// storeError says which store file is spoilt.
func storeError(path string, err error) error {
	return diag.Errorf("%s: the search index's document store is damaged (%w); run bulletin build to make it again", path, err)
}

// openStore opens the store of the generation in dir. Records that prev,
// the store of an earlier generation, has read are taken over rather than
// read again.
func openStore(dir string, prev *store) (*store, error) {
	path := filepath.Join(dir, tableFile)
	data, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	t, err := parseTable(data)
	if err != nil {
		return nil, storeError(path, err)
	}
	loc, err := time.LoadLocation(t.zone)
	if err != nil {
		return nil, storeError(path, diag.Errorf("unknown time zone %q", t.zone))
	}
	st := &store{dir: dir, loc: loc, docs: make([]*storedDoc, len(t.docs)), refs: make([]docRef, len(t.docs))}
	if st.site, err = os.ReadFile(filepath.Join(dir, siteFile)); err != nil && !errors.Is(err, os.ErrNotExist) {
		return nil, err
	}
	known := map[docRef]*storedDoc{}
	if prev != nil {
		for i, r := range prev.refs {
			known[r] = prev.docs[i]
		}
	}
	names := map[string]string{}
	byPack := make([][]int, len(t.packs))
	for k, d := range t.docs {
		byPack[d.pack] = append(byPack[d.pack], k)
	}
	for i, name := range t.packs {
		if err := st.openPack(name, t, byPack[i], known, names); err != nil {
			st.close()
			return nil, err
		}
	}
	return st, nil
}

// openPack opens the pack called name and takes the records of the
// bulletins rows of t from it: from known when an earlier store read
// them, otherwise from the file.
func (st *store) openPack(name string, t *table, rows []int, known map[docRef]*storedDoc, names map[string]string) error {
	path := filepath.Join(st.dir, name)
	f, err := os.Open(path)
	if err != nil {
		return err
	}
	pf := &packFile{name: name, f: f, seq: len(st.packs)}
	if m, err := mmap.Map(f, mmap.RDONLY, 0); err == nil {
		pf.data = m
	}
	st.packs = append(st.packs, pf)
	var pm *packMeta
	for _, k := range rows {
		d := t.docs[k]
		st.refs[k] = docRef{name, d.off}
		if old := known[st.refs[k]]; old != nil && old.URL == d.url {
			// The same record of the same file: only the handle the
			// text is read with is new.
			doc := *old
			doc.pack = pf
			st.docs[k] = &doc
			continue
		}
		if pm == nil {
			if pm, err = readPackMeta(f); err != nil {
				return storeError(path, err)
			}
		}
		if d.off < pm.recordsOff || d.off+d.size > pm.recordsOff+int64(len(pm.records)) {
			return storeError(path, diag.Errorf("a record lies outside the pack's records"))
		}
		doc, err := decodeDoc(pm.records[d.off-pm.recordsOff:d.off-pm.recordsOff+d.size], st.loc, names)
		if err == nil && doc.URL != d.url {
			err = diag.Errorf("a record is not the bulletin the table names")
		}
		if err == nil {
			err = pm.place(doc)
		}
		if err != nil {
			return storeError(path, err)
		}
		doc.pack = pf
		st.docs[k] = doc
	}
	return nil
}

// packMeta is what a pack's footer locates: its bodies, and its records.
type packMeta struct {
	bodiesOff  int64
	recordsOff int64
	records    []byte
}

// place makes the body offset of doc, a record of the pack, absolute, and
// checks that its text and body lie where the pack has them.
func (pm *packMeta) place(doc *storedDoc) error {
	if doc.textOff+doc.textSize() > pm.bodiesOff {
		return diag.Errorf("a text lies outside its pack")
	}
	doc.bodyOff += pm.bodiesOff
	if doc.bodyOff+int64(doc.bodyLen) > pm.recordsOff {
		return diag.Errorf("a body lies outside its pack")
	}
	return nil
}

// readPackMeta reads the footer of a pack and the records it locates.
func readPackMeta(r io.ReaderAt) (*packMeta, error) {
	size, err := readerSize(r)
	if err != nil {
		return nil, err
	}
	if size < footerSize {
		return nil, diag.Errorf("too short")
	}
	var foot [footerSize]byte
	if _, err := r.ReadAt(foot[:], size-footerSize); err != nil {
		return nil, err
	}
	if string(foot[:8]) != packMagic {
		return nil, diag.Errorf("not a pack of this version")
	}
	bodies := int64(binary.LittleEndian.Uint64(foot[8:]))
	off, n := int64(binary.LittleEndian.Uint64(foot[16:])), int64(binary.LittleEndian.Uint64(foot[24:]))
	if off < 0 || n < 0 || n > size || off > size-footerSize-n || bodies < 0 || bodies > off {
		return nil, diag.Errorf("its footer is wrong")
	}
	pm := &packMeta{bodiesOff: bodies, recordsOff: off, records: make([]byte, n)}
	if _, err := r.ReadAt(pm.records, off); err != nil {
		return nil, err
	}
	if crc32.Checksum(pm.records, crcTable) != binary.LittleEndian.Uint32(foot[32:]) {
		return nil, diag.Errorf("its records fail their checksum")
	}
	return pm, nil
}

func readerSize(r io.ReaderAt) (int64, error) {
	switch r := r.(type) {
	case *os.File:
		info, err := r.Stat()
		if err != nil {
			return 0, err
		}
		return info.Size(), nil
	case interface{ Size() int64 }:
		return r.Size(), nil
	}
	return 0, diag.Errorf("unknown size")
}

// A record or table is written with these: unsigned varints and strings
// prefixed by their length.
type encoder struct{ b []byte }

func (e *encoder) uint(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) int(v int64)   { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) str(s string)  { e.uint(uint64(len(s))); e.b = append(e.b, s...) }
func (e *encoder) raw(s string)  { e.b = append(e.b, s...) }
func (e *encoder) u32(v uint32)  { e.b = binary.LittleEndian.AppendUint32(e.b, v) }
func (e *encoder) bytes() []byte { return e.b }
func (e *encoder) length() int64 { return int64(len(e.b)) }

// decoder reads what encoder wrote, remembering the first error.
type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(err error) {
	if d.err == nil {
		d.err = err
	}
	d.b = nil
}

func (d *decoder) uint() uint64 {
	v, n := binary.Uvarint(d.b)
	if n <= 0 {
		d.fail(diag.Errorf("a number is cut short"))
		return 0
	}
	d.b = d.b[n:]
	return v
}

func (d *decoder) int() int64 {
	v, n := binary.Varint(d.b)
	if n <= 0 {
		d.fail(diag.Errorf("a number is cut short"))
		return 0
	}
	d.b = d.b[n:]
	return v
}

// bounded reads a number that must be at most max.
func (d *decoder) bounded(max uint64) uint64 {
	v := d.uint()
	if v > max {
		d.fail(diag.Errorf("a number is out of range"))
		return 0
	}
	return v
}

func (d *decoder) bytes(n int) []byte {
	if n < 0 || n > len(d.b) {
		d.fail(diag.Errorf("a string is cut short"))
		return nil
	}
	b := d.b[:n]
	d.b = d.b[n:]
	return b
}

func (d *decoder) str() string {
	return string(d.bytes(int(d.bounded(maxStoreString))))
}

// interned reads a string that many records repeat (a bureau's name),
// keeping one copy of it.
func (d *decoder) interned(names map[string]string) string {
	b := d.bytes(int(d.bounded(maxStoreString)))
	if s, ok := names[string(b)]; ok {
		return s
	}
	s := string(b)
	names[s] = s
	return s
}

// encodeDoc appends the record of d to e.
func encodeDoc(e *encoder, d *storedDoc) {
	e.str(d.URL)
	e.str(d.Title)
	e.str(d.Summary)
	e.str(d.Bureau)
	e.str(d.Region)
	e.str(d.Category)
	e.str(d.Meta)
	e.int(d.Date.Unix())
	e.uint(uint64(d.Date.Nanosecond()))
	if d.Updated.IsZero() {
		e.uint(0)
	} else {
		e.uint(1)
		e.int(d.Updated.Unix())
		e.uint(uint64(d.Updated.Nanosecond()))
	}
	e.uint(uint64(d.textOff))
	e.uint(uint64(d.textLen))
	e.uint(uint64(d.foldedLen))
	e.uint(uint64(d.bodyOff))
	e.uint(uint64(d.bodyLen))
}

// decodeDoc reads a record; dates are in loc, and names keeps one copy of
// each name.
func decodeDoc(rec []byte, loc *time.Location, names map[string]string) (*storedDoc, error) {
	d := &decoder{b: rec}
	doc := &storedDoc{URL: d.str(), Title: d.str(), Summary: d.str(),
		Bureau: d.interned(names), Region: d.interned(names), Category: d.interned(names), Meta: d.str()}
	sec, nsec := d.int(), d.bounded(999_999_999)
	updated := d.bounded(1) == 1
	var usec int64
	var unsec uint64
	if updated {
		usec, unsec = d.int(), d.bounded(999_999_999)
	}
	doc.textOff = int64(d.bounded(1 << 62))
	doc.textLen = uint32(d.bounded(maxStoreText))
	doc.foldedLen = uint32(d.bounded(maxStoreText))
	doc.bodyOff = int64(d.bounded(1 << 62))
	doc.bodyLen = uint32(d.bounded(maxStoreText))
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, diag.Errorf("a record is longer than its fields")
	}
	// Years 0000 to 9999, which is what the site takes.
	inRange := func(sec int64) bool { return sec >= -62167219200 && sec <= 253402300799 }
	if !inRange(sec) || updated && !inRange(usec) {
		return nil, diag.Errorf("a date is out of range")
	}
	doc.Date = time.Unix(sec, int64(nsec)).In(loc)
	if updated {
		doc.Updated = time.Unix(usec, int64(unsec)).In(loc)
	}
	return doc, nil
}

// encodeTable returns the contents of docs.table for t.
func encodeTable(t *table) []byte {
	e := &encoder{}
	e.raw(tableMagic)
	e.str(t.zone)
	e.uint(uint64(len(t.packs)))
	for i, p := range t.packs {
		e.str(p)
		e.uint(uint64(t.held[i]))
	}
	e.uint(uint64(len(t.docs)))
	for _, d := range t.docs {
		e.str(d.url)
		e.str(d.digest)
		e.uint(uint64(d.pack))
		e.uint(uint64(d.off))
		e.uint(uint64(d.size))
	}
	e.u32(crc32.Checksum(e.bytes(), crcTable))
	return e.bytes()
}

// parseTable reads docs.table.
func parseTable(data []byte) (*table, error) {
	if len(data) < len(tableMagic)+4 || string(data[:len(tableMagic)]) != tableMagic {
		return nil, diag.Errorf("not a table of this version")
	}
	body := data[:len(data)-4]
	if crc32.Checksum(body, crcTable) != binary.LittleEndian.Uint32(data[len(data)-4:]) {
		return nil, diag.Errorf("the table fails its checksum")
	}
	d := &decoder{b: body[len(tableMagic):]}
	t := &table{zone: d.str()}
	n := d.bounded(uint64(len(d.b)))
	for range n {
		name := d.str()
		if !validPackName(name) {
			d.fail(diag.Errorf("a pack's name is wrong"))
		}
		t.packs = append(t.packs, name)
		t.held = append(t.held, int(d.bounded(1<<40)))
	}
	n = d.bounded(uint64(len(d.b)))
	t.docs = make([]tableDoc, 0, n)
	for range n {
		doc := tableDoc{url: d.str(), digest: d.str(), pack: int(d.bounded(uint64(len(t.packs)))), off: int64(d.bounded(1 << 62)), size: int64(d.bounded(maxStoreString * 8))}
		if d.err == nil && doc.pack >= len(t.packs) {
			d.fail(diag.Errorf("a bulletin's pack is not listed"))
		}
		t.docs = append(t.docs, doc)
	}
	if d.err != nil {
		return nil, d.err
	}
	if len(d.b) != 0 {
		return nil, diag.Errorf("the table is longer than its rows")
	}
	return t, nil
}

// validPackName accepts the names newPackName makes, and nothing that
// could reach outside the generation's folder.
func validPackName(name string) bool {
	mid, ok := strings.CutPrefix(name, packPrefix)
	if !ok {
		return false
	}
	mid, ok = strings.CutSuffix(mid, packSuffix)
	return ok && mid != "" && !strings.ContainsFunc(mid, func(r rune) bool {
		return !('0' <= r && r <= '9' || 'a' <= r && r <= 'f' || r == '-')
	})
}

// newPackName names a pack written for generation gen: with a random part,
// so that no two packs share a name even in folders made afresh.
func newPackName(gen string) string {
	var r [4]byte
	rand.Read(r[:])
	n, _ := genNumber(gen)
	return packPrefix + strings.TrimPrefix(genName(n), genPrefix) + "-" + hex.EncodeToString(r[:]) + packSuffix
}

// packWriter writes a new pack.
type packWriter struct {
	path string
	name string
	f    *os.File
	w    *bufio.Writer
	off  int64 // where the next text goes
	// The bodies and the records, written after the texts, wait in
	// temporary files beside the pack rather than in memory: a million
	// records are some 500 MB, their bodies some gigabytes.
	bodies, records spool
	rec             encoder // one record, reused
}

// spool is a temporary file a pack's section waits in until the pack is
// finished.
type spool struct {
	f   *os.File
	w   *bufio.Writer
	len int64
	crc uint32 // of what write wrote: the records are checksummed, as texts and bodies are not
}

func (sp *spool) write(b []byte) error {
	if _, err := sp.w.Write(b); err != nil {
		return err
	}
	sp.crc = crc32.Update(sp.crc, crcTable, b)
	sp.len += int64(len(b))
	return nil
}

func (sp *spool) writeString(s string) error {
	if _, err := sp.w.WriteString(s); err != nil {
		return err
	}
	sp.len += int64(len(s))
	return nil
}

// copyTo writes what the spool holds to w.
func (sp *spool) copyTo(w io.Writer) error {
	if err := sp.w.Flush(); err != nil {
		return err
	}
	if _, err := sp.f.Seek(0, io.SeekStart); err != nil {
		return err
	}
	n, err := io.Copy(w, sp.f)
	if err == nil && n != sp.len {
		err = io.ErrUnexpectedEOF
	}
	return err
}

func (sp *spool) drop() {
	if sp.f != nil {
		sp.f.Close()
		os.Remove(sp.f.Name())
	}
}

func newPackWriter(dir, gen string) (*packWriter, error) {
	name := newPackName(gen)
	path := filepath.Join(dir, name)
	f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return nil, err
	}
	pw := &packWriter{path: path, name: name, f: f, w: bufio.NewWriterSize(f, 1<<20)}
	for _, sp := range []*spool{&pw.bodies, &pw.records} {
		// Named as fsutil's temporary files are; a generation left
		// unfinished is removed whole.
		if sp.f, err = os.CreateTemp(dir, "."+name+".*.tmp"); err != nil {
			pw.abort()
			return nil, err
		}
		sp.w = bufio.NewWriterSize(sp.f, 1<<16)
	}
	return pw, nil
}

// add writes the record of b, and returns its offset and length.
func (pw *packWriter) add(b *site.Bulletin, d *document) (int64, int64, error) {
	text := d.Text // a lean site's bulletins hold none
	doc := &storedDoc{URL: b.URL, Title: b.Title, Summary: b.Summary, Bureau: b.Bureau.Name, Region: b.Region.Name,
		Category: termName(b.Category), Meta: d.Meta, Date: b.Date, Updated: b.Updated,
		textOff: pw.off, textLen: uint32(len(text)), bodyOff: pw.bodies.len, bodyLen: uint32(len(d.Body))}
	if len(text) > maxStoreText || len(d.Body) > maxStoreText {
		return 0, 0, diag.Errorf("%s: the text is too long to index", b.Source)
	}
	if _, err := pw.w.WriteString(text); err != nil {
		return 0, 0, err
	}
	if folded := foldText(text); folded != text {
		doc.foldedLen = uint32(len(folded))
		if _, err := pw.w.WriteString(folded); err != nil {
			return 0, 0, err
		}
	}
	pw.off += int64(doc.textLen) + int64(doc.foldedLen)
	if err := pw.bodies.writeString(d.Body); err != nil {
		return 0, 0, err
	}
	pw.rec.b = pw.rec.b[:0]
	encodeDoc(&pw.rec, doc)
	// Records are placed after the bodies: offsets are known at finish.
	start := pw.records.len
	if err := pw.records.write(pw.rec.b); err != nil {
		return 0, 0, err
	}
	return start, pw.rec.length(), nil
}

// finish writes the bodies, the records and the footer and syncs the
// pack. Record offsets from add are relative to the records: the caller
// adds the returned base.
func (pw *packWriter) finish() (int64, error) {
	defer pw.bodies.drop()
	defer pw.records.drop()
	bodies := pw.off
	base := bodies + pw.bodies.len
	var foot [footerSize]byte
	copy(foot[:], packMagic)
	binary.LittleEndian.PutUint64(foot[8:], uint64(bodies))
	binary.LittleEndian.PutUint64(foot[16:], uint64(base))
	binary.LittleEndian.PutUint64(foot[24:], uint64(pw.records.len))
	binary.LittleEndian.PutUint32(foot[32:], pw.records.crc)
	err := pw.bodies.copyTo(pw.w)
	if err == nil {
		err = pw.records.copyTo(pw.w)
	}
	if err == nil {
		_, err = pw.w.Write(foot[:])
	}
	if err == nil {
		err = pw.w.Flush()
	}
	if err == nil {
		err = pw.f.Sync()
	}
	return base, errors.Join(err, pw.f.Close())
}

func (pw *packWriter) abort() {
	pw.bodies.drop()
	pw.records.drop()
	pw.f.Close()
	os.Remove(pw.path)
}

// textBuffers are reused for reading texts.
var textBuffers = sync.Pool{New: func() any { b := make([]byte, 0, 64<<10); return &b }}

// textSize is the bytes of d's text in its pack, folded copy included.
func (d *storedDoc) textSize() int64 { return int64(d.textLen) + int64(d.foldedLen) }

// read calls fn with n bytes of the pack from off. The bytes are valid
// only during the call: they lie in a reused buffer, or in the mapped
// file, which closing the store unmaps.
func (p *packFile) read(off int64, n int, fn func([]byte)) error {
	if p.data != nil {
		if off < 0 || n < 0 || off+int64(n) > int64(len(p.data)) {
			return storeError(p.f.Name(), io.ErrUnexpectedEOF)
		}
		fn(p.data[off : off+int64(n)])
		return nil
	}
	bp := textBuffers.Get().(*[]byte)
	defer textBuffers.Put(bp)
	if cap(*bp) < n {
		*bp = make([]byte, n)
	}
	buf := (*bp)[:n]
	if _, err := p.f.ReadAt(buf, off); err != nil {
		return storeError(p.f.Name(), err)
	}
	fn(buf)
	return nil
}

// withText calls fn with the text of d, as written and folded. The
// strings are valid only during the call: they lie in a reused buffer.
func (d *storedDoc) withText(fn func(text, folded string)) error {
	return d.pack.read(d.textOff, int(d.textSize()), func(buf []byte) {
		text := unsafeString(buf[:d.textLen])
		folded := text
		if d.foldedLen > 0 {
			folded = unsafeString(buf[d.textLen:])
		}
		fn(text, folded)
	})
}

// withBody calls fn with the body of d, the HTML its page shows. The
// string is valid only during the call: it lies in a reused buffer.
func (d *storedDoc) withBody(fn func(body string)) error {
	return d.pack.read(d.bodyOff, int(d.bodyLen), func(buf []byte) { fn(unsafeString(buf)) })
}

// unsafeString views b as a string without copying; b must not change
// while the string is in use.
func unsafeString(b []byte) string {
	if len(b) == 0 {
		return ""
	}
	return unsafe.String(&b[0], len(b))
}

// writeStore writes the store of a generation in dir, named gen, for docs
// (in the site's order). A generation copied from prev (its store files
// linked in by cloneGeneration) keeps prev's records of the bulletins
// whose digest is the same, and writes the rest into one new pack; with
// no prev, or when prev's packs hold much that is no longer used, every
// bulletin is written afresh.
// written, when not nil, holds the records a rebuild already wrote while
// it indexed (see storeFiller): those are not made again.
func writeStore(ctx context.Context, dir, gen string, docs []prepared, zone string, siteInfo []byte, prev *table, written *storeFiller) error {
	byURL := map[string]tableDoc{}
	var prevPacks []string
	if prev != nil {
		for _, d := range prev.docs {
			byURL[d.url] = d
		}
		prevPacks = prev.packs
	}
	t := &table{zone: zone}
	kept := make([]bool, len(docs))
	if prev != nil {
		keptN := 0
		used := map[int]bool{}
		for i := range docs {
			if old, ok := byURL[docs[i].id]; ok && old.digest == docs[i].digest {
				kept[i] = true
				keptN++
				used[old.pack] = true
			}
		}
		// Afresh when the packs would hold more than twice what is
		// used, or be too many.
		held := len(docs) - keptN
		for p := range used {
			held += prev.held[p]
		}
		if len(used) >= maxPacks || held > 2*len(docs) {
			clear(kept)
		}
	}
	packIndex := map[string]int{}
	usePack := func(name string, held int) int {
		i, ok := packIndex[name]
		if !ok {
			i = len(t.packs)
			packIndex[name] = i
			t.packs = append(t.packs, name)
			t.held = append(t.held, held)
		}
		return i
	}
	t.docs = make([]tableDoc, len(docs))
	var pw *packWriter
	if written != nil {
		pw = written.pw
	}
	var fresh []int
	for i := range docs {
		if kept[i] {
			old := byURL[docs[i].id]
			t.docs[i] = tableDoc{url: old.url, digest: old.digest, pack: usePack(prevPacks[old.pack], prev.held[old.pack]), off: old.off, size: old.size}
			continue
		}
		if pw == nil {
			var err error
			if pw, err = newPackWriter(dir, gen); err != nil {
				return err
			}
		}
		d := &docs[i]
		var off, size int64
		var err error
		if at, ok := written.at(i); ok {
			off, size = at[0], at[1]
		} else if err = d.makeDocument(ctx); err == nil {
			off, size, err = pw.add(d.b, d.doc)
			d.drop()
		}
		if err != nil {
			pw.abort()
			return err
		}
		t.docs[i] = tableDoc{url: d.id, digest: d.digest, off: off, size: size}
		fresh = append(fresh, i)
	}
	if pw != nil {
		base, err := pw.finish()
		if err != nil {
			os.Remove(pw.path)
			return err
		}
		p := usePack(pw.name, len(fresh))
		for _, i := range fresh {
			t.docs[i].pack = p
			t.docs[i].off += base
		}
	}
	// Packs no longer used are not carried on.
	for _, name := range prevPacks {
		if _, ok := packIndex[name]; !ok {
			os.Remove(filepath.Join(dir, name))
		}
	}
	if err := fsutil.WriteFile(filepath.Join(dir, siteFile), siteInfo, 0o644); err != nil {
		return err
	}
	return fsutil.WriteFile(filepath.Join(dir, tableFile), encodeTable(t), 0o644)
}

// storeFiller writes the records of a rebuild's new pack as indexAll
// makes each document, so that a lean site's texts are rendered once for
// the index and the store, not twice.
type storeFiller struct {
	mu sync.Mutex
	pw *packWriter
	// records are the offset and length from pw.add by doc index; a
	// length of 0 when not written (a record is never empty).
	records [][2]int64
}

// newStoreFiller returns a filler for n documents.
func newStoreFiller(dir, gen string, n int) (*storeFiller, error) {
	pw, err := newPackWriter(dir, gen)
	if err != nil {
		return nil, err
	}
	return &storeFiller{pw: pw, records: make([][2]int64, n)}, nil
}

// add writes the record of docs[i], whose document is made.
func (sf *storeFiller) add(i int, d *prepared) error {
	sf.mu.Lock()
	defer sf.mu.Unlock()
	off, size, err := sf.pw.add(d.b, d.doc)
	if err == nil {
		sf.records[i] = [2]int64{off, size}
	}
	return err
}

// at returns the offset and length of docs[i]'s record, if written.
func (sf *storeFiller) at(i int) ([2]int64, bool) {
	if sf == nil {
		return [2]int64{}, false
	}
	r := sf.records[i]
	return r, r[1] > 0
}

// readTable reads the table of the generation in dir, or nil when it has
// none or it cannot be read: the store is then written afresh.
func readTable(dir string) *table {
	data, err := os.ReadFile(filepath.Join(dir, tableFile))
	if err != nil {
		return nil
	}
	t, err := parseTable(data)
	if err != nil {
		return nil
	}
	return t
}
