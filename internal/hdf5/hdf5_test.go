package hdf5

import (
	"bytes"
	"encoding/json"
	"math"
	"os"
	"os/exec"
	"path/filepath"
	"reflect"
	"strconv"
	"strings"
	"testing"
)

func readFile(t *testing.T, path string) (*File, error) {
	t.Helper()
	b, err := os.ReadFile(path)
	if err != nil {
		t.Fatal(err)
	}
	return Read(bytes.NewReader(b), int64(len(b)))
}

// TestReadH5pyKerasLayout reads a file h5py wrote in Keras's layout
// (testdata/make_h5py.py) and checks every value the script put there.
func TestReadH5pyKerasLayout(t *testing.T) {
	f, err := readFile(t, "testdata/h5py_keras_layout.h5")
	if err != nil {
		t.Fatal(err)
	}
	want := map[string]struct {
		dtype string
		shape []int
		vals  []float32
	}{
		"layers/dense/vars/0":   {"float32", []int{3, 4}, []float32{0, .125, .25, .375, .5, .625, .75, .875, 1, 1.125, 1.25, 1.375}},
		"layers/dense/vars/1":   {"float32", []int{4}, []float32{0.5, -1.5, 2.25, 1e-3}},
		"layers/dense_1/vars/1": {"float32", []int{2}, []float32{0, 0}},
		"optimizer/vars/0":      {"int64", []int{}, []float32{7}},
		"optimizer/vars/1":      {"float32", []int{}, []float32{0.001}},
		"optimizer/vars/2":      {"float64", []int{3}, []float32{0, 1, 2}},
		"optimizer/vars/3":      {"int32", []int{2}, []float32{1, -2}},
		"optimizer/vars/4":      {"float16", []int{2}, []float32{1.5, -2}},
		"many/w39":              {"float32", []int{2}, []float32{39, 39}},
	}
	for p, w := range want {
		d, ok := f.Dataset(p)
		if !ok {
			t.Fatalf("no dataset %s; have %d datasets", p, len(f.Datasets))
		}
		got, err := d.Float32s()
		if err != nil {
			t.Fatal(err)
		}
		if d.DType != w.dtype || !reflect.DeepEqual(d.Shape, w.shape) || !reflect.DeepEqual(got, w.vals) {
			t.Errorf("%s: got %s %v %v, want %s %v %v", p, d.DType, d.Shape, got, w.dtype, w.shape, w.vals)
		}
	}
	if len(f.Datasets) != 4+5+40 {
		t.Errorf("%d datasets, want 49", len(f.Datasets))
	}
	for _, g := range []string{"", "vars", "layers/dropout/vars", "many"} {
		found := false
		for _, h := range f.Groups {
			found = found || h == g
		}
		if !found {
			t.Errorf("group %q missing from %v", g, f.Groups)
		}
	}
}

// TestReadRefusesByName checks each refused feature gives an error naming it.
func TestReadRefusesByName(t *testing.T) {
	for file, want := range map[string]string{
		"h5py_chunked.h5": "chunked layout",
		"h5py_gzip.h5":    "filters (compression)",
		"h5py_latest.h5":  "superblock version 3",
		"h5py_bool.h5":    "enum (e.g. bool)",
	} {
		_, err := readFile(t, filepath.Join("testdata", file))
		if err == nil || !strings.Contains(err.Error(), want) {
			t.Errorf("%s: error %v, want one naming %q", file, err, want)
		}
	}
}

func sample() ([]string, []Dataset) {
	ds := []Dataset{
		Float32Dataset("layers/dense/vars/0", []int{2, 3}, []float32{1, -2, 3.5, float32(math.Inf(1)), 5e-8, 6}),
		Float32Dataset("layers/dense/vars/1", []int{3}, []float32{7, 8, 9}),
		Int64Dataset("optimizer/vars/0", nil, []int64{-5}),
		Float32Dataset("optimizer/vars/1", []int{0}, nil),
	}
	for i := 0; i < 300; i++ {
		if i < 250 {
			ds = append(ds, Float32Dataset("many/"+strings.Repeat("x", i%7+1)+string(rune('A'+i%50))+string(rune('a'+i/50)), []int{1}, []float32{float32(i)}))
		}
	}
	return []string{"vars", "layers/dropout/vars"}, ds
}

