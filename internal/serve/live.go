package serve

import (
	"bytes"
	_ "embed"
	"encoding/json"
	"fmt"
	"net/http"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

//go:embed reload.js
var reloadScript []byte

// Live tells open pages about rebuilds, for the development server: pages
// get a small script (Inject) that listens on an event stream and reloads,
// or shows the build's problems over the last good page.
type Live struct {
	mu       sync.Mutex
	clients  map[chan liveEvent]struct{}
	streams  map[string]int // open streams by client address
	problems string         // of the last build, "" when it succeeded
	base     string         // base path, e.g. "/" or "/news/"

	// Events are numbered, and the latest kept, so that a stream opened
	// later (by the tab that takes over from a closed or reloading one, or
	// after a dropped connection) can catch up on those its pages missed.
	seq    int
	recent []liveEvent

	// Streams last as long as a page is open: each client may hold
	// maxPerClient of them (a browser opens at most 6 connections to a
	// server), and all together maxStreams.
	maxPerClient, maxStreams int

	closing   chan struct{} // closed by Close
	closeOnce sync.Once
}

type liveEvent struct {
	id         int // 0 for the problems a new stream starts with
	name, data string
}

// keepEvents is how many events are kept to catch up on: a rebuild sends
// two or three, and a tab takes over within a second.
const keepEvents = 64

// NewLive returns a Live for a site mounted at basePath.
func NewLive(basePath string) *Live {
	return &Live{clients: map[chan liveEvent]struct{}{}, streams: map[string]int{}, base: basePath, closing: make(chan struct{}),
		maxPerClient: 8, maxStreams: 64}
}

// Close ends every event stream, as the server stops: a stream never ends
// by itself, and would hold a graceful shutdown until its timeout.
func (l *Live) Close() {
	l.closeOnce.Do(func() { close(l.closing) })
}

// Reloaded tells every page that the site was rebuilt as a whole: all
// reload.
func (l *Live) Reloaded() { l.reloaded("*") }

// Changed tells the pages that a rebuild changed, given by the
// site-relative paths of their files (/bulletins/a/index.html), to reload;
// a page showing the problems of a failed build reloads too. Other pages
// stay as they are, scrolled where the reader left them.
func (l *Live) Changed(paths []string) {
	urls := make([]string, 0, len(paths))
	for _, p := range paths {
		urls = append(urls, l.base+strings.TrimPrefix(strings.TrimSuffix(p, "index.html"), "/"))
	}
	l.reloaded(strings.Join(urls, "\n"))
}

func (l *Live) reloaded(data string) {
	l.send(liveEvent{name: "reload", data: data}, "")
}

// Failed tells every page that a rebuild failed, with its problems.
func (l *Live) Failed(problems string) {
	l.send(liveEvent{name: "problems", data: problems}, problems)
}

// send numbers ev, keeps it and sends it to every stream; problems are
// those pages show from now on.
func (l *Live) send(ev liveEvent, problems string) {
	l.mu.Lock()
	defer l.mu.Unlock()
	l.problems = problems
	l.seq++
	ev.id = l.seq
	if len(l.recent) == keepEvents {
		l.recent = append(l.recent[:0], l.recent[1:]...)
	}
	l.recent = append(l.recent, ev)
	for c := range l.clients {
		select {
		case c <- ev:
		default: // a stalled page misses one event; it reconnects
		}
	}
}

func (l *Live) eventsPath() string { return l.base + "__bulletin/events" }

// ScriptPath is the URL path of the live-reload script that Handler adds
// to pages, for the Content-Security-Policy to allow.
func (l *Live) ScriptPath() string { return l.base + "__bulletin/reload.js" }

// Handler serves the event stream and the script, and injects the script
// into the HTML pages of next.
func (l *Live) Handler(next http.Handler) http.Handler {
	mux := http.NewServeMux()
	mux.HandleFunc(l.eventsPath(), l.events)
	mux.HandleFunc(l.ScriptPath(), func(w http.ResponseWriter, r *http.Request) {
		w.Header().Set("Content-Type", "text/javascript; charset=utf-8")
		w.Header().Set("Cache-Control", "no-cache")
		w.Write(reloadScript)
	})
	mux.Handle("/", l.inject(next))
	return mux
}

func (l *Live) events(w http.ResponseWriter, r *http.Request) {
	if r.URL.Query().Has("catchup") {
		l.catchUp(w, r)
		return
	}
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	client := ClientAddr(r)
	c := make(chan liveEvent, 4)
	l.mu.Lock()
	refused := 0
	switch {
	case l.streams[client] >= l.maxPerClient:
		refused = http.StatusTooManyRequests
	case len(l.clients) >= l.maxStreams:
		refused = http.StatusServiceUnavailable
	default:
		l.clients[c] = struct{}{}
		l.streams[client]++
	}
	pending := l.problems
	missed := l.missed(r)
	l.mu.Unlock()
	if refused != 0 {
		// reload.js tries again after a while; the page works meanwhile.
		w.Header().Set("Retry-After", "10")
		http.Error(w, "too many pages open for live reload", refused)
		return
	}
	defer func() {
		l.mu.Lock()
		delete(l.clients, c)
		if l.streams[client]--; l.streams[client] == 0 {
			delete(l.streams, client)
		}
		l.mu.Unlock()
	}()
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	// The server's write timeout is for ordinary responses; a stream
	// lasts as long as the page is open.
	http.NewResponseController(w).SetWriteDeadline(time.Time{})
	fmt.Fprint(w, ": connected\n\n")
	for _, ev := range missed {
		writeEvent(w, ev)
	}
	if pending != "" {
		writeEvent(w, liveEvent{name: "problems", data: pending})
	}
	flusher.Flush()
	for {
		select {
		case <-r.Context().Done():
			return
		case <-l.closing:
			return
		case ev := <-c:
			writeEvent(w, ev)
			flusher.Flush()
		}
	}
}

// catchUp answers, in JSON, what a page that listens on another tab's
// stream missed: the events after its number, and the problems pages show
// now as of the latest event. Such a page hears only what that tab passes
// on after it began listening; a rebuild announced between the page being
// served and its script running would otherwise never reach it.
func (l *Live) catchUp(w http.ResponseWriter, r *http.Request) {
	type event struct {
		ID   int    `json:"id"`
		Name string `json:"name"`
		Data string `json:"data"`
	}
	var answer struct {
		Seq      int     `json:"seq"`
		Events   []event `json:"events"`
		Problems string  `json:"problems"`
	}
	l.mu.Lock()
	answer.Seq, answer.Problems = l.seq, l.problems
	for _, ev := range l.missed(r) {
		answer.Events = append(answer.Events, event{ev.id, ev.name, ev.data})
	}
	l.mu.Unlock()
	if answer.Events == nil {
		answer.Events = []event{}
	}
	w.Header().Set("Content-Type", "application/json; charset=utf-8")
	w.Header().Set("Cache-Control", "no-store")
	json.NewEncoder(w).Encode(answer)
}

// missed gives the events sent after the last one the client has seen:
// its Last-Event-ID, which the browser sends when it reconnects, or the
// query's last, the number its pages were served with. Without either,
// none. When those events are no longer all kept, or the number is from
// before serve restarted, every page reloads. l.mu is held.
func (l *Live) missed(r *http.Request) []liveEvent {
	v := r.Header.Get("Last-Event-ID")
	if v == "" {
		v = r.URL.Query().Get("last")
	}
	last, err := strconv.Atoi(v)
	if err != nil || last < 0 || last == l.seq {
		return nil
	}
	if last > l.seq || last < l.seq-len(l.recent) {
		return []liveEvent{{id: l.seq, name: "reload", data: "*"}}
	}
	return append([]liveEvent(nil), l.recent[len(l.recent)-(l.seq-last):]...)
}

func writeEvent(w http.ResponseWriter, ev liveEvent) {
	if ev.id > 0 {
		fmt.Fprintf(w, "id: %d\n", ev.id)
	}
	fmt.Fprintf(w, "event: %s\n", ev.name)
	for _, line := range strings.Split(ev.data, "\n") {
		fmt.Fprintf(w, "data: %s\n", line)
	}
	fmt.Fprint(w, "\n")
}

// inject adds the reload script before the first </head> of every HTML
// page, as the page streams through: nothing is held but the few bytes
// that might begin </head>, and other responses (attachments of any size
// included) pass untouched, their ranges and validators with them.
func (l *Live) inject(next http.Handler) http.Handler {
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// The page is at least as new as the last event: the stream
		// catches it up on those after.
		l.mu.Lock()
		last := l.seq
		l.mu.Unlock()
		tag := []byte(`<script src="` + l.ScriptPath() + `" data-events="` + l.eventsPath() + `" data-last="` + strconv.Itoa(last) + `" defer></script>`)
		if mayBePage(r.URL.Path) {
			// A copy the browser kept may lack the script (one served by
			// another server at this address, say), and a range of a
			// file is not a range of the page with the script: the
			// development server always sends pages whole.
			for _, h := range []string{"If-None-Match", "If-Modified-Since", "Range", "If-Range"} {
				r.Header.Del(h)
			}
		}
		iw := &injectWriter{ResponseWriter: w, tag: tag}
		next.ServeHTTP(iw, r)
		iw.finish()
	})
}

