#!/usr/bin/env bash
# Turns the platform probe results of a full DCMTK configure (CMakeCache.txt)
# into a CMake initial-cache file. Passed with `cmake -C`, it makes a fresh
# configure under emcc take ~1.5 min instead of ~30 min (each probe is an emcc
# link) while generating identical headers.
# usage: record-dcmtk-probes.sh path/to/CMakeCache.txt out.cmake
set -euo pipefail
cache="$1" out="$2"
{
  echo "# DCMTK configure probe results for Debian's Emscripten (wasm32)."
  echo "# Recorded by scripts/record-dcmtk-probes.sh from a full configure; see"
  echo "# scripts/build-wasm-deps.sh. Delete this file to re-probe."
  grep -E '^(HAVE_|SIZEOF_|C_CHAR_|ATTRIBUTE_|DCMTK_HAVE_|CMAKE_HAVE_|DCMTK_STDLIBC_|DCMTK_ICONV_|DCMTK_FIXED_|DCMTK_LFS|INCLUDE_MATH_|PASSWD_GECOS_)[A-Za-z0-9_]*:[A-Z]+=' "$cache" \
    | LC_ALL=C sort \
    | while IFS= read -r line; do
        name="${line%%:*}"; rest="${line#*:}"; type="${rest%%=*}"; value="${rest#*=}"
        printf 'set(%s "%s" CACHE %s "")\n' "$name" "$value" "$type"
      done
} >"$out"
