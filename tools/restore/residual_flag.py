"""The app's C++ risk analysis (structure in the residual, weakened details)
run through the native CLI build/native/localseg-restore, and its hits on
synthetic lesions.

As in the app, the source is the noisy image the user loaded, the restored
image is the method's output, and the noise sigma is estimated from the source
(--sigma 0). A lesion counts as flagged when a region's bounding box, grown by
GROW_PX, contains its centre, or a weakened detail lies within its radius +
GROW_PX of its centre. Findings more than AWAY_RADII lesion radii from every
lesion (and flagging none) are the false-alarm reference.
"""
import json
import pathlib
import subprocess
import tempfile

import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
CLI = ROOT / "build" / "native" / "localseg-restore"
GROW_PX = 2.0
AWAY_RADII = 3.0


def available():
    return CLI.is_file()


def analyse(source, restored, spacing_mm, tmp=None):
    """The CLI's report (dict) for restored against source (2-D, modality units)."""
    source = np.ascontiguousarray(source, "<f4")
    restored = np.ascontiguousarray(restored, "<f4")
    h, w = source.shape
    with tempfile.TemporaryDirectory(dir=tmp) as d:
        d = pathlib.Path(d)
        source.tofile(d / "source.f32")
        restored.tofile(d / "restored.f32")
        cmd = [str(CLI), "--method", "none", "--restored", str(d / "restored.f32"), "--width", str(w),
               "--height", str(h), "--spacing", f"{spacing_mm:.6g},{spacing_mm:.6g}", "--sigma", "0",
               str(d / "source.f32"), "--report", str(d / "report.json")]
        subprocess.run(cmd, check=True, capture_output=True, text=True)
        return json.loads((d / "report.json").read_text())


def _region_hits(region, cy, cx):
    x0, y0, x1, y1 = region["bbox"]          # [x0, x1) x [y0, y1), pixels
    return x0 - GROW_PX <= cx <= x1 - 1 + GROW_PX and y0 - GROW_PX <= cy <= y1 - 1 + GROW_PX


def _detail_hits(detail, cy, cx, radius):
    return detail["weakened"] and np.hypot(detail["x"] - cx, detail["y"] - cy) <= radius + GROW_PX


def score(report, lesions):
    """Per lesion (any dicts with cy, cx, radius_px: on a lesion-free slice the
    same sites give the chance rate): the finding kinds that flag it (empty:
    not flagged); and the findings away from every lesion (by kind)."""
    per_lesion = []
    for les in lesions:
        kinds = sorted({g["kind"] for g in report["regions"] if _region_hits(g, les["cy"], les["cx"])}
                       | ({"weakened"} if any(_detail_hits(d, les["cy"], les["cx"], les["radius_px"])
                                              for d in report["details"]) else set()))
        per_lesion.append(kinds)

    def away(x, y, hits):
        return not hits and all(np.hypot(x - les["cx"], y - les["cy"]) > AWAY_RADII * les["radius_px"]
                                for les in lesions)

    away_counts = {}
    for g in report["regions"]:
        hits = any(_region_hits(g, les["cy"], les["cx"]) for les in lesions)
        if away(g["centroid"][0], g["centroid"][1], hits):
            away_counts[g["kind"]] = away_counts.get(g["kind"], 0) + 1
    for d in report["details"]:
        if d["weakened"]:
            hits = any(_detail_hits(d, les["cy"], les["cx"], les["radius_px"]) for les in lesions)
            if away(d["x"], d["y"], hits):
                away_counts["weakened"] = away_counts.get("weakened", 0) + 1
    return {"sites": per_lesion, "away": away_counts, "away_total": int(sum(away_counts.values())),
            "regions": len(report["regions"]), "weakened": int(report["weakened_details"]),
            "noise_sigma": float(report["noise_sigma"])}
