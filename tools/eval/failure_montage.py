#!/usr/bin/python3
"""Pictures of the model's failures for its card: for each set, the case with
the lowest one-box Dice in build/eval/results.json (run evaluate.py first),
drawn with the reference outline (green), the model's box result (red) and
the box (yellow).

    /usr/bin/python3 tools/eval/failure_montage.py --model models/builtin --out models/builtin/failures.png
"""
import argparse
import json
import pathlib
import sys

import cv2
import numpy as np

sys.path.insert(0, str(pathlib.Path(__file__).resolve().parent))
import evaluate  # noqa: E402
import protocol  # noqa: E402
from methods import ModelMethod  # noqa: E402

TILE = 256


def outline(canvas, mask, colour):
    contours, _ = cv2.findContours(mask.astype(np.uint8), cv2.RETR_LIST, cv2.CHAIN_APPROX_NONE)
    cv2.drawContours(canvas, contours, -1, colour, 1)


def tile(case, prediction, box, dice):
    grey = np.clip(case.image(), 0, 255).astype(np.uint8)
    canvas = cv2.cvtColor(grey, cv2.COLOR_GRAY2BGR)
    outline(canvas, case.target, (60, 220, 60))
    outline(canvas, prediction, (60, 60, 240))
    x0, y0, x1, y1 = (int(v) for v in box)
    cv2.rectangle(canvas, (x0, y0), (x1, y1), (40, 220, 240), 1)
    scale = TILE / max(canvas.shape[:2])
    canvas = cv2.resize(canvas, None, fx=scale, fy=scale, interpolation=cv2.INTER_NEAREST)
    out = np.zeros((TILE + 18, TILE, 3), np.uint8)
    out[: canvas.shape[0], : canvas.shape[1]] = canvas
    cv2.putText(out, f"{case.name}  Dice {dice:.2f}", (4, TILE + 13), cv2.FONT_HERSHEY_SIMPLEX, 0.4, (230, 230, 230), 1)
    return out


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--model", type=pathlib.Path, default=pathlib.Path("models/builtin"))
    parser.add_argument("--results", type=pathlib.Path, default=pathlib.Path("build/eval/results.json"))
    parser.add_argument("--out", type=pathlib.Path, default=pathlib.Path("build/eval/failures.png"))
    parser.add_argument("--per-set", type=int, default=2)
    args = parser.parse_args()
    results = json.loads(args.results.read_text())
    model = ModelMethod(args.model)
    tiles = []
    try:
        for name, result in results["sets"].items():
            worst = sorted(result["methods"]["model"]["per_case"], key=lambda r: r["dice_box"])[: args.per_set]
            cases = {c.name: c for c in evaluate.load_set(name)[0]}
            for record in worst:
                case = cases[record["name"]]
                box = protocol.case_prompts(case)["box"]
                model.prepare(case)
                tiles.append(tile(case, model.box(box), box, record["dice_box"]))
    finally:
        model.close()
    cv2.imwrite(str(args.out), np.hstack(tiles))
    print(f"wrote {args.out}")


if __name__ == "__main__":
    main()
