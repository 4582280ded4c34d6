"""Training samples made from label maps (labelmaps.py): random geometry,
SynthSeg-style random contrast, texture, bias field, blur, resolution and
modality-like noise (CT streaks through radon/iradon, MR Rician, US speckle),
or the real Colin27 T1 intensities; then a target structure chosen the way a
user picks one (a connected region, sometimes a group of touching regions).

sample(rng, size) -> (image float32 0..255 [size, size], target bool [size, size])
heldout_cases(seed, count) -> [(image, target, name)]: shape families and noise
settings never used in training (evaluation set (c)).
"""
import functools

import cv2
import numpy as np
from scipy import ndimage
from skimage.transform import iradon

from labelmaps import HELDOUT_SHAPES, colin_slices, procedural_map, smooth_noise

MIN_AREA_FRACTION = 12 / 256 ** 2


@functools.lru_cache(maxsize=1)
def colin():
    return colin_slices()


@functools.lru_cache(maxsize=1)
def ct_noise_bank(size=256, count=12):
    """Noise with CT's texture: white noise on the projections, filtered back-
    projection to the image (correlated grain and streaks), unit standard deviation."""
    rng = np.random.default_rng(1234)
    bank = []
    for _ in range(count):
        angles = np.linspace(0.0, 180.0, int(rng.integers(90, 180)), endpoint=False)
        sinogram = rng.standard_normal((size, len(angles))) * rng.uniform(0.5, 2.0, (1, len(angles)))
        noise = iradon(sinogram, theta=angles, filter_name="ramp", circle=False, output_size=size)
        bank.append((noise / noise.std()).astype(np.float32))
    return bank


def random_warp(rng, shape_in, size, zoom_range=(0.8, 1.6), elastic=6.0):
    """Maps for cv2.remap: output pixel -> source pixel, an affine transform
    (rotation, anisotropic zoom, shear, shift) plus a smooth elastic field."""
    h, w = shape_in
    base = size / max(h, w)
    zoom = base * rng.uniform(*zoom_range)
    sx, sy = zoom * rng.uniform(0.85, 1.15), zoom * rng.uniform(0.85, 1.15)
    angle = rng.uniform(-0.35, 0.35)
    shear = rng.uniform(-0.1, 0.1)
    c, s = np.cos(angle), np.sin(angle)
    forward = np.array([[c, -s], [s, c]]) @ np.array([[1, shear], [0, 1]]) @ np.diag([sx, sy])
    inverse = np.linalg.inv(forward)
    centre_out = np.array([size / 2, size / 2]) + rng.uniform(-0.1, 0.1, 2) * size
    centre_in = np.array([w / 2, h / 2])
    yy, xx = np.mgrid[:size, :size].astype(np.float32)
    amplitude = rng.uniform(0, elastic)
    xx = xx + smooth_noise(rng, size, 32) * amplitude
    yy = yy + smooth_noise(rng, size, 32) * amplitude
    dx, dy = xx - centre_out[0], yy - centre_out[1]
    map_x = inverse[0, 0] * dx + inverse[0, 1] * dy + centre_in[0]
    map_y = inverse[1, 0] * dx + inverse[1, 1] * dy + centre_in[1]
    return map_x.astype(np.float32), map_y.astype(np.float32)


def warp(image, maps, nearest):
    return cv2.remap(image, maps[0], maps[1], cv2.INTER_NEAREST if nearest else cv2.INTER_LINEAR,
                     borderMode=cv2.BORDER_CONSTANT, borderValue=0)


def render(rng, labels, target=None, noise_levels=(0.0, 0.12), low_contrast=0.2):
    """Random intensity per label, texture, bias field, blur, resolution and noise."""
    size = labels.shape[0]
    ids, inverse = np.unique(labels, return_inverse=True)
    means = rng.uniform(0.0, 1.0, len(ids)).astype(np.float32)
    if target is not None and rng.random() < low_contrast:
        # A structure barely distinguishable from its surroundings.
        around = np.unique(labels[cv2.dilate(target.astype(np.uint8), np.ones((5, 5), np.uint8)) > 0])
        inside = np.unique(labels[target])
        delta = rng.uniform(0.04, 0.15) * rng.choice([-1, 1])
        outside_mean = means[np.searchsorted(ids, around)].mean()
        means[np.searchsorted(ids, inside)] = np.clip(outside_mean + delta, 0, 1)
    texture_amount = rng.uniform(0.0, 0.12, len(ids)).astype(np.float32)
    image = means[inverse].reshape(labels.shape)
    image = image + texture_amount[inverse].reshape(labels.shape) * smooth_noise(rng, size, int(rng.integers(2, 12)))
    return degrade(rng, image, noise_levels)


