"""Trains one denoiser (CT or MR) on CPU, resumably and reproducibly.

  OMP_NUM_THREADS=1 nice -n 10 /usr/bin/python3 tools/restore/train.py --modality ct \
      --steps 6000 --out ~/.cache/localseg/restore-ct

Every step's batch comes from a generator seeded by (seed, step), and a
checkpoint (model, optimiser, step) is written every --every steps, so an
interrupted run resumed with the same command gives the same weights.
The CT noise bank (Poisson/FBP realisations per training slice, the slow part)
is built once into <out>/bank.npz.
"""
import argparse
import json
import pathlib
import sys
import time

import cv2
import numpy as np
import torch

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import data as D          # noqa: E402
import noise as N         # noqa: E402
import training_lesions as L  # noqa: E402
from model import Denoiser  # noqa: E402

CT_OFFSET, CT_SCALE = -1000.0, 1000.0
CT_I0 = (3e3, 2e6)          # incident photons per detector bin, log-uniform
CT_REALISATIONS = 3
CT_LESION_HU = (20.0, 250.0)      # |contrast| of the training lesions (--lesion-weight; training_lesions.py)
MR_LESION = (0.05, 0.5)           # the same, as a fraction of the slice's 99.5th percentile
MR_SIGMA = (0.005, 0.15)    # Rician sigma as a fraction of the clean slice's 99.5th percentile
LOSS_EPS = 0.02      # per-sample L1 / (sigma + this): 20 HU / 2 % (0.005 over-weighted the
                     # low-noise samples, where the clean slices' own noise dominates; 600-step A/B)


# ------------------------------------------------------------------ CT
def build_ct_bank(path, seed=1234, log=print):
    if path.exists():
        z = np.load(path)
        return z["clean"], z["noise"], z["sigma"]
    volume = D.ct_training_volume()
    rng = np.random.default_rng(seed)
    noises, sigmas = [], []
    t = time.time()
    for i, hu in enumerate(volume):
        proj = N.CtProjector(hu, D.CRANIUM_SPACING)
        for _ in range(CT_REALISATIONS):
            i0 = float(np.exp(rng.uniform(*np.log(CT_I0))))
            filt = N.CT_FILTERS[rng.integers(len(N.CT_FILTERS))]
            n = proj.noise(i0, rng, filt)
            noises.append(n.astype(np.float16))
            sigmas.append(N.noise_sigma_ct(n, hu))
        if i % 20 == 0:
            log(f"bank slice {i}/{len(volume)} {time.time() - t:.0f}s")
    noise = np.stack(noises).reshape(len(volume), CT_REALISATIONS, *volume.shape[1:])
    sigma = np.array(sigmas, np.float32).reshape(len(volume), CT_REALISATIONS)
    tmp = path.with_suffix(".tmp.npz")
    np.savez(tmp, clean=volume, noise=noise, sigma=sigma)
    tmp.rename(path)
    return volume, noise, sigma


def augment(rng, *images):
    k, flip = rng.integers(4), rng.integers(2)
    out = []
    for im in images:
        im = np.rot90(im, k)
        out.append(np.ascontiguousarray(im[:, ::-1] if flip else im))
    return out


def zoom(images, factor):
    if abs(factor - 1) < 1e-3:
        return images
    h, w = images[0].shape
    size = (max(8, int(round(w * factor))), max(8, int(round(h * factor))))
    interp = cv2.INTER_LINEAR if factor > 1 else cv2.INTER_AREA
    return [cv2.resize(np.ascontiguousarray(im, dtype=np.float32), size, interpolation=interp) for im in images]


def crop(rng, crop_size, images, mask, min_fraction=0.3, tries=6):
    h, w = images[0].shape
    best = None
    for _ in range(tries):
        y, x = rng.integers(0, h - crop_size + 1), rng.integers(0, w - crop_size + 1)
        frac = mask[y:y + crop_size, x:x + crop_size].mean()
        if best is None or frac > best[0]:
            best = (frac, y, x)
        if frac >= min_fraction:
            break
    _, y, x = best
    return [im[y:y + crop_size, x:x + crop_size] for im in images]


