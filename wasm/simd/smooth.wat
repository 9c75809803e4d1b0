;; keraswasm_simd, part 5: sigmoid and tanh, forward and backward.
;;
;; Functions only, spliced into gemm.wat's module by build.mjs. nn computes
;; these in float64 per float32 element (tensor.Sigmoid, Tanh, TanhGrad);
;; here two elements at a time are promoted into an f64x2 and every Go
;; operation is one f64x2 operation in Go's order, with both sides of each
;; Go branch computed and the taken one selected per lane, so the results
;; are Go's bit for bit (tensor/smooth_simd_test.go). $exp2_go is
;; softmax.wat's $exp_go (Go's math/exp.go) over two lanes; $tanh2_go is Go's
;; math/tanh.go (Cephes's rational approximation below 0.625, exp above,
;; ±1 above 44). sigmoid_grad is float32 throughout, as Go's is: f32x4.

  ;; exp2_go returns math.Exp of each lane of x (math/exp.go, the pure-Go
  ;; path that Go's wasm build runs): the special cases selected over the
  ;; reduction x = k·ln 2 + r, Go's polynomial, and Ldexp(y, k) with one
  ;; rounding as $exp_go forms it.
  (func $exp2_go (param $x v128) (result v128)
    (local $kf v128) (local $hi v128) (local $lo v128) (local $r v128) (local $t v128) (local $c v128)
    (local $y v128) (local $k v128) (local $lt v128) (local $gt v128) (local $res v128)
    ;; k = int(Log2e·x ± 0.5), the sign of x's (x = 0 is the near-zero case).
    (local.set $kf (f64x2.trunc (f64x2.add (f64x2.mul (v128.const f64x2 0x1.71547652b82fep+00 0x1.71547652b82fep+00) (local.get $x))
      (v128.bitselect (local.get $x) (v128.const f64x2 0.5 0.5) (v128.const i64x2 0x8000000000000000 0x8000000000000000)))))
    (local.set $hi (f64x2.sub (local.get $x) (f64x2.mul (local.get $kf) (v128.const f64x2 0x1.62e42feep-01 0x1.62e42feep-01))))
    (local.set $lo (f64x2.mul (local.get $kf) (v128.const f64x2 0x1.a39ef35793c76p-33 0x1.a39ef35793c76p-33)))
    ;; expmulti
    (local.set $r (f64x2.sub (local.get $hi) (local.get $lo)))
    (local.set $t (f64x2.mul (local.get $r) (local.get $r)))
    (local.set $c (f64x2.sub (local.get $r) (f64x2.mul (local.get $t)
      (f64x2.add (v128.const f64x2 0x1.5555555555555p-03 0x1.5555555555555p-03) (f64x2.mul (local.get $t)
      (f64x2.add (v128.const f64x2 -0x1.6c16c16bebd93p-09 -0x1.6c16c16bebd93p-09) (f64x2.mul (local.get $t)
      (f64x2.add (v128.const f64x2 0x1.1566aaf25de2cp-14 0x1.1566aaf25de2cp-14) (f64x2.mul (local.get $t)
      (f64x2.add (v128.const f64x2 -0x1.bbd41c5d26bf1p-20 -0x1.bbd41c5d26bf1p-20) (f64x2.mul (local.get $t)
        (v128.const f64x2 0x1.6376972bea4dp-25 0x1.6376972bea4dp-25))))))))))))
    (local.set $y (f64x2.sub (v128.const f64x2 1 1) (f64x2.sub (f64x2.sub (local.get $lo)
      (f64x2.div (f64x2.mul (local.get $r) (local.get $c)) (f64x2.sub (v128.const f64x2 2 2) (local.get $c)))) (local.get $hi))))
    ;; Ldexp(y, k): y·2^k, or (y·2^(k+53))·2^-53 for k < −1022 and
    ;; (y·2^(k−1))·2 for k > 1023, each first product exact (lanes of the
    ;; special cases compute garbage here and are replaced below).
    (local.set $k (i64x2.extend_low_i32x4_s (i32x4.trunc_sat_f64x2_s_zero (local.get $kf))))
    (local.set $lt (i64x2.lt_s (local.get $k) (v128.const i64x2 -1022 -1022)))
    (local.set $gt (i64x2.gt_s (local.get $k) (v128.const i64x2 1023 1023)))
    (local.set $k (i64x2.sub (i64x2.add (local.get $k) (v128.and (local.get $lt) (v128.const i64x2 53 53)))
      (v128.and (local.get $gt) (v128.const i64x2 1 1))))
    (local.set $res (f64x2.mul (f64x2.mul (local.get $y)
        (i64x2.shl (i64x2.add (local.get $k) (v128.const i64x2 1023 1023)) (i32.const 52)))
      (v128.bitselect (v128.const f64x2 0x1p-53 0x1p-53)
        (v128.bitselect (v128.const f64x2 2 2) (v128.const f64x2 1 1) (local.get $gt)) (local.get $lt))))
    ;; The special cases, in any order (they exclude each other): |x| < 2^-28
    ;; gives 1 + x, x < Underflow (and −Inf) 0, x > Overflow (and +Inf) +Inf,
    ;; NaN itself.
    (local.set $res (v128.bitselect (f64x2.add (v128.const f64x2 1 1) (local.get $x)) (local.get $res)
      (f64x2.lt (f64x2.abs (local.get $x)) (v128.const f64x2 0x1p-28 0x1p-28))))
    (local.set $res (v128.bitselect (v128.const f64x2 0 0) (local.get $res)
      (f64x2.lt (local.get $x) (v128.const f64x2 -0x1.74910d52d3051p+09 -0x1.74910d52d3051p+09))))
    (local.set $res (v128.bitselect (v128.const f64x2 inf inf) (local.get $res)
      (f64x2.gt (local.get $x) (v128.const f64x2 0x1.62e42fefa39efp+09 0x1.62e42fefa39efp+09))))
    (v128.bitselect (local.get $x) (local.get $res) (f64x2.ne (local.get $x) (local.get $x)))
  )

  ;; sigmoid2_go is tensor.Sigmoid64 of each lane: 1/(1 + exp(−x)) for
  ;; x ≥ 0, e/(1 + e) with e = exp(x) below. Both branches' exp argument is
  ;; −|x| (exp(−(−0)) and exp(−0) are both 1), so one exp serves both.
  (func $sigmoid2_go (param $x v128) (result v128)
    (local $e v128)
    (local.set $e (call $exp2_go (f64x2.neg (f64x2.abs (local.get $x)))))
    (f64x2.div
      (v128.bitselect (v128.const f64x2 1 1) (local.get $e) (f64x2.ge (local.get $x) (v128.const f64x2 0 0)))
      (f64x2.add (v128.const f64x2 1 1) (local.get $e)))
  )

  ;; tanh2_go is math.Tanh of each lane (math/tanh.go): ±1 for |x| > 44.01…
  ;; (0.5·log(2^127)); 1 − 2/(exp(2|x|) + 1) with x's sign for |x| ≥ 0.625;
  ;; x + x·s·P(s)/Q(s), s = x², below, except x itself for ±0.
  (func $tanh2_go (param $x v128) (result v128)
    (local $z v128) (local $s v128) (local $b v128) (local $c v128)
    (local.set $z (f64x2.abs (local.get $x)))
    (local.set $s (call $exp2_go (f64x2.mul (v128.const f64x2 2 2) (local.get $z))))
    (local.set $b (f64x2.sub (v128.const f64x2 1 1)
      (f64x2.div (v128.const f64x2 2 2) (f64x2.add (local.get $s) (v128.const f64x2 1 1)))))
    (local.set $b (v128.bitselect (f64x2.neg (local.get $b)) (local.get $b)
      (f64x2.lt (local.get $x) (v128.const f64x2 0 0))))
    (local.set $s (f64x2.mul (local.get $x) (local.get $x)))
    (local.set $c (f64x2.add (local.get $x) (f64x2.div
      (f64x2.mul (f64x2.mul (local.get $x) (local.get $s))
        (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (v128.const f64x2 -0x1.edc5baafd6f4bp-01 -0x1.edc5baafd6f4bp-01) (local.get $s))
          (v128.const f64x2 -0x1.8d26a0e26682dp+06 -0x1.8d26a0e26682dp+06)) (local.get $s))
          (v128.const f64x2 -0x1.93ac030580563p+10 -0x1.93ac030580563p+10)))
      (f64x2.add (f64x2.mul (f64x2.add (f64x2.mul (f64x2.add (local.get $s)
          (v128.const f64x2 0x1.c33f28a581b86p+06 0x1.c33f28a581b86p+06)) (local.get $s))
          (v128.const f64x2 0x1.176fa0e5535fap+11 0x1.176fa0e5535fap+11)) (local.get $s))
        (v128.const f64x2 0x1.2ec102442040cp+12 0x1.2ec102442040cp+12)))))
    (local.set $c (v128.bitselect (local.get $x) (local.get $c) (f64x2.eq (local.get $x) (v128.const f64x2 0 0))))
    (local.set $c (v128.bitselect (local.get $b) (local.get $c)
      (f64x2.ge (local.get $z) (v128.const f64x2 0.625 0.625))))
    (v128.bitselect
      (v128.bitselect (v128.const f64x2 -1 -1) (v128.const f64x2 1 1) (f64x2.lt (local.get $x) (v128.const f64x2 0 0)))
      (local.get $c)
      (f64x2.gt (local.get $z) (v128.const f64x2 0x1.601e678fc457bp+05 0x1.601e678fc457bp+05)))
  )

  ;; sigmoid sets dst[i] = float32(Sigmoid64(float64(x[i]))) over n floats
  ;; (tensor.Sigmoid); dst may be x. Two per f64x2, the odd last one alone.
  (func $sigmoid (export "sigmoid") (param $dst i32) (param $x i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2))))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $x) (local.get $vend)))
      (v128.store64_lane 0 (local.get $dst) (f32x4.demote_f64x2_zero
        (call $sigmoid2_go (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x))))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
      (br $vl)))
    (if (i32.lt_u (local.get $x) (local.get $end)) (then
      (v128.store32_lane 0 (local.get $dst) (f32x4.demote_f64x2_zero
        (call $sigmoid2_go (f64x2.promote_low_f32x4 (v128.load32_zero (local.get $x))))))))
  )

  ;; tanh sets dst[i] = float32(math.Tanh(float64(x[i]))) over n floats
  ;; (tensor.Tanh); dst may be x.
  (func $tanh (export "tanh") (param $dst i32) (param $x i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2))))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $x) (local.get $vend)))
      (v128.store64_lane 0 (local.get $dst) (f32x4.demote_f64x2_zero
        (call $tanh2_go (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $x))))))
      (local.set $x (i32.add (local.get $x) (i32.const 8)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
      (br $vl)))
    (if (i32.lt_u (local.get $x) (local.get $end)) (then
      (v128.store32_lane 0 (local.get $dst) (f32x4.demote_f64x2_zero
        (call $tanh2_go (f64x2.promote_low_f32x4 (v128.load32_zero (local.get $x))))))))
  )

  ;; tanh_grad sets dst[i] = float32(float64(dy[i])·(1 − y²)), y =
  ;; float64(y[i]) tanh's output (tensor.TanhGrad); dst may be dy.
  (func $tanh_grad (export "tanh_grad") (param $dst i32) (param $y i32) (param $dy i32) (param $n i32)
    (local $end i32) (local $vend i32) (local $v v128)
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $y) (i32.shl (i32.and (local.get $n) (i32.const -2)) (i32.const 2))))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $y) (local.get $vend)))
      (local.set $v (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $y))))
      (v128.store64_lane 0 (local.get $dst) (f32x4.demote_f64x2_zero
        (f64x2.mul (f64x2.promote_low_f32x4 (v128.load64_zero (local.get $dy)))
          (f64x2.sub (v128.const f64x2 1 1) (f64x2.mul (local.get $v) (local.get $v))))))
      (local.set $y (i32.add (local.get $y) (i32.const 8)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 8)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 8)))
      (br $vl)))
    (if (i32.lt_u (local.get $y) (local.get $end)) (then
      (local.set $v (f64x2.promote_low_f32x4 (v128.load32_zero (local.get $y))))
      (v128.store32_lane 0 (local.get $dst) (f32x4.demote_f64x2_zero
        (f64x2.mul (f64x2.promote_low_f32x4 (v128.load32_zero (local.get $dy)))
          (f64x2.sub (v128.const f64x2 1 1) (f64x2.mul (local.get $v) (local.get $v))))))))
  )

  ;; sigmoid_grad sets dst[i] = dy[i]·y[i]·(1 − y[i]) in float32, in that
  ;; order ((dy·y)·(1 − y)), y sigmoid's output (tensor.SigmoidGrad); dst
  ;; may be dy.
  (func $sigmoid_grad (export "sigmoid_grad") (param $dst i32) (param $y i32) (param $dy i32) (param $n i32)
    (local $end i32) (local $vend i32) (local $v v128) (local $f f32)
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $y) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $y) (local.get $vend)))
      (local.set $v (v128.load (local.get $y)))
      (v128.store (local.get $dst) (f32x4.mul (f32x4.mul (v128.load (local.get $dy)) (local.get $v))
        (f32x4.sub (v128.const f32x4 1 1 1 1) (local.get $v))))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $y) (local.get $end)))
      (local.set $f (f32.load (local.get $y)))
      (f32.store (local.get $dst) (f32.mul (f32.mul (f32.load (local.get $dy)) (local.get $f))
        (f32.sub (f32.const 1) (local.get $f))))
      (local.set $y (i32.add (local.get $y) (i32.const 4)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $sl)))
  )

