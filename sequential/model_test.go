package sequential

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

func layerNames(m *Model) []string {
	var s []string
	for _, l := range m.Layers() {
		s = append(s, l.Base().Name)
	}
	return s
}

func TestSnakeCase(t *testing.T) {
	for _, tc := range []struct{ class, want string }{
		{"Dense", "dense"},
		{"Conv2D", "conv2d"},
		{"MaxPooling2D", "max_pooling2d"},
		{"Activation", "activation"},
		{"BatchNormalization", "batch_normalization"},
		{"GlobalAveragePooling2D", "global_average_pooling2d"},
		{"SimpleRNN", "simple_rnn"},
		{"LSTM", "lstm"},
		{"LeakyReLU", "leaky_re_lu"},
	} {
		t.Run(tc.class, func(t *testing.T) { assert.Equal(t, tc.want, nn.SnakeCase(tc.class)) })
	}
}

// TestListConstructorNames is the study note's first example
// (testdata/studynote/keras_sequential_note.md, lines 43–47),
// Sequential([Dense(32, input_shape=(784,)), Activation('relu'), Dense(10),
// Activation('softmax')]), with Keras's names. (The note writes
// Dense(32, units=784), which Keras rejects — units given twice — and means
// the input shape.)
func TestListConstructorNames(t *testing.T) {
	m, err := NewWithLayers("", 1,
		dense(t, 32, map[string]any{"input_shape": []int{784}}),
		activation(t, "relu"),
		dense(t, 10, nil),
		activation(t, "softmax"),
	)
	require.NoError(t, err)
	assert.Equal(t, "sequential", m.Name())
	assert.Equal(t, []string{"dense", "activation", "dense_1", "activation_1"}, layerNames(m))
	assert.Equal(t, tensor.Shape{784}, m.InputShape())
	assert.Equal(t, tensor.Shape{10}, m.OutputShape())
	assert.Equal(t, 784*32+32+32*10+10, m.CountParams())

	// The text's literal form is refused by the layer, naming the argument.
	_, err = nn.NewDense(32, map[string]any{"units": 784})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "units")
}

// TestAddWithInputShape is the study note's second example
// (testdata/studynote/keras_sequential_note.md, lines 58–64):
// model.add(Dense(32, input_shape=(784,))); model.add(Activation('relu')).
func TestAddWithInputShape(t *testing.T) {
	m := New("", 1)
	require.NoError(t, m.Add(dense(t, 32, map[string]any{"input_shape": []int{784}})))
	require.NoError(t, m.Add(activation(t, "relu")))
	assert.True(t, m.Built())
	assert.Equal(t, tensor.Shape{32}, m.OutputShape())

	// input_dim and batch_size, as the note describes them (lines 62–64).
	m2 := New("", 1)
	require.NoError(t, m2.Add(dense(t, 32, map[string]any{"input_dim": 100})))
	assert.Equal(t, tensor.Shape{100}, m2.InputShape())
	m3 := New("", 1)
	require.NoError(t, m3.Add(dense(t, 32, map[string]any{"batch_size": 32, "input_shape": []int{6, 8}})))
	assert.Equal(t, tensor.Shape{6, 8}, m3.InputShape())
	assert.Equal(t, tensor.Shape{6, 32}, m3.OutputShape())
	s, err := m3.SummaryE()
	require.NoError(t, err)
	assert.Contains(t, s, "(32, 6, 32)")
}

