package scaffold

import (
	"bytes"
	"embed"
	"errors"
	"io/fs"
	"os"
	"path/filepath"
	"slices"
	"strconv"
	"strings"
	"text/template"

	"bulletin/internal/diag"
	"bulletin/internal/fsutil"
	"bulletin/internal/site"
	"bulletin/internal/yamlnode"
)

//go:embed files
var files embed.FS

// Bureau is a bureau of the new site's registry.
type Bureau struct {
	Name, Region string
	Slug         string // "" proposes one from the region
}

// Options are what the new site starts with.
type Options struct {
	Title      string // the site's name; "" is 信息网
	BaseURL    string // "" is a placeholder to replace before going live
	Bureaus    []Bureau
	Categories []string // "" is 工作动态 and 通知公告
}

// Files are the files Write makes, in the order it lists them.
var Files = []string{"site.yaml", "wording.yaml", ".gitignore", "content/"}

// ErrNotEmpty is returned by Write for a folder that holds anything.
var ErrNotEmpty = errors.New("the folder is not empty; bulletin init starts a site in a new or empty folder")

// Write makes a new site in dir, which must not exist or be empty.
func Write(dir string, opt Options) error {
	entries, err := os.ReadDir(dir)
	exists := err == nil
	// A git repository made first (git init, then bulletin init .) is
	// still an empty folder for a site.
	entries = slices.DeleteFunc(entries, func(e fs.DirEntry) bool { return e.Name() == ".git" })
	switch {
	case exists && len(entries) > 0:
		return diag.Errorf("%s: %w", dir, ErrNotEmpty)
	case err != nil && !errors.Is(err, fs.ErrNotExist):
		return err
	}
	siteYAML, err := render(opt)
	if err != nil {
		return err
	}
	wording, _ := files.ReadFile("files/wording.yaml")
	gitignore, _ := files.ReadFile("files/gitignore")

	// The files are made in a temporary folder: beside the new folder, or
	// inside an empty one that is there already (it may be the folder the
	// editor's shell is in, which must stay where it is).
	where := filepath.Dir(filepath.Clean(dir))
	if exists {
		where = dir
	}
	if err := os.MkdirAll(where, 0o755); err != nil {
		return err
	}
	tmp, err := os.MkdirTemp(where, ".bulletin-init-*.tmp")
	if err != nil {
		return err
	}
	defer os.RemoveAll(tmp)
	// MkdirTemp makes it private; a site folder is an ordinary one.
	if err := os.Chmod(tmp, 0o755); err != nil {
		return err
	}
	if err := os.Mkdir(filepath.Join(tmp, site.ContentDir), 0o755); err != nil {
		return err
	}
	made := map[string][]byte{
		"site.yaml": siteYAML, "wording.yaml": wording, ".gitignore": gitignore,
		// git keeps no empty folder; a dot file is no bulletin.
		filepath.Join(site.ContentDir, ".gitkeep"): nil,
	}
	for name, data := range made {
		if err := fsutil.WriteFile(filepath.Join(tmp, name), data, 0o644); err != nil {
			return err
		}
	}
	// Check what was made before it takes its place: a name the loader
	// cannot take is the caller's mistake, reported as such.
	if _, err := site.ReadConfig(os.DirFS(tmp)); err != nil {
		return diag.Errorf("the site.yaml made from these options does not load: %w", err)
	}
	if !exists {
		return os.Rename(tmp, dir)
	}
	var moved []string
	for _, name := range []string{site.ContentDir, "site.yaml", "wording.yaml", ".gitignore"} {
		if err := os.Rename(filepath.Join(tmp, name), filepath.Join(dir, name)); err != nil {
			for _, m := range moved {
				os.RemoveAll(filepath.Join(dir, m))
			}
			return err
		}
		moved = append(moved, name)
	}
	return nil
}

func render(opt Options) ([]byte, error) {
	if opt.Title == "" {
		opt.Title = "信息网"
	}
	if opt.BaseURL == "" {
		opt.BaseURL = "https://www.example.gov.cn/"
	}
	if len(opt.Categories) == 0 {
		opt.Categories = []string{"工作动态", "通知公告"}
	}
	opt.Bureaus = withSlugs(opt.Bureaus)
	t, err := template.New("site.yaml.tmpl").Funcs(template.FuncMap{"inline": yamlnode.Inline}).ParseFS(files, "files/site.yaml.tmpl")
	if err != nil {
		return nil, err
	}
	var b bytes.Buffer
	if err := t.Execute(&b, opt); err != nil {
		return nil, err
	}
	return b.Bytes(), nil
}

// maxSlug is the longest slug site.yaml takes.
const maxSlug = 80

// withSlugs gives every bureau a slug, unique in the registry: the one
// proposed from its region, then that and the rest of its name, then its
// name, then numbered.
func withSlugs(bureaus []Bureau) []Bureau {
	out := make([]Bureau, len(bureaus))
	taken := map[string]bool{}
	for _, b := range bureaus {
		if b.Slug != "" {
			taken[b.Slug] = true
		}
	}
	for i, b := range bureaus {
		if b.Slug == "" {
			region := site.BureauSlug(b.Name, b.Region)
			candidates := []string{
				region,
				// 青海省社会福利院 after 青海省民政厅: qinghai-shehuifuliyuan.
				region + "-" + site.BureauSlug(strings.TrimPrefix(b.Name, b.Region), ""),
				site.BureauSlug(b.Name, ""),
			}
			for _, s := range candidates {
				if !taken[s] && len(s) <= maxSlug {
					b.Slug = s
					break
				}
			}
			for n := 2; b.Slug == ""; n++ {
				if s := site.BureauSlug(b.Name, "") + "-" + strconv.Itoa(n); !taken[s] {
					b.Slug = s
				}
			}
			taken[b.Slug] = true
		}
		out[i] = b
	}
	return out
}
