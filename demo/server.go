package main

import (
	"bytes"
	"compress/gzip"
	"embed"
	"fmt"
	"io/fs"
	"mime"
	"net/http"
	"os"
	"path"
	"strconv"
	"strings"
	"sync"
	"time"
)

// site is the page: HTML, CSS and JS modules, embedded so the binary serves it from anywhere.
//
//go:embed site
var siteFiles embed.FS

// csp lets the page load only from its own server. Two additions to script-src: 'wasm-unsafe-eval',
// which browsers need to compile WebAssembly (it does not allow eval of JavaScript), and blob:, the
// modules the page itself makes from an edited example's text (site/examples.mjs); only the page's
// own scripts can make a blob: URL, and eval stays forbidden.
const csp = "default-src 'self'; script-src 'self' 'wasm-unsafe-eval' blob:; worker-src 'self'; " +
	"connect-src 'self'; img-src 'self'; style-src 'self'; font-src 'self'; object-src 'none'; " +
	"base-uri 'self'; form-action 'self'; frame-ancestors 'none'"

// jsPrefix is where the page imports the keraswasm package from (js/, with the runtime in js/dist/).
const jsPrefix = "/keraswasm/"

// dataPrefix is where the MNIST files are served.
const dataPrefix = "/data/mnist/"

// contentTypes fixes the types the page depends on, whatever the system's mime tables say:
// module scripts must be JavaScript and WebAssembly.instantiateStreaming needs application/wasm.
var contentTypes = map[string]string{
	".html": "text/html; charset=utf-8",
	".css":  "text/css; charset=utf-8",
	".js":   "text/javascript; charset=utf-8",
	".mjs":  "text/javascript; charset=utf-8",
	".json": "application/json",
	".wasm": "application/wasm",
	".svg":  "image/svg+xml",
	".png":  "image/png",
	".ts":   "text/plain; charset=utf-8",
	".u8":   "application/octet-stream",
}

// server serves the site, the JS package and MNIST.
type server struct {
	site  fs.FS // the page (demo/site)
	js    fs.FS // the keraswasm package directory (js/), read from disk so `make wasm` shows at once
	mnist *mnistFiles

	mu    sync.Mutex
	zips  map[string]zipped // gzip encodings of static files by path, checked against size and mtime
	start time.Time
}

// zipped is one cached gzip encoding of a static file.
type zipped struct {
	size    int64
	modTime time.Time
	data    []byte
}

// newServer builds the handler; jsDir is the js/ directory of the repository.
func newServer(jsDir string, m *mnistFiles) (*server, error) {
	site, err := fs.Sub(siteFiles, "site")
	if err != nil {
		return nil, err
	}
	return &server{site: site, js: os.DirFS(jsDir), mnist: m, zips: map[string]zipped{}, start: time.Now()}, nil
}

// ServeHTTP sets the security headers on every answer, then routes by path.
func (s *server) ServeHTTP(w http.ResponseWriter, r *http.Request) {
	h := w.Header()
	h.Set("Content-Security-Policy", csp)
	h.Set("X-Content-Type-Options", "nosniff")
	h.Set("Referrer-Policy", "no-referrer")
	// COOP + COEP make the page cross-origin isolated: SharedArrayBuffer is
	// then there, and a data-parallel fit (loadKeras({worker: true,
	// workers: N})) shares gradients in memory instead of copying them in
	// messages. Everything the demo loads is its own, so require-corp costs nothing.
	h.Set("Cross-Origin-Opener-Policy", "same-origin")
	h.Set("Cross-Origin-Embedder-Policy", "require-corp")
	h.Set("Cross-Origin-Resource-Policy", "same-origin")
	if r.Method != http.MethodGet && r.Method != http.MethodHead {
		h.Set("Allow", "GET, HEAD")
		http.Error(w, "demo: only GET and HEAD are served", http.StatusMethodNotAllowed)
		return
	}
	p := r.URL.Path
	switch {
	case p == dataPrefix+"manifest.json":
		h.Set("Content-Type", "application/json")
		h.Set("Cache-Control", "no-cache")
		_, _ = w.Write(s.mnist.manifest())
	case strings.HasPrefix(p, idxPrefix):
		s.serveIDX(w, r, strings.TrimPrefix(p, idxPrefix))
	case strings.HasPrefix(p, dataPrefix):
		s.serveMNIST(w, r, strings.TrimPrefix(p, dataPrefix))
	case strings.HasPrefix(p, jsPrefix):
		s.serveFile(w, r, s.js, strings.TrimPrefix(p, jsPrefix))
	case p == "/":
		s.serveFile(w, r, s.site, "index.html")
	default:
		s.serveFile(w, r, s.site, strings.TrimPrefix(p, "/"))
	}
}

