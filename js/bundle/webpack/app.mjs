// The page's script, bundled by webpack 5 with no loader or plugin: webpack copies the runtime's
// files that `new URL('…', import.meta.url)` names and bundles the worker that
// `new Worker(new URL('…', import.meta.url))` starts, so loadKeras needs no options.
import { loadKeras } from 'keraswasm';
import { trainBoth } from './train.mjs';

await trainBoth(loadKeras, {}, { worker: true });
