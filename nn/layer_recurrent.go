package nn

import (
	"fmt"

	"github.com/keraswasm/keraswasm/tensor"
)

// rnnKind says which of Keras's three recurrent cells a Recurrent layer runs.
type rnnKind int

const (
	kindSimpleRNN rnnKind = iota
	kindLSTM
	kindGRU
)

// gates is the number of unit-sized blocks of the kernel's columns: 1 for
// SimpleRNN, 4 for LSTM (i, f, c, o), 3 for GRU (z, r, h), Keras's orders.
func (k rnnKind) gates() int { return [...]int{1, 4, 3}[k] }

func (k rnnKind) class() string { return [...]string{"SimpleRNN", "LSTM", "GRU"}[k] }

// Recurrent is Keras's SimpleRNN, LSTM and GRU layers: one cell run over the
// time axis of a (batch, timesteps, features) input. The weights are Keras's:
// kernel (features, k·units), recurrent_kernel (units, k·units) and bias
// (k·units), or (2, 3·units) for GRU with reset_after (input bias, then
// recurrent bias), k the number of gates.
//
// The input product of all steps is one GEMM before the loop and each step
// adds one GEMM of the previous state by the recurrent kernel; backward is
// one GEMM per step for the state's gradient and one GEMM each for dkernel,
// drecurrent_kernel and dx over all steps.
//
// dropout and recurrent_dropout draw one mask per sequence (batch, features)
// and (batch, units), reused at every step, as Keras 3's DropoutRNNCell does;
// the recurrent mask multiplies the previous state where it enters the
// recurrent product. A mask from Embedding(mask_zero=True) or Masking makes
// a masked step carry the state (and, with return_sequences, repeat the
// previous output, or give zeros with zero_output_for_mask). stateful keeps the last states of each batch row as the
// next batch's initial states until ResetStates.
//
// Porting note: TF.js's default recurrent_activation is hard_sigmoid and its
// GRU has no reset_after; keraswasm follows Keras (sigmoid, reset_after=True).
// Keras: keras/src/layers/rnn/{rnn,simple_rnn,lstm,gru}.py.
type Recurrent struct {
	LayerBase
	kind                rnnKind
	Units               int
	Activation          Activation
	RecurrentActivation Activation // LSTM and GRU
	UseBias             bool
	UnitForgetBias      bool // LSTM: the forget gate's bias starts at 1
	ResetAfter          bool // GRU: the reset gate multiplies the recurrent product (Keras's default)
	Dropout             float64
	RecurrentDropout    float64
	ReturnSequences     bool
	GoBackwards         bool
	Stateful            bool
	Unroll              bool // accepted (Keras's own loop unrolling); the loop is the same
	// ZeroOutputForMask makes the output at a masked step zeros instead of
	// the previous step's output (Keras's zero_output_for_mask; Bidirectional
	// sets it with return_sequences, as Keras's does).
	ZeroOutputForMask bool
	Seed              *int64
	kernelSpec        weightSpec
	recurrentSpec     weightSpec
	biasSpec          weightSpec

	kernel, recurrent, bias *Param
	in                      int // features, set by Build
	rng                     *tensor.RNG

	// state is the stateful layer's carried h (and c for LSTM), (batch, units)
	// each; nil until the first batch or after ResetStates.
	state [2][]float32
	mask  []bool // (batch, steps) of the coming Forward, nil for none

	run rnnRun // the last Forward's caches and scratch, reused
	act activity
}

var lstmArgs = []string{"units", "activation", "recurrent_activation", "use_bias", "kernel_initializer",
	"recurrent_initializer", "bias_initializer", "unit_forget_bias"}

func init() {
	layers.add("SimpleRNN", []string{"units", "activation", "use_bias"},
		func(m map[string]any) (Layer, error) { return newRecurrent(kindSimpleRNN, m) })
	layers.add("LSTM", lstmArgs, func(m map[string]any) (Layer, error) { return newRecurrent(kindLSTM, m) })
	layers.add("GRU", []string{"units", "activation", "recurrent_activation", "use_bias"},
		func(m map[string]any) (Layer, error) { return newRecurrent(kindGRU, m) })
}

// NewLSTM returns an LSTM layer of the given units; opts holds the other
// Keras arguments by config key ("return_sequences", "stateful", ...).
func NewLSTM(units int, opts map[string]any) (*Recurrent, error) {
	return newRecurrentWith(kindLSTM, units, opts)
}

