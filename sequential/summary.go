package sequential

import (
	"fmt"
	"strconv"
	"strings"
)

// Summary returns Keras's summary table of the model: each layer's name and
// class, output shape and parameter count, then the totals. For a model that
// is not built yet it returns Keras's message saying so (see SummaryE).
func (m *Model) Summary() string {
	s, err := m.SummaryE()
	if err != nil {
		return err.Error()
	}
	return s
}

// SummaryE is Summary with an error for a model that is not built.
//
// The layout is tf.keras's print_summary for sequential models as TF 2.9 to
// 2.12 print it: lines of 65 characters, columns ending at 29, 55 and 65, a
// leading space, a blank line after each layer, a long name wrapped onto the
// next line, and totals with thousands separators ("Total params:
// 7,998,250"). Keras: tf_keras/utils/layer_utils.py print_summary.
//
// Porting note: later tf-keras versions narrow the first two columns by one
// character and print the totals with their memory size and without
// separators; Keras 3 draws a box table.
func (m *Model) SummaryE() (string, error) { return m.SummaryWith(SummaryOptions{}) }

// SummaryOptions are Keras's summary arguments that change the table.
type SummaryOptions struct {
	// ShowTrainable adds tf.keras's "Trainable" column (Y or N per layer),
	// 11 characters wide.
	ShowTrainable bool
}

// SummaryWith is SummaryE with Keras's summary options.
func (m *Model) SummaryWith(o SummaryOptions) (string, error) {
	if !m.Built() {
		return "", fmt.Errorf("this model has not yet been built. Build the model first by giving its first layer an input shape (input_shape=...), calling build((None, ...)), or calling fit/predict on data")
	}
	lineLength := 65
	positions := []int{29, 55, 65}
	header := []string{"Layer (type)", "Output Shape", "Param #"}
	if o.ShowTrainable {
		lineLength += 11
		positions = append(positions, lineLength)
		header = append(header, "Trainable")
	}
	var b strings.Builder
	println := func(s string) { b.WriteString(s); b.WriteByte('\n') }
	println(fmt.Sprintf("Model: %q", m.name))
	println(strings.Repeat("_", lineLength))
	summaryRow(println, header, positions)
	println(strings.Repeat("=", lineLength))
	var tr, non int
	for i, l := range m.layers {
		t, n := layerParamCounts(l)
		tr, non = tr+t, non+n
		out := m.shapes[i].Clone()
		shape := append(m.in.batchShape()[:1:1], out...)
		fields := []string{
			l.Base().Name + " (" + l.Base().ClassName + ")",
			shape.String(),
			strconv.Itoa(t + n),
		}
		if o.ShowTrainable {
			fields = append(fields, map[bool]string{true: "Y", false: "N"}[l.Base().Trainable])
		}
		summaryRow(println, fields, positions)
		println(strings.Repeat(" ", lineLength))
	}
	println(strings.Repeat("=", lineLength))
	println("Total params: " + thousands(tr+non))
	println("Trainable params: " + thousands(tr))
	println("Non-trainable params: " + thousands(non))
	println(strings.Repeat("_", lineLength))
	return b.String(), nil
}

// summaryRow prints fields in columns ending at positions, wrapping a field
// that does not fit onto further lines, as print_summary's print_row does
// (it breaks after "),", "},", "]," or "',").
func summaryRow(println func(string), fields []string, positions []int) {
	left := append([]string(nil), fields...)
	for anyLeft(left) {
		line := ""
		for col := range left {
			start := 0
			if col > 0 {
				start = positions[col-1]
			}
			last := col == len(positions)-1
			space := 2
			if last {
				space = 0
			}
			cutoff := positions[col] - start - space
			fit := left[col]
			if len(fit) > cutoff {
				fit = fit[:cutoff]
			}
			best := -1
			for _, brk := range []string{"),", "},", "],", "',"} {
				if k := strings.Index(fit, brk); k >= 0 && (best < 0 || k+len(brk) < best) {
					best = k + len(brk)
				}
			}
			if best >= 0 {
				cutoff, fit = best, fit[:best]
			}
			if col == 0 {
				line += " "
			}
			line += fit + strings.Repeat(" ", space)
			if cutoff > len(left[col]) {
				cutoff = len(left[col])
			}
			left[col] = left[col][cutoff:]
			if pad := positions[col] - len(line); pad > 0 {
				line += strings.Repeat(" ", pad)
			}
		}
		println(line)
	}
}

func anyLeft(s []string) bool {
	for _, x := range s {
		if x != "" {
			return true
		}
	}
	return false
}

// thousands writes n with comma separators, as Python's "{:,}".
func thousands(n int) string {
	s := strconv.Itoa(n)
	neg := strings.HasPrefix(s, "-")
	if neg {
		s = s[1:]
	}
	var b strings.Builder
	for i, c := range s {
		if i > 0 && (len(s)-i)%3 == 0 {
			b.WriteByte(',')
		}
		b.WriteRune(c)
	}
	if neg {
		return "-" + b.String()
	}
	return b.String()
}
