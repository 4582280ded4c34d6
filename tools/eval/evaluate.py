#!/usr/bin/python3
"""Held-out evaluation of a LocalSeg (SAM-family ONNX) model against simple
baselines, with the interactive protocol of RITM / SAM / MedSAM.
See tools/eval/README.md. Run with Debian's Python:

    /usr/bin/python3 tools/eval/evaluate.py --model models/builtin
    /usr/bin/python3 tools/eval/evaluate.py --model tests/fixtures/sam-fixture --subset small
"""
import argparse
import pathlib
import sys
import time

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))

import methods  # noqa: E402  (the harness's modules sit next to this file)
import protocol  # noqa: E402
import report  # noqa: E402
from metrics import NSD_TOLERANCE_PX  # noqa: E402
from overlays import save_overlay  # noqa: E402
from prompts import BOX_JITTER, CLICK_NOISE_PX, FIRST_CLICK_NOISE_PX  # noqa: E402

SMALL_SUBSET = 4  # cases per set in --subset small
THREADS = 2
NOTE = ("References are threshold, clustering and skull-strip labels (and the generator's own masks for the "
        "synthetic set), not expert delineations: read the numbers as agreement with those labels.")


def load_set(name):
    """-> (cases, reason skipped or None). Imports lazily: each set's data is read only if asked for."""
    if name == "kmeans":
        import set_kmeans
        return set_kmeans.load(), None
    if name == "ct":
        import set_ct
        return set_ct.load(), None
    if name == "synthetic":
        import set_synthetic
        return set_synthetic.load()
    raise SystemExit(f"unknown set {name!r} (kmeans, ct, synthetic)")


def describe(case, prompts):
    return {"name": case.name, "shape": list(case.target.shape), "area": int(case.target.sum()),
            "window": list(case.window), "reference": case.reference, "box": list(prompts["box"]),
            "first_click": list(prompts["first_click"])}


def evaluate_set(cases, runners, model, overlay_dir):
    prompts = [protocol.case_prompts(case) for case in cases]
    for stale in overlay_dir.glob("*.png"):  # from an earlier run with other cases
        stale.unlink()
    for case, p in zip(cases, prompts):
        save_overlay(case, p, overlay_dir)
    result = {"cases": [describe(c, p) for c, p in zip(cases, prompts)], "methods": {}}
    timing = {}
    enc0 = len(model.predictor.encoder_ms) if model else 0
    dec0 = len(model.predictor.decoder_ms) if model else 0
    for method in runners:
        started = time.perf_counter()
        per_case = [dict(name=c.name, **protocol.run_case(method, c, p)) for c, p in zip(cases, prompts)]
        timing[method.name] = time.perf_counter() - started
        result["methods"][method.name] = {"summary": report.summarise(per_case), "per_case": per_case}
    latency = None
    if model:
        enc, dec = model.predictor.encoder_ms[enc0:], model.predictor.decoder_ms[dec0:]
        latency = {"threads": THREADS, "encoder_calls": len(enc), "decoder_calls": len(dec),
                   "encoder_ms_mean": sum(enc) / max(1, len(enc)), "decoder_ms_mean": sum(dec) / max(1, len(dec))}
    return result, latency, timing


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--model", default="models/builtin", help="folder with manifest.json and the two .onnx")
    parser.add_argument("--sets", default="kmeans,ct,synthetic")
    parser.add_argument("--subset", choices=("small", "full"), default="full",
                        help=f"small: the first {SMALL_SUBSET} cases of each set (a quick check)")
    parser.add_argument("--out", default="build/eval")
    parser.add_argument("--no-baselines", action="store_true")
    args = parser.parse_args()

    out = pathlib.Path(args.out)
    model_dir = pathlib.Path(args.model)
    if not (model_dir / "manifest.json").exists():
        raise SystemExit(f"{model_dir}/manifest.json not found")
    started = time.perf_counter()
    model = methods.ModelMethod(model_dir)
    runners = [model] + ([] if args.no_baselines else [cls() for cls in methods.BASELINES])
    results = {
        "model": {"dir": str(args.model), "name": model.predictor.manifest.get("name")},
        "note": NOTE,
        "protocol": {"subset": args.subset, "box_jitter": BOX_JITTER, "first_click_noise_px": FIRST_CLICK_NOISE_PX,
                     "click_noise_px": CLICK_NOISE_PX, "nsd_tolerance_px": NSD_TOLERANCE_PX,
                     "max_clicks": protocol.MAX_CLICKS},
        "sets": {}, "skipped": {},
        # Latency and run times vary from run to run; everything else is deterministic.
        "timing": {"latency": {}, "method_seconds": {}},
    }
    scope = "small subset" if args.subset == "small" else "all cases"
    print(f"# Evaluation of {results['model']['name']} ({args.model}), {scope}\n\n{NOTE}\n")
    try:
        for name in [s.strip() for s in args.sets.split(",") if s.strip()]:
            cases, skipped = load_set(name)
            if skipped:
                print(f"## {name}\n\nSkipped: {skipped}\n")
                results["skipped"][name] = skipped
                continue
            if args.subset == "small":
                cases = cases[:SMALL_SUBSET]
            result, latency, timing = evaluate_set(cases, runners, model, out / "overlays" / name)
            results["sets"][name] = result
            results["timing"]["latency"][name] = latency
            results["timing"]["method_seconds"][name] = timing
            summaries = {m: r["summary"] for m, r in result["methods"].items()}
            print(f"## {name} ({len(cases)} cases)\n\n{report.markdown_table(summaries)}\n\n"
                  f"{report.latency_line(latency)}\n")
    finally:
        model.close()
    results["timing"]["total_seconds"] = time.perf_counter() - started
    report.write_json(out / "results.json", results)
    print(f"Wrote {out / 'results.json'} and overlays in {out / 'overlays'} "
          f"({results['timing']['total_seconds']:.0f} s).")


if __name__ == "__main__":
    main()
