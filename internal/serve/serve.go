// Package serve serves a built site over HTTP the way a static web server
// would: index.html for folders, 404.html for what does not exist, no
// directory listings, and nothing outside the site's folder.
package serve

import (
	"context"
	"errors"
	"io"
	"io/fs"
	"mime"
	"net"
	"net/http"
	"path"
	"strings"
	"time"
)

// Handler serves the files of site, mounted at basePath ("/" or "/news/").
func Handler(site fs.FS, basePath string) http.Handler {
	h := &static{site: site}
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

type static struct{ site fs.FS }

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
	h.serveFile(w, r, name, info)
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
	http.ServeContent(w, r, name, info.ModTime(), rs)
}

func setHeaders(w http.ResponseWriter, name string) {
	if ct := contentType(name); ct != "" {
		w.Header().Set("Content-Type", ct)
	}
	w.Header().Set("X-Content-Type-Options", "nosniff")
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
	switch path.Ext(name) {
	case ".html":
		return "text/html; charset=utf-8"
	case ".css":
		return "text/css; charset=utf-8"
	case ".js":
		return "text/javascript; charset=utf-8"
	case ".xml":
		return "application/xml; charset=utf-8"
	case ".txt":
		return "text/plain; charset=utf-8"
	case ".json":
		return "application/json; charset=utf-8"
	case ".pdf":
		return "application/pdf"
	}
	return mime.TypeByExtension(path.Ext(name))
}

// ListenAndServe serves h on addr until ctx is cancelled, then lets
// requests in flight finish. ready, when set, is called with the address
// actually listened on (useful with port 0).
func ListenAndServe(ctx context.Context, addr string, h http.Handler, ready func(addr string)) error {
	ln, err := net.Listen("tcp", addr)
	if err != nil {
		return err
	}
	srv := &http.Server{
		Handler:           h,
		ReadHeaderTimeout: 10 * time.Second,
		ReadTimeout:       30 * time.Second,
		WriteTimeout:      60 * time.Second,
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
