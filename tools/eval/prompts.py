"""Simulated user prompts, as in interactive segmentation benchmarks
(RITM / SAM / MedSAM). Points and boxes are pixel indices (x = column,
y = row). Every random draw comes from a generator seeded by the case and
the prompt's position, so all methods get the same box and first click and
each run gives the same prompts."""
import numpy as np
from scipy import ndimage as ndi

BOX_JITTER = 0.05          # each box side moves by up to 5% of the box's size (at least 1 px)
FIRST_CLICK_NOISE_PX = 3   # a click lands within this radius of the ideal spot ...
CLICK_NOISE_PX = 2
NOISE_FRACTION = 0.3       # ... and within 30% of the region's inner radius, so it stays inside


def rng_for(case_seed, stream):
    return np.random.default_rng([case_seed, stream])


def jittered_box(target, rng):
    """Tight bounding box of the target, each side moved by an integer
    in [-m, m], m = max(1, round(5% of the box width or height))."""
    ys, xs = np.nonzero(target)
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    h, w = target.shape
    mx = max(1, round(BOX_JITTER * (x1 - x0 + 1)))
    my = max(1, round(BOX_JITTER * (y1 - y0 + 1)))
    dx0, dx1 = rng.integers(-mx, mx, endpoint=True, size=2)
    dy0, dy1 = rng.integers(-my, my, endpoint=True, size=2)
    nx0, nx1 = np.clip([x0 + dx0, x1 + dx1], 0, w - 1)
    ny0, ny1 = np.clip([y0 + dy0, y1 + dy1], 0, h - 1)
    return (int(min(nx0, nx1)), int(min(ny0, ny1)), int(max(nx0, nx1)), int(max(ny0, ny1)))


def inner_distance(region):
    """Distance of each region pixel to the nearest pixel outside it, the
    image edge counting as outside (RITM pads the same way)."""
    return ndi.distance_transform_edt(np.pad(region, 1))[1:-1, 1:-1]


def click_in(region, rng, noise_px):
    """The region's most interior pixel (first one on ties), moved by a random
    offset shorter than its inner radius, so the click stays inside."""
    dist = inner_distance(region)
    y, x = np.unravel_index(int(np.argmax(dist)), dist.shape)
    radius = min(noise_px, NOISE_FRACTION * dist[y, x])
    r = int(np.floor(radius))
    offsets = [(dy, dx) for dy in range(-r, r + 1) for dx in range(-r, r + 1) if dy * dy + dx * dx <= radius * radius]
    dy, dx = offsets[int(rng.integers(len(offsets)))] if offsets else (0, 0)
    return (int(x + dx), int(y + dy))


def first_click(target, rng):
    return click_in(target, rng, FIRST_CLICK_NOISE_PX)


def corrective_click(pred, target, rng):
    """RITM's next click: into whichever error (false negatives or false
    positives) has the largest inner radius, i.e. where the error is
    thickest, so thin slivers along the boundary are not clicked before a
    missed lobe. Returns ((x, y), is_positive), or None if the mask is perfect."""
    fn, fp = target & ~pred, pred & ~target
    if not fn.any() and not fp.any():
        return None
    positive = inner_distance(fn).max() > inner_distance(fp).max()
    return click_in(fn if positive else fp, rng, CLICK_NOISE_PX), positive
