"""Runs one method on one case: the box prompt, then one click and
corrective clicks, with the numbers the report needs."""
from metrics import dice, nsd
from prompts import corrective_click, first_click, jittered_box, rng_for

CORRECTIONS_REPORTED = 5   # Dice after 1..5 corrective clicks
MAX_CLICKS = 20            # NoC cap: a case that never gets there counts 20
NOC_THRESHOLDS = (0.85, 0.90)
BOX_STREAM, FIRST_CLICK_STREAM, CLICK_STREAM, BOX_CLICK_STREAM = 0, 1, 100, 200


def case_prompts(case):
    """The prompts every method shares on this case."""
    return {"box": jittered_box(case.target, rng_for(case.seed, BOX_STREAM)),
            "first_click": first_click(case.target, rng_for(case.seed, FIRST_CLICK_STREAM))}


def number_of_clicks(dices, threshold):
    """Clicks (the first one included) until Dice >= threshold, else MAX_CLICKS."""
    return next((i + 1 for i, d in enumerate(dices) if d >= threshold), MAX_CLICKS)


def run_case(method, case, prompts):
    target = case.target
    method.prepare(case)
    result = {}
    if method.takes_box:
        mask = method.box(prompts["box"])
        result.update(dice_box=dice(mask, target), nsd_box=nsd(mask, target))
    if getattr(method, "refines_box", False):
        # The box, then corrective clicks with the box kept and the previous mask fed back.
        points, labels = [], []
        mask, state = method.box_and_clicks(prompts["box"], points, labels, None)
        for k in range(1, CORRECTIONS_REPORTED + 1):
            click = corrective_click(mask, target, rng_for(case.seed, BOX_CLICK_STREAM + k))
            if click is not None:
                points.append(click[0])
                labels.append(1 if click[1] else 0)
                mask, state = method.box_and_clicks(prompts["box"], points, labels, state)
            result[f"dice_box_click{k}"] = dice(mask, target)
    if method.takes_clicks:
        points, labels = [prompts["first_click"]], [1]
        mask, state = method.clicks(points, labels, None)
        dices = [dice(mask, target)]
        result["nsd_1pt"] = nsd(mask, target)
        while len(dices) < MAX_CLICKS:
            # Stop once NoC@90 is known and the reported corrections are done.
            if dices[-1] >= max(NOC_THRESHOLDS) and len(dices) > CORRECTIONS_REPORTED:
                break
            click = corrective_click(mask, target, rng_for(case.seed, CLICK_STREAM + len(dices)))
            if click is None:
                break  # perfect: later clicks would change nothing
            points.append(click[0])
            labels.append(1 if click[1] else 0)
            mask, state = method.clicks(points, labels, state)
            dices.append(dice(mask, target))
        # A run that stopped early keeps its last Dice for the columns it skipped.
        padded = dices + [dices[-1]] * (CORRECTIONS_REPORTED + 1 - len(dices))
        result["dice_1pt"] = padded[0]
        for k in range(1, CORRECTIONS_REPORTED + 1):
            result[f"dice_click{k}"] = padded[k]
        for t in NOC_THRESHOLDS:
            result[f"noc{round(t * 100)}"] = number_of_clicks(dices, t)
            result[f"failed{round(t * 100)}"] = not any(d >= t for d in dices)  # RITM's NoF counts these
        result["clicks"] = [[int(x), int(y), lab] for (x, y), lab in zip(points, labels)]
    return result
