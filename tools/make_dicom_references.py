#!/usr/bin/python3
"""Writes tests/data/reference.tsv: what an independent decoder (pydicom, with
GDCM for JPEG / JPEG-LS / JPEG 2000) says each test file holds, so the C++
decoder (DCMTK) is checked against it natively and as WebAssembly.

Columns: path (relative to tests/data), frames, rows, columns, min, max, sum of
modality values (rescale applied), and an FNV-1a 64 hash of the values as
float32 little-endian, frame after frame. Rerun after adding a test file:
    /usr/bin/python3 tools/make_dicom_references.py
"""
import pathlib
import sys

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_modality_lut

DATA = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data"
GREYSCALE = {"MONOCHROME1", "MONOCHROME2"}


def fnv1a64(data: bytes) -> int:
    h = 0xCBF29CE484222325
    for byte in data:
        h ^= byte
        h = (h * 0x100000001B3) & 0xFFFFFFFFFFFFFFFF
    return h


def frame_rescales(ds, frames):
    """Enhanced images (PS3.3 C.7.6.16): each frame's Pixel Value
    Transformation, from its own functional groups or else the shared ones."""
    shared = ds.SharedFunctionalGroupsSequence[0] if "SharedFunctionalGroupsSequence" in ds else None
    per_frame = ds.get("PerFrameFunctionalGroupsSequence", [])
    for f in range(frames):
        rescale = None
        for group in ([per_frame[f]] if f < len(per_frame) else []) + ([shared] if shared else []):
            if "PixelValueTransformationSequence" in group:
                rescale = group.PixelValueTransformationSequence[0]
                break
        if rescale is None:
            yield 1.0, 0.0
        else:
            yield float(rescale.RescaleSlope), float(rescale.RescaleIntercept)


def reference(path: pathlib.Path):
    ds = pydicom.dcmread(path)
    if ds.PhotometricInterpretation not in GREYSCALE:
        return None
    pixels = ds.pixel_array
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    pixels = pixels.reshape(frames, ds.Rows, ds.Columns)
    if "ModalityLUTSequence" in ds:
        values = apply_modality_lut(pixels, ds).astype(np.float64)
    elif "SharedFunctionalGroupsSequence" in ds or "PerFrameFunctionalGroupsSequence" in ds:
        values = np.stack([pixels[f].astype(np.float64) * slope + intercept
                           for f, (slope, intercept) in enumerate(frame_rescales(ds, frames))])
    else:
        # RT Dose grids scale to dose units by DoseGridScaling (PS3.3 C.8.8.3)
        slope = float(getattr(ds, "RescaleSlope", None) or getattr(ds, "DoseGridScaling", 1) or 1)
        intercept = float(getattr(ds, "RescaleIntercept", 0) or 0)
        values = pixels.astype(np.float64) * slope + intercept
    values32 = values.astype("<f4")
    return (frames, ds.Rows, ds.Columns, float(values32.min()), float(values32.max()),
            float(values32.astype(np.float64).sum()), fnv1a64(values32.tobytes()))


def main():
    rows = []
    for path in sorted(DATA.rglob("*.dcm")):
        rel = path.relative_to(DATA).as_posix()
        if rel.startswith("bad/"):
            continue
        try:
            ref = reference(path)
        except Exception as error:  # files the decoder is expected to reject
            print(f"skip {rel}: {error}", file=sys.stderr)
            continue
        if ref is None:
            print(f"skip {rel}: colour", file=sys.stderr)
            continue
        frames, r, c, lo, hi, total, digest = ref
        rows.append(f"{rel}\t{frames}\t{r}\t{c}\t{lo:.9g}\t{hi:.9g}\t{total:.17g}\t{digest:016x}")
    out = DATA / "reference.tsv"
    out.write_text("# path\tframes\trows\tcolumns\tmin\tmax\tsum\tfnv1a64(float32)\n"
                   "# written by tools/make_dicom_references.py (pydicom + GDCM)\n"
                   + "\n".join(rows) + "\n")
    print(f"wrote {len(rows)} references to {out}")


if __name__ == "__main__":
    main()
