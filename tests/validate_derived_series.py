#!/usr/bin/env python3
"""Checks LocalSeg's derived (restored) series export with tools that are not LocalSeg.

For each real source series (the demo MR, two CTs, a small MR) the native CLI
`localseg-export-derived` loads the series, applies a fixed 3x3 mean as a
stand-in restoration and writes the derived series as one ZIP. Then:

- Python's zipfile reads the archive: every entry stored, CRCs correct
  (testzip), names restored/IM0001.dcm...; `unzip -t` too where installed;
- dciodvfy (dicom3tools) validates every written file against its IOD: it may
  report no error that it does not also report for the file's SOURCE image
  (test data from the wild has its own faults, e.g. an invalid 0\\0 window);
- pydicom reads every file: pixel array shape, values (the 3x3 mean of the
  source's modality values, recomputed here with numpy, within half a stored
  step), ImageType DERIVED\\SECONDARY, series description, new series and
  instance UIDs, same study / frame of reference / geometry / SOP class, and a
  Source Image Sequence naming the right source image.

Run: python3 tests/validate_derived_series.py [--cli build/native/localseg-export-derived]
(ctest runs it as `derived_series_validator`). Exit status 0: passed,
1: failed, 77: skipped because dciodvfy, pydicom or numpy is missing.
"""

import argparse
import os
import re
import shutil
import subprocess
import sys
import tempfile
import zipfile

SKIP = 77
ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
DATA = os.path.join(ROOT, "tests", "data")
DEMO = os.path.join(ROOT, "public", "demo", "mr-brain")

CASES = [
    ("demo MR brain, 20 slices", sorted(os.path.join(DEMO, f) for f in os.listdir(DEMO) if f.endswith(".dcm"))),
    ("CT_small (pydicom, ISO_IR 100)", [os.path.join(DATA, "pydicom", "CT_small.dcm")]),
    ("CT ankle (octave-dicom, secondary capture, implicit VR)",
     [os.path.join(DATA, "octave-dicom", "CT-MONO2-16-ankle.dcm")]),
    ("MR_small (pydicom)", [os.path.join(DATA, "pydicom", "MR_small.dcm")]),
    # Values 20x the source's: beyond signed 16 bits, so the writer has to
    # choose a new rescale slope (written as a DS dciodvfy must accept).
    ("CT ankle, restored values x20 (new rescale slope)",
     [os.path.join(DATA, "octave-dicom", "CT-MONO2-16-ankle.dcm")], 20.0),
]

EN_DASH_DESCRIPTION = "RESTORED PREVIEW \u2013 NOT FOR DIAGNOSIS"
ASCII_DESCRIPTION = "RESTORED PREVIEW - NOT FOR DIAGNOSIS"
UID_ERROR = re.compile(r'Illegal root for UID - "([^"]*)"')


def dciodvfy(path):
    """(errors, warnings) as sets of dciodvfy's message lines."""
    run = subprocess.run(["dciodvfy", path], capture_output=True, text=True, errors="replace")
    lines = (run.stdout + run.stderr).splitlines()
    errors = {l.strip() for l in lines if l.startswith("Error")}
    warnings = {l.strip() for l in lines if l.startswith("Warning")}
    return errors, warnings


def modality_values(ds, np):
    values = ds.pixel_array.astype(np.float64)
    slope = float(getattr(ds, "RescaleSlope", 1) or 1)
    intercept = float(getattr(ds, "RescaleIntercept", 0) or 0)
    return values * slope + intercept, slope


def mean3x3(image, np):
    padded = np.pad(image, 1, mode="edge")
    h, w = image.shape
    return sum(padded[dy:dy + h, dx:dx + w] for dy in range(3) for dx in range(3)) / 9.0


class Checker:
    def __init__(self):
        self.failures = []

    def check(self, condition, what):
        if not condition:
            self.failures.append(what)
        return condition


