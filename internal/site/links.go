package site

import (
	"errors"
	"io/fs"
	"net/url"
	"path"
	"strings"

	"bulletin/internal/diag"
	"bulletin/internal/markdown"
)

// linkResolver checks the relative links of one bulletin: a link to
// another bulletin's .md file becomes that bulletin's URL, a link to a
// document or image makes the file an attachment published beside the
// page, and a link that leaves content/, points at nothing, or at a file
// that is not a document or image an office publishes, is an error.
type linkResolver struct {
	fsys fs.FS
	from string // the linking bulletin, site-relative
	// slug gives the slug of the bulletin whose file is at a path.
	slug        func(path string) (string, bool)
	attachments []Attachment

	// calls records every resolution, for the bulletin's Hash and for the
	// next load to check whether the links still resolve the same way.
	calls []linkCall
}

func (r *linkResolver) resolve(dest string, image bool) (markdown.Target, error) {
	got, err := r.lookup(dest, image)
	r.calls = append(r.calls, linkCall{dest: dest, image: image, got: got.URL, err: errText(err)})
	return got, err
}

func (r *linkResolver) lookup(dest string, image bool) (markdown.Target, error) {
	p, suffix := dest, ""
	if i := strings.IndexAny(p, "?#"); i >= 0 {
		p, suffix = p[:i], p[i:]
	}
	if p == "" {
		return markdown.Target{URL: dest}, nil
	}
	if strings.Contains(p, `\`) {
		return markdown.Target{}, diag.Errorf("link %q uses \\; write paths with /", short(dest))
	}
	if u, err := url.PathUnescape(p); err == nil {
		p = u
	}
	target := path.Join(path.Dir(r.from), p)
	if !strings.HasPrefix(target, ContentDir+"/") {
		return markdown.Target{}, diag.Errorf("link %q leaves the content folder", short(dest))
	}
	if strings.HasSuffix(target, ".md") {
		slug, ok := r.slug(target)
		if !ok {
			return markdown.Target{}, diag.Errorf("link %q: there is no bulletin %s", short(dest), target)
		}
		// Every bulletin lives at /bulletins/<slug>/, so a sibling path
		// works wherever the site is mounted.
		return markdown.Target{URL: "../" + slug + "/" + suffix}, nil
	}
	err := checkFileName(target)
	if err == nil {
		err = r.checkPlace(target)
	}
	if err == nil {
		err = checkAttachmentType(target, image)
	}
	if err == nil {
		err = r.checkFile(target)
	}
	if err != nil {
		if image {
			return markdown.Target{}, diag.Errorf("image %q: %v", short(dest), err)
		}
		return markdown.Target{}, diag.Errorf("link %q: %v", short(dest), err)
	}
	name := r.attach(target, image)
	got := markdown.Target{URL: name + suffix}
	if original := path.Base(target); !image && name != original {
		got.Download = original
	}
	return got, nil
}

// SharedDir is the folder of attachments any bulletin may link, such as
// a form or a standard that several bureaus' bulletins cite.
const SharedDir = ContentDir + "/shared"

// checkPlace keeps a bulletin to its own files: those in its folder and
// below, or in SharedDir. Another bureau's folder, a draft folder and a
// hidden file are not its to publish. A bulletin directly in content/
// owns only the files beside it, as every folder there is someone's.
func (r *linkResolver) checkPlace(target string) error {
	if SetAside(target, false) {
		return diag.Errorf("%s is hidden or in a draft folder (names starting with . or _ are never published)", target)
	}
	own := path.Dir(r.from)
	switch {
	case strings.HasPrefix(target, SharedDir+"/"):
		return nil
	case own == ContentDir && path.Dir(target) == ContentDir:
		return nil
	case own != ContentDir && strings.HasPrefix(target, own+"/"):
		return nil
	}
	return diag.Errorf("%s is outside this bulletin's folder; put attachments in %s/ (or below it), or in %s/ when several bulletins share them", target, own, SharedDir)
}

// checkAttachmentType allows the documents and images offices publish.
// Anything a browser would run (HTML, script, SVG opened as a page) could
// act on the site's own origin, so it is refused; an SVG may only be shown
// through an image, where browsers run none of its script.
func checkAttachmentType(target string, image bool) error {
	ext := strings.ToLower(path.Ext(target))
	switch ext {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp":
		return nil
	case ".svg":
		if image {
			return nil
		}
		return diag.Errorf("an SVG file can only be shown as an image, ![说明](%s), not linked", path.Base(target))
	case ".pdf", ".ofd", ".doc", ".docx", ".wps", ".xls", ".xlsx", ".et", ".ppt", ".pptx", ".dps",
		".zip", ".rar", ".7z", ".txt", ".csv":
		if image {
			return diag.Errorf("a %s file is not an image; link it as [说明](%s)", ext, path.Base(target))
		}
		return nil
	}
	kind := &diag.Message{Format: "files of type %s", Args: []any{ext}}
	if ext == "" {
		kind = &diag.Message{Format: "files without an extension"}
	}
	return diag.Errorf("%s cannot be attachments; attach documents (pdf, ofd, doc, docx, wps, xls, xlsx, et, ppt, pptx, dps, zip, rar, 7z, txt, csv) or images (jpg, png, gif, webp, svg)", kind)
}

// checkFile makes sure target is a regular file reached without following
// a symbolic link, which could point outside the site.
func (r *linkResolver) checkFile(target string) error {
	parts := strings.Split(target, "/")
	for i := 2; i <= len(parts); i++ {
		info, err := fs.Lstat(r.fsys, strings.Join(parts[:i], "/"))
		if errors.Is(err, fs.ErrNotExist) {
			return diag.Errorf("%s does not exist", target)
		}
		if err != nil {
			return unwrapPathError(err)
		}
		if info.Mode()&fs.ModeSymlink != 0 {
			return diag.Errorf("%s is a symbolic link; attachments must be real files inside content/", strings.Join(parts[:i], "/"))
		}
		if i == len(parts) && !info.Mode().IsRegular() {
			return diag.Errorf("%s is not a file", target)
		}
	}
	return nil
}

// attach records target as an attachment and returns its published name:
// the file's own name when that is a safe ASCII name, else a stable one.
func (r *linkResolver) attach(target string, image bool) string {
	for i, a := range r.attachments {
		if a.Source == target {
			r.attachments[i].Image = a.Image && image
			return a.Name
		}
	}
	name := path.Base(target)
	ext := strings.ToLower(path.Ext(name))
	if !safeFileName(name) || !safeFileName("x"+ext) {
		ext = strings.Map(func(r rune) rune {
			if r < 0x80 {
				return r
			}
			return -1
		}, ext)
		name = "file-" + shortHash(target) + ext
	}
	for _, a := range r.attachments {
		if a.Name == name || name == "index.html" {
			name = "file-" + shortHash(target) + ext
		}
	}
	r.attachments = append(r.attachments, Attachment{Source: target, Name: name, Title: path.Base(target), Image: image})
	return name
}

func safeFileName(name string) bool {
	if name == "" || strings.HasPrefix(name, ".") || len(name) > 100 {
		return false
	}
	for _, c := range name {
		switch {
		case c >= 'a' && c <= 'z', c >= 'A' && c <= 'Z', c >= '0' && c <= '9', c == '-', c == '_', c == '.':
		default:
			return false
		}
	}
	return true
}

func short(s string) string {
	if r := []rune(s); len(r) > 80 {
		return string(r[:77]) + "..."
	}
	return s
}