// NewGRU returns a GRU layer of the given units; opts as for NewLSTM.
func NewGRU(units int, opts map[string]any) (*Recurrent, error) {
	return newRecurrentWith(kindGRU, units, opts)
}

// NewSimpleRNN returns a SimpleRNN layer of the given units; opts as for
// NewLSTM.
func NewSimpleRNN(units int, opts map[string]any) (*Recurrent, error) {
	return newRecurrentWith(kindSimpleRNN, units, opts)
}

func newRecurrentWith(k rnnKind, units int, opts map[string]any) (*Recurrent, error) {
	m, err := withArgs(k.class(), opts, "units", units)
	if err != nil {
		return nil, err
	}
	return newRecurrent(k, m)
}

func newRecurrent(k rnnKind, m map[string]any) (*Recurrent, error) {
	class := k.class()
	a := NewArgs(class, m)
	r := &Recurrent{LayerBase: ParseBase(a, class), kind: k}
	if !a.Has("units") {
		a.Fail("units", nil, "a positive integer ("+class+" needs units, the size of its state)")
	} else if r.Units = a.Int("units", 0); r.Units < 1 {
		a.Fail("units", r.Units, "a positive integer")
	}
	r.Activation = readActivationDefault(a, "activation", "tanh")
	if k != kindSimpleRNN {
		r.RecurrentActivation = readActivationDefault(a, "recurrent_activation", "sigmoid")
	}
	r.UseBias = a.Bool("use_bias", true)
	r.kernelSpec = readWeightSpec(a, "kernel", "glorot_uniform")
	r.recurrentSpec = readWeightSpec(a, "recurrent", "orthogonal")
	r.biasSpec = readWeightSpec(a, "bias", "zeros")
	if k == kindLSTM {
		r.UnitForgetBias = a.Bool("unit_forget_bias", true)
	}
	if k == kindGRU {
		r.ResetAfter = a.Bool("reset_after", true)
	}
	r.Dropout = readRNNRate(a, "dropout")
	r.RecurrentDropout = readRNNRate(a, "recurrent_dropout")
	r.ReturnSequences = a.Bool("return_sequences", false)
	if a.Bool("return_state", false) {
		a.Unimplemented("return_state", true, "false: a Sequential layer has one output; return_state needs the functional API, which keraswasm does not have")
	}
	r.GoBackwards = a.Bool("go_backwards", false)
	r.Stateful = a.Bool("stateful", false)
	r.Unroll = a.Bool("unroll", false)
	r.ZeroOutputForMask = a.Bool("zero_output_for_mask", false)
	r.Seed = readSeed(a)
	a.Ignore("implementation") // Keras 2's kernel choice (1 or 2): same numbers
	a.Unsupported("time_major", "false (inputs are (batch, timesteps, features))")
	if err := a.Err(); err != nil {
		return nil, err
	}
	if r.Seed != nil {
		r.rng = tensor.NewRNG(uint64(*r.Seed))
	}
	return r, nil
}

// readActivationDefault reads an activation argument whose Keras default is
// def (absent means def; null means linear).
func readActivationDefault(a *Args, key, def string) Activation {
	v, ok := a.Value(key)
	if !ok {
		v = def
	}
	act, err := GetActivation(v)
	if err != nil {
		a.Fail(key, v, "an activation name such as \""+def+"\" ("+err.Error()+")")
		return linear{}
	}
	return act
}

// readRNNRate reads a dropout fraction in [0, 1).
func readRNNRate(a *Args, key string) float64 {
	v := a.Float(key, 0)
	if v < 0 || v >= 1 {
		a.Fail(key, v, "a number in [0, 1), the fraction of units to drop")
	}
	return v
}

func (r *Recurrent) shapeError(in tensor.Shape, want string) error {
	name := r.Name
	if name == "" {
		name = r.ClassName
	}
	return &ShapeError{Layer: name, Got: in.Clone(), Want: want}
}

// OutputShape returns (timesteps, units) with return_sequences, else (units).
func (r *Recurrent) OutputShape(in tensor.Shape) (tensor.Shape, error) {
	if len(in) != 2 {
		return nil, r.shapeError(in, "(timesteps, features): a recurrent layer takes 3-D input (batch, timesteps, features)")
	}
	if in[1] < 1 {
		return nil, r.shapeError(in, "a known number of features (the last dimension), not None")
	}
	if r.Built && in[1] != r.in {
		return nil, r.shapeError(in, fmt.Sprintf("(timesteps, %d): the features must match the kernel's %d inputs", r.in, r.in))
	}
	if r.ReturnSequences {
		return tensor.Shape{in[0], r.Units}, nil
	}
	return tensor.Shape{r.Units}, nil
}

