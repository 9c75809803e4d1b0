// TypeScript users' view of the package, under tsc --strict (typescript pinned in js/package.json):
// - catalog.d.ts is what scripts/catalog-dts.mjs makes from the runtime's table of names today;
// - keras.d.ts declares exactly the names of each kind of the namespace (none missing, none extra);
// - every JS example of js/README.md and README.md type-checks against keras.d.ts and tf.d.ts,
//   imported by package name through a node_modules/keraswasm link, as after npm install.
import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { loadKeras } from '../keras.mjs';
import { catalogDTS, KINDS } from '../scripts/catalog-dts.mjs';

const PKG = fileURLToPath(new URL('..', import.meta.url));
const TSC = join(PKG, 'node_modules/.bin/tsc');
let keras, work;

before(async () => {
  keras = await loadKeras();
  work = mkdtempSync(join(tmpdir(), 'keraswasm-tsc-'));
  mkdirSync(join(work, 'node_modules'));
  symlinkSync(PKG, join(work, 'node_modules/keraswasm'), 'dir');
});
after(() => { if (work) rmSync(work, { recursive: true, force: true }); });

/** tsc runs tsc --strict --noEmit over the files (name → source) in a fresh project, with more compiler options; it returns its output. */
function tsc(files, options = {}) {
  assert.ok(existsSync(TSC), `${TSC} is missing: run \`npm ci\` in js/ (make does it)`);
  const dir = mkdtempSync(join(work, 'p-'));
  symlinkSync(join(work, 'node_modules'), join(dir, 'node_modules'), 'dir');
  for (const [name, src] of Object.entries(files)) writeFileSync(join(dir, name), src);
  writeFileSync(join(dir, 'tsconfig.json'), JSON.stringify({
    compilerOptions: {
      strict: true, noEmit: true, target: 'es2022', module: 'esnext', moduleResolution: 'bundler',
      lib: ['es2022', 'dom'], types: [], skipLibCheck: false, ...options,
    },
    files: Object.keys(files),
  }));
  const r = spawnSync(TSC, ['-p', dir, '--pretty', 'false'], { encoding: 'utf8' });
  return { status: r.status, out: `${r.stdout}${r.stderr}` };
}

/** snippets are the JS examples of a README: its ```js blocks and the module scripts of its ```html blocks. */
function snippets(file) {
  const md = readFileSync(join(PKG, file), 'utf8');
  const out = [];
  for (const m of md.matchAll(/```(js|javascript|ts|html)\n([\s\S]*?)```/g)) {
    if (m[1] !== 'html') { out.push(m[2]); continue; }
    for (const s of m[2].matchAll(/<script type="module">([\s\S]*?)<\/script>/g)) out.push(s[1]);
  }
  return out;
}

// The data an example uses without making it, declared as a user's program would have it.
const FREE = { x: 'number[][]', y: 'number[][]', xTest: 'number[][]', yTest: 'number[][]', xTrain: 'number[][]', yTrain: 'number[][]' };

/** asModule makes one example a TypeScript module: its free data variables declared, nothing else changed. */
function asModule(src) {
  const decls = Object.entries(FREE)
    .filter(([n]) => new RegExp(`\\b${n}\\b`).test(src) && !new RegExp(`\\b(const|let|var)\\s+(\\{[^}]*)?\\b${n}\\b`).test(src))
    .map(([n, t]) => `declare const ${n}: ${t};`);
  return `${decls.join('\n')}\n${src}\nexport {};\n`;
}

test('types: catalog.d.ts is what the runtime\'s table of names gives today', () => {
  const want = catalogDTS(keras);
  const have = readFileSync(join(PKG, 'catalog.d.ts'), 'utf8');
  assert.equal(have, want, 'catalog.d.ts is stale: run `node js/scripts/catalog-dts.mjs` (after make wasm) and commit it');
});