def ct_sample(rng, bank, crop_size, lesion_weight=0.0):
    clean_vol, noise_bank, sigma_bank = bank
    i, j = rng.integers(len(clean_vol)), rng.integers(noise_bank.shape[1])
    clean, noise = clean_vol[i], noise_bank[i, j].astype(np.float32)
    level = float(np.exp(rng.uniform(np.log(0.7), np.log(1.4))))   # about a factor 2 in dose either way
    noise = noise * level
    sigma = float(sigma_bank[i, j]) * level
    z = float(np.exp(rng.uniform(np.log(0.8), np.log(1.6)))) if rng.random() < 0.5 else 1.0
    clean, noise = zoom([clean, noise], z)
    if z != 1.0:
        sigma = N.noise_sigma_ct(noise, clean)
    clean, noise = augment(rng, clean, noise)
    mask = clean > -500
    clean, noise = crop(rng, crop_size, [clean, noise], mask)
    weight = np.ones_like(clean)
    if lesion_weight > 0:
        soft_tissue = (clean > -150) & (clean < 200)
        clean, weight = L.add_lesions(rng, clean, soft_tissue, D.CRANIUM_SPACING / z, CT_LESION_HU, lesion_weight)
    c = (clean - CT_OFFSET) / CT_SCALE
    c = c * float(rng.uniform(0.95, 1.05))                              # intensity scaling
    return c, c + noise / CT_SCALE, sigma / CT_SCALE, weight


# ------------------------------------------------------------------ MR
def mr_sample(rng, slices, crop_size, lesion_weight=0.0):
    clean = slices[rng.integers(len(slices))]
    z = float(np.exp(rng.uniform(np.log(0.7), np.log(2.5))))
    if clean.shape[0] * z < crop_size or clean.shape[1] * z < crop_size:
        z = crop_size / min(clean.shape) + 1e-3
    (clean,) = zoom([clean], z)
    (clean,) = augment(rng, clean)
    clean = clean * float(np.exp(rng.uniform(np.log(0.5), np.log(2.0))))            # intensity scaling
    gamma = float(np.exp(rng.uniform(np.log(0.8), np.log(1.25))))                   # contrast variation
    peak = N.mr_scale(clean)
    clean = peak * np.clip(clean / peak, 0, None) ** gamma
    weight = np.ones_like(clean)
    if lesion_weight > 0:
        peak = N.mr_scale(clean)
        clean, weight = L.add_lesions(rng, clean, clean > 0.2 * peak, 1.0 / z,
                                      (MR_LESION[0] * peak, MR_LESION[1] * peak), lesion_weight)
        clean = np.clip(clean, 0, None)       # magnitude images are never negative
    rel = float(np.exp(rng.uniform(*np.log(MR_SIGMA))))
    sigma = rel * N.mr_scale(clean)
    noisy = N.rician(clean, sigma, rng)
    scale = N.mr_scale(noisy)                 # the app normalises by the noisy slice's percentile
    mask = clean > 0.1 * peak
    clean, noisy, weight = crop(rng, crop_size, [clean, noisy, weight], mask)
    return clean / scale, noisy / scale, sigma / scale, weight


# ------------------------------------------------------------------ training
def batch(modality, source, seed, step, size, crop_size, lesion_weight=0.0):
    rng = np.random.default_rng([seed, step])
    fn = ct_sample if modality == "ct" else mr_sample
    samples = [fn(rng, source, crop_size, lesion_weight) for _ in range(size)]
    clean = torch.from_numpy(np.stack([s[0] for s in samples])[:, None].astype(np.float32))
    noisy = torch.from_numpy(np.stack([s[1] for s in samples])[:, None].astype(np.float32))
    sigma = torch.tensor([s[2] for s in samples], dtype=torch.float32)
    weight = torch.from_numpy(np.stack([s[3] for s in samples])[:, None].astype(np.float32))
    return clean, noisy, sigma, weight


