package nn

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"", "", 0}, {"abc", "", 3}, {"", "ab", 2}, {"kitten", "sitting", 3},
		{"epocs", "epochs", 1}, {"batchsize", "batch_size", 1}, {"flaw", "lawn", 2}, {"ünits", "units", 1},
	} {
		assert.Equal(t, tc.want, editDistance(tc.a, tc.b), "%q vs %q", tc.a, tc.b)
		assert.Equal(t, tc.want, editDistance(tc.b, tc.a), "%q vs %q", tc.b, tc.a)
	}
}

func TestNearest(t *testing.T) {
	fit := []string{"batch_size", "epochs", "shuffle", "steps_per_epoch", "verbose"}
	for _, tc := range []struct {
		name string
		in   []string
		want string
	}{
		{"epocs", fit, "epochs"},
		{"Epochs", fit, "epochs"},
		{"batchsize", fit, "batch_size"},
		{"verbos", fit, "verbose"},
		{"lr", []string{"loss", "l1", "l2"}, "l1"},
		{"lr", []string{"loss"}, ""},
		{"msee", []string{"mae", "mse", "msle"}, "mse"},
		{"learning", fit, ""},
		{"x", nil, ""},
	} {
		assert.Equal(t, tc.want, Nearest(tc.name, tc.in), tc.name)
	}
}

// TestArgsErrSuggestsTheNearestKey: an unknown argument is answered with the
// nearest argument the object takes, and only with one that it takes.
func TestArgsErrSuggestsTheNearestKey(t *testing.T) {
	a := NewArgs("fit", map[string]any{"epocs": 3.0})
	a.Int("epochs", 1)
	a.Int("batch_size", 32)
	a.Refuse("workers")
	a.Value("workers")
	assert.ErrorContains(t, a.Err(), `unknown argument "epocs" (did you mean "epochs"?); fit takes: batch_size, epochs`)

	b := NewArgs("fit", map[string]any{"workerz": 3.0})
	b.Int("epochs", 1)
	b.Refuse("workers")
	b.Value("workers")
	err := b.Err()
	assert.ErrorContains(t, err, `unknown argument "workerz"; fit takes: epochs`, "a refused key is never suggested")
	assert.NotContains(t, err.Error(), "did you mean")
}
