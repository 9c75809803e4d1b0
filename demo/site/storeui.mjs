// The page's Save / Load / Download card (store.mjs does the IO). A loaded model becomes the
// page's model as a trained one does: its summary, its test-set evaluation (the same code as after
// training, train.mjs evaluateTest) and the drawing pad's predictions. Every failure, a missing
// stored model or files that are not a model, is shown in the card; the page's model stays.
// The card's data-status follows it: idle, busy, saved, loaded, downloaded, error.

import { download, loadFromBrowser, loadFromFiles, saveToBrowser, STORE_URL } from './store.mjs';
import { evaluateTest, modelShape } from './train.mjs';

const $ = id => document.getElementById(id);

/**
 * wireStore connects the card's buttons. ctx: {page (app.mjs's state: keras, model, shape,
 * running), main() (resolves to the main-thread namespace), local (page.keras is it),
 * testSamples, testHooks() (the evaluation's views), setState(s)}. It returns refresh(), which
 * the page calls when its model or its running changes, to enable the buttons that apply.
 */
export function wireStore(ctx) {
  const { page } = ctx;
  const card = $('store-card');
  const show = (text, kind) => {
    $('store-status').textContent = text;
    $('store-status').classList.toggle('error', kind === 'error');
    card.dataset.status = kind;
  };
  const refresh = () => {
    const busy = page.running || !page.keras;
    $('save').disabled = busy || !page.model;
    $('download').disabled = busy || !page.model;
    $('load').disabled = busy;
    $('load-files').disabled = busy;
  };

  // run does one action with the page marked busy; what it returns is shown, an error in red.
  const run = async (what, fn) => {
    if (page.running || !page.keras) return;
    page.running = true;
    refresh();
    $('train').disabled = true;
    show(`${what}…`, 'busy');
    try {
      const [text, kind] = await fn();
      show(text, kind);
    } catch (err) {
      show(`${what} failed: ${err?.message ?? err}`, 'error');
      console.warn(`${what} failed:`, err);
    } finally {
      page.running = false;
      $('train').disabled = false;
      refresh();
    }
  };

  // adopt makes a loaded model the page's: it is checked, summarised and evaluated before it
  // replaces the current one, so a model that cannot be used leaves the page as it was.
  const adopt = async (m, from) => {
    let shape;
    try {
      shape = await modelShape(m);
      $('summary').textContent = await m.summary();
      const before = document.body.dataset.state;
      try {
        await evaluateTest(page.keras, m, shape, ctx.testSamples, ctx.testHooks());
      } catch (err) {
        ctx.setState(before);
        throw err;
      }
    } catch (err) {
      await Promise.resolve(m.dispose()).catch(() => {});
      throw err;
    }
    if (page.model) await page.model.dispose();
    page.model = m;
    page.shape = shape;
    ctx.setState('done');
    $('draw-status').textContent = 'Draw a digit: the bars show the loaded model\'s probabilities.';
    return [`Loaded the model from ${from}; its test accuracy is below.`, 'loaded'];
  };

  $('save').addEventListener('click', () => run('Saving', async () => {
    await saveToBrowser(page.model);
    return [`Saved in this browser (${STORE_URL}); Load brings it back after a reload.`, 'saved'];
  }));
  $('load').addEventListener('click', () => run('Loading', async () => adopt(await loadFromBrowser(page.keras), STORE_URL)));
  $('load-files').addEventListener('change', () => {
    const input = $('load-files');
    const files = Array.from(input.files ?? []);
    input.value = ''; // picking the same files again is a new change
    run('Loading the files', async () => {
      const m = await loadFromFiles(page.keras, await ctx.main(), files, ctx.local);
      return adopt(m, files.map(f => f.name).join(', '));
    });
  });
  $('download').addEventListener('click', () => run('Preparing the downloads', async () => {
    const names = await download(page.model, await ctx.main(), ctx.local);
    return [`Offered ${names.join(', ')} (TF.js's format, and Keras 3's; the .keras file has no optimizer state).`, 'downloaded'];
  }));
  show('', 'idle');
  refresh();
  return refresh;
}
