package main

import "fmt"

// Model names as Keras makes them: a model made without a name is
// "sequential", the next one "sequential_1", "sequential_2", ... counted per
// runtime (Keras counts per session: keras.src.backend.common.global_state's
// object-name uids, tf.keras 2's backend.unique_object_name), until
// keras.backend.clear_session() starts the count again. A name the user
// chose is taken as it is and does not count, as in Keras.

// autoName returns Keras's next name for base ("sequential"): base for the
// first, then base_1, base_2, ...
func (r *Runtime) autoName(base string) string {
	r.mu.Lock()
	defer r.mu.Unlock()
	if r.names == nil {
		r.names = map[string]int{}
	}
	n := r.names[base]
	r.names[base] = n + 1
	if n == 0 {
		return base
	}
	return fmt.Sprintf("%s_%d", base, n)
}

// ClearSession is keras.backend.clear_session(): the automatic model names
// start again at "sequential". The models alive stay alive and keep their
// names (Keras frees none either; dispose() does).
func (r *Runtime) ClearSession() {
	r.mu.Lock()
	defer r.mu.Unlock()
	r.names = nil
}
