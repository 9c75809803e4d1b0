// Save, Load and Download for the page's model, over the package's own IO (js/src/io):
// model.save / keras.models.load_model with indexeddb:// and downloads://, and
// keras.io.browserFiles for files the user picks. Nothing here reaches another host.
//
// The page trains in a Web Worker, and a TF.js IOHandler (browserFiles) or a page's document
// (downloads://) cannot cross to it. So files are read, and downloads made, by the page's
// main-thread runtime, and a model crosses between the two runtimes through IndexedDB, which
// both threads share (TRANSFER_URL, removed afterwards). With worker=0 the page's runtime is
// the main-thread one and no transfer happens.

import { saveKerasBytes } from '/keraswasm/src/kerasfile.mjs';

/** STORE_URL is where Save puts the model and Load takes it from. */
export const STORE_URL = 'indexeddb://keraswasm-demo';
/** TRANSFER_URL holds a model for a moment while it crosses between the worker and the page. */
const TRANSFER_URL = 'indexeddb://keraswasm-demo-transfer';
/** FILE_NAME is the downloads' base name: keraswasm-demo.json, .weights.bin and .keras. */
export const FILE_NAME = 'keraswasm-demo';

/** saveToBrowser stores model (on keras's runtime) under STORE_URL, the optimizer's state included. */
export async function saveToBrowser(model) {
  return model.save(STORE_URL);
}

/** loadFromBrowser loads the model Save stored, saying what to do when there is none. */
export async function loadFromBrowser(keras) {
  const stored = await keras.models.list_models();
  if (!(STORE_URL in stored)) {
    throw new Error(`No model is saved in this browser yet (${STORE_URL} is empty): train a model and press Save first, or load files.`);
  }
  return keras.models.load_model(STORE_URL);
}

// cross moves a model from one runtime to the other through IndexedDB; the source stays as it is.
async function cross(model, to) {
  await model.save(TRANSFER_URL);
  try {
    return await to.models.load_model(TRANSFER_URL);
  } finally {
    await to.models.remove_model(TRANSFER_URL).catch(() => {});
  }
}

/**
 * loadFromFiles loads the model in files (a FileList: a model.json with its .bin weight files, or
 * one .keras file) onto keras's runtime; main is the page's main-thread namespace, which reads
 * them (keras itself when local).
 */
export async function loadFromFiles(keras, main, files, local) {
  if (!files || files.length === 0) throw new Error('No files were picked: pick a model.json with its .bin weight files, or one .keras file.');
  const m = await main.models.load_model(main.io.browserFiles(files));
  if (local) return m;
  try {
    return await cross(m, keras);
  } finally {
    m.dispose();
  }
}

/**
 * download saves model as TF.js's Layers format through downloads:// (FILE_NAME.json and
 * FILE_NAME.weights.bin) and as a Keras 3 FILE_NAME.keras file, from the main-thread runtime.
 * It returns the names of the files offered.
 */
export async function download(model, main, local) {
  const m = local ? model : await cross(model, main);
  try {
    await m.save(`downloads://${FILE_NAME}`);
    // A .keras file holds the compile settings, not the optimizer's state (js/src/io/save.mjs).
    const bytes = saveKerasBytes(m);
    const href = URL.createObjectURL(new Blob([bytes], { type: 'application/zip' }));
    const a = document.createElement('a');
    a.download = `${FILE_NAME}.keras`;
    a.href = href;
    await new Promise(r => setTimeout(r)); // a task after the others, as downloads:// spaces its own
    a.click();
    setTimeout(() => URL.revokeObjectURL(href), 60_000);
    return [`${FILE_NAME}.json`, `${FILE_NAME}.weights.bin`, `${FILE_NAME}.keras`];
  } finally {
    if (!local) m.dispose();
  }
}
