package main

import (
	"bufio"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"time"

	"bulletin/internal/diag"
	"bulletin/internal/site"
	"bulletin/internal/yamlnode"
)

var slugRE = regexp.MustCompile(`^[a-z0-9]+(?:[-_][a-z0-9]+)*$`)

func runNew(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "new", `bulletin new writes a bulletin skeleton with its front matter filled in, at
content/<bureau slug>/<year>/<slug>.md, and prints its path. It never overwrites a file.
Without -date it asks for the date at a terminal (elsewhere it takes now): the day names the
file, its year's folder and so its URL, which check then keeps in step with the date.`,
		"  bulletin new -bureau 青海省民政厅 -category 社会救助 \"全省冬春救助工作启动\"\n  bulletin new -s sites/qinghai -bureau 西宁市民政局 -slug elderly-canteen \"西宁市老年助餐点投入使用\"")
	var sf siteFlags
	sf.registerSite(fs)
	bureau := fs.String("bureau", "", "submitting bureau, as listed in site.yaml (required)")
	category := fs.String("category", "", "category, as listed in site.yaml")
	slug := fs.String("slug", "", "URL `slug` (lowercase ASCII); default: date and a number")
	date := fs.String("date", "", "publication `date` (YYYY-MM-DD or YYYY-MM-DD HH:MM); default: now")
	if err := parseFlags(fs, reorder(fs, args)); err != nil {
		return err
	}
	title := strings.TrimSpace(strings.Join(fs.Args(), " "))
	if title == "" || *bureau == "" {
		e.printf("bulletin new: give -bureau and a title, e.g. bulletin new -bureau 青海省民政厅 \"全省冬春救助工作启动\"\n")
		return errUsage
	}
	if *slug != "" && !slugRE.MatchString(*slug) {
		return diag.Errorf("-slug %q must be lowercase ASCII letters, digits and dashes", *slug)
	}
	cfg, err := site.ReadConfig(os.DirFS(sf.dir))
	if err != nil {
		return problemsExit(e, sf.dir, err)
	}
	b, ok := cfg.Bureau(*bureau)
	if !ok && len(cfg.Bureaus) > 0 {
		return diag.Errorf("bureau %q is not listed in site.yaml%s", *bureau, diag.Choices(*bureau, bureauNames(cfg), "site.yaml lists"))
	}
	if *category != "" && len(cfg.Categories) > 0 && !cfg.HasCategory(*category) {
		return diag.Errorf("category %q is not listed in site.yaml%s", *category, diag.Choices(*category, categoryNames(cfg), "site.yaml lists"))
	}
	when := time.Now().In(cfg.Location)
	if *date == "" && e.stdin != nil {
		// The day names the file and its year's folder, and so the URL:
		// asked now, it is right from the start. A mistyped day is asked
		// again, twice.
		in := bufio.NewReader(io.LimitReader(e.stdin, 1000))
		for try := 1; ; try++ {
			e.printf("date of the bulletin (YYYY-MM-DD or YYYY-MM-DD HH:MM; Enter for now, %s): ", when.Format("2006-01-02 15:04"))
			line, readErr := in.ReadString('\n')
			answer := strings.TrimSpace(line)
			if answer == "" {
				break
			}
			t, err := parseNow(answer, cfg.Location)
			if err == nil {
				when = t.In(cfg.Location)
				break
			}
			if readErr != nil || try == 3 {
				return diag.Errorf("%q is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM", answer)
			}
			e.printf("%q is not a date: use YYYY-MM-DD or YYYY-MM-DD HH:MM\n", answer)
		}
	} else if *date != "" {
		t, err := parseNow(*date, cfg.Location)
		if err != nil {
			return diag.Errorf("-date %q: use YYYY-MM-DD or YYYY-MM-DD HH:MM", *date)
		}
		when = t.In(cfg.Location)
	}
	folder := b.Slug
	if folder == "" {
		folder = "bulletins"
	}
	rel := filepath.Join(site.ContentDir, folder, when.Format("2006"))
	if err := os.MkdirAll(filepath.Join(sf.dir, rel), 0o755); err != nil {
		return err
	}
	// A bulletin's URL is its file's name, whatever its folder: the name
	// must be new to the whole site, not only to the bureau's folder.
	taken, err := bulletinNames(sf.dir)
	if err != nil {
		return err
	}
	var path string
	for n := 1; ; n++ {
		name := *slug
		if name == "" {
			name = fmt.Sprintf("%s-%d", when.Format("20060102"), n)
			if taken[name] != "" {
				continue
			}
		} else if other := taken[name]; other != "" || n > 1 {
			if other == "" {
				other = filepath.Join(sf.dir, rel, name+".md")
			}
			return diag.Errorf("%s is the name of %s already, and a name makes the URL /bulletins/%s/; choose another -slug", name, other, name)
		}
		path = filepath.Join(sf.dir, rel, name+".md")
		f, err := os.OpenFile(path, os.O_WRONLY|os.O_CREATE|os.O_EXCL, 0o644)
		if errors.Is(err, os.ErrExist) {
			continue
		}
		if err != nil {
			return err
		}
		_, werr := f.WriteString(skeleton(title, when, *bureau, *category))
		if err := f.Close(); werr == nil {
			werr = err
		}
		if werr != nil {
			os.Remove(path)
			return werr
		}
		break
	}
	fmt.Fprintln(e.stdout, path)
	return nil
}

