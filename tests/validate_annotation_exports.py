#!/usr/bin/python3
"""Independent checks of LocalSeg's annotation exports against its label volume.

Given the exported DICOM SEG and NIfTI files, the label volume they came from
(raw uint8 bytes, slice-major, as the page holds it) and the folder of the
source DICOM series:

1. dicom3tools' `dciodvfy` reports no error on the SEG (an illegal UID that
   the SEG only copies from the source series, as it must, is the source's
   problem and is listed, not counted);
2. pydicom reads the SEG: each frame is placed on the source slice whose
   SOPInstanceUID its DerivationImageSequence references (checked against its
   ImagePositionPatient too) and given the segment's LocalSeg label; the
   rebuilt label volume equals the raw one exactly;
3. nibabel reads the NIfTI: its voxels equal the raw labels (x = column,
   y = row, z = slice) and its affine equals the one computed here from the
   source files' ImagePositionPatient, ImageOrientationPatient and
   PixelSpacing (DICOM LPS -> NIfTI RAS) within 0.01 mm (files round their
   positions, so one affine only approximates them).

The e2e test (tests/e2e/annotation.test.mjs) runs it on the page's downloads.
Exit status: 0 passed, 1 failed (with the reasons), 77 a tool is missing.
"""
import argparse
import glob
import os
import re
import shutil
import subprocess
import sys

try:
    import nibabel
    import numpy as np
    import pydicom
except ImportError as missing:  # Debian: python3-pydicom python3-nibabel python3-numpy
    print(f"skipped: {missing}")
    sys.exit(77)


def source_slices(folder):
    """The series' files sorted along the slice normal: (uid, position, dataset)."""
    datasets = [pydicom.dcmread(path, stop_before_pixels=True) for path in sorted(glob.glob(os.path.join(folder, "*.dcm")))]
    orientation = np.array(datasets[0].ImageOrientationPatient, dtype=float)
    normal = np.cross(orientation[:3], orientation[3:])
    datasets.sort(key=lambda d: float(np.dot(normal, np.array(d.ImagePositionPatient, dtype=float))))
    return datasets, orientation, normal


def expected_affine(datasets, orientation, normal):
    """Voxel (column, row, slice) -> RAS millimetres from the DICOM headers."""
    row_spacing, column_spacing = (float(v) for v in datasets[0].PixelSpacing)
    first = np.array(datasets[0].ImagePositionPatient, dtype=float)
    if len(datasets) > 1:
        last = np.array(datasets[-1].ImagePositionPatient, dtype=float)
        slice_step = (last - first) / (len(datasets) - 1)
    else:
        slice_step = normal * float(getattr(datasets[0], "SliceThickness", 1.0))
    lps = np.eye(4)
    lps[:3, 0] = orientation[:3] * column_spacing
    lps[:3, 1] = orientation[3:] * row_spacing
    lps[:3, 2] = slice_step
    lps[:3, 3] = first
    return np.diag([-1.0, -1.0, 1.0, 1.0]) @ lps


def source_uids(datasets):
    uids = set()
    for d in datasets:
        for keyword in ("StudyInstanceUID", "SeriesInstanceUID", "FrameOfReferenceUID", "SOPInstanceUID"):
            if keyword in d:
                uids.add(str(getattr(d, keyword)))
    return uids


def check_dciodvfy(seg_path, inherited_uids, problems):
    if not shutil.which("dciodvfy"):
        print("skipped: dciodvfy (dicom3tools) is not installed")
        sys.exit(77)
    run = subprocess.run(["dciodvfy", seg_path], capture_output=True, text=True)
    lines = (run.stdout + run.stderr).splitlines()
    errors, inherited = [], []
    for line in (line for line in lines if line.startswith("Error")):
        uid = re.search(r'Illegal root for UID - "([^"]+)"', line)
        (inherited if uid and uid.group(1) in inherited_uids else errors).append(line)
    warnings = [line for line in lines if line.startswith("Warning")]
    print(f"dciodvfy: {len(errors)} errors, {len(warnings)} warnings, {len(inherited)} about UIDs of the source series")
    for line in warnings + inherited:
        print(f"  {line}")
    problems.extend(f"dciodvfy: {line}" for line in errors)


