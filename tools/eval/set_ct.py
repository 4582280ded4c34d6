"""Set "ct": InVesalius' example head CT "Cranium.inv3" (Debian's
invesalius-examples; 108 axial slices of 256 x 256, 0.957 x 0.957 x 1.5 mm,
Hounsfield units -1024..3033). Not used in training.

The .inv3 file is a gzipped tar. main.plist gives the matrix dtype (int16)
and shape [108, 256, 256]; matrix.dat is that array raw, little-endian,
C order, with no header (its size is exactly 108*256*256*2 bytes; InVesalius
memory-maps it at offset 0). Rows are flipped so the face is up and the
head holder down (radiological display). The project's two masks
(mask_*.dat) are plain threshold masks too and are not used.

References are Hounsfield-threshold masks, each shown to the model through
the window a user would pick for it (the app's CT presets):
- head: HU > -300, largest component, holes filled; window 50/400 (soft tissue);
- bone: HU > 300, largest component (the skull ring above the skull base,
  facial bones below); window 400/1800 (the app's "CT bone");
- intracranial: brain + CSF, HU 0..80 inside the head, cut loose from the
  scalp by a 3-pixel opening, largest component, rim restored, holes filled;
  kept only where it is >= 1000 px and at least 35% of a 4-pixel ring around
  it is bone (which drops the face and vertex slices where the largest soft
  component is not the brain); window 40/80 (the app's "CT brain").
"""
import pathlib
import plistlib
import tarfile

import numpy as np
from scipy import ndimage as ndi

from cases import Case, fill_holes, interleave, largest_component, pick_slices

ARCHIVE = pathlib.Path("/usr/share/doc/invesalius-examples/examples/Cranium.inv3")
PER_TARGET = 12
SEED = 2


def read_matrix(archive=ARCHIVE):
    with tarfile.open(archive, "r:gz") as tar:
        members = {pathlib.PurePath(m.name).name: m for m in tar.getmembers()}
        info = plistlib.load(tar.extractfile(members["main.plist"]))["matrix"]
        raw = tar.extractfile(members[info["filename"]]).read()
    dtype, shape = np.dtype(info["dtype"]).newbyteorder("<"), tuple(info["shape"])
    if len(raw) != np.prod(shape) * dtype.itemsize:
        raise ValueError(f"{info['filename']}: {len(raw)} bytes, expected {shape} of {dtype} with no header")
    return np.frombuffer(raw, dtype).reshape(shape)


def head(hu):
    return fill_holes(largest_component(hu > -300))


def bone(hu):
    return largest_component(hu > 300)


def intracranial(hu):
    soft = (hu > 0) & (hu < 80) & ndi.binary_erosion(head(hu), iterations=3)
    # The opening cuts the thin soft-tissue bridges through skull-base foramina
    # (2 iterations still leaked into the nasopharynx on a low slice).
    core = largest_component(ndi.binary_opening(soft, iterations=3))
    brain = fill_holes(ndi.binary_dilation(core, iterations=3) & soft)
    ring = ndi.binary_dilation(brain, iterations=4) & ~brain
    enclosed = ring.any() and (hu[ring] > 300).mean() >= 0.35
    return brain if enclosed else np.zeros_like(brain)


TARGETS = {  # name: (mask function, window, minimum area, reference text)
    "head": (head, (50, 400), 150, "HU > -300, largest component, holes filled"),
    "bone": (bone, (400, 1800), 150, "HU > 300, largest component"),
    "intracranial": (intracranial, (40, 80), 1000,
                     "HU 0..80 inside the head, opened, largest component, holes filled, enclosed by bone"),
}


def load():
    volume = read_matrix()[:, ::-1].astype(np.float32)  # face up
    groups = []
    for index, (target, (make, window, min_area, reference)) in enumerate(TARGETS.items()):
        masks = [make(s) for s in volume]
        slices = pick_slices([m.sum() for m in masks], PER_TARGET, min_area, SEED + index)
        groups.append([Case("ct", f"{target}_z{z:03d}", np.ascontiguousarray(volume[z]), window, masks[z],
                            reference) for z in slices])
    return interleave(groups)
