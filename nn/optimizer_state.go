package nn

// OptimizerStateValues returns the values of state o keeps per trainable
// weight: its slots (momentum, moments, ...) and the gradient buffer every
// optimizer holds for clipping. ok is false for an optimizer whose state is
// not known here (a caller then assumes the most any optimizer keeps).
// The memory estimate of a fit uses it: SGD with momentum keeps 2 values
// per weight, Adam 3, Adam with amsgrad 4.
func OptimizerStateValues(o Optimizer) (n int, ok bool) {
	r, ok := o.(interface{ newSlots(n int) [][]float32 })
	if !ok {
		return 0, false
	}
	return len(r.newSlots(0)) + 1, true
}
