#!/usr/bin/env bash
# Installs what the build and the tests need from Debian (apt) and npm, only
# where something is missing, and adds a deb-src entry so the WebAssembly
# dependencies can be built from Debian source packages. Safe to rerun.
set -euo pipefail
source "$(dirname "${BASH_SOURCE[0]}")/common.sh"

PACKAGES=(
  build-essential cmake make patch xz-utils dpkg-dev   # native build, apt-get source
  clang libclang-rt-14-dev                             # the DICOM fuzzer (libFuzzer, ASan, UBSan)
  emscripten                                           # Debian's Emscripten 3.1.6
  catch2 libdcmtk-dev libopenjp2-7-dev nlohmann-json3-dev  # native build: tests, DICOM, JSON
  dcmtk                                                # reference renderings (dcm2pnm) in browser tests
  dicom3tools python3-pydicom python3-gdcm             # dciodvfy, pydicom (+ GDCM for JPEG): validate exports, reference readings
  chromium fonts-dejavu-core                           # browser tests; the UI font
  python3-torch python3-onnx python3-numpy python3-scipy  # the built-in model: training, export,
  python3-skimage python3-opencv python3-nibabel          #   evaluation (tools/)
  libopenblas0-openmp                                  #   a fast BLAS for torch and numpy (4-5x faster training than the reference BLAS)
  mricron-data insighttoolkit5-examples invesalius-examples  # its training atlases and held-out sets
)
command -v node >/dev/null || PACKAGES+=(nodejs)
command -v npm >/dev/null || PACKAGES+=(npm)

SUDO=""
[[ $(id -u) -eq 0 ]] || SUDO="sudo"

missing=()
for package in "${PACKAGES[@]}"; do
  dpkg-query -W -f='${Status}' "$package" 2>/dev/null | grep -q "install ok installed" || missing+=("$package")
done

apt_updated=0
apt_update() { [[ $apt_updated -eq 1 ]] || { $SUDO apt-get update -q >/dev/null; apt_updated=1; }; }

if ((${#missing[@]})); then
  log "installing Debian packages: ${missing[*]}"
  apt_update
  DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -q --no-install-recommends "${missing[@]}" >/dev/null
fi

# Source packages need a deb-src entry; add one mirroring the binary sources.
if [[ -z "$(apt-cache showsrc dcmtk 2>/dev/null | head -n1)" ]]; then
  log "adding a deb-src entry for Debian source packages"
  codename="$(. /etc/os-release && echo "$VERSION_CODENAME")"
  $SUDO tee /etc/apt/sources.list.d/localseg-src.sources >/dev/null <<SOURCES
Types: deb-src
URIs: http://deb.debian.org/debian
Suites: $codename $codename-updates
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg

Types: deb-src
URIs: http://deb.debian.org/debian-security
Suites: $codename-security
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg
SOURCES
  apt_updated=0
  apt_update
fi

# npm packages (browser test driver), exactly as locked.
cd "$REPO_ROOT"
if [[ ! -d node_modules || package-lock.json -nt node_modules/.package-lock.json ]]; then
  log "installing npm packages (npm ci)"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null
fi
