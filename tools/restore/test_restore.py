"""Fast checks of the restoration tools and the shipped denoisers (< 60 s).

  /usr/bin/python3 tools/restore/test_restore.py
"""
import json
import pathlib
import sys
import tempfile
import unittest

import numpy as np
import onnx
import torch

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import data as D        # noqa: E402
import evaluate as E    # noqa: E402
import export as X      # noqa: E402
import noise as N       # noqa: E402
import ort              # noqa: E402
import train as T       # noqa: E402
import training_lesions as L  # noqa: E402
from model import SIZE_MULTIPLE, Denoiser  # noqa: E402
from skimage.metrics import peak_signal_noise_ratio as psnr  # noqa: E402

ROOT = HERE.parents[1]
MODELS = {"ct": ROOT / "models" / "denoise-ct", "mr": ROOT / "models" / "denoise-mr"}


def phantom_ct(n=96):
    yy, xx = np.mgrid[:n, :n]
    r = np.hypot(yy - n / 2, xx - n / 2)
    hu = np.where(r < 0.4 * n, 40.0, -1000.0)
    hu = np.where(np.hypot(yy - 0.4 * n, xx - 0.55 * n) < 0.08 * n, 700.0, hu)
    return hu.astype(np.float32)


class NoiseTests(unittest.TestCase):
    def test_ct_deterministic_and_dose_dependent(self):
        hu = phantom_ct()
        proj = N.CtProjector(hu, 1.0)
        a = proj.noise(1e5, np.random.default_rng(3))
        b = proj.noise(1e5, np.random.default_rng(3))
        c = proj.noise(1e5, np.random.default_rng(4))
        np.testing.assert_array_equal(a, b)
        self.assertGreater(np.abs(a - c).mean(), 1.0)
        low = proj.noise(1e5 / 4, np.random.default_rng(5))
        ratio = N.noise_sigma_ct(low, hu) / N.noise_sigma_ct(a, hu)
        self.assertAlmostEqual(ratio, 2.0, delta=0.3)          # quantum noise ~ 1/sqrt(dose)
        self.assertLess(abs(a[N.body_mask(hu)].mean()), 0.2 * N.noise_sigma_ct(a, hu))   # no bias

    def test_ct_noise_is_correlated(self):
        hu = phantom_ct()
        n = N.CtProjector(hu, 1.0).noise(1e5, np.random.default_rng(1))
        m = N.body_mask(hu)[:, :-1] & N.body_mask(hu)[:, 1:]
        corr = np.corrcoef(n[:, :-1][m], n[:, 1:][m])[0, 1]
        self.assertGreater(abs(corr), 0.05)                   # not white: FBP correlates neighbours

    def test_requested_ct_level(self):
        hu = phantom_ct()
        noisy, sigma, _ = E.make_noisy("ct", hu, 1.0, 30.0, np.random.default_rng(2), {})
        self.assertAlmostEqual(sigma, 30.0, delta=6.0)

    def test_rician(self):
        img = np.full((128, 128), 100.0, np.float32)
        a = N.rician(img, 5.0, np.random.default_rng(1))
        np.testing.assert_array_equal(a, N.rician(img, 5.0, np.random.default_rng(1)))
        self.assertAlmostEqual(float((a - img).std()), 5.0, delta=0.3)
        zero = N.rician(np.zeros((128, 128), np.float32), 5.0, np.random.default_rng(1))
        self.assertAlmostEqual(float(zero.mean()), 5.0 * np.sqrt(np.pi / 2), delta=0.3)   # Rayleigh floor

    def test_lesions(self):
        clean = np.zeros((100, 100), np.float32)
        tissue = np.ones_like(clean, bool)
        out, placed = N.place_lesions(clean, tissue, [{"diameter_mm": 6, "delta": 50.0}], 1.0,
                                      np.random.default_rng(0))
        self.assertEqual(len(placed), 1)
        self.assertAlmostEqual(N.lesion_contrast(out, placed[0]), 50.0, delta=1e-3)


