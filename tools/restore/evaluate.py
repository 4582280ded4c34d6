"""Evaluates the shipped denoisers against classical baselines on HELD-OUT
sources only (nothing here was trained on), and measures how much contrast of
small synthetic lesions each method keeps.

  /usr/bin/python3 tools/restore/evaluate.py            # both, ~10 min on 1 core
  /usr/bin/python3 tools/restore/evaluate.py --modality ct --quick

Per case: the clean slice (and a copy with inserted lesions) gets simulated
noise (CT: low-dose Poisson + filtered back-projection, MR: Rician) at three
levels, with a fixed seed per case and level. Every method is given the same
sigma: the true standard deviation of the simulated noise (inside the body for
CT; for MR the Rician sigma). The learned models run through onnxruntime-node
exactly as the app calls them (normalise, reflect-pad, run, crop); a second
row runs them at the manifest's default sigma instead.

Metrics: PSNR and SSIM (skimage.metrics) against the clean slice; CT in the
soft-tissue window W400/L40 (images clipped to [-160, 240] HU, data_range 400)
and a wide window [-1000, 1000] (data_range 2000); MR with data_range = the
clean slice's 99.5th percentile. Lesion contrast retained: (mean inside -
mean of a surrounding ring) in the restored image / the same in the clean
image with the lesion, pooled over lesions (sum / sum, sign-corrected).

Residual flag: the app's C++ risk analysis (build/native/localseg-restore
--method none, noise estimated from the source as in the app; see
residual_flag.py) on every (noisy source, restored) pair. A lesion is flagged
when a region's bounding box grown by 2 px contains its centre or a weakened
detail lies within its radius + 2 px; reported per method and lesion cell,
for the lesions that kept < 90 % (and < 50 %) of their contrast, and, as the
false-alarm reference, the findings per slice more than 3 lesion radii from
every lesion and per lesion-free slice. Skipped if the CLI is not built.

Writes tools/restore/results/<modality>.json (per case) and <modality>.md (tables).
"""
import argparse
import hashlib
import json
import pathlib
import sys
import time

import numpy as np
from scipy import ndimage as ndi
from skimage.metrics import peak_signal_noise_ratio, structural_similarity

HERE = pathlib.Path(__file__).resolve().parent
sys.path.insert(0, str(HERE))
import baselines as B  # noqa: E402
import data as D       # noqa: E402
import noise as N      # noqa: E402
import ort             # noqa: E402
import residual_flag as RF  # noqa: E402

ROOT = HERE.parents[1]
RESULTS = HERE / "results"
LEVELS = {"ct": [15.0, 30.0, 60.0], "mr": [2.0, 5.0, 10.0]}       # HU; percent of the 99.5th percentile
SIZES_MM = [2.0, 3.0, 4.0, 6.0]
CONTRASTS = {"ct": {"low": 15.0, "high": 80.0}, "mr": {"low": 0.05, "high": 0.20}}   # HU; fraction of scale
CT_I0_REF = 1e5


def seed_of(*parts):
    return int(hashlib.sha256("/".join(map(str, parts)).encode()).hexdigest()[:8], 16)


def tissue_mask(modality, clean):
    if modality == "ct":
        smooth = ndi.median_filter(clean, size=5)
        m = (smooth > -150) & (smooth < 200)
    else:
        scale = N.mr_scale(clean)
        m = ndi.median_filter(clean, size=5) > 0.2 * scale
    return ndi.binary_opening(m, iterations=2)


def lesion_specs(modality, scale):
    specs = []
    for size in SIZES_MM:
        for name, c in CONTRASTS[modality].items():
            for sign in (1, -1):
                delta = c if modality == "ct" else c * scale
                specs.append({"diameter_mm": size, "contrast": name, "polarity": "bright" if sign > 0 else "dark",
                              "delta": sign * delta})
    return specs


def metrics(modality, clean, image, scale):
    out = {}
    if modality == "ct":
        for name, (lo, hi) in {"soft": (-160.0, 240.0), "wide": (-1000.0, 1000.0)}.items():
            c, x = np.clip(clean, lo, hi), np.clip(image, lo, hi)
            out[f"psnr_{name}"] = float(peak_signal_noise_ratio(c, x, data_range=hi - lo))
            out[f"ssim_{name}"] = float(structural_similarity(c, x, data_range=hi - lo))
    else:
        out["psnr"] = float(peak_signal_noise_ratio(clean, image, data_range=scale))
        out["ssim"] = float(structural_similarity(clean, image, data_range=scale))
    return out


