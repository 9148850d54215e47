// Package serve serves a built site over HTTP the way a static web server
// would: index.html for folders, 404.html for what does not exist, no
// directory listings, and nothing outside the site's folder.
package serve

import (
	"context"
	"crypto/sha256"
	"encoding/hex"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"os"
	"path"
	"strings"
	"sync"
	"time"

	"bulletin/internal/diag"
)

// Handler serves the files of site, mounted at basePath ("/" or "/news/").
func Handler(site fs.FS, basePath string) http.Handler {
	h := &static{site: site, grace: writeTimeout, minRate: minDownloadRate}
	if basePath == "" || basePath == "/" {
		return h
	}
	prefix := strings.TrimSuffix(basePath, "/")
	mux := http.NewServeMux()
	mux.Handle(basePath, http.StripPrefix(prefix, h))
	mux.HandleFunc("/{$}", func(w http.ResponseWriter, r *http.Request) {
		http.Redirect(w, r, basePath, http.StatusFound)
	})
	return mux
}

type static struct {
	site fs.FS
	// A file too large to send within the server's write timeout
	// (grace) has a deadline that grows with what is sent, so that a
	// reader at minRate bytes a second or faster gets all of it (see
	// paced).
	grace   time.Duration
	minRate float64
	// etags caches each file's ETag by name, valid while the file keeps
	// its modification time and size, so a file is hashed once, not on
	// every request.
	etags sync.Map // string -> etag
}

type etag struct {
	mod  time.Time
	size int64
	tag  string
}

func (h *static) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		w.Header().Set("Allow", "GET, HEAD")
		http.Error(w, "method not allowed", http.StatusMethodNotAllowed)
		return
	}
	// The request path is cleaned before any file is opened, and fs.FS
	// refuses names with .. anyway.
	p := path.Clean("/" + r.URL.Path)
	name := strings.TrimPrefix(p, "/")
	if name == "" {
		name = "."
	}
	info, err := fs.Stat(h.site, name)
	if err == nil && info.IsDir() {
		if !strings.HasSuffix(r.URL.Path, "/") {
			http.Redirect(w, r, r.URL.Path+"/", http.StatusMovedPermanently)
			return
		}
		name = path.Join(name, "index.html")
		info, err = fs.Stat(h.site, name)
	}
	if err != nil || info.IsDir() {
		h.notFound(w, r)
		return
	}
	if ct := contentType(name); isFeed(ct) && browsing(r, ct) {
		subscribePage(w, p)
		return
	}
	h.serveFile(w, r, name, info)
}

// subscribePage sends a browser that opened the feed at p to the feed's
// entry on the subscribe page, which says how to subscribe: a browser shows
// a feed as raw text, or through an XSLT view under Chromium's warning that
// XSLT is going away. The entry's anchor is the feed's folder with - for
// / (/bureaus/qinghai/feed.xml: #feed-bureaus-qinghai; /feed.xml:
// #feed-site), as build names it and deploy/nginx.conf does too. The
// address is relative, so it holds wherever the site is mounted.
func subscribePage(w http.ResponseWriter, p string) {
	dir := strings.Trim(path.Dir(p), "/")
	anchor := "feed-site"
	if dir != "" {
		anchor = "feed-" + strings.ReplaceAll(dir, "/", "-")
	}
	up := strings.Repeat("../", strings.Count(p, "/")-1)
	w.Header().Set("Location", up+"subscribe/#"+anchor)
	w.Header().Add("Vary", "Accept")
	w.Header().Set("Cache-Control", "no-cache")
	w.WriteHeader(http.StatusSeeOther)
}

func (h *static) serveFile(w http.ResponseWriter, r *http.Request, name string, info fs.FileInfo) {
	f, err := h.site.Open(name)
	if err != nil {
		http.Error(w, "cannot read file", http.StatusInternalServerError)
		return
	}
	defer f.Close()
	rs, ok := f.(io.ReadSeeker)
	if !ok {
		http.Error(w, "cannot read file", http.StatusInternalServerError)
		return
	}
	setHeaders(w, name)
	if isAttachment(name) {
		attachmentHeaders(w, name)
	}
	tag, err := h.etag(name, info, rs)
	if err != nil {
		http.Error(w, "cannot read file", http.StatusInternalServerError)
		return
	}
	if isFeed(contentType(name)) {
		// Browsers are sent elsewhere (subscribePage).
		w.Header().Add("Vary", "Accept")
	}
	// ServeContent answers If-None-Match with 304 Not Modified from it.
	w.Header().Set("ETag", tag)
	if float64(info.Size()) > h.grace.Seconds()*h.minRate {
		w = &paced{ResponseWriter: w, rc: http.NewResponseController(w), start: time.Now(), grace: h.grace, rate: h.minRate}
	}
	http.ServeContent(w, r, name, info.ModTime(), rs)
}

