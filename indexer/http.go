package indexer

import (
	"bytes"
	"context"
	"encoding/json"
	"errors"
	"io"
	"math"
	"net/http"
	"runtime"
	"strings"
	"time"

	"bulletin/internal/diag"
)

// ServerConfig configures the search handlers.
type ServerConfig struct {
	// BasePath is the path the site is mounted at ("/" or "/news/"); the
	// links in results start with it.
	BasePath string
	// Location is the site's time zone, in which from and to are days.
	Location *time.Location
	// Timeout is the time one search may take, waiting for its turn
	// included; 0 means 2 s.
	Timeout time.Duration
	// MaxConcurrent is how many searches run at once; 0 means two per
	// CPU. Searches are CPU-bound, so more would only make all slower.
	MaxConcurrent int
	// PageSize is the number of hits per page; 0 means 10.
	PageSize int
	// FeedItems is how many items a topic feed has; 0 means
	// DefaultFeedItems.
	FeedItems int
	// ErrorLog, when set, receives errors that are the server's fault.
	ErrorLog func(error)
}

// Server answers search requests from an Index.
type Server struct {
	ix  *Index
	cfg ServerConfig
	sem chan struct{}
}

// cacheHits bounds the hits a snapshot's result cache holds, all searches
// together: 16 bytes each, so about 8 MB.
const cacheHits = 1 << 19

// NewServer returns a Server for ix.
func NewServer(ix *Index, cfg ServerConfig) *Server {
	if cfg.BasePath == "" {
		cfg.BasePath = "/"
	}
	if !strings.HasSuffix(cfg.BasePath, "/") {
		cfg.BasePath += "/"
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.Timeout <= 0 {
		cfg.Timeout = 2 * time.Second
	}
	if cfg.MaxConcurrent <= 0 {
		cfg.MaxConcurrent = 2 * runtime.GOMAXPROCS(0)
	}
	if cfg.PageSize <= 0 {
		cfg.PageSize = 10
	}
	return &Server{ix: ix, cfg: cfg, sem: make(chan struct{}, cfg.MaxConcurrent)}
}

// outcome is a search as a handler answers it.
type outcome struct {
	req      Request
	res      *Results // nil when the search did not run
	badInput error    // a parameter the reader should fix
	timedOut bool
	err      error // the server's fault
}

func (s *Server) search(ctx context.Context, r *http.Request) outcome {
	req, err := ParseRequest(r.URL.Query(), s.cfg.Location)
	if err != nil {
		return outcome{req: req, badInput: err}
	}
	start := time.Now()
	// The cache, the search and the page all use one snapshot, which
	// an Update of the index leaves alone until they are done.
	sn, err := s.ix.acquire()
	if err != nil {
		if s.cfg.ErrorLog != nil {
			s.cfg.ErrorLog(diag.Errorf("search %q: %w", r.URL.RawQuery, err))
		}
		return outcome{req: req, err: err}
	}
	defer sn.release()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	set, syn, fix, err := sn.answer(ctx, req, s.runner(ctx, sn))
	switch {
	case errors.Is(err, context.DeadlineExceeded), errors.Is(err, context.Canceled):
		// Out of time, or the reader left.
		return outcome{req: req, timedOut: true}
	case err != nil:
		if s.cfg.ErrorLog != nil {
			s.cfg.ErrorLog(diag.Errorf("search %q: %w", r.URL.RawQuery, err))
		}
		return outcome{req: req, err: err}
	}
	res, err := sn.page(ctx, set, req, s.cfg.PageSize)
	if errors.Is(err, context.DeadlineExceeded) || errors.Is(err, context.Canceled) {
		// Out of time checking the page's texts, or the reader left.
		return outcome{req: req, timedOut: true}
	}
	if err != nil {
		if s.cfg.ErrorLog != nil {
			s.cfg.ErrorLog(diag.Errorf("search %q: %w", r.URL.RawQuery, err))
		}
		return outcome{req: req, err: err}
	}
	res.Took = time.Since(start)
	if fix != nil {
		fix.URL = s.link(fix.URL)
		res.Correction = fix
	}
	if syn != nil {
		syn.ExactURL = s.link(syn.ExactURL)
		res.Synonyms = syn
	}
	for i := range res.Hits {
		res.Hits[i].URL = s.link(res.Hits[i].URL)
	}
	return outcome{req: req, res: res}
}

// runner returns how the handlers search sn: from the snapshot's cache,
// or in turn with the other searches (at most MaxConcurrent at once),
// within ctx's time. All pages of a request share one result set.
func (s *Server) runner(ctx context.Context, sn *snapshot) runFunc {
	return func(req Request, loose bool) (*resultSet, error) {
		req.Page = 1
		if set := sn.cache.get(asked{req, loose}); set != nil {
			return set, nil
		}
		select {
		case s.sem <- struct{}{}:
		case <-ctx.Done():
			return nil, ctx.Err()
		}
		set, err := sn.find(ctx, req, loose)
		<-s.sem
		if err == nil {
			if set.later != nil {
				set.later.gate = s.sem // before anyone else sees it
			}
			sn.cache.put(asked{req, loose}, set)
		}
		return set, err
	}
}

// link puts a site-relative URL under the base path.
func (s *Server) link(u string) string {
	return s.cfg.BasePath + strings.TrimPrefix(u, "/")
}

// allowGet answers methods other than GET and HEAD, and reports whether
// the request may go on.
func allowGet(w http.ResponseWriter, r *http.Request) bool {
	if r.Method == http.MethodGet || r.Method == http.MethodHead {
		return true
	}
	w.Header().Set("Allow", "GET, HEAD")
	return false
}

// API returns the handler of /api/search, which answers in JSON.
func (s *Server) API() http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("Content-Type", "application/json; charset=utf-8")
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-cache")
		if !allowGet(w, r) {
			writeJSON(w, r, http.StatusMethodNotAllowed, apiError{"use GET"})
			return
		}
		o := s.search(r.Context(), r)
		switch {
		case o.badInput != nil:
			writeJSON(w, r, http.StatusBadRequest, apiError{o.badInput.Error()})
		case o.err != nil:
			writeJSON(w, r, http.StatusInternalServerError, apiError{"the search failed"})
		default:
			writeJSON(w, r, http.StatusOK, s.apiResults(o))
		}
	})
}

