package nn

import (
	"errors"
	"fmt"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestErrorClass(t *testing.T) {
	cases := []struct {
		name string
		err  error
		want string
	}{
		{"plain", errors.New("x"), ValueError},
		{"arg", &ArgError{Owner: "Dense", Key: "units", Value: 0, Want: "a positive integer"}, ValueError},
		{"unknown name", &UnknownNameError{Kind: "loss", Name: "msee"}, ValueError},
		{"not implemented", &NotImplemented{What: "the layer LSTM"}, NotImplementedError},
		{"wrapped", fmt.Errorf("compile: %w", &NotImplemented{What: "x"}), NotImplementedError},
		{"typed arg", &ArgError{Owner: "Dense", Key: "units", Class: TypeError}, TypeError},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) { assert.Equal(t, c.want, ErrorClass(c.err)) })
	}
}

func TestArgsUnsupportedIsNotListedAsTaken(t *testing.T) {
	a := NewArgs("Dense", map[string]any{"units": 3.0, "lora_rank": 4.0, "bogus": 1.0})
	a.Int("units", 0)
	a.Unsupported("lora_rank", "null (LoRA fine-tuning)")
	a.Refuse("workers")
	err := a.Err()
	require.Error(t, err)
	assert.Equal(t, NotImplementedError, ErrorClass(err), "the first error is the unsupported key")
	assert.Contains(t, err.Error(), `unknown argument "bogus"; Dense takes: units`)
	assert.NotContains(t, err.Error(), "takes: lora_rank")
	assert.NotContains(t, err.Error(), "workers")

	b := NewArgs("Dense", map[string]any{"units": 3.0})
	b.Int("units", 0)
	b.Unsupported("lora_rank", "null")
	assert.NoError(t, b.Err(), "an absent unsupported key is fine")
}
