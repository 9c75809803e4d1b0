package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestLineWriter(t *testing.T) {
	tests := []struct {
		name  string
		input []string
		want  []string
	}{
		{"plain lines", []string{"a\nb\n"}, []string{"a", "b"}},
		{"split writes", []string{"Epoch 1", "/2\n"}, []string{"Epoch 1/2"}},
		{"carriage return keeps the last state", []string{"1/3 [=>..]\r2/3 [==>.]\r3/3 [====]\n"}, []string{"3/3 [====]"}},
		{"backspaces delete", []string{"10/10\b\b\b\b\b 9/10\n"}, []string{" 9/10"}},
		{"trailing padding trimmed", []string{"loss: 0.5   \n"}, []string{"loss: 0.5"}},
		{"pending line flushed", []string{"no newline"}, []string{"no newline"}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var got []string
			w := newLineWriter(func(s string) { got = append(got, s) })
			for _, in := range tt.input {
				n, err := w.Write([]byte(in))
				assert.NoError(t, err)
				assert.Equal(t, len(in), n)
			}
			w.Flush()
			assert.Equal(t, tt.want, got)
		})
	}
}
