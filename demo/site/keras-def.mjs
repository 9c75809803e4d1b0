// A reader for Keras-style model definitions typed into the page, like
//
//   model.add(Dense(256, activation='relu', input_shape=(784,)))
//   Dropout(0.2)
//   Dense(10, activation='softmax')
//
// It reads Python-flavoured literals (numbers, 'strings', (tuples,), [lists], {dicts}, True, False,
// None) and returns plain data: one {name, args, kwargs, line} per layer. Nothing is evaluated as
// code, which is also what the page's Content-Security-Policy demands (no eval).

/** parseModelDef reads the definition text; it throws an Error naming the line on bad input. */
export function parseModelDef(text) {
  const p = new Parser(tokenize(text));
  const layers = [];
  while (!p.done()) {
    if (p.peek().type === 'sep') { p.next(); continue; }
    // "model = Sequential()" and the like: an assignment is read, and its call kept if it holds layers.
    if (p.peek().type === 'ident' && p.peek(1).type === 'punct' && p.peek(1).value === '=') {
      p.next(); p.next();
    }
    const call = p.call();
    layers.push(...unwrap(call));
  }
  if (layers.length === 0) {
    throw new Error('The model definition is empty: expected one layer per line, e.g. Dense(10, activation=\'softmax\')');
  }
  return layers;
}

// unwrap turns model.add(X), Sequential([X, Y]) and plain X into the list of layer calls.
function unwrap(call) {
  const short = call.name.split('.').pop();
  if (short === 'add') {
    if (call.args.length !== 1 || !isCall(call.args[0])) {
      throw new Error(`line ${call.line}: model.add() takes one layer, e.g. model.add(Dense(10)); got ${call.args.length} arguments`);
    }
    return [layerOf(call.args[0])];
  }
  if (short === 'Sequential') {
    const list = call.args[0];
    if (list === undefined) return [];
    if (!Array.isArray(list) || !list.every(isCall)) {
      throw new Error(`line ${call.line}: Sequential() takes a list of layers, e.g. Sequential([Dense(10)])`);
    }
    return list.map(layerOf);
  }
  return [layerOf(call)];
}

function isCall(v) { return v !== null && typeof v === 'object' && v.__call === true; }

// layerOf turns a parsed call into a layer spec; nested calls in arguments become Keras config dicts.
function layerOf(call) {
  return {
    name: call.name.split('.').pop(),
    args: call.args.map(v => plain(v, call)),
    kwargs: Object.fromEntries(Object.entries(call.kwargs).map(([k, v]) => [k, plain(v, call)])),
    line: call.line,
  };
}

// plain converts nested calls inside a value: l2(0.01) -> {class_name: 'L2', config: {l2: 0.01}};
// Name(key=value) -> {class_name: 'Name', config: {...}}.
function plain(v, owner) {
  if (Array.isArray(v)) return v.map(x => plain(x, owner));
  if (isCall(v)) {
    const name = v.name.split('.').pop();
    const reg = { l1: ['L1', ['l1']], l2: ['L2', ['l2']], l1_l2: ['L1L2', ['l1', 'l2']] }[name];
    const config = Object.fromEntries(Object.entries(v.kwargs).map(([k, x]) => [k, plain(x, owner)]));
    if (reg) {
      v.args.forEach((x, i) => { config[reg[1][i]] = plain(x, owner); });
      return { class_name: reg[0], config };
    }
    if (v.args.length > 0) {
      throw new Error(`line ${v.line}: ${name}(...) inside ${owner.name}: write its options by name, e.g. ${name}(key=value), or use its string name`);
    }
    return { class_name: name, config };
  }
  if (v !== null && typeof v === 'object') {
    return Object.fromEntries(Object.entries(v).map(([k, x]) => [k, plain(x, owner)]));
  }
  return v;
}

const PUNCT = '()[]{},=:';