def make_noisy(modality, clean, spacing, level, rng, projector_cache):
    """Returns noisy, the sigma a user would set (HU / percent) and the raw sigma."""
    if modality == "ct":
        key = id(clean)
        proj = projector_cache.get(key) or N.CtProjector(clean, spacing)
        projector_cache[key] = proj
        ref = N.noise_sigma_ct(proj.noise(CT_I0_REF, np.random.default_rng(rng.integers(1 << 31))), clean)
        i0 = CT_I0_REF * (ref / level) ** 2
        noise = proj.noise(i0, rng)
        sigma = N.noise_sigma_ct(noise, clean)
        return clean + noise, sigma, sigma
    sigma = level / 100.0 * N.mr_scale(clean)
    noisy = N.rician(clean, sigma, rng)
    return noisy, 100.0 * sigma / N.mr_scale(noisy), sigma


def run(modality, models, quick=False, log=print):
    cases = D.ct_heldout() if modality == "ct" else D.mr_heldout()
    levels = LEVELS[modality]
    if quick:
        cases, levels = cases[:1], levels[1:2]
    model_dir = models[modality]
    manifest = ort.load_manifest(model_dir)
    records, jobs = [], []
    t0 = time.time()
    for case in cases:
        clean = case["image"].astype(np.float32)
        scale = N.mr_scale(clean)
        rng = np.random.default_rng(seed_of(modality, case["name"], "lesions"))
        with_lesions, placed = N.place_lesions(clean, tissue_mask(modality, clean), lesion_specs(modality, scale),
                                               case["spacing"], rng)
        cache = {}
        for level in levels:
            for variant, ref in (("plain", clean), ("lesions", with_lesions)):
                rng = np.random.default_rng(seed_of(modality, case["name"], level, variant))
                noisy, sigma_user, sigma_raw = make_noisy(modality, ref, case["spacing"], level, rng, cache)
                outs = {"noisy": noisy}
                for name, fn in B.METHODS.items():
                    outs[name] = fn(noisy, sigma_raw)
                records.append({"case": case["name"], "source": case["source"], "shape": list(clean.shape),
                                "spacing_mm": case["spacing"], "level": level, "variant": variant,
                                "sigma_user": sigma_user, "ref": ref, "outs": outs,
                                "lesions": placed if variant == "lesions" else [], "sites": placed})
                jobs.append((len(records) - 1, noisy, sigma_user))
        log(f"{modality} {case['name']} {clean.shape} done {time.time() - t0:.0f}s")
    default = manifest["noise_sigma"]["default"]
    learned, ms = ort.denoise(model_dir, [j[1] for j in jobs], [j[2] for j in jobs])
    learned_default, _ = ort.denoise(model_dir, [j[1] for j in jobs], [default] * len(jobs))
    for (i, _, _), a, b in zip(jobs, learned, learned_default):
        records[i]["outs"]["learned"] = a
        records[i]["outs"]["learned_default_sigma"] = b
    if RF.available():
        t1 = time.time()
        for r in records:
            r["flags"] = {name: RF.score(RF.analyse(r["outs"]["noisy"], img, r["spacing_mm"]), r["sites"])
                          for name, img in r["outs"].items()}
        log(f"{modality} residual-flag analysis: {len(records) * len(records[0]['outs'])} CLI calls, "
            f"{time.time() - t1:.0f}s")
    else:
        log(f"{RF.CLI} not built: no residual-flag analysis")
    montage(modality, records)
    return summarise(modality, records, manifest, ms)


MONTAGE = {"ct": ("rle", 30.0, (-160.0, 240.0)), "mr": ("demo_brain_012", 5.0, None)}
MONTAGE_METHODS = ["ref", "noisy", "nl_means", "bilateral", "perona_malik", "learned"]


