"""Label maps to train on, and nothing from patients: the Colin27 atlas brain
from Debian's mricron-data (its T1 intensities, tissue classes found by
multi-Otsu, and the AAL, Brodmann, HarvardOxford and JHU atlases) and
procedurally drawn shapes (SynthSeg-style domain randomisation renders all of
them with random contrasts in render.py).

Every map is int32, 0 = background/unlabelled, with up to a few hundred labels.
"""
import pathlib

import cv2
import nibabel as nib
import numpy as np
from skimage.filters import threshold_multiotsu

TEMPLATES = pathlib.Path("/usr/share/mricron/templates")
ATLASES = {"aal": 1000, "brodmann": 2000, "HarvardOxford-cort-maxprob-thr0-1mm": 3000,
           "JHU-WhiteMatter-labels-1mm": 4000}
TISSUE_CLASSES = 4


def _load(name):
    image = nib.load(str(TEMPLATES / f"{name}.nii.gz"))
    data = np.asarray(image.dataobj)
    if image.affine[0, 0] < 0:          # HarvardOxford/JHU are stored left-right flipped against ch2
        data = data[::-1]
    return data[:181, :217, :181]


def colin_volumes():
    """Colin27 T1, its tissue classes, and one composite label volume per atlas:
    tissue classes outside the atlas, atlas regions (offset per atlas) inside."""
    t1 = _load("ch2").astype(np.float32)
    brain = _load("ch2bet") > 0
    head = t1 > threshold_multiotsu(t1, classes=3)[0] * 0.5
    thresholds = threshold_multiotsu(t1[head], classes=TISSUE_CLASSES)
    tissue = (np.digitize(t1, thresholds) + 1) * head
    tissue = np.where(brain, tissue + 10, tissue).astype(np.int32)   # brain tissue apart from scalp tissue
    composites = {"tissue": tissue}
    for name, offset in ATLASES.items():
        atlas = _load(name).astype(np.int32)
        composites[name] = np.where(atlas > 0, atlas + offset, tissue)
    return t1, tissue, composites


def _slices(volume, axis, step):
    for i in range(0, volume.shape[axis], step):
        yield np.take(volume, i, axis=axis)


def colin_slices(step=3):
    """(t1 slice, tissue slice, composite slices) in the three orientations,
    kept where the head covers a good part of the slice. Oriented as a viewer
    shows them (anterior/superior up)."""
    t1, tissue, composites = colin_volumes()
    out = []
    for axis in range(3):
        names = list(composites)
        stacks = [_slices(t1, axis, step), _slices(tissue, axis, step)] + [_slices(composites[n], axis, step)
                                                                            for n in names]
        for parts in zip(*stacks):
            if (parts[1] > 0).mean() < 0.08:
                continue
            parts = [np.ascontiguousarray(np.rot90(p)) for p in parts]
            out.append((parts[0], parts[1], dict(zip(names, parts[2:]))))
    return out


# --- procedural label maps -------------------------------------------------

TRAIN_SHAPES = ("ellipse", "polygon", "blob", "curve", "tree", "ring", "dots", "holed")
HELDOUT_SHAPES = ("star", "crescent", "glyph")   # never drawn in training: set (c) of the evaluation


