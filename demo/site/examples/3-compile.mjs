// Study note §3 编译: the compile variants and the custom metric mean_pred (K.mean).
// (testdata/studynote/keras_sequential_note.md, lines 93–110)
export const title = 'compile(): optimizer, loss, metrics — and a custom metric';
export const quote = '对于多分类问题、二分类问题、回归问题的 compile,以及用户自定义 metrics (mean_pred = K.mean(y_pred))。';
export const translation = 'compile for a multi-class classification problem, a binary classification problem and a ' +
  'regression problem, and a user-defined metric (mean_pred = K.mean(y_pred)).';
export const note = 'Each model is evaluated once on a small random batch to show what it reports.';

/** @param {import("keraswasm").Keras} keras the page's main-thread namespace (typed for tsc: js/test/types.test.mjs) */
export default async function run(keras) {
  const K = keras.backend;
  function mean_pred(y_true, y_pred) {
    return K.mean(y_pred);
  }
  const x = keras.tensor(Float32Array.from({ length: 8 * 20 }, Math.random), [8, 20]);
  const y10 = keras.utils.to_categorical(Array.from({ length: 8 }, (_, i) => i % 10), 10);
  const y1 = keras.tensor(Float32Array.from({ length: 8 }, (_, i) => i % 2), [8, 1]);

  // For a multi-class classification problem
  const multi = keras.Sequential([keras.layers.Dense(10, { activation: 'softmax', input_dim: 20 })]);
  multi.compile({ optimizer: 'rmsprop', loss: 'categorical_crossentropy', metrics: ['accuracy'] });
  console.log('multi-class  [loss, accuracy]           =', multi.evaluate(x, y10, { verbose: 0 }));

  // For a binary classification problem
  const binary = keras.Sequential([keras.layers.Dense(1, { activation: 'sigmoid', input_dim: 20 })]);
  binary.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] });
  console.log('binary       [loss, accuracy]           =', binary.evaluate(x, y1, { verbose: 0 }));

  // For a mean squared error regression problem
  const regression = keras.Sequential([keras.layers.Dense(1, { input_dim: 20 })]);
  regression.compile({ optimizer: 'rmsprop', loss: 'mse' });
  console.log('regression   loss                       =', regression.evaluate(x, y1, { verbose: 0 }));

  // For custom metrics
  const custom = keras.Sequential([keras.layers.Dense(1, { activation: 'sigmoid', input_dim: 20 })]);
  custom.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy', mean_pred] });
  console.log('mean_pred    [loss, accuracy, mean_pred] =', custom.evaluate(x, y1, { verbose: 0 }));
  for (const m of [multi, binary, regression, custom]) m.dispose();
}
