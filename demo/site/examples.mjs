// The study note's snippets as runnable examples. Each lives in examples/N-name.mjs as a module
// whose default export runs it; the page shows that function's source (fetched as text, so what
// you read is what runs) and, after Run, everything it printed. The code is editable: an edited
// example runs as a module made from the edited text (a Blob URL; the page's CSP allows blob:
// scripts and no eval), given the page's keras namespace as the original is; Reset restores the
// original text. A syntax error (the module does not load) or a runtime error is shown in the
// example's output box, and the page carries on.

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
    const original = functionBody(src);
    const editor = el('textarea', 'code-edit');
    editor.value = original;
    editor.spellcheck = false;
    editor.wrap = 'off';
    editor.rows = Math.min(24, original.split('\n').length + 1);
    editor.setAttribute('aria-label', `the code of example ${i + 1} (editable)`);
    editor.dataset.testid = `example-code-${i + 1}`;
    const reset = el('button', 'secondary', 'Reset');
    reset.type = 'button';
    reset.disabled = true;
    reset.dataset.testid = `example-reset-${i + 1}`;
    const edited = () => editor.value !== original;
    editor.addEventListener('input', () => { reset.disabled = !edited(); box.dataset.edited = String(edited()); });
    reset.addEventListener('click', () => { editor.value = original; reset.disabled = true; box.dataset.edited = 'false'; });
    buttons.insertBefore(reset, status);
    const code = el('div', 'code');
    code.append(editor);
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
      // The original runs as the module it is; an edit runs as a module made from the text.
      const fn = edited() ? editedFunction(editor.value) : mod.default;
      queue = queue.then(() => runOne(fn, getKeras, out, status, box)).finally(() => { run.disabled = false; });
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

/**
 * editedFunction returns a function that runs body (an example's edited code) as the body of an
 * async run(keras), in a module of its own made from a Blob URL: a syntax error rejects the import,
 * which runOne shows like any error. The module sees only keras and the page's globals.
 */
export function editedFunction(body) {
  const text = `export default async function run(keras) {\n${body}\n}\n`;
  return async keras => {
    const url = URL.createObjectURL(new Blob([text], { type: 'text/javascript' }));
    let mod;
    try {
      mod = await import(url);
    } catch (err) {
      throw new Error(`the edited code does not parse: ${err?.message ?? err}`);
    } finally {
      URL.revokeObjectURL(url);
    }
    return mod.default(keras);
  };
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