def smooth_noise(rng, size, scale):
    low = rng.standard_normal((max(2, size // scale), max(2, size // scale))).astype(np.float32)
    return cv2.resize(low, (size, size), interpolation=cv2.INTER_CUBIC)


def partition(rng, size, regions):
    """A background of touching regions: the argmax of smooth random fields."""
    scale = int(rng.integers(16, 96))
    fields = np.stack([smooth_noise(rng, size, scale) for _ in range(regions)])
    return np.argmax(fields, axis=0).astype(np.int32) + 1


def _random_point(rng, size, margin=0.1):
    return rng.uniform(size * margin, size * (1 - margin), 2)


def draw_shape(rng, canvas, kind, label):
    size = canvas.shape[0]
    cx, cy = _random_point(rng, size)
    r = size * rng.uniform(0.02, 0.3)
    if kind == "ellipse":
        axes = (int(r), int(max(2, r * rng.uniform(0.3, 1.0))))
        cv2.ellipse(canvas, (int(cx), int(cy)), axes, rng.uniform(0, 180), 0, 360, label, -1)
    elif kind == "polygon":
        n = int(rng.integers(3, 9))
        angles = np.sort(rng.uniform(0, 2 * np.pi, n))
        radii = r * rng.uniform(0.5, 1.0, n)
        pts = np.stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)], 1).astype(np.int32)
        cv2.fillPoly(canvas, [pts], label)
    elif kind == "blob":
        field = smooth_noise(rng, size, int(rng.integers(8, 48)))
        yy, xx = np.mgrid[:size, :size]
        falloff = ((xx - cx) ** 2 + (yy - cy) ** 2) / (r * r)
        canvas[(field - falloff) > 0.0] = label
    elif kind == "curve":
        n = int(rng.integers(3, 7))
        pts = np.cumsum(rng.normal(0, r * 0.6, (n, 2)), axis=0) + [cx, cy]
        cv2.polylines(canvas, [pts.astype(np.int32)], False, label, int(rng.integers(1, 6)))
    elif kind == "tree":
        _draw_branch(rng, canvas, (cx, cy), rng.uniform(0, 2 * np.pi), r, label, depth=int(rng.integers(2, 5)),
                     width=int(rng.integers(2, 6)))
    elif kind == "ring":
        inner = rng.uniform(0.4, 0.85)
        cv2.circle(canvas, (int(cx), int(cy)), int(r), label, -1)
        cv2.circle(canvas, (int(cx), int(cy)), int(max(1, r * inner)), label + 1, -1)
    elif kind == "dots":
        for _ in range(int(rng.integers(1, 6))):
            x, y = _random_point(rng, size)
            cv2.circle(canvas, (int(x), int(y)), int(rng.integers(1, 6)), label, -1)
    elif kind == "holed":
        axes = (int(r), int(max(3, r * rng.uniform(0.5, 1.0))))
        cv2.ellipse(canvas, (int(cx), int(cy)), axes, rng.uniform(0, 180), 0, 360, label, -1)
        for _ in range(int(rng.integers(1, 4))):
            hx, hy = cx + rng.uniform(-0.5, 0.5) * axes[0], cy + rng.uniform(-0.5, 0.5) * axes[1]
            cv2.circle(canvas, (int(hx), int(hy)), int(max(1, r * rng.uniform(0.08, 0.3))), label + 1, -1)
    elif kind == "star":
        n = int(rng.integers(4, 8))
        angles = np.linspace(0, 2 * np.pi, 2 * n, endpoint=False) + rng.uniform(0, np.pi)
        radii = np.where(np.arange(2 * n) % 2 == 0, r, r * rng.uniform(0.3, 0.6))
        pts = np.stack([cx + radii * np.cos(angles), cy + radii * np.sin(angles)], 1).astype(np.int32)
        cv2.fillPoly(canvas, [pts], label)
    elif kind == "crescent":
        cv2.circle(canvas, (int(cx), int(cy)), int(r), label, -1)
        shift = r * rng.uniform(0.3, 0.6)
        angle = rng.uniform(0, 2 * np.pi)
        mask = np.zeros_like(canvas, dtype=np.uint8)
        cv2.circle(mask, (int(cx + shift * np.cos(angle)), int(cy + shift * np.sin(angle))), int(r * 0.9), 1, -1)
        canvas[(mask > 0) & (canvas == label)] = label + 1
    elif kind == "glyph":
        text = "ABCDEFGHKMNPRSTUVWXYZ235689"[int(rng.integers(0, 27))]
        scale = r / 12
        cv2.putText(canvas, text, (int(cx - r), int(cy + r)), cv2.FONT_HERSHEY_SIMPLEX, max(0.6, scale), label,
                    int(max(2, scale * 2)))
    return canvas


def _draw_branch(rng, canvas, start, angle, length, label, depth, width):
    end = (start[0] + length * np.cos(angle), start[1] + length * np.sin(angle))
    cv2.line(canvas, (int(start[0]), int(start[1])), (int(end[0]), int(end[1])), label, max(1, width))
    if depth > 0:
        for turn in (-1, 1):
            _draw_branch(rng, canvas, end, angle + turn * rng.uniform(0.3, 0.9), length * rng.uniform(0.5, 0.8),
                         label, depth - 1, width - 1 if rng.random() < 0.5 else width)


def procedural_map(rng, size, shapes=TRAIN_SHAPES):
    """Touching background regions with 2-12 shapes drawn over them (later
    shapes may overlap earlier ones, making nested and touching structures)."""
    canvas = partition(rng, size, int(rng.integers(1, 6)))
    label = 100
    for _ in range(int(rng.integers(2, 13))):
        draw_shape(rng, canvas, shapes[int(rng.integers(0, len(shapes)))], label)
        label += 2
    return canvas