test('types: keras.d.ts declares every name of each kind of the namespace, and no other', () => {
  const lines = ["import type * as K from 'keraswasm';", ''];
  for (const [kind, iface] of Object.entries(KINDS)) {
    const names = Object.keys(keras[kind]);
    assert.ok(names.length > 0, `keras.${kind} is empty`);
    // The runtime's names, as literal types, against keyof the declared interface, both ways.
    const real = names.map((n) => `'${n}'`).join(' | ');
    lines.push(`type Real_${kind} = ${real};`);
    lines.push(`const declared_but_absent_${kind}: [Exclude<keyof K.${iface}, Real_${kind}>] extends [never] ? 'none' : Exclude<keyof K.${iface}, Real_${kind}> = 'none';`);
    lines.push(`const present_but_undeclared_${kind}: [Exclude<Real_${kind}, keyof K.${iface}>] extends [never] ? 'none' : Exclude<Real_${kind}, keyof K.${iface}> = 'none';`);
    lines.push(`const names_type_${kind}: [Exclude<K.${iface}Names, Real_${kind}> | Exclude<Real_${kind}, K.${iface}Names>] extends [never] ? 'none' : 'stale' = 'none';`);
  }
  // The namespace itself and keras.utils, the same way.
  for (const [what, obj, type] of [['top', keras, 'K.Keras'], ['utils', keras.utils, "K.Keras['utils']"]]) {
    lines.push(`type Real_${what} = ${Object.keys(obj).map((n) => `'${n}'`).join(' | ')};`);
    lines.push(`const declared_but_absent_${what}: [Exclude<keyof ${type}, Real_${what}>] extends [never] ? 'none' : Exclude<keyof ${type}, Real_${what}> = 'none';`);
    lines.push(`const present_but_undeclared_${what}: [Exclude<Real_${what}, keyof ${type}>] extends [never] ? 'none' : Exclude<Real_${what}, keyof ${type}> = 'none';`);
  }
  const tfNames = Object.keys(keras.tf.layers).map((n) => `'${n}'`).join(' | ');
  lines.push("import type * as TF from 'keraswasm/tf';");
  lines.push(`type Real_tf = ${tfNames};`);
  lines.push("const tf_layers_extra: [Exclude<keyof typeof TF.layers, Real_tf>] extends [never] ? 'none' : Exclude<keyof typeof TF.layers, Real_tf> = 'none';");
  lines.push("const tf_layers_missing: [Exclude<Real_tf, keyof typeof TF.layers>] extends [never] ? 'none' : Exclude<Real_tf, keyof typeof TF.layers> = 'none';");
  // What the issue found "possibly undefined" or untyped under --strict.
  lines.push(`
declare const keras: K.Keras;
declare const wk: K.WorkerKeras;
const layers = [keras.layers.ReLU(), keras.layers.LeakyReLU({ negative_slope: 0.2 }), keras.layers.Softmax(), keras.layers.LSTM(8),
  keras.layers.AveragePooling2D(2), keras.layers.BatchNormalization(), keras.Input([4]), keras.layers.Input([4])];
const model = keras.Sequential(layers);
const [loss, acc] = model.evaluate([[1]], [[1]]);
const alone: number = model.evaluate([[1]], [[1]]) + 1;
const dict: Record<string, number> = model.evaluate([[1]], [[1]], { return_dict: true });
const sum: number = loss + acc + alone + dict.loss;
keras.losses.mse([[1]], [[2]]).dataSync();
keras.activations.relu([1]).array();
const opt = keras.optimizers.Nadam({ learning_rate: 0.01 });
const cb = [keras.callbacks.EarlyStopping({ patience: 2 }), keras.callbacks.TerminateOnNaN()];
const padded: number[] = keras.utils.pad_sequences([[1, 2], [3]], { maxlen: 4, padding: 'post' }).dataSync() as unknown as number[];
keras.preprocessing.sequence.pad_sequences([[1]], 2, 'int32', 'pre', 'post', 0).shape;
keras.utils.normalize([[3, 4]], -1, Infinity).array();
const xs = keras.tensor([[1], [2], [3], [4]]);
const [[xl, yl], [xr]] = keras.utils.split_dataset([xs, xs], { left_size: 0.5 });
const [one, two] = keras.utils.split_dataset([[1], [2]], 0.5);
const splitShapes: number = xl.shape[0] + yl.shape[0] + xr.shape[0] + one.shape[0] + two.shape[0];
async function worker() {
  const m = wk.Sequential([wk.layers.Dense(1)]); const [l, a] = await m.evaluate([[1]], [[1]]);
  const t = await wk.utils.pad_sequences([[1]]);
  const [[wl]] = await wk.utils.split_dataset([xs], { left_size: 0.5 });
  return l + a + t.shape[0] + wl.shape[0];
}
async function mnist() {
  const [[x, y], [xt, yt]] = await keras.datasets.mnist.load_data({ url: '/data/mnist/idx/' });
  const [[wx]] = await wk.datasets.mnist.load_data('/data/mnist/idx/');
  return x.shape[0] + y.shape[0] + xt.shape[1] + yt.size + wx.rank;
}
export { sum, opt, cb, worker, padded, splitShapes, mnist };
`);
  const r = tsc({ 'names.ts': lines.join('\n') });
  assert.equal(r.status, 0, `tsc --strict found declarations that differ from the runtime:\n${r.out}`);
});

