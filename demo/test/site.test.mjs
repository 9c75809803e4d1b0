// Unit tests of the page's pure modules under Node (no browser): the Keras-style definition
// reader, the confusion matrix, the training settings and presets, and the examples' translations.
// (The charts are the package's keras.vis, tested in js/test/vis.test.mjs.)

import { test } from 'node:test';
import assert from 'node:assert/strict';
import { formatModelDef, parseModelDef } from '../site/keras-def.mjs';
import { readFile } from 'node:fs/promises';
import { EXAMPLES } from '../site/examples.mjs';
import { frameThrottle } from '../site/frames.mjs';
import { argmaxRows, confusionMatrix } from '../site/views.mjs';
import { PRESETS, buildLayers, inputShapeOf, optimizerOf } from '../site/train.mjs';

test('parseModelDef reads Keras-style layer lines', async t => {
  const cases = [
    {
      name: 'plain calls with tuples and keywords',
      text: "Dense(256, activation='relu', input_shape=(784,))\nDropout(0.2)\nDense(10, activation=\"softmax\")",
      want: [
        { name: 'Dense', args: [256], kwargs: { activation: 'relu', input_shape: [784] } },
        { name: 'Dropout', args: [0.2], kwargs: {} },
        { name: 'Dense', args: [10], kwargs: { activation: 'softmax' } },
      ],
    },
    {
      name: 'model.add and comments, the note\'s style',
      text: "model = Sequential()\n# input: 28x28 images\nmodel.add(Conv2D(32, (3, 3), activation='relu', input_shape=(28, 28, 1)))  # 32 filters\nmodel.add(MaxPooling2D(pool_size=(2, 2)))\nmodel.add(Flatten())",
      want: [
        { name: 'Conv2D', args: [32, [3, 3]], kwargs: { activation: 'relu', input_shape: [28, 28, 1] } },
        { name: 'MaxPooling2D', args: [], kwargs: { pool_size: [2, 2] } },
        { name: 'Flatten', args: [], kwargs: {} },
      ],
    },
    {
      name: 'Sequential list, literals, dicts and a regularizer call',
      text: "Sequential([Dense(8, use_bias=False, kernel_regularizer=l2(0.01), bias_initializer={'class_name': 'Constant', 'config': {'value': 0.5}}), keras.layers.Activation('relu'),])",
      want: [
        { name: 'Dense', args: [8], kwargs: { use_bias: false, kernel_regularizer: { class_name: 'L2', config: { l2: 0.01 } }, bias_initializer: { class_name: 'Constant', config: { value: 0.5 } } } },
        { name: 'Activation', args: ['relu'], kwargs: {} },
      ],
    },
    {
      name: 'numbers in every form; (3) is a number, (3,) a tuple',
      text: 'X(1e-3, -2, .5, (3), (3,), [1, 2], None, True)',
      want: [{ name: 'X', args: [0.001, -2, 0.5, 3, [3], [1, 2], null, true], kwargs: {} }],
    },
  ];
  for (const c of cases) {
    await t.test(c.name, () => {
      const got = parseModelDef(c.text).map(({ name, args, kwargs }) => ({ name, args, kwargs }));
      assert.deepEqual(got, c.want);
    });
  }
});

test('parseModelDef names the line and what was expected on bad input', async t => {
  const cases = [
    { name: 'empty', text: '  # nothing\n', want: /empty/ },
    { name: 'missing paren', text: "Dense(10\nDropout(0.2)", want: /line 2: expected ',' between the arguments of Dense/ },
    { name: 'bare name', text: 'Dense(10, activation=relu)', want: /relu is not a value here; quote names/ },
    { name: 'unterminated string', text: "Dense(10, activation='relu)", want: /line 1: unterminated string/ },
    { name: 'stray character', text: 'Dense(10) $', want: /unexpected character "\$"/ },
    { name: 'duplicate keyword', text: 'Dense(units=1, units=2)', want: /keyword argument units twice/ },
    { name: 'positional after keyword', text: 'Dense(units=1, 2)', want: /positional argument follows a keyword/ },
    { name: 'add with two layers', text: 'model.add(Dense(1), Dense(2))', want: /model.add\(\) takes one layer/ },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.throws(() => parseModelDef(c.text), c.want));
  }
});