class TrainingTests(unittest.TestCase):
    def test_steps_lower_loss(self):
        torch.manual_seed(0)
        slices = D.mr_training_slices(step=30)
        batch = T.batch("mr", slices, 7, 0, 8, 64)
        model = Denoiser()
        opt = torch.optim.Adam(model.parameters(), lr=2e-3)
        first = T.loss_fn(model, *batch).item()
        for _ in range(30):
            loss = T.loss_fn(model, *batch)
            opt.zero_grad()
            loss.backward()
            opt.step()
        self.assertLess(T.loss_fn(model, *batch).item(), 0.95 * first)

    def test_batches_are_reproducible(self):
        slices = D.mr_training_slices(step=30)
        a = T.batch("mr", slices, 7, 5, 2, 64)
        b = T.batch("mr", slices, 7, 5, 2, 64)
        for x, y in zip(a, b):
            self.assertTrue(torch.equal(x, y))

    def test_training_lesions_are_drawn_in_tissue_and_weighted(self):
        rng = np.random.default_rng(3)
        clean = np.zeros((64, 64), np.float32)
        tissue = np.zeros((64, 64), bool)
        tissue[20:44, 20:44] = True
        image, weight = L.add_lesions(rng, clean, tissue, 1.0, (50.0, 60.0), 12.0, max_count=6)
        changed = np.abs(image) > 1
        self.assertTrue(changed.any())                     # this seed draws lesions
        ys, xs = np.nonzero(changed)
        self.assertTrue(tissue[ys.mean().astype(int), xs.mean().astype(int)])
        self.assertLessEqual(np.abs(image).max(), 6 * 60.0 + 1e-3)
        self.assertTrue((weight[changed] == 12.0).all())
        self.assertEqual(weight[0, 0], 1.0)


def check_signature(test, path):
    m = onnx.load(str(path))
    onnx.checker.check_model(m)
    test.assertEqual(m.opset_import[0].version, 17)
    test.assertEqual([i.name for i in m.graph.input], ["image", "noise_sigma"])
    test.assertEqual([o.name for o in m.graph.output], ["denoised"])
    dims = lambda v: [d.dim_param or d.dim_value for d in v.type.tensor_type.shape.dim]   # noqa: E731
    image, sigma = m.graph.input
    test.assertEqual(dims(image)[:2], [1, 1])
    test.assertTrue(all(isinstance(d, str) and d for d in dims(image)[2:]), dims(image))
    test.assertEqual(dims(sigma), [1])
    test.assertTrue(all(isinstance(d, str) and d for d in dims(m.graph.output[0])[2:]))
    for v in (image, sigma, m.graph.output[0]):
        test.assertEqual(v.type.tensor_type.elem_type, onnx.TensorProto.FLOAT)


class ExportTests(unittest.TestCase):
    def test_export_signature(self):
        with tempfile.TemporaryDirectory() as tmp:
            X.export_onnx(Denoiser(), pathlib.Path(tmp) / "d.onnx")
            check_signature(self, pathlib.Path(tmp) / "d.onnx")

    def test_shipped_models(self):
        for mod, d in MODELS.items():
            check_signature(self, d / "denoiser.onnx")
            man = json.loads((d / "manifest.json").read_text())
            self.assertEqual(man["kind"], "denoiser")
            self.assertEqual(man["modality"], mod.upper())
            self.assertEqual(man["size_multiple"], SIZE_MULTIPLE)
            self.assertEqual(man["inputs"], {"image": "image", "noise_sigma": "noise_sigma"})
            ns = man["noise_sigma"]
            self.assertLessEqual(ns["min"], ns["default"])
            self.assertLessEqual(ns["default"], ns["max"])
            self.assertTrue((d / man["card"]).exists())
            self.assertLess((d / man["file"]).stat().st_size, 3_000_000)


class ShippedDenoiseTests(unittest.TestCase):
    """The shipped models beat the noisy input on held-out slices, through onnxruntime-node."""

    def test_ct_heldout(self):
        case = next(c for c in D.ct_heldout() if c["name"] == "CT_small")
        clean = case["image"]
        noisy, sigma, _ = E.make_noisy("ct", clean, case["spacing"], 30.0, np.random.default_rng(11), {})
        (out,), _ = ort.denoise(MODELS["ct"], [noisy], [sigma])
        win = lambda x: np.clip(x, -160, 240)   # noqa: E731
        gain = psnr(win(clean), win(out), data_range=400) - psnr(win(clean), win(noisy), data_range=400)
        self.assertGreater(gain, 1.0)          # 1.9 dB for the shipped model (CT_small is the hardest held-out slice)
        (same,), _ = ort.denoise(MODELS["ct"], [clean], [0.0])
        self.assertLess(float(np.abs(same - clean).mean()), 0.3 * sigma)     # sigma 0: near identity

    def test_mr_heldout(self):
        case = next(c for c in D.mr_heldout() if c["name"].startswith("demo_"))
        clean = case["image"]
        noisy, sigma_pct, _ = E.make_noisy("mr", clean, case["spacing"], 5.0, np.random.default_rng(12), {})
        (out,), _ = ort.denoise(MODELS["mr"], [noisy], [sigma_pct])
        scale = N.mr_scale(clean)
        gain = psnr(clean, out, data_range=scale) - psnr(clean, noisy, data_range=scale)
        self.assertGreater(gain, 2.0)


if __name__ == "__main__":
    unittest.main(verbosity=2)
