// A layer object goes into one model, once. In JS a layer such as
// keras.layers.Dense(32) is a config; each model builds its own layer from
// it. Adding the same object to a second model (or twice to one) would give
// independent copies where Keras shares one layer (its weights are the
// same in both places, and train together), so it is refused, saying so.
//
// Porting note: Keras 2 and 3 share a layer instance between models, and a
// Sequential model takes the same instance twice (Sequential.add checks
// names only against other layers: `ref_layer is not layer`); keraswasm
// builds each model's layers in its own Go model and does not share
// weights, so both are a NotImplementedError here.

import { KerasObject } from './args.mjs';
import { NotImplementedError } from './errors.mjs';

// placed maps a layer object to the model it went into (weakly: it keeps
// neither alive).
const placed = new WeakMap();

/**
 * claimLayer marks layer as placed in owner (a model or its proxy; name()
 * gives its name for the message) and throws if it was placed before. where
 * prefixes the error (the method called). Plain config dicts are data, and
 * go in as often as wanted.
 */
export function claimLayer(layer, owner, where) {
  if (!(layer instanceof KerasObject)) return;
  const was = placed.get(layer);
  if (was) {
    const m = was.model.deref();
    let place = 'this model';
    if (m !== owner) {
      place = 'another model';
      try {
        const name = m?.name; // a Promise for a worker's model: not named then
        if (typeof name === 'string') place += ` ("${name}")`;
      } catch {
        // disposed: it has no name any more
      }
    }
    throw new NotImplementedError(`${where}: this ${layer.class_name} layer object is already in ${place}; Keras would share it ` +
      '(one layer, the same weights in both places), which keraswasm does not do: make a new layer for each place, ' +
      `e.g. keras.layers.${layer.class_name}(...) again, or keras.layers.${layer.class_name}(layer.get_config()) for a copy of its config`);
  }
  placed.set(layer, { model: new WeakRef(owner) });
}

/** releaseLayer forgets the claim on layer (its add failed: it is in no model). */
export function releaseLayer(layer) {
  if (layer instanceof KerasObject) placed.delete(layer);
}
