package sequential

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestStudyNoteCNNFullSizeFitsInMemory: the study note's CNN on 100×100×3
// images with batch_size=32 (testdata/studynote/keras_sequential_note.md,
// lines 207–262) was refused ("about 2.0 GiB", the im2col columns of the
// whole batch); with the columns made one tile at a time its fit is
// estimated well under 512 MiB and passes the memory check, and a batch
// far too large is still refused with the batch size that fits.
func TestStudyNoteCNNFullSizeFitsInMemory(t *testing.T) {
	m := studyNoteCNN(t, 100, 100, 1)
	require.NoError(t, m.Compile(CompileOptions{Loss: "categorical_crossentropy", Optimizer: studyNoteSGD(t)}))
	f, err := m.flowFor("fit", []int{100, 100, 100, 3})
	require.NoError(t, err)
	e := m.estimateRun(f, true)
	need := e.fixed + 32*e.perSample
	t.Logf("study note CNN, batch 32: %s (fixed %s, %s per sample)", formatBytes(need), formatBytes(e.fixed), formatBytes(e.perSample))
	assert.Less(t, need, float64(448<<20), "under 512 MiB (426.5 MiB when written)")
	_, err = m.checkRunMemory("fit", f, 32, true, 0)
	assert.NoError(t, err)

	_, err = m.checkRunMemory("fit", f, 4096, true, 0)
	requireMemoryError(t, err, "fit", "a batch of 4096", "smaller batch_size (")
}