func TestNamesSkipUserNamesAndRejectDuplicates(t *testing.T) {
	m := New("net", 1)
	require.NoError(t, m.Add(dense(t, 4, map[string]any{"input_dim": 3, "name": "dense"})))
	require.NoError(t, m.Add(dense(t, 4, nil)))
	assert.Equal(t, []string{"dense", "dense_1"}, layerNames(m))
	err := m.Add(dense(t, 4, map[string]any{"name": "dense_1"}))
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"dense_1"`)
	assert.Contains(t, err.Error(), "unique names")
	assert.Len(t, m.Layers(), 2)
}

// TestAddRefusesLayerThatCannotFollow checks the message names both shapes
// and the model is unchanged, names included.
func TestAddRefusesLayerThatCannotFollow(t *testing.T) {
	m := New("", 1)
	require.NoError(t, m.Add(dense(t, 10, map[string]any{"input_shape": []int{784}})))
	before := m.GetWeights()
	c := conv2d(t, 8, nil)
	err := m.Add(c)
	require.Error(t, err)
	assert.Contains(t, err.Error(), `"conv2d" (Conv2D) cannot follow layer "dense" (Dense)`)
	assert.Contains(t, err.Error(), "(None, 10)")
	assert.Contains(t, err.Error(), "expected")
	assert.Equal(t, "", c.Base().Name, "the refused layer keeps no name")
	assert.Equal(t, []string{"dense"}, layerNames(m))
	assert.Equal(t, before, m.GetWeights())

	// The next layer gets the name the refused one would have had.
	require.NoError(t, m.Add(dense(t, 2, nil)))
	c2 := conv2d(t, 8, map[string]any{"input_shape": []int{8, 8, 1}})
	m2 := New("", 1)
	require.NoError(t, m2.Add(c2))
	assert.Equal(t, "conv2d", c2.Base().Name)
}

func TestAddRefusesLayerTwiceOrBuilt(t *testing.T) {
	m := New("", 1)
	d := dense(t, 3, map[string]any{"input_dim": 2})
	require.NoError(t, m.Add(d))
	err := m.Add(d)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already in model")
	other := New("", 2)
	err = other.Add(d)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "already built")
	require.Error(t, m.Add(nil))
}

// TestDeferredBuild: without an input shape the model builds from the first
// data it sees; Add cannot check shapes until then.
func TestDeferredBuild(t *testing.T) {
	m := New("", 1)
	require.NoError(t, m.Add(dense(t, 8, map[string]any{"activation": "relu"})))
	require.NoError(t, m.Add(dense(t, 1, nil)))
	assert.False(t, m.Built())
	assert.Nil(t, m.InputShape())
	assert.Empty(t, m.GetWeights())
	_, err := m.SummaryE()
	require.Error(t, err)
	assert.Contains(t, err.Error(), "not yet been built")
	assert.Contains(t, m.Summary(), "not yet been built")

	y, err := m.Predict(tensor.New(5, 3), 0)
	require.NoError(t, err)
	assert.Equal(t, tensor.Shape{5, 1}, y.Shape)
	assert.Equal(t, tensor.Shape{3}, m.InputShape())
	assert.Equal(t, 3*8+8+8+1, m.CountParams())

	_, err = m.Predict(tensor.New(5, 4), 0)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "expected shape=(None, 3), found shape=(5, 4)")
}

func TestBuild(t *testing.T) {
	m := New("", 1)
	require.NoError(t, m.Add(dense(t, 8, nil)))
	require.Error(t, m.Build(tensor.Shape{4}), "needs the batch first")
	require.NoError(t, m.Build(tensor.Shape{-1, 4}))
	assert.Equal(t, tensor.Shape{4}, m.InputShape())
	require.NoError(t, m.Build(tensor.Shape{-1, 4}), "same shape again")
	err := m.Build(tensor.Shape{-1, 5})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "(None, 4)")

	// A shape the layers cannot take leaves the model unbuilt.
	m2 := New("", 1)
	require.NoError(t, m2.Add(flatten(t)))
	require.NoError(t, m2.Add(conv2d(t, 2, nil)))
	require.Error(t, m2.Build(tensor.Shape{-1, 6, 6, 1}))
	assert.False(t, m2.Built())
}

func TestPop(t *testing.T) {
	m := New("", 1)
	require.Error(t, m.Pop())
	require.NoError(t, m.Add(dense(t, 4, map[string]any{"input_dim": 3})))
	require.NoError(t, m.Add(dense(t, 2, nil)))
	require.NoError(t, m.Pop())
	assert.Equal(t, tensor.Shape{4}, m.OutputShape())
	require.NoError(t, m.Add(dense(t, 5, nil)))
	assert.Equal(t, []string{"dense", "dense_2"}, layerNames(m), "Keras's counter does not go back")
	require.NoError(t, m.Pop())
	require.NoError(t, m.Pop())
	assert.Nil(t, m.InputShape(), "the input came with the first layer")
	assert.Empty(t, m.Layers())
}

func TestInputLayerConfig(t *testing.T) {
	m := New("", 1)
	require.NoError(t, m.AddConfig(nn.Config{ClassName: "InputLayer", Config: map[string]any{"shape": []any{4.0}}}))
	require.NoError(t, m.AddConfig(nn.Config{ClassName: "Dense", Config: map[string]any{"units": 2.0}}))
	assert.Equal(t, tensor.Shape{4}, m.InputShape())
	assert.True(t, m.Built())
	err := m.AddConfig(nn.Config{ClassName: "InputLayer", Config: map[string]any{"shape": []any{4.0}}})
	require.Error(t, err)

	err = New("", 1).AddConfig(nn.Config{ClassName: "InputLayer", Config: map[string]any{"shape": []any{4.0}, "sparse": true}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "sparse")
	err = New("", 1).AddConfig(nn.Config{ClassName: "Dens", Config: map[string]any{"units": 2.0}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "Dense")
}

func TestGetLayer(t *testing.T) {
	m := New("", 1)
	require.NoError(t, m.Add(dense(t, 4, map[string]any{"input_dim": 3})))
	l, err := m.GetLayer("dense")
	require.NoError(t, err)
	assert.Equal(t, "Dense", l.Base().ClassName)
	_, err = m.GetLayer("nope")
	require.Error(t, err)
	assert.Contains(t, err.Error(), "dense")
}
