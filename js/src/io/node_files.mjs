// TF.js's Layers files in Node: model.json and its weight shards of 4 MiB
// (group1-shard1ofN.bin, tensorflowjs_converter's names and size), written
// and read as an IOHandler, so a path works wherever a handler does.
// A path ending .json is that model.json; any other path is a directory
// holding model.json. Shard paths must name files beside model.json, and
// their sizes are checked against the manifest before they are read.
// TF.js: tfjs-node/src/io/file_system.ts (NodeFileSystem), tfjs-core/src/io/types.ts.

import { ValueError } from '../errors.mjs';
import { nodeModule } from '../env.mjs';

/** SHARD_BYTES is the size of a weight shard; the last one may be shorter. */
export const SHARD_BYTES = 4 * 1024 * 1024;

const DTYPE_BYTES = { float32: 4, int32: 4, bool: 1, uint8: 1, uint16: 2, float16: 2 };

/** shardName is shard i (from 0) of n: group1-shard1of2.bin. */
export function shardName(i, n) { return `group1-shard${i + 1}of${n}.bin`; }

async function node() {
  const [fs, path] = await Promise.all([nodeModule('node:fs/promises'), nodeModule('node:path')]);
  return { fs, path };
}

/** weightBytes joins TF.js's WeightData (an ArrayBuffer, a list of them, or a view) into one Uint8Array. */
export function weightBytes(d, where) {
  if (d === undefined || d === null) return new Uint8Array(0);
  if (d instanceof ArrayBuffer) return new Uint8Array(d);
  if (ArrayBuffer.isView(d)) return new Uint8Array(d.buffer, d.byteOffset, d.byteLength);
  if (Array.isArray(d)) {
    const parts = d.map((p) => weightBytes(p, where));
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let off = 0;
    for (const p of parts) { out.set(p, off); off += p.length; }
    return out;
  }
  throw new TypeError(`${where}: weightData must be an ArrayBuffer (or a list of them); received ${typeof d}`);
}

/** specBytes is the number of bytes a weights manifest describes. */
export function specBytes(specs) {
  let n = 0;
  for (const s of specs ?? []) {
    const size = DTYPE_BYTES[s.dtype] ?? 4;
    n += (s.shape ?? []).reduce((a, b) => a * b, 1) * size;
  }
  return n;
}

/** artifactsInfo is TF.js's ModelArtifactsInfo for artifacts (getModelArtifactsInfoForJSON). */
export function artifactsInfo(a) {
  const len = (v) => (v === undefined || v === null ? 0 : new TextEncoder().encode(JSON.stringify(v)).length);
  return {
    dateSaved: new Date(),
    modelTopologyType: 'JSON',
    modelTopologyBytes: len(a.modelTopology),
    weightSpecsBytes: len(a.weightSpecs),
    weightDataBytes: weightBytes(a.weightData, 'save').length,
  };
}

/** fileHandler is the IOHandler of a model.json path (or a directory) in Node. */
export function fileHandler(target, where) {
  const locate = async () => {
    const { fs, path } = await node();
    if (target.endsWith('.json')) return { dir: path.dirname(target), json: target };
    const st = await fs.stat(target).catch(() => null);
    if (st && !st.isDirectory()) {
      throw new ValueError(`${where}: ${target} is a file but not a model.json; give a directory, a path ending .json, .keras or .weights.h5`);
    }
    return { dir: target, json: path.join(target, 'model.json') };
  };
  return {
    async save(artifacts) {
      const { fs, path } = await node();
      const { dir, json } = await locate();
      const data = weightBytes(artifacts.weightData, where);
      const n = Math.ceil(data.length / SHARD_BYTES);
      await fs.mkdir(dir, { recursive: true });
      const paths = [];
      for (let i = 0; i < n; i++) {
        paths.push(shardName(i, n));
        await fs.writeFile(path.join(dir, shardName(i, n)), data.subarray(i * SHARD_BYTES, Math.min((i + 1) * SHARD_BYTES, data.length)));
      }
      const { weightData, weightSpecs, ...rest } = artifacts;
      const modelJSON = { ...rest, weightsManifest: [{ paths, weights: weightSpecs ?? [] }] };
      await fs.writeFile(json, JSON.stringify(modelJSON));
      return { modelArtifactsInfo: artifactsInfo(artifacts) };
    },
    async load() {
      const { fs, path } = await node();
      const { dir, json } = await locate();
      let text;
      try {
        text = await fs.readFile(json, 'utf8');
      } catch (e) {
        throw new ValueError(`${where}: cannot read ${json}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
      }
      let mj;
      try {
        mj = JSON.parse(text);
      } catch (e) {
        throw new ValueError(`${where}: ${json} is not JSON: ${e.message}`);
      }
      if (mj === null || typeof mj !== 'object' || Array.isArray(mj)) throw new ValueError(`${where}: ${json} is not a JSON object`);
      const { weightsManifest = [], ...rest } = mj;
      if (!Array.isArray(weightsManifest)) throw new ValueError(`${where}: ${json}: weightsManifest must be a list of {paths, weights}`);
      const specs = [];
      const files = [];
      for (const g of weightsManifest) {
        if (!g || !Array.isArray(g.paths) || !Array.isArray(g.weights)) throw new ValueError(`${where}: ${json}: each weightsManifest entry needs paths and weights lists`);
        specs.push(...g.weights);
        for (let p of g.paths) {
          if (typeof p !== 'string') throw new ValueError(`${where}: ${json}: a shard path must be a string`);
          p = p.replace(/^\.\//, '');
          if (p === '' || p.includes('..') || /[/\\]/.test(p)) throw new ValueError(`${where}: ${json} names the weight shard '${p}'; a shard must be a file beside model.json`);
          files.push([p, path.join(dir, p)]);
        }
      }
      let total = 0;
      const sizes = [];
      for (const [name, f] of files) {
        const st = await fs.stat(f).catch(() => null);
        if (!st) throw new ValueError(`${where}: the weight shard ${name} listed in ${json} is missing`);
        total += st.size;
        sizes.push(`${name} ${st.size} bytes`);
      }
      const want = specBytes(specs);
      if (total !== want) {
        throw new ValueError(`${where}: the weight shards of ${json} hold ${total} bytes but its manifest describes ${want}: ` +
          `${total < want ? 'a weight shard is short' : 'the shards do not belong to this manifest'} (shards: ${sizes.join(', ') || 'none'})`);
      }
      const out = new Uint8Array(total);
      let off = 0;
      for (const [, f] of files) {
        const b = await fs.readFile(f);
        out.set(b, off);
        off += b.length;
      }
      return { ...rest, weightSpecs: specs, weightData: out.buffer };
    },
  };
}

/** writeFile and readFile serve .keras and .weights.h5 paths (Node). */
export async function writeFile(p, bytes) {
  const { fs, path } = await node();
  await fs.mkdir(path.dirname(p), { recursive: true });
  await fs.writeFile(p, bytes);
}

/** readFile reads a whole file as a Uint8Array, with a ValueError naming a missing one. */
export async function readFile(p, where) {
  const { fs } = await node();
  try {
    const b = await fs.readFile(p);
    return new Uint8Array(b.buffer, b.byteOffset, b.byteLength);
  } catch (e) {
    throw new ValueError(`${where}: cannot read ${p}: ${e.code === 'ENOENT' ? 'no such file' : e.message}`);
  }
}
