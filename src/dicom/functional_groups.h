// Enhanced multi-frame images (PS3.3 C.7.6.16, Multi-frame Functional
// Groups): what each frame's functional groups say about its geometry, its
// rescale and its windows. A frame's own item in the Per-frame Functional
// Groups Sequence wins over the Shared Functional Groups Sequence.
// Seen only by the DICOM decoder (it takes DCMTK's dataset).
#pragma once

#include <array>
#include <cstddef>
#include <optional>
#include <utility>
#include <vector>

#include "core/image_slice.h"
#include "core/vec3.h"

class DcmItem;

namespace ls {

struct FrameFunctionalGroups {
  std::optional<Vec3> position;                    // Plane Position (Patient)
  std::optional<std::array<double, 6>> orientation;  // Plane Orientation (Patient)
  std::optional<std::pair<double, double>> pixelSpacing;  // Pixel Measures: row, column spacing
  std::optional<double> sliceThickness, spacingBetweenSlices;
  std::optional<std::pair<double, double>> rescale;  // Pixel Value Transformation: slope, intercept
  std::vector<WindowLevel> windows;                  // Frame VOI LUT
};

// One entry per frame, or none when the dataset has no functional groups
// (a classic or legacy multi-frame image).
std::vector<FrameFunctionalGroups> readFunctionalGroups(DcmItem& dataset, std::size_t frameCount);

// Window presets of one item (Window Center/Width/Explanation), in file
// order; widths below 1 (invalid per PS3.3 C.11.2.1.2, e.g. 0\0) are left
// out unless the VOI LUT Function is LINEAR_EXACT (then any width above 0).
std::vector<WindowLevel> readWindowPresets(DcmItem& item);

}  // namespace ls
