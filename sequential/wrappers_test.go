package sequential

import (
	"bytes"
	"slices"
	"testing"

	"github.com/keraswasm/keraswasm/internal/hdf5"
	"github.com/keraswasm/keraswasm/nn"

	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func biLSTM(units int, inner, opts map[string]any) map[string]any {
	c := map[string]any{"units": units}
	for k, v := range inner {
		c[k] = v
	}
	m := map[string]any{"layer": map[string]any{"class_name": "LSTM", "config": c}}
	for k, v := range opts {
		m[k] = v
	}
	return m
}

// TestBidirectionalInAModel: Keras's summary count, and a mask from
// Embedding(mask_zero) reaches both directions: padding anywhere gives the
// output of the sequence without it.
func TestBidirectionalInAModel(t *testing.T) {
	m, err := NewWithLayers("", 3,
		layer(t, "Embedding", map[string]any{"input_dim": 5, "output_dim": 3, "mask_zero": true, "input_length": 4}),
		layer(t, "Bidirectional", biLSTM(2, nil, nil)),
		layer(t, "Dense", map[string]any{"units": 1}))
	require.NoError(t, err)
	sum := m.Summary()
	t.Log(sum)
	assert.Regexp(t, `bidirectional \(Bidirectiona\s+\(None, 4\)\s+96\b`, sum, "Keras: 2·4·(2·(3+2)+2)")
	y1, err := m.Predict(tensor.FromSlice([]float32{0, 0, 3, 1}, 1, 4), 1)
	require.NoError(t, err)
	a := slices.Clone(y1.Data)
	y2, err := m.Predict(tensor.FromSlice([]float32{3, 0, 1, 0}, 1, 4), 1)
	require.NoError(t, err)
	assert.InDeltaSlice(t, a, y2.Data, 1e-6)
	y3, err := m.Predict(tensor.FromSlice([]float32{1, 0, 3, 0}, 1, 4), 1)
	require.NoError(t, err)
	assert.NotEqual(t, a, y3.Data, "order matters")
}

// TestWrappersModelJSONRoundTrip: a model with both wrappers survives
// to_json / model_from_json with the same weights' shapes and outputs.
func TestWrappersModelJSONRoundTrip(t *testing.T) {
	m, err := NewWithLayers("", 3,
		layer(t, "TimeDistributed", map[string]any{"layer": map[string]any{"class_name": "Dense", "config": map[string]any{"units": 3}}, "input_shape": []any{4, 2}}),
		layer(t, "Bidirectional", biLSTM(2, map[string]any{"return_sequences": true}, map[string]any{"merge_mode": "sum"})),
		layer(t, "Bidirectional", map[string]any{"layer": map[string]any{"class_name": "GRU", "config": map[string]any{"units": 2}}}))
	require.NoError(t, err)
	s, err := m.ToJSON()
	require.NoError(t, err)
	m2, err := FromJSON(s, 3)
	require.NoError(t, err)
	s2, err := m2.ToJSON()
	require.NoError(t, err)
	assert.JSONEq(t, s, s2)
	require.NoError(t, m2.SetWeights(m.GetWeights()))
	x := tensor.FromSlice([]float32{1, 2, 3, 4, 5, 6, 7, 8, -1, -2, -3, -4, -5, -6, -7, -8}, 2, 4, 2)
	a, err := m.Predict(x, 2)
	require.NoError(t, err)
	b, err := m2.Predict(x, 2)
	require.NoError(t, err)
	assert.Equal(t, a.Data, b.Data)
	assert.Equal(t, []int{2, 4}, []int(a.Shape))
}

// TestTimeDistributedDenseLearnsPerStep: TimeDistributed(Dense) trains on
// a per-step target (y_t = 2·x_t − 1), natively through fit.
func TestTimeDistributedDenseLearnsPerStep(t *testing.T) {
	m, err := NewWithLayers("", 3,
		layer(t, "TimeDistributed", map[string]any{"layer": map[string]any{"class_name": "Dense", "config": map[string]any{"units": 1}}, "input_shape": []any{5, 1}}))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: map[string]any{"class_name": "Adam", "config": map[string]any{"learning_rate": 0.05}}, Loss: "mse"}))
	x, y := tensor.New(64, 5, 1), tensor.New(64, 5, 1)
	rng := tensor.NewRNG(1)
	for i := range x.Data {
		x.Data[i] = float32(rng.Float64()*2 - 1)
		y.Data[i] = 2*x.Data[i] - 1
	}
	o := quiet()
	o.Epochs = 100
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	loss := h.History["loss"]
	assert.Less(t, loss[len(loss)-1], 0.01*loss[0])
}

