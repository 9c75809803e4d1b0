// The runtime's download size: keras.wasm raw, gzip -9 and brotli (quality 11),
// as a server would send it. Run: node js/bench/size.mjs  (make wasmbench)
import { readFile } from 'node:fs/promises';
import zlib from 'node:zlib';

const wasm = await readFile(new URL('../dist/keras.wasm', import.meta.url));
const gz = zlib.gzipSync(wasm, { level: 9 });
const br = zlib.brotliCompressSync(wasm, {
  params: { [zlib.constants.BROTLI_PARAM_QUALITY]: 11, [zlib.constants.BROTLI_PARAM_SIZE_HINT]: wasm.length },
});
const mb = (n) => `${(n / 1024 / 1024).toFixed(2)} MiB (${n} bytes)`;
console.log(`keras.wasm raw ${mb(wasm.length)}, gzip ${mb(gz.length)}, brotli ${mb(br.length)}`);
