// Keras 3 files from JS: .keras and .weights.h5 bytes round trip with the
// same predictions, and damaged or unsupported files are clear errors.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { crc32 } from 'node:zlib';
import { keras } from './helpers.mjs';
import { saveKerasBytes, loadKerasBytes, saveWeightsH5Bytes, loadWeightsH5Bytes } from '../src/kerasfile.mjs';

async function model() {
  const k = await keras();
  k.utils.set_random_seed(7);
  const m = k.Sequential([
    k.layers.Dense({ units: 8, activation: 'relu', input_shape: [5] }),
    k.layers.BatchNormalization(),
    k.layers.Dropout({ rate: 0.2 }),
    k.layers.Dense({ units: 3, activation: 'softmax' }),
  ]);
  return { k, m };
}

const x = Float32Array.from({ length: 20 }, (_, i) => Math.sin(i));

async function predict(m) {
  return Array.from((await m.predict({ data: x, shape: [4, 5] })).dataSync());
}

test('a .keras file round trips: same predictions, same bytes apart from the date', async () => {
  const { k, m } = await model();
  const b = saveKerasBytes(m);
  assert.ok(b instanceof Uint8Array && b.length > 1000);
  assert.equal(String.fromCharCode(b[0], b[1]), 'PK');
  const back = loadKerasBytes(k, b);
  assert.deepEqual(await predict(back), await predict(m));
  const again = saveKerasBytes(back);
  assert.equal(again.length, b.length);
});

test('.weights.h5 bytes load into another model with the same layers', async () => {
  const { m } = await model();
  const { m: other } = await model();
  const b = saveWeightsH5Bytes(m);
  assert.deepEqual(Array.from(b.subarray(0, 4)), [0x89, 0x48, 0x44, 0x46]);
  loadWeightsH5Bytes(other, b);
  assert.deepEqual(await predict(other), await predict(m));
});

test('damaged and unsupported files are clear errors and the runtime stays usable', async () => {
  const { k, m } = await model();
  const b = saveKerasBytes(m);
  assert.throws(() => loadKerasBytes(k, b.subarray(0, b.length >> 1)),
    (e) => e.name === 'ValueError' && /^loadKerasBytes: not a \.keras file/.test(e.message));
  // An unknown layer class, named: rename Dropout in config.json (stored uncompressed, same length).
  // config.json is stored, so it is found whole; its CRC-32 (in the local header, the data
  // descriptor and the central directory) is updated so that only the class is wrong.
  const s = Buffer.from(b);
  const start = s.indexOf('{"build_config"');
  const end = s.indexOf('PK', start);
  const old = crc32(s.subarray(start, end));
  const at = s.indexOf('"class_name":"Dropout"');
  assert.ok(start > 0 && at > start && at < end);
  s.write('"class_name":"Dropper"', at);
  const crcOld = Buffer.alloc(4); crcOld.writeUInt32LE(old);
  const crcNew = Buffer.alloc(4); crcNew.writeUInt32LE(crc32(s.subarray(start, end)));
  for (let i = s.indexOf(crcOld); i >= 0; i = s.indexOf(crcOld, i + 4)) crcNew.copy(s, i);
  assert.throws(() => loadKerasBytes(k, new Uint8Array(s)), (e) => /^loadKerasBytes: /.test(e.message) && /Dropper/.test(e.message));
  // An unsupported dtype, named: a bool dataset (h5py writes numpy bools as an HDF5 enum).
  const w = saveWeightsH5Bytes(m);
  const bad = Buffer.from(w);
  // The float32 datatype message is class 1 version 1 (0x11) followed by its bit field 0x20 0x1f; make it an enum (class 8).
  const dt = bad.indexOf(Buffer.from([0x11, 0x20, 0x1f, 0x00, 0x04, 0, 0, 0]));
  assert.ok(dt > 0);
  bad[dt] = 0x18;
  assert.throws(() => loadWeightsH5Bytes(m, new Uint8Array(bad)),
    (e) => /^loadWeightsH5Bytes: /.test(e.message) && /enum \(e\.g\. bool\) datatype is not supported/.test(e.message));
  assert.throws(() => loadWeightsH5Bytes(m, 'nope'), (e) => e instanceof TypeError && /^loadWeightsH5Bytes: /.test(e.message));
  // Still usable.
  assert.equal((await predict(m)).length, 12);
});
