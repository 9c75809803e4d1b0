// The page's script, bundled by esbuild. esbuild copies no file that `new URL('…', import.meta.url)`
// names, so the page says where the copied runtime is (wasmURL: wasm_exec.js and the SIMD module
// are taken beside it) and where its bundled worker is (workerURL).
import { loadKeras } from 'keraswasm';
import { trainBoth } from './train.mjs';

const runtime = { wasmURL: new URL('./keraswasm/keras.wasm', import.meta.url) };
await trainBoth(loadKeras, runtime, { ...runtime, worker: true, workerURL: new URL('./worker.js', import.meta.url) });
