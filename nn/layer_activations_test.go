package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

func TestAdvancedActivationGradients(t *testing.T) {
	tests := []struct {
		name  string
		cfg   Config
		in    []int
		kinks []float64
	}{
		{"ReLU default", Config{"ReLU", nil}, []int{6}, []float64{0}},
		{"ReLU max_value 1.5", Config{"ReLU", map[string]any{"max_value": 1.5}}, []int{6}, []float64{0, 1.5}},
		{"ReLU slope threshold max", Config{"ReLU", map[string]any{"max_value": 2.0, "negative_slope": 0.1, "threshold": 0.5}}, []int{2, 3}, []float64{0.5, 2}},
		{"LeakyReLU default", Config{"LeakyReLU", nil}, []int{6}, []float64{0}},
		{"LeakyReLU alpha", Config{"LeakyReLU", map[string]any{"alpha": 0.1}}, []int{6}, []float64{0}},
		{"ELU alpha 0.5", Config{"ELU", map[string]any{"alpha": 0.5}}, []int{6}, []float64{0}},
		{"Softmax last axis", Config{"Softmax", nil}, []int{6}, nil},
		{"Softmax middle axis", Config{"Softmax", map[string]any{"axis": 1.0}}, []int{3, 4}, nil},
		{"Softmax axes 1 2", Config{"Softmax", map[string]any{"axis": []any{1.0, 2.0}}}, []int{3, 2, 2}, nil},
		{"ReLU activity l2", Config{"ReLU", map[string]any{"activity_regularizer": "l2"}}, []int{6}, []float64{0}},
		{"Softmax activity l1", Config{"Softmax", map[string]any{"activity_regularizer": map[string]any{"class_name": "L1", "config": map[string]any{"l1": 0.5}}}}, []int{5}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := NewLayer(tc.cfg)
			require.NoError(t, err)
			// Inputs in [-3, 3), kept 0.05 away from the kinks.
			input := func(n int, seed uint64) []float32 { return samplePoints(n, -3, 3, seed, tc.kinks) }
			checkLayerGradients(t, l, append(tensor.Shape{3}, tc.in...), gradOpts{seed: 11, input: input})
		})
	}
}

// TestAdvancedActivationKerasValues uses the docstring examples of
// keras/src/layers/activations/*.py and keras/src/activations/activations.py.
func TestAdvancedActivationKerasValues(t *testing.T) {
	in := []float32{-10, -5, 0, 5, 10}
	tests := []struct {
		name string
		cfg  Config
		x    []float32
		want []float32
	}{
		{"ReLU(max_value=10, negative_slope=0.5)", Config{"ReLU", map[string]any{"max_value": 10.0, "negative_slope": 0.5}}, in, []float32{-5, -2.5, 0, 5, 10}},
		{"relu(max_value=5)", Config{"ReLU", map[string]any{"max_value": 5.0}}, in, []float32{0, 0, 0, 5, 5}},
		{"relu(threshold=5)", Config{"ReLU", map[string]any{"threshold": 5.0}}, in, []float32{0, 0, 0, 0, 10}},
		{"relu(negative_slope=0.5)", Config{"ReLU", map[string]any{"negative_slope": 0.5}}, in, []float32{-5, -2.5, 0, 5, 10}},
		{"ReLU(threshold=1, negative_slope=0.5)", Config{"ReLU", map[string]any{"threshold": 1.0, "negative_slope": 0.5}}, []float32{-1, 0.5, 2}, []float32{-1, -0.25, 2}},
		{"LeakyReLU(negative_slope=0.5)", Config{"LeakyReLU", map[string]any{"negative_slope": 0.5}}, in, []float32{-5, -2.5, 0, 5, 10}},
		{"LeakyReLU default 0.3", Config{"LeakyReLU", nil}, []float32{-10, 1}, []float32{-3, 1}},
		{"ELU default", Config{"ELU", nil}, []float32{-1, 2}, []float32{-0.63212055882, 2}},
		{"ELU(alpha=2)", Config{"ELU", map[string]any{"alpha": 2.0}}, []float32{-1, 2}, []float32{-1.26424111765, 2}},
		{"Softmax", Config{"Softmax", nil}, []float32{1, 2, 1}, []float32{0.21194157, 0.5761169, 0.21194157}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := NewLayer(tc.cfg)
			require.NoError(t, err)
			require.NoError(t, l.Build(tensor.Shape{len(tc.x)}, nil))
			y := l.Forward(tensor.FromSlice(tc.x, 1, len(tc.x)), false)
			assert.InDeltaSlice(t, tc.want, y.Data, 1e-6)
		})
	}
}