// reorder moves flags before the other arguments, so that both
// new "标题" -bureau X and new -bureau X "标题" work. A flag takes the
// next argument as its value unless it is a yes/no flag of fs (-q, -n) or
// is written -flag=value.
func reorder(fs *flag.FlagSet, args []string) []string {
	var flags, rest []string
	for i := 0; i < len(args); i++ {
		a := args[i]
		switch {
		case a == "--":
			rest = append(rest, args[i+1:]...)
			i = len(args)
		case strings.HasPrefix(a, "-") && len(a) > 1:
			flags = append(flags, a)
			if !strings.Contains(a, "=") && takesValue(fs, strings.TrimLeft(a, "-")) && i+1 < len(args) {
				flags = append(flags, args[i+1])
				i++
			}
		default:
			rest = append(rest, a)
		}
	}
	return append(flags, rest...)
}

// takesValue reports whether the flag name of fs needs a value: not a
// yes/no flag, and not help.
func takesValue(fs *flag.FlagSet, name string) bool {
	if name == "h" || name == "help" {
		return false
	}
	f := fs.Lookup(name)
	if f == nil {
		return true // unknown: parsing reports it
	}
	b, ok := f.Value.(interface{ IsBoolFlag() bool })
	return !ok || !b.IsBoolFlag()
}

func bureauNames(cfg *site.Config) []string {
	names := make([]string, len(cfg.Bureaus))
	for i, b := range cfg.Bureaus {
		names[i] = b.Name
	}
	return names
}

func skeleton(title string, when time.Time, bureau, category string) string {
	var b strings.Builder
	fmt.Fprintf(&b, "---\ntitle: %s\ndate: %s\nbureau: %s\n", yamlnode.Inline(title), when.Format("2006-01-02 15:04"), yamlnode.Inline(bureau))
	if category != "" {
		fmt.Fprintf(&b, "category: %s\n", yamlnode.Inline(category))
	} else {
		b.WriteString("# category: 工作动态\n")
	}
	b.WriteString(`tags: []
# summary: 一两句话的摘要；不写则取正文开头
# 以下为内部报送信息，不在网站上显示
signer: ""
author: ""
contact: ""
urgency: 一般
draft: true
---

`)
	b.WriteString(site.Placeholder + "\n\n")
	fmt.Fprintf(&b, "（据%s）\n", bureau)
	return b.String()
}

// bulletinNames maps the names of the site's bulletin files (without
// .md), as site.IsBulletin counts them, to a path that has each.
func bulletinNames(siteDir string) (map[string]string, error) {
	names := map[string]string{}
	content := filepath.Join(siteDir, site.ContentDir)
	err := filepath.WalkDir(content, func(p string, d fs.DirEntry, err error) error {
		if errors.Is(err, fs.ErrNotExist) && p == content {
			return filepath.SkipDir
		}
		if err != nil {
			return err
		}
		rel, _ := filepath.Rel(siteDir, p)
		if rel = filepath.ToSlash(rel); d.IsDir() && rel != site.ContentDir && site.SetAside(rel, true) {
			return filepath.SkipDir
		}
		if !d.IsDir() && site.IsBulletin(rel) {
			name := strings.TrimSuffix(d.Name(), ".md")
			if names[name] == "" {
				names[name] = p
			}
		}
		return nil
	})
	return names, err
}
