// Study note §3 训练: a single-input model with 2 classes, trained on random data with fit().
// (testdata/studynote/keras_sequential_note.md, lines 131–146)
export const title = 'fit(): binary classification on random data';
export const quote = '一般使用 fit 函数,每次以 batch 大小(32)的数据计算梯度。';
export const translation = 'Training usually uses the fit function, which computes the gradient on one batch (32 samples) at a time.';
export const note = 'For a single-input model with 2 classes (binary classification), as the note\'s code comment says.';

/** @param {import("keraswasm").Keras} keras the page's main-thread namespace (typed for tsc: js/test/types.test.mjs) */
export default async function run(keras) {
  const model = keras.Sequential();
  model.add(keras.layers.Dense(32, { activation: 'relu', input_dim: 100 }));
  model.add(keras.layers.Dense(1, { activation: 'sigmoid' }));
  model.compile({ optimizer: 'rmsprop', loss: 'binary_crossentropy', metrics: ['accuracy'] });

  // Generate dummy data (np.random.random((1000, 100)), np.random.randint(2, size=(1000, 1)))
  const data = keras.tensor(Float32Array.from({ length: 1000 * 100 }, Math.random), [1000, 100]);
  const labels = keras.tensor(Float32Array.from({ length: 1000 }, () => Math.floor(Math.random() * 2)), [1000, 1]);

  // Train the model, iterating on the data in batches of 32 samples
  const history = await model.fit(data, labels, { epochs: 10, batch_size: 32 });
  console.log('loss per epoch:', history.history.loss.map(v => v.toFixed(4)).join(' '));
  model.dispose();
}
