// keraswasm/tf: TF.js's training API over the keraswasm runtime, so that
// TF.js code runs with only its import changed:
//
//   import * as tf from 'keraswasm/tf';   // was: from '@tensorflow/tfjs'
//   const model = tf.sequential();
//   model.add(tf.layers.dense({units: 1, inputShape: [1]}));
//
// The module loads the runtime with top-level await (default options: the
// wasm beside this package); loadKeras().tf is the same namespace for a page
// that needs other options. See src/tf.mjs for what differs from Keras.

import { loadKeras } from './keras.mjs';

const tf = (await loadKeras()).tf;
export default tf;
export const {
  version, sequential, layers, train, callbacks, tensor, scalar, tensor1d, tensor2d, tensor3d, tensor4d,
  zeros, ones, randomNormal, randomUniform, oneHot, tidy, dispose, keep, nextFrame, memory, data, loadLayersModel, fromKeras, Tensor,
} = tf;
