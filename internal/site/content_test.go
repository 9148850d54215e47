package site

import (
	"context"
	"io/fs"
	"slices"
	"strings"
	"testing"
	"testing/fstest"
)

// bulletinPaths are the cases of the rule, from what the loader's listing,
// its account of a watcher's changes and lint.Files each did.
var bulletinPaths = []struct {
	path string
	want bool
}{
	{"content/a.md", true},
	{"content/qinghai/2024/relief.md", true},
	{"content/README.md", true},        // no name is special: it is a bulletin, and fails as one without front matter
	{"content/qinghai/index.md", true}, // index.md and _index.md take their folder's slug, but are bulletins
	{"content/qinghai/_index.md", true},
	{"content/_a.md", true},          // only folders starting with _ are set aside
	{"content/shared/form.md", true}, // content/shared/ holds attachments, and a .md in it is a bulletin like any other
	{"content/shared/form.pdf", false},
	{"content/qinghai/photo.jpg", false},
	{"content/a.MD", false}, // the suffix is .md exactly, as everywhere before
	{"content/a.markdown", false},
	{"content/a.md.bak", false},
	{"content/a.md~", false},
	{"content/#a.md#", false},
	{"content/.a.md", false},
	{"content/q/.a.md.swp", false},
	{"content/q/.#relief.md", false},              // an editor's lock file, a symbolic link
	{"content/q/.relief.md.123456789.tmp", false}, // fsutil.WriteFile's temporary file
	{"content/.git/x.md", false},
	{"content/q/.hidden/x.md", false},
	{"content/_drafts/a.md", false},
	{"content/q/_old/2024/a.md", false},
	{"a.md", false},
	{"contentx/a.md", false},
	{"digests/issues/2024-001.md", false},
}

func TestIsBulletin(t *testing.T) {
	for _, tc := range bulletinPaths {
		if got := IsBulletin(tc.path); got != tc.want {
			t.Errorf("IsBulletin(%q) = %v, want %v", tc.path, got, tc.want)
		}
	}
	for _, p := range []string{"content", "content/", "site.yaml", ""} {
		if IsBulletin(p) {
			t.Errorf("IsBulletin(%q) = true", p)
		}
	}
}

func TestSetAside(t *testing.T) {
	for _, tc := range []struct {
		path   string
		folder bool
		want   bool
	}{
		{"content", true, false},
		{"content/qinghai", true, false},
		{"content/_drafts", true, true},
		{"content/_drafts", false, false}, // a file, or a folder a watcher saw removed: may be a bulletin
		{"content/_drafts/a.md", false, true},
		{"content/q/_old", true, true},
		{"content/.git", true, true},
		{"content/.a.md.swp", false, true},
		{"content/q/.#relief.md", false, true},
		{"content/q/_a.pdf", false, false}, // an attachment may be named so
		{"content/q/_x/a.pdf", false, true},
	} {
		if got := SetAside(tc.path, tc.folder); got != tc.want {
			t.Errorf("SetAside(%q, %v) = %v, want %v", tc.path, tc.folder, got, tc.want)
		}
	}
}

// TestListingFollowsIsBulletin: the loader's listing takes exactly the
// regular files IsBulletin accepts, in fs.WalkDir's order.
func TestListingFollowsIsBulletin(t *testing.T) {
	fsys := fstest.MapFS{}
	var want []string
	for _, tc := range bulletinPaths {
		if !strings.HasPrefix(tc.path, ContentDir+"/") {
			continue
		}
		fsys[tc.path] = &fstest.MapFile{}
		if tc.want {
			want = append(want, tc.path)
		}
	}
	// Neither a named pipe (reading it would hang) nor a link is listed;
	// the link is reported.
	fsys["content/q/pipe.md"] = &fstest.MapFile{Mode: fs.ModeNamedPipe}
	fsys["content/q/link.md"] = &fstest.MapFile{Data: []byte("a.md"), Mode: fs.ModeSymlink}
	// An editor's lock file is a link too, and set aside before the check.
	fsys["content/q/.#relief.md"] = &fstest.MapFile{Data: []byte("user@host.123"), Mode: fs.ModeSymlink}
	slices.SortFunc(want, walkOrder)

	l := &loader{fsys: fsys}
	got, err := l.findBulletins(context.Background())
	if err != nil {
		t.Fatal(err)
	}
	if !slices.Equal(got, want) {
		t.Errorf("listed\n%s\nwant\n%s", strings.Join(got, "\n"), strings.Join(want, "\n"))
	}
	var reported []string
	for _, p := range slices.Concat(l.problems...) {
		reported = append(reported, p.String())
	}
	if w := []string{"content/q/link.md: is a symbolic link; bulletins, folders and attachments must be real files inside content/"}; !slices.Equal(reported, w) {
		t.Errorf("reported %q, want %q", reported, w)
	}
}