// tokenize splits the text into numbers, strings, identifiers (dotted), punctuation and
// statement separators (';'); comments (# or //) and newlines are dropped.
function tokenize(text) {
  const out = [];
  let i = 0, line = 1;
  while (i < text.length) {
    const c = text[i];
    if (c === '\n') { line++; i++; continue; }
    if (/\s/.test(c)) { i++; continue; }
    if (c === '#' || (c === '/' && text[i + 1] === '/')) {
      while (i < text.length && text[i] !== '\n') i++;
      continue;
    }
    if (c === ';') { out.push({ type: 'sep', value: c, line }); i++; continue; }
    if (PUNCT.includes(c)) { out.push({ type: 'punct', value: c, line }); i++; continue; }
    if (c === '"' || c === "'") {
      let j = i + 1, s = '';
      while (j < text.length && text[j] !== c) {
        if (text[j] === '\n') throw new Error(`line ${line}: unterminated string ${text.slice(i, j)}`);
        if (text[j] === '\\' && j + 1 < text.length) j++;
        s += text[j++];
      }
      if (j >= text.length) throw new Error(`line ${line}: unterminated string ${text.slice(i, j)}`);
      out.push({ type: 'string', value: s, line });
      i = j + 1;
      continue;
    }
    const num = /^[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?/.exec(text.slice(i));
    if (num) { out.push({ type: 'number', value: Number(num[0]), line }); i += num[0].length; continue; }
    const id = /^[A-Za-z_][A-Za-z0-9_]*(\.[A-Za-z_][A-Za-z0-9_]*)*/.exec(text.slice(i));
    if (id) { out.push({ type: 'ident', value: id[0], line }); i += id[0].length; continue; }
    throw new Error(`line ${line}: unexpected character ${JSON.stringify(c)}; expected layers like Dense(10, activation='softmax')`);
  }
  return out;
}

// Parser reads tokens by recursive descent.
class Parser {
  constructor(tokens) { this.t = tokens; this.i = 0; }
  done() { return this.i >= this.t.length; }
  peek(k = 0) { return this.t[this.i + k] ?? { type: 'end', value: 'the end', line: this.lastLine() }; }
  lastLine() { return this.t.length ? this.t[this.t.length - 1].line : 1; }
  next() { return this.t[this.i++] ?? this.peek(); }
  isPunct(v) { const t = this.peek(); return t.type === 'punct' && t.value === v; }
  expect(v, what) {
    const t = this.next();
    if (t.type !== 'punct' || t.value !== v) {
      throw new Error(`line ${t.line}: expected '${v}' ${what}, got ${show(t)}`);
    }
  }

  // call := ident '(' [arg {',' arg}] [','] ')'
  call() {
    const t = this.next();
    if (t.type !== 'ident') throw new Error(`line ${t.line}: expected a layer such as Dense(...), got ${show(t)}`);
    const c = { __call: true, name: t.value, args: [], kwargs: {}, line: t.line };
    this.expect('(', `after ${t.value}`);
    while (!this.isPunct(')')) {
      if (this.peek().type === 'ident' && this.peek(1).type === 'punct' && this.peek(1).value === '=') {
        const key = this.next().value;
        this.next();
        if (key in c.kwargs) throw new Error(`line ${t.line}: ${t.value}() got the keyword argument ${key} twice`);
        c.kwargs[key] = this.value();
      } else {
        if (Object.keys(c.kwargs).length > 0) {
          throw new Error(`line ${this.peek().line}: in ${t.value}(), a positional argument follows a keyword argument`);
        }
        c.args.push(this.value());
      }
      if (!this.isPunct(')')) this.expect(',', `between the arguments of ${t.value}`);
    }
    this.next();
    return c;
  }

  // value := number | string | True | False | None | call | '(' tuple ')' | '[' list ']' | '{' dict '}'
  value() {
    const t = this.peek();
    if (t.type === 'number' || t.type === 'string') { this.next(); return t.value; }
    if (t.type === 'ident') {
      const lit = { True: true, False: false, None: null, true: true, false: false, null: null }[t.value];
      if (lit !== undefined) { this.next(); return lit; }
      if (this.peek(1).type === 'punct' && this.peek(1).value === '(') return this.call();
      throw new Error(`line ${t.line}: ${t.value} is not a value here; quote names ('${t.value}') and write numbers, tuples, lists or dicts`);
    }
    if (this.isPunct('(')) return this.sequence('(', ')', true);
    if (this.isPunct('[')) return this.sequence('[', ']', false);
    if (this.isPunct('{')) return this.dict();
    throw new Error(`line ${t.line}: expected a value, got ${show(t)}`);
  }

  // sequence reads a tuple or list; "(3)" is the number 3 as in Python, "(3,)" a tuple.
  sequence(open, close, tuple) {
    this.next();
    const items = [];
    let comma = false;
    while (!this.isPunct(close)) {
      items.push(this.value());
      if (this.isPunct(',')) { this.next(); comma = true; } else if (!this.isPunct(close)) {
        this.expect(close, `to close ${open}`);
      }
    }
    this.next();
    if (tuple && items.length === 1 && !comma) return items[0];
    return items;
  }

  dict() {
    this.next();
    const d = {};
    while (!this.isPunct('}')) {
      const k = this.next();
      if (k.type !== 'string' && k.type !== 'ident') throw new Error(`line ${k.line}: a dict key must be a string, got ${show(k)}`);
      this.expect(':', `after the key ${JSON.stringify(k.value)}`);
      d[k.value] = this.value();
      if (!this.isPunct('}')) this.expect(',', 'between dict entries');
    }
    this.next();
    return d;
  }
}

function show(t) { return t.type === 'end' ? 'the end of the text' : JSON.stringify(String(t.value)); }

/** formatModelDef writes layer specs back as the text the reader accepts (one layer per line). */
export function formatModelDef(layers) {
  return layers.map(l => {
    const parts = l.args.map(py).concat(Object.entries(l.kwargs).map(([k, v]) => `${k}=${py(v)}`));
    return `${l.name}(${parts.join(', ')})`;
  }).join('\n');
}

function py(v) {
  if (v === true) return 'True';
  if (v === false) return 'False';
  if (v === null) return 'None';
  if (typeof v === 'string') return `'${v}'`;
  if (Array.isArray(v)) return v.length === 1 ? `(${py(v[0])},)` : `(${v.map(py).join(', ')})`;
  if (typeof v === 'object') return `{${Object.entries(v).map(([k, x]) => `'${k}': ${py(x)}`).join(', ')}}`;
  return String(v);
}
