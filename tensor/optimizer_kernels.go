package tensor

import (
	"fmt"
	"math"
)

// The per-weight update rules of nn's optimizers, as kernels over one
// weight tensor and its slots, so that the wasm build runs them in SIMD
// (simd_ew.go) and natively they stay Go loops. nn owns the rules' meaning,
// defaults and per-step coefficients (nn/optimizer_sgd.go, …_rmsprop.go,
// …_adam.go); these functions only apply them. Every operation is float32
// in the order written in each doc comment, the same in both paths.

// optimizerLens panics unless every slice of slots is nil or as long as w.
func optimizerLens(op string, w, g []float32, slots ...[]float32) {
	sameLen(op, len(w), len(g))
	for _, s := range slots {
		if s != nil && len(s) != len(w) {
			panic(fmt.Sprintf("tensor: %s slot of %d values for %d weights", op, len(s), len(w)))
		}
	}
}

// SGDMomentum applies SGD with momentum: v ← v·mu − g·lr; w ← w + v, or with
// nesterov w ← w + (v·mu − g·lr), v the new velocity. It panics if the
// lengths differ.
func SGDMomentum(w, g, v []float32, lr, mu float32, nesterov bool) {
	optimizerLens("SGDMomentum", w, g)
	sameLen("SGDMomentum", len(w), len(v))
	if simdOK {
		sgdMomentumSIMD(w, g, v, lr, mu, nesterov)
		return
	}
	sgdMomentumGo(w, g, v, lr, mu, nesterov)
}

func sgdMomentumGo(w, g, v []float32, lr, mu float32, nesterov bool) {
	v, g = v[:len(w)], g[:len(w)]
	for i := range w {
		vi := v[i]*mu - g[i]*lr
		v[i] = vi
		if nesterov {
			w[i] += vi*mu - g[i]*lr
		} else {
			w[i] += vi
		}
	}
}

// RMSprop applies RMSprop: v ← rho·v + (1−rho)·g·g; with avg (centered)
// avg ← rho·avg + (1−rho)·g and d = v − avg·avg + eps, else d = v + eps;
// inc = lr·g/√d; with mom (momentum) mom ← mu·mom + inc and inc = mom;
// w ← w − inc. mom and avg may be nil. It panics if the lengths differ.
func RMSprop(w, g, v, mom, avg []float32, lr, rho, eps, mu float32) {
	optimizerLens("RMSprop", w, g, mom, avg)
	sameLen("RMSprop", len(w), len(v))
	if simdOK {
		rmspropSIMD(w, g, v, mom, avg, lr, rho, eps, mu)
		return
	}
	rmspropGo(w, g, v, mom, avg, lr, rho, eps, mu)
}

func rmspropGo(w, g, v, mom, avg []float32, lr, rho, eps, mu float32) {
	v, g = v[:len(w)], g[:len(w)]
	for i := range w {
		gi := g[i]
		v[i] = rho*v[i] + (1-rho)*gi*gi
		d := v[i] + eps
		if avg != nil {
			avg[i] = rho*avg[i] + (1-rho)*gi
			d = v[i] - avg[i]*avg[i] + eps
		}
		inc := lr * gi / sqrt32(d)
		if mom != nil {
			mom[i] = mu*mom[i] + inc
			inc = mom[i]
		}
		w[i] -= inc
	}
}

// Adam applies Adam (and AdamW's gradient step): m ← m + (g − m)·(1−b1);
// v ← v + (g·g − v)·(1−b2); with vhat (amsgrad) vhat ← max(vhat, v) and
// v̂ = vhat, else v̂ = v; w ← w − m·alpha/(√v̂ + eps), alpha the step's
// bias-corrected rate. vhat may be nil. It panics if the lengths differ.
func Adam(w, g, m, v, vhat []float32, b1, b2, eps, alpha float32) {
	optimizerLens("Adam", w, g, vhat)
	sameLen("Adam", len(w), len(m), len(v))
	if simdOK {
		adamSIMD(w, g, m, v, vhat, b1, b2, eps, alpha)
		return
	}
	adamGo(w, g, m, v, vhat, b1, b2, eps, alpha)
}

func adamGo(w, g, m, v, vhat []float32, b1, b2, eps, alpha float32) {
	m, v, g = m[:len(w)], v[:len(w)], g[:len(w)]
	for i := range w {
		gi := g[i]
		m[i] += (gi - m[i]) * (1 - b1)
		v[i] += (gi*gi - v[i]) * (1 - b2)
		vi := v[i]
		if vhat != nil {
			vhat[i] = max(vhat[i], vi)
			vi = vhat[i]
		}
		w[i] -= m[i] * alpha / (sqrt32(vi) + eps)
	}
}

// sqrt32 is the float32 square root, correctly rounded (float64's root of
// a float32, rounded once more, is exact: 53 ≥ 2·24 + 2 bits).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
