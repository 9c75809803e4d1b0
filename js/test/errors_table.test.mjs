// A table of typos and bad calls, run on the main thread and in a worker:
// each error is instanceof Error, has the Keras class a Keras or TF.js user
// branches on (err.name), one prefix (the method the user called) and no Go
// package names, Go method chains or Go syntax; unknown names list the
// valid ones.
import { test, after } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

const local = await loadKeras();
const worker = await loadKeras({ worker: true });
after(() => worker.terminate());

// goSyntax is what a JS user must never read (wasm/errors_test.go has the same).
const goSyntax = /\b(nn|sequential|main): |\b(Compile|FromJSON|FromConfig|ToJSON|Build|Fit|Add|AddConfig|SetWeights|NewCallback): |interface \{\}|<nil>|\bmap\[|\[\]any|\*[a-z]+\.[A-Z]|CompileOptions|FitOptions|%!/;

// Every case is async so that it serves both modes: on the main thread the
// calls throw, in the worker they reject (a model that cannot be made
// rejects its next call, here count_params).
const model = async (keras, layers) => {
  const m = keras.Sequential(layers);
  await m.count_params();
  return m;
};
const dense = async (keras) => model(keras, [keras.layers.Dense(1, { input_dim: 2 })]);
const compiled = async (keras) => {
  const m = await dense(keras);
  await m.compile('adam', 'mse');
  return m;
};

// Each case: what to do, the class, the method prefix, what the message must
// contain (strings or regular expressions), and what it must not.
const cases = [
  {
    name: "loss: 'msee'", run: async (k) => (await dense(k)).compile('adam', 'msee'),
    cls: 'ValueError', prefix: 'compile', has: ['loss: ', '"msee"', 'did you mean "mse"?', 'mean_squared_error'], hasNot: ['MeanSquaredError'],
  },
  {
    name: "optimizer 'adamm'", run: async (k) => (await dense(k)).compile('adamm', 'mse'),
    cls: 'ValueError', prefix: 'compile', has: ['optimizer: ', '"adamm"', 'did you mean "adam"?', /\bRMSprop\b/],
  },
  {
    name: 'Dense({units: 0})', run: (k) => model(k, [k.layers.Dense({ units: 0, input_dim: 2 })]),
    cls: 'ValueError', prefix: 'add', has: ['Dense: invalid argument units', 'Received: units=0'],
  },
  {
    name: 'Dense(32, {lora_rank: 4})', run: (k) => model(k, [k.layers.Dense(32, { lora_rank: 4, input_dim: 2 })]),
    cls: 'NotImplementedError', prefix: 'add', has: ['Dense: invalid argument lora_rank', 'not implemented', 'Received: lora_rank=4'],
  },
  {
    name: 'an unknown Dense argument lists what Dense takes, not lora_rank',
    run: (k) => model(k, [k.layers.Dense(3, { unit: 4, input_dim: 2 })]),
    cls: 'ValueError', prefix: 'add', has: ['unknown argument "unit"', 'Dense takes: ', 'units'], hasNot: ['lora_rank', 'dora_rank'],
  },
  {
    name: 'Conv2D groups 2', run: (k) => model(k, [k.layers.Conv2D(4, 3, { groups: 2, input_shape: [8, 8, 2] })]),
    cls: 'NotImplementedError', prefix: 'add', has: ['Conv2D: invalid argument groups', 'Received: groups=2'],
  },
  {
    name: 'ignore_class of a loss', run: async (k) => (await dense(k)).compile('adam', { class_name: 'SparseCategoricalCrossentropy', config: { ignore_class: 1 } }),
    cls: 'NotImplementedError', prefix: 'compile', has: ['loss: SparseCategoricalCrossentropy: invalid argument ignore_class'],
  },
  {
    name: 'fit before compile', run: async (k) => (await dense(k)).fit([[1, 2]], [[1]], { verbose: 0 }),
    cls: 'ValueError', prefix: 'fit', has: ['compile your model', 'model.compile({optimizer, loss})'],
  },
  {
    name: 'train_on_batch before compile', run: async (k) => (await dense(k)).train_on_batch([[1, 2]], [[1]]),
    cls: 'ValueError', prefix: 'train_on_batch', has: ['compile your model'],
  },
  {
    name: 'wrong input shape in fit', run: async (k) => (await compiled(k)).fit([[1, 2, 3], [4, 5, 6]], [[1], [0]], { verbose: 0 }),
    cls: 'ValueError', prefix: 'fit', has: ['expected shape=(None, 2)', 'found shape=(2, 3)'],
  },
  {
    name: 'wrong input shape in predict', run: async (k) => (await dense(k)).predict([[1, 2, 3]]),
    cls: 'ValueError', prefix: 'predict', has: ['found shape=(1, 3)'],
  },
  {
    name: 'wrong input shape in predict_on_batch', run: async (k) => (await dense(k)).predict_on_batch([[1, 2, 3]]),
    cls: 'ValueError', prefix: 'predict_on_batch', has: ['found shape=(1, 3)'],
  },
  {
    name: 'unknown fit option', run: async (k) => (await compiled(k)).fit([[1, 2]], [[1]], { epoch: 2 }),
    cls: 'ValueError', prefix: 'fit', has: ['unknown argument "epoch"', 'epochs'],
  },
  {
    name: 'unknown evaluate option', run: async (k) => (await compiled(k)).evaluate([[1, 2]], [[1]], { bogus: 1 }),
    cls: 'ValueError', prefix: 'evaluate', has: ['unknown argument "bogus"', 'batch_size'],
  },
  {
    name: 'a string where a number belongs', run: async (k) => (await compiled(k)).fit([[1, 2]], [[1]], { epochs: 'ten' }),
    cls: 'ValueError', prefix: 'fit', has: ['invalid argument epochs', 'Received: epochs="ten"'],
  },
  {
    name: 'a string where data belongs', run: async (k) => (await compiled(k)).fit('abc', [[1]]),
    cls: 'TypeError', prefix: 'fit', has: ['x must be nested arrays of numbers', '"abc"'],
  },
  {
    name: 'a callback that throws a TypeError',
    run: async (k) => (await compiled(k)).fit([[1, 2]], [[1]], { verbose: 0, callbacks: [{ onEpochEnd() { throw new TypeError('nope'); } }] }),
    cls: 'TypeError', prefix: 'fit', has: ['nope'],
  },
  {
    name: 'model_from_json with layers that are not a list',
    run: async (k) => { await k.models.model_from_json(JSON.stringify({ class_name: 'Sequential', config: { layers: 3 } })).count_params(); },
    cls: 'ValueError', prefix: 'model_from_json', has: ['"layers" must be a list of layer configs', 'received the number 3'],
  },
  {
    name: 'to_categorical with a negative label', run: (k) => k.utils.to_categorical([0, -1, 2], 3),
    cls: 'ValueError', prefix: 'to_categorical', has: ['non-negative integers', '-1'],
  },
  {
    name: 'to_categorical with a label past num_classes', run: (k) => k.utils.to_categorical([0, 5], 3),
    cls: 'IndexError', prefix: 'to_categorical', has: ['label 5 is out of range for num_classes=3'],
  },
  {
    name: 'to_categorical with a dtype other than float32', run: (k) => k.utils.to_categorical([0, 1], 2, 'int32'),
    cls: 'NotImplementedError', prefix: 'to_categorical', has: ['dtype "int32"'],
  },
];

/** caught runs a case and returns what it threw or rejected with. */
async function caught(run, keras) {
  try {
    await run(keras);
  } catch (e) {
    return e;
  }
  return undefined;
}

/** check asserts everything the table says of one error. */
function check(err, c) {
  assert.ok(err instanceof Error, `expected an Error, got ${err}`);
  assert.equal(err.name, c.cls, err.message);
  const msg = err.message;
  assert.ok(msg.startsWith(`${c.prefix}: `), `${JSON.stringify(msg)} does not start with "${c.prefix}: "`);
  assert.ok(!msg.slice(c.prefix.length + 2).startsWith(`${c.prefix}: `), `${JSON.stringify(msg)} names ${c.prefix} twice`);
  assert.doesNotMatch(msg, goSyntax);
  for (const h of c.has) {
    if (h instanceof RegExp) assert.match(msg, h);
    else assert.ok(msg.includes(h), `${JSON.stringify(msg)} lacks ${JSON.stringify(h)}`);
  }
  for (const h of c.hasNot ?? []) assert.ok(!msg.includes(h), `${JSON.stringify(msg)} has ${JSON.stringify(h)}`);
}

for (const [mode, keras] of [['main thread', local], ['worker', worker]]) {
  test(`errors a user can act on (${mode})`, async (t) => {
    for (const c of cases) {
      await t.test(c.name, async () => check(await caught(c.run, keras), c));
    }
  });
}

test('the classes are exported as keras.errors and are Errors', () => {
  const { ValueError, NotImplementedError } = local.errors;
  for (const C of [ValueError, NotImplementedError]) {
    const e = new C('m');
    assert.ok(e instanceof Error);
    assert.equal(e.name, C.name);
  }
});

test('makeError gives each name its class', async () => {
  const { makeError, ValueError, NotImplementedError } = await import('../src/errors.mjs');
  assert.ok(makeError('ValueError', 'm') instanceof ValueError);
  assert.ok(makeError('NotImplementedError', 'm') instanceof NotImplementedError);
  assert.ok(makeError('TypeError', 'm') instanceof TypeError);
  const own = makeError('MyError', 'm', { cause: 1 });
  assert.ok(own instanceof Error);
  assert.equal(own.name, 'MyError', "a user's own class keeps its name");
  assert.equal(own.cause, 1);
  assert.equal(makeError(undefined, 'm').name, 'Error');
  assert.equal(makeError('Error', 'm').constructor, Error);
});

test('an internal error stays a plain Error', () => {
  const orig = console.log;
  console.log = () => {}; // the stack goes to the console
  try {
    let err;
    try {
      // A table function called against its contract (a handle that is not
      // a number, a bug of the JS package) panics in Go.
      local.runtime.call('info', 'not a handle');
    } catch (e) {
      err = e;
    }
    assert.ok(err instanceof Error);
    assert.equal(err.name, 'Error');
    assert.match(err.message, /internal error \(a bug in keraswasm/);
  } finally {
    console.log = orig;
  }
});
