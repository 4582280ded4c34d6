// Histogram of modality values over a fixed number of equal bins, for the
// window/level panel (the current window drawn over the value distribution).
#pragma once

#include <cstddef>
#include <optional>
#include <vector>

#include "core/image_slice.h"

namespace ls {

struct Histogram {
  double min = 0, max = 0;  // value range covered by the bins
  std::vector<std::size_t> counts;
  double binWidth() const { return counts.empty() ? 0 : (max - min) / counts.size(); }
};

// Values inside `padding` (not image) are left out.
Histogram computeHistogram(const float* values, std::size_t count, int bins,
                           std::optional<ValueRange> padding = std::nullopt);

}  // namespace ls
