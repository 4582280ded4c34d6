"""One PNG per reference case so anyone can check the references by eye:
the image in grey (its display window), the reference outline in green,
the jittered box in yellow and the first click as a red dot."""
import pathlib
import re

import cv2
import numpy as np


def save_overlay(case, prompts, folder):
    image = np.clip(np.round(case.image()), 0, 255).astype(np.uint8)
    zoom = max(1, 512 // max(image.shape))  # small slices are enlarged so outlines stay visible
    big = cv2.resize(image, None, fx=zoom, fy=zoom, interpolation=cv2.INTER_NEAREST)
    canvas = cv2.cvtColor(big, cv2.COLOR_GRAY2BGR)
    target = cv2.resize(case.target.astype(np.uint8), None, fx=zoom, fy=zoom, interpolation=cv2.INTER_NEAREST)
    contours, _ = cv2.findContours(target, cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    cv2.drawContours(canvas, contours, -1, (0, 255, 0), 1)
    x0, y0, x1, y1 = prompts["box"]
    cv2.rectangle(canvas, (x0 * zoom, y0 * zoom), ((x1 + 1) * zoom - 1, (y1 + 1) * zoom - 1), (0, 255, 255), 1)
    x, y = prompts["first_click"]
    cv2.circle(canvas, (x * zoom + zoom // 2, y * zoom + zoom // 2), max(2, zoom), (0, 0, 255), -1)
    folder = pathlib.Path(folder)
    folder.mkdir(parents=True, exist_ok=True)
    cv2.imwrite(str(folder / (re.sub(r"[^A-Za-z0-9_.-]", "_", case.name) + ".png")), canvas)
