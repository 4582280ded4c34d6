# LocalSeg: `make run` serves the app at http://127.0.0.1:8080, `make test`
# runs every test. Both install what is missing first (Debian apt and npm
# only) and build the WebAssembly dependencies into $(LOCALSEG_CACHE) once.
SHELL := /bin/bash
MAKEFLAGS += --no-print-directory
LOCALSEG_CACHE ?= $(HOME)/.cache/localseg
export LOCALSEG_CACHE
JOBS ?= $(shell nproc)
PORT ?= 8080

EMENV := EMSDK_PYTHON=/usr/bin/python3 NODE_PATH=/usr/share/nodejs
NATIVE_DIR := build/native
WASM_DIR := build/wasm

.PHONY: all deps wasm-deps native wasm run test test-native test-wasm test-node test-e2e bench-inference clean

all: native wasm

deps:
	@scripts/install-system-deps.sh

wasm-deps: deps
	@scripts/build-wasm-deps.sh

native: deps
	@cmake -S . -B $(NATIVE_DIR) -DCMAKE_BUILD_TYPE=Release >/dev/null
	@cmake --build $(NATIVE_DIR) -j$(JOBS)

# The app (dist/) and the unit tests compiled to WebAssembly.
wasm: wasm-deps
	@$(EMENV) emcmake cmake -S . -B $(WASM_DIR) -DCMAKE_BUILD_TYPE=Release \
	  -DLOCALSEG_WASM_DEPS=$(LOCALSEG_CACHE)/wasm-deps.cmake \
	  -DCMAKE_CROSSCOMPILING_EMULATOR="/usr/bin/node;--no-experimental-fetch" >/dev/null
	@$(EMENV) cmake --build $(WASM_DIR) -j$(JOBS)

run: wasm
	@node web/server.mjs $(WASM_DIR)/dist $(PORT)

test-native: native
	@cd $(NATIVE_DIR) && ctest --output-on-failure

test-wasm: wasm
	@cd $(WASM_DIR) && $(EMENV) ctest --output-on-failure

# The page's ONNX Runtime bridge under Node (onnxruntime-node).
test-node: deps
	@node --test --test-reporter=spec tests/node/

test-e2e: wasm
	@LOCALSEG_DIST=$(WASM_DIR)/dist node --test --test-concurrency=1 --test-reporter=spec tests/e2e/

test: test-native test-wasm test-node test-e2e

# Benchmarks print ratios against a peer measured in the same run.
bench-inference: wasm
	@LOCALSEG_DIST=$(WASM_DIR)/dist node bench/inference.mjs

clean:
	rm -rf build
