# Shared settings for the build scripts: where caches live and how Debian's
# Emscripten must be called. Sourced, not executed.

LOCALSEG_CACHE="${LOCALSEG_CACHE:-$HOME/.cache/localseg}"
REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"

# Debian's emcc runs the first python3 on PATH (pyenv shims break it) and needs
# Debian's node modules (acorn) on NODE_PATH.
export EMSDK_PYTHON=/usr/bin/python3
export NODE_PATH=/usr/share/nodejs

log() { printf '\033[1m[localseg]\033[0m %s\n' "$*" >&2; }
die() { printf '\033[31m[localseg] error:\033[0m %s\n' "$*" >&2; exit 1; }

# Version of a Debian source package as apt would fetch it now.
debian_source_version() {
  apt-cache showsrc "$1" 2>/dev/null | awk '/^Version:/{print $2; exit}'
}

# Each build is keyed by its package version and a hash of its own recipe (the
# text of its build function, the shared flags and the patches), so editing one
# recipe rebuilds only that dependency. (The recorded DCMTK probe results are
# left out: by construction they reproduce what a full configure finds.)
recipe_key() {
  local version="${2//:/_}"
  echo "$version-$( { declare -f "$1"; echo "${WASM_THREAD_FLAGS:-}"; declare -p DCMTK_OPTIONS;
                      cat "$REPO_ROOT"/scripts/patches/*; } | sha256sum | cut -c1-12)"
}

# DCMTK as the page uses it: the modules, the built-in dictionary and what is
# left out. The page's build (build-wasm-deps.sh) and the fuzzer's
# (build-fuzz-deps.sh) both use these, so the fuzzer runs the page's code.
DCMTK_OPTIONS=(
  -DBUILD_SHARED_LIBS=OFF -DBUILD_APPS=OFF
  -DDCMTK_MODULES="ofstd;oflog;dcmdata;dcmimgle;dcmimage;dcmjpeg;dcmjpls;dcmiod;dcmfg;dcmseg"
  -DDCMTK_DEFAULT_DICT=builtin -DDCMTK_ENABLE_BUILTIN_OFICONV_DATA=ON -DDCMTK_WITH_ZLIB=ON
  -DDCMTK_WITH_OPENSSL=OFF -DDCMTK_WITH_PNG=OFF -DDCMTK_WITH_TIFF=OFF
  -DDCMTK_WITH_XML=OFF -DDCMTK_WITH_ICONV=OFF -DDCMTK_WITH_SNDFILE=OFF
  -DDCMTK_WITH_WRAP=OFF -DDCMTK_WITH_DOXYGEN=OFF -DDCMTK_WITH_THREADS=OFF
  -DDCMTK_WITH_ICU=OFF -DDCMTK_WITH_STDLIBC_ICONV=OFF -DDCMTK_ENABLE_PRIVATE_TAGS=OFF
)

# Unpacks Debian source package $1 (version $2) and prints the source directory.
fetch_source() {
  local pkg="$1" version="$2" dir="$LOCALSEG_CACHE/src/$1-$2"
  if [[ ! -f "$dir/.unpacked" ]]; then
    log "fetching Debian source package $pkg $version"
    rm -rf "$dir" && mkdir -p "$dir"
    (cd "$dir" && apt-get source --only-source -q "$pkg=$version" >apt-source.log 2>&1) \
      || die "apt-get source $pkg=$version failed (see $dir/apt-source.log; is a deb-src entry configured? run scripts/install-system-deps.sh)"
    touch "$dir/.unpacked"
  fi
  find "$dir" -mindepth 1 -maxdepth 1 -type d | head -n1
}
