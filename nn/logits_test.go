package nn

import (
	"math"
	"slices"
	"testing"

	"github.com/keraswasm/keraswasm/internal/gradcheck"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// logitsLayer is the part of sequential.LogitsLayer that Dense and Conv2D
// implement (nn cannot import sequential).
type logitsLayer interface {
	Layer
	OutputActivation() Activation
	Logits() *tensor.Tensor
	BackwardLogits(dz *tensor.Tensor, needDx bool) *tensor.Tensor
}

var (
	_ logitsLayer = (*Dense)(nil)
	_ logitsLayer = (*Conv2D)(nil)
)

// TestBackwardLogitsMatchesBackward: BackwardLogits given dz = the
// activation's backward of dy gives the gradients Backward gives for dy, so
// a model may skip the activation when a loss hands it ∂loss/∂logits. With
// an activity regularizer, whose penalty is on the output, BackwardLogits
// must still carry the penalty's gradient through the activation.
func TestBackwardLogitsMatchesBackward(t *testing.T) {
	cases := []struct {
		name  string
		class string
		cfg   map[string]any
		in    tensor.Shape // batch first
	}{
		{"dense_softmax", "Dense", map[string]any{"units": 4, "activation": "softmax"}, tensor.Shape{3, 5}},
		{"dense_sigmoid", "Dense", map[string]any{"units": 1, "activation": "sigmoid"}, tensor.Shape{3, 5}},
		{"dense_rank3_softmax", "Dense", map[string]any{"units": 3, "activation": "softmax"}, tensor.Shape{2, 4, 5}},
		{"dense_linear_activity", "Dense", map[string]any{"units": 3, "activity_regularizer": "l2"}, tensor.Shape{3, 5}},
		{"dense_softmax_activity_l2", "Dense", map[string]any{"units": 4, "activation": "softmax", "activity_regularizer": "l2"}, tensor.Shape{3, 5}},
		{"dense_sigmoid_activity_quad", "Dense", map[string]any{"units": 2, "activation": "sigmoid", "activity_regularizer": quadReg{0.3}}, tensor.Shape{3, 5}},
		{"conv_softmax", "Conv2D", map[string]any{"filters": 3, "kernel_size": 2, "activation": "softmax"}, tensor.Shape{2, 4, 3, 2}},
		{"conv_sigmoid_same", "Conv2D", map[string]any{"filters": 2, "kernel_size": 3, "padding": "same", "activation": "sigmoid"}, tensor.Shape{2, 3, 3, 2}},
		{"conv_softmax_activity", "Conv2D", map[string]any{"filters": 3, "kernel_size": 2, "activation": "softmax", "activity_regularizer": quadReg{0.2}}, tensor.Shape{2, 4, 3, 2}},
		{"conv_first_softmax_activity", "Conv2D", map[string]any{"filters": 2, "kernel_size": 2, "activation": "softmax", "data_format": "channels_first", "activity_regularizer": quadReg{0.2}}, tensor.Shape{2, 3, 4, 5}},
		{"conv_first_sigmoid", "Conv2D", map[string]any{"filters": 2, "kernel_size": 2, "activation": "sigmoid", "data_format": "channels_first"}, tensor.Shape{2, 3, 4, 5}},
	}
	for i, tt := range cases {
		t.Run(tt.name, func(t *testing.T) {
			l := mustLayer(t, tt.class, tt.cfg).(logitsLayer)
			require.NoError(t, l.Build(tt.in[1:], tensor.NewRNG(uint64(i))))
			for j, p := range l.Params() {
				copy(p.Value.Data, gradcheck.Random(p.Value.Size(), -1, 1, uint64(10*i+j)))
			}
			x := tensor.FromSlice(gradcheck.Random(tt.in.Size(), -1, 1, uint64(100+i)), tt.in...)
			y := l.Forward(x, true)
			z := l.Logits()
			require.Equal(t, y.Shape, z.Shape, "the logits have the output's shape")
			dy := tensor.FromSlice(gradcheck.Random(y.Size(), -1, 1, uint64(200+i)), y.Shape.Clone()...)

			want := backwardGrads(l, func() *tensor.Tensor { return l.Backward(dy, true) })
			dz := tensor.New(z.Shape...)
			l.OutputActivation().Backward(dz, z, y, dy)
			dzBefore := slices.Clone(dz.Data)
			got := backwardGrads(l, func() *tensor.Tensor { return l.BackwardLogits(dz, true) })
			assert.Equal(t, dzBefore, dz.Data, "BackwardLogits must not write into dz")
			for name, w := range want {
				assert.InDeltaSlice(t, w, got[name], 1e-5, "%s", name)
			}
		})
	}
}

// backwardGrads zeroes the layer's gradients, runs back and returns dx and
// every parameter gradient by name.
func backwardGrads(l Layer, back func() *tensor.Tensor) map[string][]float32 {
	for _, p := range l.Params() {
		p.Grad.Zero()
	}
	out := map[string][]float32{"dx": slices.Clone(back().Data)}
	for _, p := range l.Params() {
		out[p.Name] = slices.Clone(p.Grad.Data)
	}
	return out
}

// TestConv2DChannelsFirstSoftmaxIsOverTheLastAxis: Keras applies a Conv2D's
// activation to the output as laid out, so with channels_first a softmax
// runs over the output's last axis (the width), not over the filters.
func TestConv2DChannelsFirstSoftmaxIsOverTheLastAxis(t *testing.T) {
	base := map[string]any{"filters": 2, "kernel_size": 2, "data_format": "channels_first"}
	lin := mustLayer(t, "Conv2D", base)
	soft := mustLayer(t, "Conv2D", map[string]any{"filters": 2, "kernel_size": 2, "data_format": "channels_first", "activation": "softmax"})
	in := tensor.Shape{3, 4, 5}
	require.NoError(t, lin.Build(in, tensor.NewRNG(1)))
	require.NoError(t, soft.Build(in, tensor.NewRNG(1)))
	for i, p := range lin.Params() {
		copy(p.Value.Data, gradcheck.Random(p.Value.Size(), -1, 1, uint64(i+1)))
		copy(soft.Params()[i].Value.Data, p.Value.Data)
	}
	x := tensor.FromSlice(gradcheck.Random(2*in.Size(), -2, 2, 7), 2, 3, 4, 5)
	z := lin.Forward(x, false)
	y := soft.Forward(x, false)
	require.Equal(t, tensor.Shape{2, 2, 3, 4}, y.Shape)
	w := y.Dim(-1)
	for r := 0; r*w < len(z.Data); r++ {
		row := z.Data[r*w : (r+1)*w]
		var sum float64
		for _, v := range row {
			sum += math.Exp(float64(v))
		}
		for j, v := range row {
			assert.InDelta(t, math.Exp(float64(v))/sum, y.Data[r*w+j], 1e-6, "row %d, column %d", r, j)
		}
	}
}
