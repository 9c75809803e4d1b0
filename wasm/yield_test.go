package main

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestParseYieldEvery(t *testing.T) {
	tests := []struct {
		name string
		in   any
		want yieldPolicy
	}{
		{"default is auto", nil, yieldPolicy{Every: autoYieldEvery}},
		{"auto", "auto", yieldPolicy{Every: autoYieldEvery}},
		{"batch", "batch", yieldPolicy{Batch: true}},
		{"epoch", "epoch", yieldPolicy{Epoch: true}},
		{"never", "never", yieldPolicy{Never: true}},
		{"milliseconds", 40.0, yieldPolicy{Every: 40 * time.Millisecond}},
		{"zero is every batch end", 0.0, yieldPolicy{Every: 0}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := parseYieldEvery(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, got)
		})
	}
	for _, bad := range []any{"sometimes", -1.0, true} {
		_, err := parseYieldEvery(bad)
		require.Error(t, err)
		assert.Contains(t, err.Error(), "yield_every")
		assert.Contains(t, err.Error(), `"auto"`)
	}
}

func TestYielderFollowsThePolicy(t *testing.T) {
	clock := time.Unix(0, 0)
	now := func() time.Time { return clock }
	tests := []struct {
		name   string
		policy yieldPolicy
		want   int // yields over 2 epochs of 10 batches, 10 ms each
	}{
		{"every 25 ms", yieldPolicy{Every: 25 * time.Millisecond}, 6},
		{"every batch", yieldPolicy{Batch: true}, 20},
		{"every epoch", yieldPolicy{Epoch: true}, 2},
		{"never", yieldPolicy{Never: true}, 0},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			clock = time.Unix(0, 0)
			n := 0
			y := newYielder(tt.policy, now, func(epoch, batch int) error { n++; return nil })
			for e := 0; e < 2; e++ {
				y.epochBegin(e)
				for b := 0; b < 10; b++ {
					clock = clock.Add(10 * time.Millisecond)
					require.NoError(t, y.batchEnd(b))
				}
				require.NoError(t, y.epochEnd(e))
			}
			assert.Equal(t, tt.want, n)
		})
	}
}
