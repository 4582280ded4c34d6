#!/usr/bin/python3
"""Trains LocalSeg's built-in promptable model on CPU from synthetic and atlas
data (synth.py), with simulated interactive prompting (prompts.py):

each batch gets a first prompt (box, click, clicks or scribble), then up to 5
more decoder passes, each adding a corrective click on the largest error of
the previous result and feeding that result's low-resolution logits back as
mask_input (SAM's iterative training); sometimes the next prompt is only the
model's own previous mask plus a box around it (self-prompting, SAM-SP).

Every step draws its data from a generator seeded by (seed, step), so a run
resumed from a checkpoint continues exactly as an uninterrupted one would.

    /usr/bin/python3 tools/train/train.py --steps 4000 --out ~/.cache/localseg/train
"""
import argparse
import json
import math
import pathlib
import sys
import time

import cv2
import numpy as np
import torch
from torch.nn import functional as F

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import model as M          # noqa: E402
import prompts             # noqa: E402
import synth               # noqa: E402

PIXEL_MEAN = np.array([123.675, 116.28, 103.53], np.float32)   # SAM's, so the manifest reads like SAM's
PIXEL_STD = np.array([58.395, 57.12, 57.375], np.float32)
MAX_PASSES = 6
CLICKED_ERROR_WEIGHT = 4.0   # extra BCE weight (1 + this) of the error region a corrective click was placed in


def normalise(grey, size):
    """0..255 grey image -> [3, size, size] as the app feeds the encoder: the
    longest side already equals size; the rest is zero padding after normalisation."""
    out = np.zeros((3, size, size), np.float32)
    h, w = grey.shape
    out[:, :h, :w] = (grey[None] - PIXEL_MEAN[:, None, None]) / PIXEL_STD[:, None, None]
    return out


def non_square(rng, image, target, size):
    """Non-square images, as the app pads them: resize one axis, pad bottom/right."""
    aspect = rng.uniform(0.5, 0.95)
    if rng.random() < 0.5:
        shape = (size, max(16, int(size * aspect)))
    else:
        shape = (max(16, int(size * aspect)), size)
    image = cv2.resize(image, (shape[1], shape[0]), interpolation=cv2.INTER_AREA)
    target = cv2.resize(target.astype(np.uint8), (shape[1], shape[0]), interpolation=cv2.INTER_NEAREST) > 0
    padded = np.zeros((size, size), bool)
    padded[: shape[0], : shape[1]] = target
    return image, padded


def make_batch(rng, batch, size):
    images, targets = [], []
    while len(images) < batch:
        image, target = synth.sample(rng, size)
        if rng.random() < 0.2:
            image, target = non_square(rng, image, target, size)
        if target.sum() == 0:
            continue
        images.append(normalise(image, size))
        targets.append(target)
    return torch.from_numpy(np.stack(images)), np.stack(targets)


def prompt_tensors(prompt_lists):
    """Pads every sample's prompt to the same length with SAM's padding point."""
    lists = []
    for points in prompt_lists:
        points = list(points)
        if not any(label == 2 for _, _, label in points):
            points.append((0.0, 0.0, -1))
        lists.append(points)
    n = max(len(p) for p in lists)
    coords = torch.zeros(len(lists), n, 2)
    labels = torch.full((len(lists), n), -1.0)
    for i, points in enumerate(lists):
        for j, (x, y, label) in enumerate(points):
            coords[i, j, 0], coords[i, j, 1], labels[i, j] = x, y, label
    return coords, labels


def mask_losses(logits, target, weight=None):
    """Binary cross-entropy (weighted per pixel, if given) plus soft Dice, per
    sample and per mask: [B, M]."""
    t = target.expand_as(logits)
    bce = F.binary_cross_entropy_with_logits(logits, t, reduction="none")
    if weight is None:
        bce = bce.mean(dim=(2, 3))
    else:
        bce = (bce * weight).sum(dim=(2, 3)) / weight.sum(dim=(2, 3))
    p = torch.sigmoid(logits)
    dice = 1 - (2 * (p * t).sum(dim=(2, 3)) + 1) / (p.sum(dim=(2, 3)) + t.sum(dim=(2, 3)) + 1)
    return bce + dice


def true_iou(logits, target):
    pred = logits > 0
    t = target.expand_as(pred) > 0.5
    inter = (pred & t).sum(dim=(2, 3)).float()
    union = (pred | t).sum(dim=(2, 3)).float()
    return inter / union.clamp(min=1)


