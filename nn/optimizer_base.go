package nn

import (
	"fmt"
	"math"

	"github.com/keraswasm/keraswasm/tensor"
)

// optimizerBase is what every Keras optimizer shares: the learning rate and
// its legacy decay, decoupled weight decay, gradient clipping, the iteration
// count, the arguments kept only for the config, and the per-param state.
// Each optimizer embeds it and supplies its update rule.
//
// Keras: keras/src/optimizers/base_optimizer.py (Keras 3); the legacy
// `decay` and the `lr` spelling follow
// keras/optimizers/optimizer_v2/optimizer_v2.py (tf.keras 2).
//
// One step of Apply, in Keras 3's order (BaseOptimizer.apply and
// _backend_apply_gradients):
//
//  1. keep the params with Trainable=true; with none, do nothing (Keras's
//     apply returns early and does not count an iteration);
//  2. lr_t = learning_rate / (1 + decay·iterations), iterations counted
//     before this step (optimizer_v2._decayed_lr); lr_t is the learning rate
//     of the step everywhere below, as a Keras 3 schedule would be;
//  3. clip the gradients (clipnorm per param, global_clipnorm over all
//     trainable params, or clipvalue element-wise) into a buffer of the
//     optimizer's, so p.Grad is left as it was;
//  4. weight decay, decoupled: w ← w − w·weight_decay·lr_t;
//  5. the optimizer's update rule, with the step number t = iterations+1;
//  6. iterations ← iterations + 1.
//
// Apply does not zero the gradients and does not apply constraints: the
// model does both (constraints right after Apply, as Keras's apply does).
type optimizerBase struct {
	className string
	name      string

	learningRate float64
	decay        float64 // Keras 2 inverse-time decay; 0 for none

	weightDecay    *float64 // nil is Keras's None
	clipnorm       *float64
	clipvalue      *float64
	globalClipnorm *float64

	// Kept for the config only: use_ema=True is rejected, so these have no
	// effect, as in Keras when use_ema is False.
	emaMomentum           float64
	emaOverwriteFrequency *int
	// lossScaleFactor is accepted and has no effect: Keras multiplies the
	// loss by it and divides the gradients by it again, which in float32
	// (no mixed precision here) gives back the same gradients.
	lossScaleFactor *float64

	iterations int64
	states     map[*Param]*paramState
	active     []*Param // the trainable params of the current step (reused)
}

// paramState is the optimizer's state for one param: the slots of its update
// rule (moments, accumulators; nil for an unused one) and a buffer for the
// clipped gradient.
type paramState struct {
	slots [][]float32
	grad  []float32
}

// updateRule is the part of an optimizer that differs between Adam, RMSprop
// and the rest.
type updateRule interface {
	// newSlots returns fresh state for a param of n weights.
	newSlots(n int) [][]float32
	// prepare computes this step's coefficients from its learning rate lr
	// (after the legacy decay) and its 1-based step number t.
	prepare(lr float64, t int64)
	// update applies one step to the weights w from the gradient g (already
	// clipped) and the param's slots. w, g and every slot have one length.
	update(w, g []float32, slots [][]float32)
}

// baseDefaults are the Keras defaults that differ between optimizers.
type baseDefaults struct {
	name         string
	learningRate float64
	weightDecay  *float64
}

