package nn

import (
	"regexp"
	"slices"
	"sort"
	"strings"
)

// The two passes of Keras's snake_case rule: a capital that starts a word
// (an upper-case letter followed by lower-case letters or digits) gets an
// underscore before it, then so does any capital right after a lower-case
// letter.
var (
	snakeWord  = regexp.MustCompile(`(.)([A-Z][a-z0-9]+)`)
	snakeUpper = regexp.MustCompile(`([a-z])([A-Z])`)
)

// SnakeCase turns a class name into Keras's snake_case name, the one rule
// behind default layer names (Dense → dense, Conv2D → conv2d, ReLU → re_lu,
// LeakyReLU → leaky_re_lu, GlobalAveragePooling2D →
// global_average_pooling2d) and the function spellings of classes
// (GlorotUniform → glorot_uniform, L1L2 → l1_l2). A result that would start
// with an underscore (a private class) is prefixed with "private", as Keras
// does, so it stays a valid scope name.
//
// Keras: tf_keras/utils/generic_utils.py to_snake_case (Keras 2, which TF.js
// copies). Porting note: Keras 3's keras/src/utils/naming.py first drops
// non-word characters and ends a word only before lower-case letters, not
// digits (L1L2 → l1l2), and no longer adds "private"; every class name here
// gets the same answer from both except where digits follow a capital, and
// there Keras 2's answer is the one its function names use (l1_l2).
func SnakeCase(name string) string {
	s := snakeWord.ReplaceAllString(name, "${1}_${2}")
	s = strings.ToLower(snakeUpper.ReplaceAllString(s, "${1}_${2}"))
	if strings.HasPrefix(s, "_") {
		return "private" + s
	}
	return s
}

// functionStyle reports whether name is spelled as a Keras function
// ("mse", "glorot_uniform", "relu"): no capital letters. Class names
// ("MeanSquaredError", "GlorotUniform") have at least one.
func functionStyle(name string) bool { return name == strings.ToLower(name) }

// NewUnknownNameError is the error for name, which none of entries (the
// catalog of one kind, plural its plural) has. It lists the names of the
// user's spelling family, function names for a name without capitals and
// class names otherwise (all the names, when the kind has only one family),
// and suggests the nearest name when it is close.
func NewUnknownNameError(kind, plural, name string, entries []Entry) *UnknownNameError {
	fn := functionStyle(name)
	valid := familyNames(entries, fn)
	e := &UnknownNameError{Kind: kind, Name: name, Family: plural, Valid: valid}
	if hasFamily(entries, true) && hasFamily(entries, false) {
		e.Family = kind + " classes"
		if fn {
			e.Family = kind + " functions"
		}
	}
	e.Suggestion = nearest(name, spellings(entries, fn))
	if e.Suggestion == "" {
		e.Suggestion = nearest(name, spellings(entries, !fn))
		if fn && e.Suggestion != "" {
			// A kind of classes only (optimizers): Keras's get() takes the
			// lowercase class name ("adam", "rmsprop"), the spelling family
			// the user typed.
			e.Suggestion = strings.ToLower(e.Suggestion)
		}
	}
	return e
}

// familyNames returns the function-style names of entries (fn) or their
// class names, sorted; when entries have none of that family, the other's.
func familyNames(entries []Entry, fn bool) []string {
	var s []string
	for _, e := range entries {
		if e.Function == fn {
			s = append(s, e.Name)
		}
		if fn {
			s = append(s, e.Functions...)
		}
	}
	if len(s) == 0 && len(entries) > 0 {
		return familyNames(entries, !fn)
	}
	sort.Strings(s)
	return s
}

// hasFamily reports whether entries have function names (fn) or class names.
func hasFamily(entries []Entry, fn bool) bool {
	for _, e := range entries {
		if e.Function == fn || (fn && len(e.Functions) > 0) {
			return true
		}
	}
	return false
}

// spellings returns every name of the family, aliases included.
func spellings(entries []Entry, fn bool) []string {
	var s []string
	for _, e := range entries {
		for _, n := range e.names() {
			if functionStyle(n) == fn {
				s = append(s, n)
			}
		}
	}
	return s
}

// nearest is Nearest on normalized names (case and underscores ignored,
// as lookups ignore them), answering in the candidate's own spelling; the
// candidates are tried in sorted order so that ties always go the same way.
func nearest(name string, candidates []string) string {
	sorted := append([]string(nil), candidates...)
	sort.Strings(sorted)
	norm := make([]string, len(sorted))
	for i, c := range sorted {
		norm[i] = normalizeName(c)
	}
	n := Nearest(normalizeName(name), norm)
	if n == "" {
		return ""
	}
	return sorted[slices.Index(norm, n)]
}
