// Study note §3 例子 1: the convolutional network (VGG-like) on random images, with SGD + Nesterov.
// (testdata/studynote/keras_sequential_note.md, lines 207–262)
export const title = 'Convolutional network with SGD(lr=0.01, decay=1e-6, momentum=0.9, nesterov=True)';
export const note = '卷积神经网络。The note uses 100 random 100×100×3 images and 10 epochs; here the images are ' +
  '32×32×3 and 2 epochs, so that it runs in seconds in a browser tab. Change SIZE and EPOCHS to match it exactly.';

export default async function run(keras) {
  const SIZE = 32, EPOCHS = 2; // the note: 100 and 10
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

  await model.fit(x_train, y_train, { batch_size: 32, epochs: EPOCHS });
  const score = model.evaluate(x_test, y_test, { batch_size: 32 });
  console.log('test loss:', score);
  model.dispose();
}