// minDownloadRate is the slowest average, in bytes a second, at which a
// reader still gets a large file whole: 16 KB/s, a poor mobile
// connection. A 150 MB attachment may take up to 2.7 hours at it.
const minDownloadRate = 16 << 10

// paced moves the write deadline of a large file along as it is sent:
// each write must be done by the time the floor rate would have sent it,
// after the grace of an ordinary response. A reader above the floor never
// meets the deadline; one that stops is cut off as soon as it falls
// behind, not at the end of the longest download's deadline.
type paced struct {
	http.ResponseWriter
	rc    *http.ResponseController
	start time.Time
	grace time.Duration
	rate  float64
	sent  int64
}

func (p *paced) Write(b []byte) (int, error) {
	due := p.grace + time.Duration(float64(p.sent+int64(len(b)))/p.rate*float64(time.Second))
	// Writers that cannot set deadlines have no timeout to escape.
	p.rc.SetWriteDeadline(p.start.Add(due))
	n, err := p.ResponseWriter.Write(b)
	p.sent += int64(n)
	return n, err
}

// Unwrap gives http.ResponseController the underlying writer.
func (p *paced) Unwrap() http.ResponseWriter { return p.ResponseWriter }

func isFeed(contentType string) bool {
	return strings.HasPrefix(contentType, "application/rss+xml") || strings.HasPrefix(contentType, "application/atom+xml") ||
		strings.HasPrefix(contentType, "application/feed+json")
}

// browsing reports whether r is a browser opening a page rather than a
// feed reader: it accepts HTML and does not name the feed's own type,
// which readers do.
func browsing(r *http.Request, contentType string) bool {
	accept := r.Header.Get("Accept")
	feedType, _, _ := strings.Cut(contentType, ";")
	return strings.Contains(accept, "text/html") && !strings.Contains(accept, feedType)
}

// etag returns the strong ETag of the file name: a hash of its content,
// so that the same bytes keep the same tag however they were written
// (bulletin serve builds into a new folder each time). It leaves rs at its
// start.
func (h *static) etag(name string, info fs.FileInfo, rs io.ReadSeeker) (string, error) {
	if v, ok := h.etags.Load(name); ok {
		if e := v.(etag); e.mod.Equal(info.ModTime()) && e.size == info.Size() {
			return e.tag, nil
		}
	}
	sum := sha256.New()
	if _, err := io.Copy(sum, rs); err != nil {
		return "", err
	}
	if _, err := rs.Seek(0, io.SeekStart); err != nil {
		return "", err
	}
	tag := `"` + hex.EncodeToString(sum.Sum(nil)[:16]) + `"`
	h.etags.Store(name, etag{mod: info.ModTime(), size: info.Size(), tag: tag})
	return tag, nil
}

func setHeaders(w http.ResponseWriter, name string) {
	if ct := contentType(name); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
	w.Header().Set("Cache-Control", cacheControl(name))
}

// isAttachment reports a file that a bureau published beside its bulletin
// (bulletins/<slug>/<name>): anything in a bulletin's folder but its page.
func isAttachment(name string) bool {
	rest, ok := strings.CutPrefix(name, "bulletins/")
	if !ok {
		return false
	}
	_, file, ok := strings.Cut(rest, "/")
	return ok && file != "" && file != "index.html"
}

// attachmentPolicy is the Content-Security-Policy of attachments. sandbox
// gives the file an origin of its own and neither scripts, forms, plugins
// nor pop-ups; default-src 'none' has it load nothing, but for what an
// SVG chart needs to look right: its own and embedded images and inline
// styles. It is the same in deploy/nginx.conf.
const attachmentPolicy = "sandbox; default-src 'none'; img-src 'self' data:; style-src 'unsafe-inline'"

