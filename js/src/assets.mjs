// The package's runtime files, each named by a literal
// `new URL('…', import.meta.url)`: the one form Vite and webpack 5 recognise,
// so that a bundled page gets these files copied beside it (hashed names and
// all) instead of failing at load. A computed path (a template string) hides
// them from every bundler. esbuild copies none of them: its page passes
// wasmURL and workerURL (js/README.md, "esbuild").

/** wasmURL is dist/keras.wasm, the Go core. */
export const wasmURL = () => new URL('../dist/keras.wasm', import.meta.url);

/** wasmExecURL is dist/wasm_exec.js, Go's JS glue (a bundler may rename it apart from the wasm). */
export const wasmExecURL = () => new URL('../dist/wasm_exec.js', import.meta.url);

/** simdURL is dist/keraswasm_simd.wasm, the SIMD GEMM kernel. */
export const simdURL = () => new URL('../dist/keraswasm_simd.wasm', import.meta.url);

/** simdRelaxedURL is dist/keraswasm_simd_relaxed.wasm, the same kernels with relaxed SIMD's multiply-add (loadKeras({simd: 'relaxed'})). */
export const simdRelaxedURL = () => new URL('../dist/keraswasm_simd_relaxed.wasm', import.meta.url);

/**
 * workerURL is worker.mjs, the entry of {worker: true} under Node (a worker
 * thread). Bundlers are told to leave it alone: in a browser newWorker
 * starts the worker, bundled with its imports, and a copy of worker.mjs by
 * itself would be a file the build never loads.
 */
export const workerURL = () => new URL(/* @vite-ignore */ /* webpackIgnore: true */ '../worker.mjs', import.meta.url);

/**
 * newWorker starts worker.mjs as a module Web Worker. The whole expression
 * `new Worker(new URL('…', import.meta.url), {type: 'module'})` is what Vite
 * and webpack 5 recognise as a worker entry and bundle with its imports (a
 * worker.mjs merely copied would import files that are not in the build).
 */
export const newWorker = () => new Worker(new URL('../worker.mjs', import.meta.url), { type: 'module' });
