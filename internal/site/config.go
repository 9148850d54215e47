package site

import (
	"io/fs"
	"regexp"
	"strings"
	"time"
	"unicode/utf8"

	"go.yaml.in/yaml/v3"

	"bulletin/internal/diag"
	"bulletin/internal/yamlnode"
)

// Config is site.yaml, checked and with defaults filled in.
type Config struct {
	Title string
	// Description says in a line what the site publishes, for the home
	// page's description; "" leaves the wording to the theme.
	Description string
	Base        Base   // base_url; zero when site.yaml has none or a bad one
	Language    string // default zh-CN
	Timezone    string // default Asia/Shanghai
	Location    *time.Location
	Paginate    int // bulletins per listing page, default 20

	Bureaus    []Bureau   // in the order of site.yaml, which is also the display order
	Categories []Category // likewise
	Regions    []Region   // the regions bureaus name, in order of first mention

	Footer    Footer
	Feeds     FeedSettings
	Digest    DigestSettings
	Limits    Limits
	Reporting ReportingSettings
	Audit     AuditSettings

	// Hash identifies the content of site.yaml, so that later stages can
	// tell that the configuration changed between two loads. (Digest is
	// taken: it is the digest: section.)
	Hash string
}

// Bureau is one submitting office of the registry in site.yaml.
type Bureau struct {
	Name   string // 青海省民政厅
	Region string // 青海省
	Slug   string // ASCII, used in URLs
	Level  int    // 0 province, 1 city, 2 county (as the registry says)
	Code   string // administrative division code, when given
	Line   int    // in site.yaml
}

// Category is a listed category with its URL slug and how often it must
// be updated.
type Category struct {
	Name string
	Slug string
	// Update is the column's cadence: site.yaml's update:, or by its name
	// (DefaultCadence); Kind is news, notice or other by the name, timed
	// when update: sets a cadence under a year, for the inspection's
	// counts.
	Update Cadence
	Kind   string
	Line   int // in site.yaml
}

// Region is a region named by the registry, with its URL slug.
type Region struct {
	Name string
	Slug string
}

// Footer holds what government sites must show at the bottom of every page.
type Footer struct {
	Sponsor      string // 主办
	Operator     string // 承办
	SiteCode     string // 政府网站标识码
	ICP          string // ICP备案号
	PoliceFiling string // 公网安备
	Contact      string
}

// PoliceCode is the number of the public security filing (the 14 digits
// of 青公网安备 63010000000000号), which the filing's site looks up; "" when
// PoliceFiling holds none.
func (f Footer) PoliceCode() string {
	var digits []rune
	for _, r := range f.PoliceFiling {
		if r >= '0' && r <= '9' {
			digits = append(digits, r)
		}
	}
	if len(digits) < 10 {
		return ""
	}
	return string(digits)
}

// FeedSettings is the feeds: section of site.yaml.
type FeedSettings struct {
	Limit        int    // items in the site-wide feeds, default 50
	ListingLimit int    // items in each listing's feeds, default 20
	Content      string // "full" (default) or "summary"
}

// Limits is the limits: section of site.yaml: how much one bulletin may
// carry. Each tag is a listing page with three feeds, and titles and
// summaries are repeated on every listing, so without limits one file
// could multiply the site's output (20,000 tags once wrote 37 GB).
type Limits struct {
	Tags          int // tags per bulletin, default 10
	TagLength     int // characters per tag, default 20
	TitleLength   int // characters in a title, default 100
	SummaryLength int // characters in a summary, default 300
}

// defaultLimits are far above what bulletins carry: five tags of four
// characters, a title of twenty to forty, a summary of a hundred or so.
func defaultLimits() Limits {
	return Limits{Tags: 10, TagLength: 20, TitleLength: 100, SummaryLength: 300}
}

// maxSlugLength keeps every path the build makes (a slug, then a page
// number or a feed's name) far below the 255 bytes file systems allow.
const maxSlugLength = 80

