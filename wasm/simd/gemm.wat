;; keraswasm_simd: the WebAssembly SIMD (f32x4) kernels of tensor.Gemm.
;;
;; Go's wasm target has no SIMD, so the packing and the inner loops of the
;; packed product run here: pack_a and pack_b copy blocks of op(A) and op(B)
;; into panels, gemm_macro multiplies them. The module has no memory of its
;; own: it imports the Go instance's linear memory (exported by Go as "mem",
;; handed in as env.mem), and every pointer argument is a byte offset into it. The Go side (tensor/gemm_simd.go)
;; blocks the product as for its own kernel, with a 4×8 micro-tile (gemmMR =
;; 4, gemmNR = 8), and calls each function once per block, so one crossing
;; from Go (about 70 ns through the host's JS trampoline) covers up to
;; 128×1024×512 multiply-adds.
;;
;; Layouts (float32, byte offsets):
;;   ap: the packed (mc, kc) block of op(A) as 4-row panels; panel r starts at
;;       ap + 4·r·4·kc and holds, for each depth p, the 4 values
;;       op(A)[4r+i, p] (i = 0..3); rows past mc are zero.
;;   bp: the packed (kc, nc) block of op(B) as 8-column panels; panel s starts
;;       at bp + 4·s·8·kc and holds, for each depth p, the 8 values
;;       op(B)[p, 8s+j]; columns past nc are zero.
;;   c:  the (mc, nc) block of C, row-major with leading dimension ldc (in
;;       floats), C = alpha·(A·B) + beta·C; when beta is 0, C is only written.
;;   t:  32 floats of scratch for tiles cut by the edge of C.
;;
;; Choice of tile (measured under Node 20 / V8 with a generator over tiles
;; and unrolls, best of 40 runs, 128×128×256 blocks): 4×8 with the k loop not
;; unrolled ran at ~42 GFLOP/s; 6×8 ~30, 4×12 ~27, 2×16 ~30, 8×8 ~22, and
;; unrolling the k loop twice made 4×8 slower (~22): V8 keeps the 8
;; accumulators, 2 B vectors and the broadcast A value (11 of the 16 xmm
;; registers) without spilling only in the small loop.
;;
;; Every product is a separate f32x4.mul then f32x4.add (no fused or relaxed
;; multiply-add), and each C element sums its k products in k order, so the
;; result is the same on every engine and equals the Go kernel's float32 sum.
(module
  (import "env" "mem" (memory 0))

  (func $gemm_macro (export "gemm_macro")
      (param $mc i32) (param $nc i32) (param $kc i32) (param $alpha f32)
      (param $ap i32) (param $bp i32) (param $beta f32) (param $c i32) (param $ldc i32)
      (param $t i32)
    (local $jr i32) (local $ir i32) (local $nr i32) (local $mr i32)
    (local $bpan i32) (local $pa i32) (local $pb i32) (local $aend i32)
    (local $cp i32) (local $ldcb i32) (local $i i32) (local $j i32) (local $x f32)
    (local $valpha v128) (local $vbeta v128)
    (local $a v128) (local $b0 v128) (local $b1 v128)
    ;; the 4×8 tile: row i, columns 0..3 in $ci0 and 4..7 in $ci1
    (local $c00 v128) (local $c01 v128) (local $c10 v128) (local $c11 v128)
    (local $c20 v128) (local $c21 v128) (local $c30 v128) (local $c31 v128)

    (local.set $valpha (f32x4.splat (local.get $alpha)))
    (local.set $vbeta (f32x4.splat (local.get $beta)))
    (local.set $ldcb (i32.shl (local.get $ldc) (i32.const 2)))

    ;; for jr := 0; jr < nc; jr += 8: one 8-column B panel (8·kc floats, in L1)
    (block $jdone (loop $jloop
      (br_if $jdone (i32.ge_s (local.get $jr) (local.get $nc)))
      (local.set $nr (i32.sub (local.get $nc) (local.get $jr)))
      (if (i32.gt_s (local.get $nr) (i32.const 8)) (then (local.set $nr (i32.const 8))))
      (local.set $bpan (i32.add (local.get $bp)
        (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2))))

      ;; for ir := 0; ir < mc; ir += 4: one 4-row A panel against it
      (local.set $ir (i32.const 0))
      (block $idone (loop $iloop
        (br_if $idone (i32.ge_s (local.get $ir) (local.get $mc)))
        (local.set $mr (i32.sub (local.get $mc) (local.get $ir)))
        (if (i32.gt_s (local.get $mr) (i32.const 4)) (then (local.set $mr (i32.const 4))))
        (local.set $pa (i32.add (local.get $ap)
          (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2))))
        (local.set $aend (i32.add (local.get $pa) (i32.shl (local.get $kc) (i32.const 4))))
        (local.set $pb (local.get $bpan))
        (local.set $c00 (v128.const i32x4 0 0 0 0)) (local.set $c01 (v128.const i32x4 0 0 0 0))
        (local.set $c10 (v128.const i32x4 0 0 0 0)) (local.set $c11 (v128.const i32x4 0 0 0 0))
        (local.set $c20 (v128.const i32x4 0 0 0 0)) (local.set $c21 (v128.const i32x4 0 0 0 0))
        (local.set $c30 (v128.const i32x4 0 0 0 0)) (local.set $c31 (v128.const i32x4 0 0 0 0))

        ;; for p := 0; p < kc; p++ (kc >= 1): tile += A[:, p] ⊗ B[p, :]
        (loop $kloop
          (local.set $b0 (v128.load offset=0 (local.get $pb)))
          (local.set $b1 (v128.load offset=16 (local.get $pb)))
          (local.set $a (v128.load32_splat offset=0 (local.get $pa)))
          (local.set $c00 (f32x4.add (local.get $c00) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c01 (f32x4.add (local.get $c01) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=4 (local.get $pa)))
          (local.set $c10 (f32x4.add (local.get $c10) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c11 (f32x4.add (local.get $c11) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=8 (local.get $pa)))
          (local.set $c20 (f32x4.add (local.get $c20) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c21 (f32x4.add (local.get $c21) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $a (v128.load32_splat offset=12 (local.get $pa)))
          (local.set $c30 (f32x4.add (local.get $c30) (f32x4.mul (local.get $a) (local.get $b0))))
          (local.set $c31 (f32x4.add (local.get $c31) (f32x4.mul (local.get $a) (local.get $b1))))
          (local.set $pa (i32.add (local.get $pa) (i32.const 16)))
          (local.set $pb (i32.add (local.get $pb) (i32.const 32)))
          (br_if $kloop (i32.lt_u (local.get $pa) (local.get $aend))))

        (local.set $cp (i32.add (local.get $c)
          (i32.shl (i32.add (i32.mul (local.get $ir) (local.get $ldc)) (local.get $jr)) (i32.const 2))))
        (if (i32.and (i32.eq (local.get $mr) (i32.const 4)) (i32.eq (local.get $nr) (i32.const 8)))
          (then
            (if (f32.eq (local.get $beta) (f32.const 0))
              (then ;; C = alpha·tile, C not read
                (v128.store offset=0 (local.get $cp) (f32x4.mul (local.get $valpha) (local.get $c00)))
                (v128.store offset=16 (local.get $cp) (f32x4.mul (local.get $valpha) (local.get $c01)))
                (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
                (v128.store offset=0 (local.get $cp) (f32x4.mul (local.get $valpha) (local.get $c10)))
                (v128.store offset=16 (local.get $cp) (f32x4.mul (local.get $valpha) (local.get $c11)))
                (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
                (v128.store offset=0 (local.get $cp) (f32x4.mul (local.get $valpha) (local.get $c20)))
                (v128.store offset=16 (local.get $cp) (f32x4.mul (local.get $valpha) (local.get $c21)))
                (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
                (v128.store offset=0 (local.get $cp) (f32x4.mul (local.get $valpha) (local.get $c30)))
                (v128.store offset=16 (local.get $cp) (f32x4.mul (local.get $valpha) (local.get $c31))))
              (else ;; C = alpha·tile + beta·C
                (call $axpby (local.get $cp) (local.get $valpha) (local.get $c00) (local.get $vbeta))
                (call $axpby (i32.add (local.get $cp) (i32.const 16)) (local.get $valpha) (local.get $c01) (local.get $vbeta))
                (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
                (call $axpby (local.get $cp) (local.get $valpha) (local.get $c10) (local.get $vbeta))
                (call $axpby (i32.add (local.get $cp) (i32.const 16)) (local.get $valpha) (local.get $c11) (local.get $vbeta))
                (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
                (call $axpby (local.get $cp) (local.get $valpha) (local.get $c20) (local.get $vbeta))
                (call $axpby (i32.add (local.get $cp) (i32.const 16)) (local.get $valpha) (local.get $c21) (local.get $vbeta))
                (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
                (call $axpby (local.get $cp) (local.get $valpha) (local.get $c30) (local.get $vbeta))
                (call $axpby (i32.add (local.get $cp) (i32.const 16)) (local.get $valpha) (local.get $c31) (local.get $vbeta)))))
          (else ;; a tile cut by the edge of C: through the scratch t, element by element
            (v128.store offset=0 (local.get $t) (local.get $c00))
            (v128.store offset=16 (local.get $t) (local.get $c01))
            (v128.store offset=32 (local.get $t) (local.get $c10))
            (v128.store offset=48 (local.get $t) (local.get $c11))
            (v128.store offset=64 (local.get $t) (local.get $c20))
            (v128.store offset=80 (local.get $t) (local.get $c21))
            (v128.store offset=96 (local.get $t) (local.get $c30))
            (v128.store offset=112 (local.get $t) (local.get $c31))
            (local.set $i (i32.const 0))
            (block $edone (loop $eloop
              (br_if $edone (i32.ge_s (local.get $i) (local.get $mr)))
              (local.set $j (i32.const 0))
              (block $fdone (loop $floop
                (br_if $fdone (i32.ge_s (local.get $j) (local.get $nr)))
                (local.set $x (f32.mul (local.get $alpha) (f32.load (i32.add (local.get $t)
                  (i32.shl (i32.add (i32.shl (local.get $i) (i32.const 3)) (local.get $j)) (i32.const 2))))))
                (if (f32.ne (local.get $beta) (f32.const 0))
                  (then (local.set $x (f32.add (local.get $x) (f32.mul (local.get $beta)
                    (f32.load (i32.add (local.get $cp) (i32.shl (local.get $j) (i32.const 2)))))))))
                (f32.store (i32.add (local.get $cp) (i32.shl (local.get $j) (i32.const 2))) (local.get $x))
                (local.set $j (i32.add (local.get $j) (i32.const 1)))
                (br $floop)))
              (local.set $cp (i32.add (local.get $cp) (local.get $ldcb)))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br $eloop)))))

        (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
        (br $iloop)))

      (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
      (br $jloop)))
  )

  ;; pack_a copies the (mc, kc) block of op(A) whose first element (0, 0)
  ;; is at a into ap as 4-row panels (the layout above). op(A)[i, p] is at
  ;; a + 4·(i·lda + p), or a + 4·(p·lda + i) when trans is 1 (A stored
  ;; transposed). Full panels move four values per instruction: a 4×4
  ;; transpose of four rows, or one vector per depth when transposed; the
  ;; last, partial panel goes value by value and is padded with zeros.
  (func $pack_a (export "pack_a")
      (param $ap i32) (param $a i32) (param $lda i32) (param $mc i32) (param $kc i32) (param $trans i32)
    (local $ir i32) (local $src i32) (local $d i32) (local $end i32) (local $ldb i32)
    (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $ldb (i32.shl (local.get $lda) (i32.const 2)))
    (block $done (loop $panels
      (br_if $done (i32.ge_s (local.get $ir) (local.get $mc)))
      (local.set $d (i32.add (local.get $ap) (i32.shl (i32.mul (local.get $ir) (local.get $kc)) (i32.const 2))))
      (if (i32.lt_s (i32.sub (local.get $mc) (local.get $ir)) (i32.const 4))
        (then ;; partial panel
          (if (local.get $trans)
            (then (call $packScalar (local.get $d) (i32.add (local.get $a) (i32.shl (local.get $ir) (i32.const 2)))
              (i32.const 4) (local.get $ldb) (i32.const 4) (i32.sub (local.get $mc) (local.get $ir)) (local.get $kc)))
            (else (call $packScalar (local.get $d) (i32.add (local.get $a) (i32.mul (local.get $ir) (local.get $ldb)))
              (local.get $ldb) (i32.const 4) (i32.const 4) (i32.sub (local.get $mc) (local.get $ir)) (local.get $kc)))))
        (else (if (local.get $trans)
          (then ;; op(A)[ir.., p] is 4 contiguous values at a + 4·(p·lda + ir)
            (local.set $src (i32.add (local.get $a) (i32.shl (local.get $ir) (i32.const 2))))
            (local.set $end (i32.add (local.get $d) (i32.shl (local.get $kc) (i32.const 4))))
            (loop $p
              (v128.store (local.get $d) (v128.load (local.get $src)))
              (local.set $src (i32.add (local.get $src) (local.get $ldb)))
              (local.set $d (i32.add (local.get $d) (i32.const 16)))
              (br_if $p (i32.lt_u (local.get $d) (local.get $end)))))
          (else ;; four rows, interleaved four depths at a time
            (local.set $src (i32.add (local.get $a) (i32.mul (local.get $ir) (local.get $ldb))))
            (local.set $r1 (i32.add (local.get $src) (local.get $ldb)))
            (local.set $r2 (i32.add (local.get $r1) (local.get $ldb)))
            (local.set $r3 (i32.add (local.get $r2) (local.get $ldb)))
            (call $interleave4 (local.get $d) (local.get $src) (local.get $r1) (local.get $r2) (local.get $r3)
              (i32.const 16) (local.get $kc))))))
      (local.set $ir (i32.add (local.get $ir) (i32.const 4)))
      (br $panels)))
  )

  ;; pack_b copies the (kc, nc) block of op(B) whose first element (0, 0) is
  ;; at b into bp as 8-column panels (the layout above). op(B)[p, j] is at
  ;; b + 4·(p·ldb + j), or b + 4·(j·ldb + p) when trans is 1. Full panels
  ;; move two vectors per depth, or, transposed, interleave rows 0–3 and
  ;; 4–7 of the panel four depths at a time; the last, partial panel goes
  ;; value by value, padded with zeros.
  (func $pack_b (export "pack_b")
      (param $bp i32) (param $b i32) (param $ldb i32) (param $kc i32) (param $nc i32) (param $trans i32)
    (local $jr i32) (local $src i32) (local $d i32) (local $end i32) (local $ldbb i32)
    (local $r1 i32) (local $r2 i32) (local $r3 i32)
    (local.set $ldbb (i32.shl (local.get $ldb) (i32.const 2)))
    (block $done (loop $panels
      (br_if $done (i32.ge_s (local.get $jr) (local.get $nc)))
      (local.set $d (i32.add (local.get $bp) (i32.shl (i32.mul (local.get $jr) (local.get $kc)) (i32.const 2))))
      (if (i32.lt_s (i32.sub (local.get $nc) (local.get $jr)) (i32.const 8))
        (then ;; partial panel
          (if (local.get $trans)
            (then (call $packScalar (local.get $d) (i32.add (local.get $b) (i32.mul (local.get $jr) (local.get $ldbb)))
              (local.get $ldbb) (i32.const 4) (i32.const 8) (i32.sub (local.get $nc) (local.get $jr)) (local.get $kc)))
            (else (call $packScalar (local.get $d) (i32.add (local.get $b) (i32.shl (local.get $jr) (i32.const 2)))
              (i32.const 4) (local.get $ldbb) (i32.const 8) (i32.sub (local.get $nc) (local.get $jr)) (local.get $kc)))))
        (else (if (local.get $trans)
          (then ;; rows jr..jr+7 of B, each contiguous in p
            (local.set $src (i32.add (local.get $b) (i32.mul (local.get $jr) (local.get $ldbb))))
            (local.set $r1 (i32.add (local.get $src) (local.get $ldbb)))
            (local.set $r2 (i32.add (local.get $r1) (local.get $ldbb)))
            (local.set $r3 (i32.add (local.get $r2) (local.get $ldbb)))
            (call $interleave4 (local.get $d) (local.get $src) (local.get $r1) (local.get $r2) (local.get $r3)
              (i32.const 32) (local.get $kc))
            (local.set $src (i32.add (local.get $r3) (local.get $ldbb)))
            (local.set $r1 (i32.add (local.get $src) (local.get $ldbb)))
            (local.set $r2 (i32.add (local.get $r1) (local.get $ldbb)))
            (local.set $r3 (i32.add (local.get $r2) (local.get $ldbb)))
            (call $interleave4 (i32.add (local.get $d) (i32.const 16)) (local.get $src) (local.get $r1) (local.get $r2) (local.get $r3)
              (i32.const 32) (local.get $kc)))
          (else ;; op(B)[p, jr..jr+7] is 8 contiguous values
            (local.set $src (i32.add (local.get $b) (i32.shl (local.get $jr) (i32.const 2))))
            (local.set $end (i32.add (local.get $d) (i32.shl (local.get $kc) (i32.const 5))))
            (loop $p
              (v128.store offset=0 (local.get $d) (v128.load offset=0 (local.get $src)))
              (v128.store offset=16 (local.get $d) (v128.load offset=16 (local.get $src)))
              (local.set $src (i32.add (local.get $src) (local.get $ldbb)))
              (local.set $d (i32.add (local.get $d) (i32.const 32)))
              (br_if $p (i32.lt_u (local.get $d) (local.get $end))))))))
      (local.set $jr (i32.add (local.get $jr) (i32.const 8)))
      (br $panels)))
  )

  ;; interleave4 writes, for each depth p < kc, the p-th values of the four
  ;; rows r0..r3 (contiguous in p) as one vector at d + p·step: a 4×4
  ;; transpose per four depths, then the leftover depths one by one.
  (func $interleave4 (param $d i32) (param $r0 i32) (param $r1 i32) (param $r2 i32) (param $r3 i32)
      (param $step i32) (param $kc i32)
    (local $p i32) (local $k4 i32) (local $off i32)
    (local $v0 v128) (local $v1 v128) (local $v2 v128) (local $v3 v128) (local $t0 v128) (local $t1 v128)
    (local.set $k4 (i32.and (local.get $kc) (i32.const -4)))
    (block $done4 (loop $quad
      (br_if $done4 (i32.ge_s (local.get $p) (local.get $k4)))
      (local.set $off (i32.shl (local.get $p) (i32.const 2)))
      (local.set $v0 (v128.load (i32.add (local.get $r0) (local.get $off))))
      (local.set $v1 (v128.load (i32.add (local.get $r1) (local.get $off))))
      (local.set $v2 (v128.load (i32.add (local.get $r2) (local.get $off))))
      (local.set $v3 (v128.load (i32.add (local.get $r3) (local.get $off))))
      ;; t0 = [r0p r1p r0p+1 r1p+1], v0 = [r0p+2 r1p+2 r0p+3 r1p+3]; t1, v1 the same for r2, r3
      (local.set $t0 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v0) (local.get $v1)))
      (local.set $v0 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v0) (local.get $v1)))
      (local.set $t1 (i8x16.shuffle 0 1 2 3 16 17 18 19 4 5 6 7 20 21 22 23 (local.get $v2) (local.get $v3)))
      (local.set $v1 (i8x16.shuffle 8 9 10 11 24 25 26 27 12 13 14 15 28 29 30 31 (local.get $v2) (local.get $v3)))
      (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $t0) (local.get $t1)))
      (local.set $d (i32.add (local.get $d) (local.get $step)))
      (v128.store (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $t0) (local.get $t1)))
      (local.set $d (i32.add (local.get $d) (local.get $step)))
      (v128.store (local.get $d) (i8x16.shuffle 0 1 2 3 4 5 6 7 16 17 18 19 20 21 22 23 (local.get $v0) (local.get $v1)))
      (local.set $d (i32.add (local.get $d) (local.get $step)))
      (v128.store (local.get $d) (i8x16.shuffle 8 9 10 11 12 13 14 15 24 25 26 27 28 29 30 31 (local.get $v0) (local.get $v1)))
      (local.set $d (i32.add (local.get $d) (local.get $step)))
      (local.set $p (i32.add (local.get $p) (i32.const 4)))
      (br $quad)))
    (block $done (loop $one
      (br_if $done (i32.ge_s (local.get $p) (local.get $kc)))
      (local.set $off (i32.shl (local.get $p) (i32.const 2)))
      (f32.store offset=0 (local.get $d) (f32.load (i32.add (local.get $r0) (local.get $off))))
      (f32.store offset=4 (local.get $d) (f32.load (i32.add (local.get $r1) (local.get $off))))
      (f32.store offset=8 (local.get $d) (f32.load (i32.add (local.get $r2) (local.get $off))))
      (f32.store offset=12 (local.get $d) (f32.load (i32.add (local.get $r3) (local.get $off))))
      (local.set $d (i32.add (local.get $d) (local.get $step)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $one)))
  )

  ;; packScalar fills a panel of the given width (4 or 8) value by value:
  ;; d[p·width + i] = the value at src + i·si + p·sp (byte strides) for
  ;; i < valid, 0 for valid <= i < width.
  (func $packScalar (param $d i32) (param $src i32) (param $si i32) (param $sp i32)
      (param $width i32) (param $valid i32) (param $kc i32)
    (local $p i32) (local $i i32) (local $row i32)
    (block $pdone (loop $p
      (br_if $pdone (i32.ge_s (local.get $p) (local.get $kc)))
      (local.set $row (i32.add (local.get $src) (i32.mul (local.get $p) (local.get $sp))))
      (local.set $i (i32.const 0))
      (block $idone (loop $i
        (br_if $idone (i32.ge_s (local.get $i) (local.get $width)))
        (f32.store (local.get $d)
          (if (result f32) (i32.lt_s (local.get $i) (local.get $valid))
            (then (f32.load (i32.add (local.get $row) (i32.mul (local.get $i) (local.get $si)))))
            (else (f32.const 0))))
        (local.set $d (i32.add (local.get $d) (i32.const 4)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $i)))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (br $p)))
  )

  ;; axpby sets the 4 floats at p to alpha·x + beta·(the 4 floats at p).
  (func $axpby (param $p i32) (param $alpha v128) (param $x v128) (param $beta v128)
    (v128.store (local.get $p)
      (f32x4.add (f32x4.mul (local.get $alpha) (local.get $x))
                 (f32x4.mul (local.get $beta) (v128.load (local.get $p))))))
)
