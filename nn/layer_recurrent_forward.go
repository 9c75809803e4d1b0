package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// rnnRun holds a Recurrent layer's buffers, reused from batch to batch.
// Everything is time-major in processing order (step s is input step s, or
// T−1−s with go_backwards): B rows, T steps, I features, U units, KU = k·U.
type rnnRun struct {
	B, T        int
	drop, rdrop bool
	x           *tensor.Tensor
	xs          []float32 // (T, B, I) the input, dropped
	xw          []float32 // (T, B, KU) gate pre-activations: xs·kernel + bias (+ the recurrent part)
	rw          []float32 // GRU: (T, B, KU) the recurrent product (reset_after: + recurrent bias)
	g           []float32 // (T, B, KU) the activated gates (SimpleRNN: the output)
	h, c        []float32 // (T+1, B, U) states; [0] is the initial state
	ac          []float32 // LSTM: (T, B, U) activation(c)
	hd          []float32 // (T, B, U) the previous state times the recurrent dropout mask
	rh          []float32 // GRU reset_after=False: (T, B, U) r·hd, the input of the candidate's product
	dpMask      []float32 // (B, I) dropout keep mask, 0 or 1/(1−rate)
	recMask     []float32 // (B, U)
	keep        []bool    // (T, B) false at masked steps
	y, dx       *tensor.Tensor
	dz, drw     []float32 // (T, B, KU) gradients of xw and rw
	dh, dc, dhp []float32 // (B, U)
	dxs         []float32 // (T, B, I)
	v           [4]tensor.Tensor
}

// grow returns buf with length n, reallocating only when it is too small.
func grow(buf []float32, n int) []float32 {
	if cap(buf) < n {
		return make([]float32, n)
	}
	return buf[:n]
}

func (p *rnnRun) view(i int, d []float32) *tensor.Tensor {
	t := &p.v[i]
	t.Data = d
	t.Shape = append(t.Shape[:0], len(d))
	return t
}

func (p *rnnRun) fwd(f Activation, y, x []float32) { f.Forward(p.view(0, y), p.view(1, x)) }

// bwd overwrites dyx (dy on entry) with dy·f'(x).
func (p *rnnRun) bwd(f Activation, dyx, x, y []float32) {
	d := p.view(0, dyx)
	f.Backward(d, p.view(1, x), p.view(2, y), d)
}

// fillMask draws a keep mask of rate: 0 or 1/(1−rate).
func fillMask(rng *tensor.RNG, m []float32, rate float64) {
	scale := float32(1 / (1 - rate))
	for i := range m {
		m[i] = 0
		if rng.Float64() >= rate {
			m[i] = scale
		}
	}
}

// Forward runs the cell over x (batch, timesteps, features) and returns
// (batch, timesteps, units) with return_sequences, else (batch, units).
func (r *Recurrent) Forward(x *tensor.Tensor, training bool) *tensor.Tensor {
	if len(x.Shape) != 3 || x.Shape[2] != r.in {
		panic(fmt.Sprintf("nn: %s.Forward: input %v is not (batch, timesteps, %d)", r.ClassName, x.Shape, r.in))
	}
	p := &r.run
	B, T, I, U, KU := x.Shape[0], x.Shape[1], r.in, r.Units, r.kind.gates()*r.Units
	p.B, p.T, p.x = B, T, x
	p.drop, p.rdrop = training && r.Dropout > 0, training && r.RecurrentDropout > 0
	if p.drop {
		p.dpMask = grow(p.dpMask, B*I)
		fillMask(r.rng, p.dpMask, r.Dropout)
	}
	if p.rdrop {
		p.recMask = grow(p.recMask, B*U)
		fillMask(r.rng, p.recMask, r.RecurrentDropout)
	}
	if r.mask != nil && len(r.mask) != B*T {
		panic(fmt.Sprintf("nn: %s.Forward: a mask of %d entries for input %v", r.ClassName, len(r.mask), x.Shape))
	}
	p.xs, p.keep = grow(p.xs, T*B*I), p.keep[:0]
	for s := range T {
		t := r.step(s, T)
		for b := range B {
			src, dst := x.Data[(b*T+t)*I:][:I], p.xs[(s*B+b)*I:][:I]
			if p.drop {
				for j, v := range src {
					dst[j] = v * p.dpMask[b*I+j]
				}
			} else {
				copy(dst, src)
			}
			p.keep = append(p.keep, r.mask == nil || r.mask[b*T+t])
		}
	}
	// xw (T·B, KU) = xs (T·B, I) · kernel (I, KU) + bias: every step's input product at once.
	p.xw = grow(p.xw, T*B*KU)
	tensor.Gemm(false, false, T*B, KU, I, 1, p.xs, I, r.kernel.Value.Data, KU, 0, p.xw, KU)
	if r.UseBias {
		tensor.AddRowVector(p.xw, r.bias.Value.Data[:KU])
	}
	p.g = grow(p.g, T*B*KU)
	p.h = grow(p.h, (T+1)*B*U)
	r.initialState(p.h[:B*U], 0)
	if r.kind == kindLSTM {
		p.c, p.ac = grow(p.c, (T+1)*B*U), grow(p.ac, T*B*U)
		r.initialState(p.c[:B*U], 1)
	}
	if r.kind == kindGRU {
		p.rw = grow(p.rw, T*B*KU)
		if !r.ResetAfter {
			p.rh = grow(p.rh, T*B*U)
		}
	}
	if p.rdrop {
		p.hd = grow(p.hd, T*B*U)
	}
	for s := range T {
		r.forwardStep(s)
	}
	r.output()
	r.act.forward(&r.LayerBase, p.y)
	return p.y
}

