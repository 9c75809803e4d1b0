package main

import (
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestDoccheckReportsMisnamedDocs runs the check on a small package: the
// comments left behind by renames are reported, the well-formed ones are not.
func TestDoccheckReportsMisnamedDocs(t *testing.T) {
	dir := t.TempDir()
	src := `package p

// assertRoundTrip was renamed without its comment.
func assertLayerRoundTrip() {}

// helper names a sibling declaration.
func other() {}

// helper is fine.
func helper() {}

// Returns nothing: an English first word passes.
func english() {}

// The Dense layer's doc may begin with an article.
type Dense struct{}

// Forward names the method Backward's sibling.
func (Dense) Backward() {}

// Forward is fine.
func (Dense) Forward() {}

// mnistSplit names the files of one split.
var mnistSplits = []string{}

// SELU's constants: a group's doc in capitals passes.
const (
	seluAlpha = 1.0
	seluScale = 1.0
)

// Im2Col is what ExampleIm2Col shows.
func ExampleIm2Col() {}
`
	require.NoError(t, os.WriteFile(filepath.Join(dir, "p.go"), []byte(src), 0o644))
	var out strings.Builder
	n, err := run(&out, []string{dir})
	require.NoError(t, err)
	got := out.String()
	for _, want := range []string{
		"doc of assertLayerRoundTrip begins with assertRoundTrip",
		"doc of other begins with helper",
		"doc of Backward begins with Forward",
		"doc of mnistSplits begins with mnistSplit",
	} {
		assert.Contains(t, got, want)
	}
	assert.Equal(t, 4, n, "reported:\n%s", got)
}
