"""Set "kmeans": ITK's KmeansTest T1 MR head (128 x 128 x 62, 2 x 2 x 3 mm),
from Debian's insighttoolkit5-examples. Not used in training.

Orientation: the NIfTI affine puts the 62-slice axis along anterior-posterior,
so the stored slices are coronal (square 2 mm pixels; the acquisition plane).
They are shown superior up, patient's right on the left (radiological).

Label meanings, found by comparing the files with the T1 intensities:
- KmeansTest_T1RawSkullStrip: 0 outside the brain; 4, 5, 6 inside it (a
  coarse tissue split within the stripped brain). Brain mask = label > 0.
- KmeansTest_T1KmeansPrelimSegmentation (k-means on the whole head):
  1 background air, 2 and 3 dark and bright non-brain tissue (scalp, skull,
  face); inside the brain 4 CSF (T1 mean ~48), 5 grey matter (~76),
  6 white matter (~101); 0 is a 126-voxel leftover.

Targets: the brain (skull-strip mask, largest component, holes filled) and
the white matter (k-means label 6, largest component). The lateral
ventricles were left out: in the k-means CSF class they are fragments of
20 to 140 pixels per slice, merged with sulcal CSF, too small and too
unreliable as a reference.
"""
import pathlib

import nibabel as nib
import numpy as np

from cases import Case, auto_window, fill_holes, interleave, largest_component, pick_slices

DATA = pathlib.Path("/usr/share/doc/insighttoolkit5-examples/examples/Data")
MIN_AREA = 150
PER_TARGET = 16
SEED = 1


def _volume(name):
    return np.asanyarray(nib.load(str(DATA / name)).dataobj)


def _slice(volume, z):
    return volume[:, :, z].T[::-1]  # coronal, superior up


def load():
    t1 = _volume("KmeansTest_T1UCharRaw.nii.gz").astype(np.float32)
    strip = _volume("KmeansTest_T1RawSkullStrip.nii.gz")
    kmeans = _volume("KmeansTest_T1KmeansPrelimSegmentation.nii.gz")
    window = auto_window(t1)  # what the app shows for a series without a window
    targets = {
        "brain": (lambda z: fill_holes(largest_component(_slice(strip, z) > 0)),
                  "brain mask from ITK's skull-strip labels (>0), largest component, holes filled"),
        "white_matter": (lambda z: largest_component(_slice(kmeans, z) == 6),
                         "k-means clustering label 6 (white matter), largest component"),
    }
    groups = []
    for index, (target, (make, reference)) in enumerate(targets.items()):
        masks = [make(z) for z in range(t1.shape[2])]
        slices = pick_slices([m.sum() for m in masks], PER_TARGET, MIN_AREA, SEED + index)
        groups.append([Case("kmeans", f"{target}_z{z:03d}", np.ascontiguousarray(_slice(t1, z)), window,
                            masks[z], reference) for z in slices])
    return interleave(groups)