def segment_labels(seg):
    """Segment number -> the LocalSeg label noted in its description (else the number)."""
    labels = {}
    for item in seg.SegmentSequence:
        description = str(getattr(item, "SegmentDescription", ""))
        note = "LocalSeg label "
        labels[int(item.SegmentNumber)] = int(description[len(note):]) if description.startswith(note) else int(item.SegmentNumber)
    return labels


def check_seg(seg_path, labels, datasets, normal, problems):
    seg = pydicom.dcmread(seg_path)
    if seg.SOPClassUID != "1.2.840.10008.5.1.4.1.1.66.4" or seg.Modality != "SEG":
        problems.append(f"SEG: SOP class {seg.SOPClassUID}, modality {seg.Modality}")
        return
    frames = seg.pixel_array.reshape(int(seg.NumberOfFrames), int(seg.Rows), int(seg.Columns))
    slice_of_uid = {str(d.SOPInstanceUID): k for k, d in enumerate(datasets)}
    positions = [float(np.dot(normal, np.array(d.ImagePositionPatient, dtype=float))) for d in datasets]
    label_of = segment_labels(seg)
    rebuilt = np.zeros_like(labels)
    for index, frame_group in enumerate(seg.PerFrameFunctionalGroupsSequence):
        number = int(frame_group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        uid = str(frame_group.DerivationImageSequence[0].SourceImageSequence[0].ReferencedSOPInstanceUID)
        if uid not in slice_of_uid:
            problems.append(f"SEG frame {index + 1}: references {uid}, not an image of the series")
            continue
        k = slice_of_uid[uid]
        position = np.array(frame_group.PlanePositionSequence[0].ImagePositionPatient, dtype=float)
        if abs(float(np.dot(normal, position)) - positions[k]) > 1e-3:
            problems.append(f"SEG frame {index + 1}: its position does not match the slice it references")
        rebuilt[k][frames[index] != 0] = label_of[number]
    if not np.array_equal(rebuilt, labels):
        problems.append(f"SEG: {int(np.count_nonzero(rebuilt != labels))} voxels differ from the label volume")
    else:
        print(f"SEG: {len(frames)} frames, {len(label_of)} segments; the label volume matches exactly")


def check_nifti(nifti_path, labels, affine, problems):
    image = nibabel.load(nifti_path)
    data = np.asanyarray(image.dataobj)
    expected = labels.transpose(2, 1, 0)  # (slice, row, column) -> (x = column, y = row, z = slice)
    if data.shape != expected.shape:
        problems.append(f"NIfTI: shape {data.shape}, expected {expected.shape}")
        return
    if not np.array_equal(data.astype(np.int64), expected.astype(np.int64)):
        problems.append(f"NIfTI: {int(np.count_nonzero(data != expected))} voxels differ from the label volume")
    difference = float(np.max(np.abs(image.affine - affine)))
    if difference > 0.01:
        problems.append(f"NIfTI: affine differs from the DICOM geometry by {difference:.4g}\n{image.affine}\n{affine}")
    print(f"NIfTI: shape {data.shape}, labels {sorted(int(v) for v in np.unique(data))}, "
          f"affine within {difference:.2g} mm of the DICOM geometry")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seg", required=True)
    parser.add_argument("--nifti", required=True)
    parser.add_argument("--labels", required=True, help="raw uint8 label volume, slice-major")
    parser.add_argument("--series", required=True, help="folder of the source DICOM series")
    args = parser.parse_args()

    datasets, orientation, normal = source_slices(args.series)
    columns, rows = int(datasets[0].Columns), int(datasets[0].Rows)
    labels = np.fromfile(args.labels, dtype=np.uint8).reshape(len(datasets), rows, columns)
    problems = []
    check_dciodvfy(args.seg, source_uids(datasets), problems)
    check_seg(args.seg, labels, datasets, normal, problems)
    check_nifti(args.nifti, labels, expected_affine(datasets, orientation, normal), problems)
    for problem in problems:
        print(f"FAILED: {problem}")
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
