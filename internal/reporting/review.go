package reporting

import (
	"errors"
	"fmt"
	"io/fs"
	"os"
	"path"
	"path/filepath"
	"slices"
	"strings"
	"time"
	"unicode/utf8"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/site"
)

// Decision is what an editor decides on one item, and the facts the
// record keeps of it.
type Decision struct {
	Dir string // the site folder
	By  string // the editor, from -by or $BULLETIN_EDITOR
	At  time.Time

	// For Accept: the publication time of the bulletin (zero means At),
	// its category and tags, and the request it answers when the editor
	// confirms one the report does not name.
	Date     time.Time
	Category string
	Tags     []string
	Request  string

	// For Return and Decline: why.
	Reason string
}

// Outcome is what a decision wrote.
type Outcome struct {
	Thread *Thread
	Files  []string // site-relative: the bulletin, its images, the report kept
}

// AcceptItem turns the item into a bulletin: the bulletin and its images
// are written beside each other under content/<bureau>/<year>/, the report
// as it came is moved beside them, and the item's thread records the
// decision. The caller holds Lock. Nothing is left half done: a failure
// removes what this call wrote.
func (b *Book) AcceptItem(it *Item, d Decision) (*Outcome, error) {
	if it.Err != "" {
		return nil, diag.Errorf("%s cannot be accepted: %v", it.File, it.ErrText)
	}
	if it.Bureau == "" {
		return nil, diag.Errorf("%s names no bureau of site.yaml: put it in the bureau's folder in the inbox, or write the bureau in the report", it.File)
	}
	switch errs := it.Problems.Errors(); {
	case errs == 1:
		return nil, diag.Errorf("%s has %d error; mend the report (bulletin inbox lists it) or return it to the bureau", it.File, errs)
	case errs > 1:
		return nil, diag.Errorf("%s has %d errors; mend the report (bulletin inbox lists them) or return it to the bureau", it.File, errs)
	}
	dr := it.draft
	dr.item.Date = d.Date
	if dr.item.Date.IsZero() {
		dr.item.Date = d.At.Truncate(time.Minute)
	}
	if d.Category != "" {
		dr.item.Category = d.Category
	}
	if len(d.Tags) > 0 {
		dr.item.Tags = d.Tags
	}
	// A number the report names wrongly is no reason to hold it up (the
	// inbox shows it); one the editor gives must be right.
	request := it.Request
	if b.Request(request) == nil {
		request = ""
	}
	if d.Request != "" {
		r := b.Request(d.Request)
		if r == nil {
			return nil, diag.Errorf("request %s: there is no %s/%s.yaml", d.Request, RequestsDir, d.Request)
		}
		if r.Bureau != it.Bureau {
			return nil, diag.Errorf("request %s was sent to %s, not to %s", r.ID, r.Bureau, it.Bureau)
		}
		request = d.Request
	}

	var written []string
	undo := func() {
		for _, p := range written {
			os.Remove(filepath.Join(d.Dir, filepath.FromSlash(p)))
		}
	}
	files := dr.files()
	// Images first and the bulletin last, so that a bulletin never
	// appears whose images are missing.
	bulletin := dr.path()
	order := make([]string, 0, len(files))
	for p := range files {
		if p != bulletin {
			order = append(order, p)
		}
	}
	slices.Sort(order)
	order = append(order, bulletin)
	for _, p := range order {
		abs := filepath.Join(d.Dir, filepath.FromSlash(p))
		if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
			undo()
			return nil, err
		}
		if err := fsutil.WriteNew(abs, files[p], 0o644); err != nil {
			undo()
			if errors.Is(err, fs.ErrExist) {
				return nil, diag.Errorf("%s: %s exists already; the report was accepted before", it.File, p)
			}
			return nil, err
		}
		written = append(written, p)
	}
	original := dr.originalPath(path.Ext(it.File))
	if err := moveFile(d.Dir, it.Source(), original); err != nil {
		undo()
		return nil, err
	}
	t := b.threadFor(it, dr.item.Date)
	t.Bulletin, t.Original, t.Title = bulletin, original, it.Title
	if request != "" {
		t.Request = request
	}
	t.Submissions = append(t.Submissions, Submission{Received: it.Received, File: it.File, Kept: original,
		Decision: Accept, By: d.By, At: d.At})
	if err := b.write(d.Dir, t); err != nil {
		moveFile(d.Dir, original, it.Source())
		undo()
		return nil, err
	}
	return &Outcome{Thread: t, Files: append(written, original)}, nil
}

