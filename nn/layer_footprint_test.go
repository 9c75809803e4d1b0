package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestFootprintWeightsAreExact: the weights a footprint counts before Build
// are the ones Build creates, for every Conv2D case and a few Dense ones, so
// the model's build check refuses exactly what would not fit.
func TestFootprintWeightsAreExact(t *testing.T) {
	type layerCase struct {
		name  string
		class string
		cfg   map[string]any
		in    tensor.Shape // batch first
	}
	cases := []layerCase{
		{"dense", "Dense", map[string]any{"units": 7}, tensor.Shape{1, 5}},
		{"dense_no_bias_rank3", "Dense", map[string]any{"units": 3, "use_bias": false, "activation": "relu"}, tensor.Shape{1, 4, 6}},
		{"dense_none_middle", "Dense", map[string]any{"units": 3}, tensor.Shape{1, -1, 6}},
		{"maxpool", "MaxPooling2D", map[string]any{}, tensor.Shape{1, 4, 4, 2}},
	}
	for _, c := range convCases {
		cases = append(cases, layerCase{"conv_" + c.name, "Conv2D", c.cfg, c.in})
	}
	for _, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLayer(t, tt.class, tt.cfg)
			fp := LayerFootprint(l, tt.in[1:])
			require.NoError(t, l.Build(tt.in[1:], tensor.NewRNG(1)))
			var n int
			for _, p := range l.Params() {
				n += p.Value.Size()
			}
			assert.Equal(t, float64(n), fp.Weights)
			assert.Equal(t, fp, LayerFootprint(l, tt.in[1:]), "the same once built")
			assert.Greater(t, fp.Forward, 0.0)
			assert.Greater(t, fp.Backward, 0.0)
		})
	}
}

// TestFootprintCountsIm2ColTilesOnce: a Conv2D's im2col columns (and their
// gradient) are scratch of one tile, counted once whatever the batch; per
// sample it keeps only z forward and dx backward (linear activation).
func TestFootprintCountsIm2ColTilesOnce(t *testing.T) {
	l := mustLayer(t, "Conv2D", map[string]any{"filters": 2, "kernel_size": 5, "padding": "same"})
	fp := LayerFootprint(l, tensor.Shape{8, 8, 3})
	k := 5 * 5 * 3
	assert.Equal(t, 8.0*8*2, fp.Forward, "z")
	assert.Equal(t, 8.0*8*3, fp.Backward, "dx")
	assert.Equal(t, 2*float64(tensor.MaxColTileRows(k)*k), fp.Scratch, "one tile of columns and one of their gradient")
	assert.Less(t, fp.Scratch*4, float64(4<<20), "a few MiB")
	huge := LayerFootprint(mustLayer(t, "Dense", map[string]any{"units": 1 << 40}), tensor.Shape{1 << 40})
	assert.Equal(t, float64(1<<40)*float64(1<<40)+float64(1<<40), huge.Weights, "no overflow")
}