// step returns the input step that processing step s reads.
func (r *Recurrent) step(s, T int) int {
	if r.GoBackwards {
		return T - 1 - s
	}
	return s
}

// initialState writes state i (h or c) of the coming batch into dst: the
// carried state of a stateful layer, else zeros.
func (r *Recurrent) initialState(dst []float32, i int) {
	if r.Stateful && len(r.state[i]) == len(dst) {
		copy(dst, r.state[i])
		return
	}
	clear(dst)
}

// hin returns the previous state of step s as it enters the recurrent
// product (times the recurrent dropout mask in training).
func (r *Recurrent) hin(s int) []float32 {
	p := &r.run
	BU := p.B * r.Units
	hp := p.h[s*BU : (s+1)*BU]
	if !p.rdrop {
		return hp
	}
	hd := p.hd[s*BU : (s+1)*BU]
	for i, v := range hp {
		hd[i] = v * p.recMask[i]
	}
	return hd
}

// forwardStep computes the states of processing step s from those of s−1.
func (r *Recurrent) forwardStep(s int) {
	p := &r.run
	B, U := p.B, r.Units
	KU := r.kind.gates() * U
	hp, hn := p.h[s*B*U:(s+1)*B*U], p.h[(s+1)*B*U:(s+2)*B*U]
	hin := r.hin(s)
	zs, gs := p.xw[s*B*KU:(s+1)*B*KU], p.g[s*B*KU:(s+1)*B*KU]
	R := r.recurrent.Value.Data
	switch {
	case r.kind != kindGRU:
		// zs (B, KU) += hin (B, U) · recurrent_kernel (U, KU)
		tensor.Gemm(false, false, B, KU, U, 1, hin, U, R, KU, 1, zs, KU)
	case r.ResetAfter:
		rws := p.rw[s*B*KU : (s+1)*B*KU]
		tensor.Gemm(false, false, B, KU, U, 1, hin, U, R, KU, 0, rws, KU)
		if r.UseBias {
			tensor.AddRowVector(rws, r.bias.Value.Data[KU:])
		}
	default:
		// The z and r columns first; the candidate's product needs r.
		tensor.Gemm(false, false, B, 2*U, U, 1, hin, U, R, KU, 1, zs, KU)
	}
	if r.kind == kindSimpleRNN {
		// The step's rows are one (B, U) block: one activation call.
		r.fwd(r.Activation, gs, zs)
		copy(hn, gs)
	}
	for b := range B {
		z, g := zs[b*KU:(b+1)*KU], gs[b*KU:(b+1)*KU]
		hpb, hnb := hp[b*U:(b+1)*U], hn[b*U:(b+1)*U]
		switch r.kind {
		case kindLSTM:
			r.lstmForward(s, b, z, g, hnb)
		case kindGRU:
			r.gruGates(s, b, z, g, hin[b*U:(b+1)*U])
		}
		if r.kind == kindGRU && r.ResetAfter {
			r.gruCandidate(s, b, z, g, hpb, hnb)
		}
	}
	if r.kind == kindGRU && !r.ResetAfter {
		// candidate pre-activation (B, U) += (r·hin) (B, U) · recurrent_kernel[:, 2U:] (U, U)
		tensor.Gemm(false, false, B, U, U, 1, p.rh[s*B*U:(s+1)*B*U], U, R[2*U:], KU, 1, zs[2*U:], KU)
		for b := range B {
			r.gruCandidate(s, b, zs[b*KU:(b+1)*KU], gs[b*KU:(b+1)*KU], hp[b*U:(b+1)*U], hn[b*U:(b+1)*U])
		}
	}
	for b := range B {
		if !p.keep[s*B+b] {
			copy(hn[b*U:(b+1)*U], hp[b*U:(b+1)*U])
			if r.kind == kindLSTM {
				c := p.c
				copy(c[(s+1)*B*U+b*U:][:U], c[s*B*U+b*U:][:U])
			}
		}
	}
}

