#!/usr/bin/python3
"""Exports a training checkpoint (tools/train/train.py) to the files the app
loads: encoder.onnx, decoder.onnx (SAM's ONNX decoder signature) and
manifest.json.

    /usr/bin/python3 tools/export/export.py --checkpoint ~/.cache/localseg/train/checkpoint.pt --out models/builtin
"""
import argparse
import json
import pathlib
import sys
import warnings

import torch

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.insert(0, str(ROOT / "tools" / "train"))
import model as M          # noqa: E402
from train import PIXEL_MEAN, PIXEL_STD  # noqa: E402

DECODER_INPUTS = ["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input", "orig_im_size"]
DECODER_OUTPUTS = ["masks", "iou_predictions", "low_res_masks"]


def load(checkpoint):
    state = torch.load(checkpoint, map_location="cpu")
    encoder, decoder = M.Encoder(), M.Decoder()
    encoder.load_state_dict(state["encoder"])
    decoder.load_state_dict(state["decoder"])
    return encoder.eval(), decoder.eval(), state["step"]


def export(checkpoint, out):
    # The tracer warns about Python-computed sizes; they are constant for the exported 256 x 256 input.
    warnings.filterwarnings("ignore", category=torch.jit.TracerWarning)
    warnings.filterwarnings("ignore", category=UserWarning)
    encoder, decoder, step = load(checkpoint)
    out.mkdir(parents=True, exist_ok=True)
    image = torch.zeros(1, 3, M.INPUT_SIZE, M.INPUT_SIZE)
    with torch.no_grad():
        torch.onnx.export(encoder, (image,), out / "encoder.onnx", input_names=["image"],
                          output_names=["image_embeddings"], opset_version=17)
        inputs = (torch.zeros(1, M.EMBED_CHANNELS, M.GRID, M.GRID), torch.tensor([[[100.0, 120.0], [0.0, 0.0]]]),
                  torch.tensor([[1.0, -1.0]]), torch.zeros(1, 1, M.LOW_RES, M.LOW_RES), torch.tensor([0.0]),
                  torch.tensor([512.0, 512.0]))
        torch.onnx.export(M.SamOnnxDecoder(decoder), inputs, out / "decoder.onnx", input_names=DECODER_INPUTS,
                          output_names=DECODER_OUTPUTS, opset_version=17,
                          dynamic_axes={"point_coords": {1: "num_points"}, "point_labels": {1: "num_points"},
                                        "masks": {2: "height", 3: "width"}})
    manifest = {
        "name": "LocalSeg built-in (synthetic-trained SAM-style, 256 px)",
        "licence": "MIT (trained by tools/train/train.py from Debian's mricron-data atlases and synthetic images)",
        "source": f"tools/train/train.py, {step} steps; card: MODEL_CARD.md",
        "encoder": {"file": "encoder.onnx", "input": "image", "output": "image_embeddings"},
        "decoder": {"file": "decoder.onnx"},
        "input_size": M.INPUT_SIZE,
        "pixel": {"mean": [float(v) for v in PIXEL_MEAN], "std": [float(v) for v in PIXEL_STD], "window": "display"},
        "embedding_shape": [M.EMBED_CHANNELS, M.GRID, M.GRID],
        "low_res_size": M.LOW_RES,
        "mask_threshold": 0.0,
    }
    (out / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    return manifest


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--checkpoint", type=pathlib.Path, required=True)
    parser.add_argument("--out", type=pathlib.Path, default=ROOT / "models" / "builtin")
    args = parser.parse_args()
    manifest = export(args.checkpoint, args.out)
    sizes = {f: (args.out / f).stat().st_size for f in ("encoder.onnx", "decoder.onnx")}
    print(f"wrote {args.out}: {manifest['name']}, {sizes}")


if __name__ == "__main__":
    main()
