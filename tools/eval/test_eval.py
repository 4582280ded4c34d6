"""Tests of the evaluation harness, on the fixture model, and of the built-in
model's card: the harness reproduces the card's one-box Dice on the small
fixed subset within 0.01.
    /usr/bin/python3 tools/eval/test_eval.py
"""
import json
import pathlib
import re
import subprocess
import sys
import tempfile
import unittest

import cv2
import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))

from metrics import dice, nsd  # noqa: E402
from predictor import Predictor  # noqa: E402
from prompts import corrective_click, first_click, jittered_box, rng_for  # noqa: E402
from resample import bilinear_matrix  # noqa: E402

ROOT = HERE.parents[1]
FIXTURE = ROOT / "tests" / "fixtures" / "sam-fixture"
BUILTIN = ROOT / "models" / "builtin"


def square(shape, y0, x0, size):
    mask = np.zeros(shape, bool)
    mask[y0:y0 + size, x0:x0 + size] = True
    return mask


class PostProcessing(unittest.TestCase):
    def test_cv2_bilinear_is_the_apps_bilinear(self):
        # predictor.upscale relies on this to use cv2 instead of the matrices.
        rng = np.random.default_rng(0)
        for n_in, out_h, out_w in [(128, 256, 256), (64, 150, 200), (128, 60, 90), (7, 13, 3)]:
            low = rng.normal(size=(n_in, n_in)).astype(np.float32)
            ours = bilinear_matrix(n_in, out_h) @ low @ bilinear_matrix(n_in, out_w).T
            theirs = cv2.resize(low, (out_w, out_h), interpolation=cv2.INTER_LINEAR)
            np.testing.assert_allclose(theirs, ours, atol=1e-4)

    def test_predictor_masks_equal_the_decoders_own_masks(self):
        # The fixture decoder upscales its masks as SAM does, so the Python
        # post-processing (the app's) must give the same masks.
        predictor = Predictor(FIXTURE)
        try:
            image = np.random.default_rng(1).uniform(0, 255, (150, 200))
            predictor.set_image(image)
            masks, iou, low_res = predictor.predict([[120, 40]], [1], box=(30, 20, 90, 110))
            coords = np.concatenate([predictor.to_model([[120, 40]]), predictor.to_model([[30, 20], [90, 110]])])
            _, _, _, full = predictor.server.decode(coords, np.array([1, 2, 3]), np.zeros_like(low_res[0]), False,
                                                    150, 200, with_masks=True)
            self.assertEqual(masks.shape, (3, 150, 200))
            np.testing.assert_array_equal(masks, full > predictor.threshold)
        finally:
            predictor.close()


class Metrics(unittest.TestCase):
    def test_dice(self):
        a = square((64, 64), 10, 10, 20)
        self.assertEqual(dice(a, a), 1.0)
        self.assertEqual(dice(a, square((64, 64), 40, 40, 10)), 0.0)
        self.assertAlmostEqual(dice(a, square((64, 64), 10, 10, 10)), 2 * 100 / 500)

    def test_nsd_tolerates_small_shifts_only(self):
        a = square((64, 64), 10, 10, 20)
        self.assertEqual(nsd(a, square((64, 64), 11, 11, 20)), 1.0)
        self.assertLess(nsd(a, square((64, 64), 16, 16, 20)), 0.3)


class Prompts(unittest.TestCase):
    def test_box_jitter_stays_near_the_target(self):
        target = square((100, 100), 20, 30, 40)
        for seed in range(20):
            x0, y0, x1, y1 = jittered_box(target, rng_for(seed, 0))
            for got, want in [(x0, 30), (y0, 20), (x1, 69), (y1, 59)]:
                self.assertLessEqual(abs(got - want), 2)

    def test_clicks_land_inside_their_region(self):
        target = square((100, 100), 20, 30, 40)
        for seed in range(20):
            x, y = first_click(target, rng_for(seed, 1))
            self.assertTrue(target[y, x])
        pred = square((100, 100), 20, 30, 20)          # misses most of the target: a positive click
        (x, y), positive = corrective_click(pred, target, rng_for(0, 2))
        self.assertTrue(positive and target[y, x] and not pred[y, x])
        pred = target | square((100, 100), 70, 70, 25)  # a large false positive: a negative click
        (x, y), positive = corrective_click(pred, target, rng_for(0, 3))
        self.assertTrue(not positive and pred[y, x] and not target[y, x])
        self.assertIsNone(corrective_click(target, target, rng_for(0, 4)))


def run_evaluate(out, *args, model=FIXTURE):
    command = [sys.executable, str(HERE / "evaluate.py"), "--model", str(model), "--out", str(out), *args]
    subprocess.run(command, check=True, cwd=ROOT, stdout=subprocess.DEVNULL)
    results = json.loads((pathlib.Path(out) / "results.json").read_text())
    results.pop("timing")  # the only part allowed to change between runs
    return results


class EndToEnd(unittest.TestCase):
    def test_small_subset_runs_completely(self):
        with tempfile.TemporaryDirectory() as out:
            results = run_evaluate(out, "--subset", "small")
            self.assertIn("not expert delineations", results["note"])
            for name in ("kmeans", "ct"):
                result = results["sets"][name]
                self.assertEqual(len(result["cases"]), 4)
                self.assertEqual(set(result["methods"]), {"model", "grabcut", "random walker", "threshold in box"})
                self.assertEqual(len(list((pathlib.Path(out) / "overlays" / name).glob("*.png"))), 4)
                model = result["methods"]["model"]["per_case"]
                self.assertTrue(all(0 <= r["dice_box"] <= 1 and 1 <= r["noc90"] <= 20 for r in model))
            self.assertTrue("synthetic" in results["sets"] or "synthetic" in results["skipped"])

    def test_same_numbers_on_every_run(self):
        with tempfile.TemporaryDirectory() as first, tempfile.TemporaryDirectory() as second:
            args = ("--subset", "small", "--sets", "kmeans")
            self.assertEqual(run_evaluate(first, *args), run_evaluate(second, *args))


class ModelCard(unittest.TestCase):
    def test_the_card_one_box_dice_is_reproduced_on_the_small_subset(self):
        card = (BUILTIN / "MODEL_CARD.md").read_text()
        line = re.search(r"small fixed subset.*?one-box Dice: kmeans ([0-9]+\.[0-9]+), ct ([0-9]+\.[0-9]+), synthetic ([0-9]+\.[0-9]+)",
                         card, re.S | re.I)
        self.assertIsNotNone(line, "MODEL_CARD.md states the small subset's one-box Dice")
        stated = dict(zip(("kmeans", "ct", "synthetic"), map(float, line.groups())))
        with tempfile.TemporaryDirectory() as out:
            results = run_evaluate(out, "--subset", "small", "--no-baselines", model=BUILTIN)
        for name, value in stated.items():
            measured = results["sets"][name]["methods"]["model"]["summary"]["dice_box"]
            self.assertAlmostEqual(measured, value, delta=0.01, msg=name)


if __name__ == "__main__":
    unittest.main()
