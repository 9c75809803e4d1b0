package sequential

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestMNISTMLP trains the MLP (784 → 128 relu → 10 softmax, rmsprop,
// batch 32) on all 60000 MNIST training images and checks at least 97%
// accuracy on the 10000 test images.
func TestMNISTMLP(t *testing.T) {
	if testing.Short() {
		t.Skip("trains on MNIST")
	}
	t.Parallel() // the two MNIST trainings share the cores
	train, test := loadMNIST(t)
	x, y := train.head(60000, true)
	xt, yt := test.head(10000, true)
	m := mnistMLP(t, 1)
	o := quiet()
	o.Epochs = 3
	start := time.Now()
	h, err := m.Fit(x, y, o)
	require.NoError(t, err)
	res, err := m.Evaluate(xt, yt, EvaluateOptions{BatchSize: 256})
	require.NoError(t, err)
	t.Logf("MNIST MLP, %d epochs on 60000 images in %v: train loss %.4f, train accuracy %.4f; test loss %.4f, test accuracy %.4f",
		o.Epochs, time.Since(start).Round(time.Millisecond), h.History["loss"][o.Epochs-1], h.History["accuracy"][o.Epochs-1], res[0], res[1])
	assert.GreaterOrEqual(t, res[1], 0.97)
}
