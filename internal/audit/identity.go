package audit

import (
	"io/fs"
	"maps"
	"regexp"
	"slices"
	"strings"

	"bulletin/internal/diag"
	"bulletin/internal/site"
)

var (
	siteCodeRE = regexp.MustCompile(`^[0-9A-Za-z]{10}$`)
	icpRE      = regexp.MustCompile(`^\p{Han}ICP备\d+号(-\d+)?$`)
	policeRE   = regexp.MustCompile(`公网安备\s*\d{14}号`)
)

// The meta tags monitoring tools read: on every page, and on a
// bulletin's page.
var (
	siteMeta     = []string{"SiteName", "SiteDomain", "SiteIDCode", "ColumnName"}
	bulletinMeta = []string{"ArticleTitle", "PubDate", "ContentSource"}
)

// identity: what an inspector looks for on every site: the footer's
// 网站标识码, ICP filing linked to the filing site, 公安 filing, 主办 and
// 承办 and contact; the meta tags on every page; a search; a site map.
func identity(s *site.Site, pages map[string]*page, out fs.FS, sources map[string]string, searchIndex bool) []*Check {
	f := s.Config.Footer
	footer := &Check{ID: "identity", Title: message("Site identity in the footer")}
	add := func(c *Check, path string, m *diag.Message) {
		c.Count++
		c.Findings = append(c.Findings, Finding{Path: path, Msg: m})
	}
	switch {
	case f.SiteCode == "":
		add(footer, "site.yaml", message("site_code is missing: the 政府网站标识码 every government site shows in its footer"))
	case !siteCodeRE.MatchString(f.SiteCode):
		add(footer, "site.yaml", message("site_code %q is not a 政府网站标识码, which has 10 letters and digits", f.SiteCode))
	}
	switch {
	case f.ICP == "":
		add(footer, "site.yaml", message("icp is missing: the ICP filing number (京ICP备12345678号)"))
	case !icpRE.MatchString(f.ICP):
		add(footer, "site.yaml", message("icp %q is not an ICP filing number such as 京ICP备12345678号-1", f.ICP))
	}
	switch {
	case f.PoliceFiling == "":
		add(footer, "site.yaml", message("police_filing is missing: the public security filing number (京公网安备 11010502000001号)"))
	case !policeRE.MatchString(f.PoliceFiling):
		add(footer, "site.yaml", message("police_filing %q is not a filing number such as 京公网安备 11010502000001号", f.PoliceFiling))
	}
	if f.Sponsor == "" {
		add(footer, "site.yaml", message("sponsor is missing: the office that runs the site (主办单位)"))
	}
	if f.Operator == "" {
		add(footer, "site.yaml", message("operator is missing: the unit that operates the site (承办单位)"))
	}
	if f.Contact == "" {
		add(footer, "site.yaml", message("contact is missing: how readers reach the site's editors"))
	}
	if home := pages["/"]; home == nil {
		add(footer, "", message("the built site has no home page"))
	} else {
		for _, v := range []string{f.SiteCode, f.ICP, f.PoliceFiling, f.Sponsor, f.Operator} {
			if v != "" && !strings.Contains(home.text, v) {
				add(footer, "", message("the home page's footer does not show %s", v))
			}
		}
		if f.ICP != "" && !linksTo(home, "beian.miit.gov.cn") {
			add(footer, "", message("the ICP filing number on the home page does not link to https://beian.miit.gov.cn/"))
		}
		if f.PoliceFiling != "" && !linksTo(home, "beian.mps.gov.cn") && !linksTo(home, "www.beian.gov.cn") {
			add(footer, "", message("the public security filing number on the home page does not link to its record at https://beian.mps.gov.cn/"))
		}
	}
	footer.Pass = footer.Count == 0
	footer.Summary = message("missing: %d", footer.Count)

	meta := &Check{ID: "meta", Title: message("Meta tags on every page")}
	missing := map[string][]string{}
	for _, u := range slices.Sorted(maps.Keys(pages)) {
		pg := pages[u]
		if pg.url == "/404.html" {
			continue // not a page of the site's columns
		}
		want := siteMeta
		if _, ok := sources[u]; ok {
			want = append(append([]string{}, siteMeta...), bulletinMeta...)
		}
		for _, name := range want {
			if strings.TrimSpace(pg.meta[name]) == "" {
				missing[name] = append(missing[name], u)
			}
		}
	}
	for _, name := range append(append([]string{}, siteMeta...), bulletinMeta...) {
		if us := missing[name]; len(us) > 0 {
			meta.Count += len(us)
			meta.Findings = append(meta.Findings, Finding{Page: us[0], Msg: message("%s is missing here and on other pages (%d in all)", name, len(us))})
		}
	}
	meta.Pass = meta.Count == 0
	meta.Summary = message("pages checked: %d; tags missing: %d", len(pages), meta.Count)

	tools := &Check{ID: "search-sitemap", Title: message("Search and site map")}
	if home := pages["/"]; home != nil && !home.searchForm {
		add(tools, "", message("the home page has no search box"))
	}
	if !searchIndex {
		tools.Findings = append(tools.Findings, Finding{Warn: true, Msg: message("no search index has been built yet: bulletin build makes it, and the search service (bulletin serve, behind nginx) answers /search with it")})
	}
	if info, err := fs.Stat(out, "sitemap.xml"); err != nil || info.Size() == 0 {
		add(tools, "", message("the built site has no sitemap.xml"))
	}
	tools.Pass = tools.Count == 0
	tools.Summary = message("missing: %d", tools.Count)
	return []*Check{footer, meta, tools}
}

func linksTo(pg *page, host string) bool {
	for _, l := range pg.links {
		if strings.Contains(l.href, "://"+host) {
			return true
		}
	}
	return false
}
