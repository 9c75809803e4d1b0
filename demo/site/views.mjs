// Small DOM views: the confusion matrix and the probability bars. Styles are set through the
// CSSOM (element.style), which the page's CSP allows, never through inline style attributes.

/** el makes an element with a class and text. */
export function el(tag, cls, text) {
  const e = document.createElement(tag);
  if (cls) e.className = cls;
  if (text !== undefined) e.textContent = text;
  return e;
}

/** confusionMatrix counts predictions: m[true][pred] for labels and predicted classes in 0..k-1. */
export function confusionMatrix(labels, predicted, k = 10) {
  const m = Array.from({ length: k }, () => new Array(k).fill(0));
  for (let i = 0; i < labels.length; i++) m[labels[i]][predicted[i]]++;
  return m;
}

/** argmaxRows returns the index of the largest value in each row of a (rows, k) array. */
export function argmaxRows(data, k) {
  const n = data.length / k, out = new Uint8Array(n);
  for (let i = 0; i < n; i++) {
    let best = 0;
    for (let j = 1; j < k; j++) if (data[i * k + j] > data[i * k + best]) best = j;
    out[i] = best;
  }
  return out;
}

/** renderConfusion draws the matrix as a table; each cell's shade is its share of the true row. */
export function renderConfusion(container, m) {
  const t = el('table', 'confusion');
  t.dataset.testid = 'confusion-table';
  const head = t.createTHead().insertRow();
  head.appendChild(el('th', '', 'true ╲ pred'));
  m.forEach((_, j) => head.appendChild(el('th', '', String(j))));
  const body = t.createTBody();
  m.forEach((row, i) => {
    const tr = body.insertRow();
    tr.appendChild(el('th', '', String(i)));
    const total = row.reduce((a, b) => a + b, 0) || 1;
    row.forEach((v, j) => {
      const td = el('td', '', String(v));
      const share = v / total;
      td.style.backgroundColor = i === j
        ? `rgba(21, 128, 61, ${0.15 + 0.6 * share})`
        : share > 0 ? `rgba(208, 0, 0, ${Math.min(0.7, 0.1 + 4 * share)})` : '';
      tr.appendChild(td);
    });
  });
  t.createCaption().textContent = 'Rows: true digit; columns: predicted digit (test set).';
  container.replaceChildren(t);
}

/** renderProbs draws one bar per class; probs null shows empty bars. */
export function renderProbs(container, probs) {
  container.replaceChildren();
  const best = probs ? probs.indexOf(Math.max(...probs)) : -1;
  for (let j = 0; j < 10; j++) {
    const p = probs ? probs[j] : 0;
    const row = [el('span', '', String(j)), el('div', 'bar'), el('span', '', probs ? p.toFixed(3) : '')];
    const fill = el('div');
    fill.style.width = `${(100 * p).toFixed(1)}%`;
    row[1].appendChild(fill);
    row[2].dataset.testid = 'prob';
    row[2].dataset.digit = String(j);
    row[2].dataset.value = String(p);
    for (const e of row) {
      if (j === best) e.classList.add('best');
      container.appendChild(e);
    }
  }
  container.dataset.best = best >= 0 ? String(best) : '';
}
