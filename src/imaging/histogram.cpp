#include "imaging/histogram.h"

#include <algorithm>

namespace ls {

Histogram computeHistogram(const float* values, std::size_t count, int bins) {
  Histogram h;
  h.counts.assign(static_cast<std::size_t>(std::max(bins, 1)), 0);
  if (count == 0) return h;
  const auto [lo, hi] = std::minmax_element(values, values + count);
  h.min = *lo;
  h.max = *hi > *lo ? *hi : *lo + 1;
  const double scale = h.counts.size() / (h.max - h.min);
  for (std::size_t i = 0; i < count; ++i) {
    const auto bin = static_cast<std::size_t>((values[i] - h.min) * scale);
    ++h.counts[std::min(bin, h.counts.size() - 1)];
  }
  return h;
}

}  // namespace ls
