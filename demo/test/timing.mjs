// Times the demo's training in headless Chromium (a tool, not part of make test).
//
//   node demo/test/timing.mjs [URL | QUERY] [--raw] [--def TEXT] [--trace FILE] [--repeat N]
//
// URL is a full demo URL (http://127.0.0.1:8080/?run=mnist-mlp&epochs=1); a QUERY alone
// (run=mnist-mlp&epochs=1&samples=60000) starts the demo server (build/demo-server if it exists,
// else `go run ./demo`) on a free loopback port. The default query is
// run=mnist-mlp&epochs=1&samples=60000&validation_split=0.
//
// Both modes print the CPU seconds the browser's threads spent in fit (between the performance
// marks fit-begin and fit-end): a measure of the page's overhead that the machine's load moves
// much less than the wall time.
//
// Page mode (the default) loads the URL, which trains through the page's own UI, and prints the
// time to the first trained epoch (from the page's console lines), each epoch's time, the test
// accuracy, the animation frames per second while training, and the total.
//
// --raw instead loads the page without run=, then in page.evaluate builds the same model (the
// preset and the URL's settings, or --def) with loadKeras (worker=0 in the query: the main
// thread; else a Web Worker) and calls model.fit with only an epoch-end callback: the bare speed
// the page's own run is compared with; --batch-hook adds a no-op onBatchEnd (the cost of the
// per-batch messages alone), and yield_every=MS|batch|never in the query is passed to that fit.
// --repeat N runs it N times, each in a fresh browser context. --trace FILE records a Chrome trace of the run (open it in
// chrome://tracing or Perfetto) and prints the busiest threads and the heaviest events on each.
//
// Environment: CHROMIUM (default /usr/bin/chromium).

import { spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { chromium } from 'playwright-core';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const CHROMIUM = process.env.CHROMIUM || '/usr/bin/chromium';
const ARGS = ['--headless', '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
  '--disable-background-networking', '--disable-component-update', '--disable-sync'];
const DEFAULT_QUERY = 'run=mnist-mlp&epochs=1&samples=60000&validation_split=0';

function parseArgs(argv) {
  const o = { target: DEFAULT_QUERY, raw: false, batchHook: false, def: null, trace: null, repeat: 1 };
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--raw') o.raw = true;
    else if (a === '--batch-hook') o.batchHook = true;
    else if (a === '--def') o.def = argv[++i];
    else if (a === '--trace') o.trace = argv[++i];
    else if (a === '--repeat') o.repeat = Number(argv[++i]);
    else if (a.startsWith('--')) throw new Error(`unknown option ${a}; expected --raw, --batch-hook, --def TEXT, --trace FILE, --repeat N`);
    else o.target = a;
  }
  return o;
}

// startServer runs the demo server on a free loopback port; it resolves to {origin, stop}.
function startServer() {
  const bin = resolve(ROOT, 'build/demo-server');
  const [cmd, args] = existsSync(bin) ? [bin, ['-addr', '127.0.0.1:0', '-root', ROOT]] : ['go', ['run', './demo', '-addr', '127.0.0.1:0']];
  const child = spawn(cmd, args, { cwd: ROOT, stdio: ['ignore', 'pipe', 'pipe'], detached: true });
  const stop = () => { try { process.kill(-child.pid, 'SIGTERM'); } catch { /* gone */ } };
  return new Promise((ok, fail) => {
    let out = '';
    const read = chunk => {
      out += chunk;
      const m = /serving (http:\/\/[^\s/]+)\//.exec(out);
      if (m) ok({ origin: m[1], stop });
    };
    child.stdout.on('data', read);
    child.stderr.on('data', read);
    child.on('exit', code => fail(new Error(`the demo server exited (${code}):\n${out}`)));
  });
}

