"""Small structures drawn into the clean training images, so the denoisers
learn that a few-pixel spot of real contrast is anatomy (or pathology) to keep,
not noise to flatten.

Without them a denoiser trained on normal anatomy only erased small lesions
(the cards' lesion tables: 2 mm high-contrast CT lesions kept 35 % of their
contrast). The shapes here differ from the evaluation's hard-edged discs on
purpose: ellipses of random axes and angle with a partial-volume edge, 1.5 to
8 mm, bright or dark, contrasts from faint to strong; the evaluation's slices
are never used in training. The returned weight map counts the lesion and its
ring of background more in the loss, because a few pixels are otherwise
nothing in a crop's mean error.
"""
import cv2
import numpy as np

DIAMETER_MM = (1.5, 8.0)


def soft_ellipse(shape, cy, cx, ry, rx, angle):
    """An ellipse with a one-pixel partial-volume edge (values 0..1)."""
    yy, xx = np.mgrid[:shape[0], :shape[1]].astype(np.float32)
    c, s = np.cos(angle), np.sin(angle)
    u = ((xx - cx) * c + (yy - cy) * s) / rx
    v = (-(xx - cx) * s + (yy - cy) * c) / ry
    distance = (np.sqrt(u * u + v * v) - 1.0) * min(rx, ry)      # ~pixels outside the edge
    return np.clip(0.5 - distance, 0.0, 1.0)


def add_lesions(rng, clean, tissue, spacing_mm, contrast_range, weight_inside, max_count=10):
    """Adds 0..max_count lesions inside `tissue` to a copy of clean.
    contrast_range: (low, high) of |delta| in the image's units, drawn
    log-uniformly. Returns (image, loss weight map: weight_inside on each
    lesion and its ring, 1 elsewhere)."""
    out = np.asarray(clean, np.float32).copy()
    weight = np.ones(clean.shape, np.float32)
    count = int(rng.integers(0, max_count + 1))
    ys, xs = np.nonzero(tissue)
    if count == 0 or len(ys) == 0:
        return out, weight
    for _ in range(count):
        k = rng.integers(len(ys))
        diameter = float(np.exp(rng.uniform(*np.log(DIAMETER_MM))))
        r = max(0.7, diameter / 2.0 / spacing_mm)
        ry, rx = r * rng.uniform(0.7, 1.3), r * rng.uniform(0.7, 1.3)
        delta = float(np.exp(rng.uniform(*np.log(contrast_range)))) * (1 if rng.random() < 0.5 else -1)
        blob = soft_ellipse(clean.shape, ys[k] + rng.uniform(-0.5, 0.5), xs[k] + rng.uniform(-0.5, 0.5),
                            ry, rx, rng.uniform(0, np.pi))
        out += delta * blob
        reach = int(np.ceil(max(3.0, 2 * max(ry, rx))))
        region = cv2.dilate((blob > 0).astype(np.uint8), np.ones((2 * reach + 1, 2 * reach + 1), np.uint8)) > 0
        weight[region] = weight_inside
    return out, weight
