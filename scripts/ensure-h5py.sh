#!/usr/bin/env bash
# Makes sure the HDF5 interop tests have h5py (Debian's python3-h5py), the
# independent HDF5 reader/writer that checks internal/hdf5. As root it
# installs it with apt-get when missing; otherwise it says what to run.
# Under CI=true a missing h5py is an error: the interop test never skips in CI.
set -euo pipefail
have() { /usr/bin/python3 -c 'import h5py' >/dev/null 2>&1; }
if ! have && [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
  echo "ensure-h5py: installing python3-h5py with apt-get"
  export DEBIAN_FRONTEND=noninteractive
  apt-get install -y python3-h5py >/dev/null 2>&1 ||
    { apt-get update >/dev/null && apt-get install -y python3-h5py >/dev/null; } ||
    echo "ensure-h5py: apt-get install python3-h5py failed" >&2
fi
if ! have; then
  if [ "${CI:-}" = true ]; then
    echo "ensure-h5py: h5py is missing under CI=true; the HDF5 interop tests cannot run (apt-get install -y python3-h5py as root)" >&2
    exit 1
  fi
  echo "ensure-h5py: h5py is missing; the HDF5 interop tests will skip. Install it: sudo apt-get install -y python3-h5py" >&2
  exit 0
fi
echo "ensure-h5py: h5py $(/usr/bin/python3 -c 'import h5py; print(h5py.version.version)')"
