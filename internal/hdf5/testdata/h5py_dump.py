"""Prints every group and dataset of an HDF5 file as JSON, read by h5py.

The Go tests of internal/hdf5 run it over files our writer made, so an
independent HDF5 implementation (the HDF5 C library under h5py) checks them.
"""
import json
import sys

import h5py
import numpy as np

out = {"groups": [], "datasets": {}}
with h5py.File(sys.argv[1], "r") as f:
    def visit(name, obj):
        if isinstance(obj, h5py.Dataset):
            a = obj[()]
            out["datasets"][name] = {
                "dtype": str(a.dtype),
                "shape": list(a.shape),
                "values": [repr(float(v)) for v in np.asarray(a, dtype="float64").ravel()],
            }
        else:
            out["groups"].append(name)
    f.visititems(visit)
print(json.dumps(out, sort_keys=True))