def validate_case(name, sources, gain, cli, workdir, pydicom, np, checker):
    print(f"== {name}: {len(sources)} source file(s)")
    zip_path = os.path.join(workdir, "derived.zip")
    run = subprocess.run([cli, "--gain", repr(gain), zip_path] + sources, capture_output=True, text=True)
    if not checker.check(run.returncode == 0, f"{name}: CLI failed: {run.stderr.strip()}"):
        return
    print("   CLI:", run.stderr.strip().splitlines()[-1])
    entries = [line.split(" ", 1) for line in run.stdout.splitlines() if line.strip()]

    # The archive, read by Python's zipfile (and unzip where installed).
    with zipfile.ZipFile(zip_path) as archive:
        checker.check(archive.testzip() is None, f"{name}: zipfile.testzip found a bad CRC")
        infos = archive.infolist()
        names = [i.filename for i in infos]
        checker.check(names == [f"restored/IM{i + 1:04d}.dcm" for i in range(len(sources))],
                      f"{name}: unexpected ZIP entries {names[:3]}...")
        checker.check(all(i.compress_type == zipfile.ZIP_STORED for i in infos), f"{name}: entries not stored")
        extract = os.path.join(workdir, "out")
        archive.extractall(extract)
    print(f"   zipfile: {len(names)} stored entries, CRCs correct")
    if shutil.which("unzip"):
        test = subprocess.run(["unzip", "-tq", zip_path], capture_output=True, text=True)
        checker.check(test.returncode == 0, f"{name}: unzip -t failed: {test.stdout} {test.stderr}")
        print("   unzip -t:", test.stdout.strip())

    by_uid = {}
    for path in sources:
        ds = pydicom.dcmread(path)
        by_uid[ds.SOPInstanceUID] = (path, ds)

    series_uids, instance_uids = set(), set()
    new_errors_total = inherited_total = 0
    source_error_count = output_error_count = 0
    for entry, source_file in entries:
        out_path = os.path.join(extract, entry)
        out = pydicom.dcmread(out_path)
        label = f"{name}: {entry}"
        ref = out.SourceImageSequence[0]
        if not checker.check(ref.ReferencedSOPInstanceUID in by_uid, f"{label}: references an unknown source"):
            continue
        src_path, src = by_uid[ref.ReferencedSOPInstanceUID]
        checker.check(os.path.basename(src_path) == os.path.basename(source_file),
                      f"{label}: references {src_path}, the CLI wrote it from {source_file}")
        checker.check(ref.ReferencedSOPClassUID == src.SOPClassUID, f"{label}: referenced SOP class")
        checker.check(ref.PurposeOfReferenceCodeSequence[0].CodeValue == "121322", f"{label}: purpose of reference")

        # Identity: new series and instance; same study, frame of reference, patient, SOP class.
        checker.check(out.file_meta.TransferSyntaxUID == pydicom.uid.ExplicitVRLittleEndian, f"{label}: transfer syntax")
        checker.check(out.SOPClassUID == src.SOPClassUID, f"{label}: SOP class differs")
        checker.check(out.SOPInstanceUID != src.SOPInstanceUID, f"{label}: SOP instance UID reused")
        checker.check(out.SeriesInstanceUID != src.SeriesInstanceUID, f"{label}: series UID reused")
        checker.check(out.file_meta.MediaStorageSOPInstanceUID == out.SOPInstanceUID, f"{label}: meta SOP instance")
        series_uids.add(out.SeriesInstanceUID)
        instance_uids.add(out.SOPInstanceUID)
        checker.check(out.StudyInstanceUID == src.StudyInstanceUID, f"{label}: study UID differs")
        checker.check(out.get("PatientID") == src.get("PatientID"), f"{label}: patient ID differs")
        for keyword in ("FrameOfReferenceUID", "ImagePositionPatient", "ImageOrientationPatient", "PixelSpacing",
                        "SliceThickness", "Rows", "Columns", "BitsAllocated", "BitsStored",
                        "PixelRepresentation", "PhotometricInterpretation", "Modality", "InstanceNumber",
                        "WindowCenter", "WindowWidth", "LossyImageCompression"):
            checker.check(out.get(keyword) == src.get(keyword),
                          f"{label}: {keyword} {out.get(keyword)!r} != source {src.get(keyword)!r}")
        checker.check(int(out.SeriesNumber) == int(src.get("SeriesNumber") or 0) + 1000, f"{label}: series number")

        # Says what it is.
        image_type = list(out.ImageType)
        checker.check(image_type[:2] == ["DERIVED", "SECONDARY"] and image_type[2:] == list(src.ImageType)[2:],
                      f"{label}: ImageType {image_type}")
        source_charset = src.get("SpecificCharacterSet") or ""
        utf8 = source_charset in ("", "ISO_IR 6", "ISO_IR 192", "ISO 2022 IR 6")
        checker.check(out.SeriesDescription == (EN_DASH_DESCRIPTION if utf8 else ASCII_DESCRIPTION),
                      f"{label}: series description {out.SeriesDescription!r}")
        if utf8:
            checker.check(out.SpecificCharacterSet == "ISO_IR 192", f"{label}: character set")
        else:
            checker.check(out.SpecificCharacterSet == source_charset, f"{label}: source character set not kept")
        checker.check(out.DerivationDescription.startswith("3x3 mean filter"), f"{label}: derivation description")
        checker.check(out.DerivationCodeSequence[0].CodeValue == "113087", f"{label}: derivation code")
        checker.check(out.BurnedInAnnotation == "NO", f"{label}: burned-in annotation")

        # Pixels: the 3x3 mean of the source's modality values, within half a stored step.
        restored, slope = modality_values(out, np)
        expected = mean3x3(modality_values(src, np)[0], np) * gain
        checker.check(restored.shape == (src.Rows, src.Columns), f"{label}: pixel array shape {restored.shape}")
        worst = float(np.max(np.abs(restored - expected)))
        checker.check(worst <= 0.5 * abs(slope) + 0.01, f"{label}: pixels differ by up to {worst}")
        if gain > 2:
            checker.check(slope > 1, f"{label}: the rescale slope was not recomputed ({slope})")

        # dciodvfy: nothing the source does not already have.
        out_errors, out_warnings = dciodvfy(out_path)
        src_errors, src_warnings = dciodvfy(src_path)
        # A UID the source already breaks (e.g. the demo's 0.0.0.0 root) is
        # inherited wherever the output references it (Source Image Sequence).
        bad_source_uids = {m.group(1) for e in src_errors for m in [UID_ERROR.search(e)] if m}
        new_errors = {e for e in out_errors - src_errors
                      if not (UID_ERROR.search(e) and UID_ERROR.search(e).group(1) in bad_source_uids)}
        inherited_total += len(out_errors - src_errors) - len(new_errors)
        source_error_count += len(src_errors)
        output_error_count += len(out_errors)
        new_errors_total += len(new_errors)
        for error in sorted(new_errors):
            checker.failures.append(f"{label}: dciodvfy error the source does not have: {error}")
        if entry == entries[0][0]:
            print(f"   dciodvfy {entry}: {len(out_errors)} error(s), {len(out_warnings)} warning(s); "
                  f"source {os.path.basename(src_path)}: {len(src_errors)} error(s), {len(src_warnings)} warning(s)")
            for line in sorted(out_errors):
                print("     output", line)
            for line in sorted(src_errors - out_errors):
                print("     source only", line)
            for line in sorted(out_warnings - src_warnings):
                print("     new warning", line)
    checker.check(len(series_uids) == 1, f"{name}: {len(series_uids)} series UIDs in one export")
    checker.check(len(instance_uids) == len(entries), f"{name}: SOP instance UIDs not unique")
    print(f"   {len(entries)} files: pydicom checks done; dciodvfy errors: {output_error_count} in the output, "
          f"{source_error_count} in the sources, {new_errors_total} new "
          f"({inherited_total} more repeat a source UID's fault where the output references it)")


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--cli", default=os.path.join(ROOT, "build", "native", "localseg-export-derived"))
    args = parser.parse_args()
    try:
        import numpy as np
        import pydicom
        import pydicom.uid
    except ImportError as e:
        print(f"SKIP: {e} (install python3-pydicom and python3-numpy)")
        return SKIP
    if shutil.which("dciodvfy") is None:
        print("SKIP: dciodvfy not found (install dicom3tools)")
        return SKIP
    if not os.access(args.cli, os.X_OK):
        print(f"FAIL: {args.cli} is not built (cmake --build build/native --target localseg-export-derived)")
        return 1
    checker = Checker()
    for case in CASES:
        name, sources, gain = (case + (1.0,))[:3]
        with tempfile.TemporaryDirectory() as workdir:
            validate_case(name, sources, gain, args.cli, workdir, pydicom, np, checker)
    if checker.failures:
        print(f"FAILED: {len(checker.failures)} problem(s)")
        for failure in checker.failures[:50]:
            print("  ", failure)
        return 1
    print("derived series validation passed")
    return 0


if __name__ == "__main__":
    sys.exit(main())
