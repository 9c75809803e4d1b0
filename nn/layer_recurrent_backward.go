package nn

import (
	"github.com/keraswasm/keraswasm/tensor"
)

// Backward runs back through time: for each step from the last, the
// gradients of the gate pre-activations from dh (and dc), then dh of the
// previous state by one GEMM with the recurrent kernel. dkernel,
// drecurrent_kernel, dbias and dx are one GEMM (or sum) each over all steps.
// A stateful layer's gradient stops at the batch's initial state, as in
// Keras (truncated backpropagation through time).
func (r *Recurrent) Backward(dy *tensor.Tensor, needDx bool) *tensor.Tensor {
	dy = r.act.backward(&r.LayerBase, r.run.y, dy)
	p := &r.run
	B, T, I, U := p.B, p.T, r.in, r.Units
	KU := r.kind.gates() * U
	p.dz = grow(p.dz, T*B*KU)
	p.dh, p.dhp = grow(p.dh, B*U), grow(p.dhp, B*U)
	clear(p.dh)
	if r.kind == kindLSTM {
		p.dc = grow(p.dc, B*U)
		clear(p.dc)
	}
	if r.kind == kindGRU {
		p.drw = grow(p.drw, T*B*KU)
	}
	if !r.ReturnSequences {
		copy(p.dh, dy.Data)
	}
	for s := T - 1; s >= 0; s-- {
		if r.ReturnSequences {
			for b := range B {
				if r.zeroAt(s, b) {
					continue // a zero output does not depend on the state
				}
				d := dy.Data[(b*T+s)*U:][:U]
				for j, v := range d {
					p.dh[b*U+j] += v
				}
			}
		}
		r.backwardStep(s)
	}
	hin := p.h[:T*B*U]
	if p.rdrop {
		hin = p.hd
	}
	dR := r.recurrent.Grad.Data
	// dkernel (I, KU) += xsᵀ (I, T·B) · dz (T·B, KU)
	tensor.Gemm(true, false, I, KU, T*B, 1, p.xs, I, p.dz, KU, 1, r.kernel.Grad.Data, KU)
	switch {
	case r.kind != kindGRU:
		// drecurrent_kernel (U, KU) += hinᵀ (U, T·B) · dz (T·B, KU)
		tensor.Gemm(true, false, U, KU, T*B, 1, hin, U, p.dz, KU, 1, dR, KU)
	case r.ResetAfter:
		tensor.Gemm(true, false, U, KU, T*B, 1, hin, U, p.drw, KU, 1, dR, KU)
	default:
		tensor.Gemm(true, false, U, 2*U, T*B, 1, hin, U, p.dz, KU, 1, dR, KU)
		tensor.Gemm(true, false, U, U, T*B, 1, p.rh, U, p.dz[2*U:], KU, 1, dR[2*U:], KU)
	}
	if r.UseBias {
		tensor.SumRows(r.bias.Grad.Data[:KU], p.dz)
		if r.kind == kindGRU && r.ResetAfter {
			tensor.SumRows(r.bias.Grad.Data[KU:], p.drw)
		}
	}
	if !needDx {
		return nil
	}
	// dxs (T·B, I) = dz (T·B, KU) · kernelᵀ (KU, I)
	p.dxs = grow(p.dxs, T*B*I)
	tensor.Gemm(false, true, T*B, I, KU, 1, p.dz, KU, r.kernel.Value.Data, KU, 0, p.dxs, I)
	p.dx = tensor.Ensure(p.dx, p.x.Shape...)
	for s := range T {
		t := r.step(s, T)
		for b := range B {
			src, dst := p.dxs[(s*B+b)*I:][:I], p.dx.Data[(b*T+t)*I:][:I]
			if p.drop {
				for j, v := range src {
					dst[j] = v * p.dpMask[b*I+j]
				}
			} else {
				copy(dst, src)
			}
		}
	}
	return p.dx
}

// backwardStep turns dh (and dc) of step s's new state into dz of its
// gates and dh (and dc) of its previous state. A masked row passes dh and
// dc on unchanged and gets dz = 0.
func (r *Recurrent) backwardStep(s int) {
	p := &r.run
	B, U := p.B, r.Units
	KU := r.kind.gates() * U
	dzs := p.dz[s*B*KU : (s+1)*B*KU]
	var drws []float32
	if r.kind == kindGRU {
		drws = p.drw[s*B*KU : (s+1)*B*KU]
	}
	for b := range B {
		dz := dzs[b*KU : (b+1)*KU]
		if !p.keep[s*B+b] {
			clear(dz)
			if drws != nil {
				clear(drws[b*KU : (b+1)*KU])
			}
			continue
		}
		dh := p.dh[b*U : (b+1)*U]
		switch r.kind {
		case kindSimpleRNN:
			copy(dz, dh) // through the activation below, for all rows at once
			clear(dh)
		case kindLSTM:
			r.lstmBackward(s, b, dz, dh)
		case kindGRU:
			r.gruBackward(s, b, dz, drws[b*KU:(b+1)*KU], dh)
		}
	}
	if r.kind == kindSimpleRNN {
		// The step's rows are one (B, U) block: one activation call; masked
		// rows keep dz = 0 whatever the derivative there.
		off := s * B * KU
		r.run.bwd(r.Activation, dzs, p.xw[off:off+B*KU], p.g[off:off+B*KU])
		for b := range B {
			if !p.keep[s*B+b] {
				clear(dzs[b*KU : (b+1)*KU])
			}
		}
	}
	R := r.recurrent.Value.Data
	// dhin (B, U) = dz (B, KU) · recurrent_kernelᵀ (KU, U)
	switch {
	case r.kind != kindGRU:
		tensor.Gemm(false, true, B, U, KU, 1, dzs, KU, R, KU, 0, p.dhp, U)
	case r.ResetAfter:
		tensor.Gemm(false, true, B, U, KU, 1, drws, KU, R, KU, 0, p.dhp, U)
	default:
		r.gruResetBeforeBack(s, dzs)
	}
	if p.rdrop {
		for i := range p.dhp {
			p.dhp[i] *= p.recMask[i]
		}
	}
	for i, v := range p.dhp {
		p.dh[i] += v
	}
}

