package sequential

import "github.com/keraswasm/keraswasm/nn"

// KindCallbacks is the catalog kind of callbacks.
const KindCallbacks = "callbacks"

// NameTable is the whole table of names: by kind (layers, optimizers,
// losses, metrics, activations, initializers, regularizers, constraints,
// callbacks), every class and function that can be made from a name or a
// config, with its aliases and Keras positional signature; and the Keras
// names that are known but not built here. The JS namespace is built from
// it when the runtime loads.
type NameTable struct {
	Kinds          map[string][]nn.Entry `json:"kinds"`
	NotImplemented map[string][]string   `json:"not_implemented"`
}

// inputLayerEntry is the layer the model itself reads (an InputLayer config
// sets the model's input): Keras 2's InputLayer(input_shape, batch_size,
// dtype, input_tensor, sparse, name, ragged).
var inputLayerEntry = nn.Entry{Name: "InputLayer",
	Args: []string{"input_shape", "batch_size", "dtype", "input_tensor", "sparse", "name", "ragged"}}

// Catalog returns the table of names: nn's registries, the InputLayer and
// the callbacks.
func Catalog() NameTable {
	t := NameTable{Kinds: nn.Catalog(), NotImplemented: nn.NotImplementedNames()}
	t.Kinds[nn.KindLayers] = append(t.Kinds[nn.KindLayers], inputLayerEntry)
	t.Kinds[KindCallbacks] = append([]nn.Entry(nil), callbackEntries...)
	t.NotImplemented[KindCallbacks] = append([]string(nil), missingCallbacks...)
	return t
}
