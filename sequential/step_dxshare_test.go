package sequential

import (
	"runtime"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
)

// shareModel is a CNN with every kind of DxSharer (Conv2D in both data
// formats, MaxPooling2D, Dropout dropping and not, Dense hidden and fused
// with softmax) and a Flatten, whose dx is a view of its dy, between them.
func shareModel(t *testing.T) *Model {
	layers := []nn.Layer{
		conv2d(t, 4, map[string]any{"activation": "relu", "input_shape": []int{12, 12, 3}}),
		conv2d(t, 6, map[string]any{"activation": "relu"}),
		maxPool(t),
		dropout(t, 0.25),
		conv2d(t, 3, map[string]any{"activation": "relu", "data_format": "channels_first"}),
		dropout(t, 0), // returns dy itself
		flatten(t),
		dense(t, 16, map[string]any{"activation": "relu"}),
		dropout(t, 0.5),
		dense(t, 5, map[string]any{"activation": "softmax"}),
	}
	m, err := NewWithLayers("", 7, layers...)
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "adam", Loss: "categorical_crossentropy"}))
	return m
}

// TestSharedDxTrainsToTheSameBits: the layers' input gradients written into
// the model's two shared buffers in turn give the same weights, bit for
// bit, over several steps, as each layer writing its own.
func TestSharedDxTrainsToTheSameBits(t *testing.T) {
	x, y := randomClasses(16, 12*12*3, 5, 9)
	x.Shape = []int{16, 12, 12, 3}
	shared, own := shareModel(t), shareModel(t)
	shared.prepare()
	own.prepare()
	clear(own.st.sharers) // each layer keeps its own dx
	for step := 0; step < 4; step++ {
		for _, m := range []*Model{shared, own} {
			_, err := m.trainStep(x, y, nil)
			require.NoError(t, err)
		}
	}
	require.NotNil(t, shared.buf.dx[0])
	require.NotNil(t, shared.buf.dx[1])
	assert.Nil(t, own.buf.dx[0], "the model without sharers used no shared buffer")
	for i := range shared.st.params {
		assert.Equal(t, own.st.params[i].Value.Data, shared.st.params[i].Value.Data, "weight %d", i)
	}
}

// TestSharedDxHoldsLess: on W3 (mnist-cnn) the layers' input gradients take
// two buffers (the largest two in turn: max pooling's and the second
// convolution's) instead of one per layer, 18,688 values a sample fewer
// held (9.6 MB at batch 128; the buffers are sized at once, so no smaller
// ones are left as garbage): counted in Go's live heap after a step, not
// timed. Without the sharing nothing is saved.
func TestSharedDxHoldsLess(t *testing.T) {
	if testing.Short() {
		t.Skip("two W3 steps")
	}
	live := func(share bool) uint64 {
		var ms runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&ms)
		before := ms.HeapAlloc
		m, x, y := workloadModel(t, "W3")
		m.prepare()
		if !share {
			clear(m.st.sharers)
		}
		_, err := m.trainStep(x, y, nil)
		require.NoError(t, err)
		runtime.GC()
		runtime.ReadMemStats(&ms)
		runtime.KeepAlive(m)
		return ms.HeapAlloc - before
	}
	own, shared := live(false), live(true)
	saved := float64(own) - float64(shared)
	want := 18688.0 * 128 * 4
	t.Logf("live after a step: %d bytes with each layer's own dx, %d shared: %.0f saved (%.0f expected)", own, shared, saved, want)
	assert.Greater(t, saved, 0.8*want, "the shared buffers save the gradients of the layers between")
}
