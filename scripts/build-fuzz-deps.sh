#!/usr/bin/env bash
# Builds DCMTK and OpenJPEG natively from the same Debian source packages as the
# WebAssembly build, with clang and the fuzzer's instrumentation (libFuzzer
# coverage, AddressSanitizer, UBSan), so the fuzzer steers into the codecs and
# catches their memory errors too, not only LocalSeg's own code. Cached outside
# the clone, keyed like the wasm dependencies (version + recipe hash).
#
# Writes $LOCALSEG_CACHE/fuzz-deps.cmake for `make fuzz-build`.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

FUZZ_ROOT="$LOCALSEG_CACHE/fuzz"
JOBS="${JOBS:-$(nproc)}"
mkdir -p "$FUZZ_ROOT" "$LOCALSEG_CACHE/build"

# UBSan recovers inside the libraries (a report, not a stop; the fuzz run's log
# keeps them) while LocalSeg's own code stops at the first report.
FUZZ_DEP_FLAGS="-O1 -g -fno-omit-frame-pointer -fsanitize=address,undefined,fuzzer-no-link"

build_fuzz_openjpeg() {
  local version; version="$(debian_source_version openjpeg2)"
  FUZZ_OPENJPEG_PREFIX="$FUZZ_ROOT/openjpeg2-$(recipe_key build_fuzz_openjpeg "$version")"
  [[ -f "$FUZZ_OPENJPEG_PREFIX/.done" ]] && return
  local src; src="$(fetch_source openjpeg2 "$version")"
  log "building OpenJPEG $version (native, instrumented for the fuzzer, ~2 min)"
  local work="$LOCALSEG_CACHE/build/fuzz-$(basename "$FUZZ_OPENJPEG_PREFIX")"
  rm -rf "$work" && mkdir -p "$work"
  (cd "$work" && CC=clang CXX=clang++ cmake "$src" -DCMAKE_BUILD_TYPE=None \
      -DCMAKE_C_FLAGS="$FUZZ_DEP_FLAGS" -DCMAKE_INSTALL_PREFIX="$FUZZ_OPENJPEG_PREFIX" \
      -DBUILD_SHARED_LIBS=OFF -DBUILD_CODEC=OFF -DBUILD_TESTING=OFF -DOPJ_USE_THREAD=OFF \
      -DBUILD_JPIP=OFF -DBUILD_JAVA=OFF \
      && make -j"$JOBS" && make install) >"$work.log" 2>&1 \
    || die "OpenJPEG (fuzz) build failed, see $work.log"
  touch "$FUZZ_OPENJPEG_PREFIX/.done"
}

build_fuzz_dcmtk() {
  local version; version="$(debian_source_version dcmtk)"
  FUZZ_DCMTK_PREFIX="$FUZZ_ROOT/dcmtk-$(recipe_key build_fuzz_dcmtk "$version")"
  [[ -f "$FUZZ_DCMTK_PREFIX/.done" ]] && return
  local src; src="$(fetch_source dcmtk "$version")"
  log "building DCMTK $version (native, instrumented for the fuzzer, ~10 min)"
  local work="$LOCALSEG_CACHE/build/fuzz-$(basename "$FUZZ_DCMTK_PREFIX")"
  rm -rf "$work" && mkdir -p "$work"
  cp -a "$src" "$work/src"
  patch -d "$work/src" -p1 <"$REPO_ROOT/scripts/patches/dcmtk-fuzz-fixes.patch" >/dev/null
  # The same modules, options and fixes as the page's build, so the fuzzer
  # runs the code the page runs.
  (cd "$work" && CC=clang CXX=clang++ cmake "$work/src" -B build -DCMAKE_BUILD_TYPE=None \
      -DCMAKE_C_FLAGS="$FUZZ_DEP_FLAGS" -DCMAKE_CXX_FLAGS="$FUZZ_DEP_FLAGS" \
      -DCMAKE_INSTALL_PREFIX="$FUZZ_DCMTK_PREFIX" -DCMAKE_INSTALL_DATADIC="$FUZZ_DCMTK_PREFIX/share/dcmtk" \
      "${DCMTK_OPTIONS[@]}" \
      && cmake --build build -j"$JOBS" && cmake --install build) >"$work.log" 2>&1 \
    || die "DCMTK (fuzz) build failed, see $work.log"
  touch "$FUZZ_DCMTK_PREFIX/.done"
}

build_fuzz_openjpeg
build_fuzz_dcmtk

cat >"$LOCALSEG_CACHE/fuzz-deps.cmake" <<CMAKE
# Written by scripts/build-fuzz-deps.sh
set(DCMTK_DIR "$FUZZ_DCMTK_PREFIX/lib/cmake/dcmtk" CACHE PATH "" FORCE)
set(OPENJPEG_INCLUDE_DIR "$FUZZ_OPENJPEG_PREFIX/include/openjpeg-2.5" CACHE PATH "" FORCE)
set(OPENJPEG_LIBRARY "$FUZZ_OPENJPEG_PREFIX/lib/libopenjp2.a" CACHE FILEPATH "" FORCE)
CMAKE
log "instrumented fuzzing dependencies ready in $FUZZ_ROOT"
