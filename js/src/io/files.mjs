// Files the user holds: downloads://name saves a model as two downloads,
// name.json and name.weights.bin (TF.js 4.22's tf.io.browserDownloads), and
// browserFiles(files) loads one from File objects of an <input type=file>:
// a model.json with its weight files (tf.io.browserFiles), or one .keras file.
//
// Every weight file's size is known before it is read (File.size), so the
// sizes a manifest declares are checked against the files first and nothing
// is read from a set of files that cannot be the model.
import { ValueError } from '../errors.mjs';
import { artifactsInfo, basename, checkWeightData, concat, fromModelJSON, modelJSON, parseModelJSON, saveable, show } from './artifacts.mjs';

export const DOWNLOADS_SCHEME = 'downloads://';

/** downloadsHandler is the save-only IOHandler of downloads://name (name defaults to 'model', as in TF.js). */
export function downloadsHandler(name, where) {
  if (typeof document === 'undefined' || typeof document.createElement !== 'function' ||
      typeof URL?.createObjectURL !== 'function') {
    throw new Error(`${where}: downloads:// needs a browser page (a document to download from); ` +
      'this environment has none (Node.js and Web Workers); in Node save to file://path instead');
  }
  const prefix = name || 'model';
  const jsonName = `${prefix}.json`, weightsName = `${prefix}.weights.bin`;
  return {
    /**
     * save clicks two anchors, one per file, a task apart (Firefox keeps only
     * the last of several downloads started at once, TF.js notes); the
     * object URLs are revoked a minute later, once the downloads have begun.
     */
    async save(artifacts) {
      const a = saveable(artifacts, where);
      const urls = [];
      const click = async (blob, filename) => {
        const href = URL.createObjectURL(blob);
        urls.push(href);
        const anchor = document.createElement('a');
        anchor.download = filename;
        anchor.href = href;
        await new Promise((r) => setTimeout(r));
        anchor.click();
      };
      try {
        await click(new Blob([JSON.stringify(modelJSON(a, `./${weightsName}`))], { type: 'application/json' }), jsonName);
        if (a.weightData != null) await click(new Blob([a.weightData], { type: 'application/octet-stream' }), weightsName);
      } finally {
        const t = setTimeout(() => { for (const u of urls) URL.revokeObjectURL(u); }, 60_000);
        t?.unref?.();
      }
      return { modelArtifactsInfo: artifactsInfo(a) };
    },
  };
}

/** isKeras tells a File named like a Keras 3 model file. */
const isKeras = (f) => /\.keras$/i.test(f.name ?? '');

/**
 * browserFiles returns an IOHandler whose load() reads File objects: one
 * .keras file gives {format: 'keras', kerasBytes: Uint8Array}; otherwise a
 * model.json and the weight files its manifest names (matched by base name)
 * give TF.js ModelArtifacts with the weights as one ArrayBuffer.
 *
 * Porting note: tf.io.browserFiles takes the first file as the model.json;
 * files picked together in one <input multiple> come in the browser's
 * order, so here the one file ending in .json is the model.json wherever it
 * is (the first file, if none or several do). And where TF.js, given no
 * weight files, returns the topology alone and ignores the manifest, this
 * refuses: a model whose weights were left behind would load with fresh
 * random weights and nothing would say so.
 */
export function browserFiles(files, where = 'browserFiles') {
  if (files == null || typeof files.length !== 'number' || typeof files === 'string') {
    throw new TypeError(`${where}: expected an array (or FileList) of File objects, e.g. input.files; got ${show(files)}`);
  }
  const list = Array.from(files);
  if (list.length === 0) throw new ValueError(`${where}: no files were given; pick a model.json with its .bin files, or one .keras file`);
  list.forEach((f, i) => {
    if (typeof Blob === 'undefined' || !(f instanceof Blob)) throw new TypeError(`${where}: file ${i} is not a File or Blob; got ${show(f)}`);
  });
  return {
    async load() {
      if (list.some(isKeras)) {
        if (list.length !== 1) {
          throw new ValueError(`${where}: a .keras file is a whole model and is loaded alone; got ${list.length} files (${list.map((f) => f.name).join(', ')})`);
        }
        return { format: 'keras', kerasBytes: new Uint8Array(await list[0].arrayBuffer()) };
      }
      const jsons = list.filter((f) => /\.json$/i.test(f.name ?? ''));
      const jsonFile = jsons.length === 1 ? jsons[0] : list[0];
      const weightFiles = list.filter((f) => f !== jsonFile);
      const what = `file '${jsonFile.name ?? 'file 0'}'`;
      const { json, groups } = parseModelJSON(await jsonFile.text(), where, what);
      if (json.modelTopology == null) {
        throw new ValueError(`${where}: ${what} has no modelTopology; it is a weights manifest, not a model.json`);
      }
      if (json.weightsManifest == null) {
        throw new ValueError(`${where}: ${what} has no weightsManifest; a TF.js model.json names its weight files there`);
      }
      const byName = matchFiles(groups, weightFiles, where, what);
      groups.forEach((g, i) => {
        const sizes = g.paths.map((p) => byName.get(basename(p)).size);
        const got = sizes.reduce((a, b) => a + b, 0);
        if (g.lowerBound ? got < g.bytes : got !== g.bytes) {
          throw new ValueError(`${where}: ${what}: weightsManifest[${i}] declares ${g.bytes} bytes of weights but its files hold ${got} ` +
            `(${g.paths.map((p, j) => `${basename(p)}: ${sizes[j]}`).join(', ')}); a weight file is truncated, damaged or belongs to another model`);
        }
      });
      const chunks = [];
      for (const g of groups) for (const p of g.paths) chunks.push(new Uint8Array(await byName.get(basename(p)).arrayBuffer()));
      const data = concat(chunks);
      checkWeightData(groups.flatMap((g) => g.weights), new Uint8Array(data), where, what);
      return fromModelJSON(json, groups, data);
    },
  };
}

/** matchFiles maps each manifest path's base name to its File: each named once, each given file named. */
function matchFiles(groups, files, where, what) {
  const have = new Map();
  for (const f of files) {
    const b = basename(f.name ?? '');
    if (have.has(b)) throw new ValueError(`${where}: two weight files are named '${b}'; pick each file once`);
    have.set(b, f);
  }
  const byName = new Map();
  for (const g of groups) {
    for (const p of g.paths) {
      const b = basename(p);
      if (byName.has(b)) throw new ValueError(`${where}: ${what}: the weights manifest names '${b}' twice`);
      if (!have.has(b)) {
        throw new ValueError(`${where}: the weight file '${b}' that ${what} names was not given; ` +
          `pick it with the model.json (given: ${[...have.keys()].join(', ') || 'no weight files'})`);
      }
      byName.set(b, have.get(b));
    }
  }
  if (byName.size !== have.size) {
    const extra = [...have.keys()].filter((b) => !byName.has(b));
    throw new ValueError(`${where}: ${what} names ${byName.size} weight files but ${have.size} were given; ` +
      `not in its manifest: ${extra.join(', ')}`);
  }
  return byName;
}
