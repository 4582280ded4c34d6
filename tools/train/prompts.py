"""Prompts simulated the way users give them, in input-space pixel coordinates
(x, y) with SAM's labels: 1 positive click, 0 negative click, 2/3 box corners,
-1 padding point (added when there is no box, as SAM's predictor does)."""
import cv2
import numpy as np


def _interior_point(rng, region, sharpness=2.0):
    """A point inside the region, drawn towards its middle but not exactly at
    its centre (people click near, not on, the deepest point)."""
    dist = cv2.distanceTransform(np.pad(region.astype(np.uint8), 1), cv2.DIST_L2, 3)[1:-1, 1:-1]
    ys, xs = np.nonzero(dist)
    weights = dist[ys, xs] ** sharpness
    i = rng.choice(len(ys), p=weights / weights.sum())
    return float(xs[i]) + rng.uniform(-0.5, 0.5), float(ys[i]) + rng.uniform(-0.5, 0.5)


def jittered_box(rng, mask, amount=0.06):
    ys, xs = np.nonzero(mask)
    x0, x1, y0, y1 = xs.min(), xs.max(), ys.min(), ys.max()
    w, h = x1 - x0 + 1, y1 - y0 + 1
    jitter = lambda extent: rng.normal(0, amount * extent) + rng.uniform(-2, 2)
    size_y, size_x = mask.shape
    box = [np.clip(x0 + jitter(w), 0, size_x - 1), np.clip(y0 + jitter(h), 0, size_y - 1),
           np.clip(x1 + jitter(w), 0, size_x - 1), np.clip(y1 + jitter(h), 0, size_y - 1)]
    return [min(box[0], box[2]), min(box[1], box[3]), max(box[0], box[2]), max(box[1], box[3])]


def box_points(box):
    return [(box[0], box[1], 2), (box[2], box[3], 3)]


def initial_prompt(rng, target):
    """A first prompt: a box, one click, a few clicks, or a scribble."""
    mode = rng.choice(["box", "point", "points", "scribble"], p=[0.45, 0.3, 0.1, 0.15])
    if mode == "box":
        return box_points(jittered_box(rng, target))
    if mode == "point":
        return [(*_interior_point(rng, target), 1)]
    if mode == "points":
        points = [(*_interior_point(rng, target, 1.0), 1) for _ in range(int(rng.integers(1, 4)))]
        band = (cv2.dilate(target.astype(np.uint8), np.ones((15, 15), np.uint8)) > 0) & ~target
        for _ in range(int(rng.integers(0, 3))):
            if band.any():
                points.append((*_interior_point(rng, band, 0.0), 0))
        return points
    # Scribble: a stroke through the structure, sampled as positive points.
    anchors = [np.array(_interior_point(rng, target, 1.0)) for _ in range(int(rng.integers(2, 4)))]
    points = []
    for a, b in zip(anchors, anchors[1:]):
        for t in np.linspace(0, 1, int(rng.integers(3, 6))):
            x, y = a + (b - a) * t
            if target[int(np.clip(y, 0, target.shape[0] - 1)), int(np.clip(x, 0, target.shape[1] - 1))]:
                points.append((float(x), float(y), 1))
    return points or [(*_interior_point(rng, target), 1)]


def corrective_click(rng, prediction, target):
    """A click on the largest error region: positive on a missed part, negative
    on a wrongly included one, placed with human-like noise. Returns
    (click, region): the click (x, y, label) and the error region it was
    placed in, or None when there is no error."""
    best = None
    for region, label in ((target & ~prediction, 1), (prediction & ~target, 0)):
        count, components, stats, _ = cv2.connectedComponentsWithStats(region.astype(np.uint8), connectivity=8)
        if count > 1:
            i = 1 + int(np.argmax(stats[1:, cv2.CC_STAT_AREA]))
            area = stats[i, cv2.CC_STAT_AREA]
            if best is None or area > best[0]:
                best = (area, components == i, label)
    if best is None:
        return None
    return (*_interior_point(rng, best[1]), best[2]), best[1]
