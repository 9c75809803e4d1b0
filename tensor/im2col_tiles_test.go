package tensor

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestIm2ColRowsTilesEqualIm2Col: the rows of Im2ColRows over consecutive
// ranges are Im2Col's, and Col2ImRows over them adds the same bits as one
// Col2Im, for every geometry and uneven splits.
func TestIm2ColRowsTilesEqualIm2Col(t *testing.T) {
	rng := NewRNG(31)
	for _, g := range convGeoms(t) {
		t.Run(geomName(g), func(t *testing.T) {
			rows, k := g.ColRows(), g.ColCols()
			x := make([]float32, g.N*g.H*g.W*g.C)
			rng.Uniform(x, -1, 1)
			whole := make([]float32, rows*k)
			Im2Col(whole, x, g)
			cols := make([]float32, rows*k)
			rng.Uniform(cols, -1, 1)
			wantDx := make([]float32, len(x))
			Col2Im(wantDx, cols, g)
			for _, step := range []int{1, 3, 7, rows} {
				gotDx := make([]float32, len(x))
				for r0 := 0; r0 < rows; r0 += step {
					r1 := min(r0+step, rows)
					tile := make([]float32, (r1-r0)*k)
					Im2ColRows(tile, x, g, r0, r1)
					require.Equal(t, whole[r0*k:r1*k], tile, "rows [%d, %d)", r0, r1)
					Col2ImRows(gotDx, cols[r0*k:r1*k], g, r0, r1)
				}
				assert.Equal(t, bits(wantDx), bits(gotDx), "step %d", step)
			}
		})
	}
}

func bits(v []float32) []uint32 {
	b := make([]uint32, len(v))
	for i, x := range v {
		b[i] = math.Float32bits(x)
	}
	return b
}

// TestPlanColTiles: tiles cover the rows in order, start on Gemm's depth
// blocks for the whole matrix, have at least gemmMR rows (unless the whole
// has fewer), stay within MaxRows and MaxColTileRows, and aim at about a
// MiB of columns.
func TestPlanColTiles(t *testing.T) {
	for _, tt := range []struct{ rows, k int }{
		{1, 9}, {3, 9}, {4, 288}, {511, 288}, {512, 288}, {513, 288}, {648, 288},
		{86528, 9}, {86528, 288}, {294912, 27}, {294912, 288}, {512*600 + 1, 576}, {512*600 + 3, 9}, {70000, 100000},
	} {
		p := PlanColTiles(tt.rows, tt.k)
		block := blockStep(tt.rows, gemmKC, 1)
		require.Equal(t, block, p.Block())
		next, most := 0, 0
		for i := range p.Count() {
			r0, r1 := p.Tile(i)
			require.Equal(t, next, r0, "rows %d k %d tile %d", tt.rows, tt.k, i)
			require.Zero(t, r0%block, "a tile starts on a depth block")
			require.Greater(t, r1, r0)
			if tt.rows >= gemmMR {
				require.GreaterOrEqual(t, r1-r0, gemmMR, "rows %d k %d tile %d", tt.rows, tt.k, i)
			}
			next, most = r1, max(most, r1-r0)
		}
		require.Equal(t, tt.rows, next, "the tiles cover every row")
		assert.Equal(t, most, p.MaxRows())
		assert.LessOrEqual(t, most, MaxColTileRows(tt.k))
		if p.Count() > 1 {
			assert.LessOrEqual(t, (most-gemmMR)*tt.k, max(colTileValues, gemmKC*tt.k), "rows %d k %d", tt.rows, tt.k)
		}
	}
	assert.Zero(t, PlanColTiles(0, 9).Count())
}