type apiError struct {
	Error string `json:"error"`
}

type apiResponse struct {
	Query string `json:"query"`
	Total int    `json:"total"`
	// Approximate: total and the facets' counts are estimates.
	Approximate bool    `json:"approximate"`
	Page        int     `json:"page"`
	Pages       int     `json:"pages"`
	Took        float64 `json:"took_ms"`
	Sort        string  `json:"sort"`
	// Partial: no bulletin has every word; these have most of them.
	Partial bool `json:"partial"`
	// Truncated: the query was cut at MaxQueryRunes.
	Truncated bool `json:"truncated"`
	// TimedOut: the search ran out of time; there are no hits.
	TimedOut bool      `json:"timed_out"`
	Hits     []apiHit  `json:"hits"`
	Facets   apiFacets `json:"facets"`
	// Correction: a query the reader probably meant, which finds more;
	// applied: the hits are its own, as the typed one found nothing.
	Correction *apiCorrection `json:"correction,omitempty"`
	// Synonyms: the hits include those of these alternatives of the
	// words, after the words' own (only: the words found nothing).
	Synonyms *apiSynonyms `json:"synonyms,omitempty"`
}

type apiSynonyms struct {
	Alternatives []string `json:"alternatives"`
	Only         bool     `json:"only"`
}

type apiCorrection struct {
	Query   string `json:"query"`
	Applied bool   `json:"applied"`
}

type apiHit struct {
	URL      string `json:"url"`
	Title    string `json:"title"`
	Bureau   string `json:"bureau"`
	Region   string `json:"region"`
	Category string `json:"category"`
	Date     string `json:"date"`
	Snippet  string `json:"snippet"`
}

type apiFacets struct {
	Bureau   []FacetValue `json:"bureau"`
	Region   []FacetValue `json:"region"`
	Category []FacetValue `json:"category"`
	Year     []FacetValue `json:"year"`
}

func (s *Server) apiResults(o outcome) apiResponse {
	out := apiResponse{
		Query:     o.req.Query,
		Page:      o.req.Page,
		Sort:      SortRelevance,
		Truncated: o.req.Cut,
		TimedOut:  o.timedOut,
		Hits:      []apiHit{},
		Facets:    apiFacets{[]FacetValue{}, []FacetValue{}, []FacetValue{}, []FacetValue{}},
	}
	if o.req.sortByDate() {
		out.Sort = SortDate
	}
	res := o.res
	if res == nil {
		return out
	}
	out.Total, out.Approximate, out.Pages, out.Partial = res.Total, res.Approximate, res.Pages, res.Partial
	out.Took = math.Round(float64(res.Took.Microseconds())) / 1000
	if n := res.Synonyms; n != nil {
		out.Synonyms = &apiSynonyms{Alternatives: n.Alts, Only: n.Only}
	}
	if c := res.Correction; c != nil {
		out.Correction = &apiCorrection{Query: c.Query, Applied: c.Applied}
	}
	for _, h := range res.Hits {
		out.Hits = append(out.Hits, apiHit{
			URL:      h.URL,
			Title:    h.Title,
			Bureau:   h.Bureau,
			Region:   h.Region,
			Category: h.Category,
			Date:     h.Date.In(s.cfg.Location).Format(time.DateOnly),
			Snippet:  string(h.Snippet),
		})
	}
	for _, f := range []struct {
		dst *[]FacetValue
		src []FacetValue
	}{
		{&out.Facets.Bureau, res.Facets.Bureau},
		{&out.Facets.Region, res.Facets.Region},
		{&out.Facets.Category, res.Facets.Category},
		{&out.Facets.Year, res.Facets.Year},
	} {
		if f.src != nil {
			*f.dst = f.src
		}
	}
	return out
}

func writeJSON(w http.ResponseWriter, r *http.Request, status int, v any) {
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetIndent("", "  ")
	if err := enc.Encode(v); err != nil {
		status = http.StatusInternalServerError
		buf.Reset()
		buf.WriteString(`{"error":"the search failed"}` + "\n")
	}
	w.WriteHeader(status)
	if r.Method != http.MethodHead {
		w.Write(buf.Bytes())
	}
}

// RenderFunc renders the results page of data into w with the site's
// theme.
type RenderFunc func(w io.Writer, data *PageData) error

// Page returns the handler of /search, the results page, which works
// without JavaScript.
func (s *Server) Page(render RenderFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		h.Set("Cache-Control", "no-cache")
		if !allowGet(w, r) {
			http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
			return
		}
		o := s.search(r.Context(), r)
		status := http.StatusOK
		switch {
		case o.badInput != nil:
			status = http.StatusBadRequest
		case o.err != nil:
			status = http.StatusInternalServerError
		}
		var buf bytes.Buffer
		if err := render(&buf, s.pageData(o)); err != nil {
			if s.cfg.ErrorLog != nil {
				s.cfg.ErrorLog(diag.Errorf("rendering the search page: %w", err))
			}
			http.Error(w, "the search page could not be shown", http.StatusInternalServerError)
			return
		}
		h.Set("Content-Type", "text/html; charset=utf-8")
		w.WriteHeader(status)
		if r.Method != http.MethodHead {
			w.Write(buf.Bytes())
		}
	})
}
