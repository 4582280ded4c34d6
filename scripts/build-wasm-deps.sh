#!/usr/bin/env bash
# Builds the WebAssembly dependencies (zlib, OpenJPEG, DCMTK, Dear ImGui) from
# Debian source packages with Debian's Emscripten, into a cache outside the
# clone. Each build lands in a directory named by package version and a hash of
# its build recipe, so a second run (or a second clone) reuses it, and a Debian
# security update or a changed flag triggers exactly one rebuild.
#
# Prints nothing but progress; the resulting prefixes are written to
# $LOCALSEG_CACHE/wasm-deps.cmake for the project's CMake build.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

SRC_ROOT="$LOCALSEG_CACHE/src"
WASM_ROOT="$LOCALSEG_CACHE/wasm"
JOBS="${JOBS:-$(nproc)}"
# The page decodes in worker threads (Emscripten pthreads; it is cross-origin
# isolated), and a module with shared memory may only link objects compiled
# for it, so every dependency is compiled with -pthread.
WASM_THREAD_FLAGS="-pthread"
mkdir -p "$SRC_ROOT" "$WASM_ROOT" "$LOCALSEG_CACHE/build"

build_zlib() {
  local version; version="$(debian_source_version zlib)"
  ZLIB_PREFIX="$WASM_ROOT/zlib-$(recipe_key build_zlib "$version")"
  [[ -f "$ZLIB_PREFIX/.done" ]] && return
  local src; src="$(fetch_source zlib "$version")"
  log "building zlib $version (wasm)"
  local work="$LOCALSEG_CACHE/build/$(basename "$ZLIB_PREFIX")"
  rm -rf "$work" && cp -a "$src" "$work"
  # The dfsg source lacks win32/, so zlib's CMake build cannot be used.
  (cd "$work" && CFLAGS="-O2 $WASM_THREAD_FLAGS" emconfigure ./configure --static --prefix="$ZLIB_PREFIX" \
      && emmake make -j"$JOBS" libz.a && emmake make install) >"$work.log" 2>&1 \
    || die "zlib build failed, see $work.log"
  touch "$ZLIB_PREFIX/.done"
}

build_openjpeg() {
  local version; version="$(debian_source_version openjpeg2)"
  OPENJPEG_PREFIX="$WASM_ROOT/openjpeg2-$(recipe_key build_openjpeg "$version")"
  [[ -f "$OPENJPEG_PREFIX/.done" ]] && return
  local src; src="$(fetch_source openjpeg2 "$version")"
  log "building OpenJPEG $version (wasm, ~4 min)"
  local work="$LOCALSEG_CACHE/build/$(basename "$OPENJPEG_PREFIX")"
  rm -rf "$work" && mkdir -p "$work"
  (cd "$work" && emcmake cmake "$src" -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_INSTALL_PREFIX="$OPENJPEG_PREFIX" -DBUILD_SHARED_LIBS=OFF \
      -DBUILD_CODEC=OFF -DBUILD_TESTING=OFF -DOPJ_USE_THREAD=OFF \
      -DBUILD_JPIP=OFF -DBUILD_JAVA=OFF -DCMAKE_C_FLAGS="$WASM_THREAD_FLAGS" \
      && emmake make -j"$JOBS" && emmake make install) >"$work.log" 2>&1 \
    || die "OpenJPEG build failed, see $work.log"
  touch "$OPENJPEG_PREFIX/.done"
}

