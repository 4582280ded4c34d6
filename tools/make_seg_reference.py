#!/usr/bin/python3
"""Writes tests/data/amijs/dcm.seg.andrei.reference.tsv: what an independent
reader (pydicom, unpacking the 1-bit frames itself with numpy) says each frame
of the 3D Slicer SEG shipped by ami.js holds, so LocalSeg's DICOM SEG import
(DCMTK) is checked against it.

Header lines ("#key<TAB>values") carry what the test needs to build a stand-in
for the missing source CT series: grid, orientation, spacing, frame of
reference, referenced series and instances. Then one row per frame:
frame number (1-based), segment number, referenced SOP Instance UID (or "-"
when the frame references no single image: this SEG's shared functional group
references all 275 CT images), ImagePositionPatient x y z, number of set
pixels, and the CRC-32 (zlib) of the unpacked frame as rows*columns bytes of
0/1. Rerun:
    /usr/bin/python3 tools/make_seg_reference.py
"""
import gzip
import io
import pathlib
import zlib

import numpy as np
import pydicom

HERE = pathlib.Path(__file__).resolve().parent.parent / "tests" / "data" / "amijs"
SOURCE = HERE / "dcm.seg.andrei.gz"
OUTPUT = HERE / "dcm.seg.andrei.reference.tsv"


def frame_sources(group):
    """Referenced SOP Instance UIDs of a functional group item."""
    uids = []
    for derivation in getattr(group, "DerivationImageSequence", []):
        for image in getattr(derivation, "SourceImageSequence", []):
            uids.append(str(image.ReferencedSOPInstanceUID))
    return uids


def main():
    ds = pydicom.dcmread(io.BytesIO(gzip.decompress(SOURCE.read_bytes())))
    assert ds.SegmentationType == "BINARY" and ds.BitsAllocated == 1
    rows, columns, frames = int(ds.Rows), int(ds.Columns), int(ds.NumberOfFrames)
    plane = rows * columns
    # Unpack the bits ourselves (LSB first, frames back to back, no padding),
    # independently of pydicom's pixel handlers.
    bits = np.unpackbits(np.frombuffer(ds.PixelData, dtype=np.uint8), bitorder="little")
    assert bits.size >= frames * plane
    shared = ds.SharedFunctionalGroupsSequence[0]
    shared_sources = frame_sources(shared)
    lines = [
        "# Written by tools/make_seg_reference.py from dcm.seg.andrei.gz (pydicom %s)." % pydicom.__version__,
        "#grid\t%d\t%d\t%d" % (columns, rows, frames),
        "#orientation\t" + "\t".join(str(float(v)) for v in shared.PlaneOrientationSequence[0].ImageOrientationPatient),
        "#pixel_spacing\t" + "\t".join(str(float(v)) for v in shared.PixelMeasuresSequence[0].PixelSpacing),
        "#frame_of_reference\t" + str(ds.FrameOfReferenceUID),
        "#series\t" + str(ds.ReferencedSeriesSequence[0].SeriesInstanceUID),
    ]
    for instance in ds.ReferencedSeriesSequence[0].ReferencedInstanceSequence:
        lines.append("#instance\t" + str(instance.ReferencedSOPInstanceUID))
    for segment in ds.SegmentSequence:
        lines.append("#segment\t%d\t%s" % (segment.SegmentNumber, segment.SegmentLabel))
    lines.append("# frame\tsegment\treferenced_sop_instance\tx\ty\tz\tset_pixels\tcrc32")
    for f, group in enumerate(ds.PerFrameFunctionalGroupsSequence):
        segment_group = group if "SegmentIdentificationSequence" in group else shared
        segment = int(segment_group.SegmentIdentificationSequence[0].ReferencedSegmentNumber)
        sources = frame_sources(group) or shared_sources
        reference = sources[0] if len(sources) == 1 else "-"
        position = [float(v) for v in group.PlanePositionSequence[0].ImagePositionPatient]
        mask = bits[f * plane:(f + 1) * plane].astype(np.uint8)
        lines.append("%d\t%d\t%s\t%s\t%s\t%s\t%d\t%08x" % (
            f + 1, segment, reference, *(repr(v) for v in position), int(mask.sum()), zlib.crc32(mask.tobytes())))
    OUTPUT.write_text("\n".join(lines) + "\n")


if __name__ == "__main__":
    main()
