package main

import "strings"

// lineWriter turns what the core's progress bar writes into whole lines for
// console.log, which cannot rewrite a line as a terminal does: a carriage
// return starts the line again and a backspace deletes a character, so each
// printed line is what a terminal would finally show.
type lineWriter struct {
	print func(string)
	line  []byte
}

func newLineWriter(print func(string)) *lineWriter { return &lineWriter{print: print} }

// Write implements io.Writer; it never fails.
func (w *lineWriter) Write(p []byte) (int, error) {
	for _, c := range p {
		switch c {
		case '\n':
			w.print(strings.TrimRight(string(w.line), " "))
			w.line = w.line[:0]
		case '\r':
			w.line = w.line[:0]
		case '\b':
			if len(w.line) > 0 {
				w.line = w.line[:len(w.line)-1]
			}
		default:
			w.line = append(w.line, c)
		}
	}
	return len(p), nil
}

// Flush prints a pending partial line, if any.
func (w *lineWriter) Flush() {
	if len(w.line) > 0 {
		w.print(strings.TrimRight(string(w.line), " "))
		w.line = w.line[:0]
	}
}