// attachmentHeaders keeps what a bureau attached from running as part of
// the site: it is sandboxed, and all but images, which pages show inline,
// are downloads, never opened as a page of the site.
func attachmentHeaders(w http.ResponseWriter, name string) {
	w.Header().Set("Content-Security-Policy", attachmentPolicy)
	switch strings.ToLower(path.Ext(name)) {
	case ".jpg", ".jpeg", ".png", ".gif", ".webp", ".svg":
	default:
		w.Header().Set("Content-Disposition", "attachment")
	}
}

// cacheControl lets browsers keep the theme's assets for an hour, and makes
// them ask again for pages and feeds, which change with every new
// bulletin; the ETag keeps asking cheap.
func cacheControl(name string) string {
	if strings.HasPrefix(name, "assets/") {
		return "public, max-age=3600"
	}
	switch path.Ext(name) {
	case ".html", ".xml", ".json", ".txt":
		return "no-cache"
	}
	return "public, max-age=3600"
}

// notFound answers with the site's own 404.html.
func (h *static) notFound(w http.ResponseWriter, r *http.Request) {
	page, err := fs.ReadFile(h.site, "404.html")
	if err != nil {
		http.NotFound(w, r)
		return
	}
	setHeaders(w, "404.html")
	w.WriteHeader(http.StatusNotFound)
	if r.Method != http.MethodHead {
		w.Write(page)
	}
}

// contentType names the types that matter for a news site explicitly, as
// the system's MIME table differs between machines.
func contentType(name string) string {
	// Feeds by name, as bulletin build writes them: readers and browsers
	// tell the formats apart by type.
	switch path.Base(name) {
	case "feed.xml":
		return "application/rss+xml; charset=utf-8"
	case "atom.xml":
		return "application/atom+xml; charset=utf-8"
	case "feed.json":
		return "application/feed+json; charset=utf-8"
	}
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".xml":
		return "application/xml; charset=utf-8"
	case ".xsl":
		// The feeds' stylesheet; browsers apply XSLT served as XML.
		return "text/xsl; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".json":
		return "application/json; charset=utf-8"
	case ".pdf":
		return "application/pdf"
	}
	return mime.TypeByExtension(path.Ext(name))
}

// writeTimeout is the time a response may take to write, but for large
// files and event streams.
const writeTimeout = 60 * time.Second

// ListenAndServe serves h on addr until ctx is cancelled, then lets
// requests in flight finish. ready, when set, is called with the address
// actually listened on (useful with port 0).
func ListenAndServe(ctx context.Context, addr string, h http.Handler, ready func(addr string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return listenError(err)
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      writeTimeout, // large files get longer (see paced)
		IdleTimeout:       120 * time.Second,
		MaxHeaderBytes:    64 << 10,
	}
	if ready != nil {
		ready(ln.Addr().String())
	}
	errc := make(chan error, 1)
	go func() { errc <- srv.Serve(ln) }()
	select {
	case err := <-errc:
		return err
	case <-ctx.Done():
	}
	shutdownCtx, cancel := context.WithTimeout(context.Background(), 10*time.Second)
	defer cancel()
	if err := srv.Shutdown(shutdownCtx); err != nil {
		return err
	}
	if err := <-errc; !errors.Is(err, http.ErrServerClosed) {
		return err
	}
	return nil
}

// listenError is why net.Listen failed, as a message that reads as Go
// writes it in English ("listen tcp 127.0.0.1:8080: bind: address already
// in use") and in the person's language otherwise. Errors of another
// shape are returned as they are.
func listenError(err error) error {
	op, ok := err.(*net.OpError)
	if !ok || op.Op != "listen" || op.Source != nil {
		return err
	}
	reason := op.Err
	switch e := op.Err.(type) {
	case *os.SyscallError:
		reason = diag.Errorf("%s: %w", e.Syscall, e.Err)
	case *net.AddrError:
		if e.Addr != "" {
			reason = diag.Errorf("address %s: %w", e.Addr, errors.New(e.Err))
		}
	}
	if op.Addr == nil {
		return diag.Errorf("listen %s: %w", op.Net, reason)
	}
	return diag.Errorf("listen %s %s: %w", op.Net, op.Addr, reason)
}