// parseOptimizerBase reads the arguments every Keras optimizer takes.
func parseOptimizerBase(a *Args, className string, d baseDefaults) optimizerBase {
	b := optimizerBase{className: className}
	a.Alias("learning_rate", "lr")
	if v, ok := a.Value("learning_rate"); ok {
		if _, isDict := v.(map[string]any); isDict {
			a.Unimplemented("learning_rate", v, "a positive number (learning rate schedules are not implemented in keraswasm; "+
				"use the legacy decay argument or a LearningRateScheduler callback)")
		}
	}
	b.learningRate = a.Float("learning_rate", d.learningRate)
	if !(b.learningRate > 0) || math.IsInf(b.learningRate, 0) {
		a.Fail("learning_rate", b.learningRate, "a positive number such as 0.001")
	}
	b.decay = a.Float("decay", 0)
	if !(b.decay >= 0) || math.IsInf(b.decay, 0) {
		a.Fail("decay", b.decay, "a number >= 0 (the legacy learning-rate decay; 0 for none)")
	}
	b.weightDecay = d.weightDecay
	if a.Has("weight_decay") {
		b.weightDecay = optionalFloat(a, "weight_decay", "a number >= 0, or null for no weight decay", false)
	}
	b.clipnorm = optionalFloat(a, "clipnorm", "a positive number, or null for no clipping", true)
	b.clipvalue = optionalFloat(a, "clipvalue", "a positive number, or null for no clipping", true)
	b.globalClipnorm = optionalFloat(a, "global_clipnorm", "a positive number, or null for no clipping", true)
	clips := 0
	for _, c := range []*float64{b.clipnorm, b.clipvalue, b.globalClipnorm} {
		if c != nil {
			clips++
		}
	}
	if clips > 1 {
		a.errs = append(a.errs, fmt.Errorf("%s: only one of clipnorm, clipvalue and global_clipnorm can be set. "+
			"Received: clipnorm=%s, clipvalue=%s, global_clipnorm=%s; keep one of them",
			className, formatValue(optValue(b.clipnorm)), formatValue(optValue(b.clipvalue)), formatValue(optValue(b.globalClipnorm))))
	}
	if a.Bool("use_ema", false) {
		a.Unimplemented("use_ema", true, "false: use_ema=True (an exponential moving average of the weights) is not implemented in keraswasm")
	}
	b.emaMomentum = a.Float("ema_momentum", 0.99)
	if a.Has("ema_overwrite_frequency") {
		f := a.Int("ema_overwrite_frequency", 0)
		b.emaOverwriteFrequency = &f
	}
	b.lossScaleFactor = optionalFloat(a, "loss_scale_factor", "a positive number, or null", true)
	a.Unsupported("gradient_accumulation_steps", "null: gradient accumulation is not implemented in keraswasm")
	b.name = a.String("name", d.name)
	// tf.keras 2.11+ writes these into optimizer configs; neither changes the math.
	a.Ignore("jit_compile", "is_legacy_optimizer")
	return b
}

// optionalFloat reads a number that may be null (Keras's None): nil when
// absent. The number must be >= 0, and > 0 when positive is set.
func optionalFloat(a *Args, key, want string, positive bool) *float64 {
	if !a.Has(key) {
		return nil
	}
	f := a.Float(key, math.NaN())
	if math.IsNaN(f) {
		return nil // a.Float recorded the error
	}
	if f < 0 || (positive && f == 0) || math.IsInf(f, 0) {
		a.Fail(key, f, want)
		return nil
	}
	return &f
}

// optValue turns an optional number into a config value: nil is null.
func optValue[T any](p *T) any {
	if p == nil {
		return nil
	}
	return *p
}

// baseConfig returns the keys Keras 3's BaseOptimizer.get_config writes, and
// the legacy decay when it is set.
func (b *optimizerBase) baseConfig() map[string]any {
	m := map[string]any{
		"name":                        b.name,
		"learning_rate":               b.learningRate,
		"weight_decay":                optValue(b.weightDecay),
		"clipnorm":                    optValue(b.clipnorm),
		"global_clipnorm":             optValue(b.globalClipnorm),
		"clipvalue":                   optValue(b.clipvalue),
		"use_ema":                     false,
		"ema_momentum":                b.emaMomentum,
		"ema_overwrite_frequency":     optValue(b.emaOverwriteFrequency),
		"loss_scale_factor":           optValue(b.lossScaleFactor),
		"gradient_accumulation_steps": nil,
	}
	if b.decay != 0 {
		m["decay"] = b.decay
	}
	return m
}

// Iterations is the number of steps taken (Keras's optimizer.iterations).
func (b *optimizerBase) Iterations() int64 { return b.iterations }

// LearningRate is the base learning rate, before the legacy decay.
func (b *optimizerBase) LearningRate() float64 { return b.learningRate }

// SetLearningRate sets the base learning rate used from the next step on.
func (b *optimizerBase) SetLearningRate(lr float64) { b.learningRate = lr }

