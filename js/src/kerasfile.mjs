// Keras 3's own files as bytes: a model's .keras file (a zip of config.json,
// metadata.json and model.weights.h5) and its weights alone as .weights.h5,
// both made and read by the Go core (sequential/keras_file.go,
// internal/hdf5). model.save('x.keras') and keras.models.load_model build on
// these; here they take and return Uint8Arrays.
import { Model, modelRuntime } from './model.mjs';

function local(model, where) {
  const rh = modelRuntime(model);
  if (rh === null) {
    throw new TypeError(`${where}: expected a keras.Sequential model made in this thread (models in a worker are not supported yet)`);
  }
  return rh;
}

function bytesOf(b, where) {
  if (b instanceof Uint8Array) return b;
  if (b instanceof ArrayBuffer) return new Uint8Array(b);
  if (ArrayBuffer.isView(b)) return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  throw new TypeError(`${where}: expected the file's bytes (a Uint8Array or ArrayBuffer)`);
}

/** saveKerasBytes returns the model as the bytes of a Keras 3 .keras file. */
export function saveKerasBytes(model) {
  const [rt, h] = local(model, 'saveKerasBytes');
  return rt.call('saveKeras', h, true, 'saveKerasBytes');
}

/** loadKerasBytes makes a model from a .keras file's bytes; keras is the namespace loadKeras() gave. */
export function loadKerasBytes(keras, bytes) {
  const rt = keras?.runtime;
  if (!rt || typeof rt.call !== 'function') {
    throw new TypeError('loadKerasBytes: the first argument must be the keras namespace of loadKeras() in this thread');
  }
  return new Model(rt, [], rt.call('loadKeras', bytesOf(bytes, 'loadKerasBytes'), 'loadKerasBytes'));
}

/** saveWeightsH5Bytes returns the model's weights as the bytes of a Keras 3 .weights.h5 file. */
export function saveWeightsH5Bytes(model) {
  const [rt, h] = local(model, 'saveWeightsH5Bytes');
  return rt.call('saveWeightsH5', h, 'saveWeightsH5Bytes');
}

/** loadWeightsH5Bytes loads a .weights.h5 file's bytes into the model's weights. */
export function loadWeightsH5Bytes(model, bytes) {
  const [rt, h] = local(model, 'loadWeightsH5Bytes');
  rt.call('loadWeightsH5', h, bytesOf(bytes, 'loadWeightsH5Bytes'), 'loadWeightsH5Bytes');
}