// DigestSettings is the digest: section of site.yaml, the fixed parts of
// the briefing (简报) masthead and closing block.
type DigestSettings struct {
	Title     string // 民政工作简报
	Publisher string // 编印单位
	Marking   string // 内部资料 注意保存
	// Publish says whether builds publish the issues at /digests/
	// (publish: false keeps a briefing for internal circulation off the
	// site); true unless site.yaml says otherwise.
	Publish bool
	Report  []string // 报: superior bodies
	Send    []string // 送: peer bodies
	Issue   []string // 发: subordinate bodies
	Copies  int      // 印数
	// Lines and Chars are the printed page's grid: lines to a page and
	// characters to a line of the text block, 22 and 28 after GB/T 9704.
	Lines, Chars int
}

// The page grid a digest may ask for: the body stays 三号 (16 pt), so
// fewer characters to the line widen the spacing and more close it up,
// and the lines stay far enough apart to read.
const (
	DefaultLines, MinLines, MaxLines = 22, 18, 26
	DefaultChars, MinChars, MaxChars = 28, 24, 30
)

// Names are the names site.yaml gives that a headline may hold: each
// bureau's name and the place it starts with (西宁市 of 西宁市民政局), the
// regions and the categories, for wordbreak to keep whole.
func (c *Config) Names() []string {
	var out []string
	for _, b := range c.Bureaus {
		out = append(out, b.Name, b.Region)
		if i := strings.LastIndexAny(b.Name, "省市区县州旗盟"); i > 0 {
			_, size := utf8.DecodeRuneInString(b.Name[i:])
			out = append(out, b.Name[:i+size])
		}
	}
	for _, r := range c.Regions {
		out = append(out, r.Name)
	}
	for _, cat := range c.Categories {
		out = append(out, cat.Name)
	}
	return out
}

// Bureau returns the registry entry named name.
func (c *Config) Bureau(name string) (Bureau, bool) {
	for _, b := range c.Bureaus {
		if b.Name == name {
			return b, true
		}
	}
	return Bureau{}, false
}

var configKeys = []string{
	"title", "description", "base_url", "language", "timezone", "paginate",
	"bureaus", "categories", "regions", "feeds", "digest",
	"sponsor", "operator", "site_code", "icp", "police_filing", "contact", "limits",
	"reporting", "audit",
}

var (
	asciiSlugRE = regexp.MustCompile(`^[a-z0-9]+(?:[-_][a-z0-9]+)*$`)
	langRE      = regexp.MustCompile(`^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{2,8})*$`)
)