test('types: the check above fails on a name keras.d.ts declares but the runtime lacks', () => {
  // The same comparison with one name the runtime does not have: tsc must reject it and name it.
  const src = `import type * as K from 'keraswasm';
type Real = Exclude<K.LayersNames, 'ReLU'>;
const extra: [Exclude<keyof K.Layers, Real>] extends [never] ? 'none' : Exclude<keyof K.Layers, Real> = 'none';
export { extra };
`;
  const r = tsc({ 'neg.ts': src });
  assert.notEqual(r.status, 0, 'tsc accepted a declared name missing from the runtime');
  assert.match(r.out, /"ReLU"/);
});

test('types: the demo\'s examples (demo/site/examples/*.mjs) type-check against keras.d.ts under tsc --strict', async (t) => {
  // Plain JS checked by tsc (checkJs): the examples' run(keras) is typed by its JSDoc as the Keras
  // namespace, so every keras call in them is checked. Only noImplicitAny is off: the examples'
  // own untyped helpers ((y_true, y_pred) => …) are JS, not declarations of this package.
  const { readdir } = await import('node:fs/promises');
  const dir = join(PKG, '../demo/site/examples');
  const names = (await readdir(dir)).filter((f) => f.endsWith('.mjs'));
  assert.ok(names.length >= 5, `found ${names.length} examples`);
  const files = {};
  for (const f of names) {
    const src = readFileSync(join(dir, f), 'utf8');
    assert.match(src, /@param \{import\("keraswasm"\)\.Keras\} keras/, `${f}: run(keras) has no JSDoc type, so tsc would check nothing`);
    files[f] = src;
  }
  const r = tsc(files, { allowJs: true, checkJs: true, noImplicitAny: false });
  t.diagnostic(`${names.length} examples`);
  assert.equal(r.status, 0, `tsc --strict rejects a demo example:\n${r.out}`);
});

for (const file of ['README.md', '../README.md']) {
  test(`types: the JS examples of ${file === 'README.md' ? 'js/README.md' : 'README.md'} type-check under tsc --strict`, (t) => {
    const blocks = snippets(file);
    if (file === 'README.md') assert.ok(blocks.length >= 3, `js/README.md has ${blocks.length} JS examples; expected the Keras, TF.js and import-map ones`);
    t.diagnostic(`${blocks.length} examples`);
    if (blocks.length === 0) return;
    const files = Object.fromEntries(blocks.map((b, i) => [`example${i}.ts`, asModule(b)]));
    const r = tsc(files);
    assert.equal(r.status, 0, `tsc --strict rejects an example of ${file}:\n${r.out}\n${Object.entries(files).map(([n, s]) => `--- ${n}\n${s}`).join('\n')}`);
  });
}