// ReturnItem sends the item back for revision (退修) or declines it (退稿):
// the file moves to inbox/returned/ or inbox/declined/ with a note of the
// reason beside it, for the bureau that looks there, and the thread
// records the decision. The caller holds Lock.
func (b *Book) ReturnItem(it *Item, decision string, d Decision, inbox string) (*Outcome, error) {
	if strings.TrimSpace(d.Reason) == "" {
		return nil, diag.Errorf("give the reason with -reason: the bureau reads it")
	}
	folder := ReturnedDir
	label := "退修意见"
	if decision == Decline {
		folder, label = DeclinedDir, "退稿说明"
	}
	to, err := freeName(d.Dir, path.Join(inbox, folder, keptName(path.Base(it.Source()))))
	if err != nil {
		return nil, err
	}
	if err := moveFile(d.Dir, it.Source(), to); err != nil {
		return nil, err
	}
	note := fmt.Sprintf("%s\r\n\r\n报送信息：%s\r\n审核人：%s\r\n时间：%s\r\n\r\n%s\r\n", label, firstNonEmpty(it.Title, path.Base(it.File)),
		d.By, d.At.Format("2006年1月2日 15:04"), strings.ReplaceAll(strings.TrimSpace(d.Reason), "\n", "\r\n"))
	notePath := filepath.Join(d.Dir, filepath.FromSlash(to)) + "." + label + ".txt"
	// The note is for people on Windows: UTF-8 with a BOM so that
	// Notepad reads it as such, and CRLF.
	if err := fsutil.WriteFile(notePath, append([]byte("\ufeff"), note...), 0o644); err != nil {
		moveFile(d.Dir, to, it.Source())
		return nil, err
	}
	t := b.threadFor(it, it.Received)
	if t.Title == "" {
		t.Title = firstNonEmpty(it.Title, strings.TrimSuffix(path.Base(it.File), path.Ext(it.File)))
	}
	t.Submissions = append(t.Submissions, Submission{Received: it.Received, File: it.File, Kept: to,
		Decision: decision, By: d.By, At: d.At, Reason: strings.TrimSpace(d.Reason)})
	if it.Request != "" && t.Request == "" && b.Request(it.Request) != nil {
		t.Request = it.Request
	}
	if err := b.write(d.Dir, t); err != nil {
		os.Remove(notePath)
		moveFile(d.Dir, to, it.Source())
		return nil, err
	}
	return &Outcome{Thread: t, Files: []string{to}}, nil
}

// threadFor is the item's thread: the one it continues, or a new one
// named by bureau and title (as the bulletin would be) in the folder of
// the year it arrived.
func (b *Book) threadFor(it *Item, when time.Time) *Thread {
	if it.Thread != nil {
		return it.Thread
	}
	id := "report"
	if it.draft != nil {
		id = strings.TrimSuffix(path.Base(it.draft.path()), ".md")
	}
	return b.newThread(id, it.Bureau, it.Title, when)
}

// newThread makes a thread with an unused name, not yet written.
func (b *Book) newThread(id, bureau, title string, when time.Time) *Thread {
	base := id
	for n := 2; b.threadID(id); n++ {
		id = fmt.Sprintf("%s-%d", base, n)
	}
	t := &Thread{ID: id, Path: fmt.Sprintf("%s/%d/%s.yaml", Dir, when.Year(), id), Bureau: bureau, Title: title}
	b.Threads = append(b.Threads, t)
	return t
}

func (b *Book) threadID(id string) bool {
	for _, t := range b.Threads {
		if t.ID == id {
			return true
		}
	}
	return false
}

// write writes a thread's record whole, in place of the old one.
func (b *Book) write(dir string, t *Thread) error {
	data, err := t.marshal()
	if err != nil {
		return err
	}
	abs := filepath.Join(dir, filepath.FromSlash(t.Path))
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return err
	}
	return fsutil.WriteFile(abs, data, 0o644)
}

// Adopt records a higher office's adoption of a published bulletin, or a
// leader's instruction on it, in the bulletin's thread (a new one for a
// bulletin that did not come through the inbox). The caller holds Lock.
func (b *Book) Adopt(dir string, bl *site.Bulletin, a Adoption) (*Thread, error) {
	t := b.ThreadOf(bl.Source)
	if t == nil {
		t = b.newThread(strings.TrimSuffix(path.Base(bl.Source), ".md"), bl.Bureau.Name, bl.Title, bl.Date)
		t.Bulletin = bl.Source
		t.ID = idOf(t.ID)
		t.Path = fmt.Sprintf("%s/%d/%s.yaml", Dir, bl.Date.Year(), t.ID)
	}
	y, m, d := bl.Date.In(a.Date.Location()).Date()
	if published := time.Date(y, m, d, 0, 0, 0, 0, a.Date.Location()); a.Date.Before(published) {
		return nil, diag.Errorf("%s: the day of the adoption, %s, is before the bulletin's own date, %s",
			bl.Source, a.Date.Format(time.DateOnly), published.Format(time.DateOnly))
	}
	// One issue of a publication takes a bulletin once, and a leader's
	// words are one instruction, whatever day was typed the second time.
	for _, o := range t.Adoptions {
		if o.Instruction == a.Instruction && o.By == a.By && o.Issue == a.Issue && o.Text == a.Text {
			return nil, diag.Errorf("%s: this is recorded already in %s (%s)", bl.Source, t.Path, o.Date.Format(time.DateOnly))
		}
	}
	t.Adoptions = append(t.Adoptions, a)
	if err := b.write(dir, t); err != nil {
		t.Adoptions = t.Adoptions[:len(t.Adoptions)-1]
		return nil, err
	}
	return t, nil
}

