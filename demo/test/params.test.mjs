// The demo page's URL parameters (site/params.mjs): each bad value is reported with what was
// expected (and the nearest valid name for a typo), nothing bad is passed on to the form.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readParams, nearest } from '../site/params.mjs';
import { PRESETS } from '../site/train.mjs';

const page = { presets: Object.keys(PRESETS), optimizers: ['adam', 'rmsprop', 'sgd', 'adagrad', 'adadelta', 'adamax', 'nadam'] };
const read = (search) => readParams(search, page);

test('good parameters fill the form fields and the run', () => {
  const p = read('?run=mnist-mlp&epochs=1&samples=5000&batch_size=32&optimizer=sgd&lr=0.01&decay=&validation_split=0.1&seed=7&test_samples=500&worker=0');
  assert.deepEqual(p.errors, []);
  assert.equal(p.run, 'mnist-mlp');
  assert.deepEqual(p.fields, { epochs: '1', samples: '5000', 'batch-size': '32', optimizer: 'sgd', lr: '0.01', decay: '', 'validation-split': '0.1', seed: '7' });
  assert.equal(p.testSamples, 500);
  assert.equal(p.worker, false);
  assert.deepEqual(read('').errors, []);
  assert.equal(read('').worker, true);
});

test('bad parameters: each gets its message, none reaches the form', async (t) => {
  const cases = [
    ['run=__proto__', ['run="__proto__" is not valid; expected one of: keras-mnist-mlp-2, keras-mnist-mlp, mnist-mlp']],
    ['run=constructor', ['run="constructor" is not valid']],
    ['run=mnist-mpl', ['did you mean run=mnist-mlp?']],
    ['optimizer=adamm', ['optimizer="adamm" is not valid; did you mean optimizer=adam? Expected one of: adam, rmsprop']],
    ['optimizer=Adam', ['did you mean optimizer=adam?']],
    ['seed=12a', ['seed="12a" is not a number; expected a whole number from 0']],
    ['seed=1.5', ['seed="1.5" is out of range; expected a whole number']],
    ['test_samples=-1', ['test_samples="-1" is out of range; expected a whole number from 1 to 10000']],
    ['test_samples=', ['test_samples="" is not a number']],
    ['epochs=0x10', ['epochs="0x10" is not a number']],
    ['epochs=1e9', ['epochs="1e9" is out of range; expected a whole number from 1 to 100']],
    ['samples=Infinity', ['samples="Infinity" is not a number']],
    ['validation_split=NaN', ['validation_split="NaN" is not a number']],
    ['lr=0', ['lr="0" is out of range; expected a number from 0 (exclusive) to 10']],
    ['worker=yes', ['worker="yes" is not valid; expected 1']],
    ['epoch=3', ['unknown URL parameter "epoch": did you mean epochs?']],
    ['__proto__=1', ['unknown URL parameter "__proto__"']],
    ['epochs=1&epochs=2', ['epochs is given more than once']],
  ];
  for (const [search, parts] of cases) {
    await t.test(search, () => {
      const p = read(`?${search}`);
      assert.equal(p.errors.length, 1, JSON.stringify(p.errors));
      for (const part of parts) assert.ok(p.errors[0].includes(part), `${JSON.stringify(p.errors[0])} lacks ${JSON.stringify(part)}`);
      assert.equal(p.run, null);
      assert.equal(p.testSamples, undefined);
      assert.ok(!Object.keys(p.fields).some((id) => search.startsWith(id.replace('-', '_') + '=')), JSON.stringify(p.fields));
    });
  }
});

test('every problem is reported at once', () => {
  const p = read('?run=__proto__&optimizer=adamm&seed=12a&test_samples=-1&epochs=2');
  assert.equal(p.errors.length, 4);
  assert.deepEqual(p.fields, { epochs: '2' });
});

test('nearest offers only close names', () => {
  assert.equal(nearest('adamm', page.optimizers), 'adam');
  assert.equal(nearest('zzzzzzzz', page.optimizers), null);
});