// serveMNIST answers one compact MNIST file; ?n=N keeps only the first N images (or labels),
// so a page that trains on 5,000 images downloads only those.
func (s *server) serveMNIST(w http.ResponseWriter, r *http.Request, name string) {
	data, ok := s.mnist.files[name]
	if !ok {
		http.Error(w, fmt.Sprintf("demo: no MNIST file %q; the manifest %smanifest.json lists them", name, dataPrefix), http.StatusNotFound)
		return
	}
	per := 1
	if strings.HasSuffix(name, "-images.u8") {
		per = s.mnist.rows * s.mnist.cols
	}
	whole := true
	if q := r.URL.Query().Get("n"); q != "" {
		n, err := strconv.Atoi(q)
		if err != nil || n < 1 {
			http.Error(w, fmt.Sprintf("demo: invalid n=%q: expected a positive number of images", q), http.StatusBadRequest)
			return
		}
		// n is compared in items, not bytes: n·per overflows for n near 2⁶³
		// (it panicked, or wrapped to a small slice with X-Items: 0).
		if n < len(data)/per {
			data, whole = data[:n*per], false
		}
	}
	h := w.Header()
	h.Set("Content-Type", "application/octet-stream")
	h.Set("Cache-Control", "public, max-age=3600")
	h.Set("X-Items", strconv.Itoa(len(data)/per))
	h.Add("Vary", "Accept-Encoding")
	if acceptsGzip(r) {
		var z []byte
		if whole {
			z = s.mnist.gzipped(name)
		} else {
			z = gzipBytes(data, gzip.BestSpeed)
		}
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(z)))
		if r.Method != http.MethodHead {
			_, _ = w.Write(z)
		}
		return
	}
	http.ServeContent(w, r, name, s.start, bytes.NewReader(data))
}

// serveFile answers a static file from fsys; directories, dot files and node_modules are not
// served. Scripts and WebAssembly are gzip-encoded when the browser accepts it.
func (s *server) serveFile(w http.ResponseWriter, r *http.Request, fsys fs.FS, name string) {
	name = path.Clean("/" + name)[1:]
	if name == "" || !fs.ValidPath(name) || hiddenPath(name) {
		http.NotFound(w, r)
		return
	}
	st, err := fs.Stat(fsys, name)
	if err != nil || st.IsDir() {
		http.NotFound(w, r)
		return
	}
	data, err := fs.ReadFile(fsys, name)
	if err != nil {
		http.Error(w, "demo: cannot read "+name, http.StatusInternalServerError)
		return
	}
	h := w.Header()
	if ct, ok := contentTypes[path.Ext(name)]; ok {
		h.Set("Content-Type", ct)
	} else if ct := mime.TypeByExtension(path.Ext(name)); ct != "" {
		h.Set("Content-Type", ct)
	}
	// The site and the runtime change with every build; the browser revalidates each load.
	h.Set("Cache-Control", "no-cache")
	modTime := st.ModTime()
	if modTime.IsZero() {
		modTime = s.start // embedded files have no time
	}
	if compressible(name) && len(data) > 1024 && acceptsGzip(r) {
		z := s.gzipFile(name, st.Size(), modTime, data)
		h.Add("Vary", "Accept-Encoding")
		h.Set("Content-Encoding", "gzip")
		h.Set("Content-Length", strconv.Itoa(len(z)))
		if r.Method != http.MethodHead {
			_, _ = w.Write(z)
		}
		return
	}
	http.ServeContent(w, r, name, modTime, bytes.NewReader(data))
}

// gzipFile returns the cached gzip encoding of a static file, remaking it when the file changed.
func (s *server) gzipFile(name string, size int64, modTime time.Time, data []byte) []byte {
	s.mu.Lock()
	defer s.mu.Unlock()
	if z, ok := s.zips[name]; ok && z.size == size && z.modTime.Equal(modTime) {
		return z.data
	}
	z := zipped{size: size, modTime: modTime, data: gzipBytes(data, gzip.DefaultCompression)}
	s.zips[name] = z
	return z.data
}

// hiddenPath reports whether a path has a segment that is never served.
func hiddenPath(name string) bool {
	for _, seg := range strings.Split(name, "/") {
		if strings.HasPrefix(seg, ".") || seg == "node_modules" {
			return true
		}
	}
	return false
}

// compressible reports whether a file is worth gzip-encoding on the wire.
func compressible(name string) bool {
	switch path.Ext(name) {
	case ".wasm", ".js", ".mjs", ".css", ".html", ".json", ".svg", ".ts", ".txt":
		return true
	}
	return false
}

// acceptsGzip reports whether the request allows a gzip-encoded answer ("gzip;q=0" refuses it).
func acceptsGzip(r *http.Request) bool {
	for _, part := range strings.Split(r.Header.Get("Accept-Encoding"), ",") {
		enc, params, _ := strings.Cut(strings.TrimSpace(part), ";")
		if !strings.EqualFold(strings.TrimSpace(enc), "gzip") {
			continue
		}
		key, val, ok := strings.Cut(strings.ReplaceAll(params, " ", ""), "=")
		if ok && key == "q" {
			q, err := strconv.ParseFloat(val, 64)
			return err == nil && q > 0
		}
		return true
	}
	return false
}
