package tensor

// colTileValues is the size a tile of im2col columns aims at: 2^18
// float32 values, 1 MiB. One tile is the most columns a convolution holds
// at once, so its scratch does not grow with the batch.
const colTileValues = 1 << 18

// ColTiles splits the rows of an im2col matrix (rows, k) into tiles that a
// convolution computes one after another: im2col of the tile, then the
// products with the kernel. Tiles are whole depth blocks of the product
// Gemm forms for the kernel gradient (colsᵀ·dz has depth rows), so adding
// the gradient tile by tile, one Gemm per depth block, sums in exactly
// the order of one Gemm over all rows: the same bits as without tiles.
// No tile has fewer than gemmMR rows unless the whole matrix has (a
// shorter last block joins the tile before it), so the forward product of
// each tile takes the same packed path as the whole matrix did.
type ColTiles struct {
	rows    int // rows of the whole matrix
	block   int // rows of one depth block of Gemm over rows
	perTile int // depth blocks per tile
	count   int // tiles
}

// PlanColTiles plans the tiles of an im2col matrix of rows rows and k
// columns (kh·kw·in).
func PlanColTiles(rows, k int) ColTiles {
	if rows <= 0 {
		return ColTiles{}
	}
	block := blockStep(rows, gemmKC, 1)
	blocks := (rows + block - 1) / block
	per := max(1, colTileValues/(max(k, 1)*block))
	per = min(per, blocks)
	count := (blocks + per - 1) / per
	if count > 1 && rows-(count-1)*per*block < gemmMR {
		count--
	}
	return ColTiles{rows: rows, block: block, perTile: per, count: count}
}

// Count is the number of tiles.
func (t ColTiles) Count() int { return t.count }

// Block is the number of rows of one depth block (the last may be shorter).
func (t ColTiles) Block() int { return t.block }

// Tile returns the rows [r0, r1) of tile i. Every tile starts on a block.
func (t ColTiles) Tile(i int) (r0, r1 int) {
	r0 = i * t.perTile * t.block
	if i == t.count-1 {
		return r0, t.rows
	}
	return r0, r0 + t.perTile*t.block
}

// MaxRows is the number of rows of the largest tile.
func (t ColTiles) MaxRows() int {
	if t.count == 0 {
		return 0
	}
	r0, r1 := t.Tile(t.count - 1)
	return max(r1-r0, min(t.perTile*t.block, t.rows))
}

// MaxColTileRows bounds the rows of any tile PlanColTiles makes for k
// columns, whatever the number of rows: a tile is one block of at most
// gemmKC rows or as many blocks as fit in colTileValues, plus fewer than
// gemmMR rows of a short last block.
func MaxColTileRows(k int) int {
	return max(gemmKC, colTileValues/max(k, 1)) + gemmMR - 1
}
