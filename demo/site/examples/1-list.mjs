// Study note §3 构造网络层 1: build the model from a list of layers.
// (testdata/studynote/keras_sequential_note.md, lines 43–47)
export const title = 'Build a model from a list of layers';
// quote is the note's own words; translation says them in English; note is this page's remark.
export const quote = '利用layer的list来构造该模型 — Sequential 的第一层需要接受一个关于输入数据 shape 的参数,后面的各层则可以自动推导出中间数据的 shape。';
export const translation = 'Build the model from a list of layers. The first layer of a Sequential model needs an argument ' +
  'giving the shape of its input data; the layers after it work out the shapes of the data in between by themselves.';
export const note = 'The note writes Dense(32, units=784); the Keras docs it follows mean input_shape=(784,).';

/** @param {import("keraswasm").Keras} keras the page's main-thread namespace (typed for tsc: js/test/types.test.mjs) */
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
