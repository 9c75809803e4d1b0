;; keraswasm_simd: the WebAssembly SIMD (f32x4) macro-kernel of tensor.Gemm.
;;
;; Go's wasm target has no SIMD, so the inner loop of the packed product runs
;; here. The module has no memory of its own: it imports the Go instance's
;; linear memory (exported by Go as "mem", handed in as env.mem), and every
;; pointer argument is a byte offset into it. The Go side (tensor/gemm_simd.go)
;; packs the operands exactly as for its own kernel, with a 4×8 micro-tile
;; (gemmMR = 4, gemmNR = 8), and calls gemm_macro once per packed block, so one
;; crossing from Go covers up to 128×1024×256 multiply-adds.
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

  (func (export "gemm_macro")
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

  ;; axpby sets the 4 floats at p to alpha·x + beta·(the 4 floats at p).
  (func $axpby (param $p i32) (param $alpha v128) (param $x v128) (param $beta v128)
    (v128.store (local.get $p)
      (f32x4.add (f32x4.mul (local.get $alpha) (local.get $x))
                 (f32x4.mul (local.get $beta) (v128.load (local.get $p))))))
)