// lstmBackward computes dz (i, f, c, o) of row b of step s from dh and dc,
// leaves dc as the previous cell state's gradient and clears dh (the
// recurrent product adds the previous state's).
func (r *Recurrent) lstmBackward(s, b int, dz, dh []float32) {
	p := &r.run
	B, U, KU := p.B, r.Units, 4*r.Units
	off := s*B*U + b*U
	cp, cn, ac := p.c[off:off+U], p.c[off+B*U:off+B*U+U], p.ac[off:off+U]
	g, z := p.g[(s*B+b)*KU:][:KU], p.xw[(s*B+b)*KU:][:KU]
	dc := p.dc[b*U : (b+1)*U]
	// dac = dh·o into the c-gate slot as scratch, then through act(c).
	dac := dz[2*U : 3*U]
	for j := range U {
		dz[3*U+j] = dh[j] * ac[j]
		dac[j] = dh[j] * g[3*U+j]
	}
	r.run.bwd(r.Activation, dac, cn, ac)
	for j := range U {
		dcj := dac[j] + dc[j]
		dz[j] = dcj * g[2*U+j] // di
		dz[U+j] = dcj * cp[j]  // df
		dz[2*U+j] = dcj * g[j] // dg
		dc[j] = dcj * g[U+j]   // dc'
	}
	r.run.bwd(r.RecurrentActivation, dz[:2*U], z[:2*U], g[:2*U])
	r.run.bwd(r.Activation, dz[2*U:3*U], z[2*U:3*U], g[2*U:3*U])
	r.run.bwd(r.RecurrentActivation, dz[3*U:], z[3*U:], g[3*U:])
	clear(dh)
}

// gruBackward computes dz (and drw with reset_after) of row b of step s
// from dh, leaving in dh the direct part of the previous state's gradient
// (z·dh).
func (r *Recurrent) gruBackward(s, b int, dz, drw, dh []float32) {
	p := &r.run
	B, U, KU := p.B, r.Units, 3*r.Units
	g, z := p.g[(s*B+b)*KU:][:KU], p.xw[(s*B+b)*KU:][:KU]
	hp := p.h[s*B*U+b*U:][:U]
	for j := range U {
		dz[j] = dh[j] * (hp[j] - g[2*U+j]) // dz gate
		dz[2*U+j] = dh[j] * (1 - g[j])     // dhh
		dh[j] *= g[j]
	}
	r.run.bwd(r.Activation, dz[2*U:], z[2*U:], g[2*U:])
	if r.ResetAfter {
		rw := p.rw[(s*B+b)*KU:][:KU]
		for j := range U {
			dz[U+j] = dz[2*U+j] * rw[2*U+j] // dr
			drw[2*U+j] = dz[2*U+j] * g[U+j]
		}
		r.run.bwd(r.RecurrentActivation, dz[:2*U], z[:2*U], g[:2*U])
		copy(drw[:2*U], dz[:2*U])
	}
	// reset_after=False finishes in gruResetBeforeBack: dr needs the
	// candidate's product gradient of every row.
}

// gruResetBeforeBack finishes GRU's step with reset_after=False: d(r·hin)
// (B, U) = dhh · R_hᵀ gives dr and part of dhin; the z and r columns then
// add dz_zr · R_zrᵀ. It writes dhin into dhp.
func (r *Recurrent) gruResetBeforeBack(s int, dzs []float32) {
	p := &r.run
	B, U, KU := p.B, r.Units, 3*r.Units
	R := r.recurrent.Value.Data
	drh := p.dhp
	tensor.Gemm(false, true, B, U, U, 1, dzs[2*U:], KU, R[2*U:], KU, 0, drh, U)
	hin := p.h[s*B*U : (s+1)*B*U]
	if p.rdrop {
		hin = p.hd[s*B*U : (s+1)*B*U]
	}
	for b := range B {
		if !p.keep[s*B+b] {
			clear(drh[b*U : (b+1)*U])
			continue
		}
		dz, g, z := dzs[b*KU:(b+1)*KU], p.g[(s*B+b)*KU:][:KU], p.xw[(s*B+b)*KU:][:KU]
		for j := range U {
			dz[U+j] = drh[b*U+j] * hin[b*U+j]
			drh[b*U+j] *= g[U+j]
		}
		r.run.bwd(r.RecurrentActivation, dz[:2*U], z[:2*U], g[:2*U])
	}
	// dhin (B, U) += dz_zr (B, 2U) · R[:, :2U]ᵀ
	tensor.Gemm(false, true, B, U, 2*U, 1, dzs, KU, R, KU, 1, drh, U)
}
