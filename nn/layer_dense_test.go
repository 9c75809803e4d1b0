package nn

import (
	"testing"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestDenseGradients(t *testing.T) {
	type tc struct {
		name string
		cfg  map[string]any
		in   tensor.Shape
	}
	var tests []tc
	for _, act := range ActivationNames() {
		for _, bias := range []bool{true, false} {
			tests = append(tests, tc{
				name: act + map[bool]string{true: "/bias", false: "/no_bias"}[bias],
				cfg:  map[string]any{"units": 4, "activation": act, "use_bias": bias},
				in:   tensor.Shape{3, 5},
			})
		}
	}
	tests = append(tests,
		tc{"rank3_input", map[string]any{"units": 3, "activation": "sigmoid"}, tensor.Shape{2, 4, 5}},
		tc{"activity_regularizer", map[string]any{"units": 3, "activation": "relu", "activity_regularizer": quadReg{0.3}}, tensor.Shape{4, 5}},
		tc{"activity_l2", map[string]any{"units": 3, "activation": "tanh", "activity_regularizer": map[string]any{"class_name": "L2", "config": map[string]any{"l2": 0.5}}}, tensor.Shape{4, 5}},
	)
	for i, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLayer(t, "Dense", tt.cfg)
			checkLayerGradients(t, l, tt.in, gradOpts{training: true, seed: uint64(10 * i)})
		})
	}
}

func TestDenseForwardByHand(t *testing.T) {
	l, err := NewDense(2, map[string]any{"activation": "relu"})
	require.NoError(t, err)
	require.NoError(t, l.Build(tensor.Shape{3}, tensor.NewRNG(1)))
	// kernel (3, 2) = [[1, 0], [0, 1], [1, -1]]; bias = [0.5, -0.5]
	copy(l.Params()[0].Value.Data, []float32{1, 0, 0, 1, 1, -1})
	copy(l.Params()[1].Value.Data, []float32{0.5, -0.5})
	x := tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6}, 2, 3)
	y := l.Forward(x, false)
	// row 0: [1·1 + 2·0 + 3·1 + 0.5, 1·0 + 2·1 + 3·(−1) − 0.5] = [4.5, −1.5] → relu [4.5, 0]
	// row 1: [4 + 6 + 0.5, 5 − 6 − 0.5] = [10.5, −1.5] → relu [10.5, 0]
	assert.Equal(t, tensor.Shape{2, 2}, y.Shape)
	assert.InDeltaSlice(t, []float32{4.5, 0, 10.5, 0}, y.Data, 1e-6)

	// dy = ones: relu passes only column 0, so dkernel column 0 = Σ rows x = [5, 7, 9],
	// column 1 = 0; dbias = [2, 0]; dx = dz·kernelᵀ = [1, 0, 1] for each row.
	dx := l.Backward(tensor.FromSlice([]float32{1, 1, 1, 1}, 2, 2), true)
	assert.InDeltaSlice(t, []float32{5, 0, 7, 0, 9, 0}, l.Params()[0].Grad.Data, 1e-6)
	assert.InDeltaSlice(t, []float32{2, 0}, l.Params()[1].Grad.Data, 1e-6)
	assert.InDeltaSlice(t, []float32{1, 0, 1, 1, 0, 1}, dx.Data, 1e-6)

	// Backward accumulates: a second pass doubles the parameter gradients.
	l.Backward(tensor.FromSlice([]float32{1, 1, 1, 1}, 2, 2), false)
	assert.InDeltaSlice(t, []float32{10, 0, 14, 0, 18, 0}, l.Params()[0].Grad.Data, 1e-6)
	assert.InDeltaSlice(t, []float32{4, 0}, l.Params()[1].Grad.Data, 1e-6)
}

func TestDenseActivityLossIsDividedByBatch(t *testing.T) {
	l := mustLayer(t, "Dense", map[string]any{"units": 1, "use_bias": false, "activity_regularizer": quadReg{0.5}})
	require.NoError(t, l.Build(tensor.Shape{1}, tensor.NewRNG(1)))
	l.Params()[0].Value.Data[0] = 2
	l.Forward(tensor.FromSlice([]float32{1, 3}, 2, 1), true)
	// y = [2, 6]; 0.5·(4 + 36) / batch 2 = 10
	assert.InDelta(t, 10.0, l.Base().ActivityLoss, 1e-9)
}