// mayBePage reports a URL path that may answer with a page: a folder's or
// an .html file's.
func mayBePage(p string) bool {
	ext := path.Ext(p)
	return ext == "" || ext == ".html"
}

const closeHead = "</head>"

// injectWriter adds tag before </head> of an HTML response, deciding by
// the Content-Type when the header is written.
type injectWriter struct {
	http.ResponseWriter
	tag     []byte
	decided bool
	looking bool   // an HTML page whose </head> has not passed yet
	held    []byte // the end of what was written, which may begin </head>
}

func (w *injectWriter) WriteHeader(code int) {
	if !w.decided {
		w.decided = true
		h := w.Header()
		// Pages only: not a download, nor compressed, nor a 304 or a
		// range of one.
		if (code == http.StatusOK || code == http.StatusNotFound) && strings.HasPrefix(h.Get("Content-Type"), "text/html") &&
			h.Get("Content-Disposition") == "" && h.Get("Content-Encoding") == "" {
			w.looking = true
			// They describe the file, not the page with the script.
			h.Del("Content-Length")
			h.Del("ETag")
			h.Del("Last-Modified")
		}
	}
	w.ResponseWriter.WriteHeader(code)
}

func (w *injectWriter) Write(p []byte) (int, error) {
	if !w.decided {
		if w.Header().Get("Content-Type") == "" {
			w.Header().Set("Content-Type", http.DetectContentType(p))
		}
		w.WriteHeader(http.StatusOK)
	}
	if !w.looking {
		return w.ResponseWriter.Write(p)
	}
	buf := p
	if len(w.held) > 0 {
		buf = append(w.held, p...)
		w.held = nil
	}
	if i := bytes.Index(buf, []byte(closeHead)); i >= 0 {
		w.looking = false
		if _, err := w.ResponseWriter.Write(buf[:i]); err != nil {
			return 0, err
		}
		if _, err := w.ResponseWriter.Write(w.tag); err != nil {
			return 0, err
		}
		if _, err := w.ResponseWriter.Write(buf[i:]); err != nil {
			return 0, err
		}
		return len(p), nil
	}
	// Hold back what could be the start of a </head> the next write ends.
	keep := len(closeHead) - 1
	for keep > 0 && (keep > len(buf) || !strings.HasPrefix(closeHead, string(buf[len(buf)-keep:]))) {
		keep--
	}
	if _, err := w.ResponseWriter.Write(buf[:len(buf)-keep]); err != nil {
		return 0, err
	}
	w.held = append([]byte(nil), buf[len(buf)-keep:]...)
	return len(p), nil
}

// finish writes what was held back of a page that had no </head>.
func (w *injectWriter) finish() {
	if len(w.held) > 0 {
		w.ResponseWriter.Write(w.held)
		w.held = nil
	}
}

// Flush lets the head of a page through as far as it is known not to
// begin </head>.
func (w *injectWriter) Flush() {
	http.NewResponseController(w.ResponseWriter).Flush()
}

// Unwrap gives http.ResponseController the underlying writer.
func (w *injectWriter) Unwrap() http.ResponseWriter { return w.ResponseWriter }