def montage(modality, records, size=192):
    """A small PNG (clean, noisy, baselines, learned; a centre crop) for the card."""
    import cv2
    name, level, window = MONTAGE[modality]
    rec = [r for r in records if r["case"] == name and r["level"] == level and r["variant"] == "plain"]
    if not rec:
        return
    r = rec[0]
    lo, hi = window or (0.0, N.mr_scale(r["ref"]))
    tiles = []
    for m in MONTAGE_METHODS:
        img = r["ref"] if m == "ref" else r["outs"][m]
        h, w = img.shape
        c = min(h, w, 2 * size)
        y, x = (h - c) // 2, (w - c) // 2
        tile = cv2.resize(img[y:y + c, x:x + c].astype(np.float32), (size, size), interpolation=cv2.INTER_AREA)
        tile = np.clip((tile - lo) / (hi - lo) * 255, 0, 255).astype(np.uint8)
        cv2.putText(tile, m if m != "ref" else "clean", (4, 14), cv2.FONT_HERSHEY_SIMPLEX, 0.4, 255, 1)
        tiles.append(tile)
    out = ROOT / "models" / f"denoise-{modality}" / "montage.png"
    cv2.imwrite(str(out), np.hstack(tiles), [cv2.IMWRITE_PNG_COMPRESSION, 9])


def summarise(modality, records, manifest, ms):
    per_case, lesion_rows, chance_rows = [], [], []
    for r in records:
        scale = N.mr_scale(r["ref"])
        entry = {k: r[k] for k in ("case", "source", "shape", "spacing_mm", "level", "variant", "sigma_user")}
        entry["lesions"] = [{k: les[k] for k in ("diameter_mm", "contrast", "polarity", "delta", "cy", "cx")}
                            for les in r["lesions"]]
        entry["methods"] = {}
        for name, img in r["outs"].items():
            m = metrics(modality, r["ref"], img, scale)
            flags = r.get("flags", {}).get(name)
            if flags is not None:
                # kinds flagging each lesion ([]: not flagged; on plain slices: the same sites without a
                # lesion, the chance rate), findings away from them
                m["residual_flag"] = flags
            if r["lesions"]:
                m["lesion_contrast"] = []      # [clean, restored] per lesion, in the order of entry["lesions"]
                for k, les in enumerate(r["lesions"]):
                    c_ref = N.lesion_contrast(r["ref"], les)
                    c_out = N.lesion_contrast(img, les)
                    m["lesion_contrast"].append([c_ref, c_out])
                    lesion_rows.append((name, r["level"], les["diameter_mm"], les["contrast"], les["polarity"],
                                        c_ref, c_out, flags["sites"][k] if flags is not None else None))
            elif flags is not None:
                for les, kinds in zip(r["sites"], flags["sites"]):
                    chance_rows.append((name, r["level"], les["diameter_mm"], les["contrast"], kinds))
            entry["methods"][name] = m
        per_case.append(entry)
    methods = list(records[0]["outs"].keys())
    keys = ["psnr_soft", "ssim_soft", "psnr_wide", "ssim_wide"] if modality == "ct" else ["psnr", "ssim"]
    table = {}
    for level in sorted({r["level"] for r in records}):
        for name in methods:
            vals = [e["methods"][name] for e in per_case if e["level"] == level and e["variant"] == "plain"]
            table.setdefault(str(level), {})[name] = {k: float(np.mean([v[k] for v in vals])) for k in keys}
    lesion = {}
    for name in methods:
        for size in SIZES_MM:
            for contrast in CONTRASTS[modality]:
                rows = [x for x in lesion_rows if x[0] == name and x[2] == size and x[3] == contrast]
                if not rows:
                    continue
                sign = np.array([np.sign(x[5]) for x in rows])
                ref = np.array([x[5] for x in rows]) * sign
                out = np.array([x[6] for x in rows]) * sign
                lesion.setdefault(name, {}).setdefault(f"{size:g}mm", {})[contrast] = {
                    "retained": float(out.sum() / ref.sum()), "n": len(rows),
                    "by_level": {str(lv): float(sum(x[6] * np.sign(x[5]) for x in rows if x[1] == lv)
                                                / sum(abs(x[5]) for x in rows if x[1] == lv))
                                 for lv in sorted({x[1] for x in rows})}}
    summary = {"modality": modality, "model": manifest["name"], "levels_units": manifest["noise_sigma"]["units"],
               "psnr_ssim_by_level": table, "lesion_contrast_retained": lesion,
               "residual_flag": flag_summary(modality, methods, lesion_rows, chance_rows, per_case),
               "onnxruntime_node_ms_per_call": {"median": float(np.median(ms)), "n": len(ms)},
               "cases": sorted({e["case"] for e in per_case})}
    return summary, per_case


