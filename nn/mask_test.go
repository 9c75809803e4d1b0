package nn

import (
	"errors"
	"math"
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func newTestLayer(t *testing.T, class string, m map[string]any) Layer {
	t.Helper()
	l, err := NewLayer(Config{ClassName: class, Config: m})
	require.NoError(t, err)
	l.Base().Name = SnakeCase(class)
	return l
}

// TestGlobalAveragePooling1DMaskedMean: Keras 2's formula, sum(x·mask) /
// sum(mask) over the steps, written here, for both data formats.
func TestGlobalAveragePooling1DMaskedMean(t *testing.T) {
	const B, T, C = 2, 4, 3
	mask := []bool{true, false, true, true, false, true, false, false}
	x := gradcheck.Random(B*T*C, -1, 1, 4)
	for _, format := range []string{"channels_last", "channels_first"} {
		l := newTestLayer(t, "GlobalAveragePooling1D", map[string]any{"data_format": format})
		shape := tensor.Shape{T, C}
		if format == "channels_first" {
			shape = tensor.Shape{C, T}
		}
		require.NoError(t, l.Build(shape, nil))
		l.(MaskConsumer).SetMask(mask)
		y := l.Forward(tensor.FromSlice(x, append(tensor.Shape{B}, shape...)...), false)
		for b := range B {
			for c := range C {
				var sum, n float64
				for s := range T {
					at := (b*T+s)*C + c
					if format == "channels_first" {
						at = (b*C+c)*T + s
					}
					if mask[b*T+s] {
						sum += float64(x[at])
						n++
					}
				}
				assert.InDelta(t, sum/n, y.Data[b*C+c], 1e-6, "%s b=%d c=%d", format, b, c)
			}
		}
	}
}

// TestGlobalAveragePooling1DAllMaskedIsNaN: a row with every step masked
// gives 0/0, as in Keras.
func TestGlobalAveragePooling1DAllMaskedIsNaN(t *testing.T) {
	l := newTestLayer(t, "GlobalAveragePooling1D", nil)
	require.NoError(t, l.Build(tensor.Shape{2, 1}, nil))
	l.(MaskConsumer).SetMask([]bool{false, false, true, true})
	y := l.Forward(tensor.FromSlice([]float32{1, 2, 3, 5}, 2, 2, 1), false)
	assert.True(t, math.IsNaN(float64(y.Data[0])))
	assert.Equal(t, float32(4), y.Data[1])
}

// TestGlobalAveragePooling1DMaskedGradients: dx by central differences with
// a mask.
func TestGlobalAveragePooling1DMaskedGradients(t *testing.T) {
	for _, format := range []string{"channels_last", "channels_first"} {
		l := newTestLayer(t, "GlobalAveragePooling1D", map[string]any{"data_format": format})
		l.(MaskConsumer).SetMask([]bool{true, false, true, false, true, true})
		checkLayerGradients(t, l, tensor.Shape{2, 3, 3}, gradOpts{seed: 3})
	}
}

// TestOutputMaskedFollowsKeras: which layers make, pass, consume and refuse
// a mask, with Keras 2's error (TypeError) for the refusals.
func TestOutputMaskedFollowsKeras(t *testing.T) {
	cases := []struct {
		class   string
		cfg     map[string]any
		in, out bool
		class_  string // the error's Keras class, "" for none
	}{
		{"Embedding", map[string]any{"input_dim": 5, "output_dim": 2, "mask_zero": true}, false, true, ""},
		{"Embedding", map[string]any{"input_dim": 5, "output_dim": 2}, false, false, ""},
		{"Masking", nil, false, true, ""},
		{"Dense", map[string]any{"units": 2}, true, true, ""},
		{"Dropout", map[string]any{"rate": 0.5}, true, true, ""},
		{"LayerNormalization", nil, true, true, ""},
		{"LSTM", map[string]any{"units": 2}, true, false, ""},
		{"GRU", map[string]any{"units": 2, "return_sequences": true}, true, true, ""},
		{"GlobalAveragePooling1D", nil, true, false, ""},
		{"Flatten", nil, false, false, ""},
		{"Flatten", nil, true, false, TypeError},
		{"Conv1D", map[string]any{"filters": 2, "kernel_size": 2}, true, false, TypeError},
		{"GlobalMaxPooling1D", nil, true, false, TypeError},
		{"Reshape", map[string]any{"target_shape": []any{-1}}, true, false, TypeError},
		{"BatchNormalization", nil, true, true, ""},
		{"Softmax", nil, true, true, ""},
		{"Softmax", nil, false, false, ""},
	}
	for _, c := range cases {
		l := newTestLayer(t, c.class, c.cfg)
		out, err := OutputMasked(l, c.in)
		if c.class_ == "" {
			require.NoError(t, err, c.class)
			assert.Equal(t, c.out, out, "%s in=%v", c.class, c.in)
			continue
		}
		require.Error(t, err, c.class)
		assert.Equal(t, c.class_, ErrorClass(err), c.class)
		assert.Contains(t, err.Error(), `"`+SnakeCase(c.class)+`"`)
		if c.class_ == TypeError {
			var me *MaskError
			assert.True(t, errors.As(err, &me))
			assert.Contains(t, err.Error(), "does not support masking, but was passed an input_mask")
		}
	}
}
