# keraswasm — one command for each thing a person needs.
#   make test   everything CI checks (see .ci/run)
#   make bench  the speed numbers (never part of test)
SHELL := /bin/bash
GO ?= go
GOFILES = $(shell git ls-files '*.go' 2>/dev/null; git ls-files --others --exclude-standard '*.go' 2>/dev/null)

.PHONY: test check fmt-check vet arrows gotest bench

test: check gotest

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

# parity-fixtures regenerates the TF.js reference values under testdata/parity/
# (needs Node >= 20 and the npm registry; run by hand and commit the JSON).
.PHONY: parity-fixtures
parity-fixtures:
	cd testdata/parity/gen && npm ci --no-audit --no-fund && node gen.mjs
