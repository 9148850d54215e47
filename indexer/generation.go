package indexer

import (
	"bytes"
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"sync/atomic"
	"unicode/utf16"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/suggest"
	"bulletin/internal/synonyms"

	"github.com/blevesearch/bleve/v2"
)

// An index folder holds the index as generations: complete bleve indexes
// that never change once published, and a pointer to the current one.
//
//	search/CURRENT        the current generation's name, replaced in one step
//	search/write.lock     held by the one process publishing a generation
//	search/gen-00000007/  a generation
//	search/gen-00000007.lock
//	                      held shared by every process searching it
//
// A writer (bulletin build, or bulletin serve as the site is edited)
// makes the next generation beside the current one, from scratch or as a
// copy updated in place, then points CURRENT at it. Searching processes
// open the current generation read-only and move to a new one when
// CURRENT changes; searches in flight finish on the one they started on.
// A generation other than the current one is removed once no process
// holds its lock: by the writer after publishing, or by the last process
// to let go of it. So any number of servers and one build at a time can
// share one index folder, and the build never waits for a server.
const (
	currentFile = "CURRENT"
	writeLock   = "write.lock"
	genPrefix   = "gen-"
	lockSuffix  = ".lock"
)

// generation is a published generation open for searching.
type generation struct {
	dir  string // the index folder
	name string
	idx  bleve.Index
	// docs is the generation's document store: what hits show and what
	// exactness is checked against.
	docs *store
	// words is the dictionary of the site's terms (suggest.txt), nil in
	// a generation written before there were dictionaries.
	words *suggest.Dictionary
	// synonyms widen queries: built in, and the site's copy kept here.
	synonyms *synonyms.Table
	use      *fsutil.Lock
	// refs counts the snapshots on the generation. The last to let go
	// closes it and removes what nothing uses any more.
	refs atomic.Int64
}

func (g *generation) acquire() { g.refs.Add(1) }

func (g *generation) release() error {
	if g.refs.Add(-1) != 0 {
		return nil
	}
	err := errors.Join(g.idx.Close(), g.docs.close())
	g.use.Unlock()
	collect(g.dir, false)
	return err
}

// errNoIndex says that an index folder has no published generation.
var errNoIndex = errors.New("no search index yet; run bulletin build to make it, or copy one here from the machine that builds it")

// readCurrent returns the name of the current generation in dir, or ""
// when there is none.
func readCurrent(dir string) (string, error) {
	data, err := os.ReadFile(filepath.Join(dir, currentFile))
	if errors.Is(err, fs.ErrNotExist) {
		return "", nil
	}
	if err != nil {
		return "", err
	}
	name := strings.TrimSpace(decodeText(data))
	if _, ok := genNumber(name); !ok {
		return "", diag.Errorf("%s: %q is not a generation of the search index", filepath.Join(dir, currentFile), name)
	}
	return name, nil
}

// decodeText reads a small text file that a person may have written by
// hand on Windows, where Notepad and PowerShell put a byte-order mark
// first and PowerShell 5 writes UTF-16.
func decodeText(data []byte) string {
	switch {
	case bytes.HasPrefix(data, []byte{0xFF, 0xFE}), bytes.HasPrefix(data, []byte{0xFE, 0xFF}):
		order := binary.ByteOrder(binary.LittleEndian)
		if data[0] == 0xFE {
			order = binary.BigEndian
		}
		units := make([]uint16, (len(data)-2)/2)
		for i := range units {
			units[i] = order.Uint16(data[2+2*i:])
		}
		return string(utf16.Decode(units))
	}
	return strings.TrimPrefix(string(data), "\ufeff")
}

// genNumber returns the number of the generation called name.
func genNumber(name string) (int, bool) {
	digits, ok := strings.CutPrefix(name, genPrefix)
	if !ok || digits == "" || strings.ContainsFunc(digits, func(r rune) bool { return r < '0' || r > '9' }) {
		return 0, false
	}
	n, err := strconv.Atoi(digits)
	return n, err == nil
}

func genName(n int) string { return fmt.Sprintf("%s%08d", genPrefix, n) }

