// Loading keras.wasm and talking to it. The Go program registers a table of
// functions (one per operation, see wasm/table_js.go); each returns its result
// or a JS Error named for its Keras class, which call() throws as that class
// (js/src/errors.mjs). Tensors cross as a Uint8Array view of
// their Float32Array plus a shape: one bulk copy into Go memory, and one out.

import { Tensor } from './tensor.mjs';
import { makeError, NotImplementedError, ResourceExhaustedError } from './errors.mjs';
import { simdImports, attachSimd } from '../simd.mjs';
import { resolveURL, readBytes, yielder } from './env.mjs';
import { wasmURL as defaultWasmURL, wasmExecURL as defaultWasmExecURL, simdURL as defaultSimdURL, simdRelaxedURL } from './assets.mjs';
import { simdKernel } from './simd-option.mjs';

let bootCounter = 0;

/**
 * loadRuntime instantiates keras.wasm and returns the Runtime.
 * options: wasmURL (default: dist/keras.wasm beside this package),
 * wasmExecURL (default: wasm_exec.js beside a given wasmURL, else the
 * package's, src/assets.mjs), wasmModule (a compiled WebAssembly.Module,
 * e.g. handed to a worker), simd ('default' or 'relaxed': which SIMD
 * kernels, src/simd-option.mjs), simdURL (the chosen kernels' module;
 * default: keraswasm_simd.wasm, or keraswasm_simd_relaxed.wasm for simd
 * 'relaxed', beside a given wasmURL, else the package's), simdModule (its
 * compiled Module), print (default console.log).
 */
export async function loadRuntime(options = {}) {
  const kernel = simdKernel(options.simd);
  const wasmURL = await resolveURL(options.wasmURL ?? defaultWasmURL());
  if (typeof globalThis.Go !== 'function') {
    const execURL = await resolveURL(options.wasmExecURL ?? (options.wasmURL === undefined ? defaultWasmExecURL() : new URL('wasm_exec.js', wasmURL)));
    try {
      // A URL known only at run time: bundlers are told to leave this import to the browser.
      await import(/* @vite-ignore */ /* webpackIgnore: true */ execURL.href);
    } catch (e) {
      throw new Error(`loadKeras: could not load Go's wasm_exec.js from ${execURL} (${e.message}); ` +
        '`make wasm` copies it beside keras.wasm, or pass wasmExecURL');
    }
  }
  const go = new globalThis.Go();
  let module = options.wasmModule;
  if (!module && wasmURL.protocol !== 'file:' && typeof WebAssembly.compileStreaming === 'function') {
    // Compiles while it downloads; needs the server to send application/wasm.
    module = await WebAssembly.compileStreaming(fetch(wasmURL)).catch(() => null);
  }
  if (!module) {
    let bytes;
    try {
      bytes = await readBytes(wasmURL);
    } catch (e) {
      throw new Error(`loadKeras: could not read the runtime ${wasmURL}: ${e.message}; build it with \`make wasm\` or pass wasmURL`);
    }
    module = await WebAssembly.compile(bytes);
  }
  // keras.wasm imports its GEMM kernel (wasm/simd/gemm.wat) from a second
  // module over its own memory: see js/simd.mjs.
  const simd = simdImports();
  const instance = await WebAssembly.instantiate(module, { ...go.importObject, ...simd });
  const simdFile = kernel === 'relaxed' ? 'keraswasm_simd_relaxed.wasm' : 'keraswasm_simd.wasm';
  const simdURL = options.simdURL ? await resolveURL(options.simdURL)
    : options.wasmURL !== undefined ? new URL(simdFile, wasmURL) : kernel === 'relaxed' ? simdRelaxedURL() : defaultSimdURL();
  await attachSimd(simd, instance, { url: simdURL, module: options.simdModule, kernel });
  const key = `__keraswasm_boot_${++bootCounter}_${Date.now()}`;
  const rt = new Runtime(go, instance, module, options.print ?? ((s) => console.log(s)));
  const table = await new Promise((resolve, reject) => {
    const boot = (t) => resolve(t);
    boot.yielder = yielder();
    globalThis[key] = boot;
    // __testDoors (tests only) adds table functions that end the Go program and collect its garbage.
    go.argv = options.__testDoors ? ['keras.wasm', key, '-test-doors'] : ['keras.wasm', key];
    go.exit = (code) => { rt.exited = code; reject(new Error(`the keras runtime exited with code ${code} while starting`)); };
    rt.running = go.run(instance);
    rt.running.catch(reject);
  });
  delete globalThis[key];
  rt.table = table;
  // From now on, the Go program ending (it never does by itself: a fatal
  // error, such as running out of memory despite the budget) stops the
  // runtime: every pending and later call gets one clear Error.
  go.exit = (code) => {
    rt.exited = code;
    // Go's timers would call into the ended program (wasm_exec.js keeps them in _scheduledTimeouts).
    for (const t of go._scheduledTimeouts?.values() ?? []) clearTimeout(t);
    go._scheduledTimeouts?.clear();
    rt.stop(`the runtime exited with code ${code}${code === 2 ? ' (a fatal error; its message is on the console)' : ''}`);
  };
  rt.running.then(() => rt.stop('the runtime exited'), (e) => rt.stop(`the runtime failed: ${e?.message ?? e}`));
  return rt;
}

