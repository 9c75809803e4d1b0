// gen.mjs writes the TF.js reference fixtures under testdata/parity/.
// Run by hand (make parity-fixtures) and commit its output; the Go tests
// read the JSON and never need Node.
import * as tf from '@tensorflow/tfjs';
import { write } from './lib.mjs';
import { layerFixtures } from './layers.mjs';

await tf.setBackend('cpu');

write('layers', 'Layer forward y = layer(x, training=false) and the gradients of L = sum(y*r) ' +
  'with respect to x (dx) and each trainable weight (grads, in get_weights order), by TF.js layers ' +
  'and tf.variableGrads. Weights set with setWeights; inputs from a seeded mulberry32 generator.',
{ cases: layerFixtures() });