// TestWriteReadRoundTrip: what Write writes, Read reads back the same, and
// writing it again gives the same bytes.
func TestWriteReadRoundTrip(t *testing.T) {
	groups, ds := sample()
	var b bytes.Buffer
	if err := Write(&b, groups, ds); err != nil {
		t.Fatal(err)
	}
	f, err := Read(bytes.NewReader(b.Bytes()), int64(b.Len()))
	if err != nil {
		t.Fatal(err)
	}
	if len(f.Datasets) != len(ds) {
		t.Fatalf("%d datasets back, want %d", len(f.Datasets), len(ds))
	}
	for _, d := range ds {
		g, ok := f.Dataset(d.Path)
		if !ok || g.DType != d.DType || len(g.Shape) != len(d.Shape) || !bytes.Equal(g.Data, d.Data) {
			t.Errorf("%s: got %+v, want %+v", d.Path, g, d)
		}
	}
	var again bytes.Buffer
	if err := Write(&again, f.Groups, f.Datasets); err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again.Bytes(), b.Bytes()) {
		t.Error("write → read → write changed the bytes")
	}
}

// TestWriteRefuses: bad datasets are errors, not files.
func TestWriteRefuses(t *testing.T) {
	for _, c := range []struct {
		ds   Dataset
		want string
	}{
		{Dataset{Path: "a", DType: "bfloat16", Shape: []int{1}, Data: []byte{0, 0}}, `dtype "bfloat16" is not supported`},
		{Dataset{Path: "a", DType: "float32", Shape: []int{2}, Data: []byte{0, 0}}, "2 bytes of data"},
		{Dataset{Path: "", DType: "float32", Data: []byte{0, 0, 0, 0}}, "has no name"},
	} {
		err := Write(&bytes.Buffer{}, nil, []Dataset{c.ds})
		if err == nil || !strings.Contains(err.Error(), c.want) {
			t.Errorf("%+v: error %v, want %q", c.ds, err, c.want)
		}
	}
}

// h5pyPython finds a python3 that imports h5py. Under CI=true a missing
// h5py fails the test (make test installs it); elsewhere the test skips.
func h5pyPython(t *testing.T) string {
	for _, p := range []string{"/usr/bin/python3", "python3"} {
		if exec.Command(p, "-c", "import h5py").Run() == nil {
			return p
		}
	}
	if os.Getenv("CI") == "true" {
		t.Fatal("h5py is missing (apt-get install python3-h5py; make test installs it when run as root)")
	}
	t.Skip("h5py not installed (apt-get install python3-h5py)")
	return ""
}

// TestH5pyReadsOurs: h5py (the HDF5 C library) reads what Write wrote and
// finds the same groups, dtypes, shapes and values.
func TestH5pyReadsOurs(t *testing.T) {
	py := h5pyPython(t)
	groups, ds := sample()
	var b bytes.Buffer
	if err := Write(&b, groups, ds); err != nil {
		t.Fatal(err)
	}
	path := filepath.Join(t.TempDir(), "ours.h5")
	if err := os.WriteFile(path, b.Bytes(), 0o644); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(py, "testdata/h5py_dump.py", path).CombinedOutput()
	if err != nil {
		t.Fatalf("h5py could not read our file: %v\n%s", err, out)
	}
	var dump struct {
		Groups   []string
		Datasets map[string]struct {
			Dtype  string
			Shape  []int
			Values []string
		}
	}
	if err := json.Unmarshal(out, &dump); err != nil {
		t.Fatal(err)
	}
	np := map[string]string{"float32": "float32", "int64": "int64"}
	for _, d := range ds {
		got, ok := dump.Datasets[d.Path]
		want, _ := d.Float32s()
		if !ok || got.Dtype != np[d.DType] || len(got.Shape) != len(d.Shape) || len(got.Values) != len(want) {
			t.Fatalf("%s: h5py saw %+v", d.Path, got)
		}
		for i, v := range want {
			g, err := strconv.ParseFloat(got.Values[i], 64)
			if err != nil || float32(g) != v {
				t.Errorf("%s[%d]: h5py read %v, we wrote %v", d.Path, i, got.Values[i], v)
			}
		}
	}
	for _, g := range []string{"vars", "layers/dropout/vars", "layers/dense/vars", "optimizer/vars"} {
		found := false
		for _, h := range dump.Groups {
			found = found || h == g
		}
		if !found {
			t.Errorf("h5py does not see group %q", g)
		}
	}
}
