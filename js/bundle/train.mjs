// What the esbuild and webpack pages run (copied beside their app.mjs): one tiny model trained on
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

/** trainBoth trains with loadKeras(mainOptions), then loadKeras(workerOptions), and writes window.__result. */
export async function trainBoth(loadKeras, mainOptions, workerOptions) {
  try {
    const main = await train(loadKeras, mainOptions);
    const worker = await train(loadKeras, workerOptions);
    window.__result = { main, worker };
  } catch (e) {
    window.__result = { error: `${e.name}: ${e.message}` };
  }
  document.getElementById('out').textContent = JSON.stringify(window.__result);
}
