// DICOM Segmentation (SEG) export of the label volume with DCMTK's dcmseg:
// a binary SEG, one segment per LocalSeg segment that holds voxels (label,
// recommended display colour), one frame per segment and slice holding it,
// on the source series' geometry (plane orientation, pixel spacing, per-frame
// positions), referencing the source images, with the source's patient, study
// and frame of reference. A new series; the source is not modified.
#pragma once

#include <array>
#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/volume.h"
#include "segment/label_volume.h"
#include "segment/segments.h"

namespace ls {

Result<std::vector<std::uint8_t>> writeDicomSeg(const LabelVolume& labels, const SegmentList& segments,
                                                const Volume& source);

// Each segment's Segment Description notes its LocalSeg label value ("LocalSeg
// label 7"), so an import gives back the same label values, not 1..N.
inline constexpr char kSegLabelNote[] = "LocalSeg label ";

// DICOM's recommended display colour: CIELab scaled to 0..65535 (PS3.3 C.10.7.1.1).
std::array<std::uint16_t, 3> dicomLabFromRgb(Rgb colour);

}  // namespace ls