func TestDenseShapes(t *testing.T) {
	l := mustLayer(t, "Dense", map[string]any{"units": 7})
	out, err := l.OutputShape(tensor.Shape{3, 5})
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{3, 7}, out)
	require.NoError(t, l.Build(tensor.Shape{5}, tensor.NewRNG(1)))
	assert.Equal(t, tensor.Shape{5, 7}, l.Params()[0].Value.Shape)
	assert.Equal(t, tensor.Shape{7}, l.Params()[1].Value.Shape)

	_, err = l.OutputShape(tensor.Shape{4})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "(4,)")
	assert.Contains(t, err.Error(), "(..., 5)")

	_, err = mustLayer(t, "Dense", map[string]any{"units": 2}).OutputShape(tensor.Shape{})
	assert.ErrorContains(t, err, "input_dim")
	_, err = mustLayer(t, "Dense", map[string]any{"units": 2}).OutputShape(tensor.Shape{3, -1})
	assert.ErrorContains(t, err, "(3, None)")
}

func TestDenseParamCountsMatchKeras(t *testing.T) {
	tests := []struct {
		name  string
		in    int
		units int
		want  int
	}{
		{"studynote_cnn_dense256", 22 * 22 * 64, 256, 7930112},
		{"studynote_cnn_dense10", 256, 10, 2570},
		{"studynote_mlp_dense32", 784, 32, 25120},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLayer(t, "Dense", map[string]any{"units": tt.units})
			require.NoError(t, l.Build(tensor.Shape{tt.in}, tensor.NewRNG(1)))
			assert.Equal(t, tt.want, countParams(l))
		})
	}
}

func countParams(l Layer) int {
	n := 0
	for _, p := range l.Params() {
		n += p.Value.Size()
	}
	return n
}

func TestDenseConfig(t *testing.T) {
	l := mustLayer(t, "Dense", map[string]any{"units": 32.0})
	c := l.Config()
	assert.Equal(t, "Dense", c.ClassName)
	want := `{"class_name": "Dense", "config": {"name": "", "trainable": true, "dtype": "float32",
		"units": 32, "activation": "linear", "use_bias": true,
		"kernel_initializer": {"class_name": "GlorotUniform", "config": {"seed": null}},
		"bias_initializer": {"class_name": "Zeros", "config": {}},
		"kernel_regularizer": null, "bias_regularizer": null, "activity_regularizer": null,
		"kernel_constraint": null, "bias_constraint": null}}`
	assert.JSONEq(t, want, layerJSON(t, c))

	for name, cfg := range map[string]map[string]any{
		"defaults":  {"units": 32},
		"relu":      {"units": 32, "activation": "relu", "input_dim": 100},
		"no_bias":   {"units": 3, "use_bias": false, "name": "d1", "trainable": false},
		"init_seed": {"units": 3, "kernel_initializer": map[string]any{"class_name": "GlorotUniform", "config": map[string]any{"seed": 7.0}}},
		"batch":     {"units": 3, "batch_input_shape": []any{nil, 6.0, 8.0}},
		"regularizers": {"units": 3, "kernel_regularizer": "l2", "activity_regularizer": "l1",
			"bias_regularizer": map[string]any{"class_name": "L1", "config": map[string]any{"l1": 0.1}}},
		"constraints":  {"units": 3, "kernel_constraint": "non_neg", "bias_constraint": map[string]any{"class_name": "MaxNorm", "config": map[string]any{"max_value": 2.0, "axis": 0.0}}},
		"initializers": {"units": 3, "kernel_initializer": "he_normal", "bias_initializer": map[string]any{"class_name": "Constant", "config": map[string]any{"value": 0.5}}},
	} {
		t.Run(name, func(t *testing.T) { assertLayerRoundTrip(t, mustLayer(t, "Dense", cfg)) })
	}
}