// cpuSnapshot reads the CPU seconds (user + system) of every thread of this tool's child
// processes (the browser and its renderer, GPU and utility processes) from /proc, keyed by a
// group: the Web Worker's thread, the renderer's main thread, other renderer threads, and each
// other process type. Wall times swing with the machine's load; CPU seconds much less.
function cpuSnapshot() {
  const procs = new Map();
  for (const d of readdirSync('/proc')) {
    if (!/^\d+$/.test(d)) continue;
    try {
      const stat = readFileSync(`/proc/${d}/stat`, 'utf8');
      procs.set(Number(d), Number(stat.slice(stat.lastIndexOf(')') + 2).split(' ')[1]));
    } catch { /* gone */ }
  }
  const mine = pid => { for (let p = pid; p > 1; p = procs.get(p)) if (p === process.pid) return true; return false; };
  const hz = 100; // USER_HZ on Linux
  const out = {};
  for (const pid of procs.keys()) {
    if (pid === process.pid || !mine(pid)) continue;
    let cmd = '';
    try { cmd = readFileSync(`/proc/${pid}/cmdline`, 'utf8'); } catch { continue; }
    if (!/chrom/.test(cmd)) continue;
    const type = /--type=([\w-]+)/.exec(cmd)?.[1] ?? 'browser';
    let tasks = [];
    try { tasks = readdirSync(`/proc/${pid}/task`); } catch { continue; }
    for (const tid of tasks) {
      try {
        const stat = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
        const comm = stat.slice(stat.indexOf('(') + 1, stat.lastIndexOf(')'));
        const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
        const secs = (Number(f[11]) + Number(f[12])) / hz;
        let group = type;
        if (type === 'renderer') group = /DedicatedWorker/.test(comm) ? 'worker thread' : Number(tid) === pid ? 'renderer main' : 'renderer other';
        out[group] = (out[group] ?? 0) + secs;
      } catch { /* gone */ }
    }
  }
  return out;
}

// cpuDiff subtracts two snapshots; threads that ended in between are not counted.
function cpuDiff(a, b) {
  const out = {};
  for (const [k, v] of Object.entries(b)) out[k] = v - (a[k] ?? 0);
  return out;
}

function showCPU(d, wall) {
  const total = Object.values(d).reduce((x, y) => x + y, 0);
  const parts = Object.entries(d).sort((x, y) => y[1] - x[1]).filter(([, v]) => v >= 0.05).map(([k, v]) => `${k} ${v.toFixed(1)}`);
  return `CPU during fit ${total.toFixed(1)} s in ${wall.toFixed(1)} s (${parts.join(', ')})`;
}

// Counts animation frames and times the page's states from the first script on.
function frameProbe() {
  window.__frames = [];
  window.__states = [];
  const tick = () => { window.__frames.push(performance.now()); requestAnimationFrame(tick); };
  requestAnimationFrame(tick);
  new MutationObserver(() => {
    const s = document.body?.dataset.state;
    if (s && window.__states.at(-1)?.state !== s) {
      window.__states.push({ state: s, t: performance.now() });
    }
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ['data-state'] });
  // The page marks fit-begin and fit-end (train.mjs); the tool reads the CPU times there.
  new PerformanceObserver(list => {
    for (const e of list.getEntries()) if (e.name === 'fit-begin' || e.name === 'fit-end') window.__cpuMark?.(e.name);
  }).observe({ type: 'mark' });
}

// pageRun trains through the page's UI and reads the times from its console and state changes.
async function pageRun(page, url) {
  const infos = [];
  const onConsole = m => { if (m.type() === 'info' || m.type() === 'error') infos.push(m.text()); };
  page.on('console', onConsole);
  await page.goto(url);
  await page.waitForFunction(() => ['done', 'error', 'stopped'].includes(document.body.dataset.state), null, { timeout: 60 * 60_000, polling: 500 });
  page.off('console', onConsole);
  const r = await page.evaluate(() => ({
    state: document.body.dataset.state,
    accuracy: document.querySelector('[data-testid="test-accuracy"]').textContent,
    status: document.getElementById('train-status').textContent,
    frames: window.__frames, states: window.__states,
    marks: Object.fromEntries(performance.getEntriesByType('mark').map(m => [m.name, m.startTime])),
  }));
  const at = s => r.states.find(x => x.state === s)?.t;
  const from = at('training'), to = at('evaluating');
  const epochs = infos.map(l => /epoch (\d+)\/\d+: ([\d.]+) s since fit began/.exec(l)).filter(Boolean).map(m => Number(m[2]));
  const n = r.frames.filter(f => f >= from && f <= to).length;
  return {
    state: r.state, status: r.status, accuracy: Number(r.accuracy),
    fitEpochs: epochs, // seconds since fit began at each epoch end
    trainSeconds: (to - from) / 1000, // from Train to the test evaluation (data, model, fit)
    totalSeconds: (at('done') - from) / 1000,
    fps: n / ((to - from) / 1000),
    fitSeconds: (r.marks['fit-end'] - r.marks['fit-begin']) / 1000,
    setupSeconds: (r.marks['fit-begin'] - from) / 1000, // data loading, the model, the tensors to the worker
    errors: infos.filter(l => !/^epoch /.test(l)),
  };
}

