// relu(NaN) is NaN, as in TF.js and Keras: the function, a Dense layer with
// activation relu whose kernel holds NaN, and the ReLU layer. A diverged
// model must not hide behind finite predictions.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { keras as load } from './helpers.mjs';

const keras = await load();
const L = keras.layers;

test('keras.activations.relu(NaN) is NaN', () => {
  const y = keras.activations.relu(keras.tensor([[NaN, -1, 2]])).array();
  assert.ok(Number.isNaN(y[0][0]), `relu(NaN) = ${y[0][0]}`);
  assert.deepEqual(y[0].slice(1), [0, 2]);
  for (const name of ['relu6', 'elu', 'selu', 'leaky_relu', 'sigmoid', 'tanh', 'gelu', 'softplus', 'swish', 'hard_sigmoid']) {
    const v = keras.activations[name](keras.tensor([[NaN]])).array()[0][0];
    assert.ok(Number.isNaN(v), `${name}(NaN) = ${v}`);
  }
});

test('a relu Dense layer whose kernel holds NaN predicts NaN; so does a ReLU layer', () => {
  for (const tail of [[L.Dense(1, { activation: 'relu', input_dim: 2 })], [L.Dense(1, { input_dim: 2 }), L.ReLU()]]) {
    const m = keras.Sequential(tail);
    m.layers[0].set_weights([keras.tensor([NaN, NaN], [2, 1]), [0]]);
    const p = m.predict(keras.tensor([[1, 1]]), { verbose: 0 }).array();
    assert.ok(Number.isNaN(p[0][0]), `prediction ${p[0][0]}`);
    m.dispose();
  }
});
