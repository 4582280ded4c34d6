"""What an evaluation case is, and the helpers the set builders share:
display windowing as the app does it and a seeded choice of slices."""
import dataclasses
import zlib

import numpy as np
from scipy import ndimage as ndi


@dataclasses.dataclass
class Case:
    set: str
    name: str
    pixels: np.ndarray        # 2-D float32, the slice's own values (HU, MR intensity, or 0..255)
    window: tuple             # (center, width) a user would display it with
    target: np.ndarray        # 2-D bool reference mask
    reference: str            # how the reference was made (threshold, clustering, ...)

    def image(self, window=None):
        """0..255 float through `window` (default: the case's display window)."""
        return apply_window(self.pixels, *(window or self.window)) * 255.0

    @property
    def seed(self):
        # From the name, not the position, so a case gets the same box and
        # clicks in the small subset as in the full run.
        return zlib.crc32(f"{self.set}/{self.name}".encode())


def apply_window(values, center, width):
    """DICOM linear window to 0..1 (src/imaging/window.cpp applyWindow)."""
    c, w = float(center), max(float(width), 1.0)
    if w <= 1:
        return (values > c - 0.5).astype(np.float64)
    v = (np.asarray(values, np.float64) - (c - 0.5)) / (w - 1) + 0.5
    return np.clip(v, 0.0, 1.0)


def auto_window(volume):
    """The app's window for series without one: 0.5th..99.5th percentile
    (autoWindow in src/imaging/window.cpp, same index rule)."""
    values = np.sort(np.asarray(volume, np.float64).ravel())
    low = values[int(0.005 * (len(values) - 1))]
    high = values[int(0.995 * (len(values) - 1))]
    width = max(high - low, 1.0)
    return (low + width / 2, width)


IDENTITY_WINDOW = (128.0, 256.0)  # maps 0..255 values onto themselves


def largest_component(mask):
    """Largest 4-connected component (empty stays empty)."""
    labels, count = ndi.label(mask)
    if count == 0:
        return np.zeros_like(mask, bool)
    sizes = np.bincount(labels.ravel())[1:]
    return labels == 1 + int(np.argmax(sizes))


def fill_holes(mask):
    return ndi.binary_fill_holes(mask)


def pick_slices(areas, count, min_area, seed):
    """`count` slice indices (sorted) among those whose target area is at
    least `min_area`, drawn with a fixed seed."""
    eligible = np.flatnonzero(np.asarray(areas) >= min_area)
    rng = np.random.default_rng(seed)
    chosen = rng.choice(eligible, size=min(count, len(eligible)), replace=False)
    return sorted(int(i) for i in chosen)


def interleave(groups):
    """Round-robin over per-target lists, so the first few cases of a set
    (the small subset) cover every target."""
    out = []
    for i in range(max((len(g) for g in groups), default=0)):
        out.extend(g[i] for g in groups if i < len(g))
    return out
