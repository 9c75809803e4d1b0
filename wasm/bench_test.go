package main

import (
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// mnistMLP is Keras's mnist_mlp example (examples/mnist_mlp.py): 784-512-512-10
// with dropout 0.2, RMSprop, batch size 128; js/bench/mnist_mlp.mjs trains
// the same model from JS, so the two samples/s compare the runtime in
// Node with native Go. The data is random with MNIST's shapes: speed does
// not depend on the values.
var mnistMLP = []string{
	`{"class_name": "Dense", "config": {"units": 512, "activation": "relu", "input_shape": [784]}}`,
	`{"class_name": "Dropout", "config": {"rate": 0.2}}`,
	`{"class_name": "Dense", "config": {"units": 512, "activation": "relu"}}`,
	`{"class_name": "Dropout", "config": {"rate": 0.2}}`,
	`{"class_name": "Dense", "config": {"units": 10, "activation": "softmax"}}`,
}

func mnistLike(n int) (x, y *tensor.Tensor) {
	g := lcg(7)
	x, y = tensor.New(n, 784), tensor.New(n, 10)
	for i := range x.Data {
		x.Data[i] = float32(g.next())
	}
	for i := 0; i < n; i++ {
		y.Data[i*10+int(g.next()*10)] = 1
	}
	return x, y
}

// BenchmarkMNISTMLPFit reports training samples per second of one epoch of
// 6,016 samples (47 batches of 128).
func BenchmarkMNISTMLPFit(b *testing.B) {
	const n = 47 * 128
	rt := NewRuntime()
	rt.SetRandomSeed(1)
	h, err := rt.NewModel(`{}`)
	require.NoError(b, err)
	for _, l := range mnistMLP {
		require.NoError(b, rt.Add(h, l))
	}
	require.NoError(b, rt.Compile(h, `{"optimizer": "rmsprop", "loss": "categorical_crossentropy", "metrics": ["accuracy"]}`, nil))
	x, y := mnistLike(n)
	opts := `{"epochs": 1, "batch_size": 128, "verbose": 0}`
	run := func() {
		r, err := rt.PrepareFit(h, x, y, opts, Extras{})
		require.NoError(b, err)
		_, err = r()
		require.NoError(b, err)
	}
	run() // warm up: buffers grow once
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		run()
	}
	b.ReportMetric(float64(n*b.N)/b.Elapsed().Seconds(), "samples/s")
	b.ReportMetric(0, "ns/op")
}
