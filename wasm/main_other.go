//go:build !(js && wasm)

package main

import (
	"fmt"
	"os"
)

// main explains how to build the runtime: natively this package only holds
// the code its tests exercise.
func main() {
	fmt.Fprintln(os.Stderr, "keraswasm runtime: build it for the browser with GOOS=js GOARCH=wasm (make wasm)")
	os.Exit(2)
}
