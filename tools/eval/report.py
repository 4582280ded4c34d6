"""Summaries, the markdown tables and results.json."""
import json

import numpy as np

COLUMNS = [  # (result key, column title)
    ("dice_box", "Dice box"), ("nsd_box", "NSD box"), ("dice_box_click1", "box +1"), ("dice_box_click3", "box +3"),
    ("dice_box_click5", "box +5"), ("dice_1pt", "Dice 1 pt"), ("nsd_1pt", "NSD 1 pt"),
    ("dice_click1", "+1"), ("dice_click2", "+2"), ("dice_click3", "+3"), ("dice_click4", "+4"),
    ("dice_click5", "+5"), ("noc85", "NoC@85"), ("noc90", "NoC@90"),
]
COUNTS = ("failed85", "failed90")


def rounded(value):
    """3 decimals for floats, recursively; what goes into the JSON."""
    if isinstance(value, dict):
        return {k: rounded(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [rounded(v) for v in value]
    if isinstance(value, (bool, np.bool_)):
        return bool(value)
    if isinstance(value, (float, np.floating)):
        return round(float(value), 3)
    if isinstance(value, np.integer):
        return int(value)
    return value


def summarise(per_case):
    """Means over cases of every reported column the method has; failure counts."""
    summary = {"cases": len(per_case)}
    for key, _ in COLUMNS:
        values = [r[key] for r in per_case if key in r]
        if values:
            summary[key] = float(np.mean(values))
    for key in COUNTS:
        if any(key in r for r in per_case):
            summary[key] = int(sum(r[key] for r in per_case))
    return rounded(summary)


def markdown_table(methods):
    """methods: {name: summary}. Methods without a prompt type show '-'."""
    head = "| method | cases | " + " | ".join(title for _, title in COLUMNS) + " |"
    lines = [head, "|" + "---|" * (len(COLUMNS) + 2)]
    for name, summary in methods.items():
        cells = [f"{summary[key]:.3f}" if key in summary and not key.startswith("noc") else
                 f"{summary[key]:.2f}" if key in summary else "-" for key, _ in COLUMNS]
        lines.append(f"| {name} | {summary['cases']} | " + " | ".join(cells) + " |")
    return "\n".join(lines)


def latency_line(latency):
    if not latency:
        return "Latency: not measured (no model run)."
    return (f"Latency (onnxruntime-node, CPU, {latency['threads']} threads, inside Node around session.run): "
            f"encoder {latency['encoder_ms_mean']:.1f} ms/slice ({latency['encoder_calls']} slices), "
            f"decoder {latency['decoder_ms_mean']:.2f} ms/call ({latency['decoder_calls']} calls)")


def write_json(path, results):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(rounded(results), indent=1) + "\n")
