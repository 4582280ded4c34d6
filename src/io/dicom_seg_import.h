// DICOM Segmentation (SEG) import onto the open series: the counterpart of
// writeDicomSeg (dicom_seg.h), and reader of SEGs from other tools (3D Slicer,
// dcmqi, highdicom, OHIF). BINARY (1-bit, frames packed back to back, not
// byte aligned) and FRACTIONAL (thresholded at half the maximum) SEGs.
//
// Each frame is placed on a slice of the series by the source image it
// references (its SOP Instance UID) when that is one slice of the open series,
// else by its ImagePositionPatient. A SEG of another series (frame of
// reference, referenced series, orientation, pixel grid, positions) is refused
// with what does not match: labels are never resampled behind the user's back.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/volume.h"
#include "io/nifti.h"  // ImportedLabels: labels, segments, notes
#include "segment/segments.h"

namespace ls {

// Label k (1..255) holds the k-th segment of the SEG's Segment Sequence; a
// voxel in several segments keeps the last one (counted in the notes).
Result<ImportedLabels> readDicomSeg(const std::vector<std::uint8_t>& bytes, const Volume& source,
                                    const std::string& fileName);

// Inverse of dicomLabFromRgb: DICOM's scaled CIELab to sRGB. For 8-bit colours
// the round trip rgb -> lab -> rgb is exact (16-bit Lab steps are far finer).
Rgb rgbFromDicomLab(const std::array<std::uint16_t, 3>& lab);

}  // namespace ls
