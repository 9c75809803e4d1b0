// The study note's snippets as runnable examples. Each lives in examples/N-name.mjs as a module
// whose default export runs it; the page shows that function's source (fetched as text, so what
// you read is what runs) and, after Run, everything it printed. The page's CSP forbids eval, which
// is why examples are modules rather than editable text.

import { el } from './views.mjs';

export const EXAMPLES = ['1-list', '2-add', '3-compile', '4-fit', '5-cnn'];

let queue = Promise.resolve();

/**
 * renderExamples lists the examples in container; getKeras() resolves to the main-thread keras
 * namespace (loaded on the first Run).
 */
export async function renderExamples(container, getKeras) {
  for (const [i, name] of EXAMPLES.entries()) {
    const url = `/examples/${name}.mjs`;
    const [mod, src] = await Promise.all([import(url), fetch(url).then(r => r.text())]);
    const box = el('article', 'example');
    box.dataset.testid = `example-${i + 1}`;
    const run = el('button', '', 'Run');
    run.type = 'button';
    run.dataset.testid = `example-run-${i + 1}`;
    const status = el('span', 'status');
    const out = el('pre', '', '');
    out.dataset.testid = `example-output-${i + 1}`;
    const buttons = el('div', 'buttons');
    buttons.append(run, status);
    const code = el('div', 'code');
    code.append(el('pre', '', functionBody(src)));
    const right = el('div', 'out');
    right.append(buttons, out);
    box.append(el('h3', '', `${i + 1}. ${mod.title}`), quoteOf(mod, i + 1));
    if (mod.note) box.append(el('p', 'note', mod.note));
    box.append(code, right);
    container.append(box);
    run.addEventListener('click', () => {
      run.disabled = true;
      out.textContent = '';
      out.classList.remove('error');
      box.dataset.status = 'queued';
      status.textContent = 'waiting…';
      // One example at a time: they share the console capture below.
      queue = queue.then(() => runOne(mod.default, getKeras, out, status, box)).finally(() => { run.disabled = false; });
    });
  }
}

// quoteOf shows the note's words (Chinese) with their English translation beside them.
function quoteOf(mod, k) {
  const q = el('div', 'quote');
  const zh = el('blockquote', 'zh', mod.quote);
  zh.lang = 'zh-Hans';
  zh.dataset.testid = `example-quote-${k}`;
  const en = el('blockquote', 'en', mod.translation);
  en.lang = 'en';
  en.dataset.testid = `example-translation-${k}`;
  q.append(zh, en);
  return q;
}

// runOne runs an example with console.log/info/warn/error copied into its output box.
async function runOne(fn, getKeras, out, status, box) {
  box.dataset.status = 'running';
  status.textContent = 'running…';
  const t0 = performance.now();
  const saved = {};
  const write = (...args) => { out.textContent += args.map(show).join(' ') + '\n'; };
  try {
    const keras = await getKeras();
    for (const k of ['log', 'info', 'warn']) {
      saved[k] = console[k];
      console[k] = (...args) => { write(...args); saved[k].apply(console, args); };
    }
    await fn(keras);
    box.dataset.status = 'ok';
    status.textContent = `done in ${((performance.now() - t0) / 1000).toFixed(1)} s`;
  } catch (err) {
    // The example's error is shown in its box; it is the example's output, not a page failure.
    out.textContent += `Error: ${err?.message ?? err}\n`;
    out.classList.add('error');
    box.dataset.status = 'error';
    status.textContent = 'failed';
  } finally {
    Object.assign(console, saved);
  }
}

// show formats a printed value like Node's console would, compactly.
function show(v) {
  if (typeof v === 'string') return v;
  if (typeof v === 'number') return String(+v.toPrecision(6));
  if (Array.isArray(v)) return `[${v.map(show).join(', ')}]`;
  if (ArrayBuffer.isView(v)) return `${v.constructor.name}(${v.length}) [${Array.from(v.slice(0, 8), show).join(', ')}${v.length > 8 ? ', …' : ''}]`;
  if (v && typeof v === 'object' && 'shape' in v && 'data' in v) return `tensor(shape=[${v.shape}], data=${show(v.data)})`;
  try { return JSON.stringify(v); } catch { return String(v); }
}

// functionBody returns the body of the module's default function, dedented, as the code to show.
function functionBody(src) {
  const lines = src.split('\n');
  const start = lines.findIndex(l => l.startsWith('export default'));
  let end = lines.length - 1;
  while (end > start && lines[end].trim() !== '}') end--;
  if (start < 0 || end <= start) return src;
  return lines.slice(start + 1, end).map(l => l.replace(/^ {2}/, '')).join('\n');
}
