// The entry of the Web Worker that loadKeras({worker: true}) starts (a
// worker thread in Node). It runs the keras runtime and answers the page.
import { serve } from './src/worker-server.mjs';

if (typeof WorkerGlobalScope !== 'undefined' && globalThis instanceof WorkerGlobalScope) {
  const queue = [];
  let handler = null;
  globalThis.onmessage = (e) => (handler ? handler(e.data) : queue.push(e.data));
  serve({
    post: (m) => globalThis.postMessage(m),
    onMessage: (f) => { handler = f; queue.splice(0).forEach(f); },
  });
} else {
  const { parentPort } = await import('node:worker_threads');
  serve({ post: (m) => parentPort.postMessage(m), onMessage: (f) => parentPort.on('message', f) });
}