func TestSoftmaxLayerAxis(t *testing.T) {
	// x is (1, 2, 3); softmax over axis 1 normalizes each column pair.
	l, err := NewSoftmax(map[string]any{"axis": 1})
	require.NoError(t, err)
	require.NoError(t, l.Build(tensor.Shape{2, 3}, nil))
	y := l.Forward(tensor.FromSlice([]float32{0, 1, 2, 0, 1, 2 + 1.0986123}, 1, 2, 3), false)
	assert.InDeltaSlice(t, []float32{0.5, 0.5, 0.25, 0.5, 0.5, 0.75}, y.Data, 1e-6)

	// Axes [1, 2] of (1, 2, 2): one softmax over all four entries.
	l2, err := NewSoftmax(map[string]any{"axis": []int{1, 2}})
	require.NoError(t, err)
	require.NoError(t, l2.Build(tensor.Shape{2, 2}, nil))
	y = l2.Forward(tensor.FromSlice([]float32{0, 0, 0, 0}, 1, 2, 2), false)
	assert.InDeltaSlice(t, []float32{0.25, 0.25, 0.25, 0.25}, y.Data, 1e-7)
}

func TestAdvancedActivationBuffersAndShape(t *testing.T) {
	l, err := NewReLU(nil)
	require.NoError(t, err)
	require.NoError(t, l.Build(tensor.Shape{4}, nil))
	out, err := l.OutputShape(tensor.Shape{-1, 4})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{-1, 4}, out)
	assert.Empty(t, l.Params())
	x := tensor.FromSlice([]float32{-1, 2, -3, 4, 5, -6, 7, -8}, 2, 4)
	y1 := l.Forward(x, true)
	dx1 := l.Backward(y1.Clone(), true)
	y2 := l.Forward(x, true)
	dx2 := l.Backward(y2.Clone(), true)
	assert.Same(t, y1, y2, "Forward reuses its output buffer")
	assert.Same(t, dx1, dx2, "Backward reuses its dx buffer")
	assert.Nil(t, l.Backward(y2, false))
	allocs := testing.AllocsPerRun(10, func() {
		l.Forward(x, true)
		l.Backward(x, true)
	})
	assert.Zero(t, allocs)
}

func TestAdvancedActivationConfigRoundTrip(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want string
	}{
		{"ReLU default", Config{"ReLU", nil},
			`{"class_name": "ReLU", "config": {"name": "", "trainable": true, "dtype": "float32", "max_value": null, "negative_slope": 0, "threshold": 0}}`},
		{"ReLU all", Config{"ReLU", map[string]any{"name": "r", "max_value": 6.0, "negative_slope": 0.1, "threshold": 0.5, "input_shape": []any{3.0}}},
			`{"class_name": "ReLU", "config": {"name": "r", "trainable": true, "dtype": "float32", "batch_input_shape": [null, 3], "max_value": 6, "negative_slope": 0.1, "threshold": 0.5}}`},
		{"LeakyReLU default", Config{"LeakyReLU", nil},
			`{"class_name": "LeakyReLU", "config": {"name": "", "trainable": true, "dtype": "float32", "negative_slope": 0.3}}`},
		{"LeakyReLU Keras 2 alpha", Config{"LeakyReLU", map[string]any{"alpha": 0.1}},
			`{"class_name": "LeakyReLU", "config": {"name": "", "trainable": true, "dtype": "float32", "negative_slope": 0.1}}`},
		{"ELU", Config{"ELU", map[string]any{"alpha": 0.5, "trainable": false}},
			`{"class_name": "ELU", "config": {"name": "", "trainable": false, "dtype": "float32", "alpha": 0.5}}`},
		{"Softmax default", Config{"Softmax", nil},
			`{"class_name": "Softmax", "config": {"name": "", "trainable": true, "dtype": "float32", "axis": -1}}`},
		{"Softmax list axis", Config{"Softmax", map[string]any{"axis": []any{1.0, 2.0}, "activity_regularizer": "l2"}},
			`{"class_name": "Softmax", "config": {"name": "", "trainable": true, "dtype": "float32", "axis": [1, 2], "activity_regularizer": {"class_name": "L2", "config": {"l2": 0.01}}}}`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := NewLayer(tc.cfg)
			require.NoError(t, err)
			assertObjectRoundTrip(t, tc.want, l.Config(), func(v any) (Layer, error) {
				m := v.(map[string]any)
				return NewLayer(Config{ClassName: m["class_name"].(string), Config: m["config"].(map[string]any)})
			}, Layer.Config)
		})
	}
}

func TestAdvancedActivationErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  Config
		want []string
	}{
		{"ReLU negative max_value", Config{"ReLU", map[string]any{"max_value": -1.0}}, []string{"ReLU", "Received: max_value=-1"}},
		{"ReLU negative slope", Config{"ReLU", map[string]any{"negative_slope": -0.5}}, []string{"Received: negative_slope=-0.5"}},
		{"ReLU negative threshold", Config{"ReLU", map[string]any{"threshold": -2.0}}, []string{"Received: threshold=-2"}},
		{"LeakyReLU negative", Config{"LeakyReLU", map[string]any{"negative_slope": -0.1}}, []string{"Received: negative_slope=-0.1"}},
		{"LeakyReLU both spellings", Config{"LeakyReLU", map[string]any{"negative_slope": 0.1, "alpha": 0.2}}, []string{"either negative_slope or alpha"}},
		{"ELU string alpha", Config{"ELU", map[string]any{"alpha": "one"}}, []string{`Received: alpha="one"`}},
		{"Softmax bad axis type", Config{"Softmax", map[string]any{"axis": "last"}}, []string{`Received: axis="last"`}},
		{"Softmax empty axis", Config{"Softmax", map[string]any{"axis": []any{}}}, []string{"Received: axis=[]"}},
		{"unknown argument", Config{"ELU", map[string]any{"beta": 1.0}}, []string{`unknown argument "beta"`, "alpha"}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewLayer(tc.cfg)
			require.Error(t, err)
			for _, w := range tc.want {
				assert.Contains(t, err.Error(), w)
			}
		})
	}
}

func TestSoftmaxLayerBuildErrors(t *testing.T) {
	tests := []struct {
		name string
		axis []int
		in   tensor.Shape
		want string
	}{
		{"axis out of range", []int{3}, tensor.Shape{4}, "Received: axis=3"},
		{"negative out of range", []int{-3}, tensor.Shape{4}, "Received: axis=-3"},
		{"repeated", []int{1, -1}, tensor.Shape{4}, "distinct"},
		{"non-adjacent", []int{1, 3}, tensor.Shape{2, 3, 4}, "not implemented"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			l, err := NewSoftmax(map[string]any{"axis": tc.axis})
			require.NoError(t, err)
			err = l.Build(tc.in, nil)
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
}

func TestAdvancedActivationFieldsDecide(t *testing.T) {
	l, err := NewLeakyReLU(map[string]any{"negative_slope": 0.3})
	require.NoError(t, err)
	l.NegativeSlope = 0.5 // a Go user's change before Build
	require.NoError(t, l.Build(tensor.Shape{2}, nil))
	y := l.Forward(tensor.FromSlice([]float32{-2, 2}, 1, 2), false)
	assert.Equal(t, []float32{-1, 2}, y.Data)
	assert.Equal(t, 0.5, l.Config().Config["negative_slope"])

	s, err := NewSoftmax(nil)
	require.NoError(t, err)
	assert.Equal(t, -1, s.Config().Config["axis"])
	s.Axis = []int{1, 2}
	assert.Equal(t, []int{1, 2}, s.Config().Config["axis"])
}

func TestSoftmaxLayerAllocatesNothing(t *testing.T) {
	l, err := NewSoftmax(map[string]any{"axis": 1})
	require.NoError(t, err)
	require.NoError(t, l.Build(tensor.Shape{3, 4}, nil))
	x := tensor.New(2, 3, 4)
	l.Backward(l.Forward(x, true), true)
	assert.Zero(t, testing.AllocsPerRun(10, func() {
		l.Backward(l.Forward(x, true), true)
	}))
}