// holdCurrent takes the use lock of dir's current generation and returns
// its name. A generation is only ever removed when it is not current and
// its lock is free, so once the lock is held and the pointer still names
// it, it stays until let go.
func holdCurrent(dir string) (string, *fsutil.Lock, error) {
	for range 100 {
		name, err := readCurrent(dir)
		if err != nil {
			return "", nil, err
		}
		if name == "" {
			return "", nil, diag.Errorf("%s: %w", dir, errNoIndex)
		}
		use, err := fsutil.TryRLock(filepath.Join(dir, name+lockSuffix))
		if errors.Is(err, fsutil.ErrLocked) {
			continue // being removed: the pointer has moved on
		}
		if err != nil && copyWithoutLocks(dir, name) {
			// Nothing here removes generations, so there is no one to
			// tell that this one is in use.
			use, err = nil, nil
		}
		if err != nil {
			return "", nil, err
		}
		if again, err := readCurrent(dir); err == nil && again == name {
			return name, use, nil
		}
		use.Unlock()
	}
	return "", nil, diag.Errorf("%s: the search index changed too often to be opened", dir)
}

// copyWithoutLocks reports whether dir, whose generation name could not
// be locked, is a copy that no writer uses and that was made without the
// generations' lock files, in a place this process may not write (a
// read-only volume, a folder of another user). Where a writer works (its
// write.lock is there) a search must hold its lock, or the writer would
// remove the generation under it.
func copyWithoutLocks(dir, name string) bool {
	_, lockErr := os.Lstat(filepath.Join(dir, name+lockSuffix))
	_, writerErr := os.Lstat(filepath.Join(dir, writeLock))
	return errors.Is(lockErr, fs.ErrNotExist) && errors.Is(writerErr, fs.ErrNotExist)
}

// openCurrent opens dir's current generation for searching.
func openCurrent(dir string) (*generation, error) {
	name, use, err := holdCurrent(dir)
	if err != nil {
		return nil, err
	}
	return openHeld(dir, name, use, nil)
}

// openHeld opens generation name of dir, whose use lock is held. prev,
// when not nil, is a generation open before, whose stored records are
// taken over where they are the same.
func openHeld(dir, name string, use *fsutil.Lock, prev *generation) (*generation, error) {
	var prevDocs *store
	if prev != nil {
		prevDocs = prev.docs
	}
	docs, err := openStore(filepath.Join(dir, name), prevDocs)
	if errors.Is(err, fs.ErrNotExist) {
		err = diag.Errorf("the search index in %s is incomplete or of another version; run bulletin build to update it", dir)
	}
	if err != nil {
		use.Unlock()
		return nil, err
	}
	idx, err := openBleve(filepath.Join(dir, name), true)
	if err != nil {
		docs.close()
		use.Unlock()
		return nil, diag.Errorf("opening the search index: %w", err)
	}
	g := &generation{dir: dir, name: name, idx: idx, docs: docs, use: use}
	if err = checkVersion(idx, dir); err == nil {
		g.words, err = readSuggest(filepath.Join(dir, name))
	}
	if err == nil {
		g.synonyms, err = readSynonyms(filepath.Join(dir, name))
	}
	if err != nil {
		idx.Close()
		docs.close()
		use.Unlock()
		return nil, err
	}
	if g.words != nil {
		// Mending a slip needs the dictionary's pinyin, made once: in
		// the background now, not in the first reader's search.
		go g.words.Prepare()
	}
	g.refs.Store(1)
	return g, nil
}

// collect removes the generations of dir that are neither current nor in
// use, and leftovers of writers that were killed. A caller that does not
// hold the write lock (haveLock) collects only if it can take it at once:
// otherwise a writer is at work, and collects when it has published.
func collect(dir string, haveLock bool) {
	if !haveLock {
		l, err := fsutil.TryLock(filepath.Join(dir, writeLock))
		if err != nil {
			return
		}
		defer l.Unlock()
	}
	current, err := readCurrent(dir)
	if err != nil {
		return // never guess which one is in use
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return
	}
	seen := map[string]bool{}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), lockSuffix)
		if _, ok := genNumber(name); !ok || name == current || seen[name] {
			continue
		}
		seen[name] = true
		l, err := fsutil.TryLock(filepath.Join(dir, name+lockSuffix))
		if err != nil {
			continue // a process still searches it
		}
		os.RemoveAll(filepath.Join(dir, name))
		// Windows removes no open file: let go first. A reader that
		// opens the lock in between finds the pointer moved on.
		l.Unlock()
		os.Remove(filepath.Join(dir, name+lockSuffix))
	}
	fsutil.RemoveTemps(dir)
}

