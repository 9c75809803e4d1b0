"""Writes the h5py-made test files of internal/hdf5 (run: python3 make_h5py.py).

Made with Debian's python3-h5py (h5py 3.7, HDF5 1.10.8). The first file has
the layout Keras 3's H5IOStore writes for a Sequential of two Dense layers;
the others are features the reader refuses by name.
"""
import h5py
import numpy as np

with h5py.File("h5py_keras_layout.h5", "w") as f:
    f.create_group("vars")
    v = f.create_group("layers/dense/vars")
    v.create_dataset("0", data=np.arange(12, dtype="float32").reshape(3, 4) / 8)
    v.create_dataset("1", data=np.array([0.5, -1.5, 2.25, 1e-3], dtype="float32"))
    f.create_group("layers/dropout/vars")
    v = f.create_group("layers/dense_1/vars")
    v.create_dataset("0", data=np.linspace(-1, 1, 8, dtype="float32").reshape(4, 2))
    v.create_dataset("1", data=np.zeros(2, dtype="float32"))
    o = f.create_group("optimizer/vars")
    o.create_dataset("0", data=np.int64(7))
    o.create_dataset("1", data=np.float32(0.001))
    o.create_dataset("2", data=np.arange(3, dtype="float64"))
    o.create_dataset("3", data=np.array([1, -2], dtype="int32"))
    o.create_dataset("4", data=np.array([1.5, -2], dtype="float16"))
    big = f.create_group("many")
    for i in range(40):
        big.create_dataset("w%02d" % i, data=np.full((2,), i, dtype="float32"))
    f.attrs["note"] = "attributes are skipped"

with h5py.File("h5py_chunked.h5", "w") as f:
    f.create_dataset("x", data=np.ones((4, 4), dtype="float32"), chunks=(2, 2))

with h5py.File("h5py_gzip.h5", "w") as f:
    f.create_dataset("x", data=np.ones((4, 4), dtype="float32"), compression="gzip")

with h5py.File("h5py_latest.h5", "w", libver="latest") as f:
    f.create_dataset("x", data=np.ones((2,), dtype="float32"))

with h5py.File("h5py_bool.h5", "w") as f:
    f.create_dataset("x", data=np.array([True, False]))
