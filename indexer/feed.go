package indexer

import (
	"bytes"
	"context"
	"io"
	"net/http"
	"strings"
	"time"
)

// Topic feeds: every search has a feed of its newest matches
// (/search/feed.xml, atom.xml and feed.json with the search's parameters),
// so that a reader can follow "everything about 低保 in 海东市" rather than
// a bureau. A feed is searched as the page is (synonyms included, slips
// not mended: a subscription is to what was typed), newest first.

// FeedFiles are the topic feeds' file names under /search/, as the
// site's feeds are named.
var FeedFiles = []string{"feed.xml", "atom.xml", "feed.json"}

// DefaultFeedItems is how many items a topic feed has unless the
// ServerConfig says.
const DefaultFeedItems = 50

// FeedData is a search's results for a feed writer.
type FeedData struct {
	File    string  // feed.xml, atom.xml or feed.json
	Request Request // as parsed; Query as typed
	// Params are the search's parameters, encoded, for the feed's self
	// link and the page it is the feed of (/search?Params).
	Params string
	Items  []FeedItem // newest first
}

// FeedItem is one bulletin of a topic feed.
type FeedItem struct {
	URL      string // site-relative
	Title    string
	Date     time.Time
	Updated  time.Time // zero when never
	Bureau   string
	Category string
	Tags     []string
	Summary  string
	// Body is the HTML the bulletin's page shows, its links as the page
	// has them.
	Body string
}

// FeedFunc writes data as the feed data.File into w.
type FeedFunc func(w io.Writer, data *FeedData) error

// Feed returns the handler of /search/feed.xml, atom.xml and feed.json,
// which write feeds with write.
func (s *Server) Feed(write FeedFunc) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		h := w.Header()
		h.Set("X-Content-Type-Options", "nosniff")
		// As the site's own feeds are served: readers ask again, and the
		// answer changes with each generation.
		h.Set("Cache-Control", "no-cache")
		h.Set("Vary", "Accept")
		if !allowGet(w, r) {
			http.Error(w, "use GET", http.StatusMethodNotAllowed)
			return
		}
		file := r.URL.Path[strings.LastIndexByte(r.URL.Path, '/')+1:]
		data, status, problem := s.feedData(r.Context(), r, file)
		if status != http.StatusOK {
			// In the API's words, as /api/search gives its errors.
			http.Error(w, problem, status)
			return
		}
		var buf bytes.Buffer
		if err := write(&buf, data); err != nil {
			if s.cfg.ErrorLog != nil {
				s.cfg.ErrorLog(err)
			}
			http.Error(w, "the feed failed", http.StatusInternalServerError)
			return
		}
		h.Set("Content-Type", feedTypes[file])
		if r.Method != http.MethodHead {
			w.Write(buf.Bytes())
		}
	})
}

var feedTypes = map[string]string{
	"feed.xml":  "application/rss+xml; charset=utf-8",
	"atom.xml":  "application/atom+xml; charset=utf-8",
	"feed.json": "application/feed+json; charset=utf-8",
}

// feedData searches r's parameters for the feed file, newest first; a
// status other than 200 comes with what went wrong.
func (s *Server) feedData(ctx context.Context, r *http.Request, file string) (*FeedData, int, string) {
	if feedTypes[file] == "" {
		return nil, http.StatusNotFound, "no such feed"
	}
	req, err := ParseRequest(r.URL.Query(), s.cfg.Location)
	if err != nil {
		return nil, http.StatusBadRequest, err.Error()
	}
	req.Sort, req.Page = SortDate, 1
	sn, err := s.ix.acquire()
	if err != nil {
		return nil, http.StatusServiceUnavailable, "the search is not available"
	}
	defer sn.release()
	ctx, cancel := context.WithTimeout(ctx, s.cfg.Timeout)
	defer cancel()
	// Bulletins with every word only: a feed of bulletins with some of
	// them would fill with what the reader did not ask for.
	run := s.runner(ctx, sn)
	set, err := run(req, false)
	if err != nil {
		return nil, http.StatusServiceUnavailable, "the search failed or took too long"
	}
	if wide, _ := sn.widen(ctx, req, set, run); wide != nil {
		set = wide
	}
	params := req
	params.Sort, params.Page = "", 1
	data := &FeedData{File: file, Request: req, Params: params.Encode()}
	limit := s.cfg.FeedItems
	if limit <= 0 {
		limit = DefaultFeedItems
	}
	top, err := set.top(ctx, limit)
	if err != nil {
		return nil, http.StatusServiceUnavailable, "the search failed or took too long"
	}
	for _, h := range top {
		e := sn.entries[h.rank]
		it := FeedItem{URL: e.URL, Title: e.Title, Date: e.Date, Updated: e.Updated, Bureau: e.Bureau,
			Category: e.Category, Summary: e.Summary, Tags: e.tags()}
		if err := e.withBody(func(body string) { it.Body = strings.Clone(body) }); err != nil {
			return nil, http.StatusInternalServerError, "the feed failed"
		}
		data.Items = append(data.Items, it)
	}
	return data, http.StatusOK, ""
}

// tags are e's tags: the lines of its names after its bureau, region and
// category.
func (e *entry) tags() []string {
	lines := strings.Split(e.Meta, "\n")
	skip := 2
	if e.Category != "" {
		skip = 3
	}
	if len(lines) <= skip {
		return nil
	}
	return lines[skip:]
}
