package parity

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

// TestMaxErr checks the error measure the parity tests rest on: absolute
// below 1, relative above, NaN never passing.
func TestMaxErr(t *testing.T) {
	tests := []struct {
		name      string
		got       []float32
		want      []float64
		wantErr   float64
		wantIndex int
	}{
		{"equal", []float32{1, -2, 0}, []float64{1, -2, 0}, 0, 0},
		{"absolute below one", []float32{0.5, 0.25}, []float64{0.5, 0.2501}, 1e-4, 1},
		{"relative above one", []float32{1000, 3}, []float64{1001, 3}, 1.0 / 1001, 0},
		{"nan is infinite", []float32{1, float32(math.NaN())}, []float64{1, 2}, math.Inf(1), 1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			e, at := MaxErr(tt.got, tt.want)
			assert.InDelta(t, tt.wantErr, e, 1e-9*math.Max(1, e))
			assert.Equal(t, tt.wantIndex, at)
		})
	}
}

// TestLoadFindsFixtures reads a committed fixture from this package's
// directory, which shows Load finds testdata/parity from any package.
func TestLoadFindsFixtures(t *testing.T) {
	var h Header
	Load(t, "optimizers", &h)
	assert.Equal(t, "4.22.0", h.TFJSVersion)
	assert.Equal(t, "cpu", h.Backend)
}
