// Window/level: the DICOM linear VOI function (PS3.3 C.11.2.1.2.1) and an
// automatic window for files that carry none. The slice shader implements the
// same formula; these functions are its testable reference.
#pragma once

#include <cstddef>
#include <cstdint>
#include <optional>

#include "core/image_slice.h"

namespace ls {

// Maps a modality value to display grey in [0, 1] (before any inversion):
// DICOM's LINEAR function for widths of 1 and more, LINEAR_EXACT below 1.
double applyWindow(double value, const WindowLevel& window);

// Maps to 8-bit grey as a display would, honouring MONOCHROME1 inversion.
std::uint8_t windowToGrey8(double value, const WindowLevel& window, bool invert);

// A window spanning the 0.5th to 99.5th percentile of the values, so a few
// extreme pixels (metal, padding) do not wash out the image.
// Values inside `padding` (not image) are left out.
WindowLevel autoWindow(const float* values, std::size_t count, std::optional<ValueRange> padding = std::nullopt);

}  // namespace ls