;; exp2_f64, tanh2_f64 and sigmoid2_f64 set dst[i] = math.Exp(x[i]),
  ;; math.Tanh(x[i]) and Sigmoid64(x[i]) over n float64s through the two-lane
  ;; functions (for their tests, in float64, where a wrong branch or constant
  ;; shows before the rounding to float32 hides it); n must be even.
  (func $exp2_f64 (export "exp2_f64") (param $dst i32) (param $x i32) (param $n i32)
    (call $map2 (local.get $dst) (local.get $x) (local.get $n) (i32.const 0)))
  (func $tanh2_f64 (export "tanh2_f64") (param $dst i32) (param $x i32) (param $n i32)
    (call $map2 (local.get $dst) (local.get $x) (local.get $n) (i32.const 1)))
  (func $sigmoid2_f64 (export "sigmoid2_f64") (param $dst i32) (param $x i32) (param $n i32)
    (call $map2 (local.get $dst) (local.get $x) (local.get $n) (i32.const 2)))

  (func $map2 (param $dst i32) (param $x i32) (param $n i32) (param $f i32)
    (local $end i32) (local $v v128)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 3))))
    (block $d (loop $l
      (br_if $d (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $v (v128.load (local.get $x)))
      (v128.store (local.get $dst)
        (if (result v128) (i32.eqz (local.get $f)) (then (call $exp2_go (local.get $v)))
          (else (if (result v128) (i32.eq (local.get $f) (i32.const 1)) (then (call $tanh2_go (local.get $v)))
            (else (call $sigmoid2_go (local.get $v)))))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $l)))
  )