test('formatModelDef writes what parseModelDef reads', () => {
  for (const { definition: text } of Object.values(PRESETS)) {
    const layers = parseModelDef(text);
    assert.deepEqual(parseModelDef(formatModelDef(layers)), layers.map(l => ({ ...l })));
    assert.equal(formatModelDef(layers), text);
  }
});

test('inputShapeOf accepts one MNIST image and explains anything else', async t => {
  const cases = [
    { name: 'flat', text: 'Dense(10, input_shape=(784,))', want: [784] },
    { name: 'image', text: 'Conv2D(8, 3, input_shape=(28, 28, 1))', want: [28, 28, 1] },
    { name: 'input_dim', text: 'Dense(10, input_dim=784)', want: [784] },
    { name: 'camelCase', text: 'Dense(10, inputShape=[28, 28])', want: [28, 28] },
    { name: 'batch_input_shape', text: 'Dense(10, batch_input_shape=(None, 784))', want: [784] },
  ];
  for (const c of cases) {
    await t.test(c.name, () => assert.deepEqual(inputShapeOf(parseModelDef(c.text)), c.want));
  }
  await t.test('wrong size', () => assert.throws(() => inputShapeOf(parseModelDef('Dense(10, input_shape=(100,))')), /input_shape=\(784,\).*got \(100\)/));
  await t.test('none', () => assert.throws(() => inputShapeOf(parseModelDef('Dense(10)')), /got none/));
});

test('buildLayers calls keras.layers with positional arguments then options', async () => {
  const calls = [];
  const keras = { layers: { Dense: (...a) => { calls.push(['Dense', ...a]); return 'd'; }, Flatten: (...a) => { calls.push(['Flatten', ...a]); return 'f'; } } };
  const layers = await buildLayers(keras, parseModelDef("Flatten()\nDense(10, activation='softmax')"));
  assert.deepEqual(layers, ['f', 'd']);
  assert.deepEqual(calls, [['Flatten'], ['Dense', 10, { activation: 'softmax' }]]);
  await assert.rejects(buildLayers(keras, parseModelDef('Dens(10)')), /line 1: unknown layer Dens; the layers are Dense, Flatten/);
});

test('optimizerOf gives a name, or a Keras config dict with a learning rate and decay', () => {
  assert.equal(optimizerOf('adam', '', ''), 'adam');
  assert.deepEqual(optimizerOf('rmsprop', '0.01'), { class_name: 'RMSprop', config: { learning_rate: 0.01 } });
  assert.deepEqual(optimizerOf('adam', '0.003', '0.02'), { class_name: 'Adam', config: { learning_rate: 0.003, decay: 0.02 } });
  assert.deepEqual(optimizerOf('sgd', ' ', '1e-6'), { class_name: 'SGD', config: { decay: 1e-6 } });
  assert.throws(() => optimizerOf('sgd', '-1'), /positive number; got "-1"/);
  assert.throws(() => optimizerOf('sgd', '0'), /positive number; got "0"/);
  assert.throws(() => optimizerOf('sgd', '', 'x'), /Decay must be a number ≥ 0; got "x"/);
});

test('frameThrottle draws once per frame at most every ms, however often it is asked', () => {
  let now = 0, draws = 0;
  const frames = [];
  const raf = f => frames.push(f);
  const frame = () => { now += 16; frames.splice(0).forEach(f => f(now)); };
  const request = frameThrottle(() => { draws++; }, 100, raf);
  for (let i = 0; i < 10; i++) request();
  frame();
  assert.equal(draws, 1, 'ten requests before a frame: one draw');
  request();
  for (let i = 0; i < 5; i++) frame(); // 80 ms later
  assert.equal(draws, 1, 'no second draw within 100 ms');
  frame(); frame();
  assert.equal(draws, 2, 'the pending request is drawn once 100 ms have passed');
  for (let i = 0; i < 20; i++) frame();
  assert.equal(draws, 2, 'no request, no draw');
});

