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
