package serve

import (
	"bytes"
	_ "embed"
	"fmt"
	"net/http"
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
	problems string // of the last build, "" when it succeeded
	base     string // base path, e.g. "/" or "/news/"

	closing   chan struct{} // closed by Close
	closeOnce sync.Once
}

type liveEvent struct{ name, data string }

// NewLive returns a Live for a site mounted at basePath.
func NewLive(basePath string) *Live {
	return &Live{clients: map[chan liveEvent]struct{}{}, base: basePath, closing: make(chan struct{})}
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
	l.mu.Lock()
	l.problems = ""
	l.mu.Unlock()
	l.send(liveEvent{"reload", data})
}

// Failed tells every page that a rebuild failed, with its problems.
func (l *Live) Failed(problems string) {
	l.mu.Lock()
	l.problems = problems
	l.mu.Unlock()
	l.send(liveEvent{"problems", problems})
}

func (l *Live) send(ev liveEvent) {
	l.mu.Lock()
	defer l.mu.Unlock()
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
	flusher, ok := w.(http.Flusher)
	if !ok {
		http.Error(w, "streaming unsupported", http.StatusInternalServerError)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "text/event-stream; charset=utf-8")
	h.Set("Cache-Control", "no-cache")
	c := make(chan liveEvent, 4)
	l.mu.Lock()
	l.clients[c] = struct{}{}
	pending := l.problems
	l.mu.Unlock()
	defer func() {
		l.mu.Lock()
		delete(l.clients, c)
		l.mu.Unlock()
	}()
	// The server's write timeout is for ordinary responses; a stream
	// lasts as long as the page is open.
	http.NewResponseController(w).SetWriteDeadline(time.Time{})
	fmt.Fprint(w, ": connected\n\n")
	if pending != "" {
		writeEvent(w, liveEvent{"problems", pending})
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

func writeEvent(w http.ResponseWriter, ev liveEvent) {
	fmt.Fprintf(w, "event: %s\n", ev.name)
	for _, line := range strings.Split(ev.data, "\n") {
		fmt.Fprintf(w, "data: %s\n", line)
	}
	fmt.Fprint(w, "\n")
}

// inject adds the reload script before </head> of every HTML page.
func (l *Live) inject(next http.Handler) http.Handler {
	tag := []byte(`<script src="` + l.ScriptPath() + `" data-events="` + l.eventsPath() + `" defer></script>`)
	return http.HandlerFunc(func(w http.ResponseWriter, r *http.Request) {
		// Conditional requests would let a browser keep a page from
		// before the last rebuild without the script's help; the
		// development server always sends the page.
		r.Header.Del("If-None-Match")
		r.Header.Del("If-Modified-Since")
		buf := &htmlBuffer{header: http.Header{}}
		next.ServeHTTP(buf, r)
		body := buf.body.Bytes()
		if strings.HasPrefix(buf.header.Get("Content-Type"), "text/html") {
			if i := bytes.Index(body, []byte("</head>")); i >= 0 {
				body = append(append(append([]byte{}, body[:i]...), tag...), body[i:]...)
			}
			buf.header.Del("Content-Length")
			buf.header.Del("ETag")
		}
		for k, v := range buf.header {
			w.Header()[k] = v
		}
		w.WriteHeader(buf.status())
		w.Write(body)
	})
}

// htmlBuffer holds a response so that the script can be added to it.
type htmlBuffer struct {
	header http.Header
	code   int
	body   bytes.Buffer
}

func (b *htmlBuffer) Header() http.Header         { return b.header }
func (b *htmlBuffer) WriteHeader(code int)        { b.code = code }
func (b *htmlBuffer) Write(p []byte) (int, error) { return b.body.Write(p) }
func (b *htmlBuffer) status() int {
	if b.code == 0 {
		return http.StatusOK
	}
	return b.code
}
