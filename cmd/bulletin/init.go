package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
	"strings"

	"bulletin/internal/diag"
	"bulletin/internal/scaffold"
	"bulletin/internal/site"
)

func runInit(ctx context.Context, e *env, args []string) error {
	fs := newFlags(e, "init", `bulletin init writes a new site into DIR (default: this folder), which must be new or
empty: a commented site.yaml with the registry of bureaus to fill in, a wording.yaml starter,
an empty content/ and a .gitignore for what bulletin builds beside the site. It then prints
the next three commands.

Each -bureau is a bureau of the registry; the n-th -region is the region of the n-th -bureau,
and a bureau without one gets the region its name begins with (青海省民政厅: 青海省). Slugs
for URLs are proposed from the regions (qinghai, qinghai-xining). -from-corpus reads the
bulletins of an existing collection and takes the bureaus, regions and categories they name.`,
		"  bulletin init qinghai-news -title 青海民政信息网 -bureau 青海省民政厅 -bureau 西宁市民政局 -region 青海省 -region 青海省西宁市\n"+
			"  bulletin init new-site -from-corpus ../old-site/content")
	title := fs.String("title", "", "the site's `name` (default 信息网)")
	baseURL := fs.String("base-url", "", "the site's `address`, such as https://mz.qinghai.gov.cn/ (default: a placeholder to replace)")
	var bureaus, regions multiFlag
	fs.Var(&bureaus, "bureau", "a bureau of the registry, by its full `name`; repeat for each")
	fs.Var(&regions, "region", "the `region` of the bureau given in the same place; repeat")
	corpus := fs.String("from-corpus", "", "a `folder` of existing bulletins to take bureaus and categories from")
	quiet := fs.Bool("q", false, "print only problems and the folder written")
	if err := parseFlags(fs, reorder(fs, args)); err != nil {
		return err
	}
	dir := "."
	switch fs.NArg() {
	case 0:
	case 1:
		dir = fs.Arg(0)
	default:
		e.printf("bulletin init: give one folder, e.g. bulletin init qinghai-news\n")
		return errUsage
	}
	if len(regions) > len(bureaus) {
		return diag.Errorf("%d -region for %d -bureau: give each -region after its -bureau", len(regions), len(bureaus))
	}
	var opt scaffold.Options
	opt.Title, opt.BaseURL = strings.TrimSpace(*title), strings.TrimSpace(*baseURL)
	for i, name := range bureaus {
		b := scaffold.Bureau{Name: strings.TrimSpace(name)}
		if i < len(regions) {
			b.Region = strings.TrimSpace(regions[i])
		} else {
			b.Region = site.RegionOfName(b.Name)
		}
		if b.Region == "" {
			return diag.Errorf("-bureau %s: give its -region; the name does not begin with one", name)
		}
		opt.Bureaus = append(opt.Bureaus, b)
	}
	if *corpus != "" {
		found, categories, warnings, err := scaffold.Corpus(ctx, *corpus)
		if err != nil {
			return err
		}
		for _, w := range warnings {
			w.Path = filepath.ToSlash(filepath.Join(*corpus, w.Path))
			fmt.Fprintln(e.stderr, w.Localize(e.p))
		}
		for _, b := range found {
			if !slices.ContainsFunc(opt.Bureaus, func(o scaffold.Bureau) bool { return o.Name == b.Name }) {
				opt.Bureaus = append(opt.Bureaus, b)
			}
		}
		opt.Categories = categories
		if !*quiet {
			e.printf("%s: %d bureaus and %d categories found in its bulletins\n", *corpus, len(found), len(categories))
		}
	}
	if err := scaffold.Write(dir, opt); err != nil {
		return err
	}
	if *quiet {
		fmt.Fprintln(e.stdout, dir)
		return nil
	}
	e.outf("wrote a new site in %s: %s\n", dir, diag.List(scaffold.Files))
	bureau := "单位全称"
	if len(opt.Bureaus) == 0 {
		e.outf("list the bureaus that report under bureaus: in site.yaml, then:\n")
	} else {
		bureau = opt.Bureaus[0].Name
		e.outf("check the registry in site.yaml and set base_url, then:\n")
	}
	if filepath.Clean(dir) != "." {
		fmt.Fprintf(e.stdout, "  cd %s\n", shellQuote(dir))
	}
	fmt.Fprintf(e.stdout, "  bulletin new -bureau %s \"第一篇信息的标题\"\n  bulletin serve\n", shellQuote(bureau))
	return nil
}

// shellQuote writes s so that a shell reads it as one word: as it is when
// it holds nothing a shell treats specially, else in double quotes, which
// cmd.exe, PowerShell and sh all read alike while s holds none of the
// characters they treat differently inside them; failing that, for sh, in
// single quotes.
func shellQuote(s string) string {
	if s != "" && !strings.ContainsAny(s, " \t\n'\"\\$`!#&|;<>()[]{}*?~^%,") {
		return s
	}
	if !strings.ContainsAny(s, "\"\\$`%!\n") {
		return `"` + s + `"`
	}
	return "'" + strings.ReplaceAll(s, "'", `'\''`) + "'"
}