func TestDenseErrors(t *testing.T) {
	tests := []struct {
		name string
		cfg  map[string]any
		want string
	}{
		{"units_zero", map[string]any{"units": 0}, "Received: units=0"},
		{"units_missing", map[string]any{}, "Received: units=None"},
		{"units_fraction", map[string]any{"units": 1.5}, "Received: units=1.5"},
		{"unknown_argument", map[string]any{"units": 2, "unitz": 3}, `unknown argument "unitz"`},
		{"activation", map[string]any{"units": 2, "activation": "relux"}, `Received: activation="relux"`},
		{"initializer", map[string]any{"units": 2, "kernel_initializer": "nope"}, `Received: kernel_initializer="nope"`},
		{"use_bias", map[string]any{"units": 2, "use_bias": "yes"}, `Received: use_bias="yes"`},
		{"lora", map[string]any{"units": 2, "lora_rank": 4}, "LoRA/DoRA fine-tuning is not implemented"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Contains(t, layerError(t, "Dense", tt.cfg), tt.want)
		})
	}
	msg := layerError(t, "Dense", map[string]any{"units": 2, "activation": "relux"})
	assert.Contains(t, msg, "relu", "an unknown activation lists the valid ones")

	_, err := NewDense(3, map[string]any{"units": 4})
	assert.ErrorContains(t, err, "units given twice")
}

func TestDenseWeightsCarryRegularizersAndInitializers(t *testing.T) {
	l := mustLayer(t, "Dense", map[string]any{"units": 2, "kernel_regularizer": "l2", "bias_initializer": "ones"})
	require.NoError(t, l.Build(tensor.Shape{3}, tensor.NewRNG(1)))
	kernel, bias := l.Params()[0], l.Params()[1]
	require.NotNil(t, kernel.Regularizer)
	assert.Equal(t, "L2", kernel.Regularizer.Config().ClassName)
	assert.Nil(t, bias.Regularizer)
	assert.Nil(t, kernel.Constraint)
	assert.Equal(t, []float32{1, 1}, bias.Value.Data, "bias_initializer ones")

	c := mustLayer(t, "Dense", map[string]any{"units": 2, "kernel_constraint": "non_neg"})
	require.NoError(t, c.Build(tensor.Shape{3}, tensor.NewRNG(1)))
	require.NotNil(t, c.Params()[0].Constraint)
	assert.Equal(t, "NonNeg", c.Params()[0].Constraint.Config().ClassName)
	assert.Nil(t, c.Params()[1].Constraint)

	// A norm constraint over an axis the kernel does not have fails at Build.
	bad := mustLayer(t, "Dense", map[string]any{"units": 2, "kernel_constraint": map[string]any{"class_name": "MaxNorm", "config": map[string]any{"axis": 3.0}}})
	err := bad.Build(tensor.Shape{3}, tensor.NewRNG(1))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "kernel_constraint")
	assert.Contains(t, err.Error(), "(3, 2)")
}

func TestDenseTrainableFlag(t *testing.T) {
	l := mustLayer(t, "Dense", map[string]any{"units": 2, "trainable": false})
	require.NoError(t, l.Build(tensor.Shape{3}, tensor.NewRNG(1)))
	assert.False(t, l.Base().Trainable)
	assert.True(t, l.Base().Frozen, "a layer made with trainable=false is frozen from the start")
	for _, p := range l.Params() {
		assert.True(t, p.Trainable, "%s: the weight's own flag; the layer's flag freezes it", p.Name)
	}
}

func TestDenseStepAllocatesNothing(t *testing.T) {
	for _, act := range []string{"linear", "relu"} {
		t.Run(act, func(t *testing.T) {
			l := mustLayer(t, "Dense", map[string]any{"units": 8, "activation": act})
			require.NoError(t, l.Build(tensor.Shape{2, 16}, tensor.NewRNG(1)))
			assert.Zero(t, stepAllocs(l, tensor.New(4, 2, 16), true))
		})
	}
}
