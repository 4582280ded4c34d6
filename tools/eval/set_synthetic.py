"""Set "synthetic": held-out cases from the training generator,
tools/train/synth.py heldout_cases(seed, count) -> [(image 0..255, target, name)].
Imported lazily: when the generator cannot be imported, the set is skipped
with a note instead of stopping the run."""
import pathlib
import sys

import numpy as np

from cases import IDENTITY_WINDOW, Case

TRAIN_DIR = pathlib.Path(__file__).resolve().parents[1] / "train"
SEED = 99  # heldout_cases' own default seed; the generator keeps held-out settings apart from training
COUNT = 36


def load():
    """Returns (cases, None), or ([], reason) when the generator is unavailable."""
    sys.path.insert(0, str(TRAIN_DIR))
    try:
        import synth
    except ImportError as error:  # only a missing generator skips the set; its own bugs still fail
        return [], f"tools/train/synth.py could not be imported ({error})"
    finally:
        sys.path.remove(str(TRAIN_DIR))
    raw = synth.heldout_cases(SEED, COUNT)
    names = [str(name) for _, _, name in raw]
    if len(set(names)) < len(names):  # names seed the prompts, so they must be unique
        names = [f"{i:02d}_{name}" for i, name in enumerate(names)]
    cases = [Case("synthetic", name, np.asarray(image, np.float32), IDENTITY_WINDOW, np.asarray(target, bool),
                  "the generator's own mask (exact by construction)") for name, (image, target, _) in zip(names, raw)]
    return cases, None
