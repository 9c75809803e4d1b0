package main

import (
	"net/http"
	"os"
	"path/filepath"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestServeIDX(t *testing.T) {
	s, _ := newTestServer(t)
	root, err := findRoot()
	require.NoError(t, err)
	dir, err := findMNISTDir(root)
	require.NoError(t, err)
	for _, name := range []string{"train-images-idx3-ubyte.gz", "t10k-labels-idx1-ubyte.gz"} {
		r := get(t, s, idxPrefix+name, map[string]string{"Accept-Encoding": "gzip"})
		require.Equal(t, http.StatusOK, r.StatusCode, name)
		assert.Equal(t, "application/gzip", r.Header.Get("Content-Type"))
		assert.Empty(t, r.Header.Get("Content-Encoding"))
		want, err := os.ReadFile(filepath.Join(dir, name))
		require.NoError(t, err)
		assert.Equal(t, want, body(t, r), name)
	}
	r := get(t, s, idxPrefix+"train-images-idx3-ubyte", nil)
	assert.Equal(t, http.StatusNotFound, r.StatusCode)
	assert.Contains(t, string(body(t, r)), "train-images-idx3-ubyte.gz")
}
