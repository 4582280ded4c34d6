// NIfTI-1 (.nii) export of a label volume, with the patient geometry of the
// DICOM series in the sform (NIfTI's RAS+ axes from DICOM's LPS+), so the
// labels line up with the images in ITK-SNAP, 3D Slicer, nibabel and friends.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "core/volume.h"
#include "segment/label_volume.h"

namespace ls {

std::vector<std::uint8_t> writeNiftiLabels(const LabelVolume& labels, const VolumeGeometry& geometry,
                                           const std::string& description);

}  // namespace ls