// rawRun builds the same model in page.evaluate and times a bare model.fit.
async function rawRun(page, origin, query, def, batchHook) {
  await page.goto(`${origin}/`);
  await page.waitForFunction(() => ['ready', 'error'].includes(document.body.dataset.state), null, { timeout: 5 * 60_000 });
  return page.evaluate(async ({ query, def, batchHook }) => {
    const q = new URLSearchParams(query);
    const { PRESETS, buildLayers, inputShapeOf, optimizerOf } = await import('/train.mjs');
    const { parseModelDef } = await import('/keras-def.mjs');
    const { loadSplit } = await import('/data.mjs');
    const { loadKeras } = await import('/keraswasm/keras.mjs');
    const p = PRESETS[q.get('run') ?? 'mnist-mlp'];
    const get = (k, d) => (q.has(k) ? q.get(k) : d);
    const s = {
      definition: def ?? p.definition, optimizer: get('optimizer', p.optimizer), lr: get('lr', p.lr), decay: get('decay', p.decay),
      epochs: Number(get('epochs', 1)), batchSize: Number(get('batch_size', p.batchSize)), samples: Number(get('samples', 60000)),
      validationSplit: Number(get('validation_split', 0)), seed: q.has('seed') ? Number(q.get('seed')) : null,
    };
    const keras = await loadKeras(q.get('worker') === '0' ? {} : { worker: true });
    const specs = parseModelDef(s.definition);
    const shape = inputShapeOf(specs);
    const [tr, te] = await Promise.all([loadSplit('train', s.samples), loadSplit('test')]);
    if (s.seed !== null) await keras.utils.set_random_seed(s.seed);
    const model = await keras.Sequential(await buildLayers(keras, specs));
    await model.compile({ optimizer: optimizerOf(s.optimizer, s.lr, s.decay), loss: 'categorical_crossentropy', metrics: ['accuracy'] });
    const x = await keras.tensor(tr.x, [tr.n, ...shape]);
    const y = await keras.tensor(tr.y, [tr.n, tr.classes]);
    const t0 = performance.now();
    performance.mark('fit-begin');
    const fitEpochs = [];
    await model.fit(x, y, {
      epochs: s.epochs, batch_size: s.batchSize, validation_split: s.validationSplit, verbose: 0,
      ...(q.has('yield_every') ? { yield_every: Number(q.get('yield_every')) || q.get('yield_every') } : {}),
      callbacks: [{
        onEpochEnd: () => { fitEpochs.push((performance.now() - t0) / 1000); },
        ...(batchHook ? { onBatchEnd: () => {} } : {}),
      }],
    });
    const fitSeconds = (performance.now() - t0) / 1000;
    performance.mark('fit-end');
    const xt = await keras.tensor(te.x, [te.n, ...shape]);
    const yt = await keras.tensor(te.y, [te.n, te.classes]);
    const [, accuracy] = await model.evaluate(xt, yt, { batch_size: 256, verbose: 0 });
    keras.terminate?.();
    return { state: 'done', accuracy, fitEpochs, fitSeconds, settings: s };
  }, { query, def, batchHook });
}