// CurrentLearningRate is the learning rate of the next step:
// learning_rate / (1 + decay·iterations).
func (b *optimizerBase) CurrentLearningRate() float64 {
	return b.learningRate / (1 + b.decay*float64(b.iterations))
}

// apply performs one step of the update rule r on the trainable params (see
// optimizerBase for the order of things). It panics if a param's gradient
// does not match its value, which the model guarantees.
func (b *optimizerBase) apply(params []*Param, r updateRule) {
	b.active = b.active[:0]
	for _, p := range params {
		if p.Trainable {
			b.active = append(b.active, p)
		}
	}
	if len(b.active) == 0 {
		return
	}
	if b.states == nil {
		b.states = make(map[*Param]*paramState, len(b.active))
	}
	lr := b.CurrentLearningRate()
	globalScale := float32(1)
	if b.globalClipnorm != nil {
		globalScale = b.globalClipScale()
	}
	r.prepare(lr, b.iterations+1)
	for _, p := range b.active {
		st := b.state(p, r)
		g := b.clipped(p.Grad.Data, st, globalScale)
		w := p.Value.Data
		if b.weightDecay != nil && *b.weightDecay != 0 {
			tensor.Axpy(w, -float32(*b.weightDecay*lr), w) // w −= (weight_decay·lr)·w
		}
		r.update(w, g, st.slots)
	}
	b.iterations++
}

// state returns p's state, making it on first use (or when p changed size).
func (b *optimizerBase) state(p *Param, r updateRule) *paramState {
	n := len(p.Value.Data)
	if p.Grad == nil || len(p.Grad.Data) != n {
		panic(fmt.Sprintf("nn: %s: param %q has a gradient that does not match its %d values", b.className, p.Name, n))
	}
	st := b.states[p]
	if st == nil || len(st.grad) != n {
		st = &paramState{slots: r.newSlots(n), grad: make([]float32, n)}
		b.states[p] = st
	}
	return st
}

// clipped returns the gradient to use: grad itself when nothing clips, else
// the clipped values written into st.grad.
func (b *optimizerBase) clipped(grad []float32, st *paramState, globalScale float32) []float32 {
	switch {
	case b.clipnorm != nil:
		// Keras _clip_by_norm: g·clipnorm / max(‖g‖, clipnorm).
		c := *b.clipnorm
		copy(st.grad, grad)
		tensor.Scale(st.grad, float32(c/math.Max(math.Sqrt(tensor.SumSquares(grad)), c)))
	case b.globalClipnorm != nil:
		copy(st.grad, grad)
		tensor.Scale(st.grad, globalScale)
	case b.clipvalue != nil:
		v := float32(*b.clipvalue)
		for i, x := range grad {
			st.grad[i] = min(max(x, -v), v)
		}
	default:
		return grad
	}
	return st.grad
}

// globalClipScale is Keras's clip_by_global_norm factor over the trainable
// params: clip·min(1/‖g‖, 1/clip), NaN when the norm is not finite.
func (b *optimizerBase) globalClipScale() float32 {
	var sum float64
	for _, p := range b.active {
		sum += tensor.SumSquares(p.Grad.Data)
	}
	norm := math.Sqrt(sum)
	c := *b.globalClipnorm
	if math.IsInf(norm, 0) || math.IsNaN(norm) {
		return float32(math.NaN())
	}
	return float32(c * math.Min(1/norm, 1/c))
}

// zeroSlots returns k zero slots of n values each.
func zeroSlots(k, n int) [][]float32 {
	s := make([][]float32, k)
	for i := range s {
		s[i] = make([]float32, n)
	}
	return s
}

// checkRange records an error unless lo <= v <= hi (hiOpen: v < hi).
func checkRange(a *Args, key string, v, lo, hi float64, hiOpen bool, want string) {
	if v < lo || v > hi || (hiOpen && v == hi) || math.IsNaN(v) {
		a.Fail(key, v, want)
	}
}

// sqrt32 is a float32 square root (correctly rounded through float64).
func sqrt32(x float32) float32 { return float32(math.Sqrt(float64(x))) }
