// The worker side of data-parallel training (loadKeras({worker: true,
// workers: N}), js/src/parallel.mjs): one request per step of the
// coordinator on a model of this worker, through the runtime's parallel
// doors (wasm/parallel_js.go). A step's gradient goes back in a buffer the
// run keeps.

import { modelRuntime } from './model.mjs';

// runs holds each model's run: its gradient buffer, and with shared memory
// (the page sends SharedArrayBuffers at begin) the page's sum too, so no
// gradient travels in a message.
const runs = new WeakMap(); // model → {grads: Float32Array, sum: Float32Array | null}

const bytes = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** parallelStep runs msg.step ('begin', 'compute', 'apply', 'reset', 'end') on model. */
export function parallelStep(model, msg) {
  const [rt, h] = modelRuntime(model);
  switch (msg.step) {
    case 'begin': {
      const size = rt.call('parallelBegin', h, rt.tensorIn(msg.x), rt.tensorIn(msg.y), rt.tensorIn(msg.sw ?? null), msg.batchSize, msg.replica);
      runs.set(model, { grads: new Float32Array(size), sum: null, shared: false });
      return size;
    }
    case 'share': { // the page's SharedArrayBuffers: this worker's gradient, and the sum
      const run = runs.get(model);
      Object.assign(run, { grads: new Float32Array(msg.grads), sum: new Float32Array(msg.sum), shared: true });
      return null;
    }
    case 'compute': {
      const run = runs.get(model);
      if (!run) throw new Error('fit: no data-parallel fit is running on this model (it ended, or never began)');
      const [loss, state] = rt.call('parallelCompute', h, bytes(msg.idx), msg.batch, msg.reset, bytes(run.grads));
      return { grads: run.shared ? null : run.grads, loss, state };
    }
    case 'apply':
      return rt.call('parallelApply', h, bytes(msg.grads ?? runs.get(model)?.sum ?? new Float32Array(0)), msg.loss, msg.rows, msg.state);
    case 'step': { // apply one batch, then compute this worker's slice of the next (one round trip a batch)
      const applied = parallelStep(model, { step: 'apply', ...msg.apply });
      return { applied, computed: msg.compute ? parallelStep(model, { step: 'compute', ...msg.compute }) : null };
    }
    case 'reset':
      rt.call('parallelResetState', h);
      return null;
    case 'end':
      runs.delete(model);
      rt.call('parallelEnd', h);
      return null;
    default:
      throw new Error(`worker: unknown parallel step ${msg.step}`);
  }
}