// prepareFolder makes dir ready to hold generations: it creates it, and
// replaces an index of the layout before generations (the folder itself
// a bleve index) by nothing, to be rebuilt. A folder of anything else is
// someone's, and is refused rather than touched.
func prepareFolder(dir string) error {
	if info, err := os.Stat(dir); err == nil && !info.IsDir() {
		return diag.Errorf("%s is a file, not a search index; choose another folder", dir)
	}
	parent, base := filepath.Dir(dir), filepath.Base(dir)
	removeLeftovers(parent, base)
	if isIndexDir(dir) {
		old, err := os.MkdirTemp(parent, "."+base+".old-")
		if err != nil {
			return err
		}
		if err := os.Remove(old); err != nil {
			return err
		}
		if err := os.Rename(dir, old); err != nil {
			return err
		}
		os.RemoveAll(old)
		os.Remove(dir + lockSuffix)
	}
	if err := os.MkdirAll(dir, 0o755); err != nil {
		return err
	}
	// Search servers may run as another user (openToReaders). A folder
	// someone else owns and keeps closed is theirs to open.
	if info, err := os.Stat(dir); err == nil {
		fsutil.LetOthersRead(dir, info)
	}
	entries, err := os.ReadDir(dir)
	if err != nil {
		return err
	}
	for _, e := range entries {
		name := strings.TrimSuffix(e.Name(), lockSuffix)
		if _, ok := genNumber(name); ok || e.Name() == currentFile || e.Name() == writeLock ||
			strings.HasPrefix(e.Name(), ".") && strings.HasSuffix(e.Name(), ".tmp") {
			continue
		}
		return diag.Errorf("%s is not a search index and holds other files (%s); choose another folder", dir, e.Name())
	}
	return nil
}

// removeLeftovers deletes the folders that killed updates of the layout
// before generations left beside the index.
func removeLeftovers(parent, base string) {
	for _, pattern := range []string{"." + base + ".new-*", "." + base + ".old-*"} {
		matches, _ := filepath.Glob(filepath.Join(parent, pattern))
		for _, m := range matches {
			os.RemoveAll(m)
		}
	}
}

// nextGeneration returns the name for the next generation in dir: above
// every generation there, so that a name is never used twice.
func nextGeneration(dir string) (string, error) {
	entries, err := os.ReadDir(dir)
	if err != nil {
		return "", err
	}
	top := 0
	for _, e := range entries {
		if n, ok := genNumber(strings.TrimSuffix(e.Name(), lockSuffix)); ok {
			top = max(top, n)
		}
	}
	return genName(top + 1), nil
}

// setCurrent points dir's CURRENT at generation name, durably.
func setCurrent(dir, name string) error {
	return fsutil.WriteFile(filepath.Join(dir, currentFile), []byte(name+"\n"), 0o644)
}

// cloneGeneration copies the generation in from to a new folder to, to be
// updated in place there. Segment files (.zap) and the document store's
// packs never change once written, so they are linked rather than copied
// where the system can; the rest (bolt's root, the store's table, small)
// is copied.
func cloneGeneration(from, to string) error {
	return filepath.WalkDir(from, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			return err
		}
		rel, err := filepath.Rel(from, p)
		if err != nil {
			return err
		}
		dst := filepath.Join(to, rel)
		if d.IsDir() {
			return os.Mkdir(dst, 0o755)
		}
		if !d.Type().IsRegular() {
			return diag.Errorf("%s: not a regular file in a search index", p)
		}
		if (strings.HasSuffix(p, ".zap") || strings.HasSuffix(p, packSuffix)) && os.Link(p, dst) == nil {
			return nil
		}
		return copyFile(p, dst)
	})
}

func copyFile(from, to string) error {
	in, err := os.Open(from)
	if err != nil {
		return err
	}
	defer in.Close()
	out, err := os.OpenFile(to, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
	if err != nil {
		return err
	}
	_, err = io.Copy(out, in)
	return errors.Join(err, out.Close())
}

// genNames lists the generations in dir, oldest first, for tests and
// messages.
func genNames(dir string) []string {
	entries, _ := os.ReadDir(dir)
	var names []string
	for _, e := range entries {
		if _, ok := genNumber(e.Name()); ok && e.IsDir() {
			names = append(names, e.Name())
		}
	}
	slices.Sort(names)
	return names
}
