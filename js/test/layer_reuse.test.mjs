// A layer object goes into one model, once (js/src/placed.mjs): Keras would
// share it between two models, or apply it twice in one, with the same
// weights; keraswasm builds each model's own layers and does not share, so
// both are refused with a NotImplementedError that says so and how to make
// a copy, instead of two silently independent copies. A layer whose add
// failed is in no model and can be added elsewhere; config dicts are data.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { loadKeras } from '../keras.mjs';

for (const worker of [false, true]) {
  const mode = worker ? 'worker' : 'main thread';
  test(`${mode}: a layer object in a second model, or twice in one, is refused; a copy of its config is not`, async () => {
    const keras = await loadKeras({ worker });
    try {
      const d = keras.layers.Dense(4, { input_dim: 4 });
      const a = keras.Sequential([d], 'first');
      assert.equal(await a.count_params(), 20);
      const refused = async (f, where, place) => {
        const e = await Promise.resolve().then(f).then(() => null, (err) => err);
        assert.equal(e?.name, 'NotImplementedError', e?.message);
        assert.match(e.message, new RegExp(`^${where}: this Dense layer object is already in ${place}; Keras would share it`));
        assert.match(e.message, /keras\.layers\.Dense\(layer\.get_config\(\)\)/);
      };
      await refused(async () => { const m = keras.Sequential([d]); await m.count_params(); }, 'Sequential: layers\\[0\\]',
        worker ? 'another model' : 'another model \\("first"\\)');
      await refused(() => a.add(d), 'Sequential\\.add', 'this model');
      const b = keras.Sequential();
      await refused(() => b.add(d), 'Sequential\\.add', worker ? 'another model' : 'another model \\("first"\\)');
      assert.equal((await a.layers).length, 1, 'the first model is unchanged');

      await b.add(keras.layers.Dense(d.get_config()));
      assert.equal(await b.count_params(), 20, 'a new layer from its config goes in');
      const cfg = { class_name: 'Dense', config: { units: 2 } };
      await b.add(cfg);
      await b.add(cfg);
      assert.equal((await b.layers).length, 3, 'a config dict is data: it goes in as often as given');

      const wrong = keras.layers.Conv2D(2, 3, { input_shape: [5, 5, 1] }); // cannot follow a Dense
      await Promise.resolve().then(() => b.add(wrong)).then(() => assert.fail('expected a shape error'), (e) => assert.equal(e.name, 'ValueError'));
      const c = keras.Sequential([wrong]);
      assert.equal(await c.count_params(), 20, 'a layer whose add failed is in no model');
    } finally {
      keras.terminate?.();
    }
  });
}
