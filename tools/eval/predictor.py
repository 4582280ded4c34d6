"""SAM-style predictor that prepares prompts and images exactly as LocalSeg
does (src/ml/encoder_input.cpp, model_frame.cpp, mask_output.cpp,
src/segment/prompt_session.cpp), running the ONNX files through ort_client.

Coordinates are pixel indices: x = column, y = row, both may be fractional.
The app works in continuous image coordinates with pixel centres at i + 0.5
and maps p -> (p - 0.5) * resized / size; for a pixel index i that is
i * resized / size, which is what to_model() does.
"""
import cv2
import numpy as np

from ort_client import OrtServer
from resample import resize_antialiased


class Predictor:
    def __init__(self, model_dir, threads=2):
        self.server = OrtServer(model_dir, threads)
        m = self.server.manifest
        self.manifest = m
        self.size = m["input_size"]
        self.mean = np.array(m["pixel"]["mean"], np.float64)
        self.std = np.array(m["pixel"]["std"], np.float64)
        self.low_res = self.server.low_res
        self.threshold = m.get("mask_threshold", 0.0)
        self.encoder_ms = []
        self.decoder_ms = []

    def close(self):
        self.server.close()

    def fixed_window(self):
        """(center, width) when the model wants a fixed window, else None
        (the encoder sees the display window)."""
        window = self.manifest["pixel"].get("window", "display")
        return None if window == "display" else (window["center"], window["width"])

    def set_image(self, image):
        """image: 2-D float, already windowed to 0..255."""
        h, w = image.shape
        scale = self.size / max(w, h)
        # SAM's ResizeLongestSide.get_preprocess_shape (round half up, as the app).
        self.h, self.w = h, w
        self.rh, self.rw = int(np.floor(h * scale + 0.5)), int(np.floor(w * scale + 0.5))
        resized = resize_antialiased(image.astype(np.float64), self.rw, self.rh)
        tensor = np.zeros((1, 3, self.size, self.size), np.float32)
        for c in range(3):  # normalise, then zero-pad bottom/right (SAM pads after normalising)
            tensor[0, c, :self.rh, :self.rw] = (resized - self.mean[c]) / self.std[c]
        self.encoder_ms.append(self.server.encode(tensor))

    def to_model(self, xy):
        xy = np.asarray(xy, np.float64).reshape(-1, 2)
        return xy * [self.rw / self.w, self.rh / self.h]

    def predict(self, points, labels, box=None, mask_input=None):
        """points [P, 2] (x, y) pixel indices, labels [P] (1 include, 0 exclude),
        box (x0, y0, x1, y1) pixel indices of its corner pixels or None,
        mask_input: a previous low_res [L, L] or None.
        Returns masks bool [M, H, W], iou [M], low_res [M, L, L]."""
        coords = [self.to_model(points)] if len(points) else []
        labels = [np.asarray(labels, np.float32).reshape(-1)]
        if box is not None:
            # SAM: a box is two points labelled 2 (top-left) and 3 (bottom-right).
            coords.append(self.to_model([box[:2], box[2:]]))
            labels.append(np.array([2, 3], np.float32))
        else:
            # SAM's ONNX decoder expects a padding point (label -1) without a box.
            coords.append(np.zeros((1, 2)))
            labels.append(np.array([-1], np.float32))
        has_mask = mask_input is not None
        if not has_mask:
            mask_input = np.zeros((self.low_res, self.low_res), np.float32)
        iou, low_res, ms = self.server.decode(np.concatenate(coords), np.concatenate(labels), mask_input,
                                              has_mask, self.h, self.w)
        self.decoder_ms.append(ms)
        return self.upscale(low_res) > self.threshold, iou, low_res

    def upscale(self, low_res):
        """low_res logits [M, L, L] -> image logits [M, H, W]: bilinear to N x N,
        crop the padding, bilinear to the image (lowResToImageLogits).
        cv2's INTER_LINEAR is the app's half-pixel bilinear with clamped edges
        (test_eval.py checks it against resample.bilinear_matrix) and is fast."""
        out = np.empty((len(low_res), self.h, self.w), np.float32)
        for k, logits in enumerate(low_res.astype(np.float32)):
            padded = cv2.resize(logits, (self.size, self.size), interpolation=cv2.INTER_LINEAR)
            out[k] = cv2.resize(padded[:self.rh, :self.rw], (self.w, self.h), interpolation=cv2.INTER_LINEAR)
        return out


def best(masks, iou, low_res):
    """The candidate with the highest predicted IoU, as the app selects it
    (first one on ties, like std::max_element)."""
    k = int(np.argmax(iou))
    return masks[k], low_res[k]
