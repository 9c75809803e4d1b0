// Package hdf5 reads and writes the small subset of HDF5 that Keras 3 puts
// in model.weights.h5 and .weights.h5 files: a tree of groups (symbol-table
// groups, as h5py writes them by default) holding contiguous little-endian
// numeric datasets. It is pure Go (no cgo) so it runs in the wasm build.
//
// What it writes: superblock version 0, version 1 object headers, groups as
// a version 1 B-tree of symbol-table nodes with a local heap, datasets with
// a version 1 dataspace, a version 1 datatype, a version 2 fill value and a
// version 3 contiguous layout — the same structures h5py 3 with HDF5 1.10
// writes for h5py.File(path, "w") and create_dataset(name, data=array).
//
// What it reads: the same, and object header continuation, NIL,
// modification-time and attribute messages (attributes are skipped).
// Refused by name (an error, never a guess): superblock versions 2 and 3,
// version 2 object headers, link-message ("new style") groups, chunked,
// compact and virtual layouts, filters (compression), big-endian data,
// datatypes other than IEEE float16/32/64 and 8–64-bit integers, and
// external storage.
//
// Untrusted input never panics or hangs: every address, size, count and
// shape is checked against the file size before anything is allocated, and
// the walk of groups is bounded in depth and in the number of objects.
package hdf5