// Build creates kernel (in, k·units), recurrent_kernel (units, k·units) and
// bias (k·units), or (2, 3·units) for GRU with reset_after.
func (r *Recurrent) Build(in tensor.Shape, rng *tensor.RNG) error {
	if _, err := r.OutputShape(in); err != nil {
		return err
	}
	if r.Built {
		return nil
	}
	r.in = in[1]
	ku := r.kind.gates() * r.Units
	var err error
	if r.kernel, err = r.kernelSpec.newParam(r.ClassName, "kernel", rng, r.in, ku); err != nil {
		return err
	}
	if r.recurrent, err = r.recurrentSpec.newParam(r.ClassName, "recurrent_kernel", rng, r.Units, ku); err != nil {
		return err
	}
	if r.UseBias {
		shape := []int{ku}
		if r.kind == kindGRU && r.ResetAfter {
			shape = []int{2, ku}
		}
		if r.bias, err = r.biasSpec.newParam(r.ClassName, "bias", rng, shape...); err != nil {
			return err
		}
		if r.UnitForgetBias {
			// Keras: bias = concat(bias_initializer(units), ones(units), bias_initializer(2·units)).
			for j := r.Units; j < 2*r.Units; j++ {
				r.bias.Value.Data[j] = 1
			}
		}
	}
	if r.rng == nil {
		if rng == nil {
			return fmt.Errorf("%s: Build needs a random source (rng) when the layer has no seed", r.ClassName)
		}
		r.rng = tensor.NewRNG(rng.Uint64())
	}
	r.Built = true
	return nil
}

// Params returns [kernel, recurrent_kernel, bias], Keras's get_weights order.
func (r *Recurrent) Params() []*Param {
	if !r.Built {
		return nil
	}
	ps := []*Param{r.kernel, r.recurrent}
	if r.UseBias {
		ps = append(ps, r.bias)
	}
	return ps
}

// SetMask gives the next Forward the time-step mask of its input: mask[b·T+t]
// is false where step t of row b is padding. nil means no mask.
func (r *Recurrent) SetMask(mask []bool) { r.mask = mask }

// ComputeMask returns the mask of the output: the input's with
// return_sequences (one entry per output step), none otherwise.
// Keras passes the mask on unchanged, even when go_backwards reverses the
// outputs' order.
func (r *Recurrent) ComputeMask(in []bool) []bool {
	if r.ReturnSequences {
		return in
	}
	return nil
}

// ResetStates sets a stateful layer's carried states back to zeros
// (Keras's layer.reset_states()).
func (r *Recurrent) ResetStates() { r.state = [2][]float32{} }

// IsStateful says whether the layer carries its states across batches.
func (r *Recurrent) IsStateful() bool { return r.Stateful }

// Config returns Keras's config of the layer.
func (r *Recurrent) Config() Config {
	m := map[string]any{
		"units":             r.Units,
		"activation":        r.Activation.Name(),
		"use_bias":          r.UseBias,
		"dropout":           r.Dropout,
		"recurrent_dropout": r.RecurrentDropout,
		"return_sequences":  r.ReturnSequences,
		"return_state":      false,
		"go_backwards":      r.GoBackwards,
		"stateful":          r.Stateful,
		"unroll":            r.Unroll,
		"seed":              seedConfig(r.Seed),
	}
	if r.ZeroOutputForMask {
		m["zero_output_for_mask"] = true // Keras writes it only when set
	}
	if r.kind != kindSimpleRNN {
		m["recurrent_activation"] = r.RecurrentActivation.Name()
	}
	if r.kind == kindLSTM {
		m["unit_forget_bias"] = r.UnitForgetBias
	}
	if r.kind == kindGRU {
		m["reset_after"] = r.ResetAfter
	}
	r.kernelSpec.config(m, "kernel")
	r.recurrentSpec.config(m, "recurrent")
	r.biasSpec.config(m, "bias")
	return Config{ClassName: r.ClassName, Config: r.BaseConfig(m)}
}

// outputMasked: a recurrent layer consumes its input's mask; with
// return_sequences its output carries it on.
func (r *Recurrent) outputMasked(in bool) (bool, error) { return in && r.ReturnSequences, nil }
