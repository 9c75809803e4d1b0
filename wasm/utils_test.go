package main

import (
	"testing"

	"github.com/keraswasm/keraswasm/nn"
	"github.com/keraswasm/keraswasm/tensor"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPadSequencesDoor(t *testing.T) {
	out, dtype, err := PadSequences(`{"sequences": [[1], [2, 3]], "padding": "post"}`)
	require.NoError(t, err)
	assert.Equal(t, "int32", dtype)
	assert.Equal(t, []int{2, 2}, []int(out.Shape))
	assert.Equal(t, []float32{1, 0, 2, 3}, out.Data)

	_, _, err = PadSequences(`{"sequences": [[1]], "padding": "side"}`)
	require.Error(t, err)
	assert.Regexp(t, `^pad_sequences: .*padding`, err.Error())
	_, _, err = PadSequences(`{"maxlen": 2}`)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "pad_sequences: sequences is required")
}

func TestNormalizeDoor(t *testing.T) {
	x := tensor.New(1, 2)
	copy(x.Data, []float32{3, 4})
	out, err := Normalize(x, `{"order": 1}`)
	require.NoError(t, err)
	assert.InDeltaSlice(t, []float32{3.0 / 7, 4.0 / 7}, out.Data, 1e-7)
	_, err = Normalize(x, `{"axis": 5}`)
	require.Error(t, err)
	assert.Regexp(t, `^normalize: axis 5 is out of bounds`, err.Error())
	assert.Equal(t, nn.ValueError, nn.ErrorClass(err))
}
