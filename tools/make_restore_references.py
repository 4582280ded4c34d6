#!/usr/bin/python3
"""Reference outputs for the C++ classical restoration filters (src/restore).

Input: a 64 x 64 crop of a real CT slice (tests/data/pydicom/CT_small.dcm,
modality units = stored value x slope + intercept) plus Gaussian noise of
SIGMA with a fixed seed. References, each from an implementation
independent of ours, with the parameters our *ParamsFor(SIGMA) derive:

  median3.f32, median5.f32  scipy.ndimage.median_filter(size 3 / 5, mode="reflect")
  bilateral.f32             cv2.bilateralFilter(d=7, sigmaColor=2 SIGMA, sigmaSpace=1.5,
                            borderType=BORDER_REFLECT): OpenCV's disc window and border are ours
  diffusion.f32             numpy Perona-Malik, exp conduction, kappa 2.5 SIGMA, lambda 0.2,
                            15 iterations, zero flux across the border, exact exp (ours: a table)
  nlm.f32                   numpy non-local means written here from the IPOL definition
                            (Buades et al. 2011): 5x5 patch mean of squared differences,
                            w = exp(-max(d2 - 2 SIGMA^2, 0) / h^2), h = 0.6 SIGMA, 11x11 search,
                            symmetric padding, every patch compared directly (no integral
                            images, no symmetry trick: both are what the C++ adds).
                            scikit-image's denoise_nl_means is not used: its fast mode sums
                            (s - 1)^2-pixel patches and drops weights below exp(-5), its slow
                            mode weighs patch pixels by a Gaussian; neither is this definition.

Also slice.f32: the whole 128 x 128 slice without added noise (modality
units), for the noise-estimate and risk-analysis tests; its pixel spacing is
in params.json.

All files are raw little-endian float32, row-major (64 x 64 unless said).
Run: /usr/bin/python3 tools/make_restore_references.py
"""
import json
import os

import cv2
import numpy as np
import pydicom
import scipy.ndimage as ndi

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
OUT = os.path.join(ROOT, "tests", "fixtures", "restore")
SIGMA = 20.0
SEED = 20240519
CROP = (32, 32, 64)  # row, column, size


def slice_():
    ds = pydicom.dcmread(os.path.join(ROOT, "tests", "data", "pydicom", "CT_small.dcm"))
    px = ds.pixel_array.astype(np.float64) * float(ds.RescaleSlope) + float(ds.RescaleIntercept)
    return px, [float(v) for v in ds.PixelSpacing]


def source(px):
    r, c, n = CROP
    crop = px[r:r + n, c:c + n]
    rng = np.random.default_rng(SEED)
    return (crop + rng.normal(0.0, SIGMA, crop.shape)).astype(np.float32)


def perona_malik(u, kappa, lam, iterations):
    u = u.astype(np.float64)
    for _ in range(iterations):
        p = np.pad(u, 1, mode="edge")  # zero flux across the border
        c = p[1:-1, 1:-1]
        total = np.zeros_like(c)
        for d in (p[:-2, 1:-1] - c, p[2:, 1:-1] - c, p[1:-1, :-2] - c, p[1:-1, 2:] - c):
            total += np.exp(-(d / kappa) ** 2) * d
        u = u + lam * total
    return u


def nl_means(u, sigma, h, patch_radius, search_radius):
    u = u.astype(np.float64)
    m = patch_radius + search_radius
    p = np.pad(u, m, mode="symmetric")
    hgt, wid = u.shape
    num = np.zeros_like(u)
    den = np.zeros_like(u)
    size = 2 * patch_radius + 1
    for dy in range(-search_radius, search_radius + 1):
        for dx in range(-search_radius, search_radius + 1):
            d2 = np.zeros_like(u)
            for ky in range(-patch_radius, patch_radius + 1):
                for kx in range(-patch_radius, patch_radius + 1):
                    a = p[m + ky:m + ky + hgt, m + kx:m + kx + wid]
                    b = p[m + ky + dy:m + ky + dy + hgt, m + kx + dx:m + kx + dx + wid]
                    d2 += (a - b) ** 2
            d2 /= size * size
            w = np.exp(-np.maximum(d2 - 2 * sigma * sigma, 0.0) / (h * h))
            num += w * p[m + dy:m + dy + hgt, m + dx:m + dx + wid]
            den += w
    return num / den


def save(name, a):
    np.asarray(a, dtype="<f4").tofile(os.path.join(OUT, name))


def main():
    os.makedirs(OUT, exist_ok=True)
    px, spacing = slice_()
    save("slice.f32", px)
    u = source(px)
    save("input.f32", u)
    save("median3.f32", ndi.median_filter(u, size=3, mode="reflect"))
    save("median5.f32", ndi.median_filter(u, size=5, mode="reflect"))
    save("bilateral.f32", cv2.bilateralFilter(u, 7, 2 * SIGMA, 1.5, borderType=cv2.BORDER_REFLECT))
    save("diffusion.f32", perona_malik(u, 2.5 * SIGMA, 0.2, 15))
    save("nlm.f32", nl_means(u, SIGMA, 0.6 * SIGMA, 2, 5))
    with open(os.path.join(OUT, "params.json"), "w") as f:
        json.dump({"width": u.shape[1], "height": u.shape[0], "sigma": SIGMA, "seed": SEED,
                   "crop_row_column_size": CROP,
                   "slice_width": px.shape[1], "slice_height": px.shape[0], "row_column_spacing_mm": spacing, "source": "tests/data/pydicom/CT_small.dcm"}, f, indent=2)
        f.write("\n")


if __name__ == "__main__":
    main()