def loss_fn(model, clean, noisy, sigma, weight):
    """Per sample: the weighted mean |error| (lesions and their rings count
    more, training_lesions.py) over (sigma + LOSS_EPS)."""
    out = model(noisy, sigma)
    per = ((out - clean).abs() * weight).sum(dim=(1, 2, 3)) / weight.sum(dim=(1, 2, 3))
    return (per / (sigma + LOSS_EPS)).mean()


def lr_at(step, steps, base):
    warm = min(1.0, (step + 1) / 100)
    return base * warm * 0.5 * (1 + np.cos(np.pi * min(1.0, step / steps)))


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--modality", choices=["ct", "mr"], required=True)
    ap.add_argument("--steps", type=int, default=6000)
    ap.add_argument("--out", type=pathlib.Path, required=True)
    ap.add_argument("--batch", type=int, default=12)
    ap.add_argument("--crop", type=int, default=96)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--every", type=int, default=100)
    ap.add_argument("--lesion-weight", type=float, default=0.0,
                    help="draw small lesions into the clean crops and weight them this much in the loss "
                         "(0: off, the shipped models' recipe; training_lesions.py)")
    ap.add_argument("--stop-after-minutes", type=float, default=0,
                    help="stop (after a checkpoint) when this much time has passed; rerun to resume")
    args = ap.parse_args()
    torch.set_num_threads(1)
    args.out = args.out.expanduser()
    args.out.mkdir(parents=True, exist_ok=True)
    logf = open(args.out / "log.txt", "a")

    def log(msg):
        print(msg, flush=True)
        logf.write(msg + "\n")
        logf.flush()

    source = build_ct_bank(args.out / "bank.npz", log=log) if args.modality == "ct" else D.mr_training_slices()
    torch.manual_seed(args.seed)
    model = Denoiser()
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    ckpt = args.out / "checkpoint.pt"
    step = 0
    if ckpt.exists():
        state = torch.load(ckpt)
        model.load_state_dict(state["model"])
        opt.load_state_dict(state["opt"])
        step = state["step"]
        log(f"resumed at step {step}")
    config = {"modality": args.modality, "steps": args.steps, "batch": args.batch, "crop": args.crop,
              "lr": args.lr, "seed": args.seed, "widths": list(model.widths), "lesion_weight": args.lesion_weight}
    t0, start, running = time.time(), step, []
    while step < args.steps:
        for g in opt.param_groups:
            g["lr"] = lr_at(step, args.steps, args.lr)
        clean, noisy, sigma, weight = batch(args.modality, source, args.seed, step, args.batch, args.crop,
                                            args.lesion_weight)
        loss = loss_fn(model, clean, noisy, sigma, weight)
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        running.append(loss.item())
        step += 1
        if step % args.every == 0 or step == args.steps:
            elapsed = time.time() - t0
            prev = torch.load(ckpt)["seconds"] if ckpt.exists() else 0.0
            total = prev + elapsed
            torch.save({"model": model.state_dict(), "opt": opt.state_dict(), "step": step, "config": config,
                        "seconds": total}, ckpt.with_suffix(".tmp"))
            ckpt.with_suffix(".tmp").rename(ckpt)
            t0 = time.time()
            log(f"step {step} loss {np.mean(running):.4f} lr {lr_at(step, args.steps, args.lr):.2e} "
                f"{elapsed / max(1, len(running)):.3f}s/step total {total / 60:.1f} min")
            running = []
            if args.stop_after_minutes and (time.time() - start_time) / 60 >= args.stop_after_minutes:
                log("stopping on time; rerun to resume")
                break
    (args.out / "config.json").write_text(json.dumps(config, indent=1))


start_time = time.time()
if __name__ == "__main__":
    main()