build_dcmtk() {
  local version; version="$(debian_source_version dcmtk)"
  local exceptions="$REPO_ROOT/cmake/dcmtk-wasm-exceptions.cmake"  # part of the recipe
  DCMTK_PREFIX="$WASM_ROOT/dcmtk-$(recipe_key build_dcmtk "$version")-$(sha256sum <"$exceptions" | cut -c1-6)"
  [[ -f "$DCMTK_PREFIX/.done" ]] && return
  local src; src="$(fetch_source dcmtk "$version")"
  local work="$LOCALSEG_CACHE/build/$(basename "$DCMTK_PREFIX")"
  rm -rf "$work" && mkdir -p "$work"
  local srccopy="$work/src"
  cp -a "$src" "$srccopy"
  # Its integer divide-by-zero probe is an uncatchable trap in WebAssembly.
  patch -d "$srccopy" -p1 <"$REPO_ROOT/scripts/patches/dcmtk-arith-wasm.patch" >/dev/null
  # What the fuzzer found in DCMTK and its bundled IJG and CharLS (docs/reliability.md, #5-#9).
  patch -d "$srccopy" -p1 <"$REPO_ROOT/scripts/patches/dcmtk-fuzz-fixes.patch" >/dev/null

  local probes="$REPO_ROOT/cmake/dcmtk-emscripten-probes.cmake"
  local initial_cache=()
  if [[ -f "$probes" ]]; then
    initial_cache=(-C "$probes")
    log "building DCMTK $version (wasm; configure ~2 min with recorded probes, build ~6 min)"
  else
    log "building DCMTK $version (wasm; no recorded probes: configure takes ~30 min)"
  fi
  local node_emulator="/usr/bin/node;--no-experimental-fetch"
  (cd "$work" && emcmake cmake "${initial_cache[@]}" "$srccopy" -B build \
      -DCMAKE_BUILD_TYPE=Release \
      -DCMAKE_INSTALL_PREFIX="$DCMTK_PREFIX" \
      -DCMAKE_INSTALL_DATADIC="$DCMTK_PREFIX/share/dcmtk" \
      -DCMAKE_CROSSCOMPILING_EMULATOR="$node_emulator" \
      -DCMAKE_EXE_LINKER_FLAGS="-sNODERAWFS=1 -O0 $WASM_THREAD_FLAGS" \
      -DCMAKE_CXX_FLAGS="$WASM_THREAD_FLAGS" -DCMAKE_C_FLAGS="$WASM_THREAD_FLAGS" \
      -DCMAKE_PROJECT_DCMTK_INCLUDE="$exceptions" \
      "${DCMTK_OPTIONS[@]}" -DHAVE_FENV_H=0 \
      -DZLIB_INCLUDE_DIR="$ZLIB_PREFIX/include" -DZLIB_LIBRARY="$ZLIB_PREFIX/lib/libz.a" \
      && cmake --build build -j"$JOBS" && cmake --install build) >"$work.log" 2>&1 \
    || die "DCMTK build failed, see $work.log"
  if [[ ! -f "$probes" ]]; then
    "$REPO_ROOT/scripts/record-dcmtk-probes.sh" "$work/build/CMakeCache.txt" "$probes"
    log "recorded DCMTK configure probes into $probes (commit it)"
  fi
  touch "$DCMTK_PREFIX/.done"
}

build_imgui() {
  local version; version="$(debian_source_version imgui)"
  IMGUI_SRC="$WASM_ROOT/imgui-$(recipe_key build_imgui "$version")"
  [[ -f "$IMGUI_SRC/.done" ]] && return
  local src; src="$(fetch_source imgui "$version")"
  # Dear ImGui is compiled as part of the app (a handful of files); keep a
  # pristine copy of the sources it needs.
  rm -rf "$IMGUI_SRC" && mkdir -p "$IMGUI_SRC/backends"
  cp "$src"/imgui*.cpp "$src"/imgui*.h "$src"/imconfig.h "$src"/imstb_*.h "$IMGUI_SRC/"
  cp "$src"/backends/imgui_impl_glfw.* "$src"/backends/imgui_impl_opengl3* "$IMGUI_SRC/backends/"
  touch "$IMGUI_SRC/.done"
}

build_zlib
build_openjpeg
build_dcmtk
build_imgui

cat >"$LOCALSEG_CACHE/wasm-deps.cmake" <<CMAKE
# Written by scripts/build-wasm-deps.sh
set(LOCALSEG_ZLIB_PREFIX "$ZLIB_PREFIX")
set(LOCALSEG_OPENJPEG_PREFIX "$OPENJPEG_PREFIX")
set(LOCALSEG_DCMTK_PREFIX "$DCMTK_PREFIX")
set(LOCALSEG_IMGUI_DIR "$IMGUI_SRC")
CMAKE
log "wasm dependencies ready in $WASM_ROOT"
