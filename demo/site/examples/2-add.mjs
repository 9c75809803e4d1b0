// Study note §3 构造网络层 2: add layers one by one with .add().
// (testdata/studynote/keras_sequential_note.md, lines 58–64)
export const title = 'Add layers with model.add()';
export const quote = '利用 .add() 方法加入 layer;input_shape 传递给第一层,2D 层也可以用 input_dim 隐含地指定输入 shape。';
export const translation = 'Add layers with the .add() method; input_shape is passed to the first layer, and 2D layers ' +
  'may also give the input shape implicitly with input_dim.';
export const note = '';

/** @param {import("keraswasm").Keras} keras the page's main-thread namespace (typed for tsc: js/test/types.test.mjs) */
export default async function run(keras) {
  const model = keras.Sequential();
  model.add(keras.layers.Dense(32, { input_shape: [784] }));
  model.add(keras.layers.Activation('relu'));
  model.summary();

  // The same first layer with input_dim, as the note says 2D layers allow.
  const other = keras.Sequential();
  other.add(keras.layers.Dense(32, { input_dim: 784 }));
  console.log('input_dim: 784 gives', other.count_params(), 'parameters, like input_shape: [784]:', model.count_params());
  model.dispose();
  other.dispose();
}
