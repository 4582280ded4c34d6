#!/usr/bin/python3
"""Writes tests/data/colour_reference.tsv: what an independent decoder
(pydicom, with GDCM for JPEG) reads from each colour test file, as RGB with
8 bits per sample, so the C++ decoder (DCMTK) is checked against it natively
and as WebAssembly.

Columns: path, frames, rows, columns, the mean of R, G and B over every
frame, then 64 sampled pixels "frame:row:column:R,G,B" at fixed positions.
Samples, not a hash: lossy JPEG and the 16 -> 8 bit scaling of two decoders
may differ by one level, which the test allows. YBR images are converted to
RGB with pydicom's convert_color_space, palette images with apply_color_lut;
16-bit samples are scaled to 8 bits as v * 255 / 65535.
    /usr/bin/python3 tools/make_colour_references.py
"""
import pathlib

import numpy as np
import pydicom
from pydicom.pixel_data_handlers.util import apply_color_lut, convert_color_space

DATA = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data"
FILES = [
    "pydicom/SC_rgb_jpeg_dcmtk.dcm",            # YBR_FULL, JPEG baseline
    "pydicom/SC_rgb_dcmtk_+eb+cy+np.dcm",       # YBR_FULL_422, JPEG baseline
    "pydicom/SC_ybr_full_422_uncompressed.dcm",  # YBR_FULL_422, native
    "pydicom/SC_rgb_rle_2frame.dcm",            # RGB, RLE, 2 frames
    "pydicom/SC_rgb_rle_16bit.dcm",             # RGB, 16 bits per sample
    "pydicom/SC_rgb_rle_32bit_2frame.dcm",      # RGB, 32 bits per sample, RLE, 2 frames
    "pydicom/SC_rgb_small_odd.dcm",             # RGB, odd size
    "pydicom/ExplVR_BigEnd.dcm",                # RGB, planar configuration 1, big endian
    "octave-dicom/US-PAL-8-10x-echo.dcm",       # PALETTE COLOR, RLE, 10 frames
]


def rgb8(path: pathlib.Path) -> np.ndarray:
    ds = pydicom.dcmread(path)
    frames = int(getattr(ds, "NumberOfFrames", 1) or 1)
    pixels = ds.pixel_array
    photometric = ds.PhotometricInterpretation
    if photometric == "PALETTE COLOR":
        pixels = apply_color_lut(pixels, ds)
    elif photometric.startswith("YBR"):
        pixels = convert_color_space(pixels, "YBR_FULL", "RGB")
    pixels = pixels.reshape(frames, ds.Rows, ds.Columns, 3)
    if pixels.dtype.itemsize > 1:
        stored = 16 if photometric == "PALETTE COLOR" else int(ds.BitsStored)   # palettes: 16-bit entries
        top = 2 ** stored - 1 if pixels.max() > 255 else 255
        pixels = np.rint(pixels.astype(np.float64) * 255 / top)
    return pixels.astype(np.uint8)


def main():
    rows = []
    for rel in FILES:
        pixels = rgb8(DATA / rel)
        frames, r, c, _ = pixels.shape
        means = pixels.reshape(-1, 3).mean(axis=0)
        count = frames * r * c
        samples = []
        for i in range(64):
            index = (i * 7919 + 13) % count
            f, rest = divmod(index, r * c)
            y, x = divmod(rest, c)
            samples.append(f"{f}:{y}:{x}:" + ",".join(str(int(v)) for v in pixels[f, y, x]))
        rows.append("\t".join([rel, str(frames), str(r), str(c)] + [f"{m:.6f}" for m in means] + samples))
    out = DATA / "colour_reference.tsv"
    out.write_text("# path\tframes\trows\tcolumns\tmeanR\tmeanG\tmeanB\t64 x frame:row:column:R,G,B\n"
                   "# written by tools/make_colour_references.py (pydicom + GDCM)\n" + "\n".join(rows) + "\n")
    print(f"wrote {len(rows)} colour references to {out}")


if __name__ == "__main__":
    main()