// parseConfig reads site.yaml and reports every problem. It returns a
// config with defaults where site.yaml is wrong, so that bulletins can
// still be checked against the parts that are right, or nil when
// site.yaml is not YAML at all and no part of it can be trusted.
func parseConfig(src []byte, sink *diag.Sink) *Config {
	c := defaultConfig()
	c.Hash = fileHash(src)
	root, ok := yamlnode.Mapping(src, 1, sink)
	if !ok {
		return nil
	}
	var regionSlugs []Region
	baseURL, baseLine, tzLine := "", 1, 1
	yamlnode.Pairs(root, configKeys, "", diag.Error, sink, func(key string, v *yaml.Node) {
		switch key {
		case "title":
			c.Title, _ = yamlnode.Scalar(key, v, sink)
		case "description":
			c.Description, _ = yamlnode.Scalar(key, v, sink)
		case "base_url":
			baseURL, _ = yamlnode.Scalar(key, v, sink)
			baseLine = v.Line
		case "language":
			c.Language, _ = yamlnode.Scalar(key, v, sink)
			if !langRE.MatchString(c.Language) {
				sink.Errorf(v.Line, "language %q is not a language tag such as zh-CN", c.Language)
			}
		case "timezone":
			c.Timezone, _ = yamlnode.Scalar(key, v, sink)
			tzLine = v.Line
		case "paginate":
			if n, ok := yamlnode.Int(key, v, sink); ok {
				if n < 1 || n > 1000 {
					sink.Errorf(v.Line, "paginate must be between 1 and 1000, not %d", n)
				} else {
					c.Paginate = n
				}
			}
		case "bureaus":
			c.Bureaus = parseBureaus(v, sink)
		case "categories":
			c.Categories = parseCategories(v, sink)
		case "regions":
			regionSlugs = parseRegions(v, sink)
		case "feeds":
			parseFeeds(v, &c.Feeds, sink)
		case "digest":
			parseDigest(v, &c.Digest, sink)
		case "limits":
			parseLimits(v, &c.Limits, sink)
		case "reporting":
			parseReporting(v, &c.Reporting, sink)
		case "audit":
			parseAudit(v, &c.Audit, sink)
		case "sponsor":
			c.Footer.Sponsor, _ = yamlnode.Scalar(key, v, sink)
		case "operator":
			c.Footer.Operator, _ = yamlnode.Scalar(key, v, sink)
		case "site_code":
			c.Footer.SiteCode, _ = yamlnode.Scalar(key, v, sink)
		case "icp":
			c.Footer.ICP, _ = yamlnode.Scalar(key, v, sink)
		case "police_filing":
			c.Footer.PoliceFiling, _ = yamlnode.Scalar(key, v, sink)
		case "contact":
			c.Footer.Contact, _ = yamlnode.Scalar(key, v, sink)
		}
	})
	if c.Title == "" {
		sink.Errorf(1, "title is missing: the site's name, shown on every page")
	}
	c.Base = checkBaseURL(baseURL, baseLine, sink)
	loc, err := time.LoadLocation(c.Timezone)
	if err != nil {
		sink.Errorf(tzLine, "timezone %q is not a known time zone such as Asia/Shanghai", c.Timezone)
		loc = defaultLocation()
	}
	c.Location = loc
	c.Regions = regionsOf(c.Bureaus, regionSlugs, sink)
	return c
}

// defaultConfig is what site.yaml does not set.
func defaultConfig() *Config {
	return &Config{Language: "zh-CN", Timezone: "Asia/Shanghai", Location: defaultLocation(), Paginate: 20,
		Feeds: FeedSettings{Limit: 50, ListingLimit: 20, Content: "full"}, Digest: DigestSettings{Publish: true, Lines: DefaultLines, Chars: DefaultChars},
		Limits: defaultLimits(), Reporting: defaultReporting(), Audit: AuditSettings{BureauUpdate: Cadence{N: 1, Unit: 'm'}}}
}

// defaultLocation is China Standard Time, from the zone database when the
// system has one.
func defaultLocation() *time.Location {
	if loc, err := time.LoadLocation("Asia/Shanghai"); err == nil {
		return loc
	}
	return time.FixedZone("CST", 8*3600)
}

func checkBaseURL(s string, line int, sink *diag.Sink) Base {
	if s == "" {
		sink.Errorf(line, "base_url is missing: the address the site is published at, such as https://news.example.gov.cn/")
		return Base{}
	}
	b, err := ParseBase(s)
	if err != nil {
		sink.Errorf(line, "%v", err)
	}
	return b
}

