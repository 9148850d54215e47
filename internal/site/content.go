package site

import "strings"

// ContentDir is the folder of bulletins inside a site.
const ContentDir = "content"

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
