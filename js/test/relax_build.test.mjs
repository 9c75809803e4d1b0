// wasm/simd/relax.mjs, the text rewrite that derives the relaxed-SIMD module
// from the default one (make simd): which forms it fuses and which it leaves.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { relax } from '../../wasm/simd/relax.mjs';

const body = (e) => `(module (import "env" "mem" (memory 0)) (func $f (param $a v128) (param $b v128) (param $c v128) (result v128) ${e}))`;

test('relax fuses f32x4 add/sub of a product into relaxed_madd/nmadd, innermost first, and leaves the rest', () => {
  const cases = [
    ['(f32x4.add (local.get $c) (f32x4.mul (local.get $a) (local.get $b)))', '(f32x4.relaxed_madd (local.get $a) (local.get $b) (local.get $c))', 1],
    ['(f32x4.add (f32x4.mul (local.get $a) (local.get $b)) (local.get $c))', '(f32x4.relaxed_madd (local.get $a) (local.get $b) (local.get $c))', 1],
    ['(f32x4.sub (local.get $c) (f32x4.mul (local.get $a) (local.get $b)))', '(f32x4.relaxed_nmadd (local.get $a) (local.get $b) (local.get $c))', 1],
    // c·a − b: no relaxed form without a negation, left as it is
    ['(f32x4.sub (f32x4.mul (local.get $c) (local.get $a)) (local.get $b))', '(f32x4.sub (f32x4.mul (local.get $c) (local.get $a)) (local.get $b))', 0],
    // nested: the inner sum is fused first and is then the addend of the outer
    ['(f32x4.add (f32x4.add (local.get $c) (f32x4.mul (local.get $a) (local.get $b))) (f32x4.mul (local.get $b) (local.get $b)))',
      '(f32x4.relaxed_madd (local.get $b) (local.get $b) (f32x4.relaxed_madd (local.get $a) (local.get $b) (local.get $c)))', 2],
    // float64 and integer lanes are not touched
    ['(f64x2.add (local.get $c) (f64x2.mul (local.get $a) (local.get $b)))', '(f64x2.add (local.get $c) (f64x2.mul (local.get $a) (local.get $b)))', 0],
  ];
  for (const [src, want, n] of cases) {
    const r = relax(body(src));
    assert.ok(r.source.includes(want), `${src}\n→ ${r.source}`);
    assert.deepEqual(r.fused, n ? { $f: n } : {}, src);
  }
});

test('relax drops comments, keeps strings whole and refuses what is not one balanced module', () => {
  const r = relax(';; a comment (f32x4.add\n(module (; block (; nested ;) ;) (import "e;n(v" "mem" (memory 0)))');
  assert.equal(r.source, '(module (import "e;n(v" "mem" (memory 0)))\n');
  assert.throws(() => relax('(module (func)'), /unbalanced/);
  assert.throws(() => relax('(module) (module)'), /expected one \(module/);
});
