// Study note §3 构造网络层 1: build the model from a list of layers.
// (testdata/studynote/keras_sequential_note.md, lines 43–47)
export const title = 'Build a model from a list of layers';
export const note = '利用layer的list来构造该模型 — Sequential 的第一层需要接受一个关于输入数据 shape 的参数,后面的各层则可以自动推导出中间数据的 shape。' +
  ' (The note writes Dense(32, units=784); the Keras docs it follows mean input_shape=(784,).)';

export default async function run(keras) {
  const model = keras.Sequential([
    keras.layers.Dense(32, { input_shape: [784] }),
    keras.layers.Activation('relu'),
    keras.layers.Dense(10),
    keras.layers.Activation('softmax'),
  ]);
  model.summary();
  model.dispose();
}
