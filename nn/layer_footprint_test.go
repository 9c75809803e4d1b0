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
		{"lstm", "LSTM", map[string]any{"units": 5}, tensor.Shape{1, 3, 4}},
		{"gru_reset_after", "GRU", map[string]any{"units": 3, "return_sequences": true}, tensor.Shape{1, 6, 2}},
		{"gru_reset_before", "GRU", map[string]any{"units": 3, "reset_after": false, "recurrent_dropout": 0.2}, tensor.Shape{1, -1, 2}},
		{"simple_rnn_no_bias", "SimpleRNN", map[string]any{"units": 4, "use_bias": false}, tensor.Shape{1, 2, 3}},
		{"embedding", "Embedding", map[string]any{"input_dim": 7, "output_dim": 3}, tensor.Shape{1, 5}},
		{"bidirectional", "Bidirectional", map[string]any{"layer": map[string]any{"class_name": "LSTM", "config": map[string]any{"units": 2}}}, tensor.Shape{1, 3, 4}},
		{"time_distributed_conv", "TimeDistributed", map[string]any{"layer": map[string]any{"class_name": "Conv2D", "config": map[string]any{"filters": 2, "kernel_size": 2}}}, tensor.Shape{1, 3, 4, 4, 1}},
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

// TestRecurrentFootprintGrowsWithSteps: a recurrent layer's per-sample
// buffers grow with the time steps (they are kept for backpropagation
// through time), and a huge layer is counted before it is built.
func TestRecurrentFootprintGrowsWithSteps(t *testing.T) {
	l := mustLayer(t, "LSTM", map[string]any{"units": 8})
	short, long := LayerFootprint(l, tensor.Shape{10, 4}), LayerFootprint(l, tensor.Shape{100, 4})
	assert.Greater(t, long.Forward, 9*short.Forward)
	assert.Greater(t, long.Backward, 9*short.Backward)
	huge := mustLayer(t, "Bidirectional", map[string]any{"layer": map[string]any{"class_name": "LSTM", "config": map[string]any{"units": 100000}}})
	assert.Greater(t, LayerFootprint(huge, tensor.Shape{5, 10}).Weights, 8e10)
}