def _rate(rows):
    flagged = sum(1 for x in rows if x[-1])
    by_kind = {}
    for x in rows:
        for kind in x[-1]:
            by_kind[kind] = by_kind.get(kind, 0) + 1
    return {"rate": flagged / len(rows) if rows else None, "flagged": flagged, "n": len(rows), "by_kind": by_kind}


def flag_summary(modality, methods, lesion_rows, chance_rows, per_case):
    """Per method: how often the residual flag fires on the lesions (per cell,
    per noise level, for lesions that lost contrast), at the same sites of the
    lesion-free slices (chance), and how often elsewhere."""
    if any(x[7] is None for x in lesion_rows) or not lesion_rows:
        return None
    out = {}
    for name in methods:
        rows = [x for x in lesion_rows if x[0] == name]
        kept = {id(x): x[6] * np.sign(x[5]) / abs(x[5]) for x in rows}
        chance = [x for x in chance_rows if x[0] == name]
        cells = {}
        for size in SIZES_MM:
            for contrast in CONTRASTS[modality]:
                sel = [x for x in rows if x[2] == size and x[3] == contrast]
                if sel:
                    cells.setdefault(f"{size:g}mm", {})[contrast] = dict(
                        _rate(sel), chance=_rate([x for x in chance if x[2] == size and x[3] == contrast]))
        lesion_slices = [e["methods"][name]["residual_flag"] for e in per_case if e["variant"] == "lesions"]
        plain_slices = [e["methods"][name]["residual_flag"] for e in per_case if e["variant"] == "plain"]
        away_kinds = {}
        for f in lesion_slices:
            for kind, c in f["away"].items():
                away_kinds[kind] = away_kinds.get(kind, 0) + c
        out[name] = {
            "lesions": cells,
            "all": _rate(rows),
            "chance_all": _rate(chance),
            "by_level": {str(lv): _rate([x for x in rows if x[1] == lv]) for lv in sorted({x[1] for x in rows})},
            "kept_below_90": _rate([x for x in rows if kept[id(x)] < 0.9]),
            "kept_below_50": _rate([x for x in rows if kept[id(x)] < 0.5]),
            "kept_at_least_90": _rate([x for x in rows if kept[id(x)] >= 0.9]),
            "away_per_lesion_slice": float(np.mean([f["away_total"] for f in lesion_slices])),
            "away_by_kind_total": away_kinds,
            "away_per_plain_slice": float(np.mean([f["away_total"] for f in plain_slices])),
            "per_plain_slice": float(np.mean([f["regions"] + f["weakened"] for f in plain_slices])),
            "slices": len(lesion_slices)}
    return out