/** isWasmDeath tells an exception that means the wasm instance cannot go on (a trap, or Go gone). */
function isWasmDeath(e) {
  return e instanceof WebAssembly.RuntimeError || (e instanceof Error && e.message === 'Go program has already exited');
}

/** Runtime wraps the Go function table: call() throws the Go side's errors as JS Errors. */
export class Runtime {
  constructor(go, instance, module, print) {
    this.go = go;
    this.instance = instance;
    this.module = module;
    this.print = print;
    this.table = null;
    this.exited = null;
    this.lastError = null;
    /** dead is the Error of every call once the runtime has stopped (null while it runs). */
    this.dead = null;
    /** onStop, if set, is called with that Error when the runtime stops (the worker tells the page). */
    this.onStop = null;
    this.#pending = new Set();
    go.exit = (code) => { this.exited = code; };
  }

  #pending;

  /**
   * track registers the reject of a Promise the runtime will settle (fit's):
   * if the runtime stops first, it rejects with the runtime's Error. It
   * returns the function that forgets it, for when the Promise settles.
   */
  track(reject) {
    if (this.dead) {
      reject(this.dead);
      return () => {};
    }
    this.#pending.add(reject);
    return () => this.#pending.delete(reject);
  }

  /** stop marks the runtime as gone, for why: every pending and later call rejects with one Error. The first reason is kept. */
  stop(why) {
    if (this.dead) return;
    this.stopReason = why;
    this.dead = new Error(`the keras runtime stopped: ${why}; its models are gone: call loadKeras() again`);
    const pending = [...this.#pending];
    this.#pending.clear();
    for (const reject of pending) reject(this.dead);
    try { this.onStop?.(this.dead); } catch { /* a listener's failure changes nothing here */ }
  }

  /** guarded runs f, a call into the instance; a trap or Go's exit during it stops the runtime. */
  guarded(f) {
    if (this.dead) throw this.dead;
    let r;
    try {
      r = f();
    } catch (e) {
      if (isWasmDeath(e)) this.stop(`the runtime failed: ${e.message}`);
      if (this.dead) throw this.dead;
      throw e;
    }
    if (this.dead) throw this.dead;
    return r;
  }

  /** call runs one table function and throws its error, if any. */
  call(name, ...args) {
    if (this.dead) throw this.dead;
    const fn = this.table[name];
    if (typeof fn !== 'function') throw new Error(`keras runtime: no function ${name} (the runtime and the JS package are from different builds?)`);
    this.lastError = null;
    const r = this.guarded(() => fn(...args));
    if (r instanceof Error) throw this.error(r);
    return r;
  }

  /**
   * error remakes an Error from the runtime here, as the class its name
   * says (ValueError, TypeError, NotImplementedError; Error for an internal
   * error), so that its stack shows the caller rather than wasm_exec.js, and
   * attaches the user's own exception (thrown in a metric or callback) as its
   * cause.
   */
  error(goErr) {
    const e = makeError(goErr.name, goErr.message, this.lastError ? { cause: this.lastError } : undefined);
    this.lastError = null;
    return e;
  }

  /** hasFast reports whether the runtime exports the fast path (wasm/fast_js.go). */
  get hasFast() { return typeof this.instance.exports.kw_predict_on_batch === 'function'; }


  // stage writes tensor t into staging buffer i of Go's memory (i: 0 x, 1 y,
  // 2 sample weights); null marks it absent.
  #stage(i, t, where) {
    const ex = this.instance.exports;
    if (t === null || t === undefined) {
      ex.kw_set_rank(i, -1);
      return;
    }
    if (t.rank > 8) throw new NotImplementedError(`tensors of rank ${t.rank} are not supported (at most 8)`);
    if (t.size > 2 ** 31 - 1) {
      throw new ResourceExhaustedError(`${where}: ${['x', 'y', 'sample_weight'][i]} holds ${t.size} values, ` +
        'more than one call can take (2³¹ − 1); pass fewer samples at a time');
    }
    const p = ex.kw_stage(i, t.size);
    if (p < 0) {
      const e = this.table.lastError();
      throw makeError(e.name, `${where}: ${e.message}`);
    }
    const mem = ex.mem.buffer; // after kw_stage, which may have grown memory
    if (t.size > 0) new Float32Array(mem, p, t.size).set(t.data);
    new Int32Array(mem, ex.kw_shapes() + 32 * i, t.rank).set(t.shape);
    ex.kw_set_rank(i, t.rank);
  }

