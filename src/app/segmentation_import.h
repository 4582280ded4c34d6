// Importing a segmentation (DICOM SEG or NIfTI label map) onto the shown
// series. Onto an empty annotation it comes back exactly (labels, segment
// names and colours), so an exported file restores the work it came from;
// onto existing work its segments are added under free labels and painted
// only where nothing is labelled yet, so no existing voxel is overwritten.
// Either way the import is one undo step, and the outcome is reported as a
// message naming the file.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include "io/nifti.h"  // ImportedLabels

namespace ls {

struct AppState;

enum class SegmentationFormat { None, Nifti, DicomSeg };
// By content (and the .nii / .nii.gz name for gzip data): cheap, for sorting
// dropped files before any decoding.
SegmentationFormat segmentationFormat(const std::string& name, const std::vector<std::uint8_t>& bytes);

// Reads `bytes` as a SEG or NIfTI for the shown volume and applies it; bad or
// unmatched files only give a message.
void importSegmentation(AppState& app, const std::string& name, const std::vector<std::uint8_t>& bytes);
// The merge rule above; returns the voxels labelled by the import.
std::size_t applyImportedLabels(AppState& app, ImportedLabels imported, const std::string& name);

}  // namespace ls
