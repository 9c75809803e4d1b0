# keraswasm — one command for each thing a person needs; `make help` lists them.
# A line "## target: what it does" above a target is its entry in make help.
SHELL := /bin/bash
GO ?= go
GOFILES = $(shell git ls-files '*.go' 2>/dev/null; git ls-files --others --exclude-standard '*.go' 2>/dev/null)

.PHONY: test check fmt-check vet arrows gotest bench wasm wasmtest jstest wasmbench demo sitetest browsertest simd simdtest help doccheck h5test iobrowsertest bundletest tfjsfuzz doorfuzz soak

## test: everything CI checks (.ci/run calls it): check, Go, SIMD, wasm, JS, site and browser tests
test: check h5test tfjsfuzz doorfuzz gotest simdtest wasmtest jstest sitetest browsertest iobrowsertest bundletest

## check: the quick static checks: gofmt, go vet (native and js/wasm), the package arrows, doc comment names
check: fmt-check vet arrows doccheck

## fmt-check: fail if gofmt would change a Go file
fmt-check:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

## vet: go vet, natively and for GOOS=js GOARCH=wasm
vet:
	$(GO) vet ./...
	GOOS=js GOARCH=wasm $(GO) vet ./wasm/...

## arrows: the one-way package arrows (scripts/arrows.sh)
arrows:
	@./scripts/arrows.sh

## doccheck: fail on a Go doc comment that begins with another declaration's name (scripts/doccheck)
doccheck:
	@$(GO) run ./scripts/doccheck nn sequential tensor wasm demo internal scripts

## h5test: HDF5 interop (h5py reads our files, we read h5py's) and the HDF5 and .keras fuzz targets, bounded
h5test:
	./scripts/ensure-h5py.sh
	$(GO) test -count=1 -run 'H5py' ./internal/hdf5 ./sequential
	$(GO) test -run '^$$' -fuzz FuzzRead -fuzztime 5s ./internal/hdf5
	$(GO) test -run '^$$' -fuzz '^FuzzLoadKeras$$' -fuzztime 5s ./sequential

## doorfuzz: the wasm door's fuzz target (fuzzed call sequences on the Runtime), 5 s (seeds: wasm/testdata/fuzz)
doorfuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzDoor$$' -fuzztime 5s -fuzzminimizetime 5s ./wasm

## tfjsfuzz: the TF.js model.json, weights-manifest and IDX (MNIST) fuzz targets, 5 s each (seeds: */testdata/fuzz)
tfjsfuzz:
	$(GO) test -run '^$$' -fuzz '^FuzzTFJSModelJSON$$' -fuzztime 5s -fuzzminimizetime 5s ./sequential
	$(GO) test -run '^$$' -fuzz '^FuzzTFJSWeightsManifest$$' -fuzztime 5s -fuzzminimizetime 5s ./sequential
	$(GO) test -run '^$$' -fuzz '^FuzzIDX$$' -fuzztime 5s -fuzzminimizetime 5s ./internal/idx

## gotest: the native Go tests of every package
gotest:
	$(GO) test -count=1 ./...

# The browser runtime: js/dist/keras.wasm, the SIMD GEMM module it imports
# (js/dist/keraswasm_simd.wasm, make simd) and the wasm_exec.js of the same Go.
## wasm: build the browser runtime into js/dist (keras.wasm, the SIMD kernel, wasm_exec.js)
wasm: simd
	@mkdir -p js/dist
	GOOS=js GOARCH=wasm $(GO) build -trimpath -ldflags='-s -w' -o js/dist/keras.wasm ./wasm
	cp "$$($(GO) env GOROOT)/lib/wasm/wasm_exec.js" js/dist/wasm_exec.js

# The Go side of the wasm door, run under Node (with the SIMD kernel's imports).
## wasmtest: the wasm package's Go tests under Node, with the SIMD kernel
wasmtest: simd
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(CURDIR)/scripts/go_js_wasm_exec_simd" ./wasm/...

# The JS package under Node's test runner.
# The package as a web developer bundles it: Vite, esbuild, webpack and TypeScript pinned in js/package-lock.json.
JS_NPM := js/node_modules/.package-lock.json
$(JS_NPM): js/package.json js/package-lock.json
	cd js && npm ci --no-audit --no-fund
	@touch $@

# @tensorflow/tfjs 4.22 for the keras.tf parity test, from the parity generator's committed lock file.
TFJS_NPM := testdata/parity/gen/node_modules/.package-lock.json
$(TFJS_NPM): testdata/parity/gen/package-lock.json
	cd testdata/parity/gen && npm ci --no-audit --no-fund

## jstest: the JS package's tests under Node's test runner
jstest: wasm $(TFJS_NPM) $(JS_NPM)
	cd js && node --test test/


# 2,000 mixed calls with random bad inputs, memory-limit changes and
# disposes on one runtime, on the main thread and with a worker: every call
# works or fails with a Keras error class, no Promise is left pending, wasm
# memory stays bounded, and a fresh model trains at the end (not in test).
## soak: 2,000 random good and bad calls on one runtime (main thread, worker); figures printed
soak: wasm
	cd js && node soak/soak.mjs 2000 12 && node soak/soak.mjs 2000 7 --worker

# The runtime's size and its MNIST-MLP training speed in Node beside native Go.
## wasmbench: the runtime's size and its MNIST-MLP speed in Node beside native Go
wasmbench: wasm
	node js/bench/size.mjs
	$(GO) test -run '^$$' -bench MNISTMLP -benchtime 3x ./wasm/
	node js/bench/mnist_mlp.mjs 3