func (r *Recurrent) fwd(f Activation, y, x []float32) { r.run.fwd(f, y, x) }

// lstmForward computes row b of step s: i, f, o = σ(z), g = act(z) in
// Keras's order (i, f, c, o); c = f·c' + i·g; h = o·act(c).
func (r *Recurrent) lstmForward(s, b int, z, g, h []float32) {
	p := &r.run
	U := r.Units
	// i and f side by side in one call, then c, then o.
	r.fwd(r.RecurrentActivation, g[:2*U], z[:2*U])
	r.fwd(r.Activation, g[2*U:3*U], z[2*U:3*U])
	r.fwd(r.RecurrentActivation, g[3*U:], z[3*U:])
	off := s*p.B*U + b*U
	cp, cn, ac := p.c[off:off+U], p.c[off+p.B*U:off+p.B*U+U], p.ac[off:off+U]
	for j := range U {
		cn[j] = g[U+j]*cp[j] + g[j]*g[2*U+j]
	}
	r.fwd(r.Activation, ac, cn)
	for j := range U {
		h[j] = g[3*U+j] * ac[j]
	}
}

// gruGates computes the update and reset gates of row b of step s (and,
// with reset_after=False, r·hin for the candidate's product).
func (r *Recurrent) gruGates(s, b int, z, g, hin []float32) {
	p := &r.run
	U, KU := r.Units, 3*r.Units
	if r.ResetAfter {
		rw := p.rw[(s*p.B+b)*KU:][:KU]
		for j := range 2 * U {
			z[j] += rw[j]
		}
	}
	r.fwd(r.RecurrentActivation, g[:2*U], z[:2*U])
	if !r.ResetAfter {
		rh := p.rh[(s*p.B+b)*U:][:U]
		for j := range U {
			rh[j] = g[U+j] * hin[j]
		}
	}
}

// gruCandidate computes hh = act(x_h + r·(h'·R_h + b_h)) (reset_after; the
// product is already in z otherwise) and h = z·h' + (1−z)·hh.
func (r *Recurrent) gruCandidate(s, b int, z, g, hp, hn []float32) {
	p := &r.run
	U, KU := r.Units, 3*r.Units
	if r.ResetAfter {
		rw := p.rw[(s*p.B+b)*KU:][:KU]
		for j := range U {
			z[2*U+j] += g[U+j] * rw[2*U+j]
		}
	}
	r.fwd(r.Activation, g[2*U:], z[2*U:])
	for j := range U {
		hn[j] = g[j]*hp[j] + (1-g[j])*g[2*U+j]
	}
}

// output writes the layer's output from the states and keeps a stateful
// layer's last states.
func (r *Recurrent) output() {
	p := &r.run
	B, T, U := p.B, p.T, r.Units
	if r.ReturnSequences {
		p.y = tensor.Ensure(p.y, B, T, U)
		for s := range T {
			for b := range B {
				dst := p.y.Data[(b*T+s)*U:][:U]
				if r.zeroAt(s, b) {
					clear(dst)
					continue
				}
				copy(dst, p.h[(s+1)*B*U+b*U:][:U])
			}
		}
	} else {
		p.y = tensor.Ensure(p.y, B, U)
		copy(p.y.Data, p.h[T*B*U:])
	}
	if r.Stateful {
		r.state[0] = append(r.state[0][:0], p.h[T*B*U:]...)
		if r.kind == kindLSTM {
			r.state[1] = append(r.state[1][:0], p.c[T*B*U:]...)
		}
	}
}

// zeroAt says whether the output of processing step s of row b is zeros:
// a masked step with zero_output_for_mask.
func (r *Recurrent) zeroAt(s, b int) bool {
	return r.ZeroOutputForMask && !r.run.keep[s*r.run.B+b]
}
