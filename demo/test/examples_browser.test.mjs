// The study-note examples are editable, in headless Chromium (make browsertest): an edit runs as
// edited (fewer epochs, more units), a syntax error and a runtime error show their message beside
// the example while the page keeps working, and Reset brings the original back.

import { after, before, test } from 'node:test';
import assert from 'node:assert/strict';
import { MINUTE, openDemo, skip } from './harness.mjs';

let demo = null, page = null;
before(async () => {
  if (skip) return;
  demo = await openDemo();
  page = demo.page;
});
after(async () => { await demo?.close(); });

// runExample clicks Run on example k and resolves to [status, output].
async function runExample(k) {
  await page.locator(`[data-testid="example-run-${k}"]`).evaluate(b => b.click());
  await page.waitForFunction(i => ['ok', 'error'].includes(document.querySelector(`[data-testid="example-${i}"]`).dataset.status),
    k, { timeout: 5 * MINUTE, polling: 200 });
  // The status leaves 'ok'/'error' at the next Run; mark this one read.
  const status = await page.getAttribute(`[data-testid="example-${k}"]`, 'data-status');
  const out = await page.textContent(`[data-testid="example-output-${k}"]`);
  await page.evaluate(i => { document.querySelector(`[data-testid="example-${i}"]`).dataset.status = 'read'; }, k);
  return [status, out];
}

const code = k => page.locator(`[data-testid="example-code-${k}"]`);

test('an edited example runs as edited; broken edits show their error; Reset restores the original', { skip, timeout: 10 * MINUTE }, async t => {
  await page.goto(`${demo.origin}/`);
  await page.waitForFunction(() => document.body.dataset.state === 'ready' && document.querySelector('[data-testid="example-code-4"]'), null, { timeout: 2 * MINUTE });
  const original = await code(4).inputValue();
  assert.match(original, /epochs: 10/, 'example 4 fits 10 epochs');
  assert.ok(await page.locator('[data-testid="example-reset-4"]').isDisabled(), 'nothing to reset yet');

  // Fewer epochs and more units: the output shows 3 losses and the summary the new width.
  const edited = original.replace('epochs: 10', 'epochs: 3').replace('Dense(32,', 'Dense(48,')
    .replace('model.dispose();', 'model.summary();\n  model.dispose();');
  assert.notEqual(edited, original);
  await code(4).fill(edited);
  let [status, out] = await runExample(4);
  assert.equal(status, 'ok', out);
  const losses = /loss per epoch: (.*)/.exec(out)?.[1].trim().split(/\s+/);
  assert.equal(losses?.length, 3, `3 epochs were run:\n${out}`);
  assert.match(out, /\(None, 48\)/, `the summary shows Dense(48):\n${out}`);
  t.diagnostic(`edited run: loss per epoch ${losses.join(' ')}`);

  // A syntax error: the module does not parse; its message is shown, the page carries on.
  await code(4).fill(original.replace('model.add(', 'model.add(('));
  [status, out] = await runExample(4);
  assert.equal(status, 'error', out);
  assert.match(out, /Error: the edited code does not parse: .+/, out);
  assert.ok(await page.locator(`[data-testid="example-output-4"]`).evaluate(e => e.classList.contains('error')));

  // A runtime error: a call Keras refuses (Dense's activation given twice).
  await code(4).fill(original.replace('keras.layers.Dense(1,', 'keras.layers.Dense(1, { units: -1 }, '));
  [status, out] = await runExample(4);
  assert.equal(status, 'error', out);
  assert.match(out, /^Error: .+/m, out);
  t.diagnostic(`runtime error shown: ${out.trim().split('\n').at(-1)}`);

  // Reset: the original text, and it runs its 10 epochs again.
  await page.click('[data-testid="example-reset-4"]');
  assert.equal(await code(4).inputValue(), original);
  assert.ok(await page.locator('[data-testid="example-reset-4"]').isDisabled());
  [status, out] = await runExample(4);
  assert.equal(status, 'ok', out);
  assert.equal(/loss per epoch: (.*)/.exec(out)?.[1].trim().split(/\s+/).length, 10, out);

  // Another example still runs: the page kept working.
  [status, out] = await runExample(1);
  assert.equal(status, 'ok', out);
  demo.noTrouble();
});
