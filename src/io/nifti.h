// NIfTI-1 (.nii, .nii.gz) export and import of a label volume.
//
// Export: uint8 labels with the patient geometry of the DICOM series in the
// sform (NIfTI's RAS+ axes from DICOM's LPS+), so the labels line up with the
// images in ITK-SNAP, 3D Slicer, nibabel and friends. With segments, their
// names, colours and display state travel in a NIfTI-1 header extension
// (ecode 6, "comment") holding a small JSON document; other readers skip it.
//
// Import: a NIfTI label file made by LocalSeg or another tool (dcm2niix,
// ITK-SNAP, Slicer, nibabel) onto the open series' grid. The file must sample
// the same grid, up to a permutation or flip of the axes (tools often store
// rows or slices in the opposite order); anything else is refused with what
// does not match, because resampling labels silently would move them.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/result.h"
#include "core/volume.h"
#include "segment/label_volume.h"
#include "segment/segments.h"

namespace ls {

// The plain file (no extension), as before.
std::vector<std::uint8_t> writeNiftiLabels(const LabelVolume& labels, const VolumeGeometry& geometry,
                                           const std::string& description);

// With the segments in a header extension; `gzip` gives .nii.gz bytes.
std::vector<std::uint8_t> writeNiftiLabels(const LabelVolume& labels, const VolumeGeometry& geometry,
                                           const std::string& description, const std::vector<Segment>& segments,
                                           bool gzip = false);

struct ImportedLabels {
  LabelVolume labels;             // on the target grid
  std::vector<Segment> segments;  // from the file, else one default segment per label present
  std::vector<std::string> notes;  // what the import did that the user may want to know (reorientation, ...)
};

// Reads .nii or .nii.gz bytes (gzip is detected by its magic) onto `target`.
// Errors name `fileName` and say what is wrong, with numbers.
Result<ImportedLabels> readNiftiLabels(const std::vector<std::uint8_t>& bytes, const VolumeGeometry& target,
                                       const std::string& fileName);

// The segment LocalSeg would create for `label` ("Segment N", palette colour):
// what an imported label without a description becomes (also used by the
// DICOM SEG import).
Segment defaultSegment(std::uint8_t label);

}  // namespace ls