def degrade(rng, image, noise_levels=(0.0, 0.12)):
    size = image.shape[0]
    if rng.random() < 0.7:
        image = image * np.exp(smooth_noise(rng, size, int(rng.integers(64, 257))) * rng.uniform(0.05, 0.35))
    sigma = rng.uniform(0.0, 1.5)
    if sigma > 0.3:
        image = cv2.GaussianBlur(image, (0, 0), sigma)
    if rng.random() < 0.3:   # thick slices / low acquisition resolution along one or both axes
        fx, fy = rng.uniform(1.0, 3.0), rng.uniform(1.0, 3.0)
        small = cv2.resize(image, (max(8, int(size / fx)), max(8, int(size / fy))), interpolation=cv2.INTER_AREA)
        image = cv2.resize(small, (size, size), interpolation=cv2.INTER_LINEAR)
    level = rng.uniform(*noise_levels)
    kind = rng.choice(["gaussian", "rician", "speckle", "ct"])
    if kind == "gaussian":
        image = image + rng.standard_normal(image.shape).astype(np.float32) * level
    elif kind == "rician":
        n1 = rng.standard_normal(image.shape).astype(np.float32) * level
        n2 = rng.standard_normal(image.shape).astype(np.float32) * level
        image = np.sqrt((image + n1) ** 2 + n2 ** 2)
    elif kind == "speckle":
        grain = cv2.GaussianBlur(rng.standard_normal(image.shape).astype(np.float32), (0, 0), 1.0) * 2.0
        image = image * (1 + grain * level * 2)
    else:
        bank = ct_noise_bank(size)
        image = image + bank[int(rng.integers(0, len(bank)))] * level * 1.5
    return window_to_grey(rng, image)


def window_to_grey(rng, image):
    """A display window as a user would set it (percentiles), gamma, to 0..255."""
    lo, hi = np.percentile(image, [rng.uniform(0, 3), rng.uniform(97, 100)])
    grey = np.clip((image - lo) / max(hi - lo, 1e-6), 0, 1)
    grey = grey ** np.exp(rng.normal(0, 0.25))
    if rng.random() < 0.1:
        grey = 1 - grey          # MONOCHROME1-like or inverted display
    return (grey * 255).astype(np.float32)


def choose_target(rng, labels, groups=()):
    """A connected region of one label (or of a group of labels), large enough to click on."""
    size = labels.shape[0]
    min_area = max(6, int(MIN_AREA_FRACTION * size * size))
    options = [g for g in groups if g.sum() >= min_area]
    if options and rng.random() < 0.35:
        mask = options[int(rng.integers(0, len(options)))]
    else:
        ids, counts = np.unique(labels, return_counts=True)
        keep = (ids != 0) & (counts >= min_area)
        if not keep.any():
            return None
        ids = ids[keep]
        mask = labels == ids[int(rng.integers(0, len(ids)))]
        if rng.random() < 0.15:   # with its neighbours: structures at a coarser scale
            ring = cv2.dilate(mask.astype(np.uint8), np.ones((3, 3), np.uint8)) > 0
            neighbours = np.setdiff1d(np.unique(labels[ring & ~mask]), [0])
            if len(neighbours):
                mask = mask | np.isin(labels, rng.choice(neighbours, min(len(neighbours), 2), replace=False))
    count, components = cv2.connectedComponents(mask.astype(np.uint8), connectivity=8)
    sizes = np.bincount(components.ravel())[1:]
    ok = np.flatnonzero(sizes >= min_area)
    if len(ok) == 0:
        return None
    pick = ok[int(rng.choice(len(ok), p=sizes[ok] / sizes[ok].sum()))] + 1
    return components == pick


def fill(mask):
    return ndimage.binary_fill_holes(mask)


def sample(rng, size=256):
    while True:
        source = rng.random()
        if source < 0.45:
            labels = procedural_map(rng, size)
            labels = warp(labels, random_warp(rng, labels.shape, size, (0.9, 1.2), 8.0), nearest=True)
            target = choose_target(rng, labels)
            if target is not None:
                return render(rng, labels, target), target
            continue
        t1, tissue, composites = colin()[int(rng.integers(0, len(colin())))]
        maps = random_warp(rng, t1.shape, size)
        tissue = warp(tissue, maps, nearest=True)
        groups = [fill(tissue >= 10), fill(tissue > 0)]          # brain, head
        if source < 0.7:
            # The real T1 contrast: only targets visible in it (tissue classes, brain, head).
            target = choose_target(rng, tissue, groups)
            if target is not None:
                image = warp(t1, maps, nearest=False)
                return degrade(rng, image / max(image.max(), 1.0), (0.0, 0.06)), target
            continue
        names = list(composites)
        labels = warp(composites[names[int(rng.integers(0, len(names)))]], maps, nearest=True)
        target = choose_target(rng, labels, groups)
        if target is not None:
            return render(rng, labels, target), target


def heldout_cases(seed=99, count=40, size=256):
    """Synthetic evaluation cases from settings never used in training: other
    shape families (stars, crescents, glyphs), stronger noise (0.12-0.18), and
    targets always at low-to-medium contrast against their neighbours."""
    rng = np.random.default_rng(seed)
    cases = []
    while len(cases) < count:
        labels = procedural_map(rng, size, HELDOUT_SHAPES)
        heldout_ids = np.unique(labels[labels >= 100])
        if len(heldout_ids) == 0:
            continue
        target = choose_target(rng, np.where(labels >= 100, labels, 0))
        if target is None or target.sum() < 60:
            continue
        image = render(rng, labels, target, noise_levels=(0.12, 0.18), low_contrast=0.5)
        cases.append((image, target, f"synthetic-{len(cases):03d}"))
    return cases
