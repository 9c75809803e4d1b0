package main

import (
	"bytes"
	"fmt"
	"net/http"
	"os"
	"path/filepath"
)

// idxPrefix is where the MNIST IDX files are served as GoMNIST ships them
// (train-images-idx3-ubyte.gz …), for keras.datasets.mnist.load_data({url:
// '/data/mnist/idx/'}). A name without .gz answers 404, so load_data asks
// for the .gz first and finds it.
const idxPrefix = dataPrefix + "idx/"

// readIDX reads the four .gz files of dir into m.idx, byte for byte.
func (m *mnistFiles) readIDX(dir string) error {
	m.idx = map[string][]byte{}
	for _, s := range mnistSplits {
		for _, name := range []string{s.images, s.labels} {
			b, err := os.ReadFile(filepath.Join(dir, name))
			if err != nil {
				return fmt.Errorf("demo: reading the MNIST idx file %s: %w", name, err)
			}
			m.idx[name] = b
		}
	}
	return nil
}

// serveIDX answers one IDX .gz file as the file itself (application/gzip,
// no Content-Encoding: the page reads the gzip bytes and the core inflates them).
func (s *server) serveIDX(w http.ResponseWriter, r *http.Request, name string) {
	data, ok := s.mnist.idx[name]
	if !ok {
		http.Error(w, fmt.Sprintf("demo: no IDX file %q under %s; the files are train-images-idx3-ubyte.gz, train-labels-idx1-ubyte.gz, t10k-images-idx3-ubyte.gz, t10k-labels-idx1-ubyte.gz", name, idxPrefix), http.StatusNotFound)
		return
	}
	h := w.Header()
	h.Set("Content-Type", "application/gzip")
	h.Set("Cache-Control", "public, max-age=3600")
	http.ServeContent(w, r, name, s.start, bytes.NewReader(data))
}
