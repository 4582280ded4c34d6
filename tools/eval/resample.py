"""The app's two resamplers (src/imaging/resample.cpp) as per-axis weight
matrices; a 2-D resize is Wy @ image @ Wx.T. The encoder input uses the
antialiased one, so the model sees what it sees in the app. Masks are
upscaled with cv2's bilinear, which equals bilinear_matrix (test_eval.py
checks) and is much faster with this machine's reference BLAS.
"""
import functools
import math

import numpy as np


@functools.lru_cache(maxsize=64)
def bilinear_matrix(n_in, n_out):
    """Half-pixel-centre bilinear, edges clamped (resizeBilinear)."""
    w = np.zeros((n_out, n_in), np.float64)
    scale = n_in / n_out
    for o in range(n_out):
        src = max(0.0, (o + 0.5) * scale - 0.5)
        i0 = min(int(src), n_in - 1)
        i1 = min(i0 + 1, n_in - 1)
        lam = src - i0
        if i1 == i0:
            w[o, i0] = 1.0
        else:
            w[o, i0] = 1.0 - lam
            w[o, i1] = lam
    return w


@functools.lru_cache(maxsize=64)
def antialiased_matrix(n_in, n_out):
    """Triangle filter widened by the downscale factor, renormalised at the
    edges (resizeAntialiased; like PIL's antialiased bilinear)."""
    w = np.zeros((n_out, n_in), np.float64)
    scale = n_in / n_out
    radius = max(scale, 1.0)
    for o in range(n_out):
        centre = (o + 0.5) * scale
        lo = max(0, math.floor(centre - radius))
        hi = min(n_in, math.ceil(centre + radius))
        idx = np.arange(lo, hi)
        taps = np.maximum(0.0, 1.0 - np.abs((idx + 0.5 - centre) / radius))
        if taps.sum() > 0:
            w[o, lo:hi] = taps / taps.sum()
    return w


def resize_antialiased(image, out_w, out_h):
    h, w = image.shape
    return antialiased_matrix(h, out_h) @ image @ antialiased_matrix(w, out_w).T