// summarizeTrace prints, per thread, the busy time of top-level tasks and the heaviest events.
function summarizeTrace(file) {
  const raw = JSON.parse(readFileSync(file, 'utf8'));
  const events = Array.isArray(raw) ? raw : raw.traceEvents;
  const names = new Map();
  for (const e of events) if (e.ph === 'M' && e.name === 'thread_name') names.set(`${e.pid}:${e.tid}`, e.args.name);
  const threads = new Map();
  for (const e of events) {
    if (e.ph !== 'X' || !e.dur) continue;
    const key = `${e.pid}:${e.tid}`;
    const t = threads.get(key) ?? { tasks: 0, count: 0, byName: new Map() };
    if (e.name === 'ThreadControllerImpl::RunTask') { t.tasks += e.dur; t.count++; }
    const b = t.byName.get(e.name) ?? { dur: 0, n: 0 };
    b.dur += e.dur; b.n++;
    t.byName.set(e.name, b);
    threads.set(key, t);
  }
  const rows = [...threads].sort((a, b) => b[1].tasks - a[1].tasks).slice(0, 6);
  for (const [key, t] of rows) {
    console.log(`  thread ${names.get(key) ?? key}: ${(t.tasks / 1e6).toFixed(2)} s in ${t.count} tasks`);
    const top = [...t.byName].sort((a, b) => b[1].dur - a[1].dur).slice(0, 10);
    for (const [n, b] of top) console.log(`      ${(b.dur / 1e6).toFixed(2)} s  ${b.n}×  ${n}`);
  }
}

async function main() {
  const o = parseArgs(process.argv.slice(2));
  let origin, query, stop = () => {};
  if (/^https?:\/\//.test(o.target)) {
    const u = new URL(o.target);
    origin = u.origin;
    query = u.search.replace(/^\?/, '');
  } else {
    query = o.target.replace(/^\/?\?/, '');
    ({ origin, stop } = await startServer());
  }
  const browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: ARGS });
  try {
    for (let i = 0; i < o.repeat; i++) {
      const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
      await context.addInitScript(frameProbe);
      const marks = {};
      await context.exposeFunction('__cpuMark', name => { marks[name] = cpuSnapshot(); });
      const page = await context.newPage();
      if (o.trace) {
        await browser.startTracing(page, {
          path: o.trace, screenshots: false,
          categories: ['devtools.timeline', 'disabled-by-default-devtools.timeline', 'toplevel', 'v8.execute', 'blink.user_timing'],
        });
      }
      const t0 = Date.now();
      const r = o.raw ? await rawRun(page, origin, query, o.def, o.batchHook) : await pageRun(page, `${origin}/?${query}`);
      if (o.trace) await browser.stopTracing();
      const first = r.fitEpochs[0];
      const per = r.fitEpochs.map((t, k) => t - (k ? r.fitEpochs[k - 1] : 0));
      console.log(`${o.raw ? `raw fit${o.batchHook ? ' (no-op onBatchEnd)' : ''}` : 'page'} ?${query}${o.def ? ` def=${JSON.stringify(o.def)}` : ''}`);
      console.log(`  state ${r.state}${r.status ? ` (${r.status})` : ''}; wall ${((Date.now() - t0) / 1000).toFixed(1)} s`);
      console.log(`  first epoch ${first?.toFixed(1)} s after fit began; epochs ${per.map(x => x.toFixed(1)).join(', ')} s`);
      if (!o.raw) console.log(`  Train → fit begins ${r.setupSeconds.toFixed(1)} s (data, model); Train → first epoch ${(r.setupSeconds + first).toFixed(1)} s`);
      if (!o.raw) console.log(`  Train → evaluating ${r.trainSeconds.toFixed(1)} s, → done ${r.totalSeconds.toFixed(1)} s; ${r.fps.toFixed(1)} frames/s while training`);
      console.log(`  test accuracy ${r.accuracy}`);
      if (marks['fit-begin'] && marks['fit-end']) console.log(`  ${showCPU(cpuDiff(marks['fit-begin'], marks['fit-end']), r.fitSeconds)}`);
      for (const e of r.errors ?? []) console.log(`  console: ${e}`);
      if (o.trace) summarizeTrace(o.trace);
      await context.close();
    }
  } finally {
    await browser.close();
    stop();
  }
}

main().catch(err => { console.error(err); process.exit(1); });