func parseBureaus(v *yaml.Node, sink *diag.Sink) []Bureau {
	if v.Kind != yaml.SequenceNode {
		sink.Errorf(v.Line, "bureaus must be a list of {name, region, slug}, not %s", yamlnode.Kind(v))
		return nil
	}
	var out []Bureau
	names, slugs := map[string]int{}, map[string]int{}
	for _, item := range v.Content {
		item = yamlnode.Deref(item)
		if item.Kind != yaml.MappingNode {
			sink.Errorf(item.Line, "each bureau must be a mapping with name, region and slug, not %s", yamlnode.Kind(item))
			continue
		}
		b := Bureau{Line: item.Line}
		yamlnode.Pairs(item, []string{"name", "region", "slug", "level", "code"}, "bureau ", diag.Error, sink, func(key string, v *yaml.Node) {
			switch key {
			case "name":
				b.Name, _ = yamlnode.Scalar(key, v, sink)
			case "region":
				b.Region, _ = yamlnode.Scalar(key, v, sink)
			case "slug":
				b.Slug, _ = yamlnode.Scalar(key, v, sink)
			case "level":
				b.Level, _ = yamlnode.Int(key, v, sink)
			case "code":
				b.Code, _ = yamlnode.Scalar(key, v, sink)
			}
		})
		line := item.Line
		switch {
		case b.Name == "":
			sink.Errorf(line, "bureau has no name")
			continue
		case b.Region == "":
			sink.Errorf(line, "bureau %s has no region", b.Name)
		case !asciiSlugRE.MatchString(b.Slug):
			sink.Errorf(line, "bureau %s: slug %q must be lowercase ASCII letters, digits and dashes, such as qinghai-xining", b.Name, short(b.Slug))
		case len(b.Slug) > maxSlugLength:
			sink.Errorf(line, "bureau %s: slug is %d characters long; at most %d", b.Name, len(b.Slug), maxSlugLength)
		}
		if first, dup := names[b.Name]; dup {
			sink.Errorf(line, "bureau %s is listed twice (first on line %d)", b.Name, first)
			continue
		}
		if first, dup := slugs[b.Slug]; dup && b.Slug != "" {
			sink.Errorf(line, "bureau slug %q is used twice (first on line %d)", b.Slug, first)
			continue
		}
		names[b.Name], slugs[b.Slug] = line, line
		out = append(out, b)
	}
	return out
}

// parseCategories accepts names (社会救助) or {name, slug, update}
// mappings.
func parseCategories(v *yaml.Node, sink *diag.Sink) []Category {
	var out []Category
	for _, e := range namedEntries("categories", v, sink) {
		if e.Slug == "" {
			e.Slug = termSlug(e.Name)
		}
		c := Category{Name: e.Name, Slug: e.Slug, Line: e.line}
		c.Update, c.Kind = DefaultCadence(e.Name)
		if e.Update != "" {
			u, ok := ParseCadence(e.Update)
			if !ok {
				sink.Errorf(e.updateLine, "%s: update %q is not a cadence: write 2w, 6m, 1y, 30d or none", e.Name, e.Update)
			} else {
				c.Update = u
				if !u.None() && u.Unit != 'y' {
					c.Kind = ColumnTimed
				}
			}
		}
		out = append(out, c)
	}
	return out
}

func parseRegions(v *yaml.Node, sink *diag.Sink) []Region {
	var out []Region
	for _, e := range namedEntries("regions", v, sink) {
		if e.Slug == "" {
			sink.Errorf(e.line, "region %s needs a slug", e.Name)
			continue
		}
		out = append(out, Region{Name: e.Name, Slug: e.Slug})
	}
	return out
}

type namedEntry struct {
	Name, Slug string
	line       int
	Update     string // categories only
	updateLine int
}

