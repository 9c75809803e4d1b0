// What the Vite, esbuild and webpack pages run (copied beside their page): one tiny model trained on
// the main thread and one in a Web Worker; the outcome goes to window.__result ({main, worker} or
// {error}), which helpers.mjs's runPage reads.

// Two separable blobs: class 1 where x0 + x1 > 0. 64 points, a fixed pattern (no RNG needed).
const n = 64, x = [], y = [];
for (let i = 0; i < n; i++) {
  const a = Math.sin(i * 12.9898) * 2, b = Math.cos(i * 78.233) * 2;
  x.push([a, b]);
  y.push([a + b > 0 ? 1 : 0]);
}

async function train(loadKeras, options) {
  const keras = await loadKeras(options);
  const model = keras.Sequential([
    keras.layers.Dense(8, { activation: 'relu', input_shape: [2] }),
    keras.layers.Dense(1, { activation: 'sigmoid' }),
  ]);
  await model.compile({ optimizer: keras.optimizers.Adam({ learning_rate: 0.05 }), loss: 'binary_crossentropy', metrics: ['accuracy'] });
  const history = await model.fit(x, y, { epochs: 40, batch_size: 16, verbose: 0 });
  const [loss, accuracy] = await model.evaluate(x, y, { verbose: 0 });
  if (keras.terminate) keras.terminate();
  return { loss, accuracy, epochs: history.history.loss.length };
}

/** mnist reads the small IDX files the test serves under ./mnist/ with keras.datasets.mnist.load_data. */
async function mnist(loadKeras, options) {
  const keras = await loadKeras(options);
  const [[x, y], [xt, yt]] = await keras.datasets.mnist.load_data({ url: './mnist/' });
  if (keras.terminate) keras.terminate();
  return { shapes: [x.shape, y.shape, xt.shape, yt.shape], x: Array.from(x.data), y: Array.from(y.data), yt: Array.from(yt.data) };
}

/**
 * trainBoth trains with loadKeras(mainOptions), then loadKeras(workerOptions), with withMNIST also
 * loads the test's MNIST files both ways, and writes window.__result.
 */
export async function trainBoth(loadKeras, mainOptions, workerOptions, { withMNIST = true } = {}) {
  try {
    const main = await train(loadKeras, mainOptions);
    const worker = await train(loadKeras, workerOptions);
    const result = { main, worker };
    if (withMNIST) result.mnist = [await mnist(loadKeras, mainOptions), await mnist(loadKeras, workerOptions)];
    window.__result = result; // set once, whole: runPage reads it as soon as it exists
  } catch (e) {
    window.__result = { error: `${e.name}: ${e.message}` };
  }
  document.getElementById('out').textContent = JSON.stringify(window.__result);
}
