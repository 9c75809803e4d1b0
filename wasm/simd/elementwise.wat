;; keraswasm_simd, part 2: the element-wise kernels of a training step.
;;
;; This file holds functions only: build.mjs splices them into gemm.wat's
;; module, so they share its imported memory (env.mem, Go's linear memory)
;; and every pointer argument is a byte offset into it, n a count of floats.
;; Each kernel covers a whole tensor in one call from Go (tensor/simd_ew.go),
;; f32x4 over the first n &^ 3 values and a scalar loop over the rest; no
;; pointer needs to be aligned.
;;
;; Every kernel performs the Go version's float32 (or float64) operations in
;; the Go version's order, one IEEE operation per Go operator (no fused
;; multiply-add), so the results are the Go kernels' bit for bit
;; (tensor/simd_ew_test.go). Selections (relu) are bitwise masks, so a NaN
;; keeps its payload as Go's copy does; arithmetic on a NaN may give another
;; NaN payload, which no test or user can tell from Go's.

  ;; relu sets dst[i] = x[i] where x[i] > 0 or x[i] is NaN, else +0
  ;; (tensor.Relu). dst may be x.
  (func $relu (export "relu") (param $dst i32) (param $x i32) (param $n i32)
    (local $end i32) (local $vend i32) (local $v v128) (local $f f32)
    (local.set $end (i32.add (local.get $x) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $x) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $x) (local.get $vend)))
      (local.set $v (v128.load (local.get $x)))
      (v128.store (local.get $dst) (v128.and (local.get $v)
        (v128.or (f32x4.gt (local.get $v) (v128.const f32x4 0 0 0 0)) (f32x4.ne (local.get $v) (local.get $v)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $x) (local.get $end)))
      (local.set $f (f32.load (local.get $x)))
      (f32.store (local.get $dst) (select (local.get $f) (f32.const 0)
        (i32.or (f32.gt (local.get $f) (f32.const 0)) (f32.ne (local.get $f) (local.get $f)))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $sl)))
  )

  ;; relu_grad sets dst[i] = dy[i] where y[i] > 0, else +0 (tensor.ReluGrad):
  ;; relu's backward from its input or its output. dst may be dy.
  (func $relu_grad (export "relu_grad") (param $dst i32) (param $y i32) (param $dy i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $y) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $y) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $y) (local.get $vend)))
      (v128.store (local.get $dst) (v128.and (v128.load (local.get $dy))
        (f32x4.gt (v128.load (local.get $y)) (v128.const f32x4 0 0 0 0))))
      (local.set $y (i32.add (local.get $y) (i32.const 16)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $y) (local.get $end)))
      (f32.store (local.get $dst) (select (f32.load (local.get $dy)) (f32.const 0)
        (f32.gt (f32.load (local.get $y)) (f32.const 0))))
      (local.set $y (i32.add (local.get $y) (i32.const 4)))
      (local.set $dy (i32.add (local.get $dy) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $sl)))
  )

  ;; add_rows adds the row b (c floats) to each of the rows rows of y
  ;; (rows, c): y[r·c + j] += b[j] (tensor.AddRowVector).
  (func $add_rows (export "add_rows") (param $y i32) (param $b i32) (param $rows i32) (param $c i32)
    (local $r i32) (local $j i32) (local $vc i32)
    (local.set $vc (i32.and (local.get $c) (i32.const -4)))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $vd (loop $vl
        (br_if $vd (i32.ge_s (local.get $j) (local.get $vc)))
        (v128.store (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2)))
          (f32x4.add (v128.load (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2))))
                     (v128.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $sd (loop $sl
        (br_if $sd (i32.ge_s (local.get $j) (local.get $c)))
        (f32.store (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2)))
          (f32.add (f32.load (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2))))
                   (f32.load (i32.add (local.get $b) (i32.shl (local.get $j) (i32.const 2))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sl)))
      (local.set $y (i32.add (local.get $y) (i32.shl (local.get $c) (i32.const 2))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
  )

  ;; sum_rows_f64 adds the column sums of the (rows, w) block of x with
  ;; leading dimension ldx (floats) into the float64s at acc, in row order:
  ;; acc[j] += f64(x[r·ldx + j]) (tensor.SumRows, tensor.SumRowsFloat64).
  (func $sum_rows_f64 (export "sum_rows_f64") (param $acc i32) (param $x i32) (param $rows i32) (param $w i32) (param $ldx i32)
    (local $r i32) (local $j i32) (local $vw i32) (local $v v128) (local $a i32) (local $p i32)
    (local.set $vw (i32.and (local.get $w) (i32.const -4)))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
      (local.set $j (i32.const 0))
      (block $vd (loop $vl
        (br_if $vd (i32.ge_s (local.get $j) (local.get $vw)))
        (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))))
        (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
        (v128.store offset=0 (local.get $a)
          (f64x2.add (v128.load offset=0 (local.get $a)) (f64x2.promote_low_f32x4 (local.get $v))))
        (v128.store offset=16 (local.get $a)
          (f64x2.add (v128.load offset=16 (local.get $a)) (f64x2.promote_low_f32x4
            (i8x16.shuffle 8 9 10 11 12 13 14 15 0 1 2 3 4 5 6 7 (local.get $v) (local.get $v)))))
        (local.set $j (i32.add (local.get $j) (i32.const 4)))
        (br $vl)))
      (block $sd (loop $sl
        (br_if $sd (i32.ge_s (local.get $j) (local.get $w)))
        (local.set $a (i32.add (local.get $acc) (i32.shl (local.get $j) (i32.const 3))))
        (f64.store (local.get $a) (f64.add (f64.load (local.get $a))
          (f64.promote_f32 (f32.load (i32.add (local.get $x) (i32.shl (local.get $j) (i32.const 2)))))))
        (local.set $j (i32.add (local.get $j) (i32.const 1)))
        (br $sl)))
      (local.set $x (i32.add (local.get $x) (i32.shl (local.get $ldx) (i32.const 2))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
  )

  ;; first_nonfinite returns the index of the first x[i] with x[i] − x[i] ≠ 0
  ;; (NaN or ±Inf) among n, or −1 (tensor.FirstNonFinite).
  (func $first_nonfinite (export "first_nonfinite") (param $x i32) (param $n i32) (result i32)
    (local $i i32) (local $vn i32) (local $v v128) (local $f f32)
    (local.set $vn (i32.and (local.get $n) (i32.const -4)))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_s (local.get $i) (local.get $vn)))
      (local.set $v (v128.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (br_if $vd (v128.any_true (f32x4.ne (f32x4.sub (local.get $v) (local.get $v)) (v128.const f32x4 0 0 0 0))))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_s (local.get $i) (local.get $n)))
      (local.set $f (f32.load (i32.add (local.get $x) (i32.shl (local.get $i) (i32.const 2)))))
      (if (f32.ne (f32.sub (local.get $f) (local.get $f)) (f32.const 0)) (then (return (local.get $i))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sl)))
    (i32.const -1)
  )

  ;; im2col_inside writes rows im2col rows (run·KH floats each) into dst for
  ;; the output positions from (n, oh, ow) on, in row order, when every
  ;; window lies inside the image and the width is not dilated
  ;; (tensor.Im2ColRows's fast path): row (n, oh, ow), window row kh is the
  ;; run of floats of x from n·img + oh·shs + kh·dhs + ow·sws (strides in
  ;; floats). col2im_inside is its adjoint: it adds each row's runs back into
  ;; dx at the same places, row by row in the same order (tensor.Col2ImRows).
  (func $im2col_inside (export "im2col_inside")
      (param $dst i32) (param $x i32) (param $rows i32) (param $n i32) (param $oh i32) (param $ow i32)
      (param $OH i32) (param $OW i32) (param $KH i32) (param $run i32)
      (param $img i32) (param $shs i32) (param $dhs i32) (param $sws i32)
    (call $windows (local.get $dst) (local.get $x) (local.get $rows) (local.get $n) (local.get $oh) (local.get $ow)
      (local.get $OH) (local.get $OW) (local.get $KH) (local.get $run)
      (local.get $img) (local.get $shs) (local.get $dhs) (local.get $sws) (i32.const 0))
  )

  (func $col2im_inside (export "col2im_inside")
      (param $dx i32) (param $cols i32) (param $rows i32) (param $n i32) (param $oh i32) (param $ow i32)
      (param $OH i32) (param $OW i32) (param $KH i32) (param $run i32)
      (param $img i32) (param $shs i32) (param $dhs i32) (param $sws i32)
    (call $windows (local.get $cols) (local.get $dx) (local.get $rows) (local.get $n) (local.get $oh) (local.get $ow)
      (local.get $OH) (local.get $OW) (local.get $KH) (local.get $run)
      (local.get $img) (local.get $shs) (local.get $dhs) (local.get $sws) (i32.const 1))
  )

  ;; windows walks the im2col rows: with add 0 it copies each image run to
  ;; its place in the rows at $m, with add 1 it adds each run of the rows at
  ;; $m into the image.
  (func $windows
      (param $m i32) (param $x i32) (param $rows i32) (param $n i32) (param $oh i32) (param $ow i32)
      (param $OH i32) (param $OW i32) (param $KH i32) (param $run i32)
      (param $img i32) (param $shs i32) (param $dhs i32) (param $sws i32) (param $add i32)
    (local $r i32) (local $kh i32) (local $src i32) (local $p i32) (local $q i32) (local $end i32) (local $vend i32)
    (local $runb i32)
    (local.set $runb (i32.shl (local.get $run) (i32.const 2)))
    (block $rd (loop $rl
      (br_if $rd (i32.ge_s (local.get $r) (local.get $rows)))
      ;; byte offset of window row 0 in the image
      (local.set $src (i32.add (local.get $x) (i32.shl (i32.add (i32.add
        (i32.mul (local.get $n) (local.get $img)) (i32.mul (local.get $oh) (local.get $shs)))
        (i32.mul (local.get $ow) (local.get $sws))) (i32.const 2))))
      (local.set $kh (i32.const 0))
      (block $kd (loop $kl
        (br_if $kd (i32.ge_s (local.get $kh) (local.get $KH)))
        (local.set $p (local.get $src)) ;; image side
        (local.set $q (local.get $m))   ;; rows side
        (local.set $end (i32.add (local.get $q) (local.get $runb)))
        (local.set $vend (i32.add (local.get $q) (i32.and (local.get $runb) (i32.const -16))))
        (if (local.get $add)
          (then
            (block $vd (loop $vl
              (br_if $vd (i32.ge_u (local.get $q) (local.get $vend)))
              (v128.store (local.get $p) (f32x4.add (v128.load (local.get $p)) (v128.load (local.get $q))))
              (local.set $p (i32.add (local.get $p) (i32.const 16)))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (br $vl)))
            (block $sd (loop $sl
              (br_if $sd (i32.ge_u (local.get $q) (local.get $end)))
              (f32.store (local.get $p) (f32.add (f32.load (local.get $p)) (f32.load (local.get $q))))
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (local.set $q (i32.add (local.get $q) (i32.const 4)))
              (br $sl))))
          (else
            (block $vd (loop $vl
              (br_if $vd (i32.ge_u (local.get $q) (local.get $vend)))
              (v128.store (local.get $q) (v128.load (local.get $p)))
              (local.set $p (i32.add (local.get $p) (i32.const 16)))
              (local.set $q (i32.add (local.get $q) (i32.const 16)))
              (br $vl)))
            (block $sd (loop $sl
              (br_if $sd (i32.ge_u (local.get $q) (local.get $end)))
              (i32.store (local.get $q) (i32.load (local.get $p)))
              (local.set $p (i32.add (local.get $p) (i32.const 4)))
              (local.set $q (i32.add (local.get $q) (i32.const 4)))
              (br $sl)))))
        (local.set $m (local.get $end))
        (local.set $src (i32.add (local.get $src) (i32.shl (local.get $dhs) (i32.const 2))))
        (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
        (br $kl)))
      ;; next output position
      (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
      (if (i32.eq (local.get $ow) (local.get $OW)) (then
        (local.set $ow (i32.const 0))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (if (i32.eq (local.get $oh) (local.get $OH)) (then
          (local.set $oh (i32.const 0))
          (local.set $n (i32.add (local.get $n) (i32.const 1)))))))
      (local.set $r (i32.add (local.get $r) (i32.const 1)))
      (br $rl)))
  )

  ;; axpy sets dst[i] = dst[i] + alpha·x[i] (tensor.Axpy; alpha 1 is
  ;; tensor.Add's dst[i] + x[i], as x·1 is x exactly). dst may be x.
  (func $axpy (export "axpy") (param $dst i32) (param $x i32) (param $n i32) (param $alpha f32)
    (local $end i32) (local $vend i32) (local $va v128)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (local.set $va (f32x4.splat (local.get $alpha)))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $dst) (local.get $vend)))
      (v128.store (local.get $dst) (f32x4.add (v128.load (local.get $dst)) (f32x4.mul (local.get $va) (v128.load (local.get $x)))))
      (local.set $x (i32.add (local.get $x) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $dst) (local.get $end)))
      (f32.store (local.get $dst) (f32.add (f32.load (local.get $dst)) (f32.mul (local.get $alpha) (f32.load (local.get $x)))))
      (local.set $x (i32.add (local.get $x) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $sl)))
  )

  ;; mul_to sets dst[i] = s[i]·t[i] (tensor.MulTo: dropout's mask and its
  ;; gradient). dst may be s or t.
  (func $mul_to (export "mul_to") (param $dst i32) (param $s i32) (param $t i32) (param $n i32)
    (local $end i32) (local $vend i32)
    (local.set $end (i32.add (local.get $dst) (i32.shl (local.get $n) (i32.const 2))))
    (local.set $vend (i32.add (local.get $dst) (i32.shl (i32.and (local.get $n) (i32.const -4)) (i32.const 2))))
    (block $vd (loop $vl
      (br_if $vd (i32.ge_u (local.get $dst) (local.get $vend)))
      (v128.store (local.get $dst) (f32x4.mul (v128.load (local.get $s)) (v128.load (local.get $t))))
      (local.set $s (i32.add (local.get $s) (i32.const 16)))
      (local.set $t (i32.add (local.get $t) (i32.const 16)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 16)))
      (br $vl)))
    (block $sd (loop $sl
      (br_if $sd (i32.ge_u (local.get $dst) (local.get $end)))
      (f32.store (local.get $dst) (f32.mul (f32.load (local.get $s)) (f32.load (local.get $t))))
      (local.set $s (i32.add (local.get $s) (i32.const 4)))
      (local.set $t (i32.add (local.get $t) (i32.const 4)))
      (local.set $dst (i32.add (local.get $dst) (i32.const 4)))
      (br $sl)))
  )

  ;; maxpool writes the maximum of each window of x (N, H, W, C) into y
  ;; (N, OH, OW, C) and the flat index of the element chosen into argmax:
  ;; the first maximum in (kh, kw) order (a later tap replaces a channel
  ;; only when strictly greater, a bitwise select), padding never wins, and
  ;; a window with no tap in the image gives 0 and -1 (tensor.MaxPool).
  ;; geom points at 15 i32s: N H W C OH OW KH KW SH SW DH DW PT PL, then 0.
  (func $maxpool (export "maxpool") (param $y i32) (param $am i32) (param $x i32) (param $geom i32)
    (local $N i32) (local $H i32) (local $W i32) (local $C i32) (local $OH i32) (local $OW i32)
    (local $KH i32) (local $KW i32) (local $SH i32) (local $SW i32) (local $DH i32) (local $DW i32)
    (local $PT i32) (local $PL i32)
    (local $n i32) (local $oh i32) (local $ow i32) (local $kh i32) (local $kw i32)
    (local $khLo i32) (local $khHi i32) (local $kwLo i32) (local $kwHi i32)
    (local $base i32) (local $j i32) (local $vc i32) (local $first i32)
    (local $xp i32) (local $yp i32) (local $ap i32) (local $vx v128) (local $vy v128) (local $m v128) (local $f f32)
    (local.set $N (i32.load offset=0 (local.get $geom)))
    (local.set $H (i32.load offset=4 (local.get $geom)))
    (local.set $W (i32.load offset=8 (local.get $geom)))
    (local.set $C (i32.load offset=12 (local.get $geom)))
    (local.set $OH (i32.load offset=16 (local.get $geom)))
    (local.set $OW (i32.load offset=20 (local.get $geom)))
    (local.set $KH (i32.load offset=24 (local.get $geom)))
    (local.set $KW (i32.load offset=28 (local.get $geom)))
    (local.set $SH (i32.load offset=32 (local.get $geom)))
    (local.set $SW (i32.load offset=36 (local.get $geom)))
    (local.set $DH (i32.load offset=40 (local.get $geom)))
    (local.set $DW (i32.load offset=44 (local.get $geom)))
    (local.set $PT (i32.load offset=48 (local.get $geom)))
    (local.set $PL (i32.load offset=52 (local.get $geom)))
    (local.set $vc (i32.and (local.get $C) (i32.const -4)))
    (block $nd (loop $nl
      (br_if $nd (i32.ge_s (local.get $n) (local.get $N)))
      (local.set $oh (i32.const 0))
      (block $hd (loop $hl
        (br_if $hd (i32.ge_s (local.get $oh) (local.get $OH)))
        (local.set $khLo (call $taps_lo (local.get $oh) (local.get $SH) (local.get $DH) (local.get $PT) (local.get $KH) (local.get $H)))
        (local.set $khHi (call $taps_hi (local.get $oh) (local.get $SH) (local.get $DH) (local.get $PT) (local.get $KH) (local.get $H)))
        (local.set $ow (i32.const 0))
        (block $wd (loop $wl
          (br_if $wd (i32.ge_s (local.get $ow) (local.get $OW)))
          (local.set $kwLo (call $taps_lo (local.get $ow) (local.get $SW) (local.get $DW) (local.get $PL) (local.get $KW) (local.get $W)))
          (local.set $kwHi (call $taps_hi (local.get $ow) (local.get $SW) (local.get $DW) (local.get $PL) (local.get $KW) (local.get $W)))
          (local.set $first (i32.const 1))
          (local.set $kh (local.get $khLo))
          (block $khd (loop $khl
            (br_if $khd (i32.ge_s (local.get $kh) (local.get $khHi)))
            (local.set $kw (local.get $kwLo))
            (block $kwd (loop $kwl
              (br_if $kwd (i32.ge_s (local.get $kw) (local.get $kwHi)))
              ;; base = ((n·H + ih)·W + iw)·C, the flat index of the tap's channel 0
              (local.set $base (i32.mul (i32.add (i32.mul (i32.add (i32.mul (local.get $n) (local.get $H))
                (i32.sub (i32.add (i32.mul (local.get $oh) (local.get $SH)) (i32.mul (local.get $kh) (local.get $DH))) (local.get $PT)))
                (local.get $W))
                (i32.sub (i32.add (i32.mul (local.get $ow) (local.get $SW)) (i32.mul (local.get $kw) (local.get $DW))) (local.get $PL)))
                (local.get $C)))
              (local.set $xp (i32.add (local.get $x) (i32.shl (local.get $base) (i32.const 2))))
              (local.set $yp (local.get $y))
              (local.set $ap (local.get $am))
              (local.set $j (i32.const 0))
              (block $vd (loop $vl
                (br_if $vd (i32.ge_s (local.get $j) (local.get $vc)))
                (local.set $vx (v128.load (local.get $xp)))
                (if (local.get $first)
                  (then
                    (v128.store (local.get $yp) (local.get $vx))
                    (v128.store (local.get $ap) (i32x4.add (i32x4.splat (i32.add (local.get $base) (local.get $j)))
                      (v128.const i32x4 0 1 2 3))))
                  (else
                    (local.set $vy (v128.load (local.get $yp)))
                    (local.set $m (f32x4.gt (local.get $vx) (local.get $vy)))
                    (v128.store (local.get $yp) (v128.bitselect (local.get $vx) (local.get $vy) (local.get $m)))
                    (v128.store (local.get $ap) (v128.bitselect
                      (i32x4.add (i32x4.splat (i32.add (local.get $base) (local.get $j))) (v128.const i32x4 0 1 2 3))
                      (v128.load (local.get $ap)) (local.get $m)))))
                (local.set $xp (i32.add (local.get $xp) (i32.const 16)))
                (local.set $yp (i32.add (local.get $yp) (i32.const 16)))
                (local.set $ap (i32.add (local.get $ap) (i32.const 16)))
                (local.set $j (i32.add (local.get $j) (i32.const 4)))
                (br $vl)))
              (block $sd (loop $sl
                (br_if $sd (i32.ge_s (local.get $j) (local.get $C)))
                (local.set $f (f32.load (local.get $xp)))
                (if (i32.or (local.get $first) (f32.gt (local.get $f) (f32.load (local.get $yp)))) (then
                  (f32.store (local.get $yp) (local.get $f))
                  (i32.store (local.get $ap) (i32.add (local.get $base) (local.get $j)))))
                (local.set $xp (i32.add (local.get $xp) (i32.const 4)))
                (local.set $yp (i32.add (local.get $yp) (i32.const 4)))
                (local.set $ap (i32.add (local.get $ap) (i32.const 4)))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $sl)))
              (local.set $first (i32.const 0))
              (local.set $kw (i32.add (local.get $kw) (i32.const 1)))
              (br $kwl)))
            (local.set $kh (i32.add (local.get $kh) (i32.const 1)))
            (br $khl)))
          (if (local.get $first) (then ;; no tap in the image
            (local.set $j (i32.const 0))
            (block $zd (loop $zl
              (br_if $zd (i32.ge_s (local.get $j) (local.get $C)))
              (f32.store (i32.add (local.get $y) (i32.shl (local.get $j) (i32.const 2))) (f32.const 0))
              (i32.store (i32.add (local.get $am) (i32.shl (local.get $j) (i32.const 2))) (i32.const -1))
              (local.set $j (i32.add (local.get $j) (i32.const 1)))
              (br $zl)))))
          (local.set $y (i32.add (local.get $y) (i32.shl (local.get $C) (i32.const 2))))
          (local.set $am (i32.add (local.get $am) (i32.shl (local.get $C) (i32.const 2))))
          (local.set $ow (i32.add (local.get $ow) (i32.const 1)))
          (br $wl)))
        (local.set $oh (i32.add (local.get $oh) (i32.const 1)))
        (br $hl)))
      (local.set $n (i32.add (local.get $n) (i32.const 1)))
      (br $nl)))
  )

  ;; taps_lo and taps_hi are tensor's taps: the window taps [lo, hi) of
  ;; output position o (stride s, dilation d, padding pad, k taps) inside an
  ;; input of n positions.
  (func $taps_hi (param $o i32) (param $s i32) (param $d i32) (param $pad i32) (param $k i32) (param $n i32) (result i32)
    (local $start i32) (local $hi i32)
    (local.set $start (i32.sub (i32.mul (local.get $o) (local.get $s)) (local.get $pad)))
    (if (i32.gt_s (local.get $start) (i32.sub (local.get $n) (i32.const 1))) (then (return (i32.const 0))))
    (local.set $hi (i32.add (i32.div_s (i32.sub (i32.sub (local.get $n) (i32.const 1)) (local.get $start)) (local.get $d)) (i32.const 1)))
    (select (local.get $k) (local.get $hi) (i32.lt_s (local.get $k) (local.get $hi)))
  )
  (func $taps_lo (param $o i32) (param $s i32) (param $d i32) (param $pad i32) (param $k i32) (param $n i32) (result i32)
    (local $start i32) (local $lo i32) (local $hi i32)
    (local.set $start (i32.sub (i32.mul (local.get $o) (local.get $s)) (local.get $pad)))
    (if (i32.gt_s (local.get $start) (i32.sub (local.get $n) (i32.const 1))) (then (return (i32.const 0))))
    (if (i32.lt_s (local.get $start) (i32.const 0)) (then
      (local.set $lo (i32.div_s (i32.sub (i32.add (i32.sub (i32.const 0) (local.get $start)) (local.get $d)) (i32.const 1)) (local.get $d)))))
    (local.set $hi (call $taps_hi (local.get $o) (local.get $s) (local.get $d) (local.get $pad) (local.get $k) (local.get $n)))
    (select (local.get $lo) (local.get $hi) (i32.lt_s (local.get $lo) (local.get $hi)))
  )
