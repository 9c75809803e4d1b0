package nn_test

import (
	"fmt"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
)

// compile(loss='binary_crossentropy', metrics=['accuracy', mean_pred]) in
// Go: the loss per sample, 'accuracy' resolved from the shapes, and a
// user-defined metric returning one value for the batch.
func ExampleResolveMetric() {
	yTrue := tensor.FromSlice([]float32{1, 0, 1, 0}, 4, 1)
	yPred := tensor.FromSlice([]float32{0.9, 0.2, 0.4, 0.1}, 4, 1)

	loss, _ := nn.GetLoss("binary_crossentropy")
	if err := loss.Validate(yTrue, yPred.Shape); err != nil {
		fmt.Println(err)
		return
	}
	perSample := make([]float64, 4)
	loss.Forward(perSample, yTrue, yPred)
	fmt.Printf("loss per sample: %.4f\n", perSample)

	acc, _ := nn.ResolveMetric("accuracy", yTrue.Shape, yPred.Shape)
	meanPred := nn.NewFuncMetric("mean_pred", func(_, yPred *tensor.Tensor) ([]float32, error) {
		var s float32
		for _, v := range yPred.Data {
			s += v
		}
		return []float32{s / float32(len(yPred.Data))}, nil
	})
	for _, m := range []nn.Metric{acc, meanPred} {
		if err := m.Update(yTrue, yPred, nil); err != nil {
			fmt.Println(err)
			return
		}
		fmt.Printf("%s: %.4f (%s)\n", m.Name(), m.Result(), m.Config().Config["fn"])
	}
	// Output:
	// loss per sample: [0.1054 0.2231 0.9163 0.1054]
	// accuracy: 0.7500 (binary_accuracy)
	// mean_pred: 0.4000 (mean_pred)
}
