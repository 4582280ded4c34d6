"""The segmenters compared, behind one small interface:
  prepare(case)                     once per case (the model encodes here)
  box(box) -> mask                  only if takes_box
  clicks(points, labels, state) -> (mask, state)   only if takes_clicks
Baselines see the case's display-windowed 0..255 image."""
import warnings

import cv2
import numpy as np
from skimage.filters import threshold_otsu
from skimage.segmentation import random_walker

from cases import fill_holes, largest_component
from predictor import Predictor, best


class ModelMethod:
    """The ONNX model through the app-equivalent predictor: the mask with the
    highest predicted IoU, its low-res logits fed back with the next click."""
    name, takes_box, takes_clicks = "model", True, True

    def __init__(self, model_dir):
        self.predictor = Predictor(model_dir)

    def prepare(self, case):
        # A model with a fixed window sees that window on the real values, as in the app.
        self.predictor.set_image(case.image(self.predictor.fixed_window()))

    def box(self, box):
        return best(*self.predictor.predict(np.zeros((0, 2)), [], box=box))[0]

    def clicks(self, points, labels, state):
        mask, low_res = best(*self.predictor.predict(points, labels, mask_input=state))
        return mask, low_res

    # A box, then corrective clicks with the box kept (how the app is used: draw a box, then fix it).
    refines_box = True

    def box_and_clicks(self, box, points, labels, state):
        points = np.asarray(points, np.float64).reshape(-1, 2)
        mask, low_res = best(*self.predictor.predict(points, labels, box=box, mask_input=state))
        return mask, low_res

    def close(self):
        self.predictor.close()


class GrabCutMethod:
    """OpenCV GrabCut from the box, 5 iterations, on the whole slice (0.15 s
    on 256 x 256, so no crop: cropping changed its background model and
    made it worse). GrabCut is a colour method; on grey slices it often
    collapses to an empty mask, which is reported as it is."""
    name, takes_box, takes_clicks = "grabcut", True, False

    def prepare(self, case):
        grey = np.clip(np.round(case.image()), 0, 255).astype(np.uint8)
        self.image = np.ascontiguousarray(np.repeat(grey[:, :, None], 3, axis=2))
        self.seed = case.seed

    def box(self, box):
        x0, y0, x1, y1 = box
        mask = np.zeros(self.image.shape[:2], np.uint8)
        cv2.setRNGSeed(self.seed % 2**31)  # GrabCut's k-means draws from OpenCV's global RNG
        try:
            cv2.grabCut(self.image, mask, (x0, y0, x1 - x0 + 1, y1 - y0 + 1), None, None, 5,
                        cv2.GC_INIT_WITH_RECT)
        except cv2.error:
            # The box covers the whole slice: no background to model. Report the box itself.
            mask[y0:y1 + 1, x0:x1 + 1] = cv2.GC_PR_FGD
        return (mask == cv2.GC_FGD) | (mask == cv2.GC_PR_FGD)


class RandomWalkerMethod:
    """skimage random walker from the clicks: positive clicks are foreground
    seeds; negative clicks and the image's outermost pixel ring are background
    seeds (the ring stands for "far away is background": no target here
    touches the image edge). Exact solver (mode "bf", default beta 130);
    images larger than 128 px are solved at 128 px (INTER_AREA) and the
    probability brought back bilinearly, which keeps the 20-click loop
    affordable (0.1 s instead of 0.7 s a call on 256 x 256)."""
    name, takes_box, takes_clicks = "random walker", False, True
    MAX_SIDE = 128

    def prepare(self, case):
        image = case.image()
        self.shape = image.shape
        self.scale = min(1.0, self.MAX_SIDE / max(image.shape))
        if self.scale < 1:
            size = (round(image.shape[1] * self.scale), round(image.shape[0] * self.scale))
            image = cv2.resize(image.astype(np.float32), size, interpolation=cv2.INTER_AREA)
        self.image = image.astype(np.float64)

    def clicks(self, points, labels, state):
        h, w = self.image.shape
        seeds = np.zeros((h, w), np.int32)
        seeds[0, :] = seeds[-1, :] = seeds[:, 0] = seeds[:, -1] = 2
        for (x, y), label in zip(points, labels):  # later clicks win on a shared pixel
            sx = min(w - 1, max(0, int((x + 0.5) * self.scale)))
            sy = min(h - 1, max(0, int((y + 0.5) * self.scale)))
            seeds[sy, sx] = 1 if label == 1 else 2
        with warnings.catch_warnings():
            warnings.simplefilter("ignore")  # "probability outside [0, 1] within tolerance" from the solver
            prob = random_walker(self.image, seeds, mode="bf", return_full_prob=True)[0]
        if self.scale < 1:
            prob = cv2.resize(prob.astype(np.float32), (self.shape[1], self.shape[0]), interpolation=cv2.INTER_LINEAR)
        return prob > 0.5, None


class ThresholdBoxMethod:
    """Otsu threshold of the pixels inside the box; keeps the side of the
    threshold that fills more of the box's central half (the user drew the
    box around the target), then the largest component, holes filled."""
    name, takes_box, takes_clicks = "threshold in box", True, False

    def prepare(self, case):
        self.image = case.image()

    def box(self, box):
        x0, y0, x1, y1 = box
        inside = self.image[y0:y1 + 1, x0:x1 + 1]
        out = np.zeros(self.image.shape, bool)
        if inside.max() == inside.min():
            out[y0:y1 + 1, x0:x1 + 1] = True
            return out
        bright = inside > threshold_otsu(inside)
        h, w = bright.shape
        centre = bright[h // 4:h - h // 4, w // 4:w - w // 4]
        side = bright if centre.mean() >= 0.5 else ~bright
        out[y0:y1 + 1, x0:x1 + 1] = fill_holes(largest_component(side))
        return out


BASELINES = (GrabCutMethod, RandomWalkerMethod, ThresholdBoxMethod)
