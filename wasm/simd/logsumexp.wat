;; keraswasm_simd, part 6: log-sum-exp over rows, for the crossentropies
;; from logits.
;;
;; Functions only, spliced into gemm.wat's module by build.mjs.
;; logsumexp_rows is nn's lossLogSumExp per row (tensor.LogSumExpRows): the
;; row's maximum m by Go's math.Max, s = Σ exp(f64(x_k) − m) in k order (the
;; exps two at a time by smooth.wat's $exp2_go, added one by one), then
;; m + log(s) with $log_go, Go's math/log.go (the pure-Go path of Go's wasm
;; build) operation for operation, so the results are Go's bit for bit.

  ;; max_go is math.Max(a, b): +Inf over NaN, NaN over numbers, +0 over −0.
  (func $max_go (param $a f64) (param $b f64) (result f64)
    (if (i32.or (f64.eq (local.get $a) (f64.const inf)) (f64.eq (local.get $b) (f64.const inf)))
      (then (return (f64.const inf))))
    (if (i32.or (f64.ne (local.get $a) (local.get $a)) (f64.ne (local.get $b) (local.get $b)))
      (then (return (f64.const nan))))
    (if (i32.and (f64.eq (local.get $a) (f64.const 0)) (f64.eq (local.get $b) (f64.const 0)))
      (then (return (select (local.get $b) (local.get $a) (i64.lt_s (i64.reinterpret_f64 (local.get $a)) (i64.const 0))))))
    (select (local.get $a) (local.get $b) (f64.gt (local.get $a) (local.get $b)))
  )

  ;; log_go returns math.Log(x): Frexp (denormals scaled by 2^52 first),
  ;; the fraction taken to [√2/2, √2), and Go's polynomial in s = f/(2+f).
  (func $log_go (param $x f64) (result f64)
    (local $bits i64) (local $ki i32) (local $f1 f64) (local $f f64) (local $k f64)
    (local $s f64) (local $s2 f64) (local $s4 f64) (local $r f64) (local $hfsq f64)
    (if (i32.or (f64.ne (local.get $x) (local.get $x)) (f64.eq (local.get $x) (f64.const inf)))
      (then (return (local.get $x))))
    (if (f64.lt (local.get $x) (f64.const 0)) (then (return (f64.const nan))))
    (if (f64.eq (local.get $x) (f64.const 0)) (then (return (f64.const -inf))))
    ;; Frexp: x = f1·2^ki with f1 in [0.5, 1).
    (if (f64.lt (f64.abs (local.get $x)) (f64.const 0x1p-1022)) (then
      (local.set $x (f64.mul (local.get $x) (f64.const 0x1p52)))
      (local.set $ki (i32.const -52))))
    (local.set $bits (i64.reinterpret_f64 (local.get $x)))
    (local.set $ki (i32.add (local.get $ki)
      (i32.sub (i32.wrap_i64 (i64.and (i64.shr_u (local.get $bits) (i64.const 52)) (i64.const 0x7ff))) (i32.const 1022))))
    (local.set $f1 (f64.reinterpret_i64 (i64.or (i64.and (local.get $bits) (i64.const 0x800fffffffffffff))
      (i64.const 0x3fe0000000000000))))
    (if (f64.lt (local.get $f1) (f64.const 0x1.6a09e667f3bcdp-01)) (then
      (local.set $f1 (f64.mul (local.get $f1) (f64.const 2)))
      (local.set $ki (i32.sub (local.get $ki) (i32.const 1)))))
    (local.set $f (f64.sub (local.get $f1) (f64.const 1)))
    (local.set $k (f64.convert_i32_s (local.get $ki)))
    (local.set $s (f64.div (local.get $f) (f64.add (f64.const 2) (local.get $f))))
    (local.set $s2 (f64.mul (local.get $s) (local.get $s)))
    (local.set $s4 (f64.mul (local.get $s2) (local.get $s2)))
    ;; R = t1 + t2, t1 = s2·(L1 + s4·(L3 + s4·(L5 + s4·L7))), t2 = s4·(L2 + s4·(L4 + s4·L6))
    (local.set $r (f64.mul (local.get $s2) (f64.add (f64.const 0x1.5555555555593p-01) (f64.mul (local.get $s4)
      (f64.add (f64.const 0x1.2492494229359p-02) (f64.mul (local.get $s4)
        (f64.add (f64.const 0x1.7466496cb03dep-03) (f64.mul (local.get $s4) (f64.const 0x1.2f112df3e5244p-03)))))))))
    (local.set $r (f64.add (local.get $r) (f64.mul (local.get $s4) (f64.add (f64.const 0x1.999999997fa04p-02)
      (f64.mul (local.get $s4) (f64.add (f64.const 0x1.c71c51d8e78afp-03) (f64.mul (local.get $s4) (f64.const 0x1.39a09d078c69fp-03))))))))
    (local.set $hfsq (f64.mul (f64.mul (f64.const 0.5) (local.get $f)) (local.get $f)))
    (f64.sub (f64.mul (local.get $k) (f64.const 0x1.62e42feep-01))
      (f64.sub (f64.sub (local.get $hfsq) (f64.add (f64.mul (local.get $s) (f64.add (local.get $hfsq) (local.get $r)))
        (f64.mul (local.get $k) (f64.const 0x1.a39ef35793c76p-33)))) (local.get $f)))
  )

  ;; logsumexp_rows sets lse[r] = m + log(Σ_k exp(f64(x_k) − m)), m the
  ;; math.Max of the row's f64(x_k), for each of the rows rows of n floats of
  ;; x (n > 0), lse float64s.
  (func $logsumexp_rows (export "logsumexp_rows") (param $lse i32) (param $x i32) (param $rows i32) (param $n i32)
    (local $r i32) (local $k i32) (local $m f64) (local $s f64) (local $e v128) (local $vn i32) (local $p i32)
    (local.set $vn (i32.and (local.get $n) (i32.const -2)))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $m (f64.promote_f32 (f32.load (local.get $x))))
      (local.set $k (i32.const 1))
      (block $md (loop $ml
        (br_if $md (i32.ge_s (local.get $k) (local.get $n)))
        (local.set $m (call $max_go (local.get $m)
          (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $ml)))
      (local.set $s (f64.const 0))
      (local.set $k (i32.const 0))
      (block $ed (loop $el
        (br_if $ed (i32.ge_s (local.get $k) (local.get $vn)))
        (local.set $p (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2))))
        (local.set $e (call $exp2_go (f64x2.sub (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $p)))
          (f64x2.splat (local.get $m)))))
        (local.set $s (f64.add (f64.add (local.get $s) (f64x2.extract_lane 0 (local.get $e))) (f64x2.extract_lane 1 (local.get $e))))
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $el)))
      (if (i32.lt_s (local.get $k) (local.get $n)) (then
        (local.set $s (f64.add (local.get $s) (call $exp_go (f64.sub
          (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2))))) (local.get $m)))))))
      (f64.store (local.get $lse) (f64.add (local.get $m) (call $log_go (local.get $s))))
      (local.set $x (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
      (local.set $lse (i32.add (local.get $lse) (i32.const 8)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
  )

  ;; log_f64 sets dst[i] = math.Log(x[i]) over n float64s (for $log_go's test).
  (func $log_f64 (export "log_f64") (param $dst i32) (param $x i32) (param $n i32)
    (local $i i32)
    (block $d (loop $l
      (br_if $d (i32.ge_s (local.get $i) (local.get $n)))
      (f64.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3)))
        (call $log_go (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  )

  ;; softmax_xent_grad writes the gradient of the softmax crossentropy from
  ;; logits (tensor.SoftmaxCrossentropyGrad) for rows rows of n floats:
  ;; with targets (t ≠ 0), d_j = f32(T·exp(f64(x_j) − lse_r) − (f64(t_j)·a + b))
  ;; where T = Σ_k (f64(t_k)·a + b) in k order; without (t = 0, the sparse
  ;; loss), d_j = f32(exp(f64(x_j) − lse_r)). lse holds rows float64s.
  (func $softmax_xent_grad (export "softmax_xent_grad") (param $d i32) (param $x i32) (param $t i32) (param $lse i32)
    (param $rows i32) (param $n i32) (param $a f64) (param $b f64)
    (local $r i32) (local $k i32) (local $vn i32) (local $tsum f64) (local $l v128) (local $e v128) (local $tg v128)
    (local $av v128) (local $bv v128)
    (local.set $vn (i32.and (local.get $n) (i32.const -2)))
    (local.set $av (f64x2.splat (local.get $a)))
    (local.set $bv (f64x2.splat (local.get $b)))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $l (f64x2.splat (f64.load (local.get $lse))))
      (if (local.get $t) (then
        (local.set $tsum (f64.const 0))
        (local.set $k (i32.const 0))
        (block $sd (loop $sl
          (br_if $sd (i32.ge_s (local.get $k) (local.get $n)))
          (local.set $tsum (f64.add (local.get $tsum) (f64.add (f64.mul
            (f64.promote_f32 (f32.load (i32.add (local.get $t) (i32.shl (local.get $k) (i32.const 2))))) (local.get $a))
            (local.get $b))))
          (local.set $k (i32.add (local.get $k) (i32.const 1)))
          (br $sl)))))
      (local.set $k (i32.const 0))
      (block $ed (loop $el
        (br_if $ed (i32.ge_s (local.get $k) (local.get $n)))
        ;; two lanes at a time; the odd last one loads one float (lane 1 is 0 and unused)
        (if (i32.lt_s (local.get $k) (local.get $vn))
          (then (local.set $e (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))))
          (else (local.set $e (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2))))))))
        (local.set $e (call $exp2_go (f64x2.sub (local.get $e) (local.get $l))))
        (if (local.get $t) (then
          (if (i32.lt_s (local.get $k) (local.get $vn))
            (then (local.set $tg (f64x2.promote_low_f32x4 (v128.load64_zero (i32.add (local.get $t) (i32.shl (local.get $k) (i32.const 2)))))))
            (else (local.set $tg (f64x2.promote_low_f32x4 (v128.load32_zero (i32.add (local.get $t) (i32.shl (local.get $k) (i32.const 2))))))))
          (local.set $e (f64x2.sub (f64x2.mul (f64x2.splat (local.get $tsum)) (local.get $e))
            (f64x2.add (f64x2.mul (local.get $tg) (local.get $av)) (local.get $bv))))))
        (if (i32.lt_s (local.get $k) (local.get $vn))
          (then (v128.store64_lane 0 (i32.add (local.get $d) (i32.shl (local.get $k) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $e))))
          (else (v128.store32_lane 0 (i32.add (local.get $d) (i32.shl (local.get $k) (i32.const 2))) (f32x4.demote_f64x2_zero (local.get $e)))))
        (local.set $k (i32.add (local.get $k) (i32.const 2)))
        (br $el)))
      (local.set $x (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
      (local.set $d (i32.add (local.get $d) (i32.shl (local.get $n) (i32.const 2))))
      (if (local.get $t) (then (local.set $t (i32.add (local.get $t) (i32.shl (local.get $n) (i32.const 2))))))
      (local.set $lse (i32.add (local.get $lse) (i32.const 8)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
  )