func namedEntries(key string, v *yaml.Node, sink *diag.Sink) []namedEntry {
	if v.Kind != yaml.SequenceNode {
		sink.Errorf(v.Line, "%s must be a list, not %s", key, yamlnode.Kind(v))
		return nil
	}
	var out []namedEntry
	seen := map[string]int{}
	for _, item := range v.Content {
		item = yamlnode.Deref(item)
		e := namedEntry{line: item.Line}
		switch item.Kind {
		case yaml.ScalarNode:
			e.Name = strings.TrimSpace(item.Value)
		case yaml.MappingNode:
			keys := []string{"name", "slug"}
			if key == "categories" {
				keys = append(keys, "update")
			}
			yamlnode.Pairs(item, keys, key+" ", diag.Error, sink, func(k string, v *yaml.Node) {
				switch k {
				case "name":
					e.Name, _ = yamlnode.Scalar(k, v, sink)
				case "slug":
					e.Slug, _ = yamlnode.Scalar(k, v, sink)
				default:
					e.Update, _ = yamlnode.Scalar(k, v, sink)
					e.updateLine = v.Line
				}
			})
		default:
			sink.Errorf(item.Line, "each of %s must be a name or {name, slug}, not %s", key, yamlnode.Kind(item))
			continue
		}
		if e.Name == "" {
			sink.Errorf(item.Line, "%s entry has no name", key)
			continue
		}
		if e.Slug != "" && !asciiSlugRE.MatchString(e.Slug) {
			sink.Errorf(item.Line, "%s: slug %q must be lowercase ASCII letters, digits and dashes", e.Name, short(e.Slug))
			continue
		}
		if len(e.Slug) > maxSlugLength {
			sink.Errorf(item.Line, "%s: slug is %d characters long; at most %d", e.Name, len(e.Slug), maxSlugLength)
			continue
		}
		if first, dup := seen[e.Name]; dup {
			sink.Errorf(item.Line, "%s %s is listed twice (first on line %d)", key, e.Name, first)
			continue
		}
		seen[e.Name] = item.Line
		out = append(out, e)
	}
	return out
}

func parseLimits(v *yaml.Node, lim *Limits, sink *diag.Sink) {
	if v.Kind != yaml.MappingNode {
		sink.Errorf(v.Line, "limits must be a mapping with tags, tag_length, title_length and summary_length, not %s", yamlnode.Kind(v))
		return
	}
	fields := map[string]*int{"tags": &lim.Tags, "tag_length": &lim.TagLength,
		"title_length": &lim.TitleLength, "summary_length": &lim.SummaryLength}
	yamlnode.Pairs(v, []string{"tags", "tag_length", "title_length", "summary_length"}, "limits.", diag.Error, sink, func(key string, v *yaml.Node) {
		n, ok := yamlnode.Int("limits."+key, v, sink)
		if !ok {
			return
		}
		// The upper bounds keep the limits meaningful: above them one
		// bulletin could again write thousands of files.
		high := 1000
		if key == "tags" {
			high = 100
		}
		if n < 1 || n > high {
			sink.Errorf(v.Line, "limits.%s must be between 1 and %d, not %d", key, high, n)
			return
		}
		*fields[key] = n
	})
}

func parseFeeds(v *yaml.Node, f *FeedSettings, sink *diag.Sink) {
	if v.Kind != yaml.MappingNode {
		sink.Errorf(v.Line, "feeds must be a mapping with limit, listing_limit and content, not %s", yamlnode.Kind(v))
		return
	}
	yamlnode.Pairs(v, []string{"limit", "listing_limit", "content"}, "feeds.", diag.Error, sink, func(key string, v *yaml.Node) {
		switch key {
		case "limit", "listing_limit":
			n, ok := yamlnode.Int("feeds."+key, v, sink)
			if !ok {
				return
			}
			if n < 1 || n > 10000 {
				sink.Errorf(v.Line, "feeds.%s must be between 1 and 10000, not %d", key, n)
				return
			}
			if key == "limit" {
				f.Limit = n
			} else {
				f.ListingLimit = n
			}
		case "content":
			s, _ := yamlnode.Scalar("feeds.content", v, sink)
			if s != "full" && s != "summary" {
				sink.Errorf(v.Line, "feeds.content must be full or summary, not %q", s)
				return
			}
			f.Content = s
		}
	})
}

