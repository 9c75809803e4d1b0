package nn

import "fmt"

// SummedMetric is a Metric whose whole state is a vector of sums, so two
// copies that saw different samples merge by adding their states: Keras
// accumulates every built-in metric's variables with assign_add (Mean's
// total and count, the confusion metrics' counts per threshold), which is
// also how tf.distribute merges replicas' metrics. Data-parallel training
// (sequential.Parallel) uses it to make one epoch's logs from several
// replicas.
type SummedMetric interface {
	Metric
	// StateSize is the length of the state vector.
	StateSize() int
	// AppendState appends the state to dst and returns it.
	AppendState(dst []float64) []float64
	// AddState adds a state vector of StateSize values to the state.
	// It panics if src has another length.
	AddState(src []float64)
}

func (s *meanState) appendState(dst []float64) []float64 { return append(dst, s.total, s.count) }

func (s *meanState) addState(src []float64) {
	checkStateLen(src, 2)
	s.total += src[0]
	s.count += src[1]
}

func (c *confusionCounts) stateSize() int { return len(c.pos) + len(c.neg) }

func (c *confusionCounts) appendState(dst []float64) []float64 {
	return append(append(dst, c.pos...), c.neg...)
}

func (c *confusionCounts) addState(src []float64) {
	checkStateLen(src, c.stateSize())
	n := len(c.pos)
	for k := range c.pos {
		c.pos[k] += src[k]
		c.neg[k] += src[n+k]
	}
}

func checkStateLen(src []float64, n int) {
	if len(src) != n {
		panic(fmt.Sprintf("nn: metric state of %d values, expected %d", len(src), n))
	}
}

func (m *meanMetric) StateSize() int                      { return 2 }
func (m *meanMetric) AppendState(dst []float64) []float64 { return m.state.appendState(dst) }
func (m *meanMetric) AddState(src []float64)              { m.state.addState(src) }

func (m *Mean) StateSize() int                      { return 2 }
func (m *Mean) AppendState(dst []float64) []float64 { return m.state.appendState(dst) }
func (m *Mean) AddState(src []float64)              { m.state.addState(src) }

func (m *funcMetric) StateSize() int                      { return 2 }
func (m *funcMetric) AppendState(dst []float64) []float64 { return m.state.appendState(dst) }
func (m *funcMetric) AddState(src []float64)              { m.state.addState(src) }

func (m *auc) StateSize() int                      { return m.counts.stateSize() }
func (m *auc) AppendState(dst []float64) []float64 { return m.counts.appendState(dst) }
func (m *auc) AddState(src []float64)              { m.counts.addState(src) }

func (m *precisionRecall) StateSize() int                      { return m.counts.stateSize() }
func (m *precisionRecall) AppendState(dst []float64) []float64 { return m.counts.appendState(dst) }
func (m *precisionRecall) AddState(src []float64)              { m.counts.addState(src) }
