package tensor_test

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// A Dense layer's three products, on a batch of two samples with three
// features and a kernel of two units: y = x·W (NN), dW = xᵀ·dy (TN) and
// dx = dy·Wᵀ (NT). All matrices are row-major; the leading dimension is
// the row length.
func ExampleGemm() {
	x := []float32{ // (batch 2, in 3)
		1, 2, 3,
		4, 5, 6,
	}
	w := []float32{ // (in 3, units 2)
		1, 0,
		0, 1,
		1, 1,
	}
	y := make([]float32, 2*2)
	tensor.Gemm(false, false, 2, 2, 3, 1, x, 3, w, 2, 0, y, 2)
	fmt.Println("y =", y)

	dy := []float32{1, 0, 0, 1} // (batch 2, units 2)
	dw := make([]float32, 3*2)
	tensor.Gemm(true, false, 3, 2, 2, 1, x, 3, dy, 2, 0, dw, 2)
	fmt.Println("dW =", dw)

	dx := make([]float32, 2*3)
	tensor.Gemm(false, true, 2, 3, 2, 1, dy, 2, w, 2, 0, dx, 3)
	fmt.Println("dx =", dx)
	// Output:
	// y = [4 5 10 11]
	// dW = [1 4 2 5 3 6]
	// dx = [1 0 1 0 1 1]
}

// Im2Col turns a convolution into a matrix product: each row holds one
// window of the image, in the (kh, kw, c) order of a Keras kernel.
func ExampleIm2Col() {
	x := []float32{ // one 3×3 image, one channel
		1, 2, 3,
		4, 5, 6,
		7, 8, 9,
	}
	g, err := tensor.NewConvGeom(1, 3, 3, 1, 2, 2, 1, 1, 1, 1, "valid")
	if err != nil {
		panic(err)
	}
	cols := make([]float32, g.ColRows()*g.ColCols())
	tensor.Im2Col(cols, x, g)
	for r := 0; r < g.ColRows(); r++ {
		fmt.Println(cols[r*g.ColCols() : (r+1)*g.ColCols()])
	}
	// Output:
	// [1 2 4 5]
	// [2 3 5 6]
	// [4 5 7 8]
	// [5 6 8 9]
}

// SumRows gives a bias gradient: the sum over the batch of dy, kept in
// float64 while it adds up.
func ExampleSumRows() {
	dy := []float32{ // (batch 3, units 2)
		0.5, 1,
		0.25, 1,
		0.25, 1,
	}
	db := make([]float32, 2)
	tensor.SumRows(db, dy)
	fmt.Println(db)
	// Output: [1 3]
}