// TestStatefulNeedsAFixedBatchSize: Keras's message when the batch size is
// unknown; a stateful layer after an Embedding with batch_input_shape
// builds (the batch size is the model's, not the layer's own).
func TestStatefulNeedsAFixedBatchSize(t *testing.T) {
	_, err := NewWithLayers("", 1, layer(t, "LSTM", map[string]any{"units": 2, "stateful": true, "input_shape": []any{6, 8}}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), "if a RNN is stateful, it needs to know its batch size")
	assert.Contains(t, err.Error(), "input_shape=(6, 8)")
	m, err := NewWithLayers("", 1,
		layer(t, "Embedding", map[string]any{"input_dim": 5, "output_dim": 3, "batch_input_shape": []any{4, 6}}),
		layer(t, "Bidirectional", biLSTM(2, map[string]any{"stateful": true}, nil)))
	require.NoError(t, err)
	assert.Equal(t, 4, m.BatchSize())
}

// TestStatefulFitRefusesOtherBatches: Keras 2's message for a sample count
// the batch size does not divide; train_on_batch and predict_on_batch
// refuse a batch of another size instead of silently resetting the states.
func TestStatefulFitRefusesOtherBatches(t *testing.T) {
	m, err := NewWithLayers("", 1,
		layer(t, "LSTM", map[string]any{"units": 2, "stateful": true, "batch_size": 4, "input_shape": []any{3, 1}}))
	require.NoError(t, err)
	require.NoError(t, m.Compile(CompileOptions{Optimizer: "sgd", Loss: "mse"}))
	o := quiet()
	o.BatchSize = 4
	_, err = m.Fit(tensor.New(10, 3, 1), tensor.New(10, 2), o)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "in a stateful network, you should only pass inputs with a number of samples that can be divided by the batch size. Found: 10 samples. Batch size: 4")
	_, err = m.Fit(tensor.New(8, 3, 1), tensor.New(8, 2), o)
	require.NoError(t, err)
	_, err = m.TrainOnBatch(tensor.New(2, 3, 1), tensor.New(2, 2), nil)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "fixed batch size of 4")
	_, err = m.PredictOnBatch(tensor.New(3, 3, 1))
	require.Error(t, err)
	_, err = m.TrainOnBatch(tensor.New(4, 3, 1), tensor.New(4, 2), nil)
	require.NoError(t, err)
}

// TestHugeRecurrentIsRefusedBeforeBuild: the memory budget counts a
// recurrent layer's and a wrapper's weights before they are allocated.
func TestHugeRecurrentIsRefusedBeforeBuild(t *testing.T) {
	for _, l := range []map[string]any{
		{"class_name": "LSTM", "config": map[string]any{"units": 100000, "input_shape": []any{5, 10}}},
		{"class_name": "Bidirectional", "config": map[string]any{"layer": map[string]any{"class_name": "GRU", "config": map[string]any{"units": 100000}}, "input_shape": []any{5, 10}}},
	} {
		m := New("", 1)
		err := m.AddConfig(nn.Config{ClassName: l["class_name"].(string), Config: l["config"].(map[string]any)})
		require.Error(t, err)
		assert.Contains(t, err.Error(), "memory")
		assert.Empty(t, m.Layers())
	}
}

// TestRecurrentWeightsH5PathsAreKeras3s: Keras 3 keeps a recurrent layer's
// variables in its cell and a wrapper's in its wrapped layers
// (saving_lib._save_state walks the attributes); the file says so, and
// loads back.
func TestRecurrentWeightsH5PathsAreKeras3s(t *testing.T) {
	m, err := NewWithLayers("", 3,
		layer(t, "TimeDistributed", map[string]any{"layer": map[string]any{"class_name": "Dense", "config": map[string]any{"units": 3}}, "input_shape": []any{4, 2}}),
		layer(t, "Bidirectional", biLSTM(2, map[string]any{"return_sequences": true}, nil)),
		layer(t, "GRU", map[string]any{"units": 2}))
	require.NoError(t, err)
	b, err := m.weightsH5Bytes(false)
	require.NoError(t, err)
	f, err := hdf5.Read(bytes.NewReader(b), int64(len(b)))
	require.NoError(t, err)
	var paths []string
	for _, d := range f.Datasets {
		paths = append(paths, d.Path)
	}
	for _, p := range []string{"layers/time_distributed/layer/vars/0", "layers/time_distributed/layer/vars/1",
		"layers/bidirectional/forward_layer/cell/vars/0", "layers/bidirectional/backward_layer/cell/vars/2",
		"layers/gru/cell/vars/0", "layers/gru/cell/vars/2"} {
		assert.Contains(t, paths, p)
	}
	assert.Len(t, paths, 2+6+3)
	m2, err := NewWithLayers("", 9,
		layer(t, "TimeDistributed", map[string]any{"layer": map[string]any{"class_name": "Dense", "config": map[string]any{"units": 3}}, "input_shape": []any{4, 2}}),
		layer(t, "Bidirectional", biLSTM(2, map[string]any{"return_sequences": true}, nil)),
		layer(t, "GRU", map[string]any{"units": 2}))
	require.NoError(t, err)
	require.NoError(t, m2.LoadWeightsH5(bytes.NewReader(b), int64(len(b))))
	for i, w := range m.GetWeights() {
		assert.Equal(t, w.Data, m2.GetWeights()[i].Data, "weight %d", i)
	}
}