  // fastError is the error of the last fast call (the table's lastError), as call() throws them.
  #fastError() { return this.error(this.table.lastError()); }

  /**
   * fastPredictOnBatch is predict_on_batch through the wasmexport fast path:
   * x is written into Go's memory and the output read from it, one copy each.
   */
  fastPredictOnBatch(h, x) { return this.guarded(() => this.#fastPredictOnBatch(h, x)); }

  #fastPredictOnBatch(h, x) {
    const ex = this.instance.exports;
    this.#stage(0, x, 'predict_on_batch');
    const rank = ex.kw_predict_on_batch(h);
    if (rank < 0) throw this.#fastError();
    const mem = ex.mem.buffer;
    const shape = Array.from(new Int32Array(mem, ex.kw_shapes(), rank));
    const size = shape.reduce((a, b) => a * b, 1);
    const data = size === 0 ? new Float32Array(0) : new Float32Array(mem, ex.kw_out(), size).slice();
    return new Tensor(data, shape);
  }

  /** fastOnBatch is train_on_batch (train true) or test_on_batch through the fast path; it returns the scores. */
  fastOnBatch(h, train, x, y, sw) { return this.guarded(() => this.#fastOnBatch(h, train, x, y, sw)); }

  #fastOnBatch(h, train, x, y, sw) {
    const ex = this.instance.exports;
    const where = train ? 'train_on_batch' : 'test_on_batch';
    this.#stage(0, x, where);
    this.#stage(1, y, where);
    this.#stage(2, sw, where);
    const n = ex.kw_on_batch(h, train ? 1 : 0);
    if (n < 0) throw this.#fastError();
    return Array.from(new Float64Array(ex.mem.buffer, ex.kw_scores(), n));
  }

  /** tensorIn is how a tensor crosses: a byte view of its data (Go copies it once) and its shape. */
  tensorIn(t) {
    if (t === null || t === undefined) return null;
    return { bytes: new Uint8Array(t.data.buffer, t.data.byteOffset, t.data.byteLength), shape: t.shape };
  }

  /** tensorOut wraps what Go returns ({data: Float32Array, shape}) as a keras tensor. */
  tensorOut(o) { return new Tensor(o.data, Array.from(o.shape)); }

  /** extrasIn converts the tensors among a call's extras. */
  extrasIn(extras) {
    const out = {};
    for (const [k, v] of Object.entries(extras)) out[k] = v instanceof Tensor ? this.tensorIn(v) : v;
    return out;
  }
}