# bench: Go kernel and fit benchmarks natively, then every workload of
# bench/workloads.json trained by keraswasm (wasm, in Node) beside
# TensorFlow.js 4.22's wasm and cpu backends in the same process, then W1,
# W3 and W4 at the note's size in headless Chromium beside TF.js wasm, cpu
# and webgl (bench/browser.mjs), with peak memory per runner.
## bench: Go kernel and fit benchmarks, then keraswasm beside TF.js 4.22 in Node and in Chromium, with peak memory (bench/)
bench: wasm demo/node_modules/.package-lock.json
	$(GO) test -run '^$$' -bench . -benchmem ./tensor/ ./sequential/
	cd bench && npm ci --no-audit --no-fund && mkdir -p ../build && node run.mjs --json ../build/bench.json
	./demo/test/ensure-chromium.sh && node bench/browser.mjs --only mnist-mlp,seed-mlp,mnist-cnn,seed-cnn-note,imdb-lstm \
		--runners keraswasm,keraswasm-worker,keraswasm-workers2,keraswasm-relaxed,tfjs-wasm,tfjs-cpu,tfjs-webgl \
		--tfjs-samples mnist-cnn=128,imdb-lstm=32 --gemm 256

# The WebAssembly SIMD kernels that the wasm build imports: wabt (npm,
# pinned in wasm/simd/package-lock.json) assembles wasm/simd/gemm.wat, with
# the functions of elementwise.wat and optimizers.wat spliced in, into
# js/dist/keraswasm_simd.wasm. simdtest runs tensor's and nn's tests and W1's and W3's
# allocation-free steps under wasm through it (scripts/go_js_wasm_exec_simd)
# and the JS kernel tests.
# It also writes their relaxed-SIMD variant, js/dist/keraswasm_simd_relaxed.wasm
# (wasm/simd/relax.mjs; loadKeras({simd: 'relaxed'})).
## simd: assemble the SIMD kernels (wasm/simd/*.wat) into js/dist/keraswasm_simd.wasm and its relaxed variant
simd: js/dist/keraswasm_simd.wasm js/dist/keraswasm_simd_relaxed.wasm

js/dist/keraswasm_simd.wasm js/dist/keraswasm_simd_relaxed.wasm &: $(wildcard wasm/simd/*.wat) wasm/simd/build.mjs wasm/simd/relax.mjs wasm/simd/node_modules/.package-lock.json
	node wasm/simd/build.mjs js/dist/keraswasm_simd.wasm js/dist/keraswasm_simd_relaxed.wasm

wasm/simd/node_modules/.package-lock.json: wasm/simd/package-lock.json
	cd wasm/simd && npm ci --no-audit --no-fund

## simdtest: tensor's and nn's tests and the zero-allocation steps under wasm through the SIMD kernels, and the JS kernel tests
simdtest: simd
	GOOS=js GOARCH=wasm $(GO) vet ./tensor/
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(CURDIR)/scripts/go_js_wasm_exec_simd" ./tensor/ ./nn/
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(CURDIR)/scripts/go_js_wasm_exec_simd" -run 'TestWorkloadStepsAllocateNothing' ./sequential/
	node --test js/test/simd.test.mjs

# parity-fixtures regenerates the TF.js reference values under testdata/parity/
# (needs Node >= 20 and the npm registry; run by hand and commit the JSON).
.PHONY: parity-fixtures
## parity-fixtures: regenerate the TF.js reference values under testdata/parity (needs npm)
parity-fixtures:
	cd testdata/parity/gen && npm ci --no-audit --no-fund && node gen.mjs

# The demo site (demo/): a Go server on loopback, the page, and its tests in headless Chromium.
DEMO_ADDR ?= 127.0.0.1:8080
DEMO_NPM := demo/node_modules/.package-lock.json

## demo: build the runtime and serve the demo site on DEMO_ADDR (default 127.0.0.1:8080; prints the URL)
demo: wasm
	$(GO) run ./demo -addr $(DEMO_ADDR)

# npm ci installs exactly the committed demo/package-lock.json (playwright-core; no browser download).
$(DEMO_NPM): demo/package.json demo/package-lock.json
	cd demo && npm ci --no-audit --no-fund
	@touch $@

## sitetest: the demo site's tests under Node (no browser)
sitetest:
	node --test demo/test/site.test.mjs demo/test/params.test.mjs

## browsertest: the demo page in headless Chromium, served by the real demo server
browsertest: wasm $(DEMO_NPM)
	@mkdir -p build
	$(GO) build -o build/demo-server ./demo
	./demo/test/ensure-chromium.sh
	cd demo && DEMO_SERVER=$(CURDIR)/build/demo-server node --test --test-concurrency=1 test/browser.test.mjs test/save_browser.test.mjs test/examples_browser.test.mjs test/parallel_browser.test.mjs test/relaxed_browser.test.mjs

## iobrowsertest: the browser IO handlers (js/src/io) beside TF.js 4.22 in headless Chromium
iobrowsertest: $(DEMO_NPM) $(TFJS_NPM)
	./demo/test/ensure-chromium.sh
	cd demo && node --test test/io_browser.test.mjs

## bundletest: Vite, esbuild and webpack builds of a page importing the package, run in headless Chromium (js/bundle/)
bundletest: wasm $(JS_NPM)
	./demo/test/ensure-chromium.sh
	cd js && node --test bundle/

## help: list the targets, one line each (and fail if a .PHONY target has no "## " line)
help:
	@./scripts/make_help.sh Makefile
