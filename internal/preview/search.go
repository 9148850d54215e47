package preview

import (
	"context"
	"io"
	"io/fs"
	"net/http"
	"sync/atomic"
	"time"

	"bulletin/indexer"
	"bulletin/internal/build"
	"bulletin/internal/diag"
	"bulletin/internal/site"
)

// followEvery is how often serve looks for a generation of the search
// index that bulletin build has published.
const followEvery = 2 * time.Second

// SearchConfig is what a Search needs besides its index.
type SearchConfig struct {
	BasePath string // where the site is served, such as / or /news/
	// Live publishes a generation of the index after every rebuild
	// (Update); otherwise the index changes only by bulletin build.
	Live bool
	// Theme and Sections render the search page as the built pages are
	// rendered.
	Theme    fs.FS
	Sections func(*site.Site) ([]build.Section, error)
	// Load reads the site's files again, for a generation of the index
	// another process published; only when not Live.
	Load func(context.Context) (*site.Site, error)
	// ErrorLog gets the errors of searches and of following the index.
	ErrorLog func(error)
}

// Search answers /search and /api/search for serve. When live, it
// publishes a generation of the index after every rebuild of the site.
// Live or not, it moves to the generations bulletin build publishes.
type Search struct {
	ix       *indexer.Index
	srv      *indexer.Server
	cfg      SearchConfig
	renderer atomic.Pointer[build.Renderer] // of the current site and theme
	site     atomic.Pointer[site.Site]      // the site last loaded
}

// NewSearch serves the open index ix of s, which it then owns: it closes
// it on error and on Close. It follows the generations published until
// ctx is done.
func NewSearch(ctx context.Context, ix *indexer.Index, s *site.Site, cfg SearchConfig) (*Search, error) {
	if cfg.ErrorLog == nil {
		cfg.ErrorLog = func(error) {}
	}
	ss := &Search{ix: ix, cfg: cfg}
	if err := ss.UseSite(s); err != nil {
		ix.Close()
		return nil, err
	}
	ss.srv = indexer.NewServer(ix, indexer.ServerConfig{
		BasePath:  cfg.BasePath,
		Location:  s.Config.Location,
		ErrorLog:  cfg.ErrorLog,
		FeedItems: s.Config.Feeds.Limit,
	})
	report := func(err error) { cfg.ErrorLog(diag.Errorf("following the search index: %w", err)) }
	go ix.Follow(ctx, followEvery, func(ctx context.Context) {
		if err := ss.reload(ctx); err != nil {
			report(err)
		}
	}, report)
	return ss, nil
}

// reload reads the site's files again when bulletin build has published
// a generation of the index, so that the search page around the hits
// (navigation, sections) is the site that build saw. Live, the rebuilds
// keep the page up to date already. The hits themselves come from the
// generation, whichever it is.
func (ss *Search) reload(ctx context.Context) error {
	if ss.cfg.Live {
		return nil
	}
	s, err := ss.cfg.Load(ctx)
	if err != nil {
		return err
	}
	return ss.UseSite(s)
}

// UseSite renders search pages with the site s from now on, linking the
// same sections as the built pages.
func (ss *Search) UseSite(s *site.Site) error {
	var sections []build.Section
	if ss.cfg.Sections != nil {
		var err error
		if sections, err = ss.cfg.Sections(s); err != nil {
			return err
		}
	}
	r, err := build.NewRenderer(ss.cfg.Theme, s, sections)
	if err != nil {
		return err
	}
	ss.renderer.Store(r)
	ss.site.Store(s)
	return nil
}

// Update brings a live index up to date with s and says what it did; the
// message reads "" when the update failed.
func (ss *Search) Update(ctx context.Context, s *site.Site) (*diag.Message, error) {
	if !ss.cfg.Live {
		return &diag.Message{Format: "unchanged until restart"}, nil
	}
	start := time.Now()
	st, err := ss.ix.Update(ctx, s)
	if err != nil {
		return &diag.Message{}, err
	}
	return &diag.Message{Format: "%d new, %d changed, %d removed in %s",
		Args: []any{st.Added, st.Changed, st.Removed, time.Since(start).Round(time.Millisecond)}}, nil
}

// Close closes the index.
func (ss *Search) Close() error { return ss.ix.Close() }

// Handler puts the search pages in front of the static site.
func (ss *Search) Handler(static http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.Handle(ss.cfg.BasePath+"search", ss.srv.Page(func(w io.Writer, data *indexer.PageData) error {
		r := ss.renderer.Load()
		return r.Render(w, &build.Page{Kind: "search", URL: "/search", Feeds: build.TopicFeeds(data, build.FeedLinks(r.Site(), nil)), Data: data})
	}))
	topic := ss.srv.Feed(func(w io.Writer, data *indexer.FeedData) error {
		return build.TopicFeed(w, ss.renderer.Load().Site(), data)
	})
	for _, f := range indexer.FeedFiles {
		mux.Handle(ss.cfg.BasePath+"search/"+f, topic)
	}
	mux.Handle(ss.cfg.BasePath+"api/search", ss.srv.API())
	mux.Handle(ss.cfg.BasePath+"api/suggest", ss.srv.SuggestAPI())
	mux.Handle("/", static)
	return mux
}
