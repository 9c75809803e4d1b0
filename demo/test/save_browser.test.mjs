// The demo's Save / Load / Download in headless Chromium (make browsertest): a model trained in the
// page keeps its exact test accuracy (every digit of the evaluation) when it is saved to IndexedDB
// and loaded after a reload, and when it is downloaded (TF.js's two files, and one .keras file)
// and picked again in the file input. A Load with nothing stored and files that are not a model
// show their error in the page, which keeps its model.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { MINUTE, openDemo, skip } from './harness.mjs';

// A short seeded run on part of the test set keeps this test quick; the accuracy is compared, not judged.
const TEST = 'test_samples=2000';
const TRAIN = `run=mnist-mlp&epochs=1&samples=2000&seed=7&${TEST}`;

let demo = null, page = null, dir = '';
before(async () => {
  if (skip) return;
  demo = await openDemo();
  page = demo.page;
  dir = mkdtempSync(join(tmpdir(), 'keraswasm-downloads-'));
});
after(async () => {
  await demo?.close();
  if (dir) rmSync(dir, { recursive: true, force: true });
});

const accuracy = () => page.getAttribute('[data-testid="test-accuracy"]', 'data-value');

// act clicks a card button (or runs fn) and waits for the card's outcome; it returns [status, text].
async function act(fn) {
  await page.evaluate(() => { document.getElementById('store-card').dataset.status = 'pending'; });
  await fn();
  await page.waitForFunction(() => ['saved', 'loaded', 'downloaded', 'error'].includes(document.getElementById('store-card').dataset.status),
    null, { timeout: 5 * MINUTE, polling: 200 });
  return [await page.getAttribute('#store-card', 'data-status'), await page.textContent('[data-testid="store-status"]')];
}

async function waitState(states, timeout = 10 * MINUTE) {
  await page.waitForFunction(s => s.includes(document.body.dataset.state), states, { timeout, polling: 250 });
  return page.evaluate(() => document.body.dataset.state);
}

let trained = null; // the test accuracy after training, as the page's data-value
let files = {}; // the downloads' paths by extension

test('train, Load with nothing stored shows an error, Save, reload, Load: the same test accuracy', { skip, timeout: 15 * MINUTE }, async t => {
  await page.goto(`${demo.origin}/?${TRAIN}`);
  assert.equal(await waitState(['done', 'error', 'stopped']), 'done', await page.textContent('#train-status'));
  trained = await accuracy();
  t.diagnostic(`test accuracy after training: ${trained}`);
  assert.ok(Number(trained) > 0.5, `trained accuracy ${trained}`);

  let [status, text] = await act(() => page.click('[data-testid="load"]'));
  assert.equal(status, 'error', text);
  assert.match(text, /No model is saved in this browser yet/);
  assert.equal(await accuracy(), trained, 'the failed Load left the trained model in place');

  [status, text] = await act(() => page.click('[data-testid="save"]'));
  assert.equal(status, 'saved', text);

  await page.goto(`${demo.origin}/?${TEST}`);
  assert.equal(await waitState(['ready', 'error']), 'ready', await page.textContent('#runtime-status'));
  assert.equal(await accuracy(), null, 'a fresh page shows no accuracy');
  [status, text] = await act(() => page.click('[data-testid="load"]'));
  assert.equal(status, 'loaded', text);
  assert.equal(await accuracy(), trained, 'the loaded model evaluates to the same test accuracy');
  assert.match(await page.textContent('[data-testid="summary"]'), /Total params/);

  // The drawing pad uses the loaded model.
  const pad = page.locator('[data-testid="draw-pad"]');
  await pad.scrollIntoViewIfNeeded();
  const box = await pad.boundingBox();
  await page.mouse.move(box.x + 0.5 * box.width, box.y + 0.2 * box.height);
  await page.mouse.down();
  await page.mouse.move(box.x + 0.5 * box.width, box.y + 0.8 * box.height, { steps: 10 });
  await page.mouse.up();
  await page.waitForFunction(() => document.getElementById('probs').dataset.best !== '', null, { timeout: MINUTE });
  const probs = await page.$$eval('[data-testid="prob"]', els => els.map(e => Number(e.dataset.value)));
  assert.ok(Math.abs(probs.reduce((a, b) => a + b, 0) - 1) < 1e-4, `probabilities ${probs}`);
  demo.noTrouble();
});

test('Download, then Load files: the TF.js files and the .keras file give the same test accuracy', { skip, timeout: 15 * MINUTE }, async t => {
  assert.ok(trained, 'the first test trained no model');
  const got = [];
  page.on('download', d => got.push(d));
  const [status, text] = await act(() => page.click('[data-testid="download"]'));
  assert.equal(status, 'downloaded', text);
  const deadline = Date.now() + MINUTE;
  while (got.length < 3 && Date.now() < deadline) await new Promise(r => setTimeout(r, 100));
  const names = got.map(d => d.suggestedFilename()).sort();
  assert.deepEqual(names, ['keraswasm-demo.json', 'keraswasm-demo.keras', 'keraswasm-demo.weights.bin']);
  for (const d of got) {
    const p = join(dir, d.suggestedFilename());
    await d.saveAs(p);
    files[d.suggestedFilename().split('.').slice(1).join('.')] = p;
    t.diagnostic(`${d.suggestedFilename()}: ${statSync(p).size} bytes`);
  }

  for (const [what, pick] of [['TF.js files', [files.json, files['weights.bin']]], ['.keras file', [files.keras]]]) {
    await page.goto(`${demo.origin}/?${TEST}`);
    assert.equal(await waitState(['ready', 'error']), 'ready');
    const [s, msg] = await act(() => page.setInputFiles('[data-testid="load-files"]', pick));
    assert.equal(s, 'loaded', `${what}: ${msg}`);
    assert.equal(await accuracy(), trained, `${what}: the same test accuracy`);
  }
  demo.noTrouble();
});

test('files that are not a model show their error and leave the model in place', { skip, timeout: 5 * MINUTE }, async () => {
  assert.ok(files.json, 'the download test saved no files');
  const before = await accuracy();
  assert.equal(before, trained);
  let [status, text] = await act(() => page.setInputFiles('[data-testid="load-files"]', [files.json]));
  assert.equal(status, 'error', text);
  assert.match(text, /weight/i, text);
  [status, text] = await act(() => page.setInputFiles('[data-testid="load-files"]', [{ name: 'junk.keras', mimeType: 'application/zip', buffer: Buffer.from('not a zip') }]));
  assert.equal(status, 'error', text);
  assert.equal(await accuracy(), before, 'the page keeps its model');
  // and it still saves
  [status, text] = await act(() => page.click('[data-testid="save"]'));
  assert.equal(status, 'saved', text);
  demo.noTrouble();
});
