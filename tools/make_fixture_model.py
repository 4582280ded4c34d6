#!/usr/bin/python3
"""Writes tests/fixtures/sam-fixture/: a tiny, untrained model pair with exactly
the interfaces of SAM's ONNX export, for tests of the inference path.

- encoder.onnx: image [1, 3, 64, 64] -> image_embeddings [1, 8, 16, 16]
- decoder.onnx: the public SAM decoder signature
    image_embeddings [1, 8, 16, 16], point_coords [1, N, 2], point_labels [1, N],
    mask_input [1, 1, 64, 64], has_mask_input [1], orig_im_size [2]
    -> masks [1, 3, H, W], iou_predictions [1, 3], low_res_masks [1, 3, 64, 64]

The decoder is geometric, not learned: each of its 3 masks is a disc of a
different radius around the positive points, the inside of a box (labels 2,
3), minus discs around negative points, plus a small image-dependent term from
the embeddings and the previous mask when has_mask_input is 1. Weights come
from a fixed seed, so the files are identical on every run:
    /usr/bin/python3 tools/make_fixture_model.py
"""
import json
import pathlib

import torch
from torch import nn
from torch.nn import functional as F

OUT = pathlib.Path(__file__).resolve().parent.parent / "tests" / "fixtures" / "sam-fixture"
INPUT_SIZE = 64
EMBED_CHANNELS, EMBED_SIZE = 8, 16
LOW_RES = 64
RADII = (5.0, 9.0, 14.0)       # mask radii in model pixels, one per output mask
NEGATIVE_RADIUS = 4.0


class Encoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(3, EMBED_CHANNELS, kernel_size=4, stride=4)

    def forward(self, image):
        return torch.tanh(self.conv(image))


class Decoder(nn.Module):
    def __init__(self):
        super().__init__()
        self.head = nn.Conv2d(EMBED_CHANNELS, 1, kernel_size=1)
        step = INPUT_SIZE / LOW_RES
        centres = torch.arange(LOW_RES, dtype=torch.float32) * step + (step - 1) / 2
        self.register_buffer("grid_y", centres.view(1, LOW_RES, 1).expand(1, LOW_RES, LOW_RES).clone())
        self.register_buffer("grid_x", centres.view(1, 1, LOW_RES).expand(1, LOW_RES, LOW_RES).clone())

    def forward(self, image_embeddings, point_coords, point_labels, mask_input, has_mask_input, orig_im_size):
        px = point_coords[0, :, 0].view(-1, 1, 1)
        py = point_coords[0, :, 1].view(-1, 1, 1)
        labels = point_labels[0].view(-1, 1, 1)
        d2 = (self.grid_x - px) ** 2 + (self.grid_y - py) ** 2            # [N, L, L]
        very_low = torch.full_like(d2, -1e4)

        negative = torch.where(labels == 0, (NEGATIVE_RADIUS ** 2 - d2) / NEGATIVE_RADIUS ** 2, very_low)
        negative = torch.clamp(negative.max(dim=0).values, min=0.0) * 2.0

        is_start, is_end = (labels == 2).float(), (labels == 3).float()
        has_box = (is_start.sum() > 0).float()
        x0, y0 = (px * is_start).sum(), (py * is_start).sum()
        x1, y1 = (px * is_end).sum(), (py * is_end).sum()
        inside = torch.minimum(torch.minimum(self.grid_x[0] - x0, x1 - self.grid_x[0]),
                               torch.minimum(self.grid_y[0] - y0, y1 - self.grid_y[0]))
        box = has_box * torch.clamp(inside / 3.0, -1.0, 1.0) + (1 - has_box) * -1.0

        image_term = F.interpolate(self.head(image_embeddings), size=(LOW_RES, LOW_RES), mode="bilinear",
                                   align_corners=False)[0, 0]
        previous = has_mask_input[0] * mask_input[0, 0]

        masks = []
        for radius in RADII:
            positive = torch.where(labels == 1, (radius ** 2 - d2) / radius ** 2, very_low).max(dim=0).values
            logit = torch.maximum(positive, box) - negative + 0.15 * image_term + 0.05 * previous
            masks.append(logit * 8.0)
        low_res_masks = torch.stack(masks).unsqueeze(0)                   # [1, 3, L, L]
        iou_predictions = torch.sigmoid(low_res_masks.abs().mean(dim=(2, 3)) / 4.0 - 1.0)
        return self.postprocess(low_res_masks, orig_im_size), iou_predictions, low_res_masks

    @staticmethod
    def postprocess(low_res_masks, orig_im_size):
        # As SAM's export: to the input size, crop the padding, to the image size.
        masks = F.interpolate(low_res_masks, size=(INPUT_SIZE, INPUT_SIZE), mode="bilinear", align_corners=False)
        scale = INPUT_SIZE / torch.max(orig_im_size)
        resized = torch.floor(orig_im_size * scale + 0.5).to(torch.int64)
        masks = masks[..., : resized[0], : resized[1]]
        size = orig_im_size.to(torch.int64)
        return F.interpolate(masks, size=(size[0], size[1]), mode="bilinear", align_corners=False)


def main():
    torch.manual_seed(20261123)
    OUT.mkdir(parents=True, exist_ok=True)
    encoder, decoder = Encoder().eval(), Decoder().eval()
    image = torch.randn(1, 3, INPUT_SIZE, INPUT_SIZE)
    torch.onnx.export(encoder, (image,), OUT / "encoder.onnx", input_names=["image"],
                      output_names=["image_embeddings"], opset_version=17)
    inputs = (
        torch.randn(1, EMBED_CHANNELS, EMBED_SIZE, EMBED_SIZE),
        torch.tensor([[[20.0, 30.0], [0.0, 0.0]]]),
        torch.tensor([[1.0, -1.0]]),
        torch.zeros(1, 1, LOW_RES, LOW_RES),
        torch.tensor([0.0]),
        torch.tensor([256.0, 200.0]),
    )
    torch.onnx.export(
        decoder, inputs, OUT / "decoder.onnx",
        input_names=["image_embeddings", "point_coords", "point_labels", "mask_input", "has_mask_input",
                     "orig_im_size"],
        output_names=["masks", "iou_predictions", "low_res_masks"],
        dynamic_axes={"point_coords": {1: "num_points"}, "point_labels": {1: "num_points"},
                      "masks": {2: "height", 3: "width"}},
        opset_version=17)
    manifest = {
        "name": "LocalSeg test fixture (untrained, geometric)",
        "licence": "MIT (generated by tools/make_fixture_model.py)",
        "source": "tools/make_fixture_model.py; not a trained model: masks are discs and boxes around the prompts",
        "encoder": {"file": "encoder.onnx", "input": "image", "output": "image_embeddings"},
        "decoder": {"file": "decoder.onnx"},
        "input_size": INPUT_SIZE,
        "pixel": {"mean": [123.675, 116.28, 103.53], "std": [58.395, 57.12, 57.375], "window": "display"},
        "embedding_shape": [EMBED_CHANNELS, EMBED_SIZE, EMBED_SIZE],
        "low_res_size": LOW_RES,
        "mask_threshold": 0.0,
    }
    (OUT / "manifest.json").write_text(json.dumps(manifest, indent=2) + "\n")
    print(f"wrote {OUT}")


if __name__ == "__main__":
    main()
