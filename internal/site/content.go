package site

import (
	"path"
	"regexp"
	"strings"
	"time"

	"bulletin/internal/diag"
)

// ContentDir is the folder of bulletins inside a site.
const ContentDir = "content"

// Placeholder is the paragraph bulletin new writes for the author to
// replace. A bulletin that is not a draft and still has it is an error:
// it would go on the site as it stands.
const Placeholder = "正文第一段。"

// placeholderLine returns the line of body, counted from 1, that is the
// placeholder paragraph alone, or 0 when none is.
func placeholderLine(body []byte) int {
	for n, line := range strings.Split(string(body), "\n") {
		if strings.TrimSpace(line) == Placeholder {
			return n + 1
		}
	}
	return 0
}

// IsBulletin reports whether the file at p, slash-separated and relative
// to the site root, is a bulletin source: a file named *.md under
// content/, in any folder of it (content/shared/ too), that SetAside
// does not leave out. It is the one rule for the loader's listing, its
// account of a watcher's changes, and lint. It goes by the path alone: a
// listing also takes only regular files, and reports symbolic links.
func IsBulletin(p string) bool {
	return strings.HasPrefix(p, ContentDir+"/") && strings.HasSuffix(p, ".md") && !SetAside(p, false)
}

// SetAside reports whether the site leaves out p, a path under content/,
// and everything below it: a name on the way that starts with a dot
// (editors' swap and lock files such as .#a.md, the temporary files of a
// replacement, .git), or a folder's name that starts with an underscore
// (_drafts kept aside). folder says whether p itself is a folder; a
// file's name may start with an underscore (_index.md is a bulletin).
// Neither a bulletin nor an attachment is taken from what is set aside.
func SetAside(p string, folder bool) bool {
	rel, ok := strings.CutPrefix(p, ContentDir+"/")
	if !ok {
		return false
	}
	// Cut rather than Split: the listing asks for every entry of every
	// folder, and this allocates nothing.
	for rel != "" {
		name, rest, inner := strings.Cut(rel, "/")
		if strings.HasPrefix(name, ".") || strings.HasPrefix(name, "_") && (folder || inner) {
			return true
		}
		rel = rest
	}
	return false
}

// newNameRE matches the name bulletin new gives a file when no -slug is
// given: the day it was written and a number, 20261205-1.md.
var newNameRE = regexp.MustCompile(`^(\d{8})-\d+\.md$`)

// staleNewName says what is wrong when a file bulletin new named after a
// day is dated another day by hand: its URL (/bulletins/20261205-1/) and
// its year's folder still tell the day it was written. It returns nil when
// the name and folder agree with the date, or the name is the author's own.
func staleNewName(p string, fm *frontMatter, loc *time.Location) *diag.Message {
	m := newNameRE.FindStringSubmatch(path.Base(p))
	if m == nil || fm.Slug != "" || fm.Date.IsZero() {
		return nil
	}
	date := fm.Date.In(loc)
	if m[1] == date.Format("20060102") {
		return nil
	}
	dir := path.Dir(p)
	if year := path.Base(dir); len(year) == 4 && strings.Trim(year, "0123456789") == "" {
		dir = path.Join(path.Dir(dir), date.Format("2006"))
	}
	return &diag.Message{Format: "date %s is not the day in the file's name %s, which bulletin new gave it and which makes its URL /bulletins/%s/: before the first build, move it to %s/%s-1.md (or give it a slug:)",
		Args: []any{date.Format("2006-01-02"), path.Base(p), strings.TrimSuffix(path.Base(p), ".md"), dir, date.Format("20060102")}}
}