def flag_markdown(mod, flags):
    if not flags:
        return []
    sizes = list(next(iter(flags.values()))["lesions"].keys())
    contrasts = list(CONTRASTS[mod])
    first = next(iter(flags.values()))
    ns = [v["n"] for by_c in first["lesions"].values() for v in by_c.values()]
    n_cells = f"{min(ns)}" if min(ns) == max(ns) else f"{min(ns)}-{max(ns)}"
    lines = ["", "Residual flag on the lesions: the app's risk analysis (`build/native/localseg-restore --method none`, "
                 "source = the noisy slice, noise estimated from it) fires on a lesion when a flagged region's box "
                 "(+2 px) holds its centre or a weakened detail lies within its radius + 2 px. Cells: % of lesions "
                 "flagged / % of the same sites flagged on the lesion-free slice (chance); "
                 f"{n_cells} lesions per cell, {first['all']['n']} per method. Kept: per lesion, restored / clean "
                 "contrast; flagged / n. Elsewhere: findings (regions + weakened details) per slice more than 3 "
                 f"lesion radii from every lesion site, on the lesion slices / the lesion-free slices "
                 f"({first['slices']} each).", ""]
    lines.append("| method | " + " | ".join(f"{s} {c}" for s in sizes for c in contrasts)
                 + " | all | kept >= 90 % | kept < 90 % | kept < 50 % | elsewhere / slice |")
    lines.append("|---" * (len(sizes) * len(contrasts) + 6) + "|")

    def pct(v):
        return f"{100 * v['rate']:.0f}" if v["n"] else "-"

    for name, f in flags.items():
        cells = [f"{pct(f['lesions'][s][c])} / {pct(f['lesions'][s][c]['chance'])}"
                 if c in f["lesions"].get(s, {}) else "-" for s in sizes for c in contrasts]
        cells.append(f"{pct(f['all'])} / {pct(f['chance_all'])}")
        for key in ("kept_at_least_90", "kept_below_90", "kept_below_50"):
            v = f[key]
            cells.append(f"{pct(v)} % ({v['flagged']}/{v['n']})")
        cells.append(f"{f['away_per_lesion_slice']:.1f} / {f['away_per_plain_slice']:.1f}")
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines


def markdown(summary):
    mod = summary["modality"]
    keys = ["psnr_soft", "ssim_soft", "psnr_wide", "ssim_wide"] if mod == "ct" else ["psnr", "ssim"]
    units = "HU" if mod == "ct" else "% of p99.5"
    lines = [f"Held-out cases: {', '.join(summary['cases'])}", "",
             f"PSNR (dB) / SSIM, mean over cases, per noise level ({units}):", ""]
    levels = list(summary["psnr_ssim_by_level"])
    head = "| method | " + " | ".join(f"σ={float(lv):g}: " + " ".join(keys) for lv in levels) + " |"
    lines += [head, "|---" * (len(levels) + 1) + "|"]
    for name in summary["psnr_ssim_by_level"][levels[0]]:
        cells = []
        for lv in levels:
            v = summary["psnr_ssim_by_level"][lv][name]
            cells.append(" / ".join(f"{v[k]:.2f}" if k.startswith("psnr") else f"{v[k]:.3f}" for k in keys))
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += ["", "Lesion contrast retained (restored / clean, pooled over bright and dark lesions, "
                  "cases and noise levels; goal >= 90 %):", ""]
    sizes = list(next(iter(summary["lesion_contrast_retained"].values())).keys())
    contrasts = list(CONTRASTS[mod])
    lines.append("| method | " + " | ".join(f"{s} {c}" for s in sizes for c in contrasts) + " |")
    lines.append("|---" * (len(sizes) * len(contrasts) + 1) + "|")
    for name, by_size in summary["lesion_contrast_retained"].items():
        cells = [f"{100 * by_size[s][c]['retained']:.0f} %" if c in by_size.get(s, {}) else "-"
                 for s in sizes for c in contrasts]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    lines += flag_markdown(mod, summary.get("residual_flag"))
    return "\n".join(lines) + "\n"


def rounded(x):
    if isinstance(x, float):
        return round(x, 4)
    if isinstance(x, dict):
        return {k: rounded(v) for k, v in x.items()}
    if isinstance(x, list):
        return [rounded(v) for v in x]
    return x


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--modality", choices=["ct", "mr", "both"], default="both")
    ap.add_argument("--quick", action="store_true", help="one case, one level (smoke test)")
    ap.add_argument("--out", type=pathlib.Path, default=RESULTS)
    args = ap.parse_args()
    models = {"ct": ROOT / "models" / "denoise-ct", "mr": ROOT / "models" / "denoise-mr"}
    args.out.mkdir(parents=True, exist_ok=True)
    for mod in (["ct", "mr"] if args.modality == "both" else [args.modality]):
        summary, per_case = run(mod, models, quick=args.quick)
        suffix = "-quick" if args.quick else ""
        (args.out / f"{mod}{suffix}.json").write_text(json.dumps(rounded({"summary": summary, "per_case": per_case}),
                                                                separators=(",", ":")) + "\n")
        md = markdown(summary)
        (args.out / f"{mod}{suffix}.md").write_text(md)
        print(md)


if __name__ == "__main__":
    main()
