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
# Debian's python, with its python3-torch & co (another python3 may come first on PATH).
PYTHON := /usr/bin/python3
NATIVE_DIR := build/native
WASM_DIR := build/wasm

.PHONY: all deps wasm-deps native wasm run test test-native test-wasm test-node test-e2e test-model \
        model eval-model bench-inference bench-restore bench-annotate bench-viewer bench-dicom \
        test-restore restore-models eval-restore fuzz-build test-fuzz fuzz clean

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

# The built-in model's recipe: training steps lower the loss, the export has
# SAM's signature, the evaluation reproduces the model card on a fixed subset.
test-model: deps
	@$(PYTHON) tools/train/test_train.py
	@$(PYTHON) tools/eval/test_eval.py

# The restoration denoisers' recipe: noise simulators, a few training steps,
# the export's signature, the shipped models denoise a held-out slice.
test-restore: deps
	@OMP_NUM_THREADS=1 $(PYTHON) tools/restore/test_restore.py

# The DICOM fuzzer (clang, libFuzzer, ASan + UBSan, over DCMTK and OpenJPEG built
# with the same instrumentation by scripts/build-fuzz-deps.sh): `make test` replays the
# committed reproducers and fuzzes for 60 s; `make fuzz FUZZ_SECONDS=1800` runs longer.
FUZZ_DIR := build/fuzz
FUZZ_SECONDS ?= 1800
fuzz-build: deps
	@scripts/build-fuzz-deps.sh
	@CC=clang CXX=clang++ cmake -S . -B $(FUZZ_DIR) -DCMAKE_BUILD_TYPE=RelWithDebInfo -DLOCALSEG_FUZZ=ON \
	  -C $(LOCALSEG_CACHE)/fuzz-deps.cmake >/dev/null
	@cmake --build $(FUZZ_DIR) -j$(JOBS) --target localseg_dicom_fuzzer

test-fuzz: fuzz-build
	@scripts/run-fuzzer.sh 60

fuzz: fuzz-build
	@scripts/run-fuzzer.sh $(FUZZ_SECONDS)

test: test-native test-wasm test-node test-model test-restore test-fuzz test-e2e

# Retrains the built-in model from its fixed seed (resumable: checkpoints in
# $(MODEL_RUN), keyed by the recipe's sources so a changed recipe never
# resumes an old run) and exports it to models/builtin. About 85 minutes on 2
# idle cores.
MODEL_STEPS ?= 3000
MODEL_RECIPE := $(shell cat $(filter-out %/test_train.py,$(sort $(wildcard tools/train/*.py))) | sha256sum | cut -c1-12)
MODEL_RUN ?= $(LOCALSEG_CACHE)/train-$(MODEL_STEPS)-$(MODEL_RECIPE)
model: deps
	@OMP_WAIT_POLICY=PASSIVE $(PYTHON) tools/train/train.py --steps $(MODEL_STEPS) --out $(MODEL_RUN)
	@$(PYTHON) tools/export/export.py --checkpoint $(MODEL_RUN)/checkpoint.pt --out models/builtin

# Retrains the CT and MR denoisers from their fixed seeds (resumable:
# checkpoints in $(LOCALSEG_CACHE)/restore-*) and exports them to
# models/denoise-ct and models/denoise-mr. About 35 minutes on one core.
restore-models: deps
	@OMP_NUM_THREADS=1 $(PYTHON) tools/restore/train.py --modality ct --steps 4000 --batch 12 --crop 128 --out $(LOCALSEG_CACHE)/restore-ct-lesions
	@$(PYTHON) tools/restore/export.py --modality ct --checkpoint $(LOCALSEG_CACHE)/restore-ct-lesions/checkpoint.pt --out models/denoise-ct
	@OMP_NUM_THREADS=1 $(PYTHON) tools/restore/train.py --modality mr --steps 3500 --batch 12 --crop 128 --out $(LOCALSEG_CACHE)/restore-mr-lesions
	@$(PYTHON) tools/restore/export.py --modality mr --checkpoint $(LOCALSEG_CACHE)/restore-mr-lesions/checkpoint.pt --out models/denoise-mr

# The denoisers against NLM, bilateral, diffusion and median on held-out
# sources: PSNR/SSIM and the contrast small inserted lesions keep.
eval-restore: deps
	@OMP_NUM_THREADS=1 $(PYTHON) tools/restore/evaluate.py

# The built-in model against classical baselines on the held-out sets.
eval-model: deps
	@$(PYTHON) tools/eval/evaluate.py --model models/builtin

# Benchmarks print ratios against a peer measured in the same run.
bench-inference: wasm
	@LOCALSEG_DIST=$(WASM_DIR)/dist node bench/inference.mjs

# One 512 x 512 CT slice restored in the page, each method; learned models
# against a bare onnxruntime-web run of the same model.
bench-restore: wasm
	@LOCALSEG_DIST=$(WASM_DIR)/dist node bench/restore.mjs

# Brush, undo of a 100-slice propagation and SEG export on a 512x512x300 CT in the page.
bench-annotate: wasm
	@LOCALSEG_DIST=$(WASM_DIR)/dist node bench/annotate.mjs

# Frame times of the 2x2 layout on a 512x512x300 CT while scrolling and
# windowing, against a bare WebGL2 page drawing one slice (the floor).
bench-viewer: wasm
	@LOCALSEG_DIST=$(WASM_DIR)/dist node bench/viewer.mjs

# Decode speed per transfer syntax: native DCMTK (same code), the page's
# WebAssembly build, and dicom-parser + Cornerstone's codecs in the same page.
bench-dicom: wasm native
	@LOCALSEG_DIST=$(WASM_DIR)/dist node bench/dicom.mjs

clean:
	rm -rf build
