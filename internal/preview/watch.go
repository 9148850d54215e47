package preview

import (
	"context"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"strings"
	"time"

	"github.com/fsnotify/fsnotify"
)

// settle is how long the watcher waits for more events before it
// rebuilds. An editor's save (write, or write and rename) is over within
// a few milliseconds; every millisecond here is one the editor waits for
// the page. A burst split in two makes two rebuilds, which are cheap.
const settle = 20 * time.Millisecond

// Watcher reports changes to the site's files: site.yaml, content/,
// the digest records and the theme folder.
type Watcher struct {
	w   *fsnotify.Watcher
	dir string
}

// Watch starts watching the site in dir, and the theme folder when
// themeDir is set. Every folder is watched when it returns, so serve
// calls it before its first load: an edit made while serve starts is
// then queued for the first rebuild instead of being missed.
func Watch(dir, themeDir string) (*Watcher, error) {
	w, err := fsnotify.NewWatcher()
	if err != nil {
		return nil, err
	}
	// The site folder itself, for site.yaml; not recursively, as it also
	// holds the output and the search index.
	if err := w.Add(dir); err != nil {
		w.Close()
		return nil, err
	}
	roots := []string{filepath.Join(dir, "content"), filepath.Join(dir, "digests", "issues"), filepath.Join(dir, "reports", "notices")}
	if themeDir != "" {
		roots = append(roots, themeDir)
	}
	for _, root := range roots {
		addTree(w, root)
	}
	return &Watcher{w: w, dir: dir}, nil
}

// Close stops watching.
func (sw *Watcher) Close() error { return sw.w.Close() }

// Run calls rebuild after files change. Bursts of events (an editor
// saving, a git checkout) make one rebuild, settle after the last.
// rebuild gets the paths that changed, relative to the site folder and
// slash-separated (those outside it, in the theme, as they are), and
// known, false when the watcher may have missed some (its queue
// overflowed) and everything must be looked at. It returns when ctx is
// done.
func (sw *Watcher) Run(ctx context.Context, rebuild func(changed []string, known bool)) error {
	w, dir := sw.w, sw.dir
	var timer *time.Timer
	fire := make(chan struct{}, 1)
	later := func() {
		if timer != nil {
			timer.Stop()
		}
		timer = time.AfterFunc(settle, func() {
			select {
			case fire <- struct{}{}:
			default:
			}
		})
	}
	var changed []string
	known := true
	for {
		select {
		case <-ctx.Done():
			return nil
		case err := <-w.Errors:
			if !errors.Is(err, fsnotify.ErrEventOverflow) {
				return err
			}
			known = false
			later()
		case ev := <-w.Events:
			if ignored(dir, ev.Name) {
				continue
			}
			if ev.Has(fsnotify.Create) {
				if info, err := os.Stat(ev.Name); err == nil && info.IsDir() {
					addTree(w, ev.Name)
				}
			}
			name := ev.Name
			if rel, err := filepath.Rel(dir, name); err == nil && filepath.IsLocal(rel) {
				name = filepath.ToSlash(rel)
			}
			changed = append(changed, name)
			later()
		case <-fire:
			rebuild(changed, known)
			changed, known = nil, true
		}
	}
}

// addTree watches a folder and every folder below it; fsnotify watches
// one folder at a time.
func addTree(w *fsnotify.Watcher, root string) {
	filepath.WalkDir(root, func(p string, d fs.DirEntry, err error) error {
		if err != nil {
			if errors.Is(err, fs.ErrNotExist) {
				return nil
			}
			return err
		}
		if d.IsDir() {
			w.Add(p)
		}
		return nil
	})
}

// ignored leaves out what is not the site's input: editor swap and backup
// files, and in the site folder anything but site.yaml, wording.yaml,
// synonyms.yaml and the content/, digests/ and reports/ folders (a site
// may start without them).
func ignored(dir, name string) bool {
	base := filepath.Base(name)
	if strings.HasPrefix(base, ".") || strings.HasSuffix(base, "~") || strings.HasSuffix(base, ".swp") || strings.HasSuffix(base, ".tmp") {
		return true
	}
	if filepath.Dir(name) == filepath.Clean(dir) {
		switch base {
		case "site.yaml", "wording.yaml", "synonyms.yaml", "content", "digests", "reports":
			return false
		}
		return true
	}
	return false
}
