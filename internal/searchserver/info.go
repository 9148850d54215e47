package searchserver

import (
	"encoding/json"
	"io"
	"os"
	"time"

	"bulletin/indexer"
	"bulletin/internal/build"
	"bulletin/internal/diag"
	"bulletin/internal/site"
)

// infoVersion is raised when info changes in a way older servers would
// read wrong.
const infoVersion = 1

// info is what a generation stores of the site for the search page: the
// parts of site.yaml the theme shows, the listings of the navigation,
// the sections publishers write, and the site's feeds.
type info struct {
	Version     int              `json:"version"`
	Title       string           `json:"title"`
	Description string           `json:"description,omitempty"`
	BaseURL     string           `json:"base_url,omitempty"`
	Language    string           `json:"language"`
	Timezone    string           `json:"timezone"`
	Paginate    int              `json:"paginate"`
	Bureaus     []site.Bureau    `json:"bureaus,omitempty"`
	Categories  []namedSlug      `json:"categories,omitempty"`
	Regions     []namedSlug      `json:"regions,omitempty"`
	Footer      site.Footer      `json:"footer"`
	Taxonomies  []taxonomy       `json:"taxonomies"`
	Sections    []section        `json:"sections,omitempty"`
	Feeds       []build.FeedLink `json:"feeds,omitempty"`
	// FeedSettings are feeds.limit and feeds.content, for topic feeds.
	FeedSettings site.FeedSettings `json:"feed_settings"`
}

type namedSlug struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
}

type taxonomy struct {
	Kind  string `json:"kind"`
	Title string `json:"title"`
	URL   string `json:"url"`
	Terms []term `json:"terms,omitempty"`
}

type term struct {
	Name string `json:"name"`
	Slug string `json:"slug"`
	URL  string `json:"url"`
}

type section struct {
	Title string `json:"title"`
	URL   string `json:"url"`
	Count int    `json:"count"`
}

// Describe returns what the index stores of s for the search page, with
// the sections that sections (when not nil) names: pass it to the index
// as indexer.Options.SiteInfo.
func Describe(sections func(*site.Site) ([]build.Section, error)) func(*site.Site) ([]byte, error) {
	return func(s *site.Site) ([]byte, error) {
		c := s.Config
		in := info{Version: infoVersion, Title: c.Title, Description: c.Description, Language: c.Language,
			Timezone: c.Timezone, Paginate: c.Paginate, Bureaus: c.Bureaus, Footer: c.Footer,
			Feeds: build.FeedLinks(s, nil), FeedSettings: c.Feeds}
		if !c.Base.IsZero() {
			in.BaseURL = c.Base.String()
		}
		if c.Location != nil {
			in.Timezone = c.Location.String()
		}
		for _, cat := range c.Categories {
			in.Categories = append(in.Categories, namedSlug{cat.Name, cat.Slug})
		}
		for _, r := range c.Regions {
			in.Regions = append(in.Regions, namedSlug{r.Name, r.Slug})
		}
		for _, t := range s.Taxonomies() {
			if t == nil {
				continue
			}
			tx := taxonomy{Kind: t.Kind, Title: t.Title, URL: t.URL}
			for _, tm := range t.Terms {
				tx.Terms = append(tx.Terms, term{tm.Name, tm.Slug, tm.URL})
			}
			in.Taxonomies = append(in.Taxonomies, tx)
		}
		if sections != nil {
			secs, err := sections(s)
			if err != nil {
				return nil, err
			}
			for _, sec := range secs {
				in.Sections = append(in.Sections, section{sec.Title, sec.URL, sec.Count})
			}
		}
		return json.Marshal(in)
	}
}

// look is the site as the search page shows it: a site without
// bulletins, its sections and its feeds.
type look struct {
	site     *site.Site
	sections []build.Section
	feeds    []build.FeedLink
}

// taxonomyKinds are the taxonomies of a site, in site.Taxonomies' order.
var taxonomyKinds = []string{"bureaus", "regions", "categories", "tags", "archive"}

// Language is the language of the site whose index is in the folder dir,
// as the current generation stores it; "" when it cannot be read. It
// reads only as far as the language, which Describe writes near the top.
func Language(dir string) string {
	f, err := os.Open(indexer.CurrentSiteFile(dir))
	if err != nil {
		return ""
	}
	defer f.Close()
	dec := json.NewDecoder(io.LimitReader(f, 1<<20))
	if t, err := dec.Token(); err != nil || t != json.Delim('{') {
		return ""
	}
	for dec.More() {
		key, err := dec.Token()
		if err != nil {
			return ""
		}
		if key == "language" {
			var lang string
			if dec.Decode(&lang) != nil {
				return ""
			}
			return lang
		}
		var skip json.RawMessage
		if dec.Decode(&skip) != nil {
			return ""
		}
	}
	return ""
}

// parseInfo reads what Describe wrote. baseURL, when not "", replaces
// the stored base_url (a copy served at another address).
func parseInfo(data []byte, baseURL string) (*look, error) {
	var in info
	if err := json.Unmarshal(data, &in); err != nil {
		return nil, diag.Errorf("the site's description in the search index cannot be read (%w); run bulletin build to make it again", err)
	}
	if in.Version != infoVersion {
		return nil, diag.Errorf("the site's description in the search index is of version %d, not %d; run bulletin build with this version of bulletin", in.Version, infoVersion)
	}
	c := &site.Config{Title: in.Title, Description: in.Description, Language: in.Language, Timezone: in.Timezone,
		Paginate: in.Paginate, Bureaus: in.Bureaus, Footer: in.Footer, Feeds: in.FeedSettings}
	if c.Language == "" {
		c.Language = "zh-CN"
	}
	if baseURL == "" {
		baseURL = in.BaseURL
	}
	if baseURL != "" {
		b, err := site.ParseBase(baseURL)
		if err != nil {
			return nil, err
		}
		c.Base = b
	}
	loc, err := time.LoadLocation(in.Timezone)
	if err != nil {
		return nil, diag.Errorf("the site's time zone %q is not known on this machine", in.Timezone)
	}
	c.Location = loc
	for _, cat := range in.Categories {
		c.Categories = append(c.Categories, site.Category{Name: cat.Name, Slug: cat.Slug})
	}
	for _, r := range in.Regions {
		c.Regions = append(c.Regions, site.Region{Name: r.Name, Slug: r.Slug})
	}
	s := &site.Site{Config: c}
	taxonomies := []**site.Taxonomy{&s.Bureaus, &s.Regions, &s.Categories, &s.Tags, &s.Months}
	for i, kind := range taxonomyKinds {
		*taxonomies[i] = &site.Taxonomy{Kind: kind}
	}
	for _, tx := range in.Taxonomies {
		for i, kind := range taxonomyKinds {
			if tx.Kind != kind {
				continue
			}
			t := &site.Taxonomy{Kind: kind, Title: tx.Title, URL: tx.URL}
			for _, tm := range tx.Terms {
				t.Terms = append(t.Terms, &site.Term{Kind: kind, Name: tm.Name, Slug: tm.Slug, URL: tm.URL})
			}
			*taxonomies[i] = t
		}
	}
	lk := &look{site: s, feeds: in.Feeds}
	for _, sec := range in.Sections {
		lk.sections = append(lk.sections, build.Section{Title: sec.Title, URL: sec.URL, Count: sec.Count})
	}
	return lk, nil
}
