"""Runs a shipped denoiser on slices through Node's onnxruntime-node
(tools/restore/ort_batch.mjs), the way the app calls it: normalise, pad
(reflect) to the size multiple, run, crop, de-normalise."""
import json
import pathlib
import subprocess
import tempfile

import numpy as np

HERE = pathlib.Path(__file__).resolve().parent
ROOT = HERE.parents[1]


def load_manifest(model_dir):
    return json.loads((pathlib.Path(model_dir) / "manifest.json").read_text())


def normalisation(manifest, image):
    norm = manifest["normalize"]
    if norm["mode"] == "fixed":
        return float(norm["offset"]), float(norm["scale"])
    return 0.0, float(max(np.percentile(image, norm["percentile"]), 1e-6))


def sigma_normalised(manifest, sigma_user, scale):
    """sigma in the units a user sees (HU, or percent of the scale) -> model input."""
    if manifest["noise_sigma"]["units"] == "HU":
        return float(sigma_user) / scale
    return float(sigma_user) / 100.0


def pad(image, multiple):
    h, w = image.shape
    ph, pw = (-h) % multiple, (-w) % multiple
    return np.pad(image, ((0, ph), (0, pw)), mode="reflect") if ph or pw else image


def denoise(model_dir, images, sigmas_user, threads=1):
    """images: list of 2-D arrays in modality units; sigmas_user: per image, in
    the manifest's user units. Returns the denoised images (modality units) and
    the per-call milliseconds."""
    model_dir = pathlib.Path(model_dir).resolve()
    manifest = load_manifest(model_dir)
    m = manifest["size_multiple"]
    with tempfile.TemporaryDirectory() as tmp:
        tmp = pathlib.Path(tmp)
        items, meta = [], []
        for i, (im, s) in enumerate(zip(images, sigmas_user)):
            offset, scale = normalisation(manifest, im)
            x = pad(((np.asarray(im, np.float32) - offset) / scale).astype(np.float32), m)
            x.astype("<f4").tofile(tmp / f"{i}.f32")
            items.append({"in": f"{i}.f32", "out": f"{i}.out.f32", "height": x.shape[0], "width": x.shape[1],
                          "sigma": sigma_normalised(manifest, s, scale)})
            meta.append((im.shape, offset, scale, x.shape))
        (tmp / "job.json").write_text(json.dumps({"model": str(model_dir), "threads": threads, "items": items}))
        res = subprocess.run(["node", str(HERE / "ort_batch.mjs"), str(tmp)], cwd=ROOT, capture_output=True,
                             text=True, check=True)
        ms = json.loads(res.stdout.strip().splitlines()[-1])["ms"]
        outs = []
        for i, (shape, offset, scale, pshape) in enumerate(meta):
            y = np.fromfile(tmp / f"{i}.out.f32", "<f4").reshape(pshape)[:shape[0], :shape[1]]
            outs.append(y * scale + offset)
    return outs, ms
