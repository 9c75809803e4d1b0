// installIO puts the browser model stores on a keras namespace:
// keras.models.list_models / remove_model / copy_model / move_model (Keras's
// snake_case, with TF.js's camelCase beside them, as models.modelFromJSON
// is), and keras.io.browserFiles and the same four under tf.io's names. They
// are pure JavaScript over the browser's stores, so the main-thread and the
// worker namespaces get the same functions.
import { browserFiles, browserHandler, copyModel, listModels, moveModel, removeModel } from './browser.mjs';
import { useBrowserHandlers } from './router.mjs';

// model.save / keras.models.load_model (router.mjs) reach the browser schemes
// (indexeddb://, localstorage://, downloads://, http(s)://) through browser.mjs.
useBrowserHandlers(browserHandler);

/** installIO adds the browser IO functions to keras (a namespace from makeNamespace) and returns it. */
export function installIO(keras) {
  const list_models = () => listModels('list_models');
  const remove_model = (url) => removeModel(url, 'remove_model');
  const copy_model = (src, dst) => copyModel(src, dst, 'copy_model');
  const move_model = (src, dst) => moveModel(src, dst, 'move_model');
  Object.assign(keras.models, {
    list_models, remove_model, copy_model, move_model,
    listModels: list_models, removeModel: remove_model, copyModel: copy_model, moveModel: move_model,
  });
  keras.io = {
    ...(keras.io ?? {}),
    browserFiles: (files) => browserFiles(files, 'browserFiles'),
    listModels: () => listModels('listModels'),
    removeModel: (url) => removeModel(url, 'removeModel'),
    copyModel: (src, dst) => copyModel(src, dst, 'copyModel'),
    moveModel: (src, dst) => moveModel(src, dst, 'moveModel'),
  };
  return keras;
}
