// relax.mjs derives the relaxed-SIMD variant of the kernels from their one
// source: every f32x4 multiply whose product is then added or subtracted,
// written in folded form,
//
//   (f32x4.add X (f32x4.mul A B))  or  (f32x4.add (f32x4.mul A B) X)  →  (f32x4.relaxed_madd A B X)
//   (f32x4.sub X (f32x4.mul A B))                                      →  (f32x4.relaxed_nmadd A B X)
//
// becomes one relaxed multiply-add (A·B + X, and −(A·B) + X), which an
// engine may compute fused (one rounding: V8 on x86-64 with FMA3 and on
// arm64) or as the two operations (two roundings), its choice. In the
// kernels that is GEMM's k loop (gemm_macro: the 8 products of a 4×8 tile
// per depth) and its beta·C edge (axpby), axpy, and the updates of
// sgd_momentum, rmsprop and adam. Scalar tails and float64 code stay as
// they are (relaxed SIMD has no scalar or f64 fused form that we use), so a
// vector lane and a tail element of one tensor may round differently.
//
// Why a second module rather than a second export set in the same module:
// an engine without relaxed SIMD refuses to compile a module that holds a
// single relaxed instruction, so the default module must hold none, or such
// engines would lose the default SIMD kernels too (and fall back to the
// JavaScript kernel). Deriving the second module from the same text keeps
// one source of truth: the relaxed kernels are the default ones, with the
// same blocking, packing and order of summation, and only the rounding of
// each multiply-add differs.
//
// relax(source) returns { source, fused }: the rewritten module text (its
// comments dropped) and, per function name, the number of multiply-adds fused.

/** tokens splits WebAssembly text into '(' , ')' and atoms (strings kept whole), dropping comments. */
function tokens(text) {
  const out = [];
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if (c === ';' && text[i + 1] === ';') {
      const nl = text.indexOf('\n', i);
      i = nl < 0 ? text.length : nl + 1;
    } else if (c === '(' && text[i + 1] === ';') {
      let depth = 1;
      i += 2;
      while (i < text.length && depth > 0) {
        if (text.startsWith('(;', i)) { depth++; i += 2; } else if (text.startsWith(';)', i)) { depth--; i += 2; } else i++;
      }
    } else if (c === '(' || c === ')') {
      out.push(c);
      i++;
    } else if (/\s/.test(c)) {
      i++;
    } else if (c === '"') {
      let j = i + 1;
      while (j < text.length && text[j] !== '"') j += text[j] === '\\' ? 2 : 1;
      out.push(text.slice(i, j + 1));
      i = j + 1;
    } else {
      let j = i;
      while (j < text.length && !/[\s()";]/.test(text[j])) j++;
      out.push(text.slice(i, j));
      i = j;
    }
  }
  return out;
}

/** parse turns tokens into nested arrays (a list per parenthesis, strings for atoms). */
function parse(toks) {
  const stack = [[]];
  for (const t of toks) {
    if (t === '(') stack.push([]);
    else if (t === ')') {
      if (stack.length < 2) throw new Error('relax.mjs: unbalanced parenthesis');
      const list = stack.pop();
      stack[stack.length - 1].push(list);
    } else stack[stack.length - 1].push(t);
  }
  if (stack.length !== 1) throw new Error('relax.mjs: unbalanced parenthesis');
  return stack[0];
}

const isMul = (e) => Array.isArray(e) && e[0] === 'f32x4.mul' && e.length === 3;

/** rewrite fuses the multiply-adds of e, innermost first, counting them in count.n. */
function rewrite(e, count) {
  if (!Array.isArray(e)) return e;
  const r = e.map((x) => rewrite(x, count));
  if (r.length !== 3) return r;
  const [op, x, y] = r;
  if (op === 'f32x4.add' && isMul(y)) { count.n++; return ['f32x4.relaxed_madd', y[1], y[2], x]; }
  if (op === 'f32x4.add' && isMul(x)) { count.n++; return ['f32x4.relaxed_madd', x[1], x[2], y]; }
  if (op === 'f32x4.sub' && isMul(y)) { count.n++; return ['f32x4.relaxed_nmadd', y[1], y[2], x]; }
  return r;
}

const show = (e) => (Array.isArray(e) ? `(${e.map(show).join(' ')})` : e);

/** relax rewrites a module's text as the header of this file says. */
export function relax(source) {
  const top = parse(tokens(source));
  if (top.length !== 1 || !Array.isArray(top[0]) || top[0][0] !== 'module') {
    throw new Error('relax.mjs: expected one (module …)');
  }
  const fused = {};
  const mod = top[0].map((field) => {
    if (!Array.isArray(field) || field[0] !== 'func') return field;
    const count = { n: 0 };
    const out = rewrite(field, count);
    if (count.n > 0) fused[field[1]] = count.n;
    return out;
  });
  return { source: `${show(mod)}\n`, fused };
}