def train_step(encoder, decoder, rng, batch, size):
    """One batch through the simulated interaction; returns the mean loss (a tensor) and stats."""
    images, targets = make_batch(rng, batch, size)
    target_t = torch.from_numpy(targets).float().unsqueeze(1)
    embeddings = encoder(images)
    prompt_lists = [prompts.initial_prompt(rng, t) for t in targets]
    low_res = 4 * embeddings.shape[-1]
    mask_input = torch.zeros(batch, 1, low_res, low_res)
    has_mask = torch.zeros(batch)
    passes = 1 + int(rng.integers(0, MAX_PASSES))
    total = 0.0
    first_dice = None
    weight = None
    for step in range(passes):
        coords, labels = prompt_tensors(prompt_lists)
        low, iou_pred = decoder(embeddings, coords, labels, mask_input, has_mask)
        logits = F.interpolate(low, size=(size, size), mode="bilinear", align_corners=False)
        losses = mask_losses(logits, target_t, weight)
        best = losses.argmin(dim=1)
        iou = true_iou(logits.detach(), target_t)
        total = total + losses.gather(1, best[:, None]).mean() + F.mse_loss(iou_pred, iou)
        if first_dice is None:
            first_dice = float((1 - losses.detach().min(dim=1).values).mean())
        if step == passes - 1:
            break
        rows = torch.arange(batch)
        prediction = (logits.detach()[rows, best] > 0).numpy()
        clicked = np.zeros((batch, 1, size, size), np.float32)
        for i in range(batch):
            if rng.random() < 0.15 and prediction[i].any():
                # Self-prompting: only the model's own mask and a box around it.
                prompt_lists[i] = prompts.box_points(prompts.jittered_box(rng, prediction[i], 0.03))
            else:
                correction = prompts.corrective_click(rng, prediction[i], targets[i])
                if correction is not None:
                    prompt_lists[i] = list(prompt_lists[i]) + [correction[0]]
                    clicked[i, 0] = correction[1]
        # The next pass is judged above all on the error its click pointed
        # at: without this, fixing a small clicked region barely moved the
        # loss and the model learned to return its previous mask unchanged.
        weight = torch.from_numpy(1 + CLICKED_ERROR_WEIGHT * clicked)
        mask_input = low.detach()[rows, best].unsqueeze(1)
        has_mask = torch.from_numpy((rng.random(batch) < 0.9).astype(np.float32))
    return total / passes, {"passes": passes, "size": size}


def learning_rate(step, total, peak):
    warmup = min(200, total // 4 + 1)  # 200 steps for any real run, whatever its length
    if step < warmup:
        return peak * (step + 1) / warmup
    progress = (step - warmup) / max(1, total - warmup)
    return peak * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))


def batch_shape(rng, step, total, batch):
    """Most early steps at 128 x 128 (4x cheaper; the model is size-agnostic),
    the final part at the exported 256 x 256."""
    if step < 0.6 * total and rng.random() < 0.6:
        return 2 * batch, 128
    return batch, M.INPUT_SIZE


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--steps", type=int, default=4000)
    parser.add_argument("--batch", type=int, default=10, help="samples per step at 256 x 256 (2x at 128)")
    parser.add_argument("--lr", type=float, default=2e-3)
    parser.add_argument("--seed", type=int, default=20261123)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--out", type=pathlib.Path, required=True, help="checkpoint folder (outside the repo)")
    parser.add_argument("--checkpoint-every", type=int, default=50)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    encoder, decoder = M.Encoder(), M.Decoder()
    params = list(encoder.parameters()) + list(decoder.parameters())
    optimiser = torch.optim.AdamW(params, lr=args.lr, weight_decay=1e-4)
    args.out.mkdir(parents=True, exist_ok=True)
    checkpoint = args.out / "checkpoint.pt"
    start = 0
    if checkpoint.exists():
        state = torch.load(checkpoint)
        encoder.load_state_dict(state["encoder"])
        decoder.load_state_dict(state["decoder"])
        optimiser.load_state_dict(state["optimiser"])
        start = state["step"]
        print(f"resumed at step {start}", flush=True)
    log = open(args.out / "log.jsonl", "a")
    encoder.train()
    decoder.train()
    began = time.time()
    for step in range(start, args.steps):
        rng = np.random.default_rng([args.seed, step])
        torch.manual_seed(args.seed * 1000 + step)
        for group in optimiser.param_groups:
            group["lr"] = learning_rate(step, args.steps, args.lr)
        batch, size = batch_shape(rng, step, args.steps, args.batch)
        loss, stats = train_step(encoder, decoder, rng, batch, size)
        optimiser.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(params, 1.0)
        optimiser.step()
        record = {"step": step, "loss": round(float(loss), 4), "lr": group["lr"], **stats,
                  "seconds": round(time.time() - began, 1)}
        log.write(json.dumps(record) + "\n")
        if step % 10 == 0:
            log.flush()
            print(json.dumps(record), flush=True)
        if (step + 1) % args.checkpoint_every == 0 or step + 1 == args.steps:
            torch.save({"encoder": encoder.state_dict(), "decoder": decoder.state_dict(),
                        "optimiser": optimiser.state_dict(), "step": step + 1}, args.out / "checkpoint.tmp")
            (args.out / "checkpoint.tmp").replace(checkpoint)
    print(f"done: {args.steps} steps", flush=True)


if __name__ == "__main__":
    main()
