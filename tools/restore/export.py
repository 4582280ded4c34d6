"""Exports a trained denoiser to ONNX (opset 17) and writes its manifest.

  /usr/bin/python3 tools/restore/export.py --modality ct \
      --checkpoint ~/.cache/localseg/restore-ct/checkpoint.pt --out models/denoise-ct

Signature: image float32 [1,1,H,W], noise_sigma float32 [1] -> denoised
float32 [1,1,H,W]; H, W dynamic (multiples of size_multiple).
"""
import argparse
import json
import pathlib
import sys

import numpy as np
import onnx
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import train as T                                 # noqa: E402
from model import SIZE_MULTIPLE, Denoiser, flops  # noqa: E402

INPUTS = ["image", "noise_sigma"]
OUTPUT = "denoised"


def export_onnx(model, path):
    model.eval()
    dummy = (torch.zeros(1, 1, 64, 96), torch.full((1,), 0.03))
    torch.onnx.export(model, dummy, str(path), input_names=INPUTS, output_names=[OUTPUT], opset_version=17,
                      dynamic_axes={"image": {2: "height", 3: "width"}, OUTPUT: {2: "height", 3: "width"}},
                      do_constant_folding=True)
    m = onnx.load(str(path))
    onnx.checker.check_model(m)
    return m


def ct_sigma_range(checkpoint):
    bank = pathlib.Path(checkpoint).parent / "bank.npz"
    if bank.exists():
        s = np.load(bank)["sigma"]      # 2nd..98th percentile of the bank, times the 0.7..1.4 level jitter
        return [round(float(np.percentile(s, 2)) * 0.7, 1), round(float(np.percentile(s, 98)) * 1.4, 1)]
    return None


def manifest_for(modality, checkpoint, config, mac):
    steps = config["steps"]
    common = {
        "kind": "denoiser",
        "file": "denoiser.onnx",
        "inputs": {"image": INPUTS[0], "noise_sigma": INPUTS[1]},
        "output": OUTPUT,
        "input_shape": [1, 1, "H", "W"],
        "size_multiple": SIZE_MULTIPLE,
        "pad_mode": "reflect",
        "residual": True,
        "opset": 17,
        "gmac_512": round(mac / 1e9, 3),
        "card": "MODEL_CARD.md",
        "licence": None,
        "source": f"tools/restore/train.py --modality {modality} --steps {steps} --batch {config['batch']} "
                  f"--crop {config['crop']} (seed {config['seed']}), exported by tools/restore/export.py",
    }
    if modality == "ct":
        trained = ct_sigma_range(checkpoint) or [5.0, 150.0]
        default, lo, hi = 25.0, 0.0, 150.0
        return {
            "name": "LocalSeg CT low-dose denoiser (preview)",
            "modality": "CT",
            **common,
            "normalize": {"mode": "fixed", "offset": T.CT_OFFSET, "scale": T.CT_SCALE},
            "noise_sigma": {
                "units": "HU", "default": default, "min": lo, "max": hi, "trained_range": trained,
                "meaning": "standard deviation of the noise in soft tissue (inside the body), in HU; "
                           "trained on simulated low-dose quantum noise (Poisson counts, filtered back-projection)",
                "normalised": {"default": default / T.CT_SCALE, "min": lo / T.CT_SCALE, "max": hi / T.CT_SCALE,
                               "trained_range": [t / T.CT_SCALE for t in trained]},
                "to_normalised": "noise_sigma_input = sigma_HU / normalize.scale",
            },
            "licence": "MIT (LocalSeg); weights trained on Debian's invesalius-examples Cranium.inv3 "
                       "(package licence GPL-2), see MODEL_CARD.md",
        }
    lo_pct, hi_pct = 100 * T.MR_SIGMA[0], 100 * T.MR_SIGMA[1]
    default, lo, hi = 4.0, 0.0, 15.0
    return {
        "name": "LocalSeg MR denoiser (preview)",
        "modality": "MR",
        **common,
        "normalize": {"mode": "percentile", "percentile": 99.5, "offset": 0.0,
                      "note": "scale = 99.5th percentile of the (noisy) slice's own values, offset 0"},
        "noise_sigma": {
            "units": "percent of the normalisation scale", "default": default, "min": lo, "max": hi,
            "trained_range": [lo_pct, hi_pct],
            "meaning": "Rician noise sigma (std of each of the real and imaginary Gaussian components) "
                       "as a percentage of the slice's 99.5th percentile",
            "normalised": {"default": default / 100, "min": lo / 100, "max": hi / 100,
                           "trained_range": [lo_pct / 100, hi_pct / 100]},
            "to_normalised": "noise_sigma_input = percent / 100",
        },
        "licence": "MIT (LocalSeg); weights trained on Debian's mricron-data Colin27 T1 (ch2.nii.gz), "
                   "see MODEL_CARD.md",
    }


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--modality", choices=["ct", "mr"], required=True)
    ap.add_argument("--checkpoint", type=pathlib.Path, required=True)
    ap.add_argument("--out", type=pathlib.Path, required=True)
    args = ap.parse_args()
    state = torch.load(args.checkpoint.expanduser())
    config = dict(state["config"], steps_done=state["step"], train_minutes=round(state.get("seconds", 0) / 60, 1))
    model = Denoiser(config.get("widths", None) or None)
    model.load_state_dict(state["model"])
    args.out.mkdir(parents=True, exist_ok=True)
    export_onnx(model, args.out / "denoiser.onnx")
    manifest = manifest_for(args.modality, args.checkpoint.expanduser(), config, flops(model))
    manifest["training"] = {"steps": config["steps_done"], "of_steps": config["steps"],
                            "minutes_cpu_1_thread": config["train_minutes"], "widths": config["widths"]}
    (args.out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {args.out}/denoiser.onnx ({(args.out / 'denoiser.onnx').stat().st_size} bytes), "
          f"step {config['steps_done']}/{config['steps']}")


if __name__ == "__main__":
    main()
