// The issue-12 case at full size, with the default memory limit: three
// Dense(8192, {input_dim: 8192}) models trained with Adam (1.25 GiB each)
// do not fit in one wasm runtime together. The third is refused with a
// ResourceExhaustedError (it used to end the runtime with Go's "fatal
// error: out of memory"); after a dispose it trains. Heavy (about 3.6 GiB of
// wasm memory, tens of seconds): node js/bench/memory_budget.mjs
import { loadKeras } from '../keras.mjs';
const keras = await loadKeras();
const mem = () => (keras.runtime.instance.exports.mem.buffer.byteLength / 2 ** 30).toFixed(2) + ' GiB';
console.log('limit', keras.config.get_memory_limit(), (keras.config.get_memory_limit() / 2 ** 30).toFixed(2), 'GiB; wasm', mem());
const x = keras.tensor(new Float32Array(16 * 8192).fill(0.01), [16, 8192]);
const y = keras.tensor(new Float32Array(16 * 8192).fill(0.02), [16, 8192]);
const make = async (name) => {
  const m = keras.Sequential([keras.layers.Dense(8192, { input_dim: 8192 })], name);
  m.compile({ optimizer: 'adam', loss: 'mse' });
  const t = Date.now();
  const h = await m.fit(x, y, { epochs: 1, batch_size: 8, verbose: 0 });
  console.log(name, 'trained, loss', h.history.loss[0].toExponential(3), 'in', Date.now() - t, 'ms; wasm', mem(), 'in use', (keras.config.get_memory_info().current / 2 ** 30).toFixed(2), 'GiB');
  return m;
};
const a = await make('a');
const b = await make('b');
try { await make('c'); } catch (e) { console.log(e.name + ': ' + e.message); }
a.dispose();
const c = await make('c');
console.log('predict b', b.predict(x).shape, 'wasm', mem());
