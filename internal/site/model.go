package site

import (
	"time"

	"bulletin/internal/diag"
)

// Site is the whole loaded site. It is built once by Load and only read
// afterwards, by every stage and concurrently.
type Site struct {
	Config *Config

	// Bulletins holds the published bulletins, newest first; ties are
	// broken by source path so that every build orders them the same way.
	Bulletins []*Bulletin

	// The listings readers browse, each a taxonomy of terms.
	Bureaus, Regions, Categories, Tags, Months *Taxonomy

	// NextDue is the date of the earliest future-dated bulletin left out
	// of this build, so that a scheduled rebuild can publish it; zero when
	// there is none.
	NextDue time.Time
	// Drafts and Scheduled count the bulletins left out of this build as
	// drafts and as dated after Now, so that a bureau can be told why its
	// page is missing.
	Drafts, Scheduled int

	// Now is the moment the site was built for: what is dated after it is
	// "future".
	Now time.Time

	// Warnings lists problems that did not stop the load.
	Warnings diag.Problems

	// bodies renders bodies again for Content, in a lean site; nil
	// when the bulletins hold theirs.
	bodies *bodySource
}

// Bulletin is one published news item.
type Bulletin struct {
	Source string // site-relative source path, e.g. content/qinghai/2024/relief.md
	Slug   string // ASCII, unique in the site
	URL    string // site-relative, e.g. /bulletins/relief/

	Title   string
	Date    time.Time // in the site's time zone
	Updated time.Time // Date when the bulletin gives none

	Bureau   *Term
	Region   *Term
	Category *Term // nil when the bulletin has none
	Tags     []*Term
	Month    *Term

	// Summary is the front matter's summary, or the opening of the text cut
	// at a sentence end.
	Summary string
	// Body is the rendered, sanitised HTML of the Markdown body, and
	// Text the body as plain text, one block per line; both are empty in
	// a site loaded with Options.Lean. Site.Content gives them either
	// way: code that may be handed a lean site calls it.
	Body string
	Text string
	// Attribution is the source named by the body's closing line
	// （据青海省民政厅） or （青海省民政厅供稿）, "" when it has none. It is
	// shown as written but is never the bulletin's source of record, which
	// is always Bureau: anyone can type any name in a closing line.
	Attribution string
	// Relay marks a bulletin carried from another office (转载, relay:
	// true): Attribution names that office, perhaps outside the registry.
	Relay bool
	// Draft is beside Relay, and the counts below are 32 bits, so that a
	// Bulletin fits a smaller size of allocation: a million of them are
	// held at once.
	Draft bool

	HanChars       int32 // Chinese characters in the body
	ReadingMinutes int32

	// Hash identifies the bulletin as loaded, for incremental work: the
	// source file's content and how the relative links in it resolved (a
	// link to another bulletin becomes that bulletin's slug, so renaming
	// the target changes Body and Hash here). For a bulletin without
	// relative links it is the hash of the file alone.
	Hash string

	// Attachments are the files next to the bulletin that it links to;
	// they are published in the bulletin's URL folder.
	Attachments []Attachment

	Reporting Reporting
}

// Downloads lists the attachments that are not shown as images.
func (b *Bulletin) Downloads() []Attachment {
	var out []Attachment
	for _, a := range b.Attachments {
		if !a.Image {
			out = append(out, a)
		}
	}
	return out
}

// Attachment is a file a bulletin links to, published beside its page.
type Attachment struct {
	Source string // site-relative path of the file
	Name   string // file name in the bulletin's URL folder, ASCII
	Title  string // the file's own name, as the bureau gave it (附件1.pdf)
	// Image is true when the body only shows the file as an image, so a
	// list of downloads can leave it out.
	Image bool
}

// Taxonomy is one way of listing bulletins: by bureau, region, category,
// tag or month.
type Taxonomy struct {
	Kind  string // URL segment and template key: bureaus, regions, categories, tags, archive
	Title string // the column's name as readers see it, e.g. 来源单位
	URL   string // the taxonomy's index page, e.g. /bureaus/
	Terms []*Term
}

// Term is one listing: a bureau, a region, a tag, a month.
type Term struct {
	Kind string // as Taxonomy.Kind
	Name string // 青海省民政厅, 2024年1月
	Slug string
	URL  string // e.g. /bureaus/qinghai/ or /archive/2024/01/

	// Bulletins in the listing, newest first.
	Bulletins []*Bulletin
}

// Taxonomies lists the site's taxonomies in display order.
func (s *Site) Taxonomies() []*Taxonomy {
	return []*Taxonomy{s.Bureaus, s.Regions, s.Categories, s.Tags, s.Months}
}
