package nn

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// Keras: keras/src/initializers/random_initializers.py (Orthogonal), after
// Saxe et al., 2014.

func init() {
	initializers.add("Orthogonal", []string{"gain", "seed"}, func(m map[string]any) (Initializer, error) {
		a := NewArgs("Orthogonal", m)
		o := orthogonal{gain: a.Float("gain", 1), seed: readSeed(a)}
		return o, a.Err()
	}, "OrthogonalInitializer")
}

// orthogonal fills a weight with gain times an orthogonal matrix: the Q of
// the QR decomposition of a normal random matrix, its columns' signs fixed so
// that R has a positive diagonal (Keras's q·sign(diag(r)), which makes the
// result uniform over orthogonal matrices). A shape of rank > 2 is treated
// as the matrix (prod(shape[:-1]), shape[-1]). With fewer rows than columns
// the rows are orthonormal, otherwise the columns.
type orthogonal struct {
	gain float64
	seed *int64
}

func (o orthogonal) Initialize(t *tensor.Tensor, rng *tensor.RNG) error {
	if len(t.Shape) < 2 {
		return fmt.Errorf("Orthogonal: the tensor to initialize must be at least two-dimensional. Received: shape=%v of rank %d",
			t.Shape, len(t.Shape))
	}
	r, err := seededRNG("Orthogonal", o.seed, rng)
	if err != nil {
		return err
	}
	cols := t.Shape[len(t.Shape)-1]
	rows := t.Size() / max(cols, 1)
	m, n := max(rows, cols), min(rows, cols)
	// a is (m, n), drawn row-major like Keras's random.normal(flat_shape).
	a := make([]float32, m*n)
	r.Normal(a, 0, 1)
	q := orthonormalColumns(a, m, n)
	for i := 0; i < m; i++ {
		for j := 0; j < n; j++ {
			v := float32(o.gain * q[j][i])
			if rows < cols {
				t.Data[j*cols+i] = v // the transpose: (n, m) = (rows, cols)
			} else {
				t.Data[i*cols+j] = v
			}
		}
	}
	return nil
}

// orthonormalColumns returns the columns of Q in A = QR for the row-major
// (m, n) matrix a (m ≥ n), with R's diagonal positive. It uses Gram–Schmidt
// with a second orthogonalization pass, which keeps Q orthogonal to working
// precision; the Q with a positive-diagonal R is unique, so it is the same Q
// as Householder QR followed by Keras's sign fix.
func orthonormalColumns(a []float32, m, n int) [][]float64 {
	q := make([][]float64, n)
	for j := range q {
		v := make([]float64, m)
		for i := range v {
			v[i] = float64(a[i*n+j])
		}
		for range 2 {
			for k := 0; k < j; k++ {
				var dot float64
				for i, x := range q[k] {
					dot += x * v[i]
				}
				for i, x := range q[k] {
					v[i] -= dot * x
				}
			}
		}
		var norm float64
		for _, x := range v {
			norm += x * x
		}
		norm = math.Sqrt(norm)
		for i := range v {
			v[i] /= norm
		}
		q[j] = v
	}
	return q
}

func (o orthogonal) Config() Config {
	return Config{ClassName: "Orthogonal", Config: map[string]any{"gain": o.gain, "seed": seedConfig(o.seed)}}
}
