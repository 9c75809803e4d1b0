package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLogOrderIsKeras(t *testing.T) {
	logs := map[string]float64{"val_accuracy": 1, "lr": 1, "accuracy": 1, "val_loss": 1, "loss": 1, "batch": 1}
	assert.Equal(t, []string{"loss", "accuracy", "val_loss", "val_accuracy", "batch", "lr"},
		logOrder(logs, []string{"loss", "accuracy"}))
	assert.Equal(t, []string{"a", "b"}, logOrder(map[string]float64{"b": 1, "a": 2}, nil))
}
