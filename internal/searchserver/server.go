package searchserver

import (
	"bytes"
	"context"
	"io"
	"io/fs"
	"net/http"
	"sync/atomic"
	"time"

	"bulletin/indexer"
	"bulletin/internal/build"
	"bulletin/internal/diag"
	"bulletin/internal/serve"
)

// Config configures a Server.
type Config struct {
	// Index is the index folder, as bulletin build writes it.
	Index string
	// Theme renders the search page, as the site's pages were rendered.
	Theme fs.FS
	// BaseURL, when set, replaces the site's base_url: the address the
	// site is published at, whose path the links start with.
	BaseURL string
	// Poll is how often CURRENT is read for a new generation; 0 means 2 s.
	Poll time.Duration
	// ErrorLog gets errors of searches and of following the index.
	ErrorLog func(error)
}

// Server answers /search, /api/search and the theme's assets from an index
// folder. It is safe for concurrent use.
type Server struct {
	cfg  Config
	ix   *indexer.Index
	srv  *indexer.Server
	base string // the path the site is mounted at, such as / or /news/
	view atomic.Pointer[view]
}

// view is how the search page of one generation looks.
type view struct {
	info []byte // as stored, to tell when a generation changes it
	r    *build.Renderer
	lk   *look
}

// Open opens the current generation of cfg.Index read-only and follows
// the generations published after it until ctx is done. The base path and
// time zone are the first generation's (or BaseURL's): a site moved to
// another address needs a restart.
func Open(ctx context.Context, cfg Config) (*Server, error) {
	if cfg.Poll <= 0 {
		cfg.Poll = 2 * time.Second
	}
	if cfg.ErrorLog == nil {
		cfg.ErrorLog = func(error) {}
	}
	ix, err := indexer.Open(cfg.Index)
	if err != nil {
		return nil, err
	}
	s := &Server{cfg: cfg, ix: ix}
	v, err := s.newView(nil)
	if err != nil {
		ix.Close()
		return nil, err
	}
	s.view.Store(v)
	s.base = v.lk.site.Config.Base.Path()
	s.srv = indexer.NewServer(ix, indexer.ServerConfig{
		BasePath:  s.base,
		Location:  v.lk.site.Config.Location,
		ErrorLog:  cfg.ErrorLog,
		FeedItems: v.lk.site.Config.Feeds.Limit,
	})
	go ix.Follow(ctx, cfg.Poll, func(context.Context) {
		if v, err := s.newView(s.view.Load()); err != nil {
			cfg.ErrorLog(err)
		} else {
			s.view.Store(v)
		}
	}, func(err error) {
		cfg.ErrorLog(diag.Errorf("following the search index: %w", err))
	})
	return s, nil
}

// newView makes the view of the current generation, or returns prev
// when the generation looks the same.
func (s *Server) newView(prev *view) (*view, error) {
	data, name := s.ix.SiteInfo()
	if prev != nil && bytes.Equal(prev.info, data) {
		return prev, nil
	}
	if len(data) == 0 {
		return nil, diag.Errorf("generation %s of the search index does not describe the site; run bulletin build with this version of bulletin", name)
	}
	lk, err := parseInfo(data, s.cfg.BaseURL)
	if err != nil {
		return nil, err
	}
	if prev != nil && lk.site.Config.Base.Path() != s.base {
		// Links must keep one base path: the first one's, until restart.
		lk.site.Config.Base = prev.lk.site.Config.Base
	}
	r, err := build.NewRenderer(s.cfg.Theme, lk.site, lk.sections)
	if err != nil {
		return nil, err
	}
	return &view{info: data, r: r, lk: lk}, nil
}

// BasePath is the path the site is mounted at, such as / or /news/.
func (s *Server) BasePath() string { return s.base }

// Docs is the number of bulletins searched, for messages.
func (s *Server) Docs() int { return s.ix.Docs() }

// Index is the open index, for tests.
func (s *Server) Index() *indexer.Index { return s.ix }

// Close closes the index once the searches running on it are done.
func (s *Server) Close() error { return s.ix.Close() }

// Handler serves the search page, the API, and the theme's assets that
// the page links; anything else is not found (the static site is
// another server's).
func (s *Server) Handler() http.Handler {
	mux := http.NewServeMux()
	mux.Handle(s.base+"search", s.srv.Page(func(w io.Writer, data *indexer.PageData) error {
		v := s.view.Load()
		return v.r.Render(w, &build.Page{Kind: "search", URL: "/search", Feeds: build.TopicFeeds(data, v.lk.feeds), Data: data})
	}))
	topic := s.srv.Feed(func(w io.Writer, data *indexer.FeedData) error {
		return build.TopicFeed(w, s.view.Load().lk.site, data)
	})
	for _, f := range indexer.FeedFiles {
		mux.Handle(s.base+"search/"+f, topic)
	}
	mux.Handle(s.base+"api/search", s.srv.API())
	mux.Handle(s.base+"api/suggest", s.srv.SuggestAPI())
	mux.Handle(s.base+"assets/", serve.Handler(assetsOnly{s.cfg.Theme}, s.base))
	mux.HandleFunc("/", func(w http.ResponseWriter, r *http.Request) {
		http.Error(w, "404 page not found: this server answers search only", http.StatusNotFound)
	})
	return mux
}

// assetsOnly is the theme's assets folder, and nothing else of the theme
// (its templates are not for readers).
type assetsOnly struct{ fs.FS }

func (a assetsOnly) Open(name string) (fs.File, error) {
	if name != "assets" && !hasPrefix(name, "assets/") {
		return nil, &fs.PathError{Op: "open", Path: name, Err: fs.ErrNotExist}
	}
	return a.FS.Open(name)
}

func hasPrefix(s, p string) bool { return len(s) >= len(p) && s[:len(p)] == p }
