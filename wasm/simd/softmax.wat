;; keraswasm_simd, part 4: softmax over rows.
;;
;; Functions only, spliced into gemm.wat's module by build.mjs. Softmax
;; works in float64 with Go's math.Exp, which Go's wasm build runs as plain
;; Go (math/exp.go: a reduction by k·ln 2, a degree-5 polynomial, Ldexp) at
;; tens of ns a call; $exp_go is that algorithm, operation for operation,
;; with Go's constants as hex literals, so it returns math.Exp's bits for
;; every input (Ldexp's result is the correctly rounded y·2^k, formed here
;; with one rounding as Ldexp does). softmax_rows is nn's softmax loop over
;; rows of n (tensor.SoftmaxRows).

  ;; exp_go returns math.Exp(x) (Go 1.21+ math/exp.go, the pure-Go path).
  (func $exp_go (param $x f64) (result f64)
    (local $k i32) (local $kf f64) (local $hi f64) (local $lo f64) (local $r f64) (local $t f64) (local $c f64) (local $y f64)
    (if (f64.ne (local.get $x) (local.get $x)) (then (return (local.get $x))))
    (if (f64.gt (local.get $x) (f64.const 0x1.62e42fefa39efp+09)) (then (return (f64.const inf))))
    (if (f64.lt (local.get $x) (f64.const -0x1.74910d52d3051p+09)) (then (return (f64.const 0))))
    (if (i32.and (f64.lt (f64.const -0x1p-28) (local.get $x)) (f64.lt (local.get $x) (f64.const 0x1p-28)))
      (then (return (f64.add (f64.const 1) (local.get $x)))))
    (if (f64.lt (local.get $x) (f64.const 0))
      (then (local.set $k (i32.trunc_f64_s (f64.sub (f64.mul (f64.const 0x1.71547652b82fep+00) (local.get $x)) (f64.const 0.5))))))
    (if (f64.gt (local.get $x) (f64.const 0))
      (then (local.set $k (i32.trunc_f64_s (f64.add (f64.mul (f64.const 0x1.71547652b82fep+00) (local.get $x)) (f64.const 0.5))))))
    (local.set $kf (f64.convert_i32_s (local.get $k)))
    (local.set $hi (f64.sub (local.get $x) (f64.mul (local.get $kf) (f64.const 0x1.62e42feep-01))))
    (local.set $lo (f64.mul (local.get $kf) (f64.const 0x1.a39ef35793c76p-33)))
    ;; expmulti
    (local.set $r (f64.sub (local.get $hi) (local.get $lo)))
    (local.set $t (f64.mul (local.get $r) (local.get $r)))
    (local.set $c (f64.sub (local.get $r) (f64.mul (local.get $t)
      (f64.add (f64.const 0x1.5555555555555p-03) (f64.mul (local.get $t)
      (f64.add (f64.const -0x1.6c16c16bebd93p-09) (f64.mul (local.get $t)
      (f64.add (f64.const 0x1.1566aaf25de2cp-14) (f64.mul (local.get $t)
      (f64.add (f64.const -0x1.bbd41c5d26bf1p-20) (f64.mul (local.get $t) (f64.const 0x1.6376972bea4dp-25))))))))))))
    (local.set $y (f64.sub (f64.const 1) (f64.sub (f64.sub (local.get $lo)
      (f64.div (f64.mul (local.get $r) (local.get $c)) (f64.sub (f64.const 2) (local.get $c)))) (local.get $hi))))
    ;; Ldexp(y, k), y in [0.5, 2): k in [-1075, 1024] here. One rounding:
    ;; y·2^k directly, or through 2^(k+53)·2^-53 below the normal range and
    ;; 2^(k-1)·2 above it (each first product exact), as Ldexp does.
    (if (i32.lt_s (local.get $k) (i32.const -1022)) (then
      (return (f64.mul (f64.mul (local.get $y) (call $pow2 (i32.add (local.get $k) (i32.const 53)))) (f64.const 0x1p-53)))))
    (if (i32.gt_s (local.get $k) (i32.const 1023)) (then
      (return (f64.mul (f64.mul (local.get $y) (call $pow2 (i32.sub (local.get $k) (i32.const 1)))) (f64.const 2)))))
    (f64.mul (local.get $y) (call $pow2 (local.get $k)))
  )

  ;; pow2 returns 2^k for k in [-1022, 1023].
  (func $pow2 (param $k i32) (result f64)
    (f64.reinterpret_i64 (i64.shl (i64.extend_i32_s (i32.add (local.get $k) (i32.const 1023))) (i64.const 52)))
  )

  ;; softmax_rows writes into y the softmax of each of the rows rows of n
  ;; floats of x (y may be x), as nn's softmax does it: m the row's float32
  ;; maximum (the first, NaN never replacing it), e_k = exp(f64(x_k) − f64(m))
  ;; stored as float32, s = Σ e_k in k order in float64, then
  ;; y_k = float32(f64(y_k)·(1/s)).
  (func $softmax_rows (export "softmax_rows") (param $y i32) (param $x i32) (param $rows i32) (param $n i32)
    (local $r i32) (local $k i32) (local $m f32) (local $v f32) (local $mf f64) (local $e f64) (local $s f64) (local $inv f64)
    (local $nb i32)
    (local.set $nb (i32.shl (local.get $n) (i32.const 2)))
    (if (i32.eqz (local.get $n)) (then (return)))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $m (f32.load (local.get $x)))
      (local.set $k (i32.const 1))
      (block $md (loop $ml
        (br_if $md (i32.ge_s (local.get $k) (local.get $n)))
        (local.set $v (f32.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2)))))
        (if (f32.gt (local.get $v) (local.get $m)) (then (local.set $m (local.get $v))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $ml)))
      (local.set $mf (f64.promote_f32 (local.get $m)))
      (local.set $s (f64.const 0))
      (local.set $k (i32.const 0))
      (block $ed (loop $el
        (br_if $ed (i32.ge_s (local.get $k) (local.get $n)))
        (local.set $e (call $exp_go (f64.sub
          (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $k) (i32.const 2))))) (local.get $mf))))
        (f32.store (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 2))) (f32.demote_f64 (local.get $e)))
        (local.set $s (f64.add (local.get $s) (local.get $e)))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $el)))
      (local.set $inv (f64.div (f64.const 1) (local.get $s)))
      (local.set $k (i32.const 0))
      (block $sd (loop $sl
        (br_if $sd (i32.ge_s (local.get $k) (local.get $n)))
        (f32.store (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 2)))
          (f32.demote_f64 (f64.mul (f64.promote_f32 (f32.load (i32.add (local.get $y) (i32.shl (local.get $k) (i32.const 2)))))
            (local.get $inv))))
        (local.set $k (i32.add (local.get $k) (i32.const 1)))
        (br $sl)))
      (local.set $x (i32.add (local.get $x) (local.get $nb)))
      (local.set $y (i32.add (local.get $y) (local.get $nb)))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
  )

  ;; exp_f64 sets dst[i] = math.Exp(x[i]) over n float64s (for the tests of $exp_go).
  (func $exp_f64 (export "exp_f64") (param $dst i32) (param $x i32) (param $n i32)
    (local $i i32)
    (block $d (loop $l
      (br_if $d (i32.ge_s (local.get $i) (local.get $n)))
      (f64.store (i32.add (local.get $dst) (i32.shl (local.get $i) (i32.const 3)))
        (call $exp_go (f64.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 3))))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $l)))
  )