func parseDigest(v *yaml.Node, d *DigestSettings, sink *diag.Sink) {
	if v.Kind != yaml.MappingNode {
		sink.Errorf(v.Line, "digest must be a mapping with title, publisher, marking, publish, distribution and copies, not %s", yamlnode.Kind(v))
		return
	}
	markingLine := 0
	yamlnode.Pairs(v, []string{"title", "publisher", "marking", "publish", "distribution", "copies", "lines", "chars"}, "digest.", diag.Error, sink, func(key string, v *yaml.Node) {
		switch key {
		case "lines":
			if n, ok := yamlnode.Int("digest.lines", v, sink); ok {
				if n < MinLines || n > MaxLines {
					sink.Errorf(v.Line, "digest.lines is %d; a printed page holds %d to %d lines of 三号 text (GB/T 9704: 22)", n, MinLines, MaxLines)
				} else {
					d.Lines = n
				}
			}
		case "chars":
			if n, ok := yamlnode.Int("digest.chars", v, sink); ok {
				if n < MinChars || n > MaxChars {
					sink.Errorf(v.Line, "digest.chars is %d; a line of 三号 text holds %d to %d characters (GB/T 9704: 28)", n, MinChars, MaxChars)
				} else {
					d.Chars = n
				}
			}
		case "publish":
			d.Publish = yamlnode.Bool("digest.publish", v, sink)
		case "title":
			d.Title, _ = yamlnode.Scalar("digest.title", v, sink)
		case "publisher":
			d.Publisher, _ = yamlnode.Scalar("digest.publisher", v, sink)
		case "marking":
			d.Marking, _ = yamlnode.Scalar("digest.marking", v, sink)
			markingLine = v.Line
		case "copies":
			d.Copies, _ = yamlnode.Int("digest.copies", v, sink)
		case "distribution":
			if v.Kind != yaml.MappingNode {
				sink.Errorf(v.Line, "digest.distribution must be a mapping with report, send and issue lists")
				return
			}
			yamlnode.Pairs(v, []string{"report", "send", "issue"}, "digest.distribution.", diag.Error, sink, func(key string, v *yaml.Node) {
				list := yamlnode.StringList("digest.distribution."+key, v, sink)
				switch key {
				case "report":
					d.Report = list
				case "send":
					d.Send = list
				case "issue":
					d.Issue = list
				}
			})
		}
	})
	// A briefing marked for internal circulation must not go out with
	// the public site by default: inspections count that as a leak.
	if d.Marking != "" && d.Publish {
		sink.Warnf(markingLine, "digest.marking %q marks the issues as internal, yet every build publishes them at /digests/; add publish: false to keep them off the site, or remove the marking", d.Marking)
	}
}

// regionsOf lists the regions of the registry in order of first mention,
// with slugs from site.yaml's regions:, else the standard romanisation of a
// provincial-level name, else pinyin.
func regionsOf(bureaus []Bureau, given []Region, sink *diag.Sink) []Region {
	var out []Region
	seen := map[string]bool{}
	slugOwner := map[string]string{}
	for _, b := range bureaus {
		if b.Region == "" || seen[b.Region] {
			continue
		}
		seen[b.Region] = true
		r := Region{Name: b.Region}
		for _, g := range given {
			if g.Name == b.Region {
				r.Slug = g.Slug
			}
		}
		if r.Slug == "" {
			r.Slug = regionSlug(b.Region)
		}
		if other, dup := slugOwner[r.Slug]; dup {
			sink.Errorf(0, "regions %s and %s would share the URL slug %q; give one a slug under regions:", other, r.Name, r.Slug)
		}
		slugOwner[r.Slug] = r.Name
		out = append(out, r)
	}
	for _, g := range given {
		if !seen[g.Name] {
			sink.Warnf(0, "region %s under regions: is not the region of any bureau", g.Name)
		}
	}
	return out
}

// HasCategory reports whether name is a listed category.
func (c *Config) HasCategory(name string) bool {
	for _, cat := range c.Categories {
		if cat.Name == name {
			return true
		}
	}
	return false
}

// ReadConfig reads and checks site.yaml alone, for commands that need the
// registry but not the bulletins.
func ReadConfig(fsys fs.FS) (*Config, error) {
	sink := &diag.Sink{Path: "site.yaml"}
	src, err := fs.ReadFile(fsys, "site.yaml")
	if err != nil {
		return nil, err
	}
	cfg := parseConfig(src, sink)
	if sink.Failed() {
		diag.Sort(sink.Problems) // top to bottom, as check lists them
		return nil, sink.Problems
	}
	return cfg, nil
}
