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
