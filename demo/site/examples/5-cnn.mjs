// Study note §3 例子 1: the convolutional network (VGG-like) on random images, with SGD + Nesterov.
// (testdata/studynote/keras_sequential_note.md, lines 207–262)
export const title = 'Convolutional network with SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)';
export const quote = '卷积神经网络。';
export const translation = 'A convolutional neural network.';
export const note = 'As the note writes it: 100 random 100×100×3 images, 10 epochs, batch_size 32 ' +
  '(about a minute in a browser tab; lower SIZE and EPOCHS for a quicker run).';

/** @param {import("keraswasm").Keras} keras the page's main-thread namespace (typed for tsc: js/test/types.test.mjs) */
export default async function run(keras) {
  const SIZE = 100, EPOCHS = 10; // the note's sizes
  const random = n => Float32Array.from({ length: n }, Math.random);
  const randint = (k, n) => Array.from({ length: n }, () => Math.floor(Math.random() * k));

  // Generate dummy data
  const x_train = keras.tensor(random(100 * SIZE * SIZE * 3), [100, SIZE, SIZE, 3]);
  const y_train = keras.utils.to_categorical(randint(10, 100), 10);
  const x_test = keras.tensor(random(20 * SIZE * SIZE * 3), [20, SIZE, SIZE, 3]);
  const y_test = keras.utils.to_categorical(randint(10, 20), 10);

  const model = keras.Sequential();
  // input: SIZE×SIZE images with 3 channels -> (SIZE, SIZE, 3) tensors.
  // this applies 32 convolution filters of size 3x3 each.
  model.add(keras.layers.Conv2D(32, [3, 3], { activation: 'relu', input_shape: [SIZE, SIZE, 3] }));
  model.add(keras.layers.Conv2D(32, [3, 3], { activation: 'relu' }));
  model.add(keras.layers.MaxPooling2D({ pool_size: [2, 2] }));
  model.add(keras.layers.Dropout(0.25));

  model.add(keras.layers.Conv2D(64, [3, 3], { activation: 'relu' }));
  model.add(keras.layers.Conv2D(64, [3, 3], { activation: 'relu' }));
  model.add(keras.layers.MaxPooling2D({ pool_size: [2, 2] }));
  model.add(keras.layers.Dropout(0.25));

  model.add(keras.layers.Flatten());
  model.add(keras.layers.Dense(256, { activation: 'relu' }));
  model.add(keras.layers.Dropout(0.5));
  model.add(keras.layers.Dense(10, { activation: 'softmax' }));

  const sgd = keras.optimizers.SGD({ lr: 0.01, decay: 1e-6, momentum: 0.9, nesterov: true });
  model.compile({ loss: 'categorical_crossentropy', optimizer: sgd });

  const history = await model.fit(x_train, y_train, { batch_size: 32, epochs: EPOCHS });
  console.log(`trained ${history.history.loss.length} epochs on x_train of shape [${x_train.shape}]`);
  const score = model.evaluate(x_test, y_test, { batch_size: 32 });
  console.log('test loss:', score);
  model.dispose();
}