test('confusionMatrix counts true rows against predicted columns', () => {
  const probs = Float32Array.from([0.9, 0.1, 0, 0.2, 0.7, 0.1, 0.1, 0.1, 0.8, 0.6, 0.3, 0.1]);
  const pred = argmaxRows(probs, 3);
  assert.deepEqual(Array.from(pred), [0, 1, 2, 0]);
  assert.deepEqual(confusionMatrix([0, 1, 2, 1], pred, 3), [[1, 0, 0], [1, 1, 0], [0, 0, 1]]);
});

test("the keras-mnist-mlp presets are Keras's examples/mnist_mlp.py exactly", async t => {
  // Keras: model.add(Dense(512, activation='relu', input_shape=(784,))); Dropout(0.2);
  // Dense(512, activation='relu'); Dropout(0.2); Dense(10, activation='softmax');
  // compile(loss='categorical_crossentropy', optimizer=RMSprop(), ...); fit(batch_size=128, epochs=20).
  const keras = [
    { name: 'Dense', args: [512], kwargs: { activation: 'relu', input_shape: [784] } },
    { name: 'Dropout', args: [0.2], kwargs: {} },
    { name: 'Dense', args: [512], kwargs: { activation: 'relu' } },
    { name: 'Dropout', args: [0.2], kwargs: {} },
    { name: 'Dense', args: [10], kwargs: { activation: 'softmax' } },
  ];
  for (const [name, epochs] of [['keras-mnist-mlp', 20], ['keras-mnist-mlp-2', 2]]) {
    await t.test(name, () => {
      const p = PRESETS[name];
      assert.deepEqual(parseModelDef(p.definition).map(({ name, args, kwargs }) => ({ name, args, kwargs })), keras);
      // RMSprop with Keras's defaults: no learning rate or decay of the page's own.
      assert.equal(optimizerOf(p.optimizer, p.lr, p.decay), 'rmsprop');
      assert.equal(p.batchSize, 128);
      assert.equal(p.epochs, epochs);
      assert.equal(p.samples, 60000, 'all 60,000 training images');
      assert.equal(p.validationSplit, 0, 'Keras validates on the test set, not on a split of the training set');
    });
  }
  const html = await readFile(new URL('../site/index.html', import.meta.url), 'utf8');
  for (const name of Object.keys(PRESETS)) assert.match(html, new RegExp(`<option value="${name}">`), `index.html offers ${name}`);
});

const CJK = /[\u3000-\u303f\u4e00-\u9fff\uff00-\uffef]/;

test('each quotation of the note has an English translation beside it, and no other text is Chinese', async () => {
  for (const name of EXAMPLES) {
    const mod = await import(`../site/examples/${name}.mjs`);
    assert.match(mod.quote ?? '', CJK, `${name}: quote is the note's own (Chinese) words`);
    assert.ok((mod.translation ?? '').length >= mod.quote.length / 2, `${name}: a translation of the quote`);
    for (const k of ['translation', 'note', 'title']) assert.doesNotMatch(mod[k] ?? '', CJK, `${name}: ${k} is English`);
  }
  // index.html: every Chinese run is marked lang="zh-Hans" and followed by its English.
  const html = await readFile(new URL('../site/index.html', import.meta.url), 'utf8');
  for (const m of html.matchAll(/<i lang="zh-Hans">([^<]*)<\/i>,? <i[^>]*>([^<]*)<\/i>/g)) assert.doesNotMatch(m[2], CJK);
  const bare = html.replace(/<i lang="zh-Hans">[^<]*<\/i>/g, '');
  assert.doesNotMatch(bare, CJK, 'Chinese in index.html outside a marked quotation');
});

test('the one-epoch convnet preset trains on all 60,000 images for one epoch, Keras-style', () => {
  const p = PRESETS['mnist-convnet-1'];
  assert.equal(p.epochs, 1);
  assert.equal(p.samples, 60000);
  assert.equal(p.validationSplit, 0, 'every training image is trained on');
  const names = parseModelDef(p.definition).map(l => l.name);
  assert.deepEqual(names, ['Conv2D', 'MaxPooling2D', 'Conv2D', 'MaxPooling2D', 'Flatten', 'Dense', 'Dense']);
  assert.deepEqual(inputShapeOf(parseModelDef(p.definition)), [28, 28, 1]);
  assert.deepEqual(optimizerOf(p.optimizer, p.lr, p.decay), { class_name: 'Adam', config: { learning_rate: 0.002, decay: 0.001 } });
});
