# keraswasm — one command for each thing a person needs.
#   make test   everything CI checks (see .ci/run)
#   make bench  the speed numbers (never part of test)
SHELL := /bin/bash
GO ?= go
GOFILES = $(shell git ls-files '*.go' 2>/dev/null; git ls-files --others --exclude-standard '*.go' 2>/dev/null)

.PHONY: test check fmt-check vet arrows gotest bench simd simdtest

test: check gotest simdtest

check: fmt-check vet arrows

fmt-check:
	@out=$$(gofmt -l $(GOFILES)); if [ -n "$$out" ]; then echo "gofmt would change:"; echo "$$out"; exit 1; fi

vet:
	$(GO) vet ./...

arrows:
	@./scripts/arrows.sh

gotest:
	$(GO) test -count=1 ./...

bench:
	$(GO) test -run '^$$' -bench . -benchmem ./tensor/ ./sequential/

# The WebAssembly SIMD GEMM kernel that the wasm build imports: wabt (npm,
# pinned in wasm/simd/package-lock.json) assembles wasm/simd/gemm.wat into
# js/dist/keraswasm_simd.wasm. simdtest runs tensor's tests under wasm through
# it (scripts/go_js_wasm_exec_simd) and the JS kernel tests.
simd: js/dist/keraswasm_simd.wasm

js/dist/keraswasm_simd.wasm: wasm/simd/gemm.wat wasm/simd/build.mjs wasm/simd/node_modules/.package-lock.json
	node wasm/simd/build.mjs $@

wasm/simd/node_modules/.package-lock.json: wasm/simd/package-lock.json
	cd wasm/simd && npm ci --no-audit --no-fund

simdtest: simd
	GOOS=js GOARCH=wasm $(GO) vet ./tensor/
	GOOS=js GOARCH=wasm $(GO) test -count=1 -exec="$(CURDIR)/scripts/go_js_wasm_exec_simd" ./tensor/
	node --test js/test/simd.test.mjs

# parity-fixtures regenerates the TF.js reference values under testdata/parity/
# (needs Node >= 20 and the npm registry; run by hand and commit the JSON).
.PHONY: parity-fixtures
parity-fixtures:
	cd testdata/parity/gen && npm ci --no-audit --no-fund && node gen.mjs