// idOf makes a record name of a bulletin's file name, which may be
// Chinese or mixed case: the name itself when it is a fit name, else the
// bureau-and-title hash the inbox uses.
func idOf(name string) string {
	if threadIDRE.MatchString(name) && len(name) <= 80 {
		return name
	}
	var out []rune
	for _, r := range strings.ToLower(name) {
		if r < 128 && (r >= 'a' && r <= 'z' || r >= '0' && r <= '9') {
			out = append(out, r)
		} else if len(out) > 0 && out[len(out)-1] != '-' {
			out = append(out, '-')
		}
	}
	s := strings.Trim(string(out), "-")
	if s == "" || len(s) > 80 {
		s = fmt.Sprintf("bulletin-%08x", hash32(name))
	}
	return s
}

func hash32(s string) uint32 {
	h := uint32(2166136261)
	for i := 0; i < len(s); i++ {
		h = (h ^ uint32(s[i])) * 16777619
	}
	return h
}

// NewRequest records a request (约稿) to a bureau under the next number
// of the year it is issued in. The caller holds Lock.
func (b *Book) NewRequest(dir string, r Request) (*Request, error) {
	year := r.Issued.Year()
	n := 0
	for _, o := range b.Requests {
		var y, k int
		if _, err := fmt.Sscanf(o.ID, "%d-%d", &y, &k); err == nil && y == year && k > n {
			n = k
		}
	}
	r.ID = fmt.Sprintf("%d-%03d", year, n+1)
	r.Path = RequestsDir + "/" + r.ID + ".yaml"
	data, err := r.marshal()
	if err != nil {
		return nil, err
	}
	abs := filepath.Join(dir, filepath.FromSlash(r.Path))
	if err := os.MkdirAll(filepath.Dir(abs), 0o755); err != nil {
		return nil, err
	}
	if err := fsutil.WriteNew(abs, data, 0o644); err != nil {
		return nil, err
	}
	b.Requests = append(b.Requests, &r)
	return &r, nil
}

// moveFile moves a site-relative file to another site-relative path that
// must be free, across folders.
func moveFile(dir, from, to string) error {
	src := filepath.Join(dir, filepath.FromSlash(from))
	dst := filepath.Join(dir, filepath.FromSlash(to))
	if err := os.MkdirAll(filepath.Dir(dst), 0o755); err != nil {
		return err
	}
	if _, err := os.Lstat(dst); err == nil {
		return diag.Errorf("%s exists already", to)
	}
	if err := renameFile(src, dst); err == nil {
		return nil
	}
	// Another volume (an inbox on a shared drive): copy, then remove. A
	// source that cannot be removed (a drop folder the office may read
	// but not change) leaves no copy: the file is never in two places.
	data, err := os.ReadFile(src)
	if err != nil {
		return err
	}
	if err := fsutil.WriteNew(dst, data, 0o644); err != nil {
		return err
	}
	if err := removeFile(src); err != nil {
		os.Remove(dst)
		return diag.Errorf("%s cannot be moved out of its folder: %w", ShownPath(from), err)
	}
	return nil
}

// renameFile and removeFile are os.Rename and os.Remove, which tests
// replace to move across volumes.
var (
	renameFile = os.Rename
	removeFile = os.Remove
)

// maxKeptName bounds the name of a report returned or declined, so that
// the note beside it (….退修意见.txt) and the temporary file it is
// written through stay within the 255 bytes file systems allow a name.
const maxKeptName = 150

// keptName is the name a returned or declined report is kept under in
// the inbox, for the bureau to find: its own, with the characters that
// do not show (see ShownPath) as _ and shortened to maxKeptName bytes,
// its extension kept.
func keptName(name string) string {
	var b strings.Builder
	for _, r := range strings.ToValidUTF8(name, "\uFFFD") {
		if r == utf8.RuneError || hiddenRune(r) {
			r = '_'
		}
		b.WriteRune(r)
	}
	name = b.String()
	if len(name) <= maxKeptName {
		return name
	}
	ext := path.Ext(name)
	if len(ext) > 16 {
		ext = ""
	}
	stem := strings.TrimSuffix(name, ext)
	n := maxKeptName - len(ext)
	for n > 0 && !utf8.RuneStart(stem[n]) {
		n--
	}
	return stem[:n] + ext
}

// freeName is p, or p with -2, -3, … before its extension when p is taken.
func freeName(dir, p string) (string, error) {
	ext := path.Ext(p)
	stem := strings.TrimSuffix(p, ext)
	for n := 1; n < 1000; n++ {
		try := p
		if n > 1 {
			try = fmt.Sprintf("%s-%d%s", stem, n, ext)
		}
		if _, err := os.Lstat(filepath.Join(dir, filepath.FromSlash(try))); errors.Is(err, fs.ErrNotExist) {
			return try, nil
		}
	}
	return "", diag.Errorf("%s: too many files of this name", p)
}

func firstNonEmpty(s ...string) string {
	for _, v := range s {
		if v != "" {
			return v
		}
	}
	return ""
}
