package preview

import (
	"os"
	"path/filepath"
	"slices"
	"strings"

	"bulletin/internal/diag"
	"bulletin/internal/i18n"
)

// Private are folders of this machine that messages may name, each with
// what to show instead: anyone reading an open page sees its messages.
type Private []privateDir

type privateDir struct {
	dir  string
	name *diag.Message // what to show instead, read in the reader's language
}

// PrivatePaths are the folders serve's messages may name: the site's
// (its files then read as paths in the site), the preview's temporary
// folder tmp, the search index, the theme (when set), the home and
// temporary folders.
func PrivatePaths(siteDir, themeDir, indexDir, tmp string) Private {
	abs := func(dir string) string {
		if a, err := filepath.Abs(dir); err == nil {
			return a
		}
		return ""
	}
	home, _ := os.UserHomeDir()
	p := Private{
		{abs(siteDir), &diag.Message{Format: "."}},
		{tmp, &diag.Message{Format: "(preview)"}},
		{abs(indexDir), &diag.Message{Format: "(search index)"}},
		{home, &diag.Message{Format: "~"}},
		{os.TempDir(), &diag.Message{Format: "(temp)"}},
	}
	if themeDir != "" {
		p = append(p, privateDir{abs(themeDir), &diag.Message{Format: "(theme)"}})
	}
	return p.sorted()
}

// sorted has the longest folders first, so that a folder inside another
// is named as itself; it leaves out the root and empty names.
func (p Private) sorted() Private {
	var out Private
	for _, e := range p {
		if dir := filepath.Clean(e.dir); e.dir != "" && dir != string(filepath.Separator) && dir != "." {
			e.dir = dir
			out = append(out, e)
		}
	}
	slices.SortStableFunc(out, func(a, b privateDir) int { return len(b.dir) - len(a.dir) })
	return out
}

// Replace writes msg with each folder of p replaced by its name, read in
// pr's language, where it stands as a whole path or at the start of one;
// a path in the folder named "." loses the "./".
func (p Private) Replace(pr *i18n.Printer, msg string) string {
	for _, e := range p {
		name := pr.Sprintf("%v", e.name)
		var b strings.Builder
		rest := msg
		for {
			i := strings.Index(rest, e.dir)
			if i < 0 {
				b.WriteString(rest)
				break
			}
			end := i + len(e.dir)
			if (i > 0 && isPathByte(rest[i-1])) || (end < len(rest) && isPathByte(rest[end]) && rest[end] != '/') {
				b.WriteString(rest[:end]) // part of another path
				rest = rest[end:]
				continue
			}
			b.WriteString(rest[:i])
			if name == "." && end < len(rest) && rest[end] == '/' {
				end++
			} else {
				b.WriteString(name)
			}
			rest = rest[end:]
		}
		msg = b.String()
	}
	return msg
}

func isPathByte(c byte) bool {
	return c == '/' || c == '.' || c == '-' || c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= 0x80
}
