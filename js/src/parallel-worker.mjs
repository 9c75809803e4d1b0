// The worker side of data-parallel training (loadKeras({worker: true,
// workers: N}), js/src/parallel.mjs): one request per step of the
// coordinator on a model of this worker, through the runtime's parallel
// doors (wasm/parallel_js.go). A step's gradient goes back in a buffer the
// run keeps.

import { modelRuntime } from './model.mjs';

const runs = new WeakMap(); // model → its gradient buffer (Float32Array)

const bytes = (a) => new Uint8Array(a.buffer, a.byteOffset, a.byteLength);

/** parallelStep runs msg.step ('begin', 'compute', 'apply', 'reset', 'end') on model. */
export function parallelStep(model, msg) {
  const [rt, h] = modelRuntime(model);
  switch (msg.step) {
    case 'begin': {
      const size = rt.call('parallelBegin', h, rt.tensorIn(msg.x), rt.tensorIn(msg.y), rt.tensorIn(msg.sw ?? null), msg.batchSize);
      runs.set(model, new Float32Array(size));
      return size;
    }
    case 'compute': {
      const grads = runs.get(model);
      if (!grads) throw new Error('fit: no data-parallel fit is running on this model (it ended, or never began)');
      const [loss, state] = rt.call('parallelCompute', h, bytes(msg.idx), msg.batch, msg.reset, bytes(grads));
      return { grads, loss, state };
    }
    case 'apply':
      return rt.call('parallelApply', h, bytes(msg.grads), msg.loss, msg.rows, msg.state);
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
